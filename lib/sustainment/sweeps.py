"""Sensitivity sweeps: a model evaluated over a grid of its inputs in one process, without a
kernel per cell. The scenario sets every other input, exactly as its report does; each axis
moves one input over `low:high:step`. Every cell reuses the same seeded draws (common random
numbers), so neighbouring cells differ only by their inputs and the map has no Monte Carlo
speckle; the cell at the scenario's own values reproduces the report's Monte Carlo.

Models: `recruitment` (the change in the Russian force after the horizon, P(smaller) at chosen
months) and `ammunition` (the Russia : West supply ratio in the horizon year, P(Russian side
ahead)). `run` evaluates, `write` publishes `sweep.csv`, `sweep.json` and the heat map.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sustainment.claims import id_list
from sustainment.errors import SustainmentError


class SweepError(SustainmentError):
    """A sweep that cannot run as asked (bad axis, unknown model); one line."""


MAX_CELLS = 10_000  # grid cells in one sweep
MAX_WORK = 20_000_000_000  # cells x draws x months (recruitment) or cells x draws (ammunition)


@dataclass(frozen=True)
class Axis:
    """An input a sweep can move: its meaning, its bounds and its default grid."""

    name: str
    words: str  # for titles and labels: "recruitment vs the claims"
    minimum: float
    maximum: float
    default: str  # "low:high:step"
    kind: str = "change"  # how its values read: change (+20%), share (40%), rate (+5%/year), count (2.1M)


@dataclass(frozen=True)
class Model:
    name: str
    notebook: str  # the report whose parameters (and the scenario's values of them) the sweep starts from
    axes: tuple[Axis, ...]
    outcome: str  # the column the map shows
    outcome_words: str
    median: str  # the column whose crossing of `threshold` is the break-even line
    threshold: float
    threshold_words: str

    def axis(self, name: str) -> Axis:
        for axis in self.axes:
            if axis.name == name:
                return axis
        raise SweepError(f"sweep {self.name}: unknown axis '{name}'; axes: {', '.join(a.name for a in self.axes)}")


@dataclass
class Sweep:
    """A sweep's grid, its outcomes (one row per cell) and what it started from."""

    model: Model
    scenario: str
    axes: dict[str, np.ndarray]
    table: pd.DataFrame
    here: dict[str, float]  # the scenario's own value on each axis
    claim_ids: list[str]
    parameters: dict  # the analysis parameters the sweep started from
    n_draws: int
    seed: int
    horizon: str  # "36 months", "2027"
    notes: list[str] = field(default_factory=list)


def parse_axis(axis: Axis, text: str) -> np.ndarray:
    """`low:high:step` (both ends included) or `a,b,c` as sorted values within the axis' bounds."""
    text = text.strip()
    try:
        if ":" in text:
            low, high, step = (float(part) for part in text.split(":"))
            if not (step > 0 and np.isfinite(step)) or high < low:
                raise SweepError(f"sweep axis {axis.name}: need low <= high and a finite step > 0, got '{text}'")
            _within(axis, np.array([low, high]), text)
            count = np.floor((high - low) / step + 1e-9) + 1  # a float: far ends make it infinite
            if count > MAX_CELLS:
                raise SweepError(f"sweep axis {axis.name}: {count:.3g} values, at most {MAX_CELLS}")
            values = np.round(low + step * np.arange(int(count)), 10)
        else:
            values = np.array(sorted({float(part) for part in text.split(",")}))
    except ValueError:
        raise SweepError(f"sweep axis {axis.name}: expected low:high:step or a,b,c, got '{text}'") from None
    _within(axis, values, text)
    return values


def _within(axis: Axis, values: np.ndarray, text: str) -> None:
    if not np.isfinite(values).all() or values.min() < axis.minimum or values.max() > axis.maximum:
        raise SweepError(f"sweep axis {axis.name}: values must be within [{axis.minimum:g}, {axis.maximum:g}], got '{text}'")


def grid(axes: dict[str, np.ndarray]) -> pd.DataFrame:
    """Every combination of the axes' values, one row per cell, the first axis slowest."""
    mesh = np.meshgrid(*axes.values(), indexing="ij")
    return pd.DataFrame({name: values.ravel() for name, values in zip(axes, mesh)})


