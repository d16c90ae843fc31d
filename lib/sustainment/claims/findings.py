"""Soft integrity checks: what an analyst should look at before trusting a claim, listed by
`sustainment audit` with file:line, row id and the reason. (The hard checks, which `validate`
refuses, are `validation.INTEGRITY_CHECKS`.) Each finding carries its check's code.

- a claim relaying the Ukrainian General Staff that disagrees with its daily series by > 5%;
- a period that does not match what the quote says ("in 2023", "since the invasion", "per day");
- a low-confidence claim that sets the central value of a headline estimate;
- a stated rate that implies more than a total stated for the same period;
- an outlier, more than 3x from the median of its metric, actor and year;
- a claim within 3% of the General Staff's series not marked as relaying it;
- a peak ("briefly reached") on a row that stands for its period's level;
- a capacity, plan or target ("can produce", "aims to") on an observed metric, not a forecast;
- an unattributed claim with the number of an attributed one;
- a non-Russian claimant linked only through Russian state media;
- a person the quote says spoke who is not the claimant;
- notes that contradict the row's coverage or period;
- a total since a launch that disagrees with the sum of the same actor's calendar-year claims;
- a rate spread up to the end of the month its source is dated to, with no day said.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.claims import id_list, one_per_statement, quotes
from sustainment.claims.validation import Problem

TOLERANCE = 0.05
OUTLIER_FACTOR = 3.0
COMPARABLE_TO_UA = ("casualties_killed_wounded", "casualties_killed_wounded_rate",
                    "casualties_killed_wounded_claimed_ua", "casualties_killed_wounded_claimed_ua_rate")


def _finding(row, column: str, message: str) -> Problem:
    return Problem(row["file"], int(row["line"]), row["id"], column, message)


def ua_series(claims: pd.DataFrame, daily_file: Path | None = None) -> pd.Series:
    """The Ukrainian General Staff's cumulative count by date: the daily file when given and
    present, else the month-end claims derived from it."""
    from sustainment.claims import ua_general_staff as ua

    if daily_file is not None and Path(daily_file).exists():
        daily = ua.parse(Path(daily_file).read_text(encoding="utf-8"))
        return pd.Series(daily["personnel"].to_numpy(float), index=pd.DatetimeIndex(daily["date"]))
    month_ends = claims[claims["source_id"] == ua.SOURCE_ID]
    return pd.Series(month_ends["canonical_value"].to_numpy(float), index=pd.DatetimeIndex(month_ends["period_end"]))


def _at(series: pd.Series, when: pd.Timestamp) -> float:
    """The cumulative series at a date, interpolated linearly in time; NaN outside its span."""
    if series.empty or when < series.index.min() or when > series.index.max():
        return np.nan
    days = series.index.values.astype("datetime64[D]").astype(float)
    return float(np.interp(np.datetime64(when.date(), "D").astype(float), days, series.to_numpy()))


def _ua_expected(row, series: pd.Series) -> tuple[float, str]:
    """What the General Staff's series says for a claim's period: its total at the end (a total) or
    its rate per month over the period (a rate); NaN outside the series."""
    from sustainment.claims.units import DAYS_PER_MONTH

    end = _at(series, row["period_end"])
    if row["kind"] == "cumulative":
        return end, f"its total on {row['period_end'].date()}"
    start = _at(series, row["period_start"] - pd.Timedelta(days=1))
    days = (row["period_end"] - row["period_start"]).days + 1
    return (end - start) / days * DAYS_PER_MONTH, f"its rate over {row['period_start'].date()}..{row['period_end'].date()}"


def ua_disagreements(claims: pd.DataFrame, series: pd.Series) -> list[Problem]:
    """Claims attributed to or relayed from the General Staff that differ from its own series."""
    from sustainment.claims import ua_general_staff as ua

    relayed = claims[ua.relays(claims) & claims["metric"].isin(COMPARABLE_TO_UA) & (claims["source_id"] != ua.SOURCE_ID)]
    found = []
    for _, row in relayed.iterrows():
        expected, what = _ua_expected(row, series)
        if np.isnan(expected) or expected <= 0:
            continue
        gap = row["canonical_value"] / expected - 1
        if abs(gap) > TOLERANCE:
            found.append(_finding(row, "value", f"differs from the Ukrainian General Staff's daily series by "
                                                f"{gap:+.0%} ({what}: {expected:,.0f} {row['canonical_unit']})"))
    return found


def _time_unit(unit: str) -> str:
    denominator = unit.split("/", 1)[1].strip().lower() if "/" in unit else ""
    return {"d": "day", "days": "day", "months": "month", "years": "year", "yr": "year"}.get(denominator, denominator)


def period_mismatches(claims: pd.DataFrame) -> list[Problem]:
    """A period longer or shorter than the quote says: "in 2023" for a period inside 2023 that
    neither starts on 1 January (a year to date) nor is named in the quote ("in the second quarter"),
    "since the invasion" that does not start on 2022-02-24, "per day" on a row kept per month."""
    found = []
    invasion = pd.Timestamp("2022-02-24")
    for _, row in claims.iterrows():
        quote, start, end = row["quote"], row["period_start"], row["period_end"]
        for year in quotes.calendar_years(quote):
            inside = start.year == end.year == year
            from_new_year = start == pd.Timestamp(f"{year}-01-01") or (year == 2022 and start == invasion)
            if inside and not from_new_year and not quotes.names_part_of_year(quote):
                found.append(_finding(row, "period_start", f"the quote says 'in {year}' but the period is "
                                                           f"{start.date()}..{end.date()}"))
        if quotes.says_since_invasion(quote) and abs((start - invasion).days) > 3 and row["kind"] != "stock":
            found.append(_finding(row, "period_start",
                                  f"the quote counts since the invasion but the period starts {start.date()}"))
        stated, kept = quotes.per_period(quote), _time_unit(row["unit"])
        if stated and kept and kept not in stated:
            found.append(_finding(row, "unit", f"the quote states a rate per {' / '.join(sorted(stated))} but the row "
                                               f"is kept per {kept}"))
    return found


def low_confidence_centrals(claims: pd.DataFrame, headline: pd.DataFrame) -> list[Problem]:
    """Low-confidence claims that set the central value of a headline estimate (`headline`:
    columns `estimate`, a label, and `central_ids`, tuples of ids)."""
    rows = claims.set_index("id")
    found = []
    for label, ids in zip(headline["estimate"], headline["central_ids"]):
        for claim_id in id_list(ids):
            if rows.at[claim_id, "confidence"] == "low":
                row = rows.loc[claim_id].to_dict() | {"id": claim_id}
                found.append(_finding(row, "confidence", f"confidence low, yet it sets the central value of {label}"))
    return found


def rates_beyond_totals(claims: pd.DataFrame) -> list[Problem]:
    """A rate claim (metric `X_rate`) that, over its own period, implies more than a total of `X`
    stated by the same source for a period that contains it."""
    from sustainment.claims.units import DAYS_PER_MONTH

    found = []
    totals = claims[claims["kind"] == "cumulative"]
    for _, rate in claims[claims["metric"].str.endswith("_rate") & (claims["kind"] == "flow")].iterrows():
        days = (rate["period_end"] - rate["period_start"]).days + 1
        implied = rate["canonical_value"] * days / DAYS_PER_MONTH
        same = totals[(totals["metric"] == rate["metric"].removesuffix("_rate")) & (totals["actor"] == rate["actor"])
                      & (totals["source_id"] == rate["source_id"]) & (totals["period_start"] <= rate["period_start"])
                      & (totals["period_end"] >= rate["period_end"])]
        for _, total in same.iterrows():
            if implied > total["canonical_value"] * (1 + TOLERANCE):
                found.append(_finding(rate, "value", f"{rate['canonical_value']:,.0f} {rate['canonical_unit']} over "
                                                     f"{days} days is {implied:,.0f}, more than the total "
                                                     f"{total['canonical_value']:,.0f} of {total['id']!r}"))
    return found


def outliers(claims: pd.DataFrame, factor: float = OUTLIER_FACTOR) -> list[Problem]:
    """Claims more than `factor` times above or below the median of their metric, actor and year
    (groups of three claims or more; statements counted once; not totals since a date, which grow)."""
    kept, _ = one_per_statement(claims[(claims["canonical_value"] > 0) & (claims["kind"] != "cumulative")])
    year = kept["period_end"].dt.year
    median = kept.groupby([kept["metric"], kept["actor"], year])["canonical_value"].transform("median")
    size = kept.groupby([kept["metric"], kept["actor"], year])["canonical_value"].transform("size")
    ratio = kept["canonical_value"] / median
    flagged = kept[(size >= 3) & ((ratio > factor) | (ratio < 1 / factor))]
    return [_finding(row, "value", f"{ratio[index]:.1f}x the median of the {int(size[index])} claims for "
                                   f"{row['metric']} / {row['actor']} in {row['period_end'].year} "
                                   f"({median[index]:,.0f} {row['canonical_unit']})")
            for index, row in flagged.iterrows()]


RELAY_TOLERANCE = 0.03  # another claimant this close to the General Staff's count is probably relaying it


def unmarked_ua_relays(claims: pd.DataFrame, series: pd.Series) -> list[Problem]:
    """A claim not marked as the General Staff's (claimant, metric, scope) within 3% of its series:
    probably a relay, which is not independent evidence; say so in scope and claimant."""
    from sustainment.claims import ua_general_staff as ua

    others = claims[~ua.relays(claims) & claims["metric"].isin(COMPARABLE_TO_UA)
                    & ~claims["scope"].str.contains("General Staff", case=False)]
    found = []
    for _, row in others.iterrows():
        expected, what = _ua_expected(row, series)
        if not np.isnan(expected) and expected > 0 and abs(row["canonical_value"] / expected - 1) <= RELAY_TOLERANCE:
            found.append(_finding(row, "scope", f"within {RELAY_TOLERANCE:.0%} of the Ukrainian General Staff's series "
                                                f"({what}: {expected:,.0f}): if it relays that count, say so in scope"))
    return found


def peaks_as_levels(claims: pd.DataFrame) -> list[Problem]:
    """A quote that describes a peak ("briefly reached", "at its peak", "a record") on a row that stands
    for the period's level (point, approx or range, full coverage)."""
    level = claims["bound"].isin(("point", "approx", "range")) & (claims["coverage"] == "full")
    return [_finding(row, "bound", f"the quote describes a peak ({quotes.peak_words(row['quote'])!r}), yet the row "
                                   "stands for the level of its period: use up_to, or a one-day period, or say so")
            for _, row in claims[level].iterrows() if quotes.peak_words(row["quote"])]


