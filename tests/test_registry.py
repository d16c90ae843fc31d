"""The pipeline registry: each pipeline's parameters declared once, the notebooks and the
functions agreeing with the declarations, the pre-flight refusing what a kernel would fail on."""

import inspect
from pathlib import Path

import pytest

from sustainment import paths
from sustainment.analyses.registry import COMMON, PIPELINES, declaration_problems
from sustainment.errors import ParameterError
from sustainment.notebooks import analyses_declared
from sustainment.paths import Project
from sustainment.running import render
from sustainment.running.signature import read_signature


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_each_pipeline_function_takes_its_declared_parameters_with_their_defaults(name):
    pipeline = PIPELINES[name]
    taken = {k: p for k, p in inspect.signature(pipeline.function).parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert set(taken) == set(pipeline.signature())
    assert {k: p.default for k, p in taken.items()} == {k: p.default for k, p in pipeline.signature().items()}


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_declares_its_pipelines_parameters_as_they_are_declared(path):
    assert declaration_problems(path.name, read_signature(path), analyses_declared(path)) == []


def test_a_cell_that_drifts_from_the_declarations_is_named():
    declared = dict(PIPELINES["recruitment"].signature())
    drifted = {**declared, "horizon": declared["horizon"].__class__(**{**vars(declared["horizon"]), "default": 24})}
    del drifted["seed"]
    drifted["n_draws"] = declared["n_draws"].__class__(**{**vars(declared["n_draws"]), "maximum": 10.0})
    problems = declaration_problems("x.ipynb", drifted, ["recruitment"])
    assert any("'horizon' of the recruitment pipeline must be declared" in p and "horizon: int = 36" in p for p in problems)
    assert any("'seed' is missing: the recruitment pipeline takes it" in p for p in problems)
    assert any("'n_draws' must be declared as in analyses.registry.COMMON" in p for p in problems)
    assert declaration_problems("x.ipynb", {"scenario": COMMON["scenario"]}, []) == []  # no pipeline: nothing required


def test_the_renderer_refuses_a_drifted_notebook_before_any_kernel(tmp_path):
    text = (paths.NOTEBOOKS_DIR / "recruitment_sustainability.ipynb").read_text(encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "recruitment_sustainability.ipynb").write_text(text.replace("horizon: int = 36", "horizon: int = 24"))
    project = Project(notebooks=notebooks, reports=tmp_path / "reports")
    with pytest.raises(ParameterError, match="parameter 'horizon' of the recruitment pipeline must be declared"):
        render.plan(project, None, None, {})


def test_a_policy_that_leaves_a_side_without_claims_is_refused_before_any_kernel():
    """`render ammunition_production -p policy=source:<one source>` ended in the kernel with KeyError: 2025."""
    from sustainment.claims import load

    project = Project()
    jobs = render.plan(project, ["ammunition_production"], ["baseline"], {"policy": "source:euronews-2025-07-16"})
    with pytest.raises(ParameterError, match="no claim for the Western side in 2025 under policy 'source:euronews-2025-07-16'"):
        render.check_inputs(jobs, load(), project)


def test_source_audit_runs_the_pipelines_with_the_scenario_values():
    """source_audit's headline table once ran the pipelines with the functions' own defaults, so a
    scenario's include_north_korea or foreign troops did not reach it."""
    declared = read_signature(Path(paths.NOTEBOOKS_DIR / "source_audit.ipynb"))
    assert set(PIPELINES["ammunition"].signature()) | set(PIPELINES["recruitment"].signature()) <= set(declared)
