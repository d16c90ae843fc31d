"""Ammunition arithmetic on a small table written here."""

import numpy as np
import pandas as pd
import pytest
from conftest import CLAIMS, claim_row, write_csv

from sustainment.claims import load
from sustainment.models import ammunition
from sustainment.models.ammunition import Component


def supply_rows(rows):
    frame = pd.DataFrame(rows, columns=["year", "side", "actor", "metric", "low", "central", "high", "status"])
    return frame.assign(claim_ids="", central_ids="", bound_ids="", source_ids="", basis="claims",
                        munitions_read=[()] * len(frame), active_from="", widened=1.0)


def test_ratio_of_two_fixed_supplies_is_their_quotient():
    supply = supply_rows([[2024, "russia", "RU", "m", 3e6, 3e6, 3e6, "estimated"],
                          [2024, "west", "EU", "m", 1.2e6, 1.2e6, 1.2e6, "estimated"]])
    ratio = ammunition.side_ratio(supply, n_draws=100, seed=1).iloc[0]
    assert ratio["q05"] == pytest.approx(2.5) and ratio["q95"] == pytest.approx(2.5) and ratio["central"] == 2.5


def test_ratio_range_comes_from_draws_not_from_crossing_the_ends():
    supply = supply_rows([[2024, "russia", "RU", "m", 2e6, 3e6, 4e6, "estimated"],
                          [2024, "west", "EU", "m", 1e6, 1.5e6, 2e6, "estimated"]])
    ratio = ammunition.side_ratio(supply, n_draws=20_000, seed=1).iloc[0]
    assert 1.0 < ratio["q05"] < ratio["q50"] < ratio["q95"] < 4.0  # low/high crossing would give 1.0 .. 4.0
    assert ratio["q50"] == pytest.approx(2.0, rel=0.03)


def test_annual_supply_uses_preferred_metric_and_says_what_is_missing(data_dir):
    claims = load(data_dir)
    components = [Component("RU", ("shells_produced",)), Component("EU", ("shells_production_capacity", "shells_produced"))]
    supply = ammunition.annual_supply(claims, [2024, 2025], components, carry_forward=False)
    row = supply.set_index(["year", "actor"])
    assert row.loc[(2024, "RU"), "central"] == pytest.approx(3e6) and row.loc[(2024, "RU"), "metric"] == "shells_produced"
    assert row.loc[(2024, "EU"), "metric"] == "shells_produced"  # no capacity claim -> the next metric
    assert row.loc[(2025, "RU"), "status"] == "no claim" and np.isnan(row.loc[(2025, "RU"), "central"])
    totals = ammunition.side_totals(supply).set_index(["year", "side"])
    assert totals.loc[(2024, "russia"), "central"] == pytest.approx(3e6)
    assert totals.loc[(2025, "russia"), "missing"] == "RU"
    carried = ammunition.annual_supply(claims, [2024, 2025], components).set_index(["year", "actor"])
    assert carried.loc[(2025, "RU"), "status"] == "carried from 2024"
    assert carried.loc[(2025, "RU"), "central"] == pytest.approx(3e6)
    totals = ammunition.side_totals(carried.reset_index()).set_index(["year", "side"])
    assert totals.loc[(2025, "russia"), "carried"] == "RU (2024)"


def test_scenario_paths_follow_targets_and_growth():
    supply = supply_rows([[2024, "russia", "RU", "m", 2e6, 3e6, 4e6, "estimated"],
                          [2024, "west", "EU", "m", 1e6, 1e6, 1e6, "estimated"],
                          [2024, "west", "US", "m", 0.5e6, 0.5e6, 0.5e6, "estimated"]])
    forward = ammunition.forward_supply(supply, 2024, 2026, growth={"russia": 0.1, "west": 0.0}, targets={"EU": (2e6, 2025)})
    paths = ammunition.scenario_paths(forward, n_draws=1000, seed=1)
    assert paths["russia"]["central"].to_numpy() == pytest.approx([3e6, 3.3e6, 3.63e6])
    assert paths["west"]["central"].to_numpy() == pytest.approx([1.5e6, 2.5e6, 2.5e6])  # EU doubles by 2025, US flat


def test_a_projected_year_widens_like_a_carried_one():
    supply = supply_rows([[2023, "russia", "RU", "m", 1e6, 1e6, 1e6, "estimated"],
                          [2024, "russia", "RU", "m", 1.5e6, 2e6, 2.5e6, "estimated"],
                          [2024, "russia", "NK", "m", 1e6, 1e6, 1e6, "estimated"]])
    forward = ammunition.forward_supply(supply, 2024, 2026, growth={}, targets={}, stoppable={"NK"})
    row = forward.set_index(["year", "actor"])
    assert row.loc[(2024, "RU"), ["low", "high", "status"]].tolist() == [1.5e6, 2.5e6, "estimated"]
    assert row.loc[(2026, "RU"), ["low", "central", "high"]].tolist() == pytest.approx([1.5e6 / 4, 2e6, 2.5e6 * 4])
    assert row.loc[(2026, "NK"), ["low", "central", "high"]].tolist() == pytest.approx([0, 1e6, 4e6])  # RU doubled: x2 a year
    assert row.loc[(2026, "NK"), "status"] == "projected from 2024, may stop"


def test_consumption_is_daily_fire_times_days(data_dir):
    rows = [list(r) for r in CLAIMS] + [claim_row("ru-fire", "10000", metric="shells_fired", unit="rounds/day",
                                                   quote="ten thousand a day")]
    write_csv(data_dir / "claims.csv", rows)
    with (data_dir / "metrics.csv").open("a") as handle:
        handle.write("shells_fired,flow,observed,rounds/day,Rounds fired\n")
    fired = ammunition.consumption(load(data_dir), [2024]).set_index("side")
    assert fired.at["russia", "central"] == pytest.approx(10_000 * 366)  # 2024 is a leap year
    assert fired.at["west", "status"] == "no claim"


