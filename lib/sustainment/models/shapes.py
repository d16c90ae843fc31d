"""Totals over several calendar years, split into the years they span.

A flow claim whose period crosses the turn of a year ("about 6.5 million since 2023", 1.6 million
over the twelve months to February) speaks to several years at once. Spread flat over its days it
would say every year saw the same rate. Instead each total is split using the claims that speak to
its parts:

- a year whose own claims (claims within that year) state the quantity keeps them, and its share
  of the total is taken from them;
- a year linked to a stated year by a year-on-year claim (`<metric>_year_on_year`: "deliveries
  more than halved in 2025" is 0.5, at most) takes the linked year's rate times the factor, a cap
  when the factor is one;
- the years left share what remains of the total, at one rate, when they make up at least a
  tenth of its days (the rest over a few days is mostly the error of the stated years);
- with no year stated and no link, nothing shapes the total: it only caps each year it spans.

A cap or a floor over several years ("up to 12 million since 2023") bounds the total, not a year,
and is left out of the years. `split_totals` returns one synthetic claim per year the total sets or
caps (the claim's row with that year's part of its period, its rate, range and bound) and a table
of how each total was split, for the reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sustainment.claims import Estimate, estimate, select
from sustainment.claims.units import DAYS_PER_YEAR
from sustainment.claims.validation import POINT_LIKE
from sustainment.errors import NoClaimsError

YEAR_ON_YEAR = "_year_on_year"  # suffix of the metric holding a year's flow as a multiple of the year before's
MIN_REST_SHARE = 0.1  # the open years must hold this share of a total's days for the rest to set them
SPLIT_COLUMNS = ["id", "year", "start", "end", "days", "how", "low", "central", "high", "bound", "linked_ids"]


def spans_years(claims: pd.DataFrame) -> pd.Series:
    """Flow claims whose period crosses the turn of a year."""
    return (claims["kind"] == "flow") & (claims["period_start"].dt.year != claims["period_end"].dt.year)


def pieces(start: pd.Timestamp, end: pd.Timestamp) -> list[tuple[int, pd.Timestamp, pd.Timestamp]]:
    """(year, first day, last day) of each calendar year's part of start..end."""
    return [(year, max(start, pd.Timestamp(f"{year}-01-01")), min(end, pd.Timestamp(f"{year}-12-31")))
            for year in range(start.year, end.year + 1)]


def _stated(claims: pd.DataFrame, metric: str, actor: str, year: int, **options) -> Estimate | None:
    """The year's estimate from its own claims, when they state the quantity (not bounds only)."""
    try:
        found = estimate(claims, metric, actor, year, **options)
    except NoClaimsError:
        return None
    return None if found.bounded_only else found


def _links(claims: pd.DataFrame, metric: str, actor: str, as_of) -> dict[int, pd.Series]:
    """Year -> the latest year-on-year claim for it (a factor on the previous year's rate)."""
    linked = select(claims, metric=metric + YEAR_ON_YEAR, actor=actor, as_of=as_of)
    linked = linked.sort_values(["known_from", "id"], kind="stable")
    return {int(row["period_end"].year): row for _, row in linked.iterrows()}


