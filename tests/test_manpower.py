"""The stock-flow model against arithmetic written out by hand."""

import numpy as np
import pytest

from sustainment.claims import units
from sustainment.models import manpower
from sustainment.models.manpower import Manpower
from sustainment.models.uncertainty import Range

PER_DAY_TO_MONTH = 365.25 / 12  # pint's month


def test_issue_example_30k_recruits_vs_1500_a_day():
    losses = 1_500 * units.factor("persons/day", "persons/month")
    inputs = Manpower(recruits=30_000, losses=losses, permanent_loss_share=0.5)
    result = manpower.stock_flow(inputs, "2025-01", 12)
    expected_net = 30_000 - 0.5 * 1_500 * PER_DAY_TO_MONTH  # = 7,168.75 per month
    assert result["net_change"].to_numpy() == pytest.approx(np.full(12, expected_net))
    assert result["cumulative_net_change"].iloc[-1] == pytest.approx(12 * expected_net)
    # break-even inverts it: at 30,000 recruits and share 0.5, losses of 60,000/month give zero
    assert manpower.break_even_losses(30_000, 0.5) == pytest.approx(60_000)
    at_break_even = Manpower(recruits=30_000, losses=manpower.break_even_losses(30_000, 0.5), permanent_loss_share=0.5)
    assert manpower.stock_flow(at_break_even, "2025-01", 3)["net_change"].to_numpy() == pytest.approx(0)


def test_waves_foreign_troops_and_other_exits():
    inputs = Manpower(recruits=10, losses=20, permanent_loss_share=0.25, other_exits=1,
                      mobilization={"2025-02": 300}, foreign_troops={"2025-03": 11})
    flows = manpower.stock_flow(inputs, "2025-01", 3)
    assert list(flows["inflow"]) == [10, 310, 21]
    assert list(flows["outflow"]) == [6, 6, 6]  # 20 x 0.25 + 1
    assert list(flows["cumulative_net_change"]) == [4, 308, 323]


def test_loss_growth_compounds_monthly_at_the_yearly_rate():
    flows = manpower.stock_flow(Manpower(recruits=0, losses=100, permanent_loss_share=1, loss_growth=0.21), "2025-01", 25)
    assert flows["outflow"].iloc[12] == pytest.approx(121)
    assert flows["outflow"].iloc[24] == pytest.approx(146.41)


def test_recruitment_growth_compounds_monthly_at_the_yearly_rate():
    # by hand: 1,000 recruits a month falling 50% a year: 1,000 in month 1, 500 a year later (month 13),
    # 1,000 x 0.5 ** (6 / 12) = 707.1 in month 7; a negative growth is a rate, not a bad input
    inputs = Manpower(recruits=1_000, losses=0, permanent_loss_share=0.5, recruit_growth=-0.5)
    inflow = manpower.stock_flow(inputs, "2025-01", 13)["inflow"].to_numpy()
    assert inflow[[0, 6, 12]] == pytest.approx([1_000, 1_000 * 0.5 ** 0.5, 500])
    with pytest.raises(ValueError, match="recruit_growth: must be > -1"):
        Manpower(recruits=1_000, losses=0, permanent_loss_share=0.5, recruit_growth=-1.0)


def test_monte_carlo_with_zero_width_ranges_is_the_deterministic_model():
    inputs = Manpower(recruits=30_000, losses=40_000, permanent_loss_share=0.4, mobilization={"2025-06": 50_000})
    exact = manpower.stock_flow(inputs, "2025-01", 12)
    drawn = manpower.monte_carlo(inputs, "2025-01", 12, n_draws=500, seed=3)
    for column in ("cumulative_q05", "cumulative_q50", "cumulative_q95"):
        assert np.array_equal(drawn[column].to_numpy(), exact["cumulative_net_change"].to_numpy())
    assert (drawn["p_net_negative"] == 0).all()


def test_same_seed_same_draws_and_different_seed_different_draws():
    inputs = Manpower(recruits=(25_000, 30_000, 35_000), losses=(30_000, 40_000, 45_000),
                      permanent_loss_share=(0.3, 0.4, 0.5))
    first = manpower.monte_carlo(inputs, "2025-01", 24, 2_000, seed=7)
    assert first.equals(manpower.monte_carlo(inputs, "2025-01", 24, 2_000, seed=7))
    assert not first.equals(manpower.monte_carlo(inputs, "2025-01", 24, 2_000, seed=8))


def test_wider_ranges_give_wider_quantiles():
    narrow = Manpower(recruits=(29_000, 30_000, 31_000), losses=40_000, permanent_loss_share=0.4)
    wide = Manpower(recruits=(20_000, 30_000, 40_000), losses=40_000, permanent_loss_share=0.4)
    spread = {name: (lambda r: r["cumulative_q95"] - r["cumulative_q05"])(
        manpower.monte_carlo(inputs, "2025-01", 12, 5_000, seed=1)).iloc[-1] for name, inputs in
        (("narrow", narrow), ("wide", wide))}
    assert spread["wide"] > 5 * spread["narrow"]


def test_probability_of_decline_tracks_the_break_even():
    # recruits exactly at the required level for the central loss rate: about half the draws decline
    inputs = Manpower(recruits=16_000, losses=(30_000, 40_000, 50_000), permanent_loss_share=0.4)
    p = manpower.monte_carlo(inputs, "2025-01", 3, 20_000, seed=2)["p_net_negative"]
    assert p.iloc[0] == pytest.approx(0.5, abs=0.02)


def test_tornado_moves_one_input_at_a_time():
    inputs = Manpower(recruits=(25_000, 30_000, 35_000), losses=(30_000, 40_000, 45_000),
                      permanent_loss_share=(0.3, 0.4, 0.5))
    table = manpower.tornado(inputs, "2025-01", 24).set_index("input")
    # recruits 25k..35k over 24 months, others central: outcome = 24 x (r - 40,000 x 0.4)
    assert table.at["recruits", "outcome_at_low"] == pytest.approx(24 * (25_000 - 16_000))
    assert table.at["recruits", "swing"] == pytest.approx(24 * 10_000)
    assert table.at["permanent_loss_share", "outcome_at_high"] == pytest.approx(24 * (30_000 - 40_000 * 0.5))
    assert table.index[0] == "recruits" and table.at["other_exits", "swing"] == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"recruits": -1}, "recruits"),
    ({"permanent_loss_share": 1.5}, "permanent_loss_share"),
    ({"losses": (5, 3, 4)}, "low <= central <= high"),
    ({"mobilization": {"2025-01": -10}}, "mobilization"),
])
def test_bad_inputs_are_refused_by_name(kwargs, message):
    base = {"recruits": 1, "losses": 1, "permanent_loss_share": 0.5}
    with pytest.raises(ValueError, match=message):
        Manpower(**{**base, **kwargs})


def test_bad_horizon_and_months_are_refused():
    inputs = Manpower(recruits=1, losses=1, permanent_loss_share=0.5, mobilization={"2030-01": 5})
    with pytest.raises(ValueError, match="horizon"):
        manpower.stock_flow(inputs, "2025-01", 0)
    with pytest.raises(ValueError, match="outside"):
        manpower.stock_flow(inputs, "2025-01", 12)
    with pytest.raises(ValueError, match="n_draws"):
        manpower.monte_carlo(Manpower(recruits=1, losses=1, permanent_loss_share=0.5), "2025-01", 3, 0, 1)


def test_range_of_accepts_estimates():
    class Found:
        low, central, high = 1.0, 2.0, 4.0
    assert Range.of(Found()) == Range(1, 2, 4) and Range.of(3) == Range(3, 3, 3)
