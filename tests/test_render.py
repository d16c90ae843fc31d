"""The renderer: every notebook runs, same inputs give the same bytes, a failure is isolated,
an up-to-date render starts no kernel, and bad parameters stop everything before a kernel."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sustainment import paths, render
from sustainment.render import Project
from sustainment.signature import ParameterError


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}


def project_with(tmp_path: Path, notebooks: Path, scenarios: list[str]) -> Project:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in scenarios:
        shutil.copy(paths.SCENARIOS_DIR / f"{name}.yaml", folder)
    return Project(notebooks=notebooks, data=paths.DATA_DIR, scenarios=folder, reports=tmp_path / "reports")


def test_project_scenarios_fit_every_notebook():
    jobs = render.plan(Project(), None, None, {})
    assert {j.scenario for j in jobs} >= {"baseline", "russian_mobilization", "western_surge", "north_korea_cutoff"}
    assert len(jobs) == 16 and len({j.input_hash for j in jobs}) == 16


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every real notebook under the baseline scenario with few draws, rendered twice."""
    tmp_path = tmp_path_factory.mktemp("render")
    project = project_with(tmp_path, paths.NOTEBOOKS_DIR, ["baseline"])
    assert render.render(project, overrides={"n_draws": "200"}, jobs=2) == 0
    first = digests(project.reports)
    assert render.render(project, overrides={"n_draws": "200"}, jobs=2, force=True) == 0
    return project, first, digests(project.reports)


def test_every_notebook_renders_with_html_and_figures(rendered):
    project, first, _ = rendered
    for name in ("ammunition_production", "recruitment_sustainability", "source_audit", "briefing"):
        assert f"baseline/{name}.ipynb" in first and f"baseline/{name}.html" in first
    charts = [n for n in first if n.startswith("baseline/figures/") and n.endswith(".png")
              and not n.endswith((".slide.png", ".thumb.png"))]
    assert len(charts) >= 12
    for chart in charts:
        for suffix in (".svg", ".pdf", ".json", ".slide.png", ".thumb.png"):
            assert chart.removesuffix(".png") + suffix in first
        sidecar = json.loads((project.reports / chart.removesuffix(".png")).with_suffix(".json").read_text())
        assert sidecar["title"] and sidecar["source_ids"] and sidecar["source_line"]


def test_same_inputs_same_bytes(rendered):
    _, first, second = rendered
    assert first == second


def test_stored_notebooks_carry_provenance_and_no_timings(rendered):
    project, _, _ = rendered
    text = (project.reports / "baseline" / "ammunition_production.ipynb").read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    assert notebook.cells[0].id == "provenance" and "git revision" in notebook.cells[0].source
    assert "figures.csv" in notebook.cells[0].source and "n_draws" in notebook.cells[0].source
    for marker in ("start_time", "end_time", "duration", str(project.reports)):
        assert marker not in text
    html = (project.reports / "baseline" / "ammunition_production.html").read_text(encoding="utf-8")
    assert "ammunition_analysis(" not in html, "HTML reports hide code"
    assert "Bottom line." in html


def test_index_lists_every_report_and_its_sources(rendered):
    project, _, _ = rendered
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert index.count('href="baseline/') >= 8 and "Sources:" in index
    sources = (project.reports / "sources.html").read_text(encoding="utf-8")
    assert "baseline/ammunition_production" in sources and "dailywrap-ca-2024-10-30" in sources


def test_up_to_date_render_starts_no_kernel(rendered, monkeypatch, capsys):
    project, _, _ = rendered

    def no_pool(*args, **kwargs):
        raise AssertionError("an up-to-date render must not start workers")

    monkeypatch.setattr(render, "ProcessPoolExecutor", no_pool)
    assert render.render(project, overrides={"n_draws": "200"}) == 0
    assert "all 4 report(s) up to date" in capsys.readouterr().err
    changed = render.plan(project, None, None, {"n_draws": "300"})
    assert not any(render.is_current(job, render.read_manifest(project.reports)) for job in changed)


TOY = '''scenario: str = "baseline"  # scenario name
figures_dir: str = ""  # charts folder
fail: bool = False  # raise on purpose'''


def toy_notebook(path: Path, body: str) -> None:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(TOY)
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell, nbformat.v4.new_code_cell(body)]
    for number, item in enumerate(notebook.cells):
        item["id"] = f"cell-{number}"
    nbformat.write(notebook, path)