def split_totals(claims: pd.DataFrame, metric: str, actor: str, *, munitions: str | None = None, policy: str = "central",
                 as_of=None, min_confidence: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(synthetic claims, splits): the actor's totals over several years split into years (see the
    module's docstring). The synthetic claims have the claims' columns, one row per total and year
    it sets or caps; `splits` has SPLIT_COLUMNS, one row per total and year it spans."""
    options = {"policy": policy, "as_of": as_of, "min_confidence": min_confidence, "munitions": munitions}
    known = select(claims, metric=metric, actor=actor, as_of=as_of, min_confidence=min_confidence)
    spanning = known[spans_years(known)]
    within = claims.drop(index=spanning.index)
    links = _links(claims, metric, actor, as_of)
    made, splits, known_years = [], [], {}
    for _, total in spanning.iterrows():
        parts = pieces(total["period_start"], total["period_end"])
        if total["coverage"] != "full" or total["bound"] not in POINT_LIKE:
            splits += [_split(total, year, start, end, "bounds the total, not a year") for year, start, end in parts]
            continue
        for year, _, _ in parts:
            if year not in known_years:
                known_years[year] = _stated(within, metric, actor, year, **options)
        stated = {year: known_years[year] for year, _, _ in parts}
        rows = _shares(total, parts, stated, links)
        splits += [row for row, _ in rows]
        made += [_synthetic(total, row) for row, sets in rows if sets]
    synthetic = pd.DataFrame(made, columns=claims.columns).reset_index(drop=True) if made else claims.iloc[:0]
    return synthetic, pd.DataFrame(splits, columns=SPLIT_COLUMNS)


def _split(total: pd.Series, year: int, start, end, how: str, low=np.nan, central=np.nan, high=np.nan,
           bound: str = "", linked_ids=()) -> dict:
    return {"id": total["id"], "year": year, "start": start, "end": end, "days": (end - start).days + 1, "how": how,
            "low": low, "central": central, "high": high, "bound": bound, "linked_ids": tuple(linked_ids)}


def _amount(rate: float, days: int) -> float:
    return rate * days / DAYS_PER_YEAR


def _shares(total: pd.Series, parts, stated: dict[int, Estimate | None], links: dict[int, pd.Series]) -> list[tuple[dict, bool]]:
    """(split row, whether it sets or caps its year) for each year of one total."""
    days = {year: (end - start).days + 1 for year, start, end in parts}
    span = {year: (start, end) for year, start, end in parts}
    all_days = sum(days.values())
    amount = {end: _amount(total[f"canonical_{end}"] if pd.notna(total[f"canonical_{end}"]) else total["canonical_value"],
                           all_days) for end in ("low", "value", "high")}
    rows: list[tuple[dict, bool]] = []
    linked: dict[int, tuple[float, float, float, str, tuple]] = {}
    for year in days:
        factor = links.get(year)
        before = stated.get(year - 1)
        if stated[year] is None and factor is not None and before is not None:
            f, cap = factor["canonical_value"], factor["bound"] == "up_to"
            linked[year] = (0.0 if cap else before.low * f, before.central * f, before.high * f,
                            "up_to" if cap else "approx", (factor["id"], *before.central_ids))
    open_years = [y for y in days if stated[y] is None and y not in linked]
    if all(stated[y] is None for y in days) and not linked:
        for year in days:
            cap = amount["high"] / days[year] * DAYS_PER_YEAR
            rows.append((_split(total, year, *span[year], "caps the year: nothing shapes the total", 0.0, cap, cap,
                                "up_to"), True))
        return rows
    taken = {end: sum(_amount(getattr(stated[y], end), days[y]) for y in days if stated[y] is not None)
             for end in ("low", "central", "high")}
    taken_linked = {end: sum(_amount(linked[y][i], days[y]) for y in linked) for i, end in enumerate(("low", "central", "high"))}
    for year in days:
        if stated[year] is not None:
            rows.append((_split(total, year, *span[year], "stated by the year's own claims",
                                stated[year].low, stated[year].central, stated[year].high, "",
                                stated[year].central_ids), False))
        elif year in linked:
            low, central, high, bound, ids = linked[year]
            rows.append((_split(total, year, *span[year], "year-on-year claim on the year before", low, central, high,
                                bound, ids), True))
    rest = sum(days[y] for y in open_years)
    if open_years and rest < MIN_REST_SHARE * all_days:
        rows += [(_split(total, y, *span[y], "too short a part to set from the rest"), False) for y in open_years]
    elif open_years:
        remainder = {"low": amount["low"] - taken["high"] - taken_linked["high"],
                     "central": amount["value"] - taken["central"] - taken_linked["central"],
                     "high": amount["high"] - taken["low"] - taken_linked["low"]}
        rate = {end: max(value, 0.0) / rest * DAYS_PER_YEAR for end, value in remainder.items()}
        ids = tuple(i for y in days if stated[y] is not None for i in stated[y].central_ids) + tuple(
            linked[y][4][0] for y in linked)
        for year in open_years:
            rows.append((_split(total, year, *span[year], "the rest of the total", rate["low"], rate["central"],
                                rate["high"], "approx", ids), True))
    return sorted(rows, key=lambda r: r[0]["year"])


def _synthetic(total: pd.Series, split: dict) -> pd.Series:
    """The total's row standing for one year's part: that part's period, rate, range and bound."""
    row = total.copy()
    row["period_start"], row["period_end"] = split["start"], split["end"]
    row["canonical_value"], row["canonical_low"], row["canonical_high"] = split["central"], split["low"], split["high"]
    row["bound"] = split["bound"]
    return row
