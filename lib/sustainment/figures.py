"""The curated figures: load and validate data/*.csv, select claims, turn claims into estimates.

One row of the loaded frame is one claim: a number, for a metric, an actor and a period, said
by a claimant in a source. Several claims for the same thing are normal; `estimate` turns them
into low / central / high and says which claims it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from sustainment import units, validation
from sustainment.paths import DATA_DIR
from sustainment.validation import DataError, Problem

__all__ = ["DataError", "Estimate", "NoClaimsError", "as_period", "estimate", "id_list", "load", "select", "source_line"]

CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
POLICIES = ("central", "low", "high", "latest", "source:<source_id>")


class NoClaimsError(LookupError):
    """No claim matches what an estimate was asked for."""


def figure_files(data_dir: Path) -> list[Path]:
    """data/figures.csv first, then any data/figures_*.csv (derived series), in name order."""
    return [data_dir / "figures.csv"] + sorted(data_dir.glob("figures_*.csv"))


def load(data_dir: Path | str | None = None) -> pd.DataFrame:
    """All claims, validated, with values also in their metric's canonical unit.

    Columns: the figures.csv columns (numbers as floats, dates as Timestamps), plus `kind`,
    `canonical_unit`, `canonical_value`, `canonical_low`, `canonical_high`, `side`, the
    source's `publisher`, `title`, `url`, `published`, and `known_from` (the date the claim was
    public: `reported` if given, else the source's publication date), `file` and `line`.
    Raises DataError listing every problem when the data is not valid.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    files = [data_dir / n for n in ("metrics.csv", "actors.csv", "sources.csv")] + figure_files(data_dir)
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (str(f), 0, 0) for f in files)
    return _load(data_dir, stamp).copy()


@lru_cache(maxsize=4)
def _load(data_dir: Path, stamp: tuple) -> pd.DataFrame:
    del stamp  # part of the cache key only: a changed file means a new load
    metrics, problems = validation.read_table(data_dir / "metrics.csv", validation.METRIC_COLUMNS, "name")
    actors, more = validation.read_table(data_dir / "actors.csv", validation.ACTOR_COLUMNS, "code")
    problems += more
    sources, more = validation.read_table(data_dir / "sources.csv", validation.SOURCE_COLUMNS, "source_id")
    problems += more
    parts = []
    for path in figure_files(data_dir):
        part, more = validation.read_table(path, validation.FIGURE_COLUMNS, "id")
        problems += more
        if part is not None:
            parts.append(part[validation.FIGURE_COLUMNS + [validation.LINE, validation.FILE]])
    if metrics is not None:
        problems += validation.validate_metrics(metrics)
    if actors is not None:
        problems += validation.validate_actors(actors)
    if sources is not None:
        problems += validation.validate_sources(sources)
    if problems or not parts:
        raise DataError(problems or [Problem(str(data_dir), 0, "", "", "no figures file")])
    claims = pd.concat(parts, ignore_index=True)
    problems += validation.validate_figures(claims, metrics, actors, sources)
    if problems:
        raise DataError(problems)
    return _tidy(claims, metrics, actors, sources)


