"""Can Russian recruitment sustain Russian losses? The inputs from claims (losses and their trend,
the permanent share, other exits, recruitment), the stock-flow model, its bottom line, charts and tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sustainment import parameters
from sustainment.analyses import loss_bases
from sustainment.analyses.common import (
    WINDOW_MONTHS,
    as_of_date,
    claim,
    linked,
    range_of,
)
from sustainment.claims import Estimate, estimate, id_list, one_per_statement, select, ua_general_staff
from sustainment.models import manpower, trends
from sustainment.models.manpower import Manpower
from sustainment.models.uncertainty import Range
from sustainment.presentation import narrative

LOSS_PATHS = ("trend", "flat", "growth")
RECRUITS_PATHS = ("trend", "flat", "last_year")

YEAR_END_DAYS = 31  # a year's total is read from the claims ending within this many days of its latest one
MIN_YEAR_DAYS = 90  # a year-to-date total shorter than this says little about the year

TREND_START = "2023-01"  # the loss-rate trend is fitted from here: the war's second year, after the 2022 swings

PAIR_DAYS = 7  # claims of one statement made days apart still pair (a killed figure and its total)


PARAMETERS = parameters.parse("""\
window_months: int = 24  # months before as_of whose claims set recruitment and exits [1, 60]
horizon: int = 36  # months modelled after as_of [1, 240]
losses_path: str = "trend"  # how losses evolve over the horizon {trend, flat, growth}
loss_growth: float = 0.0  # yearly growth of losses when losses_path is growth [-0.9, 3.0]
wounded_not_returning: float = 0.3  # share of wounded never returning, where no claim gives permanent losses [0.0, 1.0]
wounded_not_returning_spread: float = 0.15  # +/- around that share for the range [0.0, 0.5]
recruit_change: float = 0.0  # relative change of recruitment from the claims, -0.2 means 20% fewer [-1.0, 3.0]
recruits_path: str = "trend"  # how recruitment evolves over the horizon {trend, flat, last_year}
mobilization_claim: str = ""  # the size of a one-off mobilization wave (claim of mobilized; empty: none)
mobilization_month: int = 6  # month of the wave, 1 is the first modelled month [1, 240]
foreign_troops_claim: str = "nk-troops-deployed-2024-11-04"  # a contingent joining once (claim of troops_deployed)
foreign_troops_month: int = 1  # month the contingent joins [1, 240]
""", "analyses.recruitment.PARAMETERS")  # the pipeline's own parameters, as every notebook running it declares them


@dataclass
class RecruitmentResult:
    as_of: pd.Timestamp
    start_month: str
    horizon: int
    calibration: pd.DataFrame
    losses: Range
    loss_path: str
    loss_growth: Range
    loss_trend: pd.DataFrame
    recruits: Estimate
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
    recruits_path: str  # as asked; "flat" also when the claims give fewer than two years of totals
    recruit_growth: Range  # yearly growth of recruitment over the horizon
    yearly_recruits: pd.DataFrame  # the yearly rates the growth comes from (`yearly_recruits`)
    recruit_paths: dict[str, tuple[Range, Range]]  # path -> (recruits at the start, yearly growth), each the claims allow
    ua_ids: list[str]
    one_off_ids: list[str]
    n_draws: int  # Monte Carlo draws behind every share and band
    bases: pd.DataFrame  # the loss bases side by side (`loss_bases.loss_bases`), the model's first
    model_killed: pd.DataFrame  # the model's cumulative killed since the invasion (`loss_bases.model_cumulative_killed`)
    killed_check: pd.DataFrame  # that beside named deaths and killed estimates (`loss_bases.cumulative_killed_check`)

    @property
    def loss_ids(self) -> list[str]:
        """The claims behind the loss rate: the Ukrainian series and the Western estimates that rescale it."""
        return id_list(self.ua_ids, self.calibration["id"])

    @property
    def share_ids(self) -> list[str]:
        """The claims behind the permanent-loss share."""
        return id_list(self.killed_share["claim_ids"], self.permanent_evidence["claim_ids"])

    @property
    def claim_ids(self) -> list[str]:
        """Every claim the model's inputs came from."""
        return id_list(self.loss_ids, self.share_ids, self.exits["claim_ids"], self.recruit_ids, self.one_off_ids)

    @property
    def recruit_ids(self) -> list[str]:
        """The claims behind recruitment: its level in the window and, unless held flat, its yearly totals."""
        return id_list(self.recruits.claim_ids, self.yearly_recruits["claim_ids"] if self.recruits_path != "flat" else [])

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
    killed = select(claims, metric="casualties_killed", actor="RU", as_of=as_of, min_confidence=min_confidence)
    both = select(claims, metric="casualties_killed_wounded", actor="RU", as_of=as_of, min_confidence=min_confidence)
    pairs = _pairs(killed, both)
    ratios = select(claims, metric="wounded_per_killed_ratio", actor="RU", as_of=as_of, min_confidence=min_confidence)
    rows = [("killed and killed-or-wounded in one statement", p.period_end_1, p.canonical_value_1 / p.canonical_value_2,
             (p.id_1, p.id_2), tuple(sorted({p.source_id_1, p.source_id_2}))) for p in pairs.itertuples()]
    rows += [("wounded per killed", r.period_end, 1 / (1 + r.canonical_value), (r.id,), (r.source_id,))
             for r in ratios.itertuples()]
    return pd.DataFrame(rows, columns=["evidence", "date", "share", "claim_ids", "source_ids"]).sort_values("date", kind="stable")

