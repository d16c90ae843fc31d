"""The pipelines the notebooks run, registered once: the renderer's pre-flight, the sweeps and the
check of the notebooks' parameter cells read them from here.

A pipeline is a function of the claims and keyword parameters: the common ones every analysis
takes (`COMMON`, those in `PIPELINE_INPUTS`) and its own (`PARAMETERS` of its module), each
declared once in papermill's format. A notebook that runs a pipeline (its metadata's
`sustainment.analyses`) declares the pipeline's own parameters exactly as the pipeline does, and
the common ones with the same type and bounds; `declaration_problems` says where they drift.
Adding an analysis with its own pipeline: its module, one line in `PIPELINES`, its test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from sustainment import parameters
from sustainment.analyses import ammunition, recruitment
from sustainment.parameters import Parameter

COMMON = parameters.parse("""\
scenario: str = "baseline"  # scenario name, set by the renderer
as_of: str = ""  # only claims public by this date, YYYY-MM-DD (empty: the latest date in data/)
policy: str = "central"  # how claims become estimates {central, low, high, latest, source:<id>}
min_confidence: str = "low"  # ignore claims below this confidence {low, medium, high}
n_draws: int = 20000  # Monte Carlo draws [100, 1000000]
seed: int = 20241028  # random seed for every draw [0, 4294967295]
figures_dir: str = ""  # folder for exported charts (empty: shown, not saved)
""", "analyses.registry.COMMON")  # as every notebook declares them (a notebook may choose its own default)
PIPELINE_INPUTS = ("as_of", "policy", "min_confidence", "n_draws", "seed")  # the common parameters a pipeline takes


@dataclass(frozen=True)
class Pipeline:
    name: str
    function: Callable
    parameters: dict[str, Parameter]  # its own, beyond PIPELINE_INPUTS

    def signature(self) -> dict[str, Parameter]:
        """Every parameter the pipeline takes, declared once: the common inputs, then its own."""
        return {**{name: COMMON[name] for name in PIPELINE_INPUTS}, **self.parameters}

    def inputs(self, values: Mapping) -> dict:
        """The values this pipeline takes from a notebook's (or a scenario's bound) parameters."""
        return {name: values[name] for name in self.signature() if name in values}


PIPELINES = {pipeline.name: pipeline for pipeline in (
    Pipeline("ammunition", ammunition.ammunition_analysis, ammunition.PARAMETERS),
    Pipeline("recruitment", recruitment.recruitment_analysis, recruitment.PARAMETERS),
)}


def pipeline_inputs(name: str, values: Mapping) -> dict:
    """The values pipeline `name` takes from a notebook's globals (`analyses.pipeline_inputs("ammunition", globals())`)."""
    return PIPELINES[name].inputs(values)


def declaration_problems(where: str, signature: dict[str, Parameter], analyses: list[str]) -> list[str]:
    """Where a notebook's parameters cell (`signature`) drifts from the declarations: a common
    parameter of another type or bounds than `COMMON`'s; for each pipeline it runs, a common input
    missing, or one of the pipeline's own parameters missing or declared otherwise (type, default,
    help). One line each."""
    problems = []
    for name, own in signature.items():
        common = COMMON.get(name)
        if common and (own.type, own.minimum, own.maximum, own.choices) != (common.type, common.minimum, common.maximum,
                                                                             common.choices):
            problems.append(f"{where}: parameter '{name}' must be declared as in analyses.registry.COMMON: {_line(common)}")
    for analysis in analyses:
        pipeline = PIPELINES.get(analysis)
        for name in PIPELINE_INPUTS if pipeline else ():
            if name not in signature:
                problems.append(f"{where}: parameter '{name}' is missing: the {analysis} pipeline takes it "
                                f"({_line(COMMON[name])})")
        for name, declared in pipeline.parameters.items() if pipeline else ():
            if signature.get(name) != declared:
                problems.append(f"{where}: parameter '{name}' of the {analysis} pipeline must be declared as "
                                f"analyses.{analysis}.PARAMETERS declares it: {_line(declared)}")
    return problems


def _line(parameter: Parameter) -> str:
    return f"{parameter.name}: {parameter.type} = {parameter.default!r}  # {parameter.help}"


def preflight(claims: pd.DataFrame, values: Mapping, analyses: list[str], done: dict | None = None) -> str:
    """Run the `analyses` a notebook declares ("ammunition", "recruitment") with its parameter
    values and few draws, before any kernel: the first problem as one line (an input with no claim
    public by as_of, years out of order), or "". `done` remembers the outcome of each analysis
    for the values it takes, so that notebooks sharing them (one scenario's) run it once."""
    unknown = sorted(set(analyses) - set(PIPELINES))
    if unknown:
        return f"unknown analyses {unknown} in the notebook's metadata; known: {sorted(PIPELINES)}"
    done = {} if done is None else done
    for name in analyses:
        taken = {**PIPELINES[name].inputs(values), "n_draws": 100}
        key = (name, json.dumps(taken, sort_keys=True))
        if key not in done:
            try:
                PIPELINES[name].function(claims, **taken)
                done[key] = ""
            except (ValueError, LookupError) as err:
                done[key] = f"as_of {values.get('as_of') or 'latest'}: {str(err).splitlines()[0]}"
        if done[key]:
            return done[key]
    return ""
