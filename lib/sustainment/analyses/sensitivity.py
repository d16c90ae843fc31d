"""What would change the answers? Each model's sweep over a grid of its inputs (`models.grid`)
under a scenario: what each axis means and how a cell is computed (`recruitment_sweep`,
`ammunition_sweep`, `run`), the maps, their findings, a bottom line and, for each, the cells along
the scenario's own value of the second input.

Models: `recruitment` (the change in the Russian force after the horizon, P(smaller) at chosen
months) and `ammunition` (the Russia : West supply ratio in the horizon year, P(Russian side
ahead))."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sustainment.analyses.registry import PIPELINES
from sustainment.claims import id_list
from sustainment.errors import SweepError
from sustainment.models.grid import (
    Axis,
    Model,
    Sweep,
    break_even,
    check_axes,
    check_memory,
    check_work,
    chunks,
    default_axes,
    grid,
    in_chunks,
    scenario_row,
)
from sustainment.presentation import narrative


def sensitivity_analysis(claims: pd.DataFrame, parameters: Mapping, n_draws: int, seed: int,
                         scenario: str = "") -> dict[str, Sweep]:
    """Each model's default sweep from `parameters` (a notebook's globals: the scenario's values)."""
    return {name: run(name, claims, parameters, None, n_draws, seed, scenario) for name in MODELS}


def sensitivity_charts(found: dict[str, Sweep], claims: pd.DataFrame) -> dict:
    """One map per model, named sensitivity_<model>."""
    from sustainment.presentation import plotting

    return {f"sensitivity_{name}": plotting.sweep_map(sweep, claims, finding(sweep), break_even(sweep))
            for name, sweep in found.items()}


def sensitivity_bottom_line(found: dict[str, Sweep], claims: pd.DataFrame, link=narrative.link) -> str:
    """Each map's finding as a sentence, linked to the claims behind the sweep."""
    sentences = [link(finding(sweep), claims, sweep.claim_ids) + "." for sweep in found.values()]
    return "**Bottom line.** " + " ".join(sentences)


def sweep_table(sweep: Sweep, every: int = 2) -> str:
    """The cells along the first input at the scenario's value of the second (every `every`-th
    value): the input, the median outcome with its 90% range, and the outcome's chance."""
    spec = sweep.model
    first = spec.axis(next(iter(sweep.axes)))
    rows = scenario_row(sweep).iloc[::every]
    prefix = spec.median.rsplit("_", 1)[0]
    count = spec.name == "recruitment"

    def value(v: float) -> str:
        return narrative.signed(v) if count else narrative.times(v)

    return narrative.table(
        rows, {first.name: first.words[0].upper() + first.words[1:], spec.median: "Median",
               f"{prefix}_q05": "90% of draws", spec.outcome: spec.outcome_words[0].upper() + spec.outcome_words[1:]},
        {first.name: lambda v, _r: value_words(first, v), spec.median: lambda v, _r: value(v),
         f"{prefix}_q05": lambda v, r: f"{value(v)} to {value(r[f'{prefix}_q95'])}",
         spec.outcome: lambda v, _r: narrative.of_draws(v, sweep.n_draws)})


def _picked(pipeline: str, parameters: Mapping) -> dict:
    """The parameters the pipeline takes, except the draws and seed (the sweep sets its own)."""
    return {k: v for k, v in PIPELINES[pipeline].inputs(parameters).items() if k not in ("n_draws", "seed")}


def _parameter_axis(pipeline: str, name: str, words: str, default: str, kind: str = "change") -> Axis:
    """An axis moving one of the pipeline's parameters, within the bounds it is declared with."""
    declared = PIPELINES[pipeline].parameters[name]
    return Axis(name, words, declared.minimum, declared.maximum, default, kind)


RECRUITMENT = Model(
    "recruitment",
    (_parameter_axis("recruitment", "recruit_change", "recruitment vs the claims", "-0.5:0.5:0.05"),
     _parameter_axis("recruitment", "loss_growth", "yearly growth of losses", "-0.4:0.6:0.05", "rate"),
     Axis("loss_change", "losses vs the estimate", -0.9, 3.0, "-0.5:0.5:0.05"),
     Axis("permanent_loss_share", "share of losses that are permanent", 0.01, 1.0, "0.2:0.7:0.025", "share")),
    "p_smaller", "chance the force is smaller at the horizon", "cumulative_q50", 0.0, "break-even (median change 0)")


def recruitment_sweep(claims: pd.DataFrame, parameters: Mapping, axes: dict[str, np.ndarray], n_draws: int, seed: int,
                      at_months=(12, 24), scenario: str = "", running=None) -> Sweep:
    """The recruitment model over the grid: `recruit_change` scales recruitment from the claims
    (as the report's parameter does), `loss_change` the loss rate, `loss_growth` fixes the yearly
    growth of losses (replacing the scenario's path), `permanent_loss_share` fixes that share."""
    from sustainment.analyses.recruitment import recruitment_analysis
    from sustainment.models import manpower

    check_axes(RECRUITMENT, axes)
    result = recruitment_analysis(claims, **_picked("recruitment", parameters), n_draws=100, seed=seed)
    inputs = result.inputs
    cells = grid(axes)
    check_work(len(cells) * n_draws * result.horizon)
    check_memory(n_draws, result.horizon, "sweep recruitment")
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
    outcomes = pd.concat(in_chunks(running, len(cells), [
        (manpower.monte_carlo_grid, (inputs, result.start_month, result.horizon, n_draws, seed),
         {"scale": {k: v[chunk] for k, v in scale.items()}, "fixed": {k: v[chunk] for k, v in fixed.items()},
          "at_months": months}) for chunk in chunks(len(cells), running)]), ignore_index=True)
    here = {"recruit_change": base_change, "loss_change": 0.0, "loss_growth": inputs.loss_growth.central,
            "permanent_loss_share": inputs.permanent_loss_share.central}
    notes = [f"From {result.start_month}, {result.horizon} months; other inputs as in the scenario, with their ranges."]
    return Sweep(RECRUITMENT, scenario, axes, pd.concat([cells, outcomes], axis=1), {a: here[a] for a in axes},
                 result.claim_ids, _picked("recruitment", parameters), n_draws, seed, f"{result.horizon} months",
                 notes)


