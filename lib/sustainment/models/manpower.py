"""Can Russian recruitment sustain Russian losses? A monthly stock-flow model with uncertainty.

Inflow per month: contract recruits + mobilization waves (size, month) + foreign troops
(size, month). Outflow: killed-or-wounded (growing at `loss_growth` a year from the first month)
x permanent-loss share (the killed plus the wounded who do not return) + other exits. All rates
are persons/month (pint's month: 365.25/12 days).
The model tracks the change in the force, not its size: no claim gives a reliable starting
strength.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sustainment.models.uncertainty import QUANTILES, Range, check_range, pert, quantile_frame

INPUTS = ("recruits", "losses", "loss_growth", "permanent_loss_share", "other_exits", "recruit_growth")  # draw order
GROWTHS = ("loss_growth", "recruit_growth")  # yearly rates: may be negative, above -1


@dataclass(frozen=True)
class Manpower:
    """Inputs of the model. Rates in persons/month; `losses` is the rate in the first modelled
    month and `loss_growth` its yearly growth (0.1 = +10 %/year), likewise `recruits` and
    `recruit_growth`; waves and foreign troops as {"YYYY-MM": persons}."""

    recruits: Range
    losses: Range
    permanent_loss_share: Range
    other_exits: Range = Range.exact(0.0)
    mobilization: dict[str, float] = field(default_factory=dict)
    foreign_troops: dict[str, float] = field(default_factory=dict)
    loss_growth: Range = Range.exact(0.0)
    recruit_growth: Range = Range.exact(0.0)

    def __post_init__(self) -> None:
        for name in INPUTS:
            object.__setattr__(self, name, Range.of(getattr(self, name)))
            if name not in GROWTHS:
                check_range(name, getattr(self, name), 0.0, 1.0 if name == "permanent_loss_share" else None)
        for name in ("mobilization", "foreign_troops"):
            for month, size in getattr(self, name).items():
                if size < 0:
                    raise ValueError(f"{name}: size for {month} must be >= 0, got {size}")
        for name in GROWTHS:
            if getattr(self, name).low <= -1:
                raise ValueError(f"{name}: must be > -1 (a yearly rate), got {getattr(self, name).low}")

    def central(self) -> Manpower:
        """The same inputs with every range collapsed to its central value."""
        return replace(self, **{name: Range.exact(getattr(self, name).central) for name in INPUTS})


def months(start: str, horizon: int) -> pd.PeriodIndex:
    """`horizon` months from `start` ("YYYY-MM")."""
    if horizon <= 0:
        raise ValueError(f"horizon: must be > 0 months, got {horizon}")
    return pd.period_range(pd.Period(start, freq="M"), periods=horizon, freq="M")


def _one_offs(events: dict[str, float], index: pd.PeriodIndex, name: str) -> np.ndarray:
    series = np.zeros(len(index))
    for month, size in events.items():
        period = pd.Period(month, freq="M")
        if period not in index:
            raise ValueError(f"{name}: month {month} is outside {index[0]}..{index[-1]}")
        series[index.get_loc(period)] += size
    return series


def _flows(inputs: Manpower, index: pd.PeriodIndex, draws: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Inflow and outflow, (... x) draws x months: the draws may carry leading axes (grid cells)."""
    waves = _one_offs(inputs.mobilization, index, "mobilization") + _one_offs(inputs.foreign_troops, index, "foreign_troops")
    years = np.arange(len(index)) / 12
    inflow = draws["recruits"][..., None] * (1 + draws["recruit_growth"][..., None]) ** years + waves
    outflow = ((draws["losses"] * draws["permanent_loss_share"])[..., None] * (1 + draws["loss_growth"][..., None]) ** years
               + draws["other_exits"][..., None])
    return inflow, outflow


def _draws(inputs: Manpower, n_draws: int, seed: int) -> dict[str, np.ndarray]:
    """One seeded PERT draw per input and draw, always in the order of INPUTS."""
    if n_draws <= 0:
        raise ValueError(f"n_draws: must be > 0, got {n_draws}")
    rng = np.random.default_rng(seed)
    return {name: pert(getattr(inputs, name), n_draws, rng) for name in INPUTS}


def stock_flow(inputs: Manpower, start: str, horizon: int) -> pd.DataFrame:
    """The deterministic model at the inputs' central values, one row per month."""
    index = months(start, horizon)
    central = {name: np.array([getattr(inputs, name).central]) for name in INPUTS}
    inflow, outflow = _flows(inputs, index, central)
    net = inflow[0] - outflow[0]
    return pd.DataFrame({"inflow": inflow[0], "outflow": outflow[0], "net_change": net,
                         "cumulative_net_change": np.cumsum(net)}, index=pd.Index(index, name="month"))


def monte_carlo(inputs: Manpower, start: str, horizon: int, n_draws: int, seed: int,
                quantiles=QUANTILES) -> pd.DataFrame:
    """Quantiles of monthly and cumulative net change, and P(net change < 0), per month.

    Each draw takes every uncertain input once from its PERT distribution (parameter
    uncertainty: the rates are unknown, not noisy month to month); the draws are seeded.
    Columns: net_qNN, cumulative_qNN for each quantile, p_net_negative (the force shrinks that
    month), p_cumulative_negative (it is smaller than at the start).
    """
    index = months(start, horizon)
    draws = _draws(inputs, n_draws, seed)
    inflow, outflow = _flows(inputs, index, draws)
    net = inflow - outflow
    cumulative = np.cumsum(net, axis=1)
    month = pd.Index(index, name="month")
    result = pd.concat([quantile_frame(net, month, quantiles).add_prefix("net_"),
                        quantile_frame(cumulative, month, quantiles).add_prefix("cumulative_")], axis=1)
    result["p_net_negative"] = (net < 0).mean(axis=0)
    result["p_cumulative_negative"] = (cumulative < 0).mean(axis=0)
    return result