def test_supply_vs_consumption_balance_accumulates():
    totals = pd.DataFrame({"year": [2023, 2024], "side": "russia", "low": [1, 2], "central": [10.0, 20.0], "high": [3, 4]})
    fired = pd.DataFrame({"year": [2023, 2024], "side": "russia", "low": [1, 1], "central": [15.0, 12.0], "high": [2, 2]})
    table = ammunition.supply_vs_consumption(totals, fired)
    assert list(table["balance"]) == [-5, 8] and list(table["cumulative_balance"]) == [-5, 3]


def test_constant_growth_projection():
    path = ammunition.project(2024, (0.9e6, 1e6, 1.2e6), 2027, growth=0.1)
    assert path["central"].to_numpy() == pytest.approx([1e6, 1.1e6, 1.21e6, 1.331e6])
    assert path["high"].iloc[-1] == pytest.approx(1.2e6 * 1.1 ** 3)


def test_target_projection_reaches_the_target_then_holds():
    path = ammunition.project(2024, 1e6, 2027, target=4e6, target_year=2026)
    assert path["central"].to_numpy() == pytest.approx([1e6, 2e6, 4e6, 4e6])  # doubling twice, then flat


@pytest.mark.parametrize("kwargs, message", [
    ({"horizon_year": 2024, "growth": 0.1}, "horizon_year"),
    ({"horizon_year": 2027, "growth": -1.5}, "growth"),
    ({"horizon_year": 2027}, "exactly one"),
    ({"horizon_year": 2027, "target": 2e6, "target_year": 2023}, "target_year"),
])
def test_projection_refuses_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ammunition.project(2024, 1e6, **kwargs)


def test_side_trends_need_three_years():
    totals = pd.DataFrame({"year": [2022, 2023, 2022, 2023, 2024], "side": ["west", "west", "russia", "russia", "russia"],
                           "central": [1.0, 2.0, 1.0, 2.0, 4.0]})
    trends = ammunition.side_trends(totals, 2026)
    assert set(trends) == {"russia"}  # the West has two years only
    assert list(trends["russia"]["year"]) == [2022, 2023, 2024, 2025, 2026]
    assert trends["russia"]["mean"].iloc[-1] == pytest.approx(16)  # doubling each year


def test_a_component_counts_from_its_first_claim(with_claims):
    claims = with_claims(claim_row("ru", "3000000"),
                         claim_row("late", "1200000", actor="EU", start="2024-10-01", end="2024-12-31", unit="rounds"))
    components = [Component("RU", ("shells_produced",)), Component("EU", ("shells_produced",), begins_with_claims=True)]
    supply = ammunition.annual_supply(claims, [2024], components).set_index("actor")
    # 1.2M over 92 days is 4.77M/year, but only the 92 days from 2024-10-01 of the 366 of 2024 count
    assert supply.at["EU", "central"] == pytest.approx(1.2e6 / 92 * 365.25 * 92 / 366)
    assert supply.at["EU", "active_from"] == "2024-10-01" and supply.at["RU", "active_from"] == ""


def test_a_carried_figure_widens_with_its_age_and_deliveries_may_stop(with_claims):
    claims = with_claims(claim_row("ru-2023", "1000000", start="2023-01-01", end="2023-12-31"),
                         claim_row("ru-2024", "2000000"),
                         claim_row("eu-2023", "1000000", actor="EU", start="2023-01-01", end="2023-12-31", low="500000",
                                   high="1500000", bound="range"))
    components = [Component("RU", ("shells_produced",)), Component("EU", ("shells_produced",), begins_with_claims=True)]
    supply = ammunition.annual_supply(claims, [2023, 2024, 2025], components)
    assert ammunition.yearly_change(supply[supply["status"] == "estimated"]) == pytest.approx(2.0)  # RU doubled
    row = supply.set_index(["year", "actor"])
    assert row.loc[(2025, "RU"), ["low", "central", "high"]].tolist() == pytest.approx([1e6, 2e6, 4e6])
    assert row.loc[(2025, "RU"), "status"] == "carried from 2024"
    assert row.loc[(2024, "EU"), ["low", "central", "high"]].tolist() == pytest.approx([0, 1e6, 3e6])
    assert row.loc[(2025, "EU"), ["low", "central", "high", "widened"]].tolist() == pytest.approx([0, 1e6, 6e6, 4.0])
    assert row.loc[(2025, "EU"), "status"] == "carried from 2023, may have stopped"
    totals = ammunition.side_totals(supply).set_index(["year", "side"])
    assert totals.loc[(2025, "russia"), "uncertain"] == pytest.approx(2e6) and totals.loc[(2024, "russia"), "uncertain"] == 0


def test_deliveries_stopped_count_only_the_days_before_the_stop():
    supply = supply_rows([[2025, "russia", "NK", "m", 1e6, 2e6, 3e6, "estimated"]])
    stop = pd.Timestamp("2026-09-01")
    forward = ammunition.forward_supply(supply, 2025, 2027, growth={}, targets={}, stoppable={"NK"}, stops={"NK": stop})
    row = forward.set_index("year")
    assert row.at[2025, "central"] == 2e6  # the observed year stays
    assert row.at[2026, "central"] == pytest.approx(2e6 * 243 / 365)  # January to August
    assert row.loc[2027, ["low", "central", "high"]].tolist() == [0, 0, 0]
    assert row.at[2027, "status"] == "projected from 2025, stopped from 2026-09-01"

