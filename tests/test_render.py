"""The renderer: every notebook runs, same inputs give the same bytes, a failure is isolated,
an up-to-date render starts no kernel, and bad parameters stop everything before a kernel."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import BASELINE, project_with, toy_project

from sustainment import paths
from sustainment.errors import BusyError, DataError, ParameterError
from sustainment.paths import Project
from sustainment.publishing import publish
from sustainment.running import executors, render


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}


NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
SCENARIOS = sorted(p.stem for p in paths.SCENARIOS_DIR.glob("*.yaml"))


def test_project_scenarios_fit_every_notebook():
    jobs = render.plan(Project(), None, None, {})
    assert {(j.notebook, j.scenario) for j in jobs} == {(n, s) for n in NOTEBOOKS for s in SCENARIOS}
    assert len({j.input_hash for j in jobs}) == len(jobs)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every real notebook under the baseline scenario with few draws, rendered twice."""
    tmp_path = tmp_path_factory.mktemp("render")
    project = project_with(tmp_path, paths.NOTEBOOKS_DIR, ["baseline"], n_draws=200)
    assert render.render(project, jobs=2) == 0
    first = digests(project.reports)
    assert render.render(project, jobs=2, force=True) == 0
    return project, first, digests(project.reports)


def test_every_notebook_renders_with_html_and_figures(rendered):
    project, first, _ = rendered
    for name in NOTEBOOKS:
        assert f"baseline/{name}.ipynb" in first and f"baseline/{name}.html" in first
    charts = [n for n in first if n.startswith("baseline/figures/") and n.endswith(".png")
              and not n.endswith((".slide.png", ".thumb.png"))]
    assert len(charts) >= 12
    for chart in charts:
        for suffix in (".svg", ".pdf", ".json", ".slide.png", ".thumb.png"):
            assert chart.removesuffix(".png") + suffix in first
        sidecar = json.loads((project.reports / chart.removesuffix(".png")).with_suffix(".json").read_text())
        assert sidecar["title"] and sidecar["source_ids"] and sidecar["source_line"]


def _documented_choices() -> list[dict[str, str]]:
    """Every documented policy (but source:<id>) with every confidence floor, but the baseline's own."""
    from sustainment.claims.store import POLICIES
    from sustainment.claims.validation import CONFIDENCE

    return [{"policy": policy, "min_confidence": floor} for policy in POLICIES if "<" not in policy
            for floor in CONFIDENCE if (policy, floor) != ("central", "low")]


@pytest.mark.parametrize("choice", _documented_choices(), ids=lambda c: f"{c['policy']}-{c['min_confidence']}")
def test_every_notebook_renders_or_is_refused_before_any_kernel_for_every_documented_choice(tmp_path, choice):
    """The pre-flight runs what the notebooks run: a choice it accepts renders every notebook; one it
    refuses is refused in one line before any kernel (min_confidence=high ended in a kernel's KeyError)."""
    project = project_with(tmp_path, paths.NOTEBOOKS_DIR, ["baseline"], n_draws=200)
    try:
        code = render.render(project, overrides=choice, jobs=2)
    except ParameterError as err:
        assert "\n" not in str(err) and not (project.reports / "one-off-baseline").exists()
        return
    assert code == 0
    assert {p.stem for p in (project.reports / "one-off-baseline").glob("*.html")} == set(NOTEBOOKS)


def test_same_inputs_same_bytes(rendered):
    _, first, second = rendered
    assert first == second


def test_same_bytes_on_dask_with_fresh_kernels(rendered, tmp_path):
    """Whichever executor ran them, in warm or fresh kernels, reports are the same bytes."""
    warm_pool, first, _ = rendered
    project = Project(notebooks=warm_pool.notebooks, data=warm_pool.data, scenarios=warm_pool.scenarios,
                      reports=tmp_path / "reports")
    assert render.render(project, jobs=2, executor="dask", kernels="fresh") == 0
    again = digests(project.reports)
    assert {k: v for k, v in again.items() if not k.endswith(("index.html", ".lock"))} == \
        {k: v for k, v in first.items() if not k.endswith(("index.html", ".lock"))}


