"""What would change the answers? The default sweeps of both models under a scenario (see
`sustainment.sweeps`), their maps, a bottom line and, for each, the cells along the scenario's
own value of the second input."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sustainment import narrative, sweeps


def sensitivity_analysis(claims: pd.DataFrame, parameters: Mapping, n_draws: int, seed: int,
                         scenario: str = "") -> dict[str, sweeps.Sweep]:
    """Each model's default sweep from `parameters` (a notebook's globals: the scenario's values)."""
    return {name: sweeps.run(name, claims, parameters, None, n_draws, seed, scenario) for name in sweeps.MODELS}


def sensitivity_charts(found: dict[str, sweeps.Sweep], claims: pd.DataFrame) -> dict:
    """One map per model, named sensitivity_<model>."""
    from sustainment import plotting

    return {f"sensitivity_{name}": plotting.sweep_map(sweep, claims, sweeps.finding(sweep), sweeps.break_even(sweep))
            for name, sweep in found.items()}


def sensitivity_bottom_line(found: dict[str, sweeps.Sweep], claims: pd.DataFrame, link=narrative.link) -> str:
    """Each map's finding as a sentence, linked to the claims behind the sweep."""
    sentences = [link(sweeps.finding(sweep), claims, sweep.claim_ids) + "." for sweep in found.values()]
    return "**Bottom line.** " + " ".join(sentences)


def sweep_table(sweep: sweeps.Sweep, every: int = 2) -> str:
    """The cells along the first input at the scenario's value of the second (every `every`-th
    value): the input, the median outcome with its 90% range, and the outcome's chance."""
    spec = sweep.model
    first = spec.axis(next(iter(sweep.axes)))
    rows = sweeps.scenario_row(sweep).iloc[::every]
    prefix = spec.median.rsplit("_", 1)[0]
    count = spec.name == "recruitment"

    def value(v: float) -> str:
        return narrative.signed(v) if count else narrative.times(v)

    return narrative.table(
        rows, {first.name: first.words[0].upper() + first.words[1:], spec.median: "Median",
               f"{prefix}_q05": "90% of draws", spec.outcome: spec.outcome_words[0].upper() + spec.outcome_words[1:]},
        {first.name: lambda v, _r: sweeps.value_words(first, v), spec.median: lambda v, _r: value(v),
         f"{prefix}_q05": lambda v, r: f"{value(v)} to {value(r[f'{prefix}_q95'])}",
         spec.outcome: lambda v, _r: narrative.of_draws(v)})