def _picked(function: Callable, parameters: Mapping) -> dict:
    """The parameters `function` takes, except the draws and seed (the sweep sets its own)."""
    from sustainment.analyses.common import accepted

    return {k: v for k, v in accepted(function, dict(parameters)).items() if k not in ("n_draws", "seed")}


# Recruitment ---------------------------------------------------------------------------------

RECRUITMENT = Model(
    "recruitment", "recruitment_sustainability",
    (Axis("recruit_change", "recruitment vs the claims", -1.0, 3.0, "-0.5:0.5:0.05"),
     Axis("loss_growth", "yearly growth of losses", -0.9, 3.0, "-0.4:0.6:0.05", "rate"),
     Axis("loss_change", "losses vs the estimate", -0.9, 3.0, "-0.5:0.5:0.05"),
     Axis("permanent_loss_share", "share of losses that are permanent", 0.01, 1.0, "0.2:0.7:0.025", "share")),
    "p_smaller", "chance the force is smaller at the horizon", "cumulative_q50", 0.0, "break-even (median change 0)")


def recruitment_sweep(claims: pd.DataFrame, parameters: Mapping, axes: dict[str, np.ndarray], n_draws: int, seed: int,
                      at_months=(12, 24), scenario: str = "", running=None) -> Sweep:
    """The recruitment model over the grid: `recruit_change` scales recruitment from the claims
    (as the report's parameter does), `loss_change` the loss rate, `loss_growth` fixes the yearly
    growth of losses (replacing the scenario's path), `permanent_loss_share` fixes that share."""
    from sustainment import manpower
    from sustainment.analyses.recruitment import recruitment_analysis

    _check_axes(RECRUITMENT, axes)
    result = recruitment_analysis(claims, **_picked(recruitment_analysis, parameters), n_draws=100, seed=seed)
    inputs = result.inputs
    cells = grid(axes)
    _check_work(len(cells) * n_draws * result.horizon)
    base_change = float(parameters.get("recruit_change", 0.0))
    scale, fixed = {}, {}
    if "recruit_change" in cells:
        scale["recruits"] = (1 + cells["recruit_change"].to_numpy()) / (1 + base_change)
    if "loss_change" in cells:
        scale["losses"] = 1 + cells["loss_change"].to_numpy()
    if "loss_growth" in cells:
        fixed["loss_growth"] = cells["loss_growth"].to_numpy()
    if "permanent_loss_share" in cells:
        fixed["permanent_loss_share"] = cells["permanent_loss_share"].to_numpy()
    months = [m for m in at_months if m < result.horizon]
    outcomes = pd.concat(_in_chunks(running, len(cells), [
        (manpower.monte_carlo_grid, (inputs, result.start_month, result.horizon, n_draws, seed),
         {"scale": {k: v[chunk] for k, v in scale.items()}, "fixed": {k: v[chunk] for k, v in fixed.items()},
          "at_months": months}) for chunk in _chunks(len(cells), running)]), ignore_index=True)
    here = {"recruit_change": base_change, "loss_change": 0.0, "loss_growth": inputs.loss_growth.central,
            "permanent_loss_share": inputs.permanent_loss_share.central}
    notes = [f"From {result.start_month}, {result.horizon} months; other inputs as in the scenario, with their ranges."]
    return Sweep(RECRUITMENT, scenario, axes, pd.concat([cells, outcomes], axis=1), {a: here[a] for a in axes},
                 result.claim_ids, _picked(recruitment_analysis, parameters), n_draws, seed, f"{result.horizon} months",
                 notes)


# Ammunition ----------------------------------------------------------------------------------

AMMUNITION = Model(
    "ammunition", "ammunition_production",
    (Axis("eu_output", "EU output in the horizon year", 0.0, 50e6, "1000000:7000000:300000", "count"),
     Axis("north_korea_share", "share of North Korean and Iranian deliveries kept", 0.0, 1.0, "0:1:0.05", "share"),
     Axis("russia_growth", "yearly growth of Russian-side supply", -0.9, 3.0, "-0.3:0.3:0.03", "rate"),
     Axis("west_growth", "yearly growth of Western-side supply", -0.9, 3.0, "-0.3:0.5:0.04", "rate")),
    "p_above_1", "chance the Russian side out-supplies the Western side", "ratio_q50", 1.0, "parity (median ratio 1)")