def test_stored_notebooks_carry_provenance_and_no_timings(rendered):
    project, _, _ = rendered
    text = (project.reports / "baseline" / "ammunition_production.ipynb").read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    assert notebook.cells[0].id == "provenance" and "git revision" in notebook.cells[0].source
    assert "claims.csv" in notebook.cells[0].source and "n_draws" in notebook.cells[0].source
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


def test_a_one_off_run_does_not_touch_the_scenarios_reports(rendered):
    project, first, _ = rendered
    jobs = render.plan(project, ["briefing"], None, {"n_draws": "300"})
    assert [job.key for job in jobs] == ["one-off-baseline/briefing"], "a run with -p has its own folder"
    manifest = render.publish.read_manifest(project.reports)
    assert all(render.is_current(job, manifest, project.reports)
               for job in render.plan(project, None, None, {}, manifest)), "the scenario's reports stay up to date"


def test_up_to_date_render_starts_no_kernel(rendered, monkeypatch, capsys):
    project, _, _ = rendered

    def no_pool(*args, **kwargs):
        raise AssertionError("an up-to-date render must not start workers")

    monkeypatch.setattr(executors, "executor", no_pool)
    assert render.render(project) == 0
    assert f"all {len(NOTEBOOKS)} report(s) up to date" in capsys.readouterr().err
    changed = render.plan(project, None, None, {"n_draws": "300"})
    assert not any(render.is_current(job, publish.read_manifest(project.reports), project.reports) for job in changed)


def test_a_failing_notebook_leaves_the_last_good_report(tmp_path, capsys):
    project = toy_project(tmp_path, {"fragile": 'if fail:\n    raise ValueError("broken on purpose")\nprint("fine")',
                                     "steady": 'print("steady")'})
    scenario, baseline = project.scenarios / "baseline.yaml", BASELINE.format(name="baseline")
    assert render.render(project, jobs=2) == 0
    good = (project.reports / "baseline" / "fragile.html").read_bytes()

    scenario.write_text(baseline.replace("parameters: {}", "parameters: {fail: true}"))
    assert render.render(project, jobs=2, force=True) == 1
    err = capsys.readouterr().err
    assert "FAILED fragile [baseline]: cell cell-1 (In [3]): ValueError: broken on purpose" in err
    assert (project.reports / "baseline" / "fragile.html").read_bytes() == good
    assert (project.reports / "baseline" / "failed" / "fragile.ipynb").exists()
    assert "rendered baseline/steady" in err
    manifest = publish.read_manifest(project.reports)
    assert manifest["reports"]["baseline/fragile"]["parameters"]["fail"] is False

    scenario.write_text(baseline)
    assert render.render(project, jobs=2, force=True) == 0
    assert not (project.reports / "baseline" / "failed").exists(), "a fixed report takes its failed copy away"


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

    (data_dir / "claims.csv").write_text((data_dir / "claims.csv").read_text().replace("3000000", "three"))
    shutil.copytree(paths.SCENARIOS_DIR, data_dir / "scenarios")
    (data_dir / "scenarios" / "baseline.yaml").write_text(
        "name: baseline\ntitle: B\ndescription: d\nassumptions: []\nsource_ids: []\nparameters: {}\n")
    for other in (data_dir / "scenarios").glob("*.yaml"):
        if other.stem != "baseline":  # the others cite sources of the real claims, which this data lacks
            other.unlink()
    monkeypatch.setattr(executors, "executor", None)
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


# --- reliability: names, checks before any kernel, locks, time-outs, killed renders, history ---------

@pytest.mark.parametrize("file_name, message", [
    ("<img src=x onerror=alert(1)>.yaml", "scenario names may use letters, digits"),
    ("...yaml", "scenario names may use letters, digits"),
    ("broken.yaml", "broken.yaml: not valid YAML"),
])
def test_bad_scenario_files_are_refused_before_anything_even_when_not_rendered(tmp_path, file_name, message):
    project = toy_project(tmp_path, {"steady": 'print("steady")'})
    (project.scenarios / file_name).write_text("name: [unclosed\n" if file_name == "broken.yaml" else
                                               BASELINE.format(name="x"))
    with pytest.raises(ParameterError, match=re.escape(message)):
        render.render(project, scenarios=["baseline"])
    assert not (project.reports / "baseline").exists()


