"""The loss bases side by side, the confidence their agreement allows, and the model's killed
against named deaths: each rule with an answer worked out by hand."""

import pandas as pd
import pytest

from sustainment import analyses
from sustainment.analyses import loss_bases
from sustainment.claims import load
from sustainment.models.uncertainty import Range


@pytest.fixture(scope="module")
def claims():
    return load()


@pytest.fixture(scope="module")
def result(claims):
    return analyses.recruitment_analysis(claims, n_draws=2_000, seed=1)


def _estimates(days_and_values):
    return pd.DataFrame({"period_end": [pd.Timestamp(d) for d, _ in days_and_values],
                         "canonical_value": [float(v) for _, v in days_and_values]})


def test_killed_a_month_from_two_cumulative_estimates_a_year_apart():
    # by hand: 196,000 - 100,000 over the 366 days of 2024 = 262.3 a day = 7,983.6 a month (30.4375 days)
    found = loss_bases.killed_growth(_estimates([("2024-01-01", 100_000), ("2025-01-01", 196_000)]))
    assert found.central == pytest.approx(96_000 / 366 * 30.4375)
    assert found.low == pytest.approx(found.central) and found.high == pytest.approx(found.central)


def test_the_growth_range_spans_the_slopes_between_estimates_far_enough_apart():
    # by hand: Jan->Jul 2024 (182 days) 50,000 = 8,362 a month; Jul 2024->Jan 2025 (184 days) 46,000 = 7,609;
    # the two a year apart (366 days) 96,000 = 7,984; estimates 30 days apart give no slope of their own
    found = loss_bases.killed_growth(_estimates([("2024-01-01", 100_000), ("2024-07-01", 150_000),
                                                 ("2025-01-01", 196_000)]))
    assert found.low == pytest.approx(46_000 / 184 * 30.4375) and found.high == pytest.approx(50_000 / 182 * 30.4375)
    assert found.low <= found.central <= found.high
    assert loss_bases.killed_growth(_estimates([("2024-01-01", 100_000), ("2024-01-31", 110_000)])) is None


def test_killed_and_wounded_follow_from_killed_through_the_killed_share():
    # by hand: 30,000 killed at a killed share of 0.25 (one killed in four casualties) = 120,000 killed and wounded
    losses = loss_bases._losses_from_killed(Range(20_000, 30_000, 36_000), Range(0.2, 0.25, 0.3))
    assert (losses.low, losses.central, losses.high) == pytest.approx((20_000 / 0.3, 120_000, 36_000 / 0.2))


@pytest.mark.parametrize("claimant, western", [
    ("NATO Secretary General Mark Rutte (panel, World Economic Forum, Davos, Jan 2026)", True),
    ("CSIS (report 'Russia's Grinding War in Ukraine', 27 Jan 2026)", True),
    ("President Volodymyr Zelensky (World Economic Forum, Davos, 22 Jan 2026)", False),
    ("Mykhailo Fedorov, Ukrainian Defence Minister (meeting with media, 20 Jan 2026)", False),
    ("Sergei Shoigu, Russian Defence Minister", False),
    ("UK Defence Intelligence (relaying Ukrainian General Staff)", False),
])
def test_western_claimants_are_read_from_the_name_not_the_title(claimant, western):
    frame = pd.DataFrame({"claimant": [claimant], "metric": ["casualties_killed"]})
    assert len(loss_bases._western(frame)) == int(western)


def test_each_basis_answers_with_the_same_draws_and_only_its_loss_level(result, claims):
    bases = result.bases
    assert list(bases.index) == ["model", "statements", "estimates"]
    model = bases.loc["model"]
    end = result.monte_carlo.iloc[-1]
    assert model["p"] == end["p_cumulative_negative"] and model["q50"] == end["cumulative_q50"]
    assert model["killed"] == pytest.approx(result.losses.central * result.killed.central)
    stated = loss_bases.stated_killed(claims, analyses.recruitment_window(result.as_of, 24), result.as_of, "low")
    assert stated["claimant"].str.contains("Rutte").all()  # Zelensky's and Fedorov's are Ukrainian, not Western
    assert bases.at["statements", "killed"] == pytest.approx(stated["canonical_value"].median())
    assert bases.at["statements", "losses"] == pytest.approx(bases.at["statements", "killed"] / result.killed.central)
    # more killed a month, a smaller force: the order of the bases' killed is the order of their outcomes
    by_killed = bases.sort_values("killed")
    assert by_killed["q50"].is_monotonic_decreasing and by_killed["p"].is_monotonic_increasing
    for row in bases.itertuples():
        assert row.p_low <= row.p <= row.p_high and row.q05 <= row.q50 <= row.q95


@pytest.mark.parametrize("intervals, level", [
    ([(0.10, 0.12), (0.11, 0.13)], "high"),
    ([(0.10, 0.12), (0.30, 0.32)], "moderate"),
    ([(0.60, 0.62), (0.97, 0.98)], "moderate"),
    ([(0.10, 0.12), (0.99, 1.00)], "low"),
])
def test_confidence_comes_from_how_far_the_bases_agree(intervals, level):
    bases = pd.DataFrame({"p_low": [low for low, _ in intervals], "p_high": [high for _, high in intervals]})
    assert loss_bases.confidence(bases)[0] == level


def test_the_models_cumulative_killed_is_at_or_above_every_named_death_count(result):
    named = result.killed_check[result.killed_check["what"] == "named deaths"].dropna(subset=["model"])
    assert len(named) >= 10 and (named["model"] >= named["claimed"]).all()


def test_the_cross_check_reads_the_model_at_each_claims_date(claims):
    # by hand: the model is 100 on 1 Jan and 200 on 31 Jan (30 days): on 16 Jan, 15 days in, 150
    model = pd.DataFrame({"low": [50.0, 100.0], "central": [100.0, 200.0], "high": [150.0, 300.0]},
                         index=pd.to_datetime(["2023-01-01", "2023-01-31"]))
    check = loss_bases.cumulative_killed_check(model, claims, "2026-12-31")
    assert check["model"].isna().all()  # no claim in January 2023: every model value is outside the series
    named = claims[claims["metric"] == "deaths_confirmed"].iloc[[0]].assign(
        period_end=pd.Timestamp("2023-01-16"), known_from=pd.Timestamp("2023-01-20"))
    one = loss_bases.cumulative_killed_check(model, named, "2026-12-31")
    assert one[["model_low", "model", "model_high"]].iloc[0].tolist() == pytest.approx([75.0, 150.0, 225.0])


def test_the_bottom_line_opens_with_the_disagreement_and_answers_under_each_basis(result, claims):
    text = analyses.recruitment_bottom_line(result, claims, analyses.plain)
    first = text.removeprefix("**Bottom line.** ").split(". ")[0]
    assert "hinges on how many of its soldiers are killed a month" in first and "Rutte" in first
    assert first.count("about ") == 3 and "36 months from" in first
    assert "with the statements' rate" in text and "with the estimates' rate" in text and "Confidence: low" in text
    assert text.index("hinges on") < text.index("In the model, recruitment")
