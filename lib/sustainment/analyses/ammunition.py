"""Russian vs Western artillery ammunition: supply by side, the ratio, fire, the projection; its
bottom line, charts and tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sustainment import parameters
from sustainment.analyses.common import (
    FIRST_YEAR,
    actor_names,
    as_of_date,
    claim,
    linked,
    metric_natures,
)
from sustainment.claims import estimate, id_list, munitions, one_per_statement, select
from sustainment.errors import NoClaimsError
from sustainment.models import ammunition as ammo
from sustainment.presentation import narrative
from sustainment.presentation.narrative import SIDE_WORDS

METRIC_WORDS = {"shells_produced": "output", "shells_production_capacity": "capacity", "shells_delivered": "deliveries",
                "shells_fired": "rounds fired"}

BASIS_WORDS = {"claims": "", "upper bounds only": "caps only", "lower bounds only": "floors only",
               "bounds only": "caps and floors only"}


PARAMETERS = parameters.parse("""\
first_year: int = 2022  # first year compared [2022, 2030]
last_year: int = 0  # last observed year, the projection's base (0: the latest year with claims) [0, 2030]
horizon_year: int = 2027  # projection horizon [2023, 2040]
russia_growth: float = 0.0  # yearly growth of Russian-side supply after last_year [-0.9, 3.0]
west_growth: float = 0.0  # yearly growth of Western-side supply after last_year [-0.9, 3.0]
eu_target_claim: str = ""  # an EU output target reached by its date (claim of shells_production_target; empty: growth only)
us_target_claim: str = ""  # a US output target reached by its date (claim of shells_production_target; empty: growth only)
include_north_korea: bool = True  # count North Korean deliveries on the Russian side
include_iran: bool = True  # count Iranian deliveries on the Russian side
stop_imports: bool = False  # North Korean and Iranian deliveries stop from the month after as_of (history kept)
""", "analyses.ammunition.PARAMETERS")  # the pipeline's own parameters, as every notebook running it declares them


@dataclass
class AmmunitionResult:
    as_of: pd.Timestamp
    last_year: int
    horizon_year: int
    supply: pd.DataFrame
    totals: pd.DataFrame
    ratio: pd.DataFrame
    claimed_ratio: pd.DataFrame
    fired: pd.DataFrame
    balance: pd.DataFrame
    paths: dict[str, pd.DataFrame]
    targets: pd.DataFrame
    trends: dict[str, pd.DataFrame]
    n_draws: int  # Monte Carlo draws behind the ratio's bands and shares
    forward: pd.DataFrame  # each component projected from last_year to horizon_year (`ammo.forward_supply`)
    forward_ratio: pd.DataFrame  # the side ratio of the projected years, as `ratio`
    realisation: pd.DataFrame  # past targets against what happened (`realisation`)
    production_ratio: pd.DataFrame  # the side ratio of the producing components alone (deliveries left out), as `ratio`
    forward_claims: pd.DataFrame  # plans, targets and forecasts for the projected years (`forward_claims`)
    followed: pd.DataFrame  # the forward claims the path follows, discounted (`followed_targets`)
    splits: pd.DataFrame  # how totals over several years were split into years (`ammo.total_splits`)
    left_out: tuple[str, ...] = ()  # actors whose deliveries the scenario removes (a counterfactual)
    stops: dict = field(default_factory=dict)  # actor -> the first day its deliveries stop in the projection

def latest_supply_year(claims: pd.DataFrame, as_of: pd.Timestamp, components=ammo.DEFAULT_COMPONENTS) -> int:
    """The latest year in which every side has a supply claim (not a forecast) public by `as_of`."""
    known = select(claims, metric=sorted({m for c in components for m in c.metrics}),
                           actor=sorted({c.actor for c in components}), as_of=as_of)
    known = known[known["forecast"] != "yes"]
    years = known.groupby("side")["period_end"].max().dt.year
    if known.empty or len(years) < 2:
        raise ValueError(f"last_year: no supply claim for both sides public by {as_of.date()}")
    return int(years.min())

def ammunition_analysis(claims: pd.DataFrame, *, as_of: str = "", policy: str = "central", min_confidence: str = "low",
                        first_year: int = FIRST_YEAR, last_year: int = 0, horizon_year: int = 2027,
                        russia_growth: float = 0.0, west_growth: float = 0.0, eu_target_claim: str = "",
                        us_target_claim: str = "", include_north_korea: bool = True, include_iran: bool = True,
                        stop_imports: bool = False, n_draws: int = 20_000, seed: int = 20241028) -> AmmunitionResult:
    """Supply by actor and side, the side ratio (Monte Carlo), fire vs supply, and the
    scenario's projection from `last_year` (0: the latest year with a supply claim public by
    `as_of`) to `horizon_year` beside each side's statistical trend."""
    when = as_of_date(claims, as_of)
    dropped = {actor for actor, included in (("NK", include_north_korea), ("IR", include_iran)) if not included}
    components = [c for c in ammo.DEFAULT_COMPONENTS if c.actor not in dropped]
    latest = latest_supply_year(claims, when, components)
    if last_year > latest:
        raise ValueError(f"last_year {last_year}: the latest year with supply claims public by {when:%Y-%m-%d} is {latest}; "
                         "later years are projections (horizon_year), not observations")
    last_year = last_year or latest
    if not first_year <= last_year < horizon_year:
        raise ValueError(f"years: need first_year <= last_year < horizon_year, got {first_year}, {last_year}, {horizon_year}")
    years = range(first_year, last_year + 1)
    shaped = ammo.shape(claims, components, policy, when, min_confidence)
    supply = ammo.annual_supply(claims, years, components, policy=policy, as_of=when, min_confidence=min_confidence,
                                shaped=shaped)
    totals = ammo.side_totals(supply, metric_natures(claims))
    ratio = ammo.side_ratio(supply, n_draws=n_draws, seed=seed)
    if last_year not in set(ratio["year"]):
        missing = [side for side in ("russia", "west") if not totals[(totals["year"] == last_year) & (totals["side"] == side)
                                                                       & (totals["central"] > 0)].shape[0]]
        raise ValueError(f"no claim for the {' or '.join(SIDE_WORDS[s] for s in missing) or 'either side'} in {last_year} "
                         f"under policy {policy!r} (min_confidence {min_confidence}): the comparison needs both sides")
    stated = select(claims, metric=["shells_production_ratio_vs_eu", "shells_production_ratio_vs_nato"], actor="RU",
                            as_of=when, min_confidence="medium" if min_confidence == "low" else min_confidence)
    claimed_ratio = pd.DataFrame({"year": stated["period_end"].dt.year, "value": stated["canonical_value"],
                                  "metric": stated["metric"], "id": stated["id"], "claim_ids": [(i,) for i in stated["id"]],
                                  "bound": stated["bound"], "said": stated["known_from"],
                                  "who": stated["claimant"].map(narrative.short_name)})
    fired = ammo.consumption(claims, years, policy=policy, as_of=when, min_confidence=min_confidence)
    balance = ammo.supply_vs_consumption(totals, fired)
    target_rows = {actor: claim(claims, claim_id, f"{actor.lower()}_target_claim", when)
                   for actor, claim_id in (("EU", eu_target_claim), ("US", us_target_claim)) if claim_id}
    pairs, ahead = realisation(claims, supply, when), forward_claims(claims, components, when, last_year)
    followed = followed_targets(ahead, pairs, supply, last_year)
    followed = followed[~followed["actor"].isin(list(target_rows))]  # a scenario's own target comes first
    targets = {r.actor: (r.value, r.year) for r in followed.itertuples()}
    targets |= {actor: (float(row["canonical_value"]), int(row["period_end"].year)) for actor, row in target_rows.items()}
    stopped = when + pd.offsets.MonthBegin(1)
    stops = {c.actor: stopped for c in components if stop_imports and c.actor in IMPORTS}
    forward = ammo.forward_supply(supply, last_year, horizon_year, {"russia": russia_growth, "west": west_growth},
                                  targets, ammo.may_stop(components), stops)
    forward_ratio = ammo.side_ratio(forward[forward["year"] > last_year], n_draws=n_draws, seed=seed)
    target_table = pd.DataFrame([{"actor": a, "id": r["id"], "rounds_per_year": r["canonical_value"],
                                  "reached_by": int(r["period_end"].year), "source_id": r["source_id"]}
                                 for a, r in sorted(target_rows.items())],
                                columns=["actor", "id", "rounds_per_year", "reached_by", "source_id"])
    trends = ammo.side_trends(totals, horizon_year)
    return AmmunitionResult(when, last_year, horizon_year, supply, totals, ratio, claimed_ratio, fired, balance,
                            ammo.scenario_paths(forward, n_draws, seed), target_table, trends, n_draws, forward, forward_ratio,
                            pairs,
                            ammo.side_ratio(supply[supply["actor"].isin(producers(components))], n_draws=n_draws, seed=seed),
                            ahead, followed,
                            ammo.total_splits(shaped),
                            tuple(sorted(dropped)), stops=stops)