def ammunition_sweep(claims: pd.DataFrame, parameters: Mapping, axes: dict[str, np.ndarray], n_draws: int, seed: int,
                     scenario: str = "", running=None) -> Sweep:
    """The supply ratio in the horizon year over the grid: each component of the last observed
    year follows its path to the horizon as in the report (its side's growth, or its target),
    except that `russia_growth` / `west_growth` set a side's growth, `eu_output` sets EU output
    in the horizon year (its range scaled alike) and `north_korea_share` keeps that share of
    North Korean and Iranian deliveries."""
    from sustainment import ammunition as ammo
    from sustainment.analyses.ammunition import ammunition_analysis

    _check_axes(AMMUNITION, axes)
    picked = _picked(ammunition_analysis, parameters)
    kept_share = 1.0 if picked.get("include_north_korea", True) and picked.get("include_iran", True) else 0.0
    if "north_korea_share" in axes:  # the axis moves North Korean and Iranian deliveries from none to all
        picked.update(include_north_korea=True, include_iran=True)
    result = ammunition_analysis(claims, **picked, n_draws=100, seed=seed)
    base = result.supply[(result.supply["year"] == result.last_year) & (result.supply["status"] != "no claim")]
    base = base.reset_index(drop=True)
    cells = grid(axes)
    _check_work(len(cells) * n_draws)
    steps = result.horizon_year - result.last_year
    targets = {row.actor: row for row in result.targets.itertuples()}
    scenario_factors = np.ones(len(base))  # each component's horizon level over its base, as in the report
    for k, row in enumerate(base.itertuples()):
        if row.actor in targets:
            target = targets[row.actor]
            path = ammo.project(result.last_year, row.central, result.horizon_year, target=target.rounds_per_year,
                                target_year=max(target.reached_by, result.last_year + 1))
            scenario_factors[k] = path["central"].iloc[-1] / row.central
        else:
            scenario_factors[k] = (1 + float(parameters.get(f"{row.side}_growth", 0.0))) ** steps
    factors = np.tile(scenario_factors, (len(cells), 1))
    for k, row in enumerate(base.itertuples()):
        if f"{row.side}_growth" in cells and row.actor not in targets:
            factors[:, k] = (1 + cells[f"{row.side}_growth"].to_numpy()) ** steps
        if row.actor == "EU" and "eu_output" in cells:
            factors[:, k] = cells["eu_output"].to_numpy() / row.central
        if row.actor in ("NK", "IR") and "north_korea_share" in cells:
            factors[:, k] *= cells["north_korea_share"].to_numpy()
    if "eu_output" in cells and "EU" not in set(base["actor"]):
        raise SweepError(f"sweep ammunition: no EU estimate in {result.last_year} to scale (axis eu_output)")
    outcomes = pd.concat(_in_chunks(running, len(cells), [(ammo.ratio_grid, (base, factors[chunk], n_draws, seed), {})
                                                          for chunk in _chunks(len(cells), running)]), ignore_index=True)
    eu = base.index[base["actor"] == "EU"]
    here = {"eu_output": float(base.loc[eu, "central"].iloc[0] * scenario_factors[eu[0]]) if len(eu) else 0.0,
            "north_korea_share": kept_share, "russia_growth": float(parameters.get("russia_growth", 0.0)),
            "west_growth": float(parameters.get("west_growth", 0.0))}
    kept = ", ".join(sorted(set(base["actor"])))
    notes = [f"Components of {result.last_year} ({kept}) projected to {result.horizon_year}; each drawn from its range."]
    return Sweep(AMMUNITION, scenario, axes, pd.concat([cells, outcomes], axis=1), {a: here[a] for a in axes},
                 id_list(base["claim_ids"]), picked,
                 n_draws, seed, str(result.horizon_year), notes)


MODELS = {"recruitment": RECRUITMENT, "ammunition": AMMUNITION}