def permanent_share_evidence(claims: pd.DataFrame, as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Permanent losses (killed, missing, irrevocably wounded) as a share of killed-or-wounded,
    where one statement gives both (see `_pairs`): columns date, low, share, high, claim_ids, source_ids."""
    lost = select(claims, metric="casualties_irrecoverable", actor="RU", as_of=as_of, min_confidence=min_confidence)
    both = select(claims, metric="casualties_killed_wounded", actor="RU", as_of=as_of, min_confidence=min_confidence)
    pairs = _pairs(lost, both)
    rows = [(p.period_end_1, p.canonical_low_1 / p.canonical_value_2 if p.canonical_low_1 == p.canonical_low_1 else
             p.canonical_value_1 / p.canonical_value_2, p.canonical_value_1 / p.canonical_value_2,
             p.canonical_high_1 / p.canonical_value_2 if p.canonical_high_1 == p.canonical_high_1 else
             p.canonical_value_1 / p.canonical_value_2, (p.id_1, p.id_2), tuple(sorted({p.source_id_1, p.source_id_2})))
            for p in pairs.itertuples()]
    return pd.DataFrame(rows, columns=["date", "low", "share", "high", "claim_ids", "source_ids"])

def exits_evidence(claims: pd.DataFrame, window: tuple[str, str], recruits: float, as_of,
                   min_confidence: str | None = None) -> pd.DataFrame:
    """Exits other than death and wounds, persons a month, from claims in the window: soldiers
    taken prisoner, and desertion (court cases are a floor; leaked rosters and shares of the
    intake give higher readings). Columns: exit, evidence, rate, claim_ids."""
    found = select(claims, actor="RU", period=window, as_of=as_of, min_confidence=min_confidence,
                           metric=["captured_pow_rate", "desertion_prosecutions_rate", "desertion_share"])
    rows = []
    for row in found.itertuples():
        if row.metric == "desertion_share":
            rows.append(("desertion", f"{row.claimant}: share of the intake that deserts, x recruitment",
                         row.canonical_value * recruits, (row.id,)))
        else:
            what = "prisoners taken" if row.metric == "captured_pow_rate" else "desertion"
            rows.append((what, f"{row.claimant}: {row.scope}", row.canonical_value, (row.id,)))
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
    the killed share): claim, model and the claim's gap to it; one row per statement, by what is
    counted and claimant."""
    found = select(claims, metric=["casualties_killed_wounded_rate", "casualties_killed_rate"], actor="RU",
                           period=window, as_of=as_of, min_confidence=min_confidence)
    found = one_per_statement(found[~ua_general_staff.relays(found)])[0]
    rows = []
    for row in found.sort_values(["metric", "claimant", "period_start", "id"]).itertuples():
        months = pd.period_range(row.period_start.to_period("M"), row.period_end.to_period("M"), freq="M")
        model = float(rates.loc[rates.index.isin(months), "rate"].mean() * factor.central)
        is_killed = row.metric == "casualties_killed_rate"
        if is_killed:
            model *= killed.central
        rows.append({"id": row.id, "claimant": row.claimant, "what": "killed" if is_killed else "killed or wounded",
                     "from": row.period_start, "to": row.period_end, "claimed": row.canonical_value,
                     "bound": row.bound, "model": model, "gap": row.canonical_value / model - 1 if model > 0 else np.nan})
    return pd.DataFrame(rows, columns=["id", "claimant", "what", "from", "to", "claimed", "bound", "model", "gap"])

def yearly_recruits(claims: pd.DataFrame, as_of, min_confidence: str | None = None) -> pd.DataFrame:
    """Contract recruits a month per calendar year, from the year's and year-to-date totals: claims
    of a period starting on 1 January, at least MIN_YEAR_DAYS long, that state a level (no caps or
    floors) observed (no projections), one per statement; per year those ending within YEAR_END_DAYS of its latest one.
    Columns: year, low, rate (their median), high, through (the latest period end), claim_ids."""
    found = select(claims, metric="recruits", actor="RU", as_of=as_of, min_confidence=min_confidence)
    found = found[(found["period_start"].dt.strftime("%m-%d") == "01-01")
                  & ((found["period_end"] - found["period_start"]).dt.days + 1 >= MIN_YEAR_DAYS)
                  & found["bound"].isin(["point", "approx", "range"]) & (found["forecast"] != "yes")]
    found = one_per_statement(found)[0]
    rows = []
    for year, group in found.groupby(found["period_start"].dt.year):
        latest = group[group["period_end"] >= group["period_end"].max() - pd.Timedelta(days=YEAR_END_DAYS)]
        values = latest["canonical_value"]
        rows.append({"year": int(year), "low": float(values.min()), "rate": float(values.median()),
                     "high": float(values.max()), "through": latest["period_end"].max(),
                     "claim_ids": tuple(sorted(latest["id"]))})
    return pd.DataFrame(rows, columns=["year", "low", "rate", "high", "through", "claim_ids"])


def recruit_growths(yearly: pd.DataFrame) -> dict[str, Range]:
    """Yearly growth of recruitment from the yearly rates: `trend`, the log-linear least-squares
    slope (its range: the lowest and highest change from one year to the next), and `last_year`,
    the change in the latest year. Empty with fewer than two years."""
    if len(yearly) < 2:
        return {}
    rates = yearly["rate"].to_numpy(float)
    changes = rates[1:] / rates[:-1] - 1
    central = float(np.expm1(np.polyfit(yearly["year"].to_numpy(float), np.log(rates), 1)[0]))
    return {"trend": Range(min(float(changes.min()), central), central, max(float(changes.max()), central)),
            "last_year": Range.exact(float(changes[-1]))}


def _recruits(claims: pd.DataFrame, when: pd.Timestamp, window: tuple[str, str], start: pd.Period, policy: str,
              min_confidence: str, recruit_change: float, recruits_path: str) -> dict:
    """Recruitment at the start and its yearly growth: the level of the claims in the window (times
    1 + recruit_change), moved along the growth from the window's middle to the first modelled month."""
    if recruits_path not in RECRUITS_PATHS:
        raise ValueError(f"recruits_path: expected one of {list(RECRUITS_PATHS)}, got {recruits_path!r}")
    found = estimate(claims, "recruits", "RU", window, policy=policy, as_of=when, min_confidence=min_confidence)
    yearly = yearly_recruits(claims, when, min_confidence)
    growths = {"flat": Range.exact(0.0), **recruit_growths(yearly)}
    middle = pd.Timestamp(window[0]) + (pd.Timestamp(window[1]) - pd.Timestamp(window[0])) / 2
    years = (start.to_timestamp() - middle).days / 365.25
    level = Range(found.low, found.central, found.high).scaled(1 + recruit_change)
    paths = {path: (level.scaled((1 + growth.central) ** years), growth) for path, growth in growths.items()}
    path = recruits_path if recruits_path in paths else "flat"
    return {"found": found, "recruits": paths[path][0], "recruits_path": path, "recruit_growth": paths[path][1],
            "yearly": yearly, "recruit_paths": paths}


def recruitment_window(as_of: pd.Timestamp, months: int) -> tuple[str, str]:
    """The `months` before `as_of` (both days included), as ISO dates."""
    start = as_of - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    return start.strftime("%Y-%m-%d"), as_of.strftime("%Y-%m-%d")

def _losses(claims: pd.DataFrame, when: pd.Timestamp, horizon: int, losses_path: str, loss_growth: float,
            min_confidence: str) -> dict:
    """The loss rate: the Ukrainian General Staff's monthly rates rescaled to Western estimates (the
    calibration), from the level of their fitted trend in the first modelled month, then following
    that trend, held flat or growing at `loss_growth`."""
    if losses_path not in LOSS_PATHS:
        raise ValueError(f"losses_path: expected one of {list(LOSS_PATHS)}, got {losses_path!r}")
    ua = select(claims, metric="casualties_killed_wounded_claimed_ua", source_id=ua_general_staff.SOURCE_ID, as_of=when)
    cumulative = pd.Series(ua["canonical_value"].to_numpy(), index=pd.DatetimeIndex(ua["period_end"]))
    rates = trends.monthly_rates(cumulative)
    western = select(claims, metric="casualties_killed_wounded", actor="RU", as_of=when, min_confidence=min_confidence)
    western = western[~ua_general_staff.relays(western)]  # a relay of the claimed series would calibrate it against itself
    estimates = western[["period_end", "canonical_value", "id"]].set_axis(["date", "value", "id"], axis=1)
    calibration = trends.calibration(cumulative, estimates)
    calibration["source_id"] = calibration["id"].map(western.set_index("id")["source_id"])
    calibration["claim_ids"] = calibration["id"]
    factor = range_of(calibration["factor"], "calibration")
    start = (when + pd.offsets.MonthBegin(1)).to_period("M")
    fitted = rates[rates.index >= pd.Period(TREND_START, "M")]
    if len(fitted) < 3:
        raise ValueError(f"as_of: the loss trend needs three months of Ukrainian General Staff readings from {TREND_START}")
    loss_trend = trends.loss_rate_trend(fitted, horizon + (start - fitted.index[-1]).n)
    level = float(loss_trend.loc[start, "mean"])
    loss_trend[["mean", "lower_80", "upper_80", "lower_95", "upper_95", "observed"]] *= factor.central
    growth = {"trend": trends.yearly_growth(loss_trend), "flat": Range.exact(0.0),
              "growth": Range.exact(loss_growth)}[losses_path]
    return {"start": start, "rates": rates, "calibration": calibration, "factor": factor, "loss_trend": loss_trend,
            "losses": Range(level * factor.low, level * factor.central, level * factor.high), "loss_growth": growth,
            "ua_ids": list(ua["id"]), "ua_cumulative": cumulative}


def _permanent(claims: pd.DataFrame, when: pd.Timestamp, min_confidence: str, wounded_not_returning: float,
               spread: float) -> dict:
    """The permanent-loss share: from claims that give permanent losses and their total where any
    exist, else the killed share from paired claims plus an assumed share of wounded who never return."""
    shares = killed_share(claims, when, min_confidence)
    killed = range_of(shares["share"], "killed share")
    evidence = permanent_share_evidence(claims, when, min_confidence)
    if len(evidence):
        permanent = Range(float(evidence["low"].min()), float(evidence["share"].median()), float(evidence["high"].max()))
        basis = "claims"
    else:
        wounded = (max(0.0, wounded_not_returning - spread), wounded_not_returning, min(1.0, wounded_not_returning + spread))
        permanent = Range(*(manpower.permanent_share(k, w) for k, w in zip((killed.low, killed.central, killed.high), wounded)))
        basis = "assumption"
    return {"killed_share": shares, "killed": killed, "permanent_evidence": evidence, "permanent_share": permanent,
            "permanent_basis": basis}


def _one_offs(claims: pd.DataFrame, when: pd.Timestamp, start: pd.Period, horizon: int,
              named: tuple[tuple[str, int, str], ...]) -> tuple[dict, list[str]]:
    """({parameter: {month: persons}}, claim ids) for the one-off inflows named by claim id
    (a mobilization wave, a foreign contingent), each in its month of the horizon."""
    index = manpower.months(str(start), horizon)
    one_offs, ids = {}, []
    for claim_id, month, parameter in named:
        if not claim_id:
            one_offs[parameter] = {}
            continue
        if not 1 <= month <= horizon:
            raise ValueError(f"{parameter.replace('claim', 'month')}: must be within 1..{horizon}, got {month}")
        row = claim(claims, claim_id, parameter, when)
        one_offs[parameter] = {str(index[month - 1]): float(row["canonical_value"])}
        ids.append(row["id"])
    return one_offs, ids


def recruitment_analysis(claims: pd.DataFrame, *, as_of: str = "", policy: str = "central", min_confidence: str = "low",
                         window_months: int = WINDOW_MONTHS, horizon: int = 36, losses_path: str = "trend",
                         loss_growth: float = 0.0, wounded_not_returning: float = 0.3,
                         wounded_not_returning_spread: float = 0.15, recruit_change: float = 0.0, recruits_path: str = "trend",
                         mobilization_claim: str = "", mobilization_month: int = 6,
                         foreign_troops_claim: str = "nk-troops-deployed-2024-11-04", foreign_troops_month: int = 1,
                         n_draws: int = 20_000, seed: int = 20241028) -> RecruitmentResult:
    """Losses (`_losses`), recruitment (claims in the window before as_of), the permanent-loss share
    (`_permanent`) and other exits (prisoners, desertion: claims in the window), then the
    stock-flow model, its Monte Carlo, tornado and break-even."""
    when = as_of_date(claims, as_of)
    window = recruitment_window(when, window_months)
    losses = _losses(claims, when, horizon, losses_path, loss_growth, min_confidence)
    start = losses["start"]
    recruitment = _recruits(claims, when, window, start, policy, min_confidence, recruit_change, recruits_path)
    found, recruits = recruitment["found"], recruitment["recruits"]
    permanent = _permanent(claims, when, min_confidence, wounded_not_returning, wounded_not_returning_spread)
    exits = exits_evidence(claims, window, recruits.central, when, min_confidence)
    one_offs, one_off_ids = _one_offs(claims, when, start, horizon,
                                      ((mobilization_claim, mobilization_month, "mobilization_claim"),
                                       (foreign_troops_claim, foreign_troops_month, "foreign_troops_claim")))
    share = permanent["permanent_share"]
    inputs = Manpower(recruits=recruits, losses=losses["losses"], permanent_loss_share=share,
                      other_exits=_exits_range(exits), mobilization=one_offs["mobilization_claim"],
                      foreign_troops=one_offs["foreign_troops_claim"], loss_growth=losses["loss_growth"],
                      recruit_growth=recruitment["recruit_growth"])
    break_even = Range(*sorted(manpower.break_even_losses(recruits.central, s, inputs.other_exits.central)
                               for s in (share.high, share.central, share.low)))
    monte_carlo = manpower.monte_carlo(inputs, str(start), horizon, n_draws, seed)
    core = {"inputs": inputs, "start": str(start), "horizon": horizon, "window": window, "as_of": when,
            "min_confidence": min_confidence, "n_draws": n_draws, "seed": seed}
    model_ids = id_list(losses["ua_ids"], losses["calibration"]["id"], permanent["killed_share"]["claim_ids"])
    bases = loss_bases.loss_bases(claims, killed_share=permanent["killed"], model_outcome=monte_carlo.iloc[-1],
                                  model_ids=model_ids, **core)
    model_killed = loss_bases.model_cumulative_killed(losses["ua_cumulative"], losses["factor"], permanent["killed"])
    return RecruitmentResult(
        as_of=when, start_month=str(start), horizon=horizon, calibration=losses["calibration"], losses=losses["losses"],
        loss_path=losses_path, loss_growth=losses["loss_growth"], loss_trend=losses["loss_trend"], recruits=found,
        **permanent, exits=exits, other_exits=inputs.other_exits, inputs=inputs,
        deterministic=manpower.stock_flow(inputs, str(start), horizon), monte_carlo=monte_carlo,
        tornado=manpower.tornado(inputs, str(start), horizon), break_even=break_even,
        loss_claims=select(claims, metric=["casualties_killed_wounded_rate", "casualties_killed_rate"], actor="RU",
                           as_of=when, min_confidence=min_confidence, period=window),
        recruit_claims=select(claims, metric="recruits", actor="RU", as_of=when, min_confidence=min_confidence),
        rate_check=rate_check(claims, losses["rates"], losses["factor"], permanent["killed"], window, when, min_confidence),
        recruits_path=recruitment["recruits_path"], recruit_growth=recruitment["recruit_growth"],
        yearly_recruits=recruitment["yearly"], recruit_paths=recruitment["recruit_paths"],
        ua_ids=losses["ua_ids"], one_off_ids=one_off_ids, n_draws=n_draws, bases=bases, model_killed=model_killed,
        killed_check=loss_bases.cumulative_killed_check(model_killed, claims, when))


PATH_WORDS = {"trend": "following their fitted trend", "flat": "held flat", "growth": "growing at a set rate"}
RECRUITS_PATH_WORDS = {"trend": "along the trend of its yearly totals", "flat": "held flat",
                       "last_year": "at its latest year's pace"}

INPUT_WORDS = {"recruits": "recruitment", "losses": "the loss rate", "loss_growth": "the growth of losses",
               "permanent_loss_share": "the share of losses that are permanent", "other_exits": "desertion and capture",
               "recruit_growth": "the growth of recruitment"}

def recruitment_alternatives(result: RecruitmentResult) -> pd.DataFrame:
    """The outcome at the horizon (central inputs, deterministic) when one assumption changes:
    losses held flat instead of the trend (or the reverse), and recruitment on each other path the
    claims allow (held flat, its trend, its latest year's pace). (Other loss levels are the loss
    bases, `RecruitmentResult.bases`.) Columns: change (in words, with the numbers), value, outcome, claim_ids."""
    from dataclasses import replace

    base = result.inputs.central()
    rows = []
    other_path = "flat" if result.loss_path != "flat" else "trend"
    growth = Range.exact(0.0) if other_path == "flat" else Range.exact(trends.yearly_growth(result.loss_trend).central)
    flows = manpower.stock_flow(replace(base, loss_growth=growth), result.start_month, result.horizon)
    rows.append((f"losses {PATH_WORDS[other_path]}", growth.central, flows["cumulative_net_change"].iloc[-1],
                 tuple(result.loss_ids)))
    for path, (recruits, growth) in result.recruit_paths.items():
        if path == result.recruits_path:
            continue
        inputs = replace(base, recruits=Range.exact(recruits.central), recruit_growth=Range.exact(growth.central))
        flows = manpower.stock_flow(inputs, result.start_month, result.horizon)
        change = f"{narrative.share(growth.central)} a year" if path != "flat" else "no change"
        yearly = result.yearly_recruits["claim_ids"] if path != "flat" else []
        rows.append((f"recruitment {RECRUITS_PATH_WORDS[path]} ({change})", growth.central,
                     flows["cumulative_net_change"].iloc[-1], tuple(id_list(result.recruits.claim_ids, yearly))))
    return pd.DataFrame(rows, columns=["change", "value", "outcome", "claim_ids"])

def recruits_path_words(result: RecruitmentResult) -> str:
    """'falling 9.1% a year along the trend of its yearly totals (2023 to 2025) to about 23,000 by
    month 36', or 'held flat'."""
    if result.recruits_path == "flat":
        return "held flat"
    growth = result.recruit_growth.central
    years = result.yearly_recruits["year"]
    end = result.inputs.recruits.central * (1 + growth) ** ((result.horizon - 1) / 12)
    return (f"{'falling' if growth < 0 else 'growing'} {narrative.share(abs(growth))} a year "
            f"{RECRUITS_PATH_WORDS[result.recruits_path]} ({years.min()} to {years.max()}) to about "
            f"{narrative.count(end)} by month {result.horizon}")


def horizon_words(result: RecruitmentResult) -> str:
    """'the 36 months from September 2026 to August 2029'."""
    start = pd.Period(result.start_month, "M")
    return f"the {result.horizon} months from {start:%B %Y} to {start + result.horizon - 1:%B %Y}"


def _basis_outcome(row: pd.Series, n_draws: int) -> str:
    """'very unlikely in this model (12% of 20,000 draws; median change +410,000, 90% of draws ...)'."""
    return (f"{narrative.chance(row['p'], n_draws)[:-1]}; median change {narrative.signed(row['q50'])}, 90% of draws "
            f"{narrative.signed(row['q05'])} to {narrative.signed(row['q95'])})")


def hinge_sentences(result: RecruitmentResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """What decides the answer, and the answer under each loss basis: the killed a month each basis
    gives, the chance the force ends smaller and the median change under each, the confidence the
    bases' agreement allows, and why the model's basis is kept where a basis contradicts it."""
    bases = result.bases
    model = bases.loc["model"]
    killed = [f"about {link(narrative.count(model['killed']), claims, model['claim_ids'])} in this model "
              f"({model['label'].removesuffix(' (this model)')})"]
    if "estimates" in bases.index:
        row = bases.loc["estimates"]
        killed.append(f"about {link(narrative.count(row['killed']), claims, row['claim_ids'])} from the growth of "
                      f"the cumulative killed estimates of {narrative.escape(row['who'])}")
    against = ""
    if "statements" in bases.index:
        row = bases.loc["statements"]
        against = (f", against about {link(narrative.count(row['killed']), claims, row['claim_ids'])} in "
                   f"{narrative.escape(row['who'])}'s statements")
    answers = [f"with the model's losses, {narrative.it_is(model['p'], result.n_draws)} that the force ends smaller "
               f"(median change {narrative.signed(model['q50'])}, 90% of draws {narrative.signed(model['q05'])} to "
               f"{narrative.signed(model['q95'])})"]
    answers += [f"with {'the statements' if basis == 'statements' else 'the estimates'}' rate, "
                f"{_basis_outcome(bases.loc[basis], result.n_draws)}" for basis in ("estimates", "statements")
                if basis in bases.index]
    level, why = loss_bases.confidence(bases)
    return (f"Whether Russia's forces shrink over {horizon_words(result)} hinges on how many of its soldiers are "
            f"killed a month: {' and '.join(killed)}{against}. {narrative.sentence('; '.join(answers))} "
            f"Confidence: {level} ({why}). {_statements_check(result)}")


def _statements_check(result: RecruitmentResult) -> str:
    """Where the statements' rate and the cumulative estimates disagree: what the rate would have
    added between the first and last estimate, against what the estimates added."""
    bases = result.bases
    if not {"statements", "estimates"} <= set(bases.index):
        return ""
    used = result.killed_check.set_index("id").loc[list(bases.at["estimates", "claim_ids"])].sort_values("date")
    first, last = used.iloc[0], used.iloc[-1]
    months = (last["date"] - first["date"]).days / loss_bases.DAYS_PER_MONTH
    added = bases.at["statements", "killed"] * months
    return (f"At the statements' rate, killed would have risen by about {narrative.count(added)} between "
            f"{narrative.escape(narrative.short_name(first['claimant']))}'s estimate of {first['date']:%-d %B %Y} and "
            f"{narrative.escape(narrative.short_name(last['claimant']))}'s of {last['date']:%-d %B %Y}; the estimates "
            f"rose by {narrative.count(last['claimed'] - first['claimed'])}. ")


def recruitment_headline(result: RecruitmentResult) -> str:
    """The answer in one plain sentence, for the landing page: the median change over the horizon,
    its band, the likelihood the force ends smaller, the confidence, and the loss basis that
    contradicts the answer, if the claims give one."""
    model = result.bases.loc["model"]
    level, _why = loss_bases.confidence(result.bases)
    against = ""
    if "statements" in result.bases.index:
        row = result.bases.loc["statements"]
        against = (f"; at {row['who']}'s {narrative.count(row['killed'])} killed a month (against the model's "
                   f"{narrative.count(model['killed'])}) the median is {narrative.signed(row['q50'])}")
    return (f"Over {horizon_words(result)}, a median change in Russian personnel of {narrative.signed(model['q50'])} "
            f"(90% of draws {narrative.signed(model['q05'])} to {narrative.signed(model['q95'])}); "
            f"{narrative.chance(model['p'], result.n_draws)} that the force ends smaller; confidence {level}{against}.")


def recruitment_bottom_line(result: RecruitmentResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The answer to "can recruitment sustain the losses?": first what decides it and the answer
    under each loss basis (`hinge_sentences`), then the model's flows and what would change it."""
    first, last = result.deterministic.iloc[0], result.deterministic.iloc[-1]
    permanent_ids = id_list(result.loss_ids, result.share_ids)
    top = result.tornado.iloc[0]
    alternatives = recruitment_alternatives(result)
    changes = [f"{INPUT_WORDS[top['input']]}, whose range alone moves the outcome from "
               f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
               f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"]
    for row in alternatives.itertuples():
        changes.append(f"with {link(row.change, claims, id_list(row.claim_ids))}, {narrative.signed(row.outcome)}")
    return (f"**Bottom line.** {hinge_sentences(result, claims, link)}"
            f"In the model, recruitment of about "
            f"{link(narrative.count(result.inputs.recruits.central), claims, result.recruit_ids)} "
            f"a month at the start, {recruits_path_words(result)}, meets permanent losses and other exits of about "
            f"{link(narrative.count(first['outflow']), claims, permanent_ids)} a month at the start, "
            f"{PATH_WORDS[result.loss_path]} to about {narrative.count(last['outflow'])} by month {result.horizon}. "
            f"What would change it: " + "; ".join(changes) + ".")


def recruitment_path(result: RecruitmentResult) -> pd.DataFrame:
    """The model's recruits a month over the horizon (month-start timestamps): central, and low and
    high at the ends of the growth's range, from the central level."""
    index = manpower.months(result.start_month, result.horizon)
    years = np.arange(result.horizon) / 12
    level, growth = result.inputs.recruits.central, result.recruit_growth
    return pd.DataFrame({"low": level * (1 + growth.low) ** years, "central": level * (1 + growth.central) ** years,
                         "high": level * (1 + growth.high) ** years}, index=index.to_timestamp())


def bonus_label(row: pd.Series) -> str:
    """Where a signing bonus is paid, from its scope: 'Tatarstan', 'Moscow city', or for an average
    over regions 'average (Janis Kluge)'."""
    place = row["scope"].split(";")[0].split(",")[0].strip()
    if place.lower().startswith("average"):
        return f"average ({narrative.short_name(row['claimant'])})"
    return place


def _bonuses_title(bonuses: pd.DataFrame) -> str:
    """The signing bonuses' finding: the highest regional payment in the latest year with one, against the first claim's."""
    regional = bonuses[bonuses["metric"] == "signing_bonus_regional"].sort_values("period_end")
    if len(regional) < 2:
        return "Signing bonuses for a contract (too few claims to compare)"
    latest = regional[regional["period_end"].dt.year == regional["period_end"].dt.year.max()]
    top, first = latest.loc[latest["canonical_value"].idxmax()], regional.iloc[0]
    return (f"Regional signing bonuses reached {narrative.count(top['canonical_value'])} roubles in "
            f"{top['period_end']:%B %Y} ({top['label']}), against {narrative.count(first['canonical_value'])} in "
            f"{first['period_end']:%B %Y} ({first['label']})")


def _killed_check_title(result: RecruitmentResult) -> str:
    """The cross-check's finding: where the model's cumulative killed stands against the latest
    named-death count, and whether it is at or above every count."""
    named = result.killed_check[(result.killed_check["what"] == "named deaths") & result.killed_check["model"].notna()]
    if named.empty:
        return "The model's cumulative killed since February 2022 (no named-death count to compare)"
    latest = named.iloc[-1]
    below = named[named["model"] < named["claimed"]]
    verdict = ("at or above every named-death count" if below.empty else
               f"below the named-death count on {len(below)} date(s) from {below['date'].iloc[0]:%B %Y}")
    return (f"The model's cumulative killed, about {narrative.count(latest['model'])} by {latest['date']:%B %Y}, is "
            f"{verdict} ({narrative.count(latest['claimed'])} named by then)")


def _stated_rate_line(result: RecruitmentResult) -> pd.Series | None:
    """The statements' killed a month drawn from the first cumulative estimate of the estimates basis."""
    if not {"statements", "estimates"} <= set(result.bases.index):
        return None
    first = result.killed_check.set_index("id").loc[list(result.bases.at["estimates", "claim_ids"])].sort_values("date")
    start, end = first["date"].iloc[0], result.model_killed.index.max()
    months = (end - start).days / loss_bases.DAYS_PER_MONTH
    return pd.Series([first["claimed"].iloc[0], first["claimed"].iloc[0] + result.bases.at["statements", "killed"] * months],
                     index=[start, end])


def recruitment_charts(result: RecruitmentResult, claims: pd.DataFrame) -> dict:
    """name -> Figure for the recruitment report (and the briefing)."""
    from sustainment.presentation import plotting

    ids = result.claim_ids
    mc = result.monte_carlo
    end = mc.iloc[-1]
    path = result.loss_trend[["observed", "mean"]].set_axis(result.loss_trend.index.to_timestamp())
    level = path["observed"].fillna(path["mean"])
    required = pd.DataFrame({"low": level * result.permanent_share.low, "high": level * result.permanent_share.high})
    year = min(12, result.horizon)
    top = result.tornado.iloc[0]
    n = result.n_draws
    bonuses = select(claims, metric=["signing_bonus_federal", "signing_bonus_regional"], actor="RU", as_of=result.as_of)
    bonuses = bonuses.assign(label=[bonus_label(row) for _, row in bonuses.iterrows()])
    return {
        "recruitment_losses_vs_recruits": plotting.losses_vs_recruits(
            result.loss_claims, path, result.recruit_claims, required, level * result.killed.central,
            recruitment_path(result), claims, result.loss_ids,
            f"Recruiting about {narrative.count(result.inputs.recruits.central)} a month against permanent losses and "
            f"other exits of about {narrative.count(result.deterministic['outflow'].iloc[0])} a month"),
        "recruitment_killed_check": plotting.cumulative_killed(
            result.model_killed, result.killed_check, claims, id_list(result.loss_ids, result.share_ids),
            _killed_check_title(result), _stated_rate_line(result)),
        "recruitment_bonuses": plotting.signing_bonuses(bonuses, claims, _bonuses_title(bonuses)),
        "recruitment_fan": plotting.fan_chart(
            mc, claims, ids,
            f"A median change of {narrative.signed(end['cumulative_q50'])} over {result.horizon} months; "
            f"{narrative.chance(end['p_cumulative_negative'], n)} that the force ends smaller"),
        "recruitment_tornado": plotting.tornado_chart(
            result.tornado, claims, ids,
            f"{INPUT_WORDS[top['input']].capitalize()} moves the {result.horizon}-month outcome most: "
            f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
            f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"),
        "recruitment_decline_probability": plotting.decline_probability(
            mc, claims, ids,
            f"The force is smaller than at the start in {narrative.of_draws(mc['p_cumulative_negative'].iloc[year - 1], n)} "
            f"after {year} months, {narrative.of_draws(end['p_cumulative_negative'], n)} after {result.horizon}"),
    }


def recruitment_inputs_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The model's inputs, each with its range, where it comes from and the claims behind it."""
    r = result
    rows = pd.DataFrame([
        ("Contract recruits a month, first modelled month", narrative.count(r.inputs.recruits.central),
         narrative.span(r.inputs.recruits.low, r.inputs.recruits.high),
         f"claims in the window to {r.as_of:%Y-%m-%d}"
         + ("" if r.recruits_path == "flat" else ", moved along its growth from the window's middle"), r.recruits.claim_ids),
        ("Killed and wounded a month, first modelled month", narrative.count(r.losses.central),
         narrative.span(r.losses.low, r.losses.high),
         "Ukrainian General Staff's monthly rates (fitted trend) x Western estimates / its totals", r.loss_ids),
        ("Growth of losses a year", narrative.share(r.loss_growth.central),
         narrative.span(r.loss_growth.low, r.loss_growth.high, narrative.share),
         {"trend": "the trend's slope, 90% confidence interval", "flat": "held flat (scenario)",
          "growth": "set by the scenario"}[r.loss_path], r.loss_ids if r.loss_path == "trend" else ()),
        ("Growth of recruitment a year", narrative.share(r.recruit_growth.central),
         narrative.span(r.recruit_growth.low, r.recruit_growth.high, narrative.share),
         {"trend": "log-linear trend of the yearly totals; range = the changes from one year to the next",
          "flat": "held flat (scenario, or fewer than two years of totals)",
          "last_year": "the latest year's change (scenario)"}[r.recruits_path],
         id_list(r.yearly_recruits["claim_ids"]) if r.recruits_path != "flat" else ()),
        ("Share of losses that are permanent", narrative.share(r.permanent_share.central),
         narrative.span(r.permanent_share.low, r.permanent_share.high, narrative.share),
         "claims giving permanent losses and their total" if r.permanent_basis == "claims" else
         "killed share from claims + assumed share of wounded who never return", r.share_ids),
        ("Other exits a month (prisoners, desertion)", narrative.count(r.other_exits.central),
         narrative.span(r.other_exits.low, r.other_exits.high), "claims in the window" if len(r.exits) else "no claim: none",
         id_list(r.exits["claim_ids"])),
    ], columns=["input", "central", "range", "basis", "claim_ids"])
    return narrative.table(rows, {"input": "Input", "central": "Central", "range": "Range", "basis": "From"},
                           {"central": linked(claims, lambda row: row["central"])})

def rate_check_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Western killed and killed-or-wounded rate claims in the window against the model's losses."""
    if result.rate_check.empty:
        return "<p>No Western rate claim in the window.</p>"
    return narrative.table(
        result.rate_check, {"claimant": "Claimant", "what": "Counts", "from": "Period", "claimed": "Claimed a month",
                            "model": "Model a month", "gap": "Claim vs model"},
        {"from": lambda _v, r: f"{r['from']:%Y-%m-%d}" + ("" if r["from"] == r["to"] else f" to {r['to']:%Y-%m-%d}"),
         "claimed": lambda v, r: narrative.link(narrative.converted(v), claims, [r["id"]]),
         "model": lambda v, _r: narrative.count(v), "gap": lambda v, _r: f"{v:+.0%}"})

def monte_carlo_table(result: RecruitmentResult) -> str:
    """The Monte Carlo at the first month, a year in and the horizon: change in the force and chances."""
    rows = result.monte_carlo.iloc[[0, 11, -1] if result.horizon > 12 else [0, -1]].reset_index()
    return narrative.table(
        rows, {"month": "Month", "cumulative_q50": "Change since the start (median)", "cumulative_q05": "90% of draws",
               "p_net_negative": "Shrinks that month", "p_cumulative_negative": "Smaller than at the start"},
        {"month": lambda v, _r: str(v), "cumulative_q50": lambda v, _r: narrative.signed(v),
         "cumulative_q05": lambda _v, r: f"{narrative.signed(r['cumulative_q05'])} to {narrative.signed(r['cumulative_q95'])}",
         "p_net_negative": lambda v, _r: narrative.of_draws(v, result.n_draws),
         "p_cumulative_negative": lambda v, _r: narrative.of_draws(v, result.n_draws)})


def yearly_recruits_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Recruits a month per year from the yearly and year-to-date totals, with the growth they give."""
    if result.yearly_recruits.empty:
        return "<p>No yearly or year-to-date total of recruits public by then.</p>"
    rows = result.yearly_recruits.assign(change=result.yearly_recruits["rate"].pct_change())
    return narrative.table(
        rows, {"year": "Year", "rate": "Recruits a month (median of claims)", "low": "Range of claims",
               "through": "Through", "change": "Change on the year before", "claim_ids": "Claims"},
        {"year": lambda v, _r: str(v), "rate": lambda v, _r: narrative.count(v),
         "low": lambda v, r: narrative.span(v, r["high"]), "through": lambda v, _r: f"{v:%Y-%m-%d}",
         "change": lambda v, _r: narrative.DASH if v != v else f"{v:+.1%}",
         "claim_ids": lambda v, _r: narrative.link(f"{len(v)} claim(s)", claims, v)})


def loss_bases_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The loss bases side by side: killed a month, killed and wounded a month, and the answer each gives."""
    return narrative.table(
        result.bases, {"label": "Loss basis", "killed": "Killed a month", "losses": "Killed and wounded a month",
                       "p": f"Force smaller after {result.horizon} months", "q50": "Median change (90% of draws)"},
        {"label": lambda v, r: narrative.link(v + (f" ({r['who']})" if r["who"] else ""), claims, r["claim_ids"]),
         "killed": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['killed_low'], r['killed_high'])})",
         "losses": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['losses_low'], r['losses_high'])})",
         "p": lambda v, _r: narrative.chance(v, result.n_draws),
         "q50": lambda v, r: f"{narrative.signed(v)} ({narrative.signed(r['q05'])} to {narrative.signed(r['q95'])})"})


