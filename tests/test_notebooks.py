"""The committed notebooks: no outputs, and a parameters cell that reads as a signature."""

import json

import pytest

from sustainment import paths
from sustainment.errors import ParameterError
from sustainment.notebooks import refuse_typed_numbers, typed_numbers
from sustainment.running.signature import read_signature

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
COMMON = {"scenario", "as_of", "policy", "min_confidence", "n_draws", "seed", "figures_dir"}


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_number_is_typed_into_a_notebook(path):
    """Numbers in notebook code are parameters' defaults and bounds, never data."""
    assert typed_numbers(path) == []


@pytest.mark.parametrize("spelling", ["30000", "30_000", "3e4", "2.5e6", "-1200.0"])
def test_every_spelling_of_a_large_number_is_found(tmp_path, spelling):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("n_draws: int = 20000  # the only place for it")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# 10000 in text is fine"), parameters,
                      nbformat.v4.new_code_cell(f"%matplotlib inline\nlosses = {spelling}\nyear = 999")]
    path = tmp_path / "typed.ipynb"
    nbformat.write(notebook, path)
    assert typed_numbers(path) == [(3, spelling.lstrip("-"))]
    with pytest.raises(ParameterError, match=r"typed.ipynb: cell 3 \(counting from the top, from 1\) types the number"):
        refuse_typed_numbers(path)


def test_a_notebook_that_lost_its_declarations_is_refused(tmp_path):
    """Converted to a script and back, a notebook loses its metadata: its pre-flight and its deck
    charts vanished while every check passed. Now render and `sustainment check` refuse it."""
    import json
    import subprocess
    import sys

    from sustainment import paths
    from sustainment.paths import Project
    from sustainment.running import render

    notebook = json.loads((paths.NOTEBOOKS_DIR / "briefing.ipynb").read_text(encoding="utf-8"))
    del notebook["metadata"]["sustainment"]
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "briefing.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(ParameterError, match='briefing.ipynb: notebook metadata lacks "sustainment"'):
        render.plan(Project(notebooks=notebooks, reports=tmp_path / "reports"), None, None, {})
    done = subprocess.run([sys.executable, "-m", "sustainment.cli", "check", str(notebooks / "briefing.ipynb")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and 'notebook metadata lacks "sustainment"' in done.stderr


def test_the_briefing_notebook_declares_the_charts_its_analysis_draws():
    """The deck's chart list lives in the briefing notebook's metadata (the deck reads it) and in
    `analyses.briefing.DECK_CHARTS` (the notebook draws them): the two must name the same charts."""
    from sustainment.analyses.briefing import BRIEFING_PREFIX, DECK_CHARTS

    notebook = json.loads((paths.NOTEBOOKS_DIR / "briefing.ipynb").read_text(encoding="utf-8"))
    assert notebook["metadata"]["sustainment"]["deck"]["charts"] == [BRIEFING_PREFIX + name for name in DECK_CHARTS]