def plans_as_observations(claims: pd.DataFrame) -> list[Problem]:
    """A quote about capacity, a plan or a target ("can produce", "aims to", "capacity") on an
    observed metric not marked as a forecast: what could or should happen is not what happened."""
    observed = (claims["nature"] == "observed") & (claims["forecast"] != "yes")
    return [_finding(row, "metric", f"the quote speaks of {quotes.plan_words(row['quote'])!r} but {row['metric']!r} "
                                    "is observed: move it to the capacity or target metric, or mark it forecast")
            for _, row in claims[observed].iterrows() if quotes.plan_words(row["quote"])]


UNATTRIBUTED = r"\b(?:unattributed|unnamed|anonymous|not stated|unknown)\b"


def unattributed_repeats(claims: pd.DataFrame) -> list[Problem]:
    """An unattributed claim with the number of an attributed one (same metric and actor, within 1%,
    ending within a month of it): probably the same statement, to be credited to its owner."""
    unnamed = claims["claimant"].str.contains(UNATTRIBUTED, case=False)
    named = claims[~unnamed]
    found = []
    for _, row in claims[unnamed].iterrows():
        same = named[(named["metric"] == row["metric"]) & (named["actor"] == row["actor"])
                     & ((named["canonical_value"] - row["canonical_value"]).abs() <= 0.01 * abs(row["canonical_value"]))
                     & ((named["period_end"] - row["period_end"]).abs() <= pd.Timedelta(days=31))]
        if len(same):
            owner = same.iloc[0]
            found.append(_finding(row, "claimant", f"unattributed, yet row {owner['id']!r} ({owner['claimant']}) states "
                                                   "the same number: credit who said it, and share a statement key"))
    return found


def western_words_via_russian_state_media(claims: pd.DataFrame) -> list[Problem]:
    """A claimant who is not Russian linked only through Russian state media (TASS, RIA, Sputnik, RT):
    find the statement in another outlet, or the speaker's own page."""
    state = claims["publisher"].str.contains(quotes.RUSSIAN_STATE_MEDIA, case=False)
    russian = claims["claimant"].str.contains(quotes.RUSSIAN_SPEAKERS, case=False)
    return [_finding(row, "source_id", f"{row['claimant']!r} reaches us only through {row['publisher']!r}: "
                                       "link a copy outside Russian state media")
            for _, row in claims[state & ~russian].iterrows()]


def speakers_not_claimants(claims: pd.DataFrame) -> list[Problem]:
    """A person the quote (or its translation) says spoke ("X said", "according to X") whom the
    claimant does not name: credit who said it, or say why the claimant differs."""
    found = []
    for _, row in claims.iterrows():
        text = row["quote_en"] or row["quote"]
        others = [name for name in dict.fromkeys(quotes.speakers(text)) if not quotes.names_match(name, row["claimant"])]
        if others:
            found.append(_finding(row, "claimant", f"the quote has {', '.join(others)} speaking, the claimant is "
                                                   f"{row['claimant']!r}: credit who said it"))
    return found


