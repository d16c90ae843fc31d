"""The committed notebooks: no outputs, and a parameters cell that reads as a signature."""

import json

import pytest

from sustainment import paths
from sustainment.signature import read_signature

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
COMMON = {"scenario", "as_of", "policy", "min_confidence", "n_draws", "seed", "figures_dir"}


def test_the_four_reports_exist():
    assert {p.stem for p in NOTEBOOKS} == {"ammunition_production", "recruitment_sustainability", "source_audit", "briefing"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: cell {cell['id']} has output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_a_signature(path):
    signature = read_signature(path)
    assert COMMON <= set(signature)
    assert all(p.help for p in signature.values()), "every parameter has a help text"
    assert signature["as_of"].default == "", "as_of defaults to the data, never to today's date"


def test_no_figure_is_typed_into_a_notebook():
    """Numbers in notebook code are parameters' defaults and bounds, never data."""
    import re

    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
                continue
            big_numbers = re.findall(r"(?<![\w.])\d{4,}(?![\w-])", source)
            assert big_numbers == [], f"{path.name} {cell['id']}: {big_numbers}"
