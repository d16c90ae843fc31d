"""A notebook's `parameters` cell read as its signature, and parameter values bound to it
(defaults < scenario < explicit values), checked before any kernel.

The cell holds lines in papermill's own format (see `parameters`). Values from scenarios and
`-p KEY=VALUE` are refused before any kernel starts when the name is unknown, the type is wrong
or the value is out of range.
"""

from __future__ import annotations

from pathlib import Path

from sustainment.claims.scenarios import DEFAULT_SCENARIO, Scenario, scenarios_of
from sustainment.errors import ParameterError
from sustainment.notebooks import analyses_declared, parameters_cell, read_notebook
from sustainment.parameters import Parameter, parse


def read_signature(path: Path) -> dict[str, Parameter]:
    """The parameters a notebook's `parameters` cell declares, in order."""
    notebook = read_notebook(path)
    try:
        _, source = parameters_cell(notebook)
    except ParameterError as err:
        raise ParameterError(f"{path.name}: {err}") from None
    return parse(source, path.name)


RENDERER_SETS = {"scenario": "choose one with --scenario", "figures_dir": "charts go to reports/<scenario>/figures/"}


def check_declarations(path: Path, signature: dict[str, Parameter]) -> None:
    """ParameterError (one line) when a notebook's parameters cell drifts from what the pipelines it
    runs declare (`analyses.registry`): every notebook declares the common parameters, and those of
    each pipeline it runs exactly as the pipeline does."""
    from sustainment.analyses.registry import declaration_problems

    problems = declaration_problems(path.name, signature, analyses_declared(path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ParameterError(problems[0] + more)


def bind(notebook: str, signature: dict[str, Parameter], scenario: Scenario, overrides: dict[str, str]) -> dict:
    """The final parameters of one notebook under one scenario: defaults < scenario < overrides.

    Scenario keys the notebook does not declare are skipped (another notebook declares them;
    `check_scenario_keys` refuses keys no notebook declares). Overrides must be declared.
    """
    values = {name: p.default for name, p in signature.items()}
    for name, value in scenario.parameters.items():
        if name in signature:
            values[name] = signature[name].check(value, f"{notebook} [scenario {scenario.name}]")
    for name, value in overrides.items():
        if name in RENDERER_SETS:
            raise ParameterError(f"-p {name}: set by the renderer ({RENDERER_SETS[name]})")
        if name not in signature:
            raise ParameterError(f"{notebook}: unknown parameter '{name}' (declared: {', '.join(signature)})")
        values[name] = signature[name].check(value, f"{notebook} [-p]")
    values["scenario"] = signature["scenario"].check(scenario.name, notebook) if "scenario" in signature else scenario.name
    return values


INJECTED = "# Parameters"  # how papermill's injected-parameters cell begins


def injected_names(namespace: dict) -> set[str]:
    """The names papermill's injected-parameters cell assigned in this kernel (papermill CLI or API,
    nbconvert with parameters): explicit values, even when equal to the notebook's defaults. Read
    from the kernel's input history (`_ih`)."""
    import ast

    found: set[str] = set()
    for source in namespace.get("_ih") or ():
        if isinstance(source, str) and source.lstrip().startswith(INJECTED):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            found |= {target.id for node in tree.body if isinstance(node, ast.Assign)
                      for target in node.targets if isinstance(target, ast.Name)}
    return found


def bind_notebook(namespace: dict, notebook: str, project=None) -> dict:
    """In a notebook run outside the renderer (JupyterLab, the papermill CLI, nbconvert): give
    `namespace` (the notebook's globals) the values of the scenario its `scenario` parameter names,
    with the renderer's precedence: defaults < scenario < explicit values. Explicit: a value
    papermill injected (even one equal to the default) or one the analyst typed (differing from the
    declared default). Under the renderer the values are already bound and nothing changes.
    Returns the bound values; ParameterError (one line) for an unknown scenario or a bad value."""
    import os

    from sustainment.paths import RENDER_VARIABLE, Project

    if os.environ.get(RENDER_VARIABLE):
        return {}  # the renderer bound every value already
    project = project or Project()
    signature = read_signature(project.notebooks / f"{notebook}.ipynb")
    injected = injected_names(namespace)
    typed = {name: namespace[name] for name, p in signature.items()
             if name in namespace and (name in injected or namespace[name] != p.default)
             and name not in ("scenario", "figures_dir")}
    (scenario,) = scenarios_of(project, [namespace.get("scenario", DEFAULT_SCENARIO)])
    values = bind(f"{notebook}.ipynb", signature, scenario, {k: v for k, v in typed.items()})
    namespace.update({name: value for name, value in values.items() if name != "figures_dir"})
    return values


def check_scenarios(scenarios: list[Scenario], signatures: dict[str, dict[str, Parameter]]) -> None:
    """What a render checks of every scenario, without rendering (`sustainment validate` runs it):
    its keys are declared by some notebook and its values bind to every notebook that declares
    them (type, bounds, choices, finite numbers); ParameterError in one line otherwise."""
    for scenario in scenarios:
        check_scenario_keys(scenario, signatures)
        for name, signature in signatures.items():
            bind(f"{name}.ipynb", signature, scenario, {})


def check_scenario_keys(scenario: Scenario, signatures: dict[str, dict[str, Parameter]]) -> None:
    declared = {name for signature in signatures.values() for name in signature}
    unknown = sorted(set(scenario.parameters) - declared)
    if unknown:
        raise ParameterError(f"{scenario.path.name if scenario.path else scenario.name}: unknown parameter(s) "
                             f"{', '.join(unknown)} (no notebook declares them)")
