"""The sweep grid: a model evaluated over every combination of one or two of its inputs, in
batches, with the same seeded draws in every cell (common random numbers), so neighbouring cells
differ only by their inputs and the cell at the scenario's own values reproduces the report's
Monte Carlo. What each model's axes mean and how a cell is computed is the sensitivity
analysis's (`analyses.sensitivity`); this module holds the grid, its bounds and the break-even."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sustainment.errors import SweepError

MAX_CELLS = 10_000  # grid cells in one sweep


MAX_WORK = 20_000_000_000  # cells x draws x months (recruitment) or cells x draws (ammunition)
MAX_DRAW_MONTHS = 30_000_000  # draws x months in one Monte Carlo (a report's, or a sweep cell's): arrays under about 2 GiB


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
    name: str  # the pipeline it sweeps (its parameters, and a scenario's values of them, are the start)
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
            within(axis, np.array([low, high]), text)
            count = np.floor((high - low) / step + 1e-9) + 1  # a float: far ends make it infinite
            if count > MAX_CELLS:
                raise SweepError(f"sweep axis {axis.name}: {count:.3g} values, at most {MAX_CELLS}")
            values = np.round(low + step * np.arange(int(count)), 10)
        else:
            values = np.array(sorted({float(part) for part in text.split(",")}))
    except ValueError:
        raise SweepError(f"sweep axis {axis.name}: expected low:high:step or a,b,c, got '{text}'") from None
    within(axis, values, text)
    return values


def within(axis: Axis, values: np.ndarray, text: str) -> None:
    if not np.isfinite(values).all() or values.min() < axis.minimum or values.max() > axis.maximum:
        raise SweepError(f"sweep axis {axis.name}: values must be within [{axis.minimum:g}, {axis.maximum:g}], got '{text}'")


def grid(axes: dict[str, np.ndarray]) -> pd.DataFrame:
    """Every combination of the axes' values, one row per cell, the first axis slowest."""
    mesh = np.meshgrid(*axes.values(), indexing="ij")
    return pd.DataFrame({name: values.ravel() for name, values in zip(axes, mesh)})


def check_axes(spec: Model, axes: dict[str, np.ndarray]) -> None:
    if not 1 <= len(axes) <= 2:
        raise SweepError(f"sweep {spec.name}: give one or two axes, got {len(axes)}")
    for name in axes:
        spec.axis(name)


def check_memory(draws: int, months: int, where: str) -> None:
    """SweepError, before any array is made, when one Monte Carlo would need more than MAX_DRAW_MONTHS."""
    if draws * months > MAX_DRAW_MONTHS:
        raise SweepError(f"{where}: {draws:,} draws x {months} months = {draws * months:,} draw-months is over the "
                         f"{MAX_DRAW_MONTHS:,} one Monte Carlo may use (about 2 GiB); use fewer draws")


def check_work(work: int) -> None:
    if work > MAX_WORK:
        raise SweepError(f"sweep: {work:,} cell-draw-months is more than {MAX_WORK:,}; use fewer cells or draws")


def default_axes(spec: Model) -> dict[str, np.ndarray]:
    """The model's first two axes over their default grids."""
    return {axis.name: parse_axis(axis, axis.default) for axis in spec.axes[:2]}


def chunks(cells: int, running) -> list[np.ndarray]:
    """The cells split into batches: one batch in this process, else two per worker."""
    return np.array_split(np.arange(cells), 1 if running is None else max(1, min(cells, 2 * running.workers)))


def call(function: Callable, args: tuple, kwargs: dict):
    return function(*args, **kwargs)


def in_chunks(running, cells: int, calls: list[tuple]) -> list:
    """Each (function, args, kwargs) evaluated here, or on the executor `running`, results in order.
    Every batch draws the same seeded numbers, so the split never changes a cell's result."""
    if running is None:
        return [function(*args, **kwargs) for function, args, kwargs in calls]
    return running.map(call, calls)


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