GRID_BATCH_ELEMENTS = 4_000_000  # cells x draws x months evaluated at once (about 32 MB per array)


def monte_carlo_grid(inputs: Manpower, start: str, horizon: int, n_draws: int, seed: int, *,
                     scale: dict[str, np.ndarray] | None = None, fixed: dict[str, np.ndarray] | None = None,
                     at_months=(), quantiles=QUANTILES) -> pd.DataFrame:
    """The Monte Carlo of `monte_carlo` for every cell of a grid at once, one row per cell.

    Cell i multiplies the draws of each input in `scale` by `scale[input][i]` and replaces those
    of each input in `fixed` by `fixed[input][i]` (arrays of one length, the number of cells).
    Every cell reuses the same draws (common random numbers: cells differ only by their inputs),
    so a cell that scales by 1 and fixes nothing reproduces `monte_carlo` exactly. Cells go in
    batches of draws x months arrays. Columns: cumulative_qNN (the change in the force after
    `horizon` months), p_smaller (P(cumulative change < 0) at the horizon), p_smaller_mNN at
    each month of `at_months`."""
    scale, fixed = scale or {}, fixed or {}
    unknown = sorted((set(scale) | set(fixed)) - set(INPUTS))
    if unknown:
        raise ValueError(f"grid inputs: unknown {', '.join(unknown)}; expected some of {', '.join(INPUTS)}")
    sizes = {len(np.atleast_1d(v)) for v in (*scale.values(), *fixed.values())}
    if len(sizes) != 1:
        raise ValueError("grid inputs: every array must have one value per cell")
    (cells,) = sizes
    at = sorted({int(m) for m in at_months} | {horizon})
    if at[0] < 1 or at[-1] > horizon:
        raise ValueError(f"at_months: must be within 1..{horizon}, got {at_months}")
    index = months(start, horizon)
    draws = _draws(inputs, n_draws, seed)
    batch = max(1, GRID_BATCH_ELEMENTS // (n_draws * horizon))
    ends, smaller = [], []
    for first in range(0, cells, batch):
        cell = slice(first, min(first + batch, cells))
        batch_draws = {}
        for name in INPUTS:
            value = draws[name][None, :]
            if name in fixed:
                value = np.broadcast_to(np.asarray(fixed[name], dtype=float)[cell, None], (cell.stop - cell.start, n_draws))
            if name in scale:
                value = value * np.asarray(scale[name], dtype=float)[cell, None]
            batch_draws[name] = np.broadcast_to(value, (cell.stop - cell.start, n_draws))
        inflow, outflow = _flows(inputs, index, batch_draws)
        cumulative = np.cumsum(inflow - outflow, axis=-1)[..., [m - 1 for m in at]]
        ends.append(cumulative[..., -1])
        smaller.append((cumulative < 0).mean(axis=1))
    end, shrink = np.concatenate(ends), np.concatenate(smaller)
    table = pd.DataFrame(np.quantile(end, quantiles, axis=1).T, columns=[f"cumulative_q{round(q * 100):02d}" for q in quantiles])
    table["p_smaller"] = shrink[:, -1]
    for position, month in enumerate(at[:-1]):
        table[f"p_smaller_m{month:02d}"] = shrink[:, position]
    return table


def break_even_losses(recruits: float, permanent_loss_share: float, other_exits: float = 0.0) -> float:
    """Killed-or-wounded per month at which recruits exactly replace permanent losses."""
    if not 0 < permanent_loss_share <= 1:
        raise ValueError(f"permanent_loss_share: must be in (0, 1], got {permanent_loss_share}")
    if recruits < 0 or other_exits < 0:
        raise ValueError("recruits and other_exits: must be >= 0")
    return (recruits - other_exits) / permanent_loss_share


def permanent_share(killed: float, wounded_not_returning: float) -> float:
    """The share of killed-or-wounded who leave the force for good: the killed, and of the wounded
    those who never return."""
    return killed + (1 - killed) * wounded_not_returning


def wounded_not_returning(permanent: float, killed: float) -> float:
    """The share of wounded never returning that a permanent share implies (`permanent_share` inverted)."""
    return (permanent - killed) / (1 - killed)


def tornado(inputs: Manpower, start: str, horizon: int) -> pd.DataFrame:
    """Cumulative net change at the horizon with each input at its low and its high, others central.

    Sorted by swing (largest first): the inputs whose uncertainty matters most come first.
    """
    base = inputs.central()
    baseline = stock_flow(base, start, horizon)["cumulative_net_change"].iloc[-1]
    rows = []
    for name in INPUTS:
        span = getattr(inputs, name)
        outcome = {bound: stock_flow(replace(base, **{name: Range.exact(getattr(span, bound))}), start, horizon)
                   ["cumulative_net_change"].iloc[-1] for bound in ("low", "high")}
        rows.append({"input": name, "input_low": span.low, "input_high": span.high,
                     "outcome_at_low": outcome["low"], "outcome_at_high": outcome["high"],
                     "swing": abs(outcome["high"] - outcome["low"]), "baseline": baseline})
    return pd.DataFrame(rows).sort_values(["swing", "input"], ascending=[False, True], kind="stable").reset_index(drop=True)
