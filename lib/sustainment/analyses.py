"""The analyses the notebooks show, as functions of the claims and the notebook's parameters.

Each pipeline returns every table a report needs; `*_charts` turn a result into briefing
charts whose titles state the finding in numbers computed here. Notebooks call these and
add narrative; the briefing calls the same pipelines, so no analysis is written twice.
"""

from __future__ import annotations

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


def claim(claims: pd.DataFrame, claim_id: str, parameter: str) -> pd.Series:
    """One claim by id; ValueError naming the parameter when there is none."""
    found = claims[claims["id"] == claim_id]
    if found.empty:
        raise ValueError(f"{parameter}: no claim with id {claim_id!r} in data/")
    return found.iloc[0]


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
    target_rows = {actor: claim(claims, claim_id, f"{actor.lower()}_target_claim")
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
    return (f"{lead} had about {narrative.times(factor)} the other side's artillery supply in {int(row['year'])} "
            f"(90% of draws: {narrative.times(band[0])} to {narrative.times(band[1])})")


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

@dataclass
class RecruitmentResult:
    as_of: pd.Timestamp
    start_month: str
    horizon: int
    ua_rates: pd.DataFrame
    calibration: pd.DataFrame
    factor: Range
    losses: Range
    loss_trend: pd.DataFrame
    recruits: figures.Estimate
    killed_share: pd.DataFrame
    permanent_share: Range
    inputs: Manpower
    deterministic: pd.DataFrame
    monte_carlo: pd.DataFrame
    tornado: pd.DataFrame
    break_even: Range
    loss_claims: pd.DataFrame
    recruit_claims: pd.DataFrame
    ua_ids: list[str]
    one_off_ids: list[str]

    @property
    def claim_ids(self) -> list[str]:
        """Every claim the model's inputs came from."""
        share = self.killed_share
        return figures.id_list(self.ua_ids, self.calibration["id"], share["id_killed"], share["id_both"], self.recruits.claim_ids,
                    self.one_off_ids)


def killed_share(claims: pd.DataFrame, as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Killed / (killed + wounded) where one source gives both for Russia at the same date."""
    killed = figures.select(claims, metric="casualties_killed", actor="RU", as_of=as_of, min_confidence=min_confidence)
    both = figures.select(claims, metric="casualties_killed_wounded", actor="RU", as_of=as_of, min_confidence=min_confidence)
    pairs = killed.merge(both, on=["source_id", "period_end"], suffixes=("_killed", "_both"))
    return pd.DataFrame({"source_id": pairs["source_id"], "date": pairs["period_end"], "id_killed": pairs["id_killed"],
                         "id_both": pairs["id_both"],
                         "killed": pairs["canonical_value_killed"], "killed_wounded": pairs["canonical_value_both"],
                         "share": pairs["canonical_value_killed"] / pairs["canonical_value_both"]})


def _range_of(values: pd.Series, parameter: str) -> Range:
    if values.empty:
        raise ValueError(f"{parameter}: no matching claims")
    return Range(float(values.min()), float(values.median()), float(values.max()))


def recruitment_window(as_of: pd.Timestamp, months: int) -> tuple[str, str]:
    """The `months` before `as_of` (both days included), as ISO dates."""
    start = as_of - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    return start.strftime("%Y-%m-%d"), as_of.strftime("%Y-%m-%d")


def recruitment_analysis(claims: pd.DataFrame, *, as_of: str = "", policy: str = "central", min_confidence: str = "low",
                         window_months: int = WINDOW_MONTHS, horizon: int = 36, wounded_not_returning: float = 0.3,
                         wounded_not_returning_spread: float = 0.15, loss_growth: float = 0.0,
                         recruit_change: float = 0.0, mobilization_claim: str = "", mobilization_month: int = 6,
                         foreign_troops_claim: str = "", foreign_troops_month: int = 1, n_draws: int = 20_000,
                         seed: int = 0) -> RecruitmentResult:
    """Losses (the Ukrainian General Staff's monthly rates rescaled to Western estimates),
    recruitment (claims in the window before as_of), the permanent-loss share (killed share
    from paired claims + an assumed share of wounded who never return), then the stock-flow
    model, its Monte Carlo, tornado and break-even."""
    when = as_of_date(claims, as_of)
    window = tuple(map(pd.Timestamp, recruitment_window(when, window_months)))
    ua = figures.select(claims, metric="casualties_killed_wounded_claimed_ua", source_id=UA_SOURCE, as_of=when)
    cumulative = pd.Series(ua["canonical_value"].to_numpy(), index=pd.DatetimeIndex(ua["period_end"]))
    rates = trends.monthly_rates(cumulative)
    western = figures.select(claims, metric="casualties_killed_wounded", actor="RU", as_of=when, min_confidence=min_confidence)
    western = western[~ua_general_staff.relays(western)]  # a relay of the claimed series would calibrate it against itself
    calibration = trends.calibration(cumulative, western[["period_end", "canonical_value", "id"]].set_axis(["date", "value", "id"], axis=1))
    calibration["source_id"] = calibration["id"].map(western.set_index("id")["source_id"])
    factor = _range_of(calibration["factor"], "calibration")
    in_window = rates[(rates["end"] > window[0]) & (rates["end"] <= window[1])]
    if in_window.empty:
        raise ValueError(f"window_months: no Ukrainian General Staff reading between {window[0].date()} and {window[1].date()}")
    mean_rate = float(np.average(in_window["rate"], weights=in_window["days"]))
    losses = Range(mean_rate * factor.low, mean_rate * factor.central, mean_rate * factor.high)
    loss_trend = trends.loss_rate_trend(rates[rates.index >= pd.Period("2023-01", "M")], horizon)
    loss_trend[["mean", "lower_80", "upper_80", "lower_95", "upper_95", "observed"]] *= factor.central

    found = figures.estimate(claims, "recruits", "RU", recruitment_window(when, window_months), policy=policy, as_of=when,
                             min_confidence=min_confidence)
    recruits = Range(found.low, found.central, found.high).scaled(1 + recruit_change)

    shares = killed_share(claims, when, min_confidence)
    killed = _range_of(shares["share"], "killed share")
    low_w = max(0.0, wounded_not_returning - wounded_not_returning_spread)
    high_w = min(1.0, wounded_not_returning + wounded_not_returning_spread)
    permanent = Range(killed.low + (1 - killed.low) * low_w, killed.central + (1 - killed.central) * wounded_not_returning,
                      killed.high + (1 - killed.high) * high_w)

    start = (when + pd.offsets.MonthBegin(1)).to_period("M")
    index = manpower.months(str(start), horizon)
    one_offs, ids = {}, []
    for claim_id, month, parameter in ((mobilization_claim, mobilization_month, "mobilization_claim"),
                                       (foreign_troops_claim, foreign_troops_month, "foreign_troops_claim")):
        if not claim_id:
            one_offs[parameter] = {}
            continue
        if not 1 <= month <= horizon:
            raise ValueError(f"{parameter.replace('claim', 'month')}: must be within 1..{horizon}, got {month}")
        row = claim(claims, claim_id, parameter)
        one_offs[parameter] = {str(index[month - 1]): float(row["canonical_value"])}
        ids.append(row["id"])
    inputs = Manpower(recruits=recruits, losses=losses, permanent_loss_share=permanent,
                      mobilization=one_offs["mobilization_claim"], foreign_troops=one_offs["foreign_troops_claim"],
                      loss_growth=loss_growth)
    break_even = Range(*sorted(manpower.break_even_losses(recruits.central, s) for s in
                               (permanent.high, permanent.central, permanent.low)))
    return RecruitmentResult(
        when, str(start), horizon, rates, calibration, factor, losses, loss_trend, found, shares, permanent, inputs,
        manpower.stock_flow(inputs, str(start), horizon), manpower.monte_carlo(inputs, str(start), horizon, n_draws, seed),
        manpower.tornado(inputs, str(start), horizon), break_even,
        figures.select(claims, metric="casualties_killed_wounded_rate", actor="RU", as_of=when, min_confidence=min_confidence),
        figures.select(claims, metric="recruits", actor="RU", as_of=when, min_confidence=min_confidence),
        list(ua["id"]), ids)


def recruitment_charts(result: RecruitmentResult, claims: pd.DataFrame, scenario: str) -> dict:
    """name -> Figure for the recruitment report (and the briefing)."""
    from sustainment import plotting

    ids = result.claim_ids
    mc = result.monte_carlo.iloc[-1]
    median = mc["cumulative_q50"]
    observed = result.loss_trend["observed"].to_numpy()
    required = pd.DataFrame({"low": observed * result.permanent_share.low, "high": observed * result.permanent_share.high},
                            index=result.loss_trend.index.to_timestamp()).dropna()
    need = manpower.required_recruits(result.losses.central, result.permanent_share.central)
    top = result.tornado.iloc[0]
    p = result.monte_carlo["p_net_negative"]
    return {
        "recruitment_losses_vs_recruits": plotting.losses_vs_recruits(
            result.loss_claims, result.recruit_claims, required, claims, figures.id_list(result.ua_ids, result.calibration["id"]),
            f"Recruiting about {narrative.count(result.inputs.recruits.central)} a month against permanent losses of "
            f"about {narrative.count(need)} a month"),
        "recruitment_fan": plotting.fan_chart(
            result.monte_carlo, claims, ids,
            f"Scenario {scenario}: the force {'grows' if median >= 0 else 'shrinks'} by a median "
            f"{narrative.count(abs(median))} over {result.horizon} months (90% of draws: {narrative.signed(mc['cumulative_q05'])} "
            f"to {narrative.signed(mc['cumulative_q95'])})"),
        "recruitment_tornado": plotting.tornado_chart(
            result.tornado, claims, ids,
            f"The {top['input'].replace('_', ' ')} range moves the {result.horizon}-month outcome most: "
            f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
            f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"),
        "recruitment_decline_probability": plotting.decline_probability(
            result.monte_carlo, claims, ids,
            f"Chance that the force shrinks in a month: {narrative.share(p.iloc[0])} at the start, "
            f"{narrative.share(p.iloc[-1])} in month {result.horizon}"),
    }


# --- headline numbers and the audit of claims ----------------------------------------------

def headline_numbers(claims: pd.DataFrame, ammunition_result: AmmunitionResult,
                     recruitment_result: RecruitmentResult) -> pd.DataFrame:
    """The key numbers of the briefing, each with its range and the claims (and sources) that fed it."""
    year = ammunition_result.last_year
    totals = ammunition_result.totals.set_index(["year", "side"])
    ratio = ammunition_result.ratio.set_index("year").loc[year]
    r = recruitment_result
    end = r.monte_carlo.iloc[-1]
    share_ids = figures.id_list(r.killed_share["id_killed"], r.killed_share["id_both"])
    rows = [
        *((f"{label} artillery supply, {year}", Range(*totals.loc[(year, side), ["low", "central", "high"]]), "rounds/year",
           [totals.loc[(year, side), "claim_ids"]]) for side, label in (("russia", "Russian-side"), ("west", "Western-side"))),
        (f"Supply ratio Russia : West, {year} (90% of draws)", Range(ratio["q05"], ratio["q50"], ratio["q95"]), "ratio",
         list(ammunition_result.totals.loc[ammunition_result.totals["year"] == year, "claim_ids"])),
        ("Russian recruits per month", r.inputs.recruits, "persons/month", r.recruits.claim_ids),
        ("Russian killed + wounded per month (Ukrainian claims rescaled to Western estimates)", r.losses,
         "persons/month", figures.id_list(r.ua_ids, r.calibration["id"])),
        ("Permanent-loss share (the killed + the wounded who never return)", r.permanent_share, "share", share_ids),
        ("Break-even killed + wounded per month at the central recruitment", r.break_even, "persons/month",
         figures.id_list(r.recruits.claim_ids, share_ids)),
        (f"Cumulative change in Russian personnel after {r.horizon} months (90% of draws)",
         Range(end["cumulative_q05"], end["cumulative_q50"], end["cumulative_q95"]), "persons", r.claim_ids),
    ]
    table = []
    for label, value, unit, claim_ids in rows:
        ids = figures.id_list(claim_ids)
        sources = sorted(set(claims.loc[claims["id"].isin(ids), "source_id"]))
        table.append({"number": label, "low": value.low, "central": value.central, "high": value.high, "unit": unit,
                      "claim_ids": ";".join(ids), "source_ids": ";".join(sources)})
    return pd.DataFrame(table)


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


BRIEFING_FILE = "briefing.json"
KEY_NUMBERS_FILE = "key_numbers.csv"


def save_briefing(directory: str, *, scenario: str, as_of: pd.Timestamp, data_vintage: pd.Timestamp, policy: str,
                  charts: list[str], key_numbers: pd.DataFrame) -> None:
    """Write what the briefing pack needs beside the charts: key_numbers.csv and briefing.json
    (scenario, as_of, data vintage, policy, chart order). Nothing when `directory` is empty."""
    if not directory:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    key_numbers.to_csv(folder / KEY_NUMBERS_FILE, index=False, lineterminator="\n", float_format="%.6g")
    meta = {"scenario": scenario, "as_of": str(as_of.date()), "data_vintage": str(data_vintage.date()), "policy": policy,
            "charts": charts}
    (folder / BRIEFING_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
