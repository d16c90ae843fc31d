"""The analyses the notebooks show, as functions of the claims and the notebook's parameters.

Each pipeline returns every table a report needs; `*_charts` turn a result into briefing
charts whose titles state the finding in numbers computed here. Notebooks call these and
add narrative; the briefing calls the same pipelines, so no analysis is written twice.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment import ammunition as ammo
from sustainment import figures, manpower, narrative, trends, ua_general_staff
from sustainment.manpower import Manpower
from sustainment.uncertainty import Range

UA_SOURCE = "ua-general-staff-daily-losses"
FIRST_YEAR = 2022  # the first full year of the war: where the ammunition comparison starts by default
WINDOW_MONTHS = 24  # months before as_of whose claims set recruitment and losses by default


def as_of_date(claims: pd.DataFrame, as_of: str = "") -> pd.Timestamp:
    """The `as_of` parameter as a date; empty = the latest date any claim became public."""
    return figures.as_period(as_of)[1] if as_of else claims["known_from"].max()


def claim(claims: pd.DataFrame, claim_id: str, parameter: str, as_of: pd.Timestamp) -> pd.Series:
    """One claim by id, public by `as_of`; ValueError naming the parameter otherwise (an analysis
    of what was known then cannot lean on what was said later)."""
    found = claims[claims["id"] == claim_id]
    if found.empty:
        raise ValueError(f"{parameter}: no claim with id {claim_id!r} in data/")
    row = found.iloc[0]
    if row["known_from"] > as_of:
        raise ValueError(f"{parameter}: claim {claim_id!r} was public on {row['known_from']:%Y-%m-%d}, after as_of "
                         f"{as_of:%Y-%m-%d}: choose another claim or none")
    return row


# --- ammunition ---------------------------------------------------------------------------

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


def latest_supply_year(claims: pd.DataFrame, as_of: pd.Timestamp, components=ammo.DEFAULT_COMPONENTS) -> int:
    """The latest year in which every side has a supply claim (not a forecast) public by `as_of`."""
    known = figures.select(claims, metric=sorted({m for c in components for m in c.metrics}),
                           actor=sorted({c.actor for c in components}), as_of=as_of)
    known = known[known["forecast"] != "yes"]
    years = known.groupby("side")["period_end"].max().dt.year
    if known.empty or len(years) < 2:
        raise ValueError(f"last_year: no supply claim for both sides public by {as_of.date()}")
    return int(years.min())


def metric_natures(claims: pd.DataFrame) -> dict[str, str]:
    """metric -> nature (observed, capacity, target, need), as metrics.csv says."""
    return claims.drop_duplicates("metric").set_index("metric")["nature"].to_dict()


def ammunition_analysis(claims: pd.DataFrame, *, as_of: str = "", policy: str = "central", min_confidence: str = "low",
                        first_year: int = FIRST_YEAR, last_year: int = 0, horizon_year: int = 2027,
                        russia_growth: float = 0.0, west_growth: float = 0.0, eu_target_claim: str = "",
                        us_target_claim: str = "", include_north_korea: bool = True, include_iran: bool = True,
                        n_draws: int = 20_000, seed: int = 0) -> AmmunitionResult:
    """Supply by actor and side, the side ratio (Monte Carlo), fire vs supply, and the
    scenario's projection from `last_year` (0: the latest year with a supply claim public by
    `as_of`) to `horizon_year` beside each side's statistical trend."""
    when = as_of_date(claims, as_of)
    dropped = {actor for actor, included in (("NK", include_north_korea), ("IR", include_iran)) if not included}
    components = [c for c in ammo.DEFAULT_COMPONENTS if c.actor not in dropped]
    last_year = last_year or latest_supply_year(claims, when, components)
    if not first_year <= last_year < horizon_year:
        raise ValueError(f"years: need first_year <= last_year < horizon_year, got {first_year}, {last_year}, {horizon_year}")
    years = range(first_year, last_year + 1)
    supply = ammo.annual_supply(claims, years, components, policy=policy, as_of=when, min_confidence=min_confidence)
    totals = ammo.side_totals(supply, metric_natures(claims))
    ratio = ammo.side_ratio(supply, n_draws=n_draws, seed=seed)
    stated = figures.select(claims, metric=["shells_production_ratio_vs_eu", "shells_production_ratio_vs_nato"], actor="RU",
                            as_of=when, min_confidence="medium" if min_confidence == "low" else min_confidence)
    claimed_ratio = pd.DataFrame({"year": stated["period_end"].dt.year, "value": stated["canonical_value"],
                                  "metric": stated["metric"], "id": stated["id"], "claim_ids": stated["id"]})
    fired = ammo.consumption(claims, years, policy=policy, as_of=when, min_confidence=min_confidence)
    balance = ammo.supply_vs_consumption(totals, fired)
    target_rows = {actor: claim(claims, claim_id, f"{actor.lower()}_target_claim", when)
                   for actor, claim_id in (("EU", eu_target_claim), ("US", us_target_claim)) if claim_id}
    targets = {actor: (float(row["canonical_value"]), int(row["period_end"].year)) for actor, row in target_rows.items()}
    paths = ammo.scenario_paths(supply, last_year, horizon_year, {"russia": russia_growth, "west": west_growth}, targets)
    target_table = pd.DataFrame([{"actor": a, "id": r["id"], "rounds_per_year": r["canonical_value"],
                                  "reached_by": int(r["period_end"].year), "source_id": r["source_id"]}
                                 for a, r in sorted(target_rows.items())],
                                columns=["actor", "id", "rounds_per_year", "reached_by", "source_id"])
    trends = ammo.side_trends(totals, horizon_year)
    return AmmunitionResult(when, last_year, horizon_year, supply, totals, ratio, claimed_ratio, fired, balance, paths,
                            target_table, trends)


def _ratio_sentence(row: pd.Series) -> str:
    lead, factor = ("Russia's side", row["q50"]) if row["q50"] >= 1 else ("The Western side", 1 / row["q50"])
    band = (row["q05"], row["q95"]) if row["q50"] >= 1 else (1 / row["q95"], 1 / row["q05"])
    spread = ("from single claims, so no range" if row["no_range"] else
              f"90% of draws: {narrative.times(band[0])} to {narrative.times(band[1])}")
    return f"{lead} had about {narrative.times(factor)} the other side's artillery supply in {int(row['year'])} ({spread})"