def test_a_notebook_with_a_bad_name_is_refused(tmp_path):
    project = toy_project(tmp_path, {"steady": 'print("steady")'})
    shutil.copy(project.notebooks / "steady.ipynb", project.notebooks / "...ipynb")
    with pytest.raises(ParameterError, match="notebook names may use letters, digits"):
        render.plan(project, None, ["baseline"], {})


@pytest.mark.parametrize("content, message", [
    (b"this is { not json", "bad.ipynb: not a notebook (not JSON: Expecting value at line 1 column 1)"),
    (b"\xff\xfe", "bad.ipynb: not a notebook (not UTF-8 text at byte 0)"),
    (b"[]", "bad.ipynb: not a notebook (expected a mapping with a list of cells"),
    (b'{"cells": 5}', "bad.ipynb: not a notebook (expected a mapping with a list of cells"),
])
def test_a_file_that_is_not_a_notebook_is_one_line_for_render_check_and_strip(tmp_path, content, message):
    project = toy_project(tmp_path, {"steady": 'print("steady")'})
    (project.notebooks / "bad.ipynb").write_bytes(content)
    with pytest.raises(ParameterError, match=re.escape(message)):
        render.plan(project, None, ["baseline"], {})
    for command in ("check", "strip"):
        done = subprocess.run([sys.executable, "-m", "sustainment.cli", command, str(project.notebooks / "bad.ipynb")],
                              capture_output=True, text=True)
        assert done.returncode == 2 and done.stderr.strip().startswith(message), done.stderr


def test_two_checkouts_give_one_hash(tmp_path):
    hashes = []
    for name in ("one", "two"):
        root = tmp_path / name / "deeper"
        shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
        shutil.copytree(paths.DATA_DIR, root / "data")
        project = Project(notebooks=root / "notebooks", data=root / "data", scenarios=root / "data" / "scenarios",
                          reports=root / "reports")
        hashes.append([job.input_hash for job in render.plan(project, None, None, {})])
    assert hashes[0] == hashes[1]


ECHO = '''scenario: str = "baseline"  # scenario name
figures_dir: str = ""  # charts folder
label: str = "a"  # what the run writes'''
ECHO_BODY = '''import pathlib, time
time.sleep(1)
if figures_dir:
    pathlib.Path(figures_dir, "echo.txt").write_text(label)
print("label", label)'''


def test_two_renders_at_once_publish_whole_reports_of_one_run(tmp_path):
    project = toy_project(tmp_path, {"echo": ECHO_BODY}, ECHO)
    script = ("import sys; from pathlib import Path; from sustainment.running import render; "
              "from sustainment.paths import Project; "
              f"p = Project(notebooks=Path({str(project.notebooks)!r}), scenarios=Path({str(project.scenarios)!r}), "
              f"reports=Path({str(project.reports)!r})); "
              "sys.exit(render.render(p, overrides={'label': sys.argv[1]}, jobs=1, force=True))")
    runs = [subprocess.Popen([sys.executable, "-c", script, label], stderr=subprocess.PIPE, text=True)
            for label in ("one", "two")]
    outputs = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for another render" in err for err in outputs)
    label = render.publish.read_manifest(project.reports)["reports"]["one-off-baseline/echo"]["parameters"]["label"]
    assert (project.reports / "one-off-baseline" / "figures" / "echo.txt").read_text() == label
    assert f"label {label}" in (project.reports / "one-off-baseline" / "echo.html").read_text()
    assert not (project.reports / ".staging").exists()


