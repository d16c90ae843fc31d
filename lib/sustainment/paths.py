"""Absolute paths of the project's folders; nothing depends on the working directory.

The data folder can be another one than data/: `$SUSTAINMENT_DATA` names it (the renderer sets it
for the kernels it starts, so a render of a scratch data folder computes from that folder).
"""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_VARIABLE = "SUSTAINMENT_DATA"
DATA_DIR = Path(os.environ[DATA_VARIABLE]) if os.environ.get(DATA_VARIABLE) else ROOT / "data"
SCENARIOS_DIR = DATA_DIR / "scenarios"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
LIB_DIR = ROOT / "lib" / "sustainment"
SHARED_DIR = ROOT.parent / "shared"  # read-only material beside the checkout (the daily Ukrainian series)
ALL = "*"  # in the metrics a report read (claims.reads.record_reads): every claim
RENDER_VARIABLE = "SUSTAINMENT_RENDER"  # set for the kernels the renderer starts: parameters are bound already


def relative(path: Path) -> str:
    """`path` relative to the project root when it lies inside it, else absolute (for messages)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def claim_files(data_dir: Path) -> list[Path]:
    """data/claims.csv first, then any data/claims_*.csv (derived series), in name order."""
    return [data_dir / "claims.csv"] + sorted(data_dir.glob("claims_*.csv"))


@dataclass(frozen=True)
class Project:
    """Where the renderer reads and writes (the real project, or a test's temporary copy)."""

    notebooks: Path = NOTEBOOKS_DIR
    data: Path = DATA_DIR
    scenarios: Path = SCENARIOS_DIR
    reports: Path = REPORTS_DIR
