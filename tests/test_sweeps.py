"""Sweeps: grids parse and are bounded, the grid model reproduces the single-run Monte Carlo and
hand-computed cases, the break-even is where the median crosses, a sweep is published whole and
the same inputs give the same bytes, and bad input ends in one line."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from sustainment import paths
from sustainment.analyses import recruitment_analysis, sensitivity
from sustainment.claims import load
from sustainment.claims.scenarios import load_scenarios
from sustainment.errors import SweepError
from sustainment.models import ammunition, grid, manpower
from sustainment.models.manpower import Manpower
from sustainment.paths import Project
from sustainment.publishing.site import write_site
from sustainment.running import sweeps
from sustainment.running.signature import bind, read_signature


def test_axes_parse_both_ends_included_and_stay_in_bounds():
    axis = sensitivity.RECRUITMENT.axis("recruit_change")
    assert list(grid.parse_axis(axis, "0:1:0.25")) == [0, 0.25, 0.5, 0.75, 1]
    values = grid.parse_axis(axis, "-0.5:0.5:0.05")
    assert len(values) == 21 and values[0] == -0.5 and values[-1] == 0.5 and 0.0 in values
    assert list(grid.parse_axis(axis, "0.2,-0.1,0.2")) == [-0.1, 0.2]
    for text, message in (("1:0:0.1", "need low <= high and a finite step > 0"), ("0:1:0", "need low <= high"),
                          ("0:9:1", "within [-1, 3]"), ("a:b:c", "expected low:high:step"), ("0:1:1e-6", "at most"),
                          ("-inf:0.5:0.1", "within [-1, 3]"), ("-1e308:1e308:1", "within [-1, 3]"),
                          ("-0.5:0.5:1e-300", "1e+300 values, at most"), ("0:1:inf", "a finite step > 0")):
        with pytest.raises(SweepError, match=re.escape(message)):
            grid.parse_axis(axis, text)
    with pytest.raises(SweepError, match="unknown axis 'recruits'; axes: recruit_change, loss_growth"):
        sensitivity.RECRUITMENT.axis("recruits")


def test_grid_runs_the_first_axis_slowest():
    cells = grid.grid({"a": np.array([1.0, 2.0]), "b": np.array([10.0, 20.0, 30.0])})
    assert list(cells["a"]) == [1, 1, 1, 2, 2, 2] and list(cells["b"]) == [10, 20, 30, 10, 20, 30]


INPUTS = Manpower(recruits=(25_000, 30_000, 40_000), losses=(30_000, 40_000, 48_000), permanent_loss_share=(0.3, 0.4, 0.55),
                  other_exits=(0, 1_000, 3_000), loss_growth=(-0.1, 0.05, 0.3), mobilization={"2026-03": 150_000})


def test_a_cell_at_the_scenarios_inputs_reproduces_the_monte_carlo():
    single = manpower.monte_carlo(INPUTS, "2026-01", 36, 5_000, seed=7)
    grid = manpower.monte_carlo_grid(INPUTS, "2026-01", 36, 5_000, seed=7, scale={"recruits": np.array([0.8, 1.0, 1.2])},
                                     at_months=(12, 24))
    middle = grid.iloc[1]
    for q in ("q05", "q25", "q50", "q75", "q95"):
        assert middle[f"cumulative_{q}"] == single[f"cumulative_{q}"].iloc[-1]
    assert middle["p_smaller"] == single["p_cumulative_negative"].iloc[-1]
    assert middle["p_smaller_m12"] == single["p_cumulative_negative"].iloc[11]
    assert grid["cumulative_q50"].is_monotonic_increasing and grid["p_smaller"].is_monotonic_decreasing


def test_grid_cells_match_hand_computed_stock_flow():
    exact = Manpower(recruits=1_000, losses=2_000, permanent_loss_share=0.25)
    grid = manpower.monte_carlo_grid(exact, "2026-01", 12, 50, seed=1, scale={"recruits": np.array([0.25, 1.0, 2.0])},
                                     fixed={"loss_growth": np.zeros(3)})
    assert list(grid["cumulative_q50"]) == pytest.approx([12 * (250 - 500), 12 * (1_000 - 500), 12 * (2_000 - 500)])
    assert list(grid["p_smaller"]) == [1.0, 0.0, 0.0]
    doubled = manpower.monte_carlo_grid(exact, "2026-01", 13, 50, seed=1, fixed={"loss_growth": np.array([1.0])})
    outflow = 500 * sum(2 ** (month / 12) for month in range(13))  # losses double a year, from month 0
    assert doubled["cumulative_q50"].iloc[0] == pytest.approx(13 * 1_000 - outflow)
    with pytest.raises(ValueError, match="unknown recruitment"):
        manpower.monte_carlo_grid(exact, "2026-01", 12, 50, seed=1, scale={"recruitment": np.ones(2)})


def supply(rows) -> pd.DataFrame:
    return pd.DataFrame([{"year": 2025, "side": side, "actor": actor, "low": low, "central": central, "high": high,
                          "status": "estimate"} for side, actor, low, central, high in rows])


def test_ratio_grid_reproduces_the_side_ratio_and_scales_components():
    base = supply([("russia", "RU", 2e6, 3e6, 4.5e6), ("russia", "NK", 0.5e6, 1e6, 1.5e6), ("west", "EU", 1e6, 2e6, 2.2e6),
                   ("west", "US", 0.5e6, 0.6e6, 0.8e6)])
    single = ammunition.side_ratio(base, 4_000, seed=3).iloc[0]
    grid = ammunition.ratio_grid(base, np.array([[1, 1, 1, 1], [1, 0, 1, 1], [1, 1, 2, 1]]), 4_000, seed=3)
    for q in ("q05", "q50", "q95"):
        assert grid[f"ratio_{q}"].iloc[0] == pytest.approx(single[q], rel=1e-12)
    assert grid["p_above_1"].iloc[0] == single["p_above_1"]
    assert grid["ratio_q50"].iloc[1] < grid["ratio_q50"].iloc[0] and grid["ratio_q50"].iloc[2] < grid["ratio_q50"].iloc[0]
    exact = supply([("russia", "RU", 3e6, 3e6, 3e6), ("russia", "NK", 1e6, 1e6, 1e6), ("west", "EU", 2e6, 2e6, 2e6)])
    ratios = ammunition.ratio_grid(exact, np.array([[1, 1, 1], [1, 0, 1], [1, 1, 2.5]]), 10, seed=1)
    assert list(ratios["ratio_q50"]) == pytest.approx([2.0, 1.5, 0.8])
    assert list(ratios["p_above_1"]) == [1.0, 1.0, 0.0]


def toy_sweep(median: list[float]) -> grid.Sweep:
    axes = {"recruit_change": np.array([-0.2, 0.0, 0.2, 0.4])}
    table = pd.DataFrame({"recruit_change": axes["recruit_change"], "cumulative_q50": median,
                          "p_smaller": [0.9, 0.6, 0.3, 0.1]})
    return grid.Sweep(sensitivity.RECRUITMENT, "toy", axes, table, {"recruit_change": 0.0}, [], {}, 100, 0, "36 months")


def test_break_even_is_where_the_median_crosses():
    assert grid.break_even(toy_sweep([-300.0, -100.0, 100.0, 300.0])) == pytest.approx(0.1)
    assert grid.break_even(toy_sweep([100.0, 200.0, 300.0, 400.0])) is None
    assert "median stays above 0" in sensitivity.finding(toy_sweep([100.0, 200.0, 300.0, 400.0]))
    assert sensitivity.finding(toy_sweep([-300.0, -100.0, 100.0, 300.0])).startswith(
        "Break-even at recruitment vs the claims +10% (this scenario 0%)")


def scenario_parameters(notebook: str, scenario: str = "baseline") -> dict:
    project = Project()
    (chosen,) = load_scenarios(project.scenarios, project.data / "sources.csv", [scenario])
    return bind(notebook, read_signature(project.notebooks / f"{notebook}.ipynb"), chosen, {})


def test_the_recruitment_sweep_at_the_scenarios_values_is_the_reports_monte_carlo():
    parameters = scenario_parameters("recruitment_sustainability")
    axes = {"recruit_change": np.array([-0.2, 0.0, 0.2]), "loss_change": np.array([0.0, 0.3])}
    found = sensitivity.recruitment_sweep(load(), parameters, axes, 2_000, seed=5)
    report = recruitment_analysis(load(), **{k: v for k, v in parameters.items() if k not in ("scenario", "figures_dir",
                                                                                                  "n_draws", "seed")},
                                  n_draws=2_000, seed=5)
    cell = found.table[(found.table["recruit_change"] == 0) & (found.table["loss_change"] == 0)].iloc[0]
    assert cell["cumulative_q50"] == report.monte_carlo["cumulative_q50"].iloc[-1]
    assert cell["p_smaller"] == report.monte_carlo["p_cumulative_negative"].iloc[-1]
    assert found.here == {"recruit_change": 0.0, "loss_change": 0.0}
    assert set(found.claim_ids) == set(report.claim_ids)


def test_the_ammunition_sweep_moves_the_ratio_the_right_way():
    parameters = scenario_parameters("ammunition_production", "north_korea_cutoff")
    axes = {"eu_output": np.array([1e6, 3e6, 5e6]), "north_korea_share": np.array([0.0, 1.0])}
    found = sensitivity.ammunition_sweep(load(), parameters, axes, 2_000, seed=5)
    table = found.table.set_index(["eu_output", "north_korea_share"])
    assert table.loc[(1e6, 0.0), "ratio_q50"] > table.loc[(5e6, 0.0), "ratio_q50"]
    assert table.loc[(3e6, 1.0), "ratio_q50"] > table.loc[(3e6, 0.0), "ratio_q50"]
    assert found.here["north_korea_share"] == 0.0  # the scenario cuts North Korea off; the axis brings it back
    with pytest.raises(SweepError, match="give one or two axes"):
        sensitivity.ammunition_sweep(load(), parameters, {}, 100, seed=1)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_published_sweep_is_whole_and_the_same_bytes_every_time(tmp_path):
    def publish(root: Path) -> Path:
        project = Project(notebooks=paths.NOTEBOOKS_DIR, data=paths.DATA_DIR, scenarios=paths.SCENARIOS_DIR,
                          reports=root / "reports")
        found = sweeps.scenario_sweep(project, "recruitment", "baseline",
                                      ["recruit_change=-0.2:0.2:0.2", "loss_growth=0,0.3", "horizon=24"], 500, 1, (12,))
        return sweeps.publish(found, project, load(), then=lambda: write_site(project, {"reports": {}}))

    first = publish(tmp_path / "one")
    assert first == tmp_path / "one" / "reports" / "sweeps" / "recruitment-baseline"
    assert {"sweep.csv", "sweep.json", "map.png", "map.svg", "map.pdf"} <= set(digests(first))
    table = pd.read_csv(first / "sweep.csv")
    assert list(table.columns[:2]) == ["recruit_change", "loss_growth"] and len(table) == 6
    assert "p_smaller_m12" in table.columns
    assert digests(first) == digests(publish(tmp_path / "two"))
    assert not (tmp_path / "one" / "reports" / ".staging").exists()
    index = (tmp_path / "one" / "reports" / "index.html").read_text(encoding="utf-8")
    finding = json.loads((first / "sweep.json").read_text(encoding="utf-8"))["finding"]
    assert f'href="sweeps/recruitment-baseline/map.png">{escape(finding)}</a>' in index
    assert "(500 draws per cell)" in index and "Made from other data" not in index

    edited = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, edited)
    with (edited / "scenarios" / "baseline.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an analyst's edit\n")
    write_site(Project(data=edited, scenarios=edited / "scenarios", reports=tmp_path / "one" / "reports"), {"reports": {}})
    index = (tmp_path / "one" / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Made from other data or code than these reports" in index, "a sweep older than the data says so"


@pytest.mark.parametrize("args, message", [
    (["sweep", "fleet"], "unknown sweep model 'fleet'; models: recruitment, ammunition"),
    (["sweep", "recruitment", "-p", "recruit_change=1:0:0.1"], "sweep axis recruit_change: need low <= high"),
    (["sweep", "recruitment", "-p", "recruits=0:1:0.1"], "unknown parameter 'recruits'"),
    (["sweep", "recruitment", "-p", "a=1", "-p", "b=2", "-p", "recruit_change=0,1", "-p", "loss_growth=0,1",
      "-p", "loss_change=0,1"], "unknown parameter 'a'"),
    (["sweep", "recruitment", "-p", "recruit_change=0,1", "-p", "loss_growth=0,1", "-p", "loss_change=0,1"],
     "give one or two axes, got 3"),
    (["sweep", "recruitment", "--scenario", "nowhere"], "unknown scenario(s) nowhere"),
    (["sweep", "recruitment", "-p", "recruit_change=0:1:0.1", "-p", "recruit_change=0:0.5:0.1"],
     "-p recruit_change: given twice"),
    (["sweep", "recruitment", "--n-draws", "0"], "--n-draws: must be > 0"),
    (["sweep", "recruitment", "--n-draws", "1000000000"], "use fewer cells or draws"),
    (["sweep", "ammunition", "-p", "as_of=2023-01-15"], "as_of 2023-01-15"),
])
def test_bad_sweeps_end_in_one_line(args, message):
    done = subprocess.run([sys.executable, "-m", "sustainment.cli", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_spreading_the_cells_over_workers_changes_nothing():
    project = Project()
    items = ["recruit_change=-0.2:0.2:0.1", "loss_growth=0,0.3"]
    here = sweeps.scenario_sweep(project, "recruitment", "baseline", items, 300, 2)
    for executor in ("pool", "dask"):
        spread = sweeps.scenario_sweep(project, "recruitment", "baseline", items, 300, 2, executor=executor, workers=2)
        pd.testing.assert_frame_equal(spread.table, here.table, check_exact=True)
    amm = ["eu_output=1000000:3000000:1000000", "north_korea_share=0,1"]
    pd.testing.assert_frame_equal(sweeps.scenario_sweep(project, "ammunition", "baseline", amm, 300, 2, executor="pool",
                                                        workers=2).table,
                                  sweeps.scenario_sweep(project, "ammunition", "baseline", amm, 300, 2).table, check_exact=True)


def test_the_ammunition_sweep_at_the_scenario_reads_as_the_report():
    from sustainment.analyses.ammunition import ammunition_analysis

    claims = load()
    parameters = scenario_parameters("ammunition_production", "baseline")
    found = sensitivity.ammunition_sweep(claims, parameters, {"west_growth": np.array([0.0, 0.2])}, 20_000, seed=5)
    report = ammunition_analysis(claims, n_draws=20_000, seed=5).forward_ratio.set_index("year").iloc[-1]
    here = found.table.set_index("west_growth").loc[0.0]
    assert here["ratio_q50"] == pytest.approx(report["q50"], rel=0.03)  # the same components, other draws
    assert here["p_above_1"] == pytest.approx(report["p_above_1"], abs=0.02)
    assert found.table.set_index("west_growth").loc[0.2, "ratio_q50"] < here["ratio_q50"]