TARGET_METRICS = {"shells_produced": "shells_production_target", "shells_delivered": "shells_delivery_target"}
IMPORTS = ("NK", "IR")  # the Russian side's deliveries from abroad, which `stop_imports` stops


def producers(components) -> list[str]:
    """The actors of the components that make rounds (measured by output or capacity, not deliveries):
    the production comparison counts them alone."""
    return [c.actor for c in components if "shells_delivered" not in c.metrics]


def production_rows(result: AmmunitionResult) -> pd.DataFrame:
    """The last observed year's components that the production comparison counts."""
    supply = result.supply
    return supply[(supply["year"] == result.last_year) & supply["actor"].isin(producers(ammo.DEFAULT_COMPONENTS))]


def short_names(claims: pd.DataFrame) -> dict[str, str]:
    """Each actor's name without its parenthesis ("Czech Republic (and its ammunition initiative)" ->
    "Czech Republic"), as data text: escape it where it goes into a sentence."""
    return {code: name.split(" (", 1)[0] for code, name in actor_names(claims).items()}


def realisation(claims: pd.DataFrame, supply: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """How past targets turned out: each production or delivery target (one per statement, public
    by `as_of`) for a component's whole year estimated on the matching metric, set against what the
    claims say happened on the target's own basis (a 155mm target against 155mm output: the supply
    estimate where the bases agree, else the year re-estimated on the target's basis), when claims
    state it (not bounds only). Columns: id, actor, year, target, outcome (rounds a year), rate =
    outcome / target, claim_ids."""
    whole = supply[(supply["status"] == "estimated") & (supply["active_from"] == "")].set_index(["actor", "year"])
    targets, _ = one_per_statement(select(claims, metric=sorted(TARGET_METRICS.values()), as_of=as_of))
    rows, outcomes = [], {}
    for target in targets.sort_values(["actor", "period_end", "id"]).itertuples():
        key = (target.actor, target.period_end.year)
        if key not in whole.index or TARGET_METRICS.get(whole.at[key, "metric"]) != target.metric:
            continue
        basis = target.munitions if target.munitions in munitions.BASES else ammo.MUNITIONS
        if (key, basis) not in outcomes:
            outcomes[key, basis] = (whole.loc[key, ["central", "central_ids", "basis"]] if basis == ammo.MUNITIONS else
                                    _on_basis(claims, whole.at[key, "metric"], key, as_of, basis))
        outcome = outcomes[key, basis]
        if outcome is None or outcome["basis"] != "claims":
            continue
        rows.append({"id": target.id, "actor": target.actor, "year": key[1], "target": target.canonical_value,
                     "outcome": outcome["central"], "rate": outcome["central"] / target.canonical_value,
                     "claim_ids": tuple(id_list((target.id,), outcome["central_ids"]))})
    return pd.DataFrame(rows, columns=["id", "actor", "year", "target", "outcome", "rate", "claim_ids"])


def _on_basis(claims: pd.DataFrame, metric: str, key: tuple[str, int], as_of: pd.Timestamp, basis: str) -> dict | None:
    """A year's estimate on another basis than the model's (a target's), or None without claims."""
    try:
        found = estimate(claims, metric, key[0], key[1], as_of=as_of, munitions=basis)
    except NoClaimsError:
        return None
    return {"central": found.central, "central_ids": found.central_ids, "basis": found.basis}


def forward_claims(claims: pd.DataFrame, components, as_of: pd.Timestamp, last_year: int) -> pd.DataFrame:
    """The plans, targets and forecasts public by `as_of` for the components' actors and the years
    after `last_year`: targets of their supply metrics, and their supply claims marked forecast."""
    metrics = sorted({m for c in components for m in c.metrics} | set(TARGET_METRICS.values()))
    found = select(claims, metric=metrics, actor=sorted({c.actor for c in components}), as_of=as_of)
    ahead = found["period_end"].dt.year > last_year
    return found[ahead & (found["metric"].isin(TARGET_METRICS.values()) | (found["forecast"] == "yes"))].sort_values(
        ["period_end", "actor", "id"])

FOLLOWED_COLUMNS = ["actor", "id", "year", "stated", "rate", "value", "pairs"]


def followed_targets(forward: pd.DataFrame, pairs: pd.DataFrame, supply: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The forward claims the projection follows: per component, the most recently said target or
    forecast (from `forward_claims`) that states a level (not "at least" or "up to") on the basis
    the component is estimated on (the model's, or a narrower one where the component is itself a
    floor from narrower claims), discounted by how past targets came true (`realisation`): the
    median rate of the actor's own past targets, else of all. Columns: FOLLOWED_COLUMNS (`value` =
    `stated` x `rate`, rounds a year; `pairs`: how many past targets the rate rests on, and whose)."""
    from sustainment.claims.validation import POINT_LIKE

    base = supply[supply["year"] == last_year].set_index("actor")
    kind = munitions.relation(forward["munitions"], ammo.MUNITIONS) if len(forward) else pd.Series(dtype=object)
    floors = set(base.index[base["basis"] == "lower bounds only"])
    usable = forward[forward["bound"].isin(POINT_LIKE) & forward["actor"].isin(base.index[base["status"] != "no claim"])
                     & ((kind == "same") | ((kind == "narrower") & forward["actor"].isin(floors)))]
    rows = []
    for actor, said in usable.sort_values(["known_from", "period_end", "id"]).groupby("actor", sort=True):
        latest = said.iloc[-1]
        own = pairs[pairs["actor"] == actor]
        used = own if len(own) else pairs
        rate = float(used["rate"].median()) if len(used) else 1.0
        rows.append({"actor": actor, "id": latest["id"], "year": int(latest["period_end"].year),
                     "stated": float(latest["canonical_value"]), "rate": rate,
                     "value": float(latest["canonical_value"]) * rate,
                     "pairs": f"{'its' if len(own) else 'all'} {narrative.plural(len(used), 'past target')}"})
    return pd.DataFrame(rows, columns=FOLLOWED_COLUMNS)


def _ratio_sentence(row: pd.Series) -> str:
    lead, factor = ("Russia's side", row["central"]) if row["central"] >= 1 else ("The Western side", 1 / row["central"])
    band = (row["q05"], row["q95"]) if row["central"] >= 1 else (1 / row["q95"], 1 / row["q05"])
    spread = ("from single claims, so no range" if row["no_range"] else
              f"90% of draws: {narrative.times(band[0])} to {narrative.times(band[1])}")
    return (f"{lead} had about {narrative.times(factor)} the other side's supply of tube-artillery rounds in "
            f"{int(row['year'])} ({spread})")

def ammunition_headline(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """The answer in one plain sentence, for the landing page: the ratio of the last observed year,
    its band and the likelihood that the Russian side had more (or why there is none)."""
    row = result.ratio.set_index("year", drop=False).loc[result.last_year]
    likely = ("from single claims: no likelihood" if row["no_range"] else
              f"{narrative.chance(float(row['p_above_1']), result.n_draws)} that the Russian side had more")
    names = actor_names(claims)
    counterfactual = f", leaving out {' and '.join(names[a] for a in result.left_out)}'s deliveries" if result.left_out else ""
    ahead = result.forward_ratio.set_index("year").loc[result.horizon_year]
    return (f"{_ratio_sentence(row)}{counterfactual}; {likely}. In {result.horizon_year}, projected with ranges that widen "
            f"each year{_stops_words(result, claims)}: about {narrative.times(ahead['central'])} (90% of draws "
            f"{narrative.times(ahead['q05'])} to {narrative.times(ahead['q95'])}).")


def ammunition_bottom_line(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The answer to "does the Russian side out-supply the West?" for the last observed year, with
    its range, a likelihood word on the ICD 203 scale and what would change it (`link`: how a
    number links to its claims; `narrative.link` for HTML, a plain function for the deck)."""
    year = result.last_year
    totals = result.totals.set_index(["year", "side"])
    russia, west = totals.loc[(year, "russia")], totals.loc[(year, "west")]
    ratio = result.ratio.set_index("year").loc[year]
    ids = id_list(russia["claim_ids"], west["claim_ids"])
    p = float(ratio["p_above_1"])
    names = {code: link(name, claims, []) for code, name in actor_names(claims).items()}  # data text: escaped for HTML
    left_out = " and ".join(f"{names[a]}'s" for a in result.left_out)
    had = "would have had" if left_out else "had"
    likely = ("With one claim per component there is no range, so no likelihood. " if ratio["no_range"] else
              f"{narrative.it_is(p, result.n_draws)} that Russia's side {'would have ' if left_out else ''}out-supplied the "
              f"West that year. ")
    band = ("(from single claims: no range)" if ratio["no_range"] else
            f"(90% of draws {narrative.times(ratio['q05'])} to {narrative.times(ratio['q95'])})")
    supply = result.supply[result.supply["year"] == year].set_index("actor")
    caveats = [(_component_caveat(supply.loc[a], names[a]) or (f"{names[a]}'s figure" if _split_note(result, claims, a)
                                                                 else "")) + _split_note(result, claims, a, link)
               for a in supply.index]
    caveats = [caveat for caveat in caveats if caveat]
    caveats += [f"{names[a]} is counted by its capacity, not its output" for a in supply.index
                if metric_natures(claims).get(supply.at[a, "metric"]) == "capacity"]
    widest = (supply["high"] - supply["low"]).idxmax()
    spread = link(narrative.span(supply.at[widest, "low"], supply.at[widest, "high"]), claims,
                  id_list(supply.at[widest, "claim_ids"]))
    change = (f"What would change it: {names[widest]}'s {METRIC_WORDS.get(supply.at[widest, 'metric'], 'supply')}, the widest "
              f"range ({spread} rounds a year)" + (f"; {'; '.join(caveats)}" if caveats else "") + ".")
    lead = f"Leaving out {left_out} deliveries, as this scenario does, in" if left_out else "In"
    compared = compared_words(result, claims, names)
    return (f"**Bottom line.** {lead} {year} the Russian side {had} {'more' if ratio['central'] >= 1 else 'fewer'} "
            f"tube-artillery rounds (output and imports) than the Western side (output and deliveries): about "
            f"{link(narrative.times(ratio['central']), claims, ids)} as much {band}. "
            f"{likely[0].upper()}{likely[1:]}"
            f"Russian side about {link(narrative.count(russia['central']), claims, id_list(russia['claim_ids']))} "
            f"rounds ({narrative.span(russia['low'], russia['high'])}), Western side about "
            f"{link(narrative.count(west['central']), claims, id_list(west['claim_ids']))} "
            f"({narrative.span(west['low'], west['high'])}). {_centrals_note(russia, west, ratio)}"
            f"{_claimed_ratio_note(result, claims, link)}{change} {compared}\n\n{forward_words(result, claims, link)}")


def _stops_words(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """", Iran's and North Korea's deliveries stopping from September 2026" when the scenario stops them, else ""."""
    if not result.stops:
        return ""
    names = " and ".join(narrative.escape(short_names(claims)[a]) + "'s" for a in sorted(result.stops))
    return f", {names} deliveries stopping from {min(result.stops.values()):%B %Y}"


def forward_words(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """"Will it last?": the horizon year's sides and ratio along the scenario's path, with ranges
    widened for the years no claim speaks for; the forward claims (listed, not counted) and how
    past targets in the claims turned out."""
    year, last = result.horizon_year, result.last_year
    paths = {side: path.set_index("year").loc[year] for side, path in result.paths.items()}
    ratio = result.forward_ratio.set_index("year").loc[year]
    ids = id_list(result.totals.loc[result.totals["year"] == last, "claim_ids"])
    widened = result.forward.loc[result.forward["year"] == year, "widened"].max() ** (1 / (year - last))
    running = result.forward[~result.forward["actor"].isin(list(result.stops) + list(result.followed["actor"]))]
    moves = running.groupby("actor")["central"].nunique().gt(1).any()
    how = (f"Along the scenario's growth and targets{_targets_words(result, claims, link)}" if moves
           else f"Held at {last}'s levels") + _followed_words(result, claims, link)
    how += _stops_words(result, claims)
    text = (f"**Will it last?** {how}, with ranges that widen each year after {last} (x{widened:.2g} a year, "
            f"the median yearly change of the estimates; deliveries may stop), in {year} the Russian side comes to about "
            f"{link(narrative.count(paths['russia']['central']), claims, ids)} rounds against "
            f"{narrative.count(paths['west']['central'])}: about {narrative.times(ratio['central'])} (90% of draws "
            f"{narrative.times(ratio['q05'])} to {narrative.times(ratio['q95'])}); "
            f"{narrative.it_is(float(ratio['p_above_1']), result.n_draws)} that Russia's side still out-supplies the West then"
            f"{_between_words(result)}.")
    text += " " + parity_words(result, paths["west"]["central"])
    plain = short_names(claims)  # link() escapes its text
    names = {code: narrative.escape(name) for code, name in plain.items()}  # data text in a sentence: escaped
    unfollowed = result.forward_claims[~result.forward_claims["id"].isin([*result.followed["id"], *result.targets["id"]])]
    if len(unfollowed):
        listed = "; ".join(link(f"{plain.get(r.actor, r.actor)} {BOUND_WORDS.get(r.bound, '')}{_as_said(r.value, r.unit)} "
                                f"({r.period_end.year})", claims, [r.id])
                           + f", {'a forecast' if r.forecast == 'yes' else 'a target'}, said by "
                           + narrative.escape(narrative.speaker(r.claimant)) for r in unfollowed.itertuples())
        text += (f" Forward claims not followed (a floor or a cap, or another basis), listed but not counted: "
                 f"{listed}.")
    if len(result.realisation):
        rates = result.realisation.groupby("actor")["rate"].agg(["min", "max", "size"])
        past = "; ".join(f"{names.get(a, a)} {narrative.span(r['min'], r['max'], narrative.share)} "
                         f"({narrative.plural(int(r['size']), 'target')})" for a, r in rates.iterrows())
        text += f" Past targets in these claims came true at: {past}."
    return text


def _as_said(value: float, unit: str) -> str:
    """A claim's number and unit as a sentence gives them: '100,000 rounds a month'."""
    return f"{narrative.stated(value)} {unit.replace('/', ' a ')}"


def _targets_words(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """' (European Union 2.5 million rounds a year by 2026; ...)': the scenario's own targets, as the path reaches them."""
    if result.targets.empty:
        return ""
    plain, said = short_names(claims), claims.set_index("id")
    parts = [f"{narrative.escape(plain.get(r.actor, r.actor))} "
             f"{link(_as_said(said.at[r.id, 'value'], said.at[r.id, 'unit']), claims, [r.id])}"
             f" by {max(r.reached_by, result.last_year + 1)}"  # a target set for an observed year is reached the year after
             for r in result.targets.itertuples()]
    return f" ({'; '.join(parts)})"


def _followed_words(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """", except United States toward 100,000 rounds a month by 2026 at 42%, ...": the forward claims the path follows."""
    if result.followed.empty:
        return ""
    plain = short_names(claims)
    said = claims.set_index("id")
    parts = [f"{narrative.escape(plain.get(r.actor, r.actor))} toward "
             f"{link(_as_said(said.at[r.id, 'value'], said.at[r.id, 'unit']), claims, [r.id])}"
             f" by {r.year} at {narrative.share(r.rate)}, the median of {r.pairs}: about {narrative.count(r.value)} a year"
             for r in result.followed.itertuples()]
    return f", except {'; '.join(parts)} (forward claims, discounted by how past targets came true)"


def _between_words(result: AmmunitionResult) -> str:
    """' (2026: about 1.3x, 90% of draws 0.86x to 2.1x, 85%)': the projected years before the horizon."""
    before = result.forward_ratio[result.forward_ratio["year"] < result.horizon_year]
    parts = [f"{int(r.year)}: about {narrative.times(r.central)}, 90% of draws {narrative.times(r.q05)} to "
             f"{narrative.times(r.q95)}, {narrative.share(r.p_above_1)} of draws Russia's side ahead"
             for r in before.itertuples()]
    return f" ({'; '.join(parts)})" if parts else ""


def parity_words(result: AmmunitionResult, west: float) -> str:
    """What it would take to even the horizon year: the multiple of the Western side's supply (its
    suppliers scaled alike) at which half the draws put Russia's side ahead. Scaling one side scales
    every draw's ratio alike, so that multiple is the median ratio of the draws (`west`: the
    Western side's central figure on the path)."""
    year = result.horizon_year
    factor = float(result.forward_ratio.set_index("year").at[year, "q50"])
    if factor >= 1:
        return (f"What it would take: the Western side would need about {narrative.share(factor - 1)} more than this "
                f"path in {year} (about {narrative.count(west * factor)} rounds a year, its suppliers scaled alike) for "
                "an even chance that Russia's side is ahead.")
    return (f"What it would take: the Western side could fall about {narrative.share(1 - factor)} below this path in "
            f"{year} (to about {narrative.count(west * factor)} rounds a year) and Russia's side would still have no "
            "better than an even chance of being ahead.")


def _split_note(result: AmmunitionResult, claims: pd.DataFrame, actor: str, link=narrative.link) -> str:
    """' (its total since August 2023 split into years: 2025 at most 0.5 of 2024's rate, a year-on-year
    claim)' when a year-on-year claim shaped the component's last observed year, else ''."""
    splits = result.splits
    linked = splits[(splits["actor"] == actor) & (splits["year"] == result.last_year)
                    & (splits["how"] == "year-on-year claim on the year before")]
    if linked.empty:
        return ""
    row, said = linked.iloc[0], claims.set_index("id")
    factor_id = row["linked_ids"][0]
    total = said.loc[row["id"]]
    return (f" (its total since {total['period_start']:%B %Y} split into years: {result.last_year} at "
            f"{'most ' if said.at[factor_id, 'bound'] == 'up_to' else ''}"
            f"{link(narrative.stated(said.at[factor_id, 'value']) + 'x', claims, [factor_id])} of "
            f"{result.last_year - 1}'s rate, a year-on-year claim)")


def _component_caveat(row: pd.Series, name: str) -> str:
    """What the bottom line must say of one component: a figure that is only a cap or a floor, one
    carried from an earlier year (with its widened range), or nothing."""
    kind = {"upper bounds only": "only a cap", "lower bounds only": "only a floor", "bounds only": "only caps and floors"}
    what = kind.get(row["basis"], "")
    if row["status"].startswith("carried"):
        stopped = "; deliveries may have stopped" if row["status"].endswith("may have stopped") else ""
        return (f"{name}'s figure is {what or 'an estimate'} from {row['status'].split()[2].rstrip(',')}, carried forward "
                f"with its range widened for its age ({narrative.span(row['low'], row['high'])}{stopped})")
    return f"{name}'s figure is {what}" if what else ""


SUPPLY_METRICS = ("shells_produced", "shells_delivered")


def compared_words(result: AmmunitionResult, claims: pd.DataFrame, names: dict[str, str]) -> str:
    """What 'supply' means here, from the components the scenario counts (one with no claim on the
    basis said so), the basis both sides count (`basis_words`), and the actors with production or
    delivery claims it does not count."""
    counted = result.supply[result.supply["year"] == result.last_year]
    names = {code: name.split(" (", 1)[0] for code, name in names.items()}

    def part(actor: str, metric: str) -> str:
        if metric:
            return f"{names[actor]} {METRIC_WORDS.get(metric, 'supply')}"
        counted = claims.loc[claims["actor"].eq(actor) & claims["metric"].isin(SUPPLY_METRICS), "munitions"]
        other = sorted(set(counted) - {munitions.UNSTATED, ammo.MUNITIONS})
        return f"{names[actor]} output (no claim on this basis" + (
            f": its claims count {' or '.join(munitions.WORDS[b] for b in other)})" if other else ")")

    parts = {side: ", ".join(part(a, m) for a, m in zip(rows["actor"], rows["metric"]))
             for side, rows in counted.groupby("side")}
    others = sorted(set(claims.loc[claims["metric"].isin(SUPPLY_METRICS), "actor"]) - set(result.supply["actor"])
                    - {"DE"})  # German output is inside the EU's figure
    left = f" Not counted: {', '.join(names[a] + chr(39) + 's own output' for a in others)}." if others else ""
    return (f"Supply here, Russian side: {parts.get('russia', '')}; Western side: {parts.get('west', '')}. Not all "
            f"Western output reaches Ukraine.{left} {basis_words(counted, claims)}")


def basis_words(rows: pd.DataFrame, claims: pd.DataFrame) -> str:
    """The basis both sides count, how many of the claims behind `rows` (rows of `annual_supply`)
    were read on it from another basis, and how many setting a central figure do not say what they count."""
    central = claims[claims["id"].isin(id_list(rows["central_ids"]))]
    unstated = int((central["munitions"] == munitions.UNSTATED).sum())
    read = "; ".join(_reads_counted([pair for reads in rows["munitions_read"] for pair in reads]))
    return (f"Both sides count rounds of {munitions.WORDS[ammo.MUNITIONS]}: a claim counting more (mortars, rockets, every "
            f"projectile) enters only as a cap or converted by a breakdown its source gives, one counting less "
            f"(152/155mm alone) only as a floor" + (f" (here: {read})" if read else "") + f"; {unstated} of the "
            f"{narrative.plural(len(central), 'claim')} setting central figures {'does' if unstated == 1 else 'do'} not "
            f"say what {'it counts and is' if unstated == 1 else 'they count and are'} read as such.")


COMPARED = {"shells_production_ratio_vs_nato": "Russian production against the output of all NATO allies",
            "shells_production_ratio_vs_eu": "Russian production against the EU's output"}
BOUND_WORDS = {"up_to": "at most ", "at_least": "at least ", "approx": "about "}


def _claimed_ratio_note(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The most recent ratio someone claimed, against the estimate: where it falls and why the two
    differ (what each compares); "" when no ratio is claimed."""
    if result.claimed_ratio.empty:
        return ""
    latest = result.claimed_ratio.sort_values(["said", "id"]).iloc[-1]
    ratio = result.ratio.set_index("year").loc[result.last_year]
    inside = ratio["q05"] <= latest["value"] <= ratio["q95"] and not ratio["no_range"]
    claimant = claims.loc[claims["id"] == latest["id"], "claimant"].iloc[0].split("(", 1)[0].strip()
    claimed = f"{BOUND_WORDS.get(latest['bound'], '')}{narrative.times(latest['value'])}"
    return (f"The most recent claimed ratio, {link(claimant, claims, [latest['id']])} on {latest['said'].day} "
            f"{latest['said']:%b %Y}, is {claimed}: "
            f"{'within' if inside else 'outside'} this estimate's 90% band. It compares {COMPARED[latest['metric']]}; "
            f"this estimate compares what each side had to fire (production plus imports against output and deliveries "
            f"for Ukraine), so the two answer different questions. {_production_note(result, claims, latest)}")


def _production_note(result: AmmunitionResult, claims: pd.DataFrame, latest: pd.Series) -> str:
    """The like-for-like figure beside a claimed production ratio: the producing components alone."""
    rows = result.production_ratio.set_index("year")
    if result.last_year not in rows.index:
        return ""
    ratio = rows.loc[result.last_year]
    names = {code: narrative.escape(name) for code, name in short_names(claims).items()}
    counted = production_rows(result)
    present = counted[counted["status"] != "no claim"]
    sides = {side: " and ".join(names[a] for a in rows_["actor"]) for side, rows_ in present.groupby("side")}
    unknown = ", ".join(names[a] for a in counted.loc[counted["status"] == "no claim", "actor"])
    inside = ratio["q05"] <= latest["value"] <= ratio["q95"]
    return (f"Production alone ({sides.get('russia', '')} against {sides.get('west', '')} output; "
            f"{unknown + ' and ' if unknown else ''}other allies have no claim on this basis) is about "
            f"{narrative.times(ratio['central'])} (90% of draws {narrative.times(ratio['q05'])} to "
            f"{narrative.times(ratio['q95'])}): the claimed ratio is {'within' if inside else 'outside'} that band too. ")


def _centrals_note(russia: pd.Series, west: pd.Series, ratio: pd.Series) -> str:
    """Why the draws' band sits off the ratio of the two central figures (the ratio printed, so the
    sides divide to it): the draws span each side's whole range, which is lopsided around its central."""
    if ratio["no_range"] or narrative.times(ratio["central"]) == narrative.times(ratio["q50"]):
        return ""

    def lean(side: pd.Series) -> float:  # how much further the range reaches above the central than below
        return (side["high"] - side["central"]) - (side["central"] - side["low"])

    side = "Russian" if abs(lean(russia) / russia["central"]) >= abs(lean(west) / west["central"]) else "Western"
    leaning = lean(russia if side == "Russian" else west)
    return (f"The ratio printed is that of the two central figures; the draws' median is {narrative.times(ratio['q50'])} "
            f"because the {side} side's range reaches further {'above' if leaning > 0 else 'below'} its central figure "
            f"than {'below' if leaning > 0 else 'above'}. ")


def ammunition_charts(result: AmmunitionResult, claims: pd.DataFrame) -> dict:
    """name -> Chart for the ammunition report (and the briefing)."""
    from sustainment.presentation import plotting

    year = result.last_year
    totals = result.totals.set_index(["year", "side"])
    russia, west = totals.loc[(year, "russia"), "central"], totals.loc[(year, "west"), "central"]
    ratio_row = result.ratio.set_index("year").loc[year].rename(None)
    ratio_row["year"] = year
    balance = result.balance.set_index(["year", "side"])
    fired = balance.loc[(year, "russia"), "central_fired"] if (year, "russia") in balance.index else np.nan
    supply_ids = id_list(result.totals["claim_ids"])
    path_r, path_w = result.paths["russia"].iloc[-1], result.paths["west"].iloc[-1]
    ahead = result.forward_ratio.set_index("year").loc[result.horizon_year]
    return {
        "ammunition_supply_by_side": plotting.supply_by_side(
            result.totals, claims,
            f"Russian-side supply of about {narrative.count(russia)} tube-artillery rounds in {year} (output and "
            f"imports), against {narrative.count(west)} on the Western side (output and deliveries)"),
        "ammunition_ratio": plotting.ratio_band(result.ratio, claims, supply_ids, _ratio_sentence(ratio_row),
                                                claimed=result.claimed_ratio),
        "ammunition_supply_vs_fire": plotting.supply_vs_fire(
            result.balance, claims, id_list(supply_ids, result.fired["claim_ids"]),
            f"{_fire_words(result, claims, year, fired)} in {year}, against a supply of {narrative.count(russia)}"),
        "ammunition_projection": plotting.projection(
            result.totals, result.paths, claims,
            id_list(supply_ids, result.targets["id"]),
            f"By {result.horizon_year} the scenario puts Russia's side at {narrative.count(path_r['central'])} and the "
            f"Western side at {narrative.count(path_w['central'])} rounds a year: about {narrative.times(ahead['central'])} "
            f"(90% of draws {narrative.times(ahead['q05'])} to {narrative.times(ahead['q95'])})"),
    }

INDEPENDENT_CLAIMS = 2  # a figure of rounds fired is stated as fact only when this many claimants support it


def _fire_words(result: AmmunitionResult, claims: pd.DataFrame, year: int, fired: float) -> str:
    """'Russia fired about N rounds' when at least two independent claimants (statements counted once)
    support the year's figure; otherwise what it is: one claim, by whom."""
    row = result.fired[(result.fired["year"] == year) & (result.fired["side"] == "russia")]
    ids = id_list(row["central_ids"]) if len(row) else []
    behind, _ = one_per_statement(claims[claims["id"].isin(ids)])
    claimants = behind["claimant"].str.split("(", n=1).str[0].str.strip().unique()
    if np.isnan(fired) or not len(claimants):
        return "No claim of Russia's fire"
    if len(claimants) >= INDEPENDENT_CLAIMS:
        return f"Russia fired about {narrative.count(fired)} rounds"
    return f"One claim ({narrative.short_name(claimants[0])}) puts Russia's fire at {narrative.count(fired)} rounds"


def supply_table(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """Each side's components per year: what measured them, the estimate and its range, how it was made."""
    names = actor_names(claims)
    rows = result.supply.assign(
        who=result.supply["actor"].map(names), measure=result.supply["metric"].map(METRIC_WORDS),
        how=[", ".join(x for x in (BASIS_WORDS.get(b, ""), "" if s == "estimated" else s,
                                   f"counted from {a}" if a else "", _reads_note(r)) if x)
             for b, s, a, r in zip(result.supply["basis"], result.supply["status"], result.supply["active_from"],
                                   result.supply["munitions_read"])])
    return narrative.table(
        rows, {"year": "Year", "side": "Side", "who": "Supplier", "measure": "Measured by", "central": "Rounds a year",
               "low": "Range", "how": "Notes"},
        {"year": lambda v, _r: str(v), "side": lambda v, _r: SIDE_WORDS[v],
         "central": linked(claims, lambda r: narrative.count(r["central"])) ,
         "low": lambda _v, r: narrative.span(r["low"], r["high"]) if r["low"] == r["low"] else narrative.DASH,
         "measure": lambda v, _r: v if isinstance(v, str) else narrative.DASH},
        missing_note="no claim for that supplier and year (counted as zero)")

def _reads_counted(read) -> list[str]:
    """['2 floors', '1 cap']: how many claims an estimate read from another basis than their own, and how
    (`read`: the (id, how) pairs of `Estimate.munitions_read`, of one estimate or several)."""
    counts = pd.Series([how for _, how in read], dtype=object).value_counts()
    return [narrative.plural(n, READ_NOUNS[how]) for how, n in counts.items()]


def _reads_note(read) -> str:
    """'other basis: 2 floors, 1 cap' for the claims an estimate read from another basis than its own."""
    counted = _reads_counted(read)
    return "other basis: " + ", ".join(counted) if counted else ""


READ_NOUNS = {"floor": "floor", "cap": "cap", "converted": "conversion", "unused": "claim left out",
              "broken down": "total broken down"}
SPLIT_SHOWN = ("the rest of the total", "year-on-year claim on the year before", "caps the year: nothing shapes the total")


def splits_table(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """The totals over several years that set or cap a year: each year's part, how it was found and
    its rate, linked to the total and the claims that shaped it."""
    shown = result.splits[result.splits["year"].between(FIRST_YEAR, result.last_year)
                          & result.splits["id"].isin(result.splits.loc[result.splits["how"].isin(SPLIT_SHOWN), "id"])]
    if shown.empty:
        return "<p>No total over several years sets or caps a year here.</p>"
    names, total = actor_names(claims), claims.set_index("id")
    return narrative.table(
        shown.assign(claim_ids=[(i,) for i in shown["id"]]),
        {"actor": "Supplier", "id": "Total", "year": "Year", "days": "Days of it", "how": "Part found from",
         "central": "Rounds a year", "low": "Range"},
        {"actor": lambda v, _r: narrative.escape(names.get(v, v)), "year": lambda v, _r: str(v),
         "id": lambda v, _r: narrative.link(f"{narrative.stated(total.at[v, 'value'])} {total.at[v, 'unit']}, "
                                            f"{total.at[v, 'period_start']:%b %Y} to {total.at[v, 'period_end']:%b %Y}",
                                            claims, [v]),
         "central": lambda v, r: (narrative.DASH if v != v else
                                  narrative.link(("at most " if r["bound"] == "up_to" else "") + narrative.count(v),
                                                 claims, id_list(r["linked_ids"]))),
         "low": lambda _v, r: narrative.DASH if r["low"] != r["low"] else narrative.span(r["low"], r["high"])},
        missing_note="the year's own claims set it, or its part is too short to set")


def ratio_table(result: AmmunitionResult) -> str:
    """The Russia : West ratio per year: of the central figures, 90% of draws (or 'one claim per
    component'), the share of draws with the Russian side ahead."""
    return narrative.table(
        result.ratio, {"year": "Year", "central": "Russia : West (central figures)", "q05": "90% of draws",
                       "p_above_1": "Russian side ahead"},
        {"year": lambda v, _r: str(v), "central": lambda v, _r: narrative.times(v),
         "q05": lambda _v, r: ("from single claims: no range" if r["no_range"] else
                               narrative.span(r["q05"], r["q95"], narrative.times)),
         "p_above_1": lambda v, r: "no range, no likelihood" if r["no_range"] else
                       narrative.chance(v, result.n_draws)})

def balance_table(result: AmmunitionResult) -> str:
    """Supply against rounds fired per side and year, with the running balance."""
    return narrative.table(
        result.balance, {"year": "Year", "side": "Side", "central_supply": "Supply", "central_fired": "Fired",
                         "balance": "Supply - fired", "cumulative_balance": "Running balance"},
        {"year": lambda v, _r: str(v), "side": lambda v, _r: SIDE_WORDS[v],
         **{c: (lambda column: lambda v, _r: narrative.DASH if v != v else
                (narrative.signed(v) if "balance" in column else narrative.count(v)))(c)
            for c in ("central_supply", "central_fired", "balance", "cumulative_balance")}},
        missing_note="no claim of rounds fired that year")

def targets_table(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """The targets the scenario follows, each linked to its claim."""
    if result.targets.empty:
        return "<p>The scenario follows no output target: growth rates only.</p>"
    names = actor_names(claims)
    return narrative.table(
        result.targets, {"actor": "Producer", "rounds_per_year": "Target, rounds a year", "reached_by": "By"},
        {"actor": lambda v, _r: names.get(v, v), "reached_by": lambda v, _r: str(v),
         "rounds_per_year": lambda v, r: narrative.link(narrative.stated(v), claims, [r["id"]])})

def trend_sentence(result: AmmunitionResult) -> str:
    """Each side's log-linear trend as a signed yearly growth rate with its 90% interval (a fit to
    one point a year: wide, and said so)."""

    def growth(value: float) -> str:
        return ("+" if value >= 0 else "-") + narrative.share(abs(value))

    parts = [f"{SIDE_WORDS[side]} {growth(trend.attrs['growth_per_step'])} a year, 90% interval "
             f"{growth(trend.attrs['growth_per_step_90'][0])} to {growth(trend.attrs['growth_per_step_90'][1])}"
             for side, trend in sorted(result.trends.items())]
    return ("Dotted lines: a log-linear trend of each side's estimated supply (" + "; ".join(parts) + "). With one point "
            "a year, its prediction interval spans more than any plausible output, so it is not drawn: the trend says "
            "where the estimates point, not where output will be.") if parts else ""