AMMUNITION = Model(
    "ammunition",
    (Axis("eu_output", "EU output in the horizon year", 0.0, 50e6, "1000000:7000000:300000", "count"),
     Axis("north_korea_share", "share of North Korean and Iranian deliveries kept", 0.0, 1.0, "0:1:0.05", "share"),
     _parameter_axis("ammunition", "russia_growth", "yearly growth of Russian-side supply", "-0.3:0.3:0.03", "rate"),
     _parameter_axis("ammunition", "west_growth", "yearly growth of Western-side supply", "-0.3:0.5:0.04", "rate")),
    "p_above_1", "chance the Russian side out-supplies the Western side", "ratio_q50", 1.0, "parity (median ratio 1)")


def ammunition_sweep(claims: pd.DataFrame, parameters: Mapping, axes: dict[str, np.ndarray], n_draws: int, seed: int,
                     scenario: str = "", running=None) -> Sweep:
    """The supply ratio in the horizon year over the grid: each component as the report projects it
    to the horizon (`forward_supply`: its side's growth or its target, its range widened for the
    years no claim speaks for, deliveries stopped where the scenario stops them), except that
    `russia_growth` / `west_growth` set a side's growth, `eu_output` sets EU output in the horizon
    year (its range scaled alike) and `north_korea_share` keeps that share of North Korean and
    Iranian deliveries."""
    from sustainment.analyses.ammunition import IMPORTS, ammunition_analysis
    from sustainment.models import ammunition as ammo

    check_axes(AMMUNITION, axes)
    picked = _picked("ammunition", parameters)
    kept = picked.get("include_north_korea", True) and picked.get("include_iran", True) and not picked.get("stop_imports")
    if "north_korea_share" in axes:  # the axis moves North Korean and Iranian deliveries from none to all
        picked.update(include_north_korea=True, include_iran=True, stop_imports=False)
    result = ammunition_analysis(claims, **picked, n_draws=100, seed=seed)
    base = result.forward[(result.forward["year"] == result.horizon_year) & (result.forward["status"] != "no claim")]
    base = base.reset_index(drop=True)
    cells = grid(axes)
    check_work(len(cells) * n_draws)
    check_memory(n_draws, 1, "sweep ammunition")
    steps = result.horizon_year - result.last_year
    targets = set(result.targets["actor"])
    factors = np.ones((len(cells), len(base)))  # factors of 1: the report's horizon year
    for k, row in enumerate(base.itertuples()):
        if f"{row.side}_growth" in cells and row.actor not in targets:
            scenario = (1 + float(parameters.get(f"{row.side}_growth", 0.0))) ** steps
            factors[:, k] = (1 + cells[f"{row.side}_growth"].to_numpy()) ** steps / scenario
        if row.actor == "EU" and "eu_output" in cells:
            factors[:, k] = cells["eu_output"].to_numpy() / row.central
        if row.actor in IMPORTS and "north_korea_share" in cells:
            factors[:, k] *= cells["north_korea_share"].to_numpy()
    if "eu_output" in cells and "EU" not in set(base["actor"]):
        raise SweepError(f"sweep ammunition: no EU estimate in {result.last_year} to scale (axis eu_output)")
    outcomes = pd.concat(in_chunks(running, len(cells), [(ammo.ratio_grid, (base, factors[chunk], n_draws, seed), {})
                                                          for chunk in chunks(len(cells), running)]), ignore_index=True)
    eu = base.index[base["actor"] == "EU"]
    here = {"eu_output": float(base.loc[eu, "central"].iloc[0]) if len(eu) else 0.0,
            "north_korea_share": 1.0 if kept else 0.0, "russia_growth": float(parameters.get("russia_growth", 0.0)),
            "west_growth": float(parameters.get("west_growth", 0.0))}
    counted = ", ".join(sorted(set(base["actor"])))
    notes = [f"Components of {result.last_year} ({counted}) projected to {result.horizon_year} as in the report, their "
             "ranges widened for the years no claim speaks for; each drawn from its range."]
    return Sweep(AMMUNITION, scenario, axes, pd.concat([cells, outcomes], axis=1), {a: here[a] for a in axes},
                 id_list(base["claim_ids"]), picked,
                 n_draws, seed, str(result.horizon_year), notes)


MODELS = {"recruitment": RECRUITMENT, "ammunition": AMMUNITION}


def model(name: str) -> Model:
    if name not in MODELS:
        raise SweepError(f"unknown sweep model '{name}'; models: {', '.join(MODELS)}")
    return MODELS[name]


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


def value_words(axis: Axis, value: float) -> str:
    if axis.kind == "count":
        return narrative.count(value)
    if axis.kind == "share":
        return f"{value:.0%}"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value):.0%}" + ("/year" if axis.kind == "rate" else "")


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