def test_reports_deleted_by_hand_are_rendered_again_and_leave_the_index(tmp_path):
    project = toy_project(tmp_path, {"steady": 'print("steady")'})
    assert render.render(project, jobs=1) == 0
    assert render.render(project, overrides={"fail": "false"}, jobs=1) == 0
    shutil.rmtree(project.reports / "one-off-baseline")
    (project.reports / "baseline" / "steady.html").unlink()
    assert render.render(project, jobs=1) == 0, "a deleted report is no reason to fail"
    manifest = render.publish.read_manifest(project.reports)
    assert list(manifest["reports"]) == ["baseline/steady"], "the deleted one-off run is gone from the manifest"
    assert (project.reports / "baseline" / "steady.html").exists(), "the deleted page is rendered again"
    assert "one-off-baseline" not in (project.reports / "index.html").read_text()
    (project.reports / "manifest.json").write_text('{"reports": ')  # cut short by hand
    assert render.render(project, jobs=1) == 0, "an unreadable manifest renders everything again"
    assert list(render.publish.read_manifest(project.reports)["reports"]) == ["baseline/steady"]
    (project.reports / ".staging" / "123-killed").mkdir(parents=True)  # what a kill -9 leaves
    assert render.render(project, jobs=1) == 0
    assert not (project.reports / ".staging").exists(), "even an up-to-date render tidies up after a kill"


def test_no_wait_gives_up_in_one_line(tmp_path):
    project = toy_project(tmp_path, {"steady": 'print("steady")'})
    with render.publish.reports_lock(project.reports):
        with pytest.raises(BusyError, match="another render or export is writing there"):
            render.render(project, no_wait=True)


def test_a_cell_that_hangs_times_out_as_one_failed_line(tmp_path, capsys):
    project = toy_project(tmp_path, {"stuck": "import time\ntime.sleep(120)"})
    assert render.render(project, timeout=3) == 1
    err = capsys.readouterr().err
    assert "FAILED stuck [baseline]: cell cell-1" in err and "timed out after 3s" in err
    assert not (project.reports / "baseline" / "stuck.html").exists()
    cut_short = nbformat.read(project.reports / "baseline" / "failed" / "stuck.ipynb", as_version=4)
    assert "time.sleep(120)" in cut_short.cells[-1].source, "a timed-out notebook leaves its executed copy too"
    assert "(executed copy: reports/baseline/failed/stuck.ipynb)" in err


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _kernels_of(pid: int) -> set[int]:
    """The kernels the workers of render process `pid` run, once they run (a minute at most)."""
    import time

    deadline = time.time() + 60
    kernels: set[int] = set()
    while time.time() < deadline and not kernels:
        time.sleep(0.2)
        kernels = {kernel for worker in _children(pid) for kernel in _children(worker)}
    time.sleep(2)  # into the notebook's cells
    return kernels


def test_workers_die_with_a_killed_renderer(tmp_path):
    import os
    import signal
    import time

    project = toy_project(tmp_path, {f"slow{n}": "import time\ntime.sleep(60)" for n in range(3)})
    script = ("import sys; from pathlib import Path; from sustainment.running import render; "
              "from sustainment.paths import Project; "
              f"p = Project(notebooks=Path({str(project.notebooks)!r}), scenarios=Path({str(project.scenarios)!r}), "
              f"reports=Path({str(project.reports)!r})); render.render(p, jobs=2)")
    parent = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.DEVNULL)
    kernels = _kernels_of(parent.pid)
    workers = _children(parent.pid) | kernels
    assert kernels, "the render started workers and kernels"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert not alive, f"orphan workers or kernels {alive}"
    assert not (project.reports / "baseline").exists(), "nothing published by a dead run"


