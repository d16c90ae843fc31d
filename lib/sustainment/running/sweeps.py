"""`sustainment sweep`: a sensitivity sweep run from the command line and published. The
scenario's values for the model's report are bound and checked as a render checks them (`-p
NAME=VALUE` overriding, `-p AXIS=LOW:HIGH:STEP` giving the axes), the model runs on the grid
(`analyses.sensitivity`, `models.grid`), here or on an executor, and `publish` writes
`reports/sweeps/<model>-<scenario>/` (`sweep.csv`, `sweep.json`, the heat map) whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.analyses.sensitivity import finding, model, run
from sustainment.errors import SweepError
from sustainment.models.grid import Model, Sweep, break_even, parse_axis
from sustainment.parameters import assignments


def sidecar(sweep: Sweep, claims: pd.DataFrame, inputs: str = "") -> dict:
    """What the sweep started from, for `sweep.json`: model, scenario, parameters, axes, draws,
    seed, the scenario's point, the break-even, the claims and sources behind it and `inputs`
    (`fingerprint.inputs_digest` of the data and code it was made from)."""
    sources = sorted(set(claims.loc[claims["id"].isin(sweep.claim_ids), "source_id"]))
    crossing = break_even(sweep)
    return {"model": sweep.model.name, "scenario": sweep.scenario, "parameters": sweep.parameters,
            "axes": [{"name": name, "values": [float(v) for v in values]} for name, values in sweep.axes.items()],
            "here": sweep.here, "n_draws": sweep.n_draws, "seed": sweep.seed, "horizon": sweep.horizon,
            "outcome": sweep.model.outcome, "break_even": None if crossing is None else round(crossing, 6),
            "finding": finding(sweep), "notes": sweep.notes, "claim_ids": sweep.claim_ids, "source_ids": sources,
            "inputs": inputs}


def write(sweep: Sweep, folder: Path, claims: pd.DataFrame, inputs: str = "") -> list[Path]:
    """`sweep.csv` (one row per cell), `sweep.json` (see `sidecar`) and the map (`map.png/.svg/.pdf`
    and its sidecar) into `folder`, each file written whole."""
    from sustainment.files import write_atomic
    from sustainment.presentation import plotting

    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "sweep.csv", folder / "sweep.json"]
    write_atomic(written[0], sweep.table.to_csv(index=False, lineterminator="\n", float_format="%.6g"))
    write_atomic(written[1], json.dumps(sidecar(sweep, claims, inputs), indent=1, sort_keys=True) + "\n")
    chart = plotting.sweep_map(sweep, claims, finding(sweep), break_even(sweep))
    written += plotting.save(chart, "map", folder)
    import matplotlib.pyplot as plt

    plt.close(chart.figure)
    return written


def parse_assignments(items: list[str], spec: Model) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """`-p` items of a sweep: `axis=low:high:step` or `axis=a,b,c` are axes (in the order given),
    any other `name=value` a fixed parameter of the model's pipeline."""
    axes, fixed = {}, {}
    for name, value in assignments(items).items():
        if name in {a.name for a in spec.axes} and (":" in value or "," in value):
            axes[name] = parse_axis(spec.axis(name), value)
        else:
            fixed[name] = value
    return axes, fixed


def scenario_sweep(project, name: str, scenario: str, items: list[str], n_draws: int, seed: int,
                   at_months=(12, 24), executor: str = "", workers: int = 1, scheduler: str = "") -> Sweep:
    """What `sustainment sweep` runs: the scenario's values for the model's report (checked as a
    render checks them, `-p NAME=VALUE` items overriding), the axes given as `-p NAME=LOW:HIGH:STEP`
    (default: the model's default grid), every input checked before the model runs; the cells
    are evaluated here, or on `executor` ("pool" or "dask", see `executors`)."""
    from sustainment.analyses.registry import PIPELINES, preflight
    from sustainment.claims import load
    from sustainment.claims.scenarios import scenarios_of
    from sustainment.running.signature import bind

    spec = model(name)
    axes, fixed = parse_assignments(items, spec)
    (chosen,) = scenarios_of(project, [scenario])
    parameters = bind(f"sweep {name}", PIPELINES[name].signature(), chosen, fixed)
    claims = load(project.data)
    problem = preflight(claims, parameters, [name])
    if problem:
        raise SweepError(f"sweep {name} [{scenario}]: {problem}")
    try:
        if not executor:
            return run(name, claims, parameters, axes, n_draws, seed, scenario, at_months)
        from sustainment.running import executors

        with executors.executor(executor, workers, scheduler) as running:
            return run(name, claims, parameters, axes, n_draws, seed, scenario, at_months, running)
    except ValueError as err:
        raise SweepError(f"sweep {name} [{scenario}]: {str(err).splitlines()[0]}") from None


def publish(sweep: Sweep, project, claims: pd.DataFrame, no_wait: bool = False, then: Callable | None = None) -> Path:
    """Write the sweep into reports/sweeps/<model>-<scenario>/ whole: staged privately under the
    reports lock, then swapped into place (the folder holds one sweep's files, never a mix);
    `then()` runs before the lock is released (the command line refreshes the index there)."""
    from sustainment import layout
    from sustainment.publishing import publish as publishing
    from sustainment.publishing.fingerprint import inputs_digest

    with publishing.reports_lock(project.reports, no_wait), publishing.staging(project.reports) as staged:
        write(sweep, staged / "sweep", claims, inputs_digest(project.data))
        target = publishing.replace_folder(project.reports, layout.sweep(sweep.model.name, sweep.scenario), staged / "sweep")
        if then is not None:
            then()
    return target