def model(name: str) -> Model:
    if name not in MODELS:
        raise SweepError(f"unknown sweep model '{name}'; models: {', '.join(MODELS)}")
    return MODELS[name]


def _check_axes(spec: Model, axes: dict[str, np.ndarray]) -> None:
    if not 1 <= len(axes) <= 2:
        raise SweepError(f"sweep {spec.name}: give one or two axes, got {len(axes)}")
    for name in axes:
        spec.axis(name)


def _check_work(work: int) -> None:
    if work > MAX_WORK:
        raise SweepError(f"sweep: {work:,} cell-draw-months is more than {MAX_WORK:,}; use fewer cells or draws")


def default_axes(spec: Model) -> dict[str, np.ndarray]:
    """The model's first two axes over their default grids."""
    return {axis.name: parse_axis(axis, axis.default) for axis in spec.axes[:2]}


def _chunks(cells: int, running) -> list[np.ndarray]:
    """The cells split into batches: one batch in this process, else two per worker."""
    return np.array_split(np.arange(cells), 1 if running is None else max(1, min(cells, 2 * running.workers)))


def _call(function: Callable, args: tuple, kwargs: dict):
    return function(*args, **kwargs)


def _in_chunks(running, cells: int, calls: list[tuple]) -> list:
    """Each (function, args, kwargs) evaluated here, or on the executor `running`, results in order.
    Every batch draws the same seeded numbers, so the split never changes a cell's result."""
    if running is None:
        return [function(*args, **kwargs) for function, args, kwargs in calls]
    return running.map(_call, calls)


def run(name: str, claims: pd.DataFrame, parameters: Mapping, axes: dict[str, np.ndarray] | None = None,
        n_draws: int = 10_000, seed: int = 0, scenario: str = "", at_months=(12, 24), running=None) -> Sweep:
    """Sweep model `name` over `axes` (default: its default grid) from `parameters` (a scenario's
    values for the model's report, or a notebook's globals); `at_months`: where the recruitment
    sweep also gives P(smaller); `running`: an executor (see `executors`) to spread the cells over,
    None to evaluate them here."""
    spec = model(name)
    axes = axes or default_axes(spec)
    if name == "recruitment":
        return recruitment_sweep(claims, parameters, axes, n_draws, seed, at_months=at_months, scenario=scenario,
                                 running=running)
    return ammunition_sweep(claims, parameters, axes, n_draws, seed, scenario=scenario, running=running)


# Words and files -----------------------------------------------------------------------------

def value_words(axis: Axis, value: float) -> str:
    from sustainment import narrative

    if axis.kind == "count":
        return narrative.count(value)
    if axis.kind == "share":
        return f"{value:.0%}"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value):.0%}" + ("/year" if axis.kind == "rate" else "")


def scenario_row(sweep: Sweep) -> pd.DataFrame:
    """The cells along the first axis at the scenario's value of the second (the nearest grid value)."""
    first, *rest = list(sweep.axes)
    if not rest:
        return sweep.table
    values = sweep.axes[rest[0]]
    nearest = values[np.argmin(np.abs(values - sweep.here[rest[0]]))]
    return sweep.table[np.isclose(sweep.table[rest[0]], nearest)]


def break_even(sweep: Sweep) -> float | None:
    """Where the break-even line crosses the first axis at the scenario's value of the second
    (the nearest grid value), by linear interpolation; None when it does not cross."""
    first = next(iter(sweep.axes))
    rows = scenario_row(sweep)
    x = rows[first].to_numpy()
    y = rows[sweep.model.median].to_numpy() - sweep.model.threshold
    crossing = np.flatnonzero(np.sign(y[:-1]) * np.sign(y[1:]) < 0)
    if not len(crossing) and not (y == 0).any():
        return None
    if not len(crossing):
        return float(x[np.flatnonzero(y == 0)[0]])
    i = crossing[0]
    return float(x[i] + (x[i + 1] - x[i]) * y[i] / (y[i] - y[i + 1]))