def killed_check_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Each named-death count and cumulative killed estimate beside the model's cumulative killed at its date."""
    bounds = {"up_to": "up to ", "at_least": "at least "}
    return narrative.table(
        result.killed_check, {"date": "Date", "what": "Counts", "claimant": "Claimant", "claimed": "Claimed",
                              "model": "Model (range)", "model_low": "Claim vs model"},
        {"date": lambda v, _r: f"{v:%Y-%m-%d}",
         "claimed": lambda v, r: narrative.link(bounds.get(r["bound"], "") + narrative.converted(v), claims, [r["id"]]),
         "model": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['model_low'], r['model_high'])})",
         "model_low": lambda _v, r: f"{r['claimed'] / r['model'] - 1:+.0%}" if r["model"] == r["model"] else narrative.DASH},
        missing_note="outside the dates of the Ukrainian count")

def alternatives_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The tornado's inputs and the alternative assumptions, with the outcome each gives."""
    tornado = result.tornado.assign(change=[f"{INPUT_WORDS[i]} from its low to its high end" for i in result.tornado["input"]],
                                    outcome=[f"{narrative.signed(lo)} to {narrative.signed(hi)}" for lo, hi in
                                             zip(result.tornado["outcome_at_low"], result.tornado["outcome_at_high"])],
                                    claim_ids=[()] * len(result.tornado))
    alternatives = recruitment_alternatives(result)
    alternatives = alternatives.assign(outcome=[narrative.signed(o) for o in alternatives["outcome"]])
    rows = pd.concat([tornado[["change", "outcome", "claim_ids"]], alternatives[["change", "outcome", "claim_ids"]]])
    return narrative.table(rows, {"change": "If", "outcome": f"Change after {result.horizon} months"},
                           {"change": lambda v, r: narrative.link(v, claims, id_list(r["claim_ids"]))})