PARTIAL_NOTE = re.compile(r"\b(?:marked|recorded|kept|coverage(?: is)?:?) (?:as )?partial\b|\bpartial coverage\b", re.IGNORECASE)
FULL_NOTE = re.compile(r"\b(?:marked|recorded|kept|coverage(?: is)?:?) (?:as )?full\b|\bfull coverage\b", re.IGNORECASE)
NOTE_DATE = r"(?: date)?(?: (?:moved|set|changed))?(?: (?:to|is|=|on|at))? (\d{4}-\d{2}-\d{2})\b"
NOTE_DATES = {"period_start": re.compile(r"\b(?:period_start|start)" + NOTE_DATE, re.IGNORECASE),
              "period_end": re.compile(r"\b(?:period_end|end)" + NOTE_DATE, re.IGNORECASE)}


def notes_against_columns(claims: pd.DataFrame) -> list[Problem]:
    """Notes that say something the columns do not: "marked partial" on a full-coverage row (or
    the reverse), a start or end date other than the row's."""
    found = []
    for _, row in claims.iterrows():
        notes = row["notes"]
        for pattern, other in ((PARTIAL_NOTE, "full"), (FULL_NOTE, "partial")):
            if row["coverage"] == other and pattern.search(notes):
                found.append(_finding(row, "coverage", f"the notes say {pattern.search(notes).group(0)!r} but coverage "
                                                       f"is {other}"))
        for column, pattern in NOTE_DATES.items():
            for date in pattern.findall(notes):
                if pd.Timestamp(date) != row[column]:
                    found.append(_finding(row, column, f"the notes give {column} {date} but the row has "
                                                       f"{row[column].date()}"))
    return found


LAUNCH_TOLERANCE = 0.10  # a total since a launch and the sum of its calendar years: within 10%
YEAR_END_SLACK = pd.Timedelta(days=45)  # a total reported in early January speaks for the year just ended


def _over_period(claims: pd.DataFrame) -> pd.Series:
    """Each flow claim as the total over its period (its canonical value is a rate per year, month or day)."""
    from sustainment.claims.units import DAYS_PER_MONTH, DAYS_PER_YEAR

    per = claims["canonical_unit"].map(lambda unit: {"year": DAYS_PER_YEAR, "month": DAYS_PER_MONTH, "day": 1.0}.get(
        _time_unit(unit), np.nan))
    return claims["canonical_value"] * ((claims["period_end"] - claims["period_start"]).dt.days + 1) / per


def _calendar_years(claims: pd.DataFrame) -> pd.Series:
    """(metric, actor, year) -> the median total of the observed, full-coverage claims of that calendar year."""
    days = (claims["period_end"] - claims["period_start"]).dt.days
    whole = claims[(claims["kind"] == "flow") & (claims["period_start"].dt.strftime("%m-%d") == "01-01")
                   & (claims["period_end"].dt.strftime("%m-%d") == "12-31") & (days >= 364) & (days <= 366)
                   & claims["bound"].isin(("point", "approx", "range")) & (claims["coverage"] == "full")
                   & (claims["forecast"] != "yes") & (claims["nature"] == "observed")]
    return _over_period(whole).groupby([whole["metric"], whole["actor"], whole["period_end"].dt.year]).median()


def _three_figures(value: float) -> str:
    """A total as a reader compares it: three significant figures (a year's days make the rest noise)."""
    return f"{float(f'{value:.3g}'):,.0f}"