def finding(sweep: Sweep) -> str:
    """The map's title: where the break-even line lies at the scenario's value of the other input."""
    spec = sweep.model
    first, *rest = [spec.axis(name) for name in sweep.axes]
    at = f", with {rest[0].words} at this scenario's {value_words(rest[0], sweep.here[rest[0].name])}" if rest else ""
    what = spec.threshold_words.split(" (")[0]
    crossing = break_even(sweep)
    if crossing is None:
        side = "above" if (scenario_row(sweep)[spec.median] > spec.threshold).all() else "below"
        return (f"No {what} for {first.words} from {value_words(first, sweep.axes[first.name][0])} to "
                f"{value_words(first, sweep.axes[first.name][-1])}{at}: the median stays {side} {spec.threshold:g}")
    return (f"{what[0].upper()}{what[1:]} at {first.words} {value_words(first, crossing)} "
            f"(this scenario {value_words(first, sweep.here[first.name])}){at}")


def folder_name(sweep: Sweep) -> str:
    return f"{sweep.model.name}-{sweep.scenario or 'custom'}"


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
    from sustainment import plotting
    from sustainment.files import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "sweep.csv", folder / "sweep.json"]
    write_atomic(written[0], sweep.table.to_csv(index=False, lineterminator="\n", float_format="%.6g"))
    write_atomic(written[1], json.dumps(sidecar(sweep, claims, inputs), indent=1, sort_keys=True) + "\n")
    chart = plotting.sweep_map(sweep, claims, finding(sweep), break_even(sweep))
    written += plotting.save(chart, "map", folder)
    import matplotlib.pyplot as plt

    plt.close(chart)
    return written


def parse_assignments(items: list[str], spec: Model) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """`-p` items of a sweep: `axis=low:high:step` or `axis=a,b,c` are axes (in the order given),
    any other `name=value` a fixed parameter of the model's report."""
    axes, fixed = {}, {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise SweepError(f"-p {item!r}: expected NAME=VALUE")
        if name in axes or name in fixed:
            raise SweepError(f"-p {name}: given twice")
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
    from sustainment.analyses.briefing import preflight
    from sustainment.claims import load
    from sustainment.signature import bind, load_scenarios, read_signature

    spec = model(name)
    axes, fixed = parse_assignments(items, spec)
    notebook = project.notebooks / f"{spec.notebook}.ipynb"
    if not notebook.exists():
        raise SweepError(f"sweep {name}: its parameters come from {spec.notebook}.ipynb, which is not in {project.notebooks}")
    (chosen,) = load_scenarios(project.scenarios, project.data / "sources.csv", [scenario])
    parameters = bind(notebook.name, read_signature(notebook), chosen, fixed)
    claims = load(project.data)
    problem = preflight(claims, parameters, [name])
    if problem:
        raise SweepError(f"sweep {name} [{scenario}]: {problem}")
    try:
        if not executor:
            return run(name, claims, parameters, axes, n_draws, seed, scenario, at_months)
        from sustainment import executors

        with executors.executor(executor, workers, scheduler) as running:
            return run(name, claims, parameters, axes, n_draws, seed, scenario, at_months, running)
    except ValueError as err:
        raise SweepError(f"sweep {name} [{scenario}]: {str(err).splitlines()[0]}") from None


def publish(sweep: Sweep, project, claims: pd.DataFrame, no_wait: bool = False, then: Callable | None = None) -> Path:
    """Write the sweep into reports/sweeps/<model>-<scenario>/ whole: staged privately under the
    reports lock, then swapped into place (the folder holds one sweep's files, never a mix);
    `then()` runs before the lock is released (the command line refreshes the index there)."""
    import shutil

    from sustainment import publish as publishing
    from sustainment.fingerprint import inputs_digest

    target = project.reports / "sweeps" / folder_name(sweep)
    with publishing.reports_lock(project.reports, no_wait), publishing.staging(project.reports) as staged:
        write(sweep, staged / "sweep", claims, inputs_digest(project.data))
        target.parent.mkdir(parents=True, exist_ok=True)
        old = staged / "old"
        if target.exists():
            target.replace(old)
        (staged / "sweep").replace(target)
        shutil.rmtree(old, ignore_errors=True)
        if then is not None:
            then()
    return target
