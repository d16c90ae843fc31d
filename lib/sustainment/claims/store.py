"""The curated claims: load and validate data/*.csv, select claims, turn claims into estimates.

One row of the loaded frame is one claim: a number, for a metric, an actor and a period, said
by a claimant in a source. Several claims for the same thing are normal; `estimate` turns them
into low / central / high and says which claims it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.claims import munitions as munition_bases
from sustainment.claims import validation
from sustainment.claims.reads import record_reads
from sustainment.claims.validation import Problem
from sustainment.errors import DataError, NoClaimsError
from sustainment.paths import ALL, DATA_DIR, claim_files

__all__ = ["Estimate", "as_period", "combine", "estimate", "id_list", "load", "one_per_statement", "roles", "select",
           "source_line"]

CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}


POLICIES = ("central", "low", "high", "latest", "source:<source_id>")


def load(data_dir: Path | str | None = None) -> pd.DataFrame:
    """All claims, validated, with values also in their metric's canonical unit.

    Columns: the claims.csv columns (numbers as floats, dates as Timestamps), plus `kind`, `nature`,
    `canonical_unit`, `canonical_value`, `canonical_low`, `canonical_high`, `side`, `actor_name`, the
    source's `publisher`, `title`, `url`, `published`, `source_kind` and `original_*` columns,
    `credit` and `credit_year` (who first published the claim, and when: the original publisher
    for a relay), `known_from` (the date the claim was public: `reported` if given, else the
    source's publication date), `file` and `line`.
    Raises DataError listing every problem when the data is not valid.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    files = [data_dir / n for n in ("metrics.csv", "actors.csv", "sources.csv")] + claim_files(data_dir)
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
    for path in claim_files(data_dir):
        part, more = validation.read_table(path, validation.CLAIM_COLUMNS, "id")
        problems += more
        if part is not None:
            part = part.assign(**{c: v for c, v in validation.OPTIONAL_CLAIM_COLUMNS.items() if c not in part})
            columns = validation.CLAIM_COLUMNS + list(validation.OPTIONAL_CLAIM_COLUMNS)
            parts.append(part[columns + [validation.LINE, validation.FILE]])
    if metrics is not None:
        problems += validation.validate_metrics(metrics)
    if actors is not None:
        problems += validation.validate_actors(actors)
    if sources is not None:
        problems += validation.validate_sources(sources)
    if problems or not parts:
        raise DataError(problems or [Problem(str(data_dir), 0, "", "", "no claims file")])
    claims = pd.concat(parts, ignore_index=True)
    if claims.empty:
        raise DataError([Problem(validation.relative(claim_files(data_dir)[0]), 1, "", "", "no claims: every record is blank")])
    problems += validation.validate_claims(claims, metrics, actors, sources)
    if problems:
        raise DataError(problems)
    return _tidy(claims, metrics, actors, sources)


def _tidy(claims: pd.DataFrame, metrics: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Join the vocabularies and sources, and add the canonical-unit columns."""
    metric = metrics.set_index("name")
    claims["kind"] = claims["metric"].map(metric["kind"])
    claims["nature"] = claims["metric"].map(metric["nature"])
    claims["canonical_unit"] = claims["metric"].map(metric["unit"])
    claims["side"] = claims["actor"].map(actors.set_index("code")["side"])
    claims["actor_name"] = claims["actor"].map(actors.set_index("code")["name"])
    multiplier = validation.canonical_multipliers(claims, claims["canonical_unit"])
    for column in ("value", "low", "high"):
        claims[f"canonical_{column}"] = claims[column] * multiplier
    source = sources.set_index("source_id")[["publisher", "title", "url", "published", "kind", "original_publisher",
                                             "original_title", "original_published", "original_url"]]
    claims = claims.join(source.rename(columns={"kind": "source_kind"}), on="source_id")
    claims["credit"] = claims["original_publisher"].mask(claims["original_publisher"] == "", claims["publisher"])
    claims["credit_year"] = claims["original_published"].fillna(claims["published"]).dt.year
    claims["known_from"] = validation.public_days(claims["reported"], claims["published"])
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
    record_reads(_one_or_many(metric) if metric is not None else [ALL])
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
    """low / central / high for one metric, actor and period, in the metric's canonical unit.

    `central_ids` are the claims whose values set the central figure; `bound_ids` only bounded
    the range ("up to", "at least", a part such as one plant or one calibre, or a forecast beside
    observed claims); `repeat_ids` were
    left out because another row of the same statement was counted. `basis` says whether any claim
    stated the quantity itself ("claims") or only bounds did ("upper bounds only", "lower bounds
    only", "bounds only"): then the central figure is a bound, and charts and findings say so.
    """

    metric: str
    actor: str
    period: tuple[pd.Timestamp, pd.Timestamp]
    policy: str
    unit: str
    low: float
    central: float
    high: float
    central_ids: tuple[str, ...] = field(default_factory=tuple)
    bound_ids: tuple[str, ...] = field(default_factory=tuple)
    repeat_ids: tuple[str, ...] = field(default_factory=tuple)
    source_ids: tuple[str, ...] = field(default_factory=tuple)
    basis: str = "claims"
    munitions_read: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (id, 'floor' | 'cap' | 'converted' ...)

    @property
    def claim_ids(self) -> tuple[str, ...]:
        """Every claim that fed the estimate: those that set the central figure and those that bounded it."""
        return tuple(sorted(self.central_ids + self.bound_ids))

    @property
    def bounded_only(self) -> bool:
        return self.basis != "claims"


ROLES = ("central", "forecast", "upper", "lower", "unused")


def roles(claims: pd.DataFrame) -> pd.Series:
    """What each claim can say about the whole quantity its metric names for its actor and period:
    `central` (a full-coverage point, approximate figure or range said once the period had
    begun to be observed), `forecast` (the same, projected: it sets the central figure only where
    no observed claim does), `upper` (a full-coverage "up to"), `lower` (a full-coverage "at
    least", or any part of the whole that is not a cap: the whole is at least the part) or `unused`
    (a cap on a part says nothing about the whole)."""
    full = claims["coverage"] == "full"
    point = claims["bound"].isin(validation.POINT_LIKE)
    role = pd.Series("unused", index=claims.index)
    role[~full & (claims["bound"] != "up_to")] = "lower"
    role[full & (claims["bound"] == "at_least")] = "lower"
    role[full & (claims["bound"] == "up_to")] = "upper"
    role[full & point] = "central"
    role[full & point & (claims["forecast"] == "yes")] = "forecast"
    return role


def one_per_statement(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, repeats): one row per `statement` key, preferring a row that can set the central
    figure, then higher confidence, then the earliest public, then the id; rows without a key stand alone."""
    ranked = claims.assign(_role=roles(claims).map(ROLES.index), _confidence=-claims["confidence"].map(CONFIDENCE_RANK))
    ranked = ranked.sort_values(["_role", "_confidence", "known_from", "id"], kind="stable")
    repeat = ranked["statement"].ne("") & ranked.duplicated("statement")
    kept = ranked[~repeat].drop(columns=["_role", "_confidence"])
    return kept.loc[claims.index.intersection(kept.index)], claims.loc[ranked.index[repeat]]


def _policy_claims(found: pd.DataFrame, policy: str) -> pd.DataFrame:
    if policy in ("central", "low", "high"):
        return found
    if policy == "latest":
        preferred = found[roles(found).isin(("central", "forecast"))]
        pool = preferred if len(preferred) else found
        return pool.sort_values(["known_from", "period_end", "id"], kind="stable").iloc[[-1]]
    if policy.startswith("source:"):
        return found[found["source_id"] == policy.removeprefix("source:")]
    raise ValueError(f"policy: expected one of {list(POLICIES)}, got {policy!r}")


def combine(used: pd.DataFrame) -> tuple[float, float, float, str, pd.Series]:
    """(low, central, high, basis, role) from claims already reduced to one per statement; `role`
    is each claim's role as used (forecasts promoted to `central` where no claim is observed).

    Central: the median of the values of the claims that state the quantity (`central` role, or
    `forecast` where no claim is observed). Range: the envelope of those claims' values and stated
    ranges, of the forecasts' and of every bound: an "up to" counts with its cap, an "at least" or
    a part with its floor, so a bound above the points raises only the high end and one below them
    lowers only the low end. With no central claim the median bound is the central figure and
    `basis` says so; caps alone leave the low end at 0.
    """
    role = roles(used)
    if not (role == "central").any():
        role = role.replace("forecast", "central")
    centre = role == "central"
    spread = role == "forecast"  # projections beside observed claims: they widen the range only
    bound = (used["canonical_high"].where(role == "upper").fillna(used["canonical_low"].where(role == "lower"))
             .fillna(used["canonical_value"]))[~centre & ~spread]
    if centre.any():
        ranged = centre | spread
        value = used["canonical_value"]
        low = min(used.loc[ranged, "canonical_low"].fillna(value).min(), bound.min() if len(bound) else np.inf)
        high = max(used.loc[ranged, "canonical_high"].fillna(value).max(), bound.max() if len(bound) else -np.inf)
        return float(low), float(used.loc[centre, "canonical_value"].median()), float(high), "claims", role
    lower = role[~centre] == "lower"
    basis = "lower bounds only" if lower.all() else "bounds only" if lower.any() else "upper bounds only"
    low = float(bound.min()) if lower.any() else 0.0
    return low, float(bound.median()), float(bound.max()), basis, role


def estimate(claims: pd.DataFrame, metric: str, actor: str, period, policy: str = "central", as_of=None,
             min_confidence: str | None = None, munitions: str | None = None) -> Estimate:
    """Combine the matching claims into low / central / high (canonical unit); see `combine`.

    `munitions`: the basis the estimate counts (see `claims.munitions`); claims on another basis
    then enter as caps, floors or converted through a sourced breakdown (`munitions_read` says which).

    A statement repeated by several rows counts once (`one_per_statement`). Policies: `central`
    = the median of the claims that state the quantity; `low` / `high` = an end of the range as the
    central figure; `latest` = the most recently public claim alone (one that states the quantity
    if any does); `source:<id>` = that source's claims alone. Raises NoClaimsError when nothing
    matches or only caps on a part of the quantity do.
    """
    found = select(claims, metric=metric, actor=actor, period=period, as_of=as_of, min_confidence=min_confidence)
    if munitions is not None:
        known = select(claims, metric=metric, actor=actor, as_of=as_of, min_confidence=min_confidence)
        found = munition_bases.on_basis(found, munitions, munition_bases.breakdowns(known, munitions))
    start, end = as_period(period)
    where = f"{metric} / {actor} in {start.date()}..{end.date()}"
    chosen = _policy_claims(found, policy) if len(found) else found
    if chosen.empty:
        raise NoClaimsError(f"no claim for {where}" + (f" under policy {policy!r}" if len(found) else ""))
    kept, repeats = one_per_statement(chosen)
    if policy == "latest":
        kept = _policy_claims(kept, policy)
    role = roles(kept)
    used = kept[role != "unused"]
    if used.empty:
        raise NoClaimsError(f"no claim for {where} that bounds the whole: only caps on a part ({', '.join(kept['id'])})")
    low, central, high, basis, role = combine(used)
    central = {"low": low, "high": high}.get(policy, central)
    return Estimate(metric, actor, (start, end), policy, used["canonical_unit"].iloc[0], low, central, high,
                    tuple(sorted(used.loc[role == "central", "id"])), tuple(sorted(used.loc[role != "central", "id"])),
                    tuple(sorted(repeats["id"])), tuple(sorted(set(used["source_id"]))), basis,
                    _munitions_read(kept))


def _munitions_read(kept: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(id, how) for each counted claim read on another basis than its own (`munitions.on_basis`)."""
    if "munitions_read" not in kept:
        return ()
    read = kept[kept["munitions_read"] != ""]
    return tuple(sorted(zip(read["id"], read["munitions_read"])))


ID_SEPARATOR = ";"


def id_list(*groups) -> list[str]:
    """Sorted unique ids from any mix of ids and (nested) iterables of ids; empty strings and NaN are skipped.
    Inside the library ids travel as tuples: a joined string here is a mistake, refused."""
    found: set[str] = set()
    for group in groups:
        if isinstance(group, str):
            if ID_SEPARATOR in group:
                raise ValueError(f"joined claim ids {group!r}: split them where they are read (split_ids)")
            found.update([group] if group else [])
        elif isinstance(group, float | None):
            continue  # NaN or None: no id
        else:
            found.update(id_list(*group))
    return sorted(found)


def join_ids(ids) -> str:
    """Ids as one text field, where they are written (CSV, notes); `split_ids` reads them back."""
    return ID_SEPARATOR.join(ids)


def split_ids(text: str) -> tuple[str, ...]:
    """Ids written by `join_ids`, as a tuple."""
    return tuple(i for i in str(text).split(ID_SEPARATOR) if i)


def source_line(claims: pd.DataFrame, source_ids, claim_ids=(), most: int | None = None) -> str:
    """'UK Ministry of Defence (2025); The Economist (2024)' for the given source ids: who first
    published each (the original publisher of a relay, never the relay), once per year; those
    contributing most of `claim_ids` first (then by name), at most `most` of them and '+N more'."""
    rows = claims[claims["source_id"].isin(list(source_ids))]
    labels = pd.Series([f"{credit} ({int(year)})" for credit, year in zip(rows["credit"], rows["credit_year"])],
                       index=rows.index, dtype=object)
    counts = labels[rows["id"].isin(list(claim_ids))].value_counts()
    ordered = sorted(set(labels), key=lambda label: (-counts.get(label, 0), label))
    shown = ordered if most is None else ordered[:most]
    return "; ".join(shown) + (f"; +{len(ordered) - len(shown)} more" if len(ordered) > len(shown) else "")
