"""Reading and validating the curated tables, with problems an analyst can act on.

Each problem names the file, the line, the row id and the column. Validation runs in two
stages so that one bad cell gives one message: `read_table` + `parse_*` turn text into numbers
and dates (reporting what does not parse), then pandera schemas check ranges, vocabularies and
uniqueness, and the cross-table checks (units against the metric, sources) run in pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.claims import dates, munitions, quotes, units
from sustainment.errors import CsvError, UnitError
from sustainment.files import read_csv
from sustainment.paths import relative

LINE = "_line"  # column holding each record's line number in its file
FILE = "_file"

METRIC_COLUMNS = ["name", "kind", "nature", "unit", "description"]
ACTOR_COLUMNS = ["code", "name", "side"]
SOURCE_COLUMNS = ["source_id", "publisher", "title", "url", "published", "accessed", "kind", "original_publisher",
                  "original_title", "original_published", "original_url"]
SOURCE_KINDS = ("primary", "relay")  # relay: a repost, mirror, summary or aggregator of someone else's report
CLAIM_COLUMNS = [
    "id", "metric", "actor", "period_start", "period_end", "value", "low", "high", "unit",
    "scope", "source_id", "claimant", "confidence", "quote", "reported", "notes", "bound", "coverage", "statement",
    "forecast",
]
OPTIONAL_CLAIM_COLUMNS = {"quote_en": "", "munitions": ""}  # a column a claims file may leave out, with the value it then has
KINDS = ("flow", "stock", "cumulative")
NATURES = ("observed", "capacity", "target", "need")  # only `observed` metrics report what has happened
BOUNDS = ("point", "approx", "at_least", "up_to", "range")
POINT_LIKE = ("point", "approx", "range")  # bounds whose value can stand for the quantity itself
COVERAGES = ("full", "partial")
DEFAULTS = {"bound": "point", "coverage": "full"}
SIGNED_SUFFIX = "_change"  # metrics named *_change (a net change) may be negative; every other count may not
SIDES = ("russia", "west")
CONFIDENCE = ("high", "medium", "low")
ID_PATTERN = r"^[a-z0-9][a-z0-9._+-]*$"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell, row or file."""

    file: str
    line: int
    row_id: str
    column: str
    message: str
    code: str = ""  # the named check that found it (see INTEGRITY_CHECKS, findings.SOFT_CHECKS); "" for a cell or schema problem

    def __str__(self) -> str:
        where = [f"row {self.row_id!r}"] * bool(self.row_id) + [f"column {self.column!r}"] * bool(self.column)
        return (f"{self.file}:{self.line}: " + (" ".join(where) + ": " if where else "") + self.message
                + (f" [{self.code}]" if self.code else ""))