def test_a_failing_notebook_leaves_the_last_good_report(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    toy_notebook(notebooks / "fragile.ipynb", 'if fail:\n    raise ValueError("broken on purpose")\nprint("fine")')
    toy_notebook(notebooks / "steady.ipynb", 'print("steady")')
    project = project_with(tmp_path, notebooks, [])
    (project.scenarios / "baseline.yaml").write_text("name: baseline\ntitle: Toy\ndescription: toy\nassumptions: []\n"
                                                     "source_ids: []\nparameters: {}\n")
    assert render.render(project, jobs=2) == 0
    good = (project.reports / "baseline" / "fragile.html").read_bytes()

    assert render.render(project, overrides={"fail": "true"}, jobs=2, force=True) == 1
    err = capsys.readouterr().err
    assert "FAILED fragile [baseline]: cell cell-1 (In [3]): ValueError: broken on purpose" in err
    assert (project.reports / "baseline" / "fragile.html").read_bytes() == good
    assert (project.reports / "baseline" / "failed" / "fragile.ipynb").exists()
    assert "rendered baseline/steady" in err
    manifest = render.read_manifest(project.reports)
    assert manifest["reports"]["baseline/fragile"]["parameters"]["fail"] is False


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sustainment.cli", "render", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args, message", [
    (["-p", "n_draw=5"], "-p n_draw: no selected notebook declares 'n_draw'"),
    (["briefing", "-p", "n_draws=lots"], "briefing.ipynb [-p]: parameter 'n_draws' expects int, got 'lots'"),
    (["briefing", "-p", "n_draws=5"], "briefing.ipynb [-p]: parameter 'n_draws' must be in [100, 1e+06], got 5"),
    (["--scenario", "moon_landing"], "unknown scenario(s) moon_landing"),
    (["nonexistent"], "unknown notebook(s) nonexistent"),
])
def test_bad_parameters_exit_2_in_one_line(args, message):
    done = run_cli(*args)
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_bad_data_stops_the_render_before_any_kernel(tmp_path, data_dir, monkeypatch):
    from sustainment.validation import DataError

    (data_dir / "figures.csv").write_text((data_dir / "figures.csv").read_text().replace("3000000", "three"))
    shutil.copytree(paths.SCENARIOS_DIR, data_dir / "scenarios")
    (data_dir / "scenarios" / "baseline.yaml").write_text(
        "name: baseline\ntitle: B\ndescription: d\nassumptions: []\nsource_ids: []\nparameters: {}\n")
    for other in ("russian_mobilization", "western_surge", "north_korea_cutoff"):
        (data_dir / "scenarios" / f"{other}.yaml").unlink()
    monkeypatch.setattr(render, "ProcessPoolExecutor", None)
    project = Project(data=data_dir, scenarios=data_dir / "scenarios", reports=tmp_path / "reports")
    with pytest.raises(DataError, match="not a number: 'three'"):
        render.render(project, scenarios=["baseline"])


def test_plan_refuses_before_any_kernel(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "odd.yaml").write_text("name: odd\ntitle: O\ndescription: d\nassumptions: []\nsource_ids: []\n"
                                     "parameters: {horizon: -3}\n")
    project = Project(scenarios=folder, reports=tmp_path / "reports")
    with pytest.raises(ParameterError, match=r"parameter 'horizon' must be in \[1, 240\], got -3"):
        render.plan(project, None, ["odd"], {})
    assert not (tmp_path / "reports").exists()


def test_every_link_to_a_claim_has_its_target(rendered):
    import re

    project, _, _ = rendered
    claims_page = (project.reports / "claims.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'id="(claims?-[^"]+)"', claims_page))
    links = 0
    for page in sorted(project.reports.glob("baseline/*.html")):
        text = page.read_text(encoding="utf-8")
        for anchor in re.findall(r'href="\.\./claims\.html#([^"]+)"', text):
            assert anchor in targets, f"{page.name}: no target for #{anchor}"
            links += 1
    assert links > 50


def test_headline_numbers_are_links_and_tables_read_cleanly(rendered):
    import re

    project, _, _ = rendered
    briefing = (project.reports / "baseline" / "briefing.html").read_text(encoding="utf-8")
    table = briefing.split("<th>Key number</th>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert len(rows) >= 8 and all(re.search(r'<td>[^<]*</td><td><a class="claim"', row) for row in rows)
    bottom = re.findall(r"<strong>Bottom line\.</strong>(.*?)</p>", briefing, flags=re.S)
    assert len(bottom) == 2 and all(part.count('<a class="claim"') >= 2 for part in bottom)
    for page in sorted(project.reports.glob("baseline/*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'class="dataframe"' not in text, f"{page.name}: a raw pandas table (index column)"
        cells = re.findall(r"<td>(.*?)</td>", text, flags=re.S)
        assert cells and not any(re.fullmatch(r"\s*(nan|NaN|None)\s*", cell) for cell in cells), page.name
        assert re.findall(r'<img alt="[^"]{20,}" src="data:image/png;base64,', text), f"{page.name}: alt text"