def test_history_renders_or_refuses_in_one_line(tmp_path):
    project = project_with(tmp_path, paths.NOTEBOOKS_DIR, ["baseline"])
    notebooks = ["ammunition_production", "recruitment_sustainability"]
    for as_of in ("2023-09-30", "2024-06-30"):
        overrides = {"n_draws": "200", "as_of": as_of, "foreign_troops_claim": ""}  # the Nov 2024 contingent was not known yet
        assert render.render(project, notebooks=notebooks, overrides=overrides, jobs=2) == 0
        entry = render.publish.read_manifest(project.reports)["reports"]["one-off-baseline/recruitment_sustainability"]
        assert entry["parameters"]["as_of"] == as_of
    with pytest.raises(ParameterError, match=r"as_of 2023-06-30: no claim for the Russian side in 2022"):  # nor recruits
        render.render(project, notebooks=notebooks, overrides={"as_of": "2023-06-30", "foreign_troops_claim": ""})
    with pytest.raises(ParameterError, match=r"foreign_troops_claim: claim 'nk-troops-deployed-2024-11-04' was public on "
                                             r"2024-11-04, after as_of 2024-06-30"):
        render.render(project, notebooks=notebooks, overrides={"as_of": "2024-06-30"})


@pytest.mark.parametrize("args, message", [
    (["recruitment_sustainability", "-p", "as_of=notadate"], "as_of must be a date YYYY-MM-DD"),
    (["recruitment_sustainability", "-p", "foreign_troops_claim=nope"], "no claim with id 'nope'"),
    (["recruitment_sustainability", "-p", "foreign_troops_claim=ru-recruits-2024-10-30"],
     "claim 'ru-recruits-2024-10-30' is recruits, not troops_deployed"),
    (["ammunition_production", "-p", "first_year=2025", "-p", "last_year=2023"], "need first_year <= last_year"),
    (["recruitment_sustainability", "-p", "n_draws=1000000", "-p", "horizon=240"], "draw-months is over the"),
    (["recruitment_sustainability", "-p", "policy=source:nope"], "policy 'source:nope': no source with that id"),
])
def test_every_input_is_checked_before_a_kernel(args, message):
    done = run_cli(*args, "--force")
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_ctrl_c_stops_everything_within_seconds_and_keeps_the_last_good_report(tmp_path):
    import os
    import signal
    import time

    project = toy_project(tmp_path, {"slow": "import time\nif fail:\n    time.sleep(60)\nprint('done')"})
    assert render.render(project) == 0
    good = (project.reports / "baseline" / "slow.html").read_bytes()
    (project.scenarios / "baseline.yaml").write_text(BASELINE.format(name="baseline").replace("{}", "{fail: true}"))
    script = ("import sys; from pathlib import Path; from sustainment.running import render; "
              "from sustainment.paths import Project; "
              f"p = Project(notebooks=Path({str(project.notebooks)!r}), scenarios=Path({str(project.scenarios)!r}), "
              f"reports=Path({str(project.reports)!r}))\n"
              "try:\n    render.render(p, force=True)\n"
              "except KeyboardInterrupt:\n    sys.exit(130)")
    run = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.DEVNULL, start_new_session=True)
    assert _kernels_of(run.pid)
    os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    started = time.time()
    assert run.wait(timeout=20) == 130 and time.time() - started < 15
    assert (project.reports / "baseline" / "slow.html").read_bytes() == good
    assert not (project.reports / ".staging").exists()


def test_editing_a_claim_re_renders_only_the_reports_that_read_it(tmp_path, data_dir, capsys):
    from conftest import CLAIMS, write_csv

    reading = {name: f'from sustainment.claims import load, select\nprint(len(select(load(), metric="{metric}")))'
               for name, metric in (("shells", "shells_produced"), ("people", "recruits"))}
    project = toy_project(tmp_path, reading)
    project = Project(notebooks=project.notebooks, data=data_dir, scenarios=project.scenarios, reports=project.reports)
    assert render.render(project, jobs=2) == 0
    manifest = render.publish.read_manifest(project.reports)
    assert manifest["reports"]["baseline/shells"]["reads"] == ["shells_produced"]
    edited = [list(row) for row in CLAIMS]
    edited[1][CLAIMS[0].index("value")] = "3100000"  # ru-a, a shells_produced claim
    write_csv(data_dir / "claims.csv", edited)
    capsys.readouterr()
    assert render.render(project, jobs=2) == 0
    err = capsys.readouterr().err
    assert "up to date  baseline/people" in err and "rendered baseline/shells" in err
