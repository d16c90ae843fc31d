"""Month-end cumulative claims of the General Staff of the Armed Forces of Ukraine.

Derives curated claims from the daily series published in the public dataset
PetroIvaniuk/2022-Ukraine-Russia-War-Dataset (MIT licence). The daily file itself is never
committed: only the month-end readings, each attributed like any other claim.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.errors import DatasetError
from sustainment.files import write_atomic

UPSTREAM_URL = ("https://raw.githubusercontent.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset/"
                "main/data/russia_losses_personnel.json")
SOURCE_ID = "ua-general-staff-daily-losses"
CLAIMANT = "General Staff of the Armed Forces of Ukraine"
FILE_NAME = "claims_ua_general_staff.csv"
INVASION = pd.Timestamp("2022-02-24")


CLAIMANT_PATTERN = re.compile(r"general staff of the armed forces of ukraine|ukrain\w* general staff|general staff of ukraine|"
                              r"ua general staff", re.IGNORECASE)


def relays(claims: pd.DataFrame) -> pd.Series:
    """True for claims attributed to, or relayed from, the General Staff (its own series included):
    they are not independent of its count."""
    return claims["claimant"].str.contains(CLAIMANT_PATTERN) | claims["metric"].str.contains("claimed_ua")


def parse(text: str) -> pd.DataFrame:
    """The daily records as a frame (date, personnel), sorted by date; raises DatasetError."""
    try:
        records = json.loads(text)
    except json.JSONDecodeError as err:
        raise DatasetError(f"not JSON: {err}") from None
    if not isinstance(records, list) or not records:
        raise DatasetError("expected a non-empty JSON list of daily records")
    if not all(isinstance(record, dict) for record in records):
        raise DatasetError("expected a list of {\"date\": ..., \"personnel\": ...} records")
    frame = pd.DataFrame.from_records(records)
    missing = {"date", "personnel"} - set(frame.columns)
    if missing:
        raise DatasetError(f"records lack {sorted(missing)}")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    frame["personnel"] = pd.to_numeric(frame["personnel"].where(frame["personnel"].map(type).isin((int, float, str))),
                                       errors="coerce")
    bad = frame[frame["date"].isna() | frame["personnel"].isna() | ~np.isfinite(frame["personnel"].fillna(0))
                | (frame["personnel"] < 0) | (frame["personnel"] > 1e12)]
    if len(bad):
        raise DatasetError(f"record {int(bad.index[0])}: bad date or personnel: {records[bad.index[0]]}")
    return frame.sort_values("date", kind="stable")[["date", "personnel"]].reset_index(drop=True)


def month_end_claims(daily: pd.DataFrame) -> pd.DataFrame:
    """One claim per month: the last daily reading of that month, cumulative since 2022-02-24."""
    last = daily.groupby(daily["date"].dt.to_period("M")).tail(1)
    day = last["date"].dt.strftime("%Y-%m-%d")
    count = last["personnel"].astype("int64")
    return pd.DataFrame({
        "id": "ua-gs-month-end-" + last["date"].dt.strftime("%Y-%m"),
        "metric": "casualties_killed_wounded_claimed_ua",
        "actor": "RU",
        "period_start": INVASION.strftime("%Y-%m-%d"),
        "period_end": day,
        "value": count.astype(str),
        "low": "",
        "high": "",
        "unit": "persons",
        "scope": "Russian personnel losses (killed and wounded) since 2022-02-24, last daily report of the month",
        "source_id": SOURCE_ID,
        "claimant": CLAIMANT,
        "confidence": "low",
        "quote": '{"date": "' + day + '", "personnel": ' + count.astype(str) + ', "personnel*": "about"}',
        "reported": day,
        "notes": "Derived by `sustainment import-ua-gs` from the daily series; claimant with an interest.",
        "bound": "approx",  # the series marks every count "about"
        "coverage": "full",
        "statement": "",
        "forecast": "",
    }).reset_index(drop=True)


def check_with(rows: pd.DataFrame, data_dir: Path) -> None:
    """Validate `data_dir` as it would be with `rows` as the derived file, in a scratch copy
    (DataError naming every problem); nothing in `data_dir` is touched."""
    import shutil
    import tempfile

    from sustainment.claims.store import load

    with tempfile.TemporaryDirectory(prefix="sustainment-import-") as scratch:
        for path in data_dir.glob("*.csv"):
            shutil.copy2(path, Path(scratch) / path.name)
        write(rows, Path(scratch))
        load(Path(scratch))


def write(rows: pd.DataFrame, data_dir: Path) -> Path:
    """Write the derived rows to data/claims_ua_general_staff.csv atomically; return its path."""
    target = data_dir / FILE_NAME
    write_atomic(target, rows.to_csv(index=False, lineterminator="\n"))
    return target
