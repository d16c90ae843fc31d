"""The audit of the claims: the headline estimates' inputs, disagreement, staleness, cross-checks
between series that should bound each other, and the audit charts."""

from __future__ import annotations

import pandas as pd

from sustainment.analyses.ammunition import latest_supply_year
from sustainment.analyses.common import FIRST_YEAR, WINDOW_MONTHS, as_of_date
from sustainment.analyses.recruitment import recruitment_window
from sustainment.claims import estimate, id_list, select
from sustainment.claims.reads import record_reads
from sustainment.claims.units import DAYS_PER_MONTH
from sustainment.models import ammunition as ammo
from sustainment.presentation import narrative


def known_claims(claims: pd.DataFrame, as_of: pd.Timestamp, min_confidence: str) -> pd.DataFrame:
    """The claims public by `as_of` at `min_confidence` or above: what the audit looks at."""
    return select(claims, as_of=as_of, min_confidence=min_confidence)


def headline_inputs(claims: pd.DataFrame, as_of: str = "") -> pd.DataFrame:
    """The estimates the headline numbers rest on (each supply component per year, recruitment
    over the default window), with the claims that set their central values: `estimate`, `central_ids`."""
    when = as_of_date(claims, as_of)
    supply = ammo.annual_supply(claims, range(FIRST_YEAR, latest_supply_year(claims, when) + 1), as_of=when,
                                carry_forward=False)
    rows = [(f"{r.metric} / {r.actor} {r.year}", r.central_ids) for r in supply.itertuples() if r.status == "estimated"]
    window = recruitment_window(when, WINDOW_MONTHS)
    found = estimate(claims, "recruits", "RU", window, as_of=when)
    rows.append((f"recruits / RU {window[0]}..{window[1]}", found.central_ids))
    return pd.DataFrame(rows, columns=["estimate", "central_ids"])

def seed_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims curated from the seed article (their scope says so), in data order."""
    seed = claims[claims["scope"].str.contains("seed article", case=False, regex=False)].sort_values("id")
    record_reads(seed["metric"])
    return seed

def disagreement(claims: pd.DataFrame, as_of, min_claims: int = 2) -> pd.DataFrame:
    """How far claims for the same thing are apart (max / min): flows and stocks grouped by the
    year of period_end, cumulative totals by its month (totals grow: only near-simultaneous
    claims are comparable)."""
    known = select(claims, as_of=as_of)
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
    known = select(claims, as_of=when)
    newest = known.sort_values(["known_from", "id"]).groupby(["metric", "actor"]).tail(1)
    table = newest[["metric", "actor", "id", "known_from", "claimant"]].copy()
    table["months_old"] = ((when - table["known_from"]).dt.days / DAYS_PER_MONTH).round(1)
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
    known = select(claims, actor="RU", as_of=as_of)
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
         "lower_value": lambda v, r: narrative.link(f"{narrative.converted(v)} ({r['lower_date']:%Y-%m-%d})", claims,
                                                    [r["lower_id"]]),
         "upper_value": lambda v, r: narrative.link(f"{narrative.converted(v)} ({r['upper_date']:%Y-%m-%d})", claims,
                                                    [r["upper_id"]])})

def relay_table(claims: pd.DataFrame, daily_file=None) -> str:
    """Claims that relay the Ukrainian General Staff's count (UK updates among them) against its
    own daily series: those more than 5% off."""
    from sustainment.claims import findings

    found = findings.ua_disagreements(claims, findings.ua_series(claims, daily_file))
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
    """name -> Chart: each audited series' claims over time, titled with its finding: how far the
    claims for one period disagree at most (`disagreement_words`)."""
    from sustainment.presentation import plotting

    charts = {}
    for name, (metrics, actor, subtitle) in AUDITS.items():
        selection = select(known, metric=metrics, actor=actor)
        charts[name] = plotting.claims_over_time(claims, selection, disagreement_words(selection), subtitle)
    return charts


def disagreement_words(selection: pd.DataFrame) -> str:
    """The finding of an audited series: the period whose claims on one metric are furthest apart,
    who gave the lowest and the highest, and how many claims and claimants there are in all."""
    table = disagreement(selection, None)
    total = f"{len(selection)} claims from {selection['claimant'].map(narrative.speaker).nunique()} claimants"
    if table.empty:
        return f"No two claims for the same period: {total}"
    worst = table.iloc[0]
    period = select(selection, metric=worst["metric"])
    month = len(worst["period"]) == len("YYYY-MM")  # cumulative totals compare by month, the rest by year
    period = period[(period["period_end"].dt.strftime("%Y-%m" if month else "%Y") == worst["period"])
                    & (period["canonical_value"] > 0)]
    low, high = (period.sort_values(["canonical_value", "id"]).iloc[i] for i in (0, -1))
    return (f"Claims for {worst['period']} differ up to {narrative.times(worst['spread'])}: "
            f"{narrative.converted(low['canonical_value'])} ({narrative.speaker(low['claimant'])}) to "
            f"{narrative.converted(high['canonical_value'])} ({narrative.speaker(high['claimant'])}); {total}")

def disagreement_table(table: pd.DataFrame) -> str:
    return narrative.table(table, {"metric": "Metric", "actor": "Actor", "period": "Period", "claims": "Claims",
                                   "claimants": "Claimants", "low": "Lowest", "median": "Median", "high": "Highest",
                                   "spread": "Highest / lowest"},
                           {"metric": lambda v, _r: v.replace("_", " "), "claims": lambda v, _r: str(v),
                            "claimants": lambda v, _r: str(v), "spread": lambda v, _r: narrative.times(v),
                            **{c: (lambda v, r: narrative.converted(v)) for c in ("low", "median", "high")}})

def stale_table(table: pd.DataFrame, claims: pd.DataFrame) -> str:
    return narrative.table(table.assign(claim_ids=table["id"]),
                           {"metric": "Metric", "actor": "Actor", "known_from": "Newest claim public", "claimant": "By",
                            "months_old": "Months old", "stale": "Stale"},
                           {"metric": lambda v, _r: v.replace("_", " "),
                            "known_from": lambda v, r: narrative.link(f"{v:%Y-%m-%d}", claims, [r["id"]]),
                            "months_old": lambda v, _r: f"{v:.0f}", "stale": lambda v, _r: "yes" if v else "no"})

def headline_claims_table(key_numbers: pd.DataFrame, claims: pd.DataFrame) -> str:
    return narrative.table(key_numbers, {"number": "Headline number", "claim_ids": "Claims", "source_ids": "Sources"},
                           {"claim_ids": lambda v, _r: narrative.link(f"{len(id_list(v))} claims", claims,
                                                                      id_list(v)),
                            "source_ids": lambda v, _r: str(len(id_list(v)))})
