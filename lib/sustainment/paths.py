"""Absolute paths of the project's folders; nothing depends on the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SCENARIOS_DIR = DATA_DIR / "scenarios"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
LIB_DIR = ROOT / "lib" / "sustainment"


def relative(path: Path) -> str:
    """`path` relative to the project root when it lies inside it, else absolute (for messages)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