def _tidy(claims: pd.DataFrame, metrics: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Join the vocabularies and sources, and add the canonical-unit columns."""
    metric = metrics.set_index("name")
    claims["kind"] = claims["metric"].map(metric["kind"])
    claims["canonical_unit"] = claims["metric"].map(metric["unit"])
    claims["side"] = claims["actor"].map(actors.set_index("code")["side"])
    days = (claims["period_end"] - claims["period_start"]).dt.days + 1
    multiplier = pd.Series(1.0, index=claims.index)
    for (unit, canonical), rows in claims.groupby(["unit", "canonical_unit"]).groups.items():
        factor, spread = units.conversion(unit, canonical)
        multiplier[rows] = factor / days[rows] if spread else factor
    for column in ("value", "low", "high"):
        claims[f"canonical_{column}"] = claims[column] * multiplier
    source = sources.set_index("source_id")[["publisher", "title", "url", "published"]]
    claims = claims.join(source, on="source_id")
    claims["known_from"] = claims["reported"].fillna(claims["published"])
    claims = claims.rename(columns={validation.FILE: "file", validation.LINE: "line"})
    return claims.sort_values(["metric", "actor", "period_end", "id"], kind="stable").reset_index(drop=True)


def as_period(period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A (start, end) pair of Timestamps, both days included.

    Accepts a year (2024 or "2024"), a month ("2024-10"), a day ("2024-10-28"), or a
    (start, end) pair of any of those (the start of the first, the end of the second).
    """
    if isinstance(period, tuple | list):
        if len(period) != 2:
            raise ValueError(f"period: expected (start, end), got {period!r}")
        return as_period(period[0])[0], as_period(period[1])[1]
    if isinstance(period, int):
        period = str(period)
    if isinstance(period, pd.Timestamp):
        return period.normalize(), period.normalize()
    text = str(period)
    for pattern, offset in ((r"\d{4}", pd.offsets.YearEnd(0)), (r"\d{4}-\d{2}", pd.offsets.MonthEnd(0)),
                            (r"\d{4}-\d{2}-\d{2}", pd.offsets.Day(0))):
        if pd.Series([text]).str.fullmatch(pattern).iloc[0]:
            start = pd.Timestamp(text)
            return start, start + offset
    raise ValueError(f"period: expected YYYY, YYYY-MM, YYYY-MM-DD or a pair, got {period!r}")


def _overlaps(claims: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Flows overlap the period; stocks and cumulative counts are dated by their period_end."""
    flow = (claims["period_start"] <= end) & (claims["period_end"] >= start)
    dated = claims["period_end"].between(start, end)
    return flow.where(claims["kind"] == "flow", dated)


def _one_or_many(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def select(claims: pd.DataFrame, metric=None, actor=None, side: str | None = None, claimant: str | None = None,
           period=None, as_of=None, min_confidence: str | None = None, source_id=None) -> pd.DataFrame:
    """The claims matching every filter given.

    metric, actor, source_id: one value or a list. claimant: case-insensitive substring.
    period: see `as_period`; flows must overlap it, stocks and cumulative counts end in it.
    as_of: only claims public on or before that date. min_confidence: "low" | "medium" | "high".
    """
    mask = pd.Series(True, index=claims.index)
    for column, wanted in (("metric", metric), ("actor", actor), ("source_id", source_id)):
        if wanted is not None:
            mask &= claims[column].isin(_one_or_many(wanted))
    if side is not None:
        mask &= claims["side"] == side
    if claimant is not None:
        mask &= claims["claimant"].str.contains(claimant, case=False, regex=False)
    if period is not None:
        mask &= _overlaps(claims, *as_period(period))
    if as_of is not None:
        mask &= claims["known_from"] <= as_period(as_of)[1]
    if min_confidence is not None:
        if min_confidence not in CONFIDENCE_RANK:
            raise ValueError(f"min_confidence: expected one of {list(CONFIDENCE_RANK)}, got {min_confidence!r}")
        mask &= claims["confidence"].map(CONFIDENCE_RANK) >= CONFIDENCE_RANK[min_confidence]
    return claims[mask]


@dataclass(frozen=True)
class Estimate:
    """low / central / high for one metric, actor and period, in the metric's canonical unit."""

    metric: str
    actor: str
    period: tuple[pd.Timestamp, pd.Timestamp]
    policy: str
    unit: str
    low: float
    central: float
    high: float
    claim_ids: tuple[str, ...] = field(default_factory=tuple)
    source_ids: tuple[str, ...] = field(default_factory=tuple)


def _policy_claims(found: pd.DataFrame, policy: str) -> pd.DataFrame:
    if policy in ("central", "low", "high"):
        return found
    if policy == "latest":
        latest = found.sort_values(["known_from", "period_end", "id"], kind="stable").iloc[[-1]]
        return latest
    if policy.startswith("source:"):
        return found[found["source_id"] == policy.removeprefix("source:")]
    raise ValueError(f"policy: expected one of {list(POLICIES)}, got {policy!r}")


def estimate(claims: pd.DataFrame, metric: str, actor: str, period, policy: str = "central", as_of=None,
             min_confidence: str | None = None) -> Estimate:
    """Combine the matching claims into low / central / high (canonical unit).

    Policies: `central` = median of the claims' values, low/high = the envelope of their
    values and stated ranges; `low` / `high` = the envelope's end as the central figure;
    `latest` = the most recently public claim alone, with its own range; `source:<id>` = the
    claims of that source alone (median, envelope). Raises NoClaimsError when nothing matches.
    """
    found = select(claims, metric=metric, actor=actor, period=period, as_of=as_of, min_confidence=min_confidence)
    used = _policy_claims(found, policy) if len(found) else found
    start, end = as_period(period)
    if used.empty:
        raise NoClaimsError(f"no claim for {metric} / {actor} in {start.date()}..{end.date()}"
                            + (f" under policy {policy!r}" if len(found) else ""))
    values = used["canonical_value"]
    low = float(used["canonical_low"].fillna(values).min())
    high = float(used["canonical_high"].fillna(values).max())
    central = {"low": low, "high": high}.get(policy, float(values.median()))
    return Estimate(metric, actor, (start, end), policy, used["canonical_unit"].iloc[0], low, central, high,
                    tuple(used["id"]), tuple(sorted(set(used["source_id"]))))


def id_list(*groups) -> list[str]:
    """Sorted unique ids from any mix of ids, ";"-joined id strings and iterables of either."""
    found: set[str] = set()
    for group in groups:
        items = [group] if isinstance(group, str) else group
        for item in items:
            found.update(i for i in str(item).split(";") if i and item == item)  # item == item skips NaN
    return sorted(found)


def source_line(claims: pd.DataFrame, source_ids) -> str:
    """'Publisher (2024); Other (2023)' for the given source ids, sorted, each publisher once per year."""
    rows = claims[claims["source_id"].isin(list(source_ids))].drop_duplicates("source_id")
    labels = sorted({f"{p} ({d.year})" for p, d in zip(rows["publisher"], rows["published"])})
    return "; ".join(labels)