def ammunition_bottom_line(result: AmmunitionResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The answer to "does the Russian side out-supply the West?" for the last observed year, with
    its range, a likelihood word on the ICD 203 scale and what would change it (`link`: how a
    number links to its claims; `narrative.link` for HTML, a plain function for the deck)."""
    year = result.last_year
    totals = result.totals.set_index(["year", "side"])
    russia, west = totals.loc[(year, "russia")], totals.loc[(year, "west")]
    ratio = result.ratio.set_index("year").loc[year]
    ids = figures.id_list(russia["claim_ids"], west["claim_ids"])
    p = float(ratio["p_above_1"])
    word = narrative.likelihood(p)
    band = ("(from single claims: no range)" if ratio["no_range"] else
            f"(90% of draws {narrative.times(ratio['q05'])} to {narrative.times(ratio['q95'])})")
    names = actor_names(claims)
    supply = result.supply[result.supply["year"] == year].set_index("actor")
    caveats = [f"{names[a]}'s figure is only {'a cap' if supply.at[a, 'basis'] == 'upper bounds only' else 'a floor'}"
               for a in supply.index if supply.at[a, "basis"] not in ("", "claims")]
    caveats += [f"{names[a]} is counted by its capacity, not its output" for a in supply.index
                if metric_natures(claims).get(supply.at[a, "metric"]) == "capacity"]
    widest = (supply["high"] - supply["low"]).idxmax()
    spread = link(narrative.span(supply.at[widest, "low"], supply.at[widest, "high"]), claims,
                  figures.id_list(supply.at[widest, "claim_ids"]))
    change = (f"What would change it: {names[widest]}'s {METRIC_WORDS.get(supply.at[widest, 'metric'], 'supply')}, the widest "
              f"range ({spread} rounds a year)" + (f"; {'; '.join(caveats)}" if caveats else "") + ".")
    return (f"**Bottom line.** In {year} the Russian side {'had more' if ratio['q50'] >= 1 else 'had less'} artillery "
            f"ammunition than the Western side: about {link(narrative.times(ratio['q50']), claims, ids)} as much {band}. "
            f"It is {word} ({narrative.share(p)} of draws) that Russia's side out-supplied the West that year. "
            f"Russian side about {link(narrative.count(russia['central']), claims, figures.id_list(russia['claim_ids']))} "
            f"rounds ({narrative.span(russia['low'], russia['high'])}), Western side about "
            f"{link(narrative.count(west['central']), claims, figures.id_list(west['claim_ids']))} "
            f"({narrative.span(west['low'], west['high'])}). {change}")


def ammunition_charts(result: AmmunitionResult, claims: pd.DataFrame) -> dict:
    """name -> Figure for the ammunition report (and the briefing)."""
    from sustainment import plotting

    year = result.last_year
    totals = result.totals.set_index(["year", "side"])
    russia, west = totals.loc[(year, "russia"), "central"], totals.loc[(year, "west"), "central"]
    ratio_row = result.ratio.set_index("year").loc[year].rename(None)
    ratio_row["year"] = year
    balance = result.balance.set_index(["year", "side"])
    fired = balance.loc[(year, "russia"), "central_fired"] if (year, "russia") in balance.index else np.nan
    supply_ids = figures.id_list(result.totals["claim_ids"])
    path_r, path_w = result.paths["russia"].iloc[-1], result.paths["west"].iloc[-1]
    return {
        "ammunition_supply_by_side": plotting.supply_by_side(
            result.totals, claims,
            f"Russian-side supply of about {narrative.count(russia)} rounds in {year}, against "
            f"{narrative.count(west)} on the Western side"),
        "ammunition_ratio": plotting.ratio_band(result.ratio, claims, supply_ids, _ratio_sentence(ratio_row),
                                                claimed=result.claimed_ratio),
        "ammunition_supply_vs_fire": plotting.supply_vs_fire(
            result.balance, claims, figures.id_list(supply_ids, result.fired["claim_ids"]),
            f"Russia fired about {narrative.count(fired)} rounds in {year}, against a supply of "
            f"{narrative.count(russia)}"),
        "ammunition_projection": plotting.projection(
            result.totals, result.paths, result.trends, claims,
            figures.id_list(supply_ids, result.targets["id"]),
            f"By {result.horizon_year} the scenario puts Russia's side at {narrative.count(path_r['central'])} and the "
            f"Western side at {narrative.count(path_w['central'])} rounds a year"),
    }


# --- recruitment vs losses ------------------------------------------------------------------

LOSS_PATHS = ("trend", "flat", "growth")
TREND_START = "2023-01"  # the loss-rate trend is fitted from here: the war's second year, after the 2022 swings
PAIR_DAYS = 7  # claims of one statement made days apart still pair (a killed figure and its total)


@dataclass
class RecruitmentResult:
    as_of: pd.Timestamp
    start_month: str
    horizon: int
    ua_rates: pd.DataFrame
    calibration: pd.DataFrame
    factor: Range
    losses: Range
    loss_path: str
    loss_growth: Range
    loss_trend: pd.DataFrame
    recruits: figures.Estimate
    killed_share: pd.DataFrame
    killed: Range
    permanent_evidence: pd.DataFrame
    permanent_share: Range
    permanent_basis: str
    exits: pd.DataFrame
    other_exits: Range
    inputs: Manpower
    deterministic: pd.DataFrame
    monte_carlo: pd.DataFrame
    tornado: pd.DataFrame
    break_even: Range
    loss_claims: pd.DataFrame
    recruit_claims: pd.DataFrame
    rate_check: pd.DataFrame
    ua_ids: list[str]
    one_off_ids: list[str]

    @property
    def loss_ids(self) -> list[str]:
        """The claims behind the loss rate: the Ukrainian series and the Western estimates that rescale it."""
        return figures.id_list(self.ua_ids, self.calibration["id"])

    @property
    def share_ids(self) -> list[str]:
        """The claims behind the permanent-loss share."""
        return figures.id_list(self.killed_share["claim_ids"], self.permanent_evidence["claim_ids"])

    @property
    def claim_ids(self) -> list[str]:
        """Every claim the model's inputs came from."""
        return figures.id_list(self.loss_ids, self.share_ids, self.exits["claim_ids"], self.recruits.claim_ids,
                               self.one_off_ids)


def _speaker(claims: pd.DataFrame) -> pd.Series:
    """The claimant's first word ("UK", "CSIS", "NATO"): enough to tell one update from another
    within days of each other."""
    return claims["claimant"].str.split().str[0].str.lower()


def _pairs(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Rows of `first` and `second` (suffixes _1, _2) from one statement or update: the same source,
    or the same speaker, with period ends at most PAIR_DAYS apart."""
    pairs = first.assign(speaker=_speaker(first)).merge(second.assign(speaker=_speaker(second)), how="cross",
                                                         suffixes=("_1", "_2"))
    close = (pairs["period_end_1"] - pairs["period_end_2"]).abs() <= pd.Timedelta(days=PAIR_DAYS)
    same = (pairs["source_id_1"] == pairs["source_id_2"]) | (pairs["speaker_1"] == pairs["speaker_2"])
    return pairs[close & same]


def killed_share(claims: pd.DataFrame, as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Evidence on killed / (killed + wounded) for Russia: a killed and a killed-or-wounded total
    from one statement (see `_pairs`), and stated wounded-per-killed ratios
    (share = 1 / (1 + ratio)). Columns: evidence, date, share, claim_ids, source_ids."""
    killed = figures.select(claims, metric="casualties_killed", actor="RU", as_of=as_of, min_confidence=min_confidence)
    both = figures.select(claims, metric="casualties_killed_wounded", actor="RU", as_of=as_of, min_confidence=min_confidence)
    pairs = _pairs(killed, both)
    ratios = figures.select(claims, metric="wounded_per_killed_ratio", actor="RU", as_of=as_of, min_confidence=min_confidence)
    rows = [("killed and killed-or-wounded in one statement", p.period_end_1, p.canonical_value_1 / p.canonical_value_2,
             f"{p.id_1};{p.id_2}", ";".join(sorted({p.source_id_1, p.source_id_2}))) for p in pairs.itertuples()]
    rows += [("wounded per killed", r.period_end, 1 / (1 + r.canonical_value), r.id, r.source_id) for r in ratios.itertuples()]
    return pd.DataFrame(rows, columns=["evidence", "date", "share", "claim_ids", "source_ids"]).sort_values("date", kind="stable")


def permanent_share_evidence(claims: pd.DataFrame, as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Permanent losses (killed, missing, irrevocably wounded) as a share of killed-or-wounded,
    where one statement gives both (see `_pairs`): columns date, low, share, high, claim_ids, source_ids."""
    lost = figures.select(claims, metric="casualties_irrecoverable", actor="RU", as_of=as_of, min_confidence=min_confidence)
    both = figures.select(claims, metric="casualties_killed_wounded", actor="RU", as_of=as_of, min_confidence=min_confidence)
    pairs = _pairs(lost, both)
    rows = [(p.period_end_1, p.canonical_low_1 / p.canonical_value_2 if p.canonical_low_1 == p.canonical_low_1 else
             p.canonical_value_1 / p.canonical_value_2, p.canonical_value_1 / p.canonical_value_2,
             p.canonical_high_1 / p.canonical_value_2 if p.canonical_high_1 == p.canonical_high_1 else
             p.canonical_value_1 / p.canonical_value_2, f"{p.id_1};{p.id_2}", ";".join(sorted({p.source_id_1, p.source_id_2})))
            for p in pairs.itertuples()]
    return pd.DataFrame(rows, columns=["date", "low", "share", "high", "claim_ids", "source_ids"])


def exits_evidence(claims: pd.DataFrame, window: tuple[str, str], recruits: float, as_of,
                   min_confidence: str | None = None) -> pd.DataFrame:
    """Exits other than death and wounds, persons a month, from claims in the window: soldiers
    taken prisoner, and desertion (court cases are a floor; leaked rosters and shares of the
    intake give higher readings). Columns: exit, evidence, rate, claim_ids."""
    found = figures.select(claims, actor="RU", period=window, as_of=as_of, min_confidence=min_confidence,
                           metric=["captured_pow_rate", "desertion_prosecutions_rate", "desertion_share"])
    rows = []
    for row in found.itertuples():
        if row.metric == "desertion_share":
            rows.append(("desertion", f"{row.claimant}: share of the intake that deserts, x recruitment",
                         row.canonical_value * recruits, row.id))
        else:
            what = "prisoners taken" if row.metric == "captured_pow_rate" else "desertion"
            rows.append((what, f"{row.claimant}: {row.scope}", row.canonical_value, row.id))
    return pd.DataFrame(rows, columns=["exit", "evidence", "rate", "claim_ids"])


def _exits_range(exits: pd.DataFrame) -> Range:
    """Other exits as a Range: per kind of exit, the lowest, median and highest reading, summed."""
    if exits.empty:
        return Range.exact(0.0)
    by_kind = exits.groupby("exit")["rate"].agg(["min", "median", "max"]).sum()
    return Range(float(by_kind["min"]), float(by_kind["median"]), float(by_kind["max"]))


def rate_check(claims: pd.DataFrame, rates: pd.DataFrame, factor: Range, killed: Range, window: tuple[str, str],
               as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Western killed and killed-or-wounded rate claims in the window against the model's losses
    over the same months (the Ukrainian series rescaled by the calibration factor; killed = that x
    the killed share): claim, model and the claim's gap to it."""
    found = figures.select(claims, metric=["casualties_killed_wounded_rate", "casualties_killed_rate"], actor="RU",
                           period=window, as_of=as_of, min_confidence=min_confidence)
    found = found[~ua_general_staff.relays(found)]
    rows = []
    for row in found.itertuples():
        months = pd.period_range(row.period_start.to_period("M"), row.period_end.to_period("M"), freq="M")
        model = float(rates.loc[rates.index.isin(months), "rate"].mean() * factor.central)
        is_killed = row.metric == "casualties_killed_rate"
        if is_killed:
            model *= killed.central
        rows.append({"id": row.id, "claimant": row.claimant, "what": "killed" if is_killed else "killed or wounded",
                     "from": row.period_start, "to": row.period_end, "claimed": row.canonical_value,
                     "bound": row.bound, "model": model, "gap": row.canonical_value / model - 1 if model > 0 else np.nan})
    return pd.DataFrame(rows, columns=["id", "claimant", "what", "from", "to", "claimed", "bound", "model", "gap"])


def _range_of(values: pd.Series, parameter: str) -> Range:
    if values.empty:
        raise ValueError(f"{parameter}: no matching claims")
    return Range(float(values.min()), float(values.median()), float(values.max()))


def recruitment_window(as_of: pd.Timestamp, months: int) -> tuple[str, str]:
    """The `months` before `as_of` (both days included), as ISO dates."""
    start = as_of - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    return start.strftime("%Y-%m-%d"), as_of.strftime("%Y-%m-%d")


def recruitment_analysis(claims: pd.DataFrame, *, as_of: str = "", policy: str = "central", min_confidence: str = "low",
                         window_months: int = WINDOW_MONTHS, horizon: int = 36, losses_path: str = "trend",
                         loss_growth: float = 0.0, wounded_not_returning: float = 0.3,
                         wounded_not_returning_spread: float = 0.15, recruit_change: float = 0.0,
                         mobilization_claim: str = "", mobilization_month: int = 6, foreign_troops_claim: str = "",
                         foreign_troops_month: int = 1, n_draws: int = 20_000, seed: int = 0) -> RecruitmentResult:
    """Losses (the Ukrainian General Staff's monthly rates rescaled to Western estimates, from
    the level of their fitted trend in the first modelled month, then following that trend with
    its 90% interval (`losses_path` "trend"), flat, or growing at `loss_growth` a year),
    recruitment (claims in the window before as_of), the permanent-loss share (from claims that
    give permanent losses and their total where any exist, else the killed share from paired
    claims + an assumed share of wounded who never return) and other exits (prisoners, desertion:
    claims in the window), then the stock-flow model, its Monte Carlo, tornado and break-even."""
    if losses_path not in LOSS_PATHS:
        raise ValueError(f"losses_path: expected one of {list(LOSS_PATHS)}, got {losses_path!r}")
    when = as_of_date(claims, as_of)
    window = recruitment_window(when, window_months)
    ua = figures.select(claims, metric="casualties_killed_wounded_claimed_ua", source_id=UA_SOURCE, as_of=when)
    cumulative = pd.Series(ua["canonical_value"].to_numpy(), index=pd.DatetimeIndex(ua["period_end"]))
    rates = trends.monthly_rates(cumulative)
    western = figures.select(claims, metric="casualties_killed_wounded", actor="RU", as_of=when, min_confidence=min_confidence)
    western = western[~ua_general_staff.relays(western)]  # a relay of the claimed series would calibrate it against itself
    calibration = trends.calibration(cumulative, western[["period_end", "canonical_value", "id"]].set_axis(["date", "value", "id"], axis=1))
    calibration["source_id"] = calibration["id"].map(western.set_index("id")["source_id"])
    calibration["claim_ids"] = calibration["id"]
    factor = _range_of(calibration["factor"], "calibration")
    start = (when + pd.offsets.MonthBegin(1)).to_period("M")
    fitted = rates[rates.index >= pd.Period(TREND_START, "M")]
    if len(fitted) < 3:
        raise ValueError(f"as_of: the loss trend needs three months of Ukrainian General Staff readings from {TREND_START}")
    loss_trend = trends.loss_rate_trend(fitted, horizon + (start - fitted.index[-1]).n)
    level = float(loss_trend.loc[start, "mean"])
    losses = Range(level * factor.low, level * factor.central, level * factor.high)
    loss_trend[["mean", "lower_80", "upper_80", "lower_95", "upper_95", "observed"]] *= factor.central
    growth = {"trend": trends.yearly_growth(loss_trend), "flat": Range.exact(0.0),
              "growth": Range.exact(loss_growth)}[losses_path]

    found = figures.estimate(claims, "recruits", "RU", window, policy=policy, as_of=when, min_confidence=min_confidence)
    recruits = Range(found.low, found.central, found.high).scaled(1 + recruit_change)

    shares = killed_share(claims, when, min_confidence)
    killed = _range_of(shares["share"], "killed share")
    evidence = permanent_share_evidence(claims, when, min_confidence)
    if len(evidence):
        permanent = Range(float(evidence["low"].min()), float(evidence["share"].median()), float(evidence["high"].max()))
        basis = "claims"
    else:
        low_w = max(0.0, wounded_not_returning - wounded_not_returning_spread)
        high_w = min(1.0, wounded_not_returning + wounded_not_returning_spread)
        permanent = Range(killed.low + (1 - killed.low) * low_w, killed.central + (1 - killed.central) * wounded_not_returning,
                          killed.high + (1 - killed.high) * high_w)
        basis = "assumption"
    exits = exits_evidence(claims, window, recruits.central, when, min_confidence)

    index = manpower.months(str(start), horizon)
    one_offs, ids = {}, []
    for claim_id, month, parameter in ((mobilization_claim, mobilization_month, "mobilization_claim"),
                                       (foreign_troops_claim, foreign_troops_month, "foreign_troops_claim")):
        if not claim_id:
            one_offs[parameter] = {}
            continue
        if not 1 <= month <= horizon:
            raise ValueError(f"{parameter.replace('claim', 'month')}: must be within 1..{horizon}, got {month}")
        row = claim(claims, claim_id, parameter, when)
        one_offs[parameter] = {str(index[month - 1]): float(row["canonical_value"])}
        ids.append(row["id"])
    inputs = Manpower(recruits=recruits, losses=losses, permanent_loss_share=permanent, other_exits=_exits_range(exits),
                      mobilization=one_offs["mobilization_claim"], foreign_troops=one_offs["foreign_troops_claim"],
                      loss_growth=growth)
    break_even = Range(*sorted(manpower.break_even_losses(recruits.central, s, inputs.other_exits.central) for s in
                               (permanent.high, permanent.central, permanent.low)))
    return RecruitmentResult(
        when, str(start), horizon, rates, calibration, factor, losses, losses_path, growth, loss_trend, found, shares,
        killed, evidence, permanent, basis, exits, inputs.other_exits, inputs,
        manpower.stock_flow(inputs, str(start), horizon), manpower.monte_carlo(inputs, str(start), horizon, n_draws, seed),
        manpower.tornado(inputs, str(start), horizon), break_even,
        figures.select(claims, metric=["casualties_killed_wounded_rate", "casualties_killed_rate"], actor="RU", as_of=when,
                       min_confidence=min_confidence, period=window),
        figures.select(claims, metric="recruits", actor="RU", as_of=when, min_confidence=min_confidence),
        rate_check(claims, rates, factor, killed, window, when, min_confidence), list(ua["id"]), ids)


PATH_WORDS = {"trend": "following their fitted trend", "flat": "held flat", "growth": "growing at a set rate"}
INPUT_WORDS = {"recruits": "recruitment", "losses": "the loss rate", "loss_growth": "the growth of losses",
               "permanent_loss_share": "the share of losses that are permanent", "other_exits": "desertion and capture"}


def recruitment_alternatives(result: RecruitmentResult) -> pd.DataFrame:
    """The outcome at the horizon (central inputs, deterministic) when one assumption changes:
    losses held flat instead of the trend (or the reverse), and the killed share implied by the
    Western killed-a-month claims in the window instead of the paired totals. Columns: change,
    value, outcome, claim_ids."""
    from dataclasses import replace

    base = result.inputs.central()
    rows = []
    other_path = "flat" if result.loss_path != "flat" else "trend"
    growth = Range.exact(0.0) if other_path == "flat" else Range.exact(trends.yearly_growth(result.loss_trend).central)
    flows = manpower.stock_flow(replace(base, loss_growth=growth), result.start_month, result.horizon)
    rows.append((f"losses {PATH_WORDS[other_path]}", growth.central, flows["cumulative_net_change"].iloc[-1],
                 ";".join(result.loss_ids)))
    killed_claims = result.rate_check[result.rate_check["what"] == "killed"]
    if len(killed_claims):
        implied = float(np.clip((killed_claims["claimed"] / (killed_claims["model"] / result.killed.central)).median(), 0, 1))
        wounded = (result.permanent_share.central - result.killed.central) / (1 - result.killed.central)
        permanent = implied + (1 - implied) * max(0.0, wounded)
        flows = manpower.stock_flow(replace(base, permanent_loss_share=Range.exact(min(1.0, permanent))),
                                    result.start_month, result.horizon)
        rows.append(("the killed share implied by the Western killed-a-month claims", implied,
                     flows["cumulative_net_change"].iloc[-1], ";".join(killed_claims["id"])))
    return pd.DataFrame(rows, columns=["change", "value", "outcome", "claim_ids"])


def recruitment_bottom_line(result: RecruitmentResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The answer to "can recruitment sustain the losses?" over the horizon, with its range, a
    likelihood word on the ICD 203 scale and the assumptions that would change it."""
    end = result.monte_carlo.iloc[-1]
    p = float(end["p_cumulative_negative"])
    first, last = result.deterministic.iloc[0], result.deterministic.iloc[-1]
    permanent_ids = figures.id_list(result.loss_ids, result.share_ids)
    top = result.tornado.iloc[0]
    alternatives = recruitment_alternatives(result)
    changes = [f"{INPUT_WORDS[top['input']]}, whose range alone moves the outcome from "
               f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
               f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"]
    for row in alternatives.itertuples():
        detail = f" ({narrative.share(row.value)})" if "killed" in row.change else ""
        changes.append(f"with {link(row.change, claims, figures.id_list(row.claim_ids))}{detail}, "
                       f"{narrative.signed(row.outcome)}")
    return (f"**Bottom line.** Over the {result.horizon} months from {result.start_month}, it is "
            f"{narrative.likelihood(p)} ({narrative.share(p)} of draws) that Russia's forces end smaller than they "
            f"start. Recruitment of about {link(narrative.count(result.inputs.recruits.central), claims, result.recruits.claim_ids)} "
            f"a month meets permanent losses and other exits of about "
            f"{link(narrative.count(first['outflow']), claims, permanent_ids)} a month at the start, "
            f"{PATH_WORDS[result.loss_path]} to about {narrative.count(last['outflow'])} by month {result.horizon}. "
            f"Median change: {link(narrative.signed(end['cumulative_q50']), claims, result.claim_ids)} "
            f"(90% of draws {narrative.signed(end['cumulative_q05'])} to {narrative.signed(end['cumulative_q95'])}). "
            f"What would change it: " + "; ".join(changes) + ".")


def recruitment_charts(result: RecruitmentResult, claims: pd.DataFrame, scenario: str) -> dict:
    """name -> Figure for the recruitment report (and the briefing)."""
    from sustainment import plotting

    ids = result.claim_ids
    mc = result.monte_carlo
    end = mc.iloc[-1]
    path = result.loss_trend[["observed", "mean"]].set_axis(result.loss_trend.index.to_timestamp())
    level = path["observed"].fillna(path["mean"])
    required = pd.DataFrame({"low": level * result.permanent_share.low, "high": level * result.permanent_share.high})
    year = min(12, result.horizon)
    top = result.tornado.iloc[0]
    return {
        "recruitment_losses_vs_recruits": plotting.losses_vs_recruits(
            result.loss_claims, path, result.recruit_claims, required, claims, result.loss_ids,
            f"Recruiting about {narrative.count(result.inputs.recruits.central)} a month against permanent losses of "
            f"about {narrative.count(result.deterministic['outflow'].iloc[0])} a month"),
        "recruitment_fan": plotting.fan_chart(
            mc, claims, ids,
            f"Scenario {scenario}: a median change of {narrative.signed(end['cumulative_q50'])} over {result.horizon} months; "
            f"{narrative.likelihood(end['p_cumulative_negative'])} ({narrative.share(end['p_cumulative_negative'])}) that the "
            f"force ends smaller"),
        "recruitment_tornado": plotting.tornado_chart(
            result.tornado, claims, ids,
            f"{INPUT_WORDS[top['input']].capitalize()} moves the {result.horizon}-month outcome most: "
            f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
            f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"),
        "recruitment_decline_probability": plotting.decline_probability(
            mc, claims, ids,
            f"Chance that the force is smaller than at the start: {narrative.share(mc['p_cumulative_negative'].iloc[year - 1])} "
            f"after {year} months, {narrative.share(end['p_cumulative_negative'])} after {result.horizon}"),
    }

# --- tables for readers ---------------------------------------------------------------------

METRIC_WORDS = {"shells_produced": "output", "shells_production_capacity": "capacity", "shells_delivered": "deliveries",
                "shells_fired": "rounds fired"}
BASIS_WORDS = {"claims": "", "upper bounds only": "caps only", "lower bounds only": "floors only",
               "bounds only": "caps and floors only"}
SIDE_WORDS = {"russia": "Russian side", "west": "Western side"}
UNIT_WORDS = {"rounds/year": "rounds a year", "persons/month": "persons a month", "persons": "persons", "ratio": "ratio",
              "share": "share"}


def actor_names(claims: pd.DataFrame) -> dict[str, str]:
    """actor code -> name, as actors.csv says."""
    return claims.drop_duplicates("actor").set_index("actor")["actor_name"].to_dict()


def _linked(claims: pd.DataFrame, text_of, ids_column: str = "claim_ids"):
    """A table formatter: the cell's text (`text_of(row)`) linked to the claims in the row's `ids_column`."""
    return lambda _value, row: narrative.link(text_of(row), claims, figures.id_list(row[ids_column]))


def supply_table(result: AmmunitionResult, claims: pd.DataFrame) -> str:
    """Each side's components per year: what measured them, the estimate and its range, how it was made."""
    names = actor_names(claims)
    rows = result.supply.assign(
        who=result.supply["actor"].map(names), measure=result.supply["metric"].map(METRIC_WORDS),
        how=[", ".join(x for x in (BASIS_WORDS.get(b, ""), "" if s == "estimated" else s,
                                   f"counted from {a}" if a else "") if x)
             for b, s, a in zip(result.supply["basis"], result.supply["status"], result.supply["active_from"])])
    return narrative.table(
        rows, {"year": "Year", "side": "Side", "who": "Supplier", "measure": "Measured by", "central": "Rounds a year",
               "low": "Range", "how": "Notes"},
        {"year": lambda v, _r: str(v), "side": lambda v, _r: SIDE_WORDS[v],
         "central": _linked(claims, lambda r: narrative.count(r["central"])) ,
         "low": lambda _v, r: narrative.span(r["low"], r["high"]) if r["low"] == r["low"] else narrative.DASH,
         "measure": lambda v, _r: v if isinstance(v, str) else narrative.DASH},
        missing_note="no claim for that supplier and year (counted as zero)")


def ratio_table(result: AmmunitionResult) -> str:
    """The Russia : West ratio per year: median, 90% of draws (or 'one claim per component'), likelihood."""
    return narrative.table(
        result.ratio, {"year": "Year", "q50": "Russia : West (median)", "q05": "90% of draws",
                       "p_above_1": "Russian side ahead"},
        {"year": lambda v, _r: str(v), "q50": lambda v, _r: narrative.times(v),
         "q05": lambda _v, r: ("from single claims: no range" if r["no_range"] else
                               narrative.span(r["q05"], r["q95"], narrative.times)),
         "p_above_1": lambda v, _r: f"{narrative.likelihood(v)} ({narrative.share(v)} of draws)"})


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
    """Each side's log-linear trend as a yearly growth rate; the intervals of three-point fits are not shown."""
    parts = [f"{SIDE_WORDS[side]} {narrative.share(trend.attrs['growth_per_step'])} a year"
             for side, trend in sorted(result.trends.items())]
    return ("Dotted lines: a log-linear trend of each side's estimated supply (" + "; ".join(parts) + "). With one point "
            "a year, its prediction interval spans more than any plausible output, so it is not drawn: the trend says "
            "where the estimates point, not where output will be.") if parts else ""


def recruitment_inputs_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The model's inputs, each with its range, where it comes from and the claims behind it."""
    r = result
    rows = pd.DataFrame([
        ("Contract recruits a month", narrative.count(r.inputs.recruits.central),
         narrative.span(r.inputs.recruits.low, r.inputs.recruits.high),
         f"claims in the window to {r.as_of:%Y-%m-%d}", ";".join(r.recruits.claim_ids)),
        ("Killed and wounded a month, first modelled month", narrative.count(r.losses.central),
         narrative.span(r.losses.low, r.losses.high),
         "Ukrainian General Staff's monthly rates (fitted trend) x Western estimates / its totals", ";".join(r.loss_ids)),
        ("Growth of losses a year", narrative.share(r.loss_growth.central),
         narrative.span(r.loss_growth.low, r.loss_growth.high, narrative.share),
         {"trend": "the trend's slope, 90% confidence interval", "flat": "held flat (scenario)",
          "growth": "set by the scenario"}[r.loss_path], ";".join(r.loss_ids) if r.loss_path == "trend" else ""),
        ("Share of losses that are permanent", narrative.share(r.permanent_share.central),
         narrative.span(r.permanent_share.low, r.permanent_share.high, narrative.share),
         "claims giving permanent losses and their total" if r.permanent_basis == "claims" else
         "killed share from claims + assumed share of wounded who never return", ";".join(r.share_ids)),
        ("Other exits a month (prisoners, desertion)", narrative.count(r.other_exits.central),
         narrative.span(r.other_exits.low, r.other_exits.high), "claims in the window" if len(r.exits) else "no claim: none",
         ";".join(r.exits["claim_ids"])),
    ], columns=["input", "central", "range", "basis", "claim_ids"])
    return narrative.table(rows, {"input": "Input", "central": "Central", "range": "Range", "basis": "From"},
                           {"central": _linked(claims, lambda row: row["central"])})


def rate_check_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Western killed and killed-or-wounded rate claims in the window against the model's losses."""
    if result.rate_check.empty:
        return "<p>No Western rate claim in the window.</p>"
    return narrative.table(
        result.rate_check, {"claimant": "Claimant", "what": "Counts", "from": "Period", "claimed": "Claimed a month",
                            "model": "Model a month", "gap": "Claim vs model"},
        {"from": lambda _v, r: f"{r['from']:%Y-%m-%d}" + ("" if r["from"] == r["to"] else f" to {r['to']:%Y-%m-%d}"),
         "claimed": lambda v, r: narrative.link(narrative.stated(round(v)), claims, [r["id"]]),
         "model": lambda v, _r: narrative.count(v), "gap": lambda v, _r: f"{v:+.0%}"})


def evidence_table(frame: pd.DataFrame, claims: pd.DataFrame, columns: dict[str, str]) -> str:
    """A table of evidence rows (each with `claim_ids`), shares as percentages, rates as counts, dates as days."""
    formats = {}
    for name in columns:
        if name in ("share", "low", "high"):
            formats[name] = lambda v, _r: narrative.share(v)
        elif name == "rate":
            formats[name] = lambda v, _r: narrative.count(v)
        elif name == "date":
            formats[name] = lambda v, _r: f"{v:%Y-%m-%d}"
    formats["claim_ids"] = lambda v, _r: narrative.link(f"{len(figures.id_list(v))} claim(s)", claims, figures.id_list(v))
    return narrative.table(frame, {**columns, "claim_ids": "Claims"}, formats)


def monte_carlo_table(result: RecruitmentResult) -> str:
    """The Monte Carlo at the first month, a year in and the horizon: change in the force and chances."""
    rows = result.monte_carlo.iloc[[0, 11, -1] if result.horizon > 12 else [0, -1]].reset_index()
    return narrative.table(
        rows, {"month": "Month", "cumulative_q50": "Change since the start (median)", "cumulative_q05": "90% of draws",
               "p_net_negative": "Shrinks that month", "p_cumulative_negative": "Smaller than at the start"},
        {"month": lambda v, _r: str(v), "cumulative_q50": lambda v, _r: narrative.signed(v),
         "cumulative_q05": lambda _v, r: f"{narrative.signed(r['cumulative_q05'])} to {narrative.signed(r['cumulative_q95'])}",
         "p_net_negative": lambda v, _r: narrative.share(v), "p_cumulative_negative": lambda v, _r: narrative.share(v)})


def alternatives_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The tornado's inputs and the alternative assumptions, with the outcome each gives."""
    tornado = result.tornado.assign(change=[f"{INPUT_WORDS[i]} from its low to its high end" for i in result.tornado["input"]],
                                    outcome=[f"{narrative.signed(lo)} to {narrative.signed(hi)}" for lo, hi in
                                             zip(result.tornado["outcome_at_low"], result.tornado["outcome_at_high"])],
                                    claim_ids="")
    alternatives = recruitment_alternatives(result)
    alternatives = alternatives.assign(outcome=[narrative.signed(o) for o in alternatives["outcome"]])
    rows = pd.concat([tornado[["change", "outcome", "claim_ids"]], alternatives[["change", "outcome", "claim_ids"]]])
    return narrative.table(rows, {"change": "If", "outcome": f"Change after {result.horizon} months"},
                           {"change": lambda v, r: narrative.link(v, claims, figures.id_list(r["claim_ids"]))})


def claims_table(selection: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Claims as stated: claimant, number with its unit, period, quote; each linked to its entry."""
    return narrative.table(
        selection, {"claimant": "Claimant", "value": "Stated", "period_end": "Period", "quote": "Quote"},
        {"value": lambda v, r: narrative.link(f"{narrative.stated(v)} {r['unit']}", claims, [r["id"]]),
         "period_end": lambda _v, r: f"{r['period_start']:%Y-%m-%d} to {r['period_end']:%Y-%m-%d}"})


def plain(text: str, _claims: pd.DataFrame, _claim_ids) -> str:
    """A `link` that links nothing: bottom lines for the deck, which carries its claims in notes."""
    return text


def likelihood_note() -> str:
    """The likelihood scale the bottom lines use, as a sentence."""
    scale = narrative.likelihood_table()
    return ("Likelihood words follow " + narrative.LIKELIHOOD_SOURCE + ": "
            + "; ".join(f"{t} {p}" for t, p in zip(scale["term"], scale["probability"])) + ".")


# --- headline numbers and the audit of claims ----------------------------------------------

def _accepted(function, parameters: dict) -> dict:
    """The `parameters` that `function` takes as keywords."""
    import inspect

    return {k: v for k, v in parameters.items() if k in inspect.signature(function).parameters}


def briefing_charts(claims: pd.DataFrame, parameters: dict) -> dict:
    """The charts of the briefing for one set of notebook parameters (as the manifest records
    them): the ammunition and recruitment charts, computed again from the claims."""
    ammunition = ammunition_analysis(claims, **_accepted(ammunition_analysis, parameters))
    recruitment = recruitment_analysis(claims, **_accepted(recruitment_analysis, parameters))
    return {**ammunition_charts(ammunition, claims), **recruitment_charts(recruitment, claims, parameters["scenario"])}


def preflight(claims: pd.DataFrame, parameters: dict) -> str:
    """Run the analyses a notebook's parameters reach, with few draws, before any kernel: the
    first problem as one line (an input with no claim public by as_of, years out of order), or ""."""
    cheap = {**parameters, "n_draws": 100}
    try:
        ammunition_analysis(claims, **_accepted(ammunition_analysis, cheap))
        recruitment_analysis(claims, **_accepted(recruitment_analysis, cheap))
    except (ValueError, LookupError) as err:
        return f"as_of {parameters.get('as_of') or 'latest'}: {str(err).splitlines()[0]}"
    return ""


def headline_numbers(claims: pd.DataFrame, ammunition_result: AmmunitionResult,
                     recruitment_result: RecruitmentResult) -> pd.DataFrame:
    """The key numbers of the briefing, each with its range and the claims (and sources) that fed it."""
    year = ammunition_result.last_year
    totals = ammunition_result.totals.set_index(["year", "side"])
    ratio = ammunition_result.ratio.set_index("year").loc[year]
    r = recruitment_result
    end = r.monte_carlo.iloc[-1]
    rows = [
        *((f"{label} artillery supply, {year}", Range(*totals.loc[(year, side), ["low", "central", "high"]]), "rounds/year",
           [totals.loc[(year, side), "claim_ids"]]) for side, label in (("russia", "Russian-side"), ("west", "Western-side"))),
        (f"Supply ratio Russia : West, {year} (90% of draws)", Range(ratio["q05"], ratio["q50"], ratio["q95"]), "ratio",
         list(ammunition_result.totals.loc[ammunition_result.totals["year"] == year, "claim_ids"])),
        ("Russian contract recruits a month", r.inputs.recruits, "persons/month", r.recruits.claim_ids),
        ("Russian killed and wounded a month, first modelled month", r.losses, "persons/month", r.loss_ids),
        ("Share of losses that are permanent (killed, missing, never returning)", r.permanent_share, "share", r.share_ids),
        ("Other exits a month (prisoners, desertion)", r.other_exits, "persons/month", r.exits["claim_ids"]),
        ("Break-even killed and wounded a month at the central recruitment", r.break_even, "persons/month",
         figures.id_list(r.recruits.claim_ids, r.share_ids)),
        (f"Change in Russian personnel after {r.horizon} months (90% of draws)",
         Range(end["cumulative_q05"], end["cumulative_q50"], end["cumulative_q95"]), "persons", r.claim_ids),
        (f"Chance the force is smaller after {r.horizon} months", Range.exact(end["p_cumulative_negative"]), "share",
         r.claim_ids),
    ]
    table = []
    for label, value, unit, claim_ids in rows:
        ids = figures.id_list(claim_ids)
        sources = sorted(set(claims.loc[claims["id"].isin(ids), "source_id"]))
        table.append({"number": label, "low": value.low, "central": value.central, "high": value.high, "unit": unit,
                      "claim_ids": ";".join(ids), "source_ids": ";".join(sources)})
    return pd.DataFrame(table)


def key_numbers_table(key_numbers: pd.DataFrame, claims: pd.DataFrame) -> str:
    """The key numbers for readers: each central figure linked to its claims, its range, its unit."""
    return narrative.table(
        key_numbers, {"number": "Key number", "central": "Central", "low": "Range", "unit": "Unit"},
        {"central": _linked(claims, lambda r: narrative.signed(r["central"]) if r["unit"] == "persons"
                            else narrative.by_unit(r["central"], r["unit"])),
         "low": lambda _v, r: (narrative.DASH if r["low"] == r["high"] else narrative.span_by_unit(r["low"], r["high"], r["unit"])),
         "unit": lambda v, _r: UNIT_WORDS.get(v, v)})


def report_header(claims: pd.DataFrame, scenario: str, as_of: pd.Timestamp, policy: str) -> str:
    """The line every report opens with (HTML, with the reports' style): scenario, the date claims
    were public by, the data vintage (the latest claim in data/) and the estimate policy."""
    return (f"{narrative.STYLE}<p><b>Scenario</b> <code>{html.escape(scenario)}</code> · <b>claims public by</b> "
            f"{as_of:%Y-%m-%d} · <b>data vintage</b> {claims['known_from'].max():%Y-%m-%d} (the latest claim in data/) · "
            f"<b>estimate policy</b> {html.escape(policy)}</p>")


def headline_inputs(claims: pd.DataFrame, as_of: str = "") -> pd.DataFrame:
    """The estimates the headline numbers rest on (each supply component per year, recruitment
    over the default window), with the claims that set their central values: `estimate`, `central_ids`."""
    when = as_of_date(claims, as_of)
    supply = ammo.annual_supply(claims, range(FIRST_YEAR, latest_supply_year(claims, when) + 1), as_of=when,
                                carry_forward=False)
    rows = [(f"{r.metric} / {r.actor} {r.year}", r.central_ids) for r in supply.itertuples() if r.status == "estimated"]
    window = recruitment_window(when, WINDOW_MONTHS)
    found = figures.estimate(claims, "recruits", "RU", window, as_of=when)
    rows.append((f"recruits / RU {window[0]}..{window[1]}", ";".join(found.central_ids)))
    return pd.DataFrame(rows, columns=["estimate", "central_ids"])


def seed_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims curated from the seed article (their scope says so), in data order."""
    return claims[claims["scope"].str.contains("seed article", case=False, regex=False)].sort_values("id")


def disagreement(claims: pd.DataFrame, as_of, min_claims: int = 2) -> pd.DataFrame:
    """How far claims for the same thing are apart (max / min): flows and stocks grouped by the
    year of period_end, cumulative totals by its month (totals grow: only near-simultaneous
    claims are comparable)."""
    known = figures.select(claims, as_of=as_of)
    known = known[known["canonical_value"] > 0]
    period = known["period_end"].dt.strftime("%Y").where(known["kind"] != "cumulative", known["period_end"].dt.strftime("%Y-%m"))
    table = known.assign(period=period).groupby(["metric", "actor", "period"]).agg(
        claims=("id", "size"), claimants=("claimant", "nunique"), low=("canonical_value", "min"),
        median=("canonical_value", "median"), high=("canonical_value", "max"), unit=("canonical_unit", "first"))
    table["spread"] = table["high"] / table["low"]
    return table[table["claims"] >= min_claims].sort_values(["spread", "metric"], ascending=[False, True]).reset_index()


def stale(claims: pd.DataFrame, as_of, months: int) -> pd.DataFrame:
    """Per metric and actor: the newest claim, and whether it is older than `months` at as_of."""
    when = as_of_date(claims, as_of) if isinstance(as_of, str) else as_of
    known = figures.select(claims, as_of=when)
    newest = known.sort_values(["known_from", "id"]).groupby(["metric", "actor"]).tail(1)
    table = newest[["metric", "actor", "id", "known_from", "claimant"]].copy()
    table["months_old"] = ((when - table["known_from"]).dt.days / (365.25 / 12)).round(1)
    table["stale"] = table["months_old"] > months
    return table.sort_values(["stale", "months_old"], ascending=[False, False]).reset_index(drop=True)


ORDERED_SERIES = (  # (lower, upper): totals since the invasion that should not cross
    ("deaths_confirmed", "deaths_estimated"), ("deaths_confirmed", "casualties_killed"),
    ("deaths_confirmed", "casualties_killed_wounded"),
    ("deaths_estimated", "casualties_killed_wounded"), ("casualties_killed", "casualties_killed_wounded"),
)
CROSS_DAYS = 92  # a later total within this many days of an earlier one should not be smaller


def crosscheck(claims: pd.DataFrame, as_of, days: int = CROSS_DAYS) -> pd.DataFrame:
    """Russian totals that should bound each other (named deaths <= estimated deaths and killed
    <= killed and wounded): every pair of claims where a total up to `days` later on the upper
    series is smaller than the lower series' claim, i.e. the two cannot both be right. Columns:
    lower, lower_id, lower_date, lower_value, upper, upper_id, upper_date, upper_value, claim_ids."""
    known = figures.select(claims, actor="RU", as_of=as_of)
    rows = []
    for lower, upper in ORDERED_SERIES:
        below, above = known[known["metric"] == lower], known[known["metric"] == upper]
        pairs = below.merge(above, how="cross", suffixes=("_1", "_2"))
        later = (pairs["period_end_2"] >= pairs["period_end_1"]) & (
            pairs["period_end_2"] - pairs["period_end_1"] <= pd.Timedelta(days=days))
        crossed = pairs[later & (pairs["canonical_value_2"] < pairs["canonical_value_1"])]
        rows += [(lower, r.id_1, r.period_end_1, r.canonical_value_1, upper, r.id_2, r.period_end_2, r.canonical_value_2,
                  f"{r.id_1};{r.id_2}") for r in crossed.itertuples()]
    return pd.DataFrame(rows, columns=["lower", "lower_id", "lower_date", "lower_value", "upper", "upper_id", "upper_date",
                                       "upper_value", "claim_ids"])


def crosscheck_table(violations: pd.DataFrame, claims: pd.DataFrame) -> str:
    if violations.empty:
        return "<p>No pair of these series crosses: every floor sits below the later ceilings.</p>"
    return narrative.table(
        violations, {"lower": "Should be lower", "lower_value": "Claimed", "upper": "Than", "upper_value": "Claimed later"},
        {"lower": lambda v, _r: v.replace("_", " "), "upper": lambda v, _r: v.replace("_", " "),
         "lower_value": lambda v, r: narrative.link(f"{narrative.stated(v)} ({r['lower_date']:%Y-%m-%d})", claims, [r["lower_id"]]),
         "upper_value": lambda v, r: narrative.link(f"{narrative.stated(v)} ({r['upper_date']:%Y-%m-%d})", claims, [r["upper_id"]])})


def relay_table(claims: pd.DataFrame, daily_file=None) -> str:
    """Claims that relay the Ukrainian General Staff's count (UK updates among them) against its
    own daily series: those more than 5% off."""
    from sustainment import integrity

    found = integrity.ua_disagreements(claims, integrity.ua_series(claims, daily_file))
    if not found:
        return "<p>Every claim relaying the Ukrainian General Staff is within 5% of its daily series.</p>"
    frame = pd.DataFrame({"id": [p.row_id for p in found], "message": [p.message for p in found]})
    return narrative.table(frame, {"id": "Claim", "message": "Against the series"},
                           {"id": lambda v, _r: narrative.link(v, claims, [v])})


AUDITS = {
    "audit_crosscheck": (["deaths_confirmed", "deaths_estimated", "casualties_killed", "casualties_killed_wounded"], "RU",
                         "Russian deaths and casualties since the invasion (persons): named deaths, estimated deaths, "
                         "killed and killed + wounded estimates"),
    "audit_casualties": (["casualties_killed_wounded", "casualties_killed_wounded_claimed_ua"], "RU",
                         "Russian killed + wounded since the invasion (persons): Western estimates vs Ukrainian claims"),
    "audit_recruits": (["recruits"], "RU", "Russian recruits per month, as claimed"),
    "audit_shells_produced": (["shells_produced", "shells_production_capacity"], "RU",
                              "Russian shell output and capacity (rounds/year), as claimed"),
    "audit_shells_fired": (["shells_fired"], "RU", "Rounds fired by Russia per day, as claimed"),
}


def audit_charts(claims: pd.DataFrame, known: pd.DataFrame) -> dict:
    """name -> Figure: each audited series' claims over time, titled with their count and spread."""
    from sustainment import plotting

    charts = {}
    for name, (metrics, actor, subtitle) in AUDITS.items():
        selection = figures.select(known, metric=metrics, actor=actor)
        title = (f"{len(selection)} claims from {selection['claimant'].nunique()} claimants, ranging from "
                 f"{narrative.stated(selection['canonical_value'].min())} to {narrative.stated(selection['canonical_value'].max())}")
        charts[name] = plotting.claims_over_time(claims, selection, title, subtitle)
    return charts


def disagreement_table(table: pd.DataFrame) -> str:
    return narrative.table(table, {"metric": "Metric", "actor": "Actor", "period": "Period", "claims": "Claims",
                                   "claimants": "Claimants", "low": "Lowest", "median": "Median", "high": "Highest",
                                   "spread": "Highest / lowest"},
                           {"metric": lambda v, _r: v.replace("_", " "), "claims": lambda v, _r: str(v),
                            "claimants": lambda v, _r: str(v), "spread": lambda v, _r: narrative.times(v),
                            **{c: (lambda v, r: narrative.stated(round(v, 2))) for c in ("low", "median", "high")}})


def stale_table(table: pd.DataFrame, claims: pd.DataFrame) -> str:
    return narrative.table(table.assign(claim_ids=table["id"]),
                           {"metric": "Metric", "actor": "Actor", "known_from": "Newest claim public", "claimant": "By",
                            "months_old": "Months old", "stale": "Stale"},
                           {"metric": lambda v, _r: v.replace("_", " "),
                            "known_from": lambda v, r: narrative.link(f"{v:%Y-%m-%d}", claims, [r["id"]]),
                            "months_old": lambda v, _r: f"{v:.0f}", "stale": lambda v, _r: "yes" if v else "no"})


def headline_claims_table(key_numbers: pd.DataFrame, claims: pd.DataFrame) -> str:
    return narrative.table(key_numbers, {"number": "Headline number", "claim_ids": "Claims", "source_ids": "Sources"},
                           {"claim_ids": lambda v, _r: narrative.link(f"{len(figures.id_list(v))} claims", claims,
                                                                      figures.id_list(v)),
                            "source_ids": lambda v, _r: str(len(figures.id_list(v)))})


BRIEFING_FILE = "briefing.json"
KEY_NUMBERS_FILE = "key_numbers.csv"


def save_briefing(directory: str, *, scenario: str, as_of: pd.Timestamp, data_vintage: pd.Timestamp, policy: str,
                  charts: list[str], key_numbers: pd.DataFrame, bottom_lines: list[str]) -> None:
    """Write what the briefing pack needs beside the charts: key_numbers.csv and briefing.json
    (scenario, as_of, data vintage, policy, chart order, the bottom lines as plain text). Nothing
    when `directory` is empty."""
    if not directory:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    key_numbers.to_csv(folder / KEY_NUMBERS_FILE, index=False, lineterminator="\n", float_format="%.6g")
    meta = {"scenario": scenario, "as_of": str(as_of.date()), "data_vintage": str(data_vintage.date()), "policy": policy,
            "charts": charts, "bottom_lines": bottom_lines}
    (folder / BRIEFING_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
