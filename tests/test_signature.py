"""Parameters and scenarios are refused before any kernel starts."""

import re
from pathlib import Path

import nbformat
import pytest

from sustainment.claims.scenarios import Scenario, read_scenario
from sustainment.errors import ParameterError
from sustainment.paths import RENDER_VARIABLE, Project
from sustainment.running.signature import bind, bind_notebook, check_scenario_keys, read_signature

CELL = '''scenario: str = "baseline"  # scenario name
n_draws: int = 200  # draws [100, 1000000]
share: float = 0.5  # a share [0.0, 1.0]
policy: str = "central"  # policy {central, low, high}
flag: bool = True  # a switch'''


def write_notebook(path: Path, source: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def signature(tmp_path):
    return read_signature(write_notebook(tmp_path / "toy.ipynb", CELL))


def scenario(**parameters) -> Scenario:
    return Scenario("baseline", "Baseline", "", (), (), parameters)


def test_signature_reads_types_defaults_bounds_choices(signature):
    assert signature["n_draws"].type == "int" and signature["n_draws"].default == 200
    assert (signature["share"].minimum, signature["share"].maximum) == (0.0, 1.0)
    assert signature["policy"].choices == ("central", "low", "high")


def test_bind_layers_defaults_scenario_and_overrides(signature):
    values = bind("toy.ipynb", signature, scenario(n_draws=500), {"share": "0.25", "flag": "false"})
    assert values == {"scenario": "baseline", "n_draws": 500, "share": 0.25, "policy": "central", "flag": False}


def toy_lab_project(tmp_path: Path, data_dir: Path) -> Project:
    notebooks, scenarios = tmp_path / "notebooks", tmp_path / "scenarios"
    notebooks.mkdir()
    scenarios.mkdir()
    write_notebook(notebooks / "toy.ipynb", CELL)
    for name, draws in (("baseline", 500), ("wide", 900)):
        (scenarios / f"{name}.yaml").write_text(f"name: {name}\ntitle: T\ndescription: d\nassumptions: []\n"
                                                f"source_ids: []\nparameters: {{n_draws: {draws}, policy: high}}\n")
    return Project(notebooks=notebooks, data=data_dir, scenarios=scenarios, reports=tmp_path / "reports")


def test_a_notebook_run_by_hand_binds_the_scenario_it_names_and_keeps_what_was_typed(tmp_path, data_dir, monkeypatch):
    monkeypatch.delenv(RENDER_VARIABLE, raising=False)
    project = toy_lab_project(tmp_path, data_dir)
    namespace = {"scenario": "wide", "n_draws": 200, "share": 0.75, "policy": "central", "flag": True}
    bind_notebook(namespace, "toy", project)
    assert namespace == {"scenario": "wide", "n_draws": 900, "share": 0.75, "policy": "high", "flag": True}
    with pytest.raises(ParameterError, match="unknown scenario\\(s\\) nowhere; available: baseline, wide"):
        bind_notebook({"scenario": "nowhere"}, "toy", project)


def test_under_the_renderer_binding_changes_nothing(tmp_path, data_dir, monkeypatch):
    monkeypatch.setenv(RENDER_VARIABLE, "1")
    namespace = {"scenario": "wide", "n_draws": 200}
    assert bind_notebook(namespace, "toy", toy_lab_project(tmp_path, data_dir)) == {}
    assert namespace == {"scenario": "wide", "n_draws": 200}


@pytest.mark.parametrize("overrides, message", [
    ({"n_draw": "5"}, "toy.ipynb: unknown parameter 'n_draw'"),
    ({"n_draws": "many"}, "toy.ipynb [-p]: parameter 'n_draws' expects int, got 'many'"),
    ({"n_draws": "1.5"}, "parameter 'n_draws' expects int, got 1.5"),
    ({"share": "2"}, "parameter 'share' must be in [0, 1], got 2.0"),
    ({"policy": "mean"}, "parameter 'policy' must be one of {central, low, high}, got 'mean'"),
    ({"flag": "3"}, "parameter 'flag' expects bool, got 3"),
])
def test_bad_overrides_are_refused(signature, overrides, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        bind("toy.ipynb", signature, scenario(), overrides)


def test_scenario_values_are_type_checked(signature):
    with pytest.raises(ParameterError, match=r"toy.ipynb \[scenario baseline\]: parameter 'share' expects float"):
        bind("toy.ipynb", signature, scenario(share="half"), {})


def test_scenario_keys_no_notebook_declares_are_refused(signature):
    with pytest.raises(ParameterError, match="unknown parameter\\(s\\) mystery"):
        check_scenario_keys(scenario(mystery=1), {"toy": signature})


def test_malformed_parameter_lines_are_refused(tmp_path):
    with pytest.raises(ParameterError, match="one '=' per line"):
        read_signature(write_notebook(tmp_path / "a.ipynb", 'x: int = 1  # x = the count'))
    with pytest.raises(ParameterError, match="has type list"):
        read_signature(write_notebook(tmp_path / "b.ipynb", 'x: list = []  # items'))
    with pytest.raises(ParameterError, match="not `name: type = default"):
        read_signature(write_notebook(tmp_path / "c.ipynb", 'x = 1'))
    with pytest.raises(ParameterError, match="expects int"):
        read_signature(write_notebook(tmp_path / "d.ipynb", 'x: int = "one"  # count'))


def test_scenario_files_are_checked(tmp_path):
    good = tmp_path / "baseline.yaml"
    good.write_text("name: baseline\ntitle: B\ndescription: d\nassumptions: [a]\nsource_ids: [s1]\nparameters: {n_draws: 300}\n")
    assert read_scenario(good, {"s1"}).parameters == {"n_draws": 300}
    with pytest.raises(ParameterError, match="unknown source_id\\(s\\) s1"):
        read_scenario(good, set())
    renamed = tmp_path / "other.yaml"
    renamed.write_text(good.read_text())
    with pytest.raises(ParameterError, match="must match the file name"):
        read_scenario(renamed, {"s1"})
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    with pytest.raises(ParameterError, match="not valid YAML"):
        read_scenario(broken, {"s1"})


@pytest.mark.parametrize("change, message", [
    ("source_ids: 5", "source_ids must be a list of texts"),
    ("assumptions: 5", "assumptions must be a list of texts"),
    ("title: [1, {a: 2}]", "title must be text"),
    ("asumptions: [a]", "unknown key(s) asumptions"),
])
def test_scenario_fields_of_the_wrong_type_or_name_are_one_line(tmp_path, change, message):
    fields = {"name": "baseline", "title": "B", "description": "d", "assumptions": "[a]", "source_ids": "[s1]",
              "parameters": "{}"}
    key = change.split(":")[0]
    text = "".join(f"{k}: {v}\n" for k, v in fields.items() if k != key) + change + "\n"
    path = tmp_path / "baseline.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=re.escape(message)):
        read_scenario(path, {"s1"})


def test_papermill_keeps_an_explicit_value_equal_to_the_default(tmp_path, data_dir, monkeypatch):
    """`papermill ... -p scenario wide -p policy central` keeps policy central although the scenario
    says high and central is the notebook's default (it was silently replaced by the scenario's)."""
    import nbformat
    import papermill

    monkeypatch.delenv(RENDER_VARIABLE, raising=False)
    project = toy_lab_project(tmp_path, data_dir)
    notebook = nbformat.read(project.notebooks / "toy.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "from pathlib import Path\nfrom sustainment.paths import Project\n"
        "from sustainment.running.signature import bind_notebook\n"
        f"bind_notebook(globals(), 'toy', Project(notebooks=Path({str(project.notebooks)!r}), data=Path({str(data_dir)!r}), "
        f"scenarios=Path({str(project.scenarios)!r})))\n"
        "print(policy, n_draws, share)"))
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    source = tmp_path / "toy-run.ipynb"
    nbformat.write(notebook, source)
    done = papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), kernel_name="python3", progress_bar=False,
                                      language="python", parameters={"scenario": "wide", "policy": "central", "share": 0.75})
    printed = "".join(output.get("text", "") for output in done.cells[-1].outputs)
    assert printed.split() == ["central", "900", "0.75"]  # explicit policy kept; the scenario's n_draws; explicit share