def read_table(path: Path, columns: list[str], id_column: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV (through `files.read_csv`) as text cells, with each record's line number.

    Returns (None, problems) when the file cannot be read as a table at all: missing, not
    UTF-8, empty, a repeated column, or a required column missing.
    """
    name = relative(path)
    try:
        header, rows = read_csv(path)
    except CsvError as err:
        return None, [Problem(name, err.line, "", "", str(err))]
    missing = [c for c in columns if c not in header]
    if missing:
        return None, [Problem(name, 1, "", c, "missing column") for c in missing]
    records, problems = [], []
    for start, cells in rows:
        if len(cells) != len(header):
            row_id = cells[header.index(id_column)] if header.index(id_column) < len(cells) else ""
            problems.append(Problem(name, start, row_id, "", f"expected {len(header)} fields, found {len(cells)}"))
            continue
        records.append(cells + [start])
    frame = pd.DataFrame(records, columns=header + [LINE]).astype({LINE: int})
    frame[FILE] = name
    return frame, problems


def _problem(frame: pd.DataFrame, index, id_column: str, column: str, message: str) -> Problem:
    row = frame.loc[index]
    return Problem(row[FILE], int(row[LINE]), str(row[id_column]), column, message)


THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"  # the one comma a number may carry: between groups of three digits
MAX_VALUE = 1e12  # beyond any count or rate of rounds or people; larger values are typing slips (and overflow models)


def parse_numbers(frame: pd.DataFrame, columns: list[str], required: list[str], id_column: str) -> list[Problem]:
    """Replace text by floats in `columns` (blank -> NaN); report blanks in `required` and non-numbers."""
    problems = []
    for column in columns:
        raw = frame[column].str.strip()
        grouped = raw.str.fullmatch(THOUSANDS)  # "1,000,000" is a million; "1,5" is no number here
        text = raw.where(~grouped, raw.str.replace(",", "", regex=False))
        numbers = pd.to_numeric(text.where((text != "") & ~text.str.contains(r"[,_\s]")), errors="coerce")
        for index in frame.index[(text != "") & numbers.isna()]:
            problems.append(_problem(frame, index, id_column, column, f"not a number: {frame.at[index, column]!r}"
                                     + (" (commas only between groups of three digits)" if "," in text[index] else "")))
        infinite = ~np.isfinite(numbers.fillna(0.0))
        for index in frame.index[infinite]:
            problems.append(_problem(frame, index, id_column, column, f"not a finite number: {frame.at[index, column]!r}"))
        huge = numbers.abs() > MAX_VALUE
        for index in frame.index[huge & ~infinite]:
            problems.append(_problem(frame, index, id_column, column,
                                     f"{frame.at[index, column]!r} is beyond {MAX_VALUE:g}: no count or rate here is that large"))
        numbers = numbers.where(~infinite & ~huge)
        if column in required:
            for index in frame.index[text == ""]:
                problems.append(_problem(frame, index, id_column, column, "missing value"))
        frame[column] = numbers.astype(float)
    return problems


def parse_dates(frame: pd.DataFrame, columns: list[str], required: list[str], id_column: str,
                partial: bool = False) -> list[Problem]:
    """Replace ISO dates (YYYY-MM-DD) by Timestamps; blank -> NaT.

    With `partial`, YYYY and YYYY-MM are accepted too and stand for the LAST day they cover
    (the earliest date by which the text was surely public).
    """
    problems = []
    for column in columns:
        text = frame[column]
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        if partial:
            month = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}-\d{2}")), format="%Y-%m", errors="coerce")
            year = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}")), format="%Y", errors="coerce")
            parsed = parsed.fillna(month + pd.offsets.MonthEnd(0)).fillna(year + pd.offsets.YearEnd(0))
        expected = "a date YYYY-MM-DD" + (" (or YYYY-MM, YYYY)" if partial else "")
        for index in frame.index[(text != "") & parsed.isna()]:
            problems.append(_problem(frame, index, id_column, column, f"bad date {text[index]!r}: expected {expected}"))
        if column in required:
            for index in frame.index[text == ""]:
                problems.append(_problem(frame, index, id_column, column, "missing date"))
        frame[column] = parsed
    return problems


def _message(check: str, failure_case) -> str:
    """A sentence for a pandera failure."""
    if check.startswith("isin"):
        return f"unknown value {failure_case!r}"
    if check == "field_uniqueness":
        return f"duplicate id {failure_case!r}"
    if check.startswith("str_length"):
        return "missing text"
    if check.startswith("str_matches"):
        return f"malformed value {failure_case!r}"
    return check


def schema_problems(schema, frame: pd.DataFrame, id_column: str, wide_columns: dict[str, str]) -> list[Problem]:
    """Run a pandera schema lazily and turn every failure case into a Problem.

    `wide_columns` maps the error text of a dataframe-level check to the column it blames.
    """
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    problems = []
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            raise RuntimeError(f"schema check failed as a whole: {case.check}: {case.failure_case}")
        if case.check in wide_columns:  # a check across columns: one problem, blamed on one column
            problems.append(_problem(frame, case.index, id_column, wide_columns[case.check], case.check))
        else:
            problems.append(_problem(frame, case.index, id_column, case.column, _message(case.check, case.failure_case)))
    return list(dict.fromkeys(problems))


def _text(pattern: str | None = None, options=None, required: bool = True, unique: bool = False):
    import pandera.pandas as pa

    checks = []
    if required:
        checks.append(pa.Check.str_length(min_value=1))
    if pattern:
        checks.append(pa.Check.str_matches(pattern))
    if options is not None:
        checks.append(pa.Check.isin(sorted(options)))
    return pa.Column(str, checks=checks, unique=unique, nullable=not required)


def validate_metrics(frame: pd.DataFrame) -> list[Problem]:
    import pandera.pandas as pa

    known_unit = pa.Check(lambda s: s.map(units.is_known), element_wise=False, error="unknown unit")
    schema = pa.DataFrameSchema({
        "name": _text(r"^[a-z][a-z0-9_]*$", unique=True),
        "kind": _text(options=KINDS),
        "nature": _text(options=NATURES),
        "unit": pa.Column(str, checks=[pa.Check.str_length(min_value=1), known_unit]),
        "description": _text(),
    })
    return schema_problems(schema, frame, "name", {})


def validate_actors(frame: pd.DataFrame) -> list[Problem]:
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({
        "code": _text(r"^[A-Z][A-Z0-9+]*$", unique=True),
        "name": _text(),
        "side": _text(options=SIDES),
    })
    return schema_problems(schema, frame, "code", {})


def _dated_after_reading(frame: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """A source published after the day it was read, or read after today: a typing slip that would
    move every report's "claims public by" (a partial date counts from its first day)."""
    import datetime

    today = datetime.date.today().isoformat()
    problems = []
    for index in frame.index[frame["accessed"].notna()]:
        published, accessed = raw.at[index, "published"], raw.at[index, "accessed"]
        first_day = dates.first_day(published)
        if accessed > today:
            problems.append(_problem(frame, index, "source_id", "accessed", f"read on {accessed}, after today ({today})"))
        elif pd.notna(frame.at[index, "published"]) and first_day > accessed:
            problems.append(_problem(frame, index, "source_id", "published",
                                     f"published {published}, after the day it was read ({accessed})"))
    return problems


def validate_sources(frame: pd.DataFrame) -> list[Problem]:
    """Sources need an id, a publisher, a title, an http(s) URL, dates (`published` may be
    partial) and a kind; a relay must name the original publisher of what it relays."""
    import pandera.pandas as pa

    public = [dates.public_day("", published, accessed) for published, accessed in zip(frame["published"], frame["accessed"])]
    raw = frame[["published", "accessed"]].copy()
    problems = parse_dates(frame, ["published", "original_published"], ["published"], "source_id", partial=True)
    problems += parse_dates(frame, ["accessed"], ["accessed"], "source_id")
    problems += _dated_after_reading(frame, raw)
    # the day the source was surely public: its partial date's last day, but no later than the day it was seen
    frame["published"] = pd.to_datetime(pd.Series(public, index=frame.index), format="%Y-%m-%d", errors="coerce").where(
        frame["published"].notna())
    schema = pa.DataFrameSchema(
        {
            "source_id": _text(ID_PATTERN, unique=True),
            "publisher": _text(),
            "title": _text(),
            "url": _text(r"^https?://\S+$"),
            "kind": _text(options=SOURCE_KINDS),
            "original_url": _text(r"^$|^https?://\S+$", required=False),
        },
        checks=[pa.Check(lambda d: ~((d["kind"] == "relay") & (d["original_publisher"] == "")),
                         error="a relay must name its original publisher")],
    )
    return problems + schema_problems(schema, frame, "source_id",
                                      {"a relay must name its original publisher": "original_publisher"})


def validate_claims(frame: pd.DataFrame, metrics: pd.DataFrame, actors: pd.DataFrame,
                     sources: pd.DataFrame) -> list[Problem]:
    """Parse and check the claims, including against the other tables. `frame` is typed in place."""
    import pandera.pandas as pa

    problems = parse_numbers(frame, ["value", "low", "high"], ["value"], "id")
    problems += parse_dates(frame, ["period_start", "period_end"], ["period_start", "period_end"], "id")
    problems += parse_dates(frame, ["reported"], [], "id")
    for column, default in DEFAULTS.items():
        frame[column] = frame[column].mask(frame[column] == "", default)
    canonical = frame["metric"].map(metrics.set_index("name")["unit"])
    signed = frame["metric"].str.endswith(SIGNED_SUFFIX)
    for column in ("value", "low", "high"):
        for index in frame.index[(frame[column] < 0) & ~signed]:
            problems.append(_problem(frame, index, "id", column,
                                     f"negative value {float(frame.at[index, column])!r}: counts cannot be below zero"))
    wide = {
        "low is above value": "low",
        "value is above high": "high",
        "period_end is before period_start": "period_end",
        "unit does not convert to the metric's unit": "unit",
        "bound 'range' needs both low and high": "bound",
    }

    def convertible(df: pd.DataFrame) -> pd.Series:
        pairs = zip(df["unit"], canonical[df.index])
        return pd.Series([_converts(unit, to) for unit, to in pairs], index=df.index)

    schema = pa.DataFrameSchema(
        {
            "id": _text(ID_PATTERN, unique=True),
            "metric": _text(options=metrics["name"]),
            "actor": _text(options=actors["code"]),
            "value": pa.Column(float, nullable=True),
            "low": pa.Column(float, nullable=True),
            "high": pa.Column(float, nullable=True),
            "unit": pa.Column(str, checks=[pa.Check.str_length(min_value=1),
                                           pa.Check(lambda s: s.map(units.is_known), error="unknown unit")]),
            "source_id": _text(options=sources["source_id"]),
            "claimant": _text(),
            "confidence": _text(options=CONFIDENCE),
            "quote": _text(),
            "bound": _text(options=BOUNDS),
            "coverage": _text(options=COVERAGES),
            "statement": _text(ID_PATTERN + "|^$", required=False),
            "forecast": _text(options=("", "yes"), required=False),
            "munitions": _text(options=("", *munitions.CHOICES), required=False),
        },
        checks=[
            pa.Check(lambda d: ~(d["low"] > d["value"]), error="low is above value"),
            pa.Check(lambda d: ~(d["value"] > d["high"]), error="value is above high"),
            pa.Check(lambda d: ~(d["period_end"] < d["period_start"]), error="period_end is before period_start"),
            pa.Check(convertible, error="unit does not convert to the metric's unit"),
            pa.Check(lambda d: ~((d["bound"] == "range") & (d["low"].isna() | d["high"].isna())),
                     error="bound 'range' needs both low and high"),
        ],
    )
    problems += schema_problems(schema, frame, "id", wide)
    return problems or integrity_problems(frame, metrics, sources)


def canonical_multipliers(claims: pd.DataFrame, canonical: pd.Series) -> pd.Series:
    """What turns each claim's value into its metric's unit (`canonical`): a unit conversion, and
    for a total of a flow, its spread over the period's days (see `units.canonical_multiplier`)."""
    days = (claims["period_end"] - claims["period_start"]).dt.days + 1
    return units.canonical_multiplier(claims["unit"], canonical, days)


def public_days(reported: pd.Series, published: pd.Series) -> pd.Series:
    """The day each claim was public (`dates.public_day`): the day said, else its source's publication
    (already its public day, see `validate_sources`)."""
    def iso(day) -> str:
        return "" if pd.isna(day) else f"{day:%Y-%m-%d}"

    return pd.Series(pd.to_datetime([dates.public_day(iso(r), iso(p), "") for r, p in zip(reported, published)]),
                     index=reported.index)


def repeated_statements(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """Two rows with the same quote, metric, actor and value (canonical units) without one shared `statement` key."""
    problems = []
    canonical = claims["metric"].map(metrics.set_index("name")["unit"])
    value = claims["value"] * canonical_multipliers(claims, canonical)
    keyed = claims.assign(_value=value.round(6).map("{:.6g}".format))
    for _, rows in keyed.groupby(["quote", "metric", "actor", "_value"], sort=False):
        if len(rows) > 1 and (rows["statement"].eq("").any() or rows["statement"].nunique() > 1):
            first = rows.iloc[0]
            for index in rows.index[1:]:
                problems.append(_problem(claims, index, "id", "statement",
                                         f"repeats row {first['id']!r} (same quote, metric, actor and value): one "
                                         "statement counts once, give both rows the same `statement` key"))
    return problems


def stated_bounds(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """A `point` or `approx` row whose quote puts "up to" or "at least" (or their kin) right before its value."""
    problems = []
    for index in claims.index[claims["bound"].isin(("point", "approx"))]:
        row = claims.loc[index]
        said = quotes.stated_bound(row["quote"], row["value"])
        if said:
            words = "up to" if said == "up_to" else "at least"
            problems.append(_problem(claims, index, "id", "bound",
                                     f"the quote says '{words}' this number but bound is {row['bound']!r}: set it to {said!r}"))
    return problems


def late_observations(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """An observed claim (not a forecast) whose period ends after the day it was public."""
    nature = claims["metric"].map(metrics.set_index("name")["nature"])
    published = claims["source_id"].map(sources.set_index("source_id")["published"])
    known_from = public_days(claims["reported"], published)
    late = (nature == "observed") & (claims["forecast"] != "yes") & (claims["period_end"] > known_from)
    return [_problem(claims, index, "id", "period_end",
                     f"an observed claim's period ends {claims.at[index, 'period_end'].date()}, after it was "
                     f"public ({known_from[index].date()}): end the period on the day it describes, "
                     "or mark the row forecast=yes") for index in claims.index[late]]


MIDPOINT_TOLERANCE = 0.01  # a range's value within 1% of (low + high) / 2
STATEMENT_TOLERANCE = 0.05  # rows of one statement say one number: within 5% once in canonical units


def range_midpoints(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """A `range` row whose value is not the midpoint of its low and high (a central figure given with
    its interval is `approx` with low and high)."""
    ranged = claims[(claims["bound"] == "range") & claims["low"].notna() & claims["high"].notna()]
    middle = (ranged["low"] + ranged["high"]) / 2
    off = ranged.index[(ranged["value"] - middle).abs() > MIDPOINT_TOLERANCE * middle.abs()]
    return [_problem(claims, index, "id", "value",
                     f"bound 'range' but value {claims.at[index, 'value']:g} is not the midpoint {middle[index]:g} of "
                     "low and high: a range's value is its midpoint; a central figure with an interval is 'approx'")
            for index in off]


def mismatched_statements(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """Rows sharing a `statement` key that are not one statement: another metric's unit, a number more
    than 5% apart in canonical units, or another period (the estimate would keep one row and drop
    the other as a repeat)."""
    keyed = claims[claims["statement"] != ""]
    canonical = keyed["metric"].map(metrics.set_index("name")["unit"])
    value = keyed["value"] * canonical_multipliers(keyed, canonical)
    problems = []
    for _, rows in keyed.groupby("statement", sort=False):
        first = rows.index[0]
        for index in rows.index[1:]:
            why = ("another unit" if canonical[index] != canonical[first]
                   else "another period" if (claims.at[index, "period_start"], claims.at[index, "period_end"])
                   != (claims.at[first, "period_start"], claims.at[first, "period_end"])
                   else "another number" if abs(value[index] - value[first]) > STATEMENT_TOLERANCE * abs(value[first])
                   else "")
            if why:
                problems.append(_problem(claims, index, "id", "statement",
                                         f"shares statement {claims.at[index, 'statement']!r} with row "
                                         f"{claims.at[first, 'id']!r} but states {why}: rows of one statement say "
                                         "one number for one period; clear the key"))
    return problems


def canonical_ranges(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """A value, low or high that becomes infinite or beyond 1e12 once converted to its metric's unit
    (a unit prefix such as Qrounds/month slips past the check on the number as typed)."""
    canonical = claims["metric"].map(metrics.set_index("name")["unit"])
    multiplier = canonical_multipliers(claims, canonical)
    problems = []
    for column in ("value", "low", "high"):
        converted = (claims[column] * multiplier).abs()
        for index in claims.index[claims[column].notna() & ~(converted <= MAX_VALUE)]:
            problems.append(_problem(claims, index, "id", "unit", f"{column} {claims.at[index, column]:g} "
                                     f"{claims.at[index, 'unit']} is {converted[index]:.3g} {canonical[index]}: beyond "
                                     f"{MAX_VALUE:g} or not finite; check the unit"))
    return problems


def munitions_bases(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """An ammunition claim that does not say what it counts (`munitions`, 'unstated' when the source does
    not say), or another claim that does."""
    ammunition = munitions.is_ammunition(claims["metric"])
    blank = claims["munitions"] == ""
    return ([_problem(claims, index, "id", "munitions", "an ammunition claim needs its basis: one of "
                      f"{', '.join(munitions.CHOICES)} ('unstated' when the source does not say what it counts)")
             for index in claims.index[ammunition & blank]]
            + [_problem(claims, index, "id", "munitions", f"{claims.at[index, 'metric']!r} does not count rounds: "
                        "leave munitions blank") for index in claims.index[~ammunition & ~blank]])


INTEGRITY_CHECKS = (("canonical-range", canonical_ranges), ("repeated-statement", repeated_statements),
                    ("stated-bound", stated_bounds), ("late-observation", late_observations),
                    ("range-midpoint", range_midpoints), ("statement-mismatch", mismatched_statements),
                    ("munitions-basis", munitions_bases))  # what `validate` refuses


def integrity_problems(claims: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """The hard integrity checks (`INTEGRITY_CHECKS`), on claims that passed the cell checks; each
    problem carries its check's code."""
    return [replace(problem, code=code) for code, check in INTEGRITY_CHECKS for problem in check(claims, metrics, sources)]


def _converts(unit: str, canonical) -> bool:
    """False only when a known `unit` cannot become a known metric's unit (others are reported elsewhere)."""
    if not isinstance(canonical, str) or not units.is_known(unit):
        return True
    try:
        units.conversion(unit, canonical)
    except UnitError:
        return False
    return True