def launch_totals_against_years(claims: pd.DataFrame) -> list[Problem]:
    """A total over several calendar years (a flow claim longer than a year, "since launch") that
    disagrees by more than 10% with the sum of the same actor's calendar-year claims for those
    years (a floor above the sum, a cap below it, a level off it); years without a claim: no check."""
    years = _calendar_years(claims)
    days = (claims["period_end"] - claims["period_start"]).dt.days
    found = []
    totals = claims[(claims["kind"] == "flow") & (days > 366) & (claims["coverage"] == "full")]
    for (_, row), stated in zip(totals.iterrows(), _over_period(totals)):
        last = (row["period_end"] - YEAR_END_SLACK).year
        span = range(row["period_start"].year, last + 1)
        parts = [years.get((row["metric"], row["actor"], year)) for year in span]
        if len(span) < 2 or any(part is None for part in parts):
            continue
        total = sum(parts)
        off = (total < stated * (1 - LAUNCH_TOLERANCE) if row["bound"] == "at_least" else
               total > stated * (1 + LAUNCH_TOLERANCE) if row["bound"] == "up_to" else
               abs(total / stated - 1) > LAUNCH_TOLERANCE)
        if off:
            found.append(_finding(row, "value", f"{_three_figures(stated)} from {row['period_start'].date()} to "
                                                f"{row['period_end'].date()}, but the calendar-year claims for "
                                                f"{span[0]}-{span[-1]} add up to {_three_figures(total)}: check the "
                                                "period or the years"))
    return found


def month_spread_rates(claims: pd.DataFrame) -> list[Problem]:
    """A rate (a unit per day, month or year) over a period that ends on the last day of the month
    its source is dated to, with no day said (`reported`): a source dated only to a month counts
    from the month's last day, so validate cannot see a rate said on one day ("currently") spread
    over weeks."""
    spread = (claims["unit"].str.contains("/", regex=False) & (claims["period_end"] == claims["published"])
              & claims["published"].dt.is_month_end & (claims["period_end"] > claims["period_start"])
              & claims["reported"].isna() & (claims["forecast"] != "yes") & (claims["nature"] == "observed"))
    return [_finding(row, "period_start", f"a rate over {row['period_start']:%Y-%m-%d} to {row['period_end']:%Y-%m-%d}, "
                                          f"up to the end of {row['published']:%B %Y}, the month its source is dated to, "
                                          "with no day said: a rate said on one day covers that day; give the day in "
                                          "`reported`, or say why the period")
            for _, row in claims[spread].iterrows()]


SOFT_CHECKS = (("ua-disagreement", ua_disagreements, ("ua_series",)), ("period-mismatch", period_mismatches, ()),
               ("low-confidence-central", low_confidence_centrals, ("headline",)),
               ("rate-beyond-total", rates_beyond_totals, ()), ("outlier", outliers, ()),
               ("unmarked-ua-relay", unmarked_ua_relays, ("ua_series",)), ("peak-as-level", peaks_as_levels, ()),
               ("plan-as-observation", plans_as_observations, ()), ("unattributed-repeat", unattributed_repeats, ()),
               ("russian-state-relay", western_words_via_russian_state_media, ()),
               ("speaker-not-claimant", speakers_not_claimants, ()), ("notes-against-columns", notes_against_columns, ()),
               ("launch-total-against-years", launch_totals_against_years, ()),
               ("month-spread-rate", month_spread_rates, ()))
# what `audit` lists: code, check, and what the check takes after the claims


def soft_findings(claims: pd.DataFrame, headline: pd.DataFrame, daily_file: Path | None = None) -> list[Problem]:
    """Every soft finding (`SOFT_CHECKS`), each with its check's code, sorted by file and line
    (`headline`: see `low_confidence_centrals`; the Ukrainian series is read once, if a check takes it)."""
    inputs = {"headline": lambda: headline, "ua_series": cache(lambda: ua_series(claims, daily_file))}
    found = [replace(problem, code=code) for code, check, takes in SOFT_CHECKS
             for problem in check(claims, *(inputs[name]() for name in takes))]
    return sorted(found, key=lambda p: (p.file, p.line, p.column, p.message))


def reviewed(finding: Problem, claims: pd.DataFrame) -> bool:
    """Whether a curator looked at this finding and kept the row: its notes say "<code> looked at"
    (for example "Audit 2026-12: plan-as-observation looked at: the quote says the target was reached")."""
    notes = claims.loc[claims["id"] == finding.row_id, "notes"]
    return bool(finding.code) and notes.str.contains(f"{finding.code} looked at", regex=False).any()
