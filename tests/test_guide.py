"""The README's "Write a new analysis" guide works as written: its notebook, built from the
README text with the metadata the README gives, renders and puts its chart into the briefing
deck and the scenario comparison."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from sustainment import paths
from sustainment.notebooks import deck_declaration
from sustainment.paths import Project
from sustainment.publishing import pack
from sustainment.running import render

README = paths.ROOT / "README.md"


def guide() -> tuple[str, dict, str]:
    """(notebook name, metadata, percent-format source) as the README gives them."""
    text = README.read_text(encoding="utf-8")
    source = re.search(r"<!-- guide-notebook -->\n```python\n(.*?)```\n<!-- /guide-notebook -->", text, re.S).group(1)
    name = re.search(r"`notebooks/(\w+)\.ipynb`", text[text.index("## Write a new analysis"):]).group(1)
    metadata = json.loads(re.search(r"`(\{\"sustainment\": .*?\}\})`", text).group(1))
    return name, metadata, source


def notebook_from(source: str, metadata: dict) -> nbformat.NotebookNode:
    """Percent format (`# %%` cells, `[markdown]`, `tags=[...]`) to a notebook, as jupytext reads it."""
    notebook = nbformat.v4.new_notebook()
    for number, chunk in enumerate(re.split(r"^# %%", source, flags=re.M)[1:]):
        header, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if "[markdown]" in header:
            cell = nbformat.v4.new_markdown_cell("\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                                                           for line in body.splitlines()))
        else:
            cell = nbformat.v4.new_code_cell(body)
        tags = re.search(r"tags=\[(.*?)\]", header)
        if tags:
            cell.metadata["tags"] = json.loads(f"[{tags.group(1)}]")
        cell["id"] = f"guide-{number}"
        notebook.cells.append(cell)
    notebook.metadata.update(metadata)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def test_the_guide_notebook_renders_and_reaches_the_deck(tmp_path: Path):
    import yaml

    name, metadata, source = guide()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(notebook_from(source, metadata), notebooks / f"{name}.ipynb")
    shutil.copy(paths.NOTEBOOKS_DIR / "briefing.ipynb", notebooks / "briefing.ipynb")
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for scenario in ("baseline", "north_korea_cutoff"):
        values = yaml.safe_load((paths.SCENARIOS_DIR / f"{scenario}.yaml").read_text(encoding="utf-8"))
        values["parameters"] = {**(values["parameters"] or {}), "n_draws": 200}
        (scenarios / f"{scenario}.yaml").write_text(yaml.safe_dump(values), encoding="utf-8")
    project = Project(notebooks=notebooks, data=paths.DATA_DIR, scenarios=scenarios, reports=tmp_path / "reports")

    assert render.render(project, jobs=2) == 0
    html = (project.reports / "baseline" / f"{name}.html").read_text(encoding="utf-8")
    assert "Russia fired about" in html and "claims.html#" in html  # the chart links its claims
    assert (project.reports / "baseline" / "figures" / f"{name}.slide.png").exists()

    deck, *_ = pack.export_briefing(project, ["baseline"])
    from pptx import Presentation

    titles = [shape.text_frame.text for slide in Presentation(str(deck)).slides for shape in slide.shapes
              if shape.has_text_frame]
    assert any(title.startswith("Russia fired about") and "rounds a day in 2024" in title for title in titles)

    compare, _ = pack.export_compare(project, ["baseline", "north_korea_cutoff"])
    pairs = [[shape for shape in slide.shapes if shape.shape_type == 13] for slide in Presentation(str(compare)).slides]
    briefing = deck_declaration(notebooks / "briefing.ipynb")[1]
    assert sum(len(pictures) == 2 for pictures in pairs) == len(briefing) + len(metadata["sustainment"]["deck"]["charts"]), \
        "the comparison deck pairs the briefing's charts and the new one"


def test_the_guide_notebook_is_clean_code():
    ruff = shutil.which("ruff") or str(paths.ROOT / ".venv" / "bin" / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is installed by make test")
    name, metadata, source = guide()
    found = subprocess.run([ruff, "check", "--quiet", "--stdin-filename", f"notebooks/{name}.ipynb", "-"], cwd=paths.ROOT,
                           input=nbformat.writes(notebook_from(source, metadata)), capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr
