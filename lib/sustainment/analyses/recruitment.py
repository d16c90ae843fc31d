"""Can Russian recruitment sustain Russian losses? The inputs from claims (losses and their trend,
the permanent share, other exits, recruitment and its trend), the stock-flow model and its Monte
Carlo, the loss bases (`loss_bases`). The answer for readers (bottom line, charts, tables) is
`recruitment_report`."""

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
    range_of,
)
from sustainment.claims import Estimate, estimate, id_list, one_per_statement, select, ua_general_staff
from sustainment.models import manpower, trends
from sustainment.models.manpower import Manpower
from sustainment.models.uncertainty import Range

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
