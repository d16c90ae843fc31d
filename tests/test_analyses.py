"""The shared pipelines on the project's data: scenario knobs do what they say."""

import pandas as pd
import pytest
from conftest import claim_row

from sustainment import analyses
from sustainment.claims import id_list, load
from sustainment.errors import ParameterError
from sustainment.models import manpower
from sustainment.presentation import narrative


@pytest.fixture(scope="module")
def claims():
    return load()


def test_as_of_defaults_to_the_data_not_today(claims):
    assert analyses.as_of_date(claims) == claims["known_from"].max()
    assert analyses.as_of_date(claims, "2024-10-31") == pd.Timestamp("2024-10-31")


@pytest.mark.parametrize("text", ["2024-10", "20241031", "2024-02-30", "2024"])
def test_as_of_has_one_grammar_in_the_kernel_and_the_renderer(claims, text):
    """The notebook's as_of is a day YYYY-MM-DD: what the renderer refuses, the kernel refuses
    with the same words (20241031 used to pass the renderer and fail later)."""
    from sustainment.running.render import _check_values

    with pytest.raises(ValueError, match="as_of must be a date YYYY-MM-DD"):
        analyses.as_of_date(claims, text)
    with pytest.raises(ParameterError, match="as_of must be a date YYYY-MM-DD"):
        _check_values("x.ipynb", {"as_of": text})


def test_north_korea_cutoff_removes_its_supply(claims):
    full = analyses.ammunition_analysis(claims, n_draws=200, seed=1)
    cut = analyses.ammunition_analysis(claims, n_draws=200, seed=1, include_north_korea=False, include_iran=False)
    assert "NK" in set(full.supply["actor"]) and not {"NK", "IR"} & set(cut.supply["actor"])
    year = full.last_year
    russia = lambda r: r.totals.set_index(["year", "side"]).loc[(year, "russia"), "central"]  # noqa: E731
    assert russia(cut) < russia(full)
    assert cut.ratio.set_index("year").loc[year, "q50"] < full.ratio.set_index("year").loc[year, "q50"]


def test_targets_come_from_claims(claims):
    surge = analyses.ammunition_analysis(claims, n_draws=200, seed=1, horizon_year=2027,
                                         eu_target_claim="eu-shells-production-target-2025-12-31")
    target = claims.set_index("id").at["eu-shells-production-target-2025-12-31", "canonical_value"]
    assert surge.targets["rounds_per_year"].tolist() == [target]
    flat = analyses.ammunition_analysis(claims, n_draws=200, seed=1, horizon_year=2027)
    gain = surge.paths["west"]["central"].iloc[-1] - flat.paths["west"]["central"].iloc[-1]
    eu_base = surge.supply.set_index(["year", "actor"]).loc[(surge.last_year, "EU"), "central"]
    assert gain == pytest.approx(target - eu_base)
    with pytest.raises(ValueError, match="eu_target_claim: no claim with id 'nope'"):
        analyses.ammunition_analysis(claims, n_draws=200, seed=1, eu_target_claim="nope")


def test_mobilization_wave_adds_its_claimed_size(claims):
    base = analyses.recruitment_analysis(claims, n_draws=200, seed=1, horizon=12)
    wave = analyses.recruitment_analysis(claims, n_draws=200, seed=1, horizon=12,
                                         mobilization_claim="ru-mobilized-2022-10-28", mobilization_month=6)
    size = claims.set_index("id").at["ru-mobilized-2022-10-28", "canonical_value"]
    difference = wave.deterministic["cumulative_net_change"] - base.deterministic["cumulative_net_change"]
    assert list(difference.iloc[:5]) == [0] * 5 and difference.iloc[5:].tolist() == pytest.approx([size] * 7)
    with pytest.raises(ValueError, match="mobilization_month: must be within 1..12"):
        analyses.recruitment_analysis(claims, n_draws=200, seed=1, horizon=12,
                                      mobilization_claim="ru-mobilized-2022-10-28", mobilization_month=13)


def test_recruitment_inputs_trace_to_claims(claims):
    result = analyses.recruitment_analysis(claims, n_draws=200, seed=1)
    assert set(result.recruits.claim_ids) <= set(claims["id"]) and set(result.claim_ids) <= set(claims["id"])
    assert 0 < result.permanent_share.low <= result.permanent_share.central <= result.permanent_share.high <= 1
    # killed share from statements that give both numbers, and from stated wounded-per-killed ratios
    assert (result.killed_share["share"].between(0.1, 0.5)).all() and len(result.killed_share) >= 2
    expected = manpower.break_even_losses(result.inputs.recruits.central, result.permanent_share.central,
                                          result.other_exits.central)
    assert result.break_even.central == pytest.approx(expected)


def test_headline_numbers_name_their_claims(claims):
    table = analyses.headline_numbers(claims, analyses.ammunition_analysis(claims, n_draws=200, seed=1),
                                      analyses.recruitment_analysis(claims, n_draws=200, seed=1))
    assert len(table) == 16 and (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()
    assert table["claim_ids"].str.len().gt(0).all() and table["source_ids"].str.len().gt(0).all()


def test_seed_claims_and_audit_tables(claims):
    assert {"ru-casualties-killed-wounded-2024-10-28", "ru-recruits-2024-10-30", "eu-shells-produced-2024-12-31",
            "ru-shells-production-ratio-vs-eu-2024-12-31"} <= set(analyses.seed_claims(claims)["id"])
    spread = analyses.disagreement(claims, "2026-08-08")
    assert (spread["spread"] >= 1).all() and (spread["claims"] >= 2).all()
    stale = analyses.stale(claims, pd.Timestamp("2026-08-08"), 12)
    assert stale["stale"].iloc[0] and stale["months_old"].iloc[0] > 12


def test_losses_follow_their_trend_unless_a_scenario_holds_them_flat(claims):
    trend = analyses.recruitment_analysis(claims, n_draws=200, seed=1)
    flat = analyses.recruitment_analysis(claims, n_draws=200, seed=1, losses_path="flat")
    assert trend.loss_growth.low < trend.loss_growth.central < trend.loss_growth.high and flat.loss_growth.width == 0
    assert trend.losses == flat.losses, "both start from the trend's level in the first modelled month"
    rising = trend.deterministic["outflow"]
    assert rising.iloc[-1] > rising.iloc[0] and flat.deterministic["outflow"].nunique() == 1
    assert trend.monte_carlo["p_cumulative_negative"].iloc[-1] > flat.monte_carlo["p_cumulative_negative"].iloc[-1]
    with pytest.raises(ValueError, match="losses_path"):
        analyses.recruitment_analysis(claims, n_draws=200, seed=1, losses_path="rising")


def test_permanent_share_and_exits_come_from_claims_where_they_exist(claims):
    result = analyses.recruitment_analysis(claims, n_draws=200, seed=1)
    assert result.permanent_basis == "claims" and len(result.permanent_evidence) >= 1
    assert set(id_list(result.permanent_evidence["claim_ids"])) <= set(claims["id"])
    before = analyses.recruitment_analysis(claims, as_of="2024-12-31", n_draws=200, seed=1)
    assert before.permanent_basis == "assumption", "no claim gave permanent losses before June 2025"
    assert result.other_exits.central > 0 and set(result.exits["exit"]) >= {"desertion"}


def test_western_rate_claims_are_checked_against_the_model(claims):
    check = analyses.recruitment_analysis(claims, n_draws=200, seed=1).rate_check
    assert len(check) >= 3 and set(check["what"]) <= {"killed", "killed or wounded"}
    row = check.iloc[0]
    assert row["gap"] == pytest.approx(row["claimed"] / row["model"] - 1)


def test_bottom_lines_give_an_answer_a_range_and_a_likelihood_word(claims):
    from sustainment.presentation import narrative

    recruitment = analyses.recruitment_analysis(claims, n_draws=500, seed=1)
    text = analyses.recruitment_bottom_line(recruitment, claims, analyses.plain)
    p = recruitment.monte_carlo["p_cumulative_negative"].iloc[-1]
    assert text.startswith("**Bottom line.**") and narrative.likelihood(p) in text and "90% of draws" in text
    assert "What would change it" in text and "in this model" in text and "of 500 draws" in text
    ammunition = analyses.ammunition_analysis(claims, n_draws=500, seed=1)
    text = analyses.ammunition_bottom_line(ammunition, claims, analyses.plain)
    assert f"In {ammunition.last_year}" in text and "of draws" in text


def test_crosscheck_finds_a_floor_above_a_later_ceiling(data_dir, with_claims):

    with (data_dir / "metrics.csv").open("a", encoding="utf-8") as handle:
        handle.write("deaths_confirmed,cumulative,observed,persons,Deaths confirmed by name\n")
    claims = with_claims(
        claim_row("named", "100000", metric="deaths_confirmed", start="2022-02-24", end="2024-06-01", unit="persons"),
        claim_row("too-low", "90000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-07-01",
                  unit="persons"),
        claim_row("fine", "300000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-07-01",
                  unit="persons"),
        claim_row("earlier", "50000", metric="casualties_killed_wounded", start="2022-02-24", end="2023-01-01",
                  unit="persons"))
    found = analyses.crosscheck(claims, "2025-12-31")
    # only the later, smaller ceiling crosses the floor; an earlier total may be smaller
    assert list(zip(found["lower_id"], found["upper_id"])) == [("named", "too-low")]


def test_key_numbers_read_the_same_in_reports_and_decks():
    change = {"central": 310_000.0, "low": -250_000.0, "high": 890_000.0, "unit": "persons"}
    chance = {"central": 0.2, "low": 0.2, "high": 0.2, "unit": "share"}
    assert analyses.key_central(change) == "+310,000" and analyses.key_range(change) == "-250,000 to 890,000"
    assert analyses.key_central(chance) == "20%" and analyses.key_range(chance) == narrative.DASH, "a single value has no range"


def test_the_printed_sides_divide_to_the_printed_ratio(claims):
    """The review found 'about 1.9x' printed beside 6.7 million and 4.3 million (1.6x)."""
    import re

    result = analyses.ammunition_analysis(claims, n_draws=2000, seed=1)
    year = result.totals.set_index(["year", "side"])
    russia, west = year.loc[(result.last_year, "russia")], year.loc[(result.last_year, "west")]
    ratio = result.ratio.set_index("year").loc[result.last_year]
    line = analyses.ammunition_bottom_line(result, claims, link=lambda text, *_: text)
    printed = re.search(r"about ([\d.]+)x as much", line).group(1)
    assert f"{printed}x" == narrative.times(russia["central"] / west["central"])
    assert f"Russian side about {narrative.count(russia['central'])} rounds" in line
    assert f"Western side about {narrative.count(west['central'])}" in line
    differs = narrative.times(ratio["central"]) != narrative.times(ratio["q50"])
    assert (f"the draws' median is {narrative.times(ratio['q50'])}" in line) == differs


def test_the_trend_sentence_gives_signed_rates_with_their_intervals(claims):
    result = analyses.ammunition_analysis(claims, n_draws=200, seed=1)
    sentence = analyses.trend_sentence(result)
    def signed(value: float) -> str:
        return ("+" if value >= 0 else "-") + narrative.share(abs(value))

    for trend in result.trends.values():
        low, high = trend.attrs["growth_per_step_90"]
        assert f"90% interval {signed(low)} to {signed(high)}" in sentence
    assert any(t.attrs["growth_per_step_90"][0] < 0 for t in result.trends.values())  # a falling end is signed too


def test_the_vintage_names_the_latest_curated_claim_when_a_derived_series_is_newer(claims, data_dir):
    from sustainment.analyses.common import vintage_words

    curated = claims.loc[claims["file"].str.endswith("/claims.csv"), "known_from"].max()
    assert vintage_words(claims).startswith(f"{claims['known_from'].max():%Y-%m-%d} (the latest claim in data/; ")
    assert f"the latest curated claim, in data/claims.csv: {curated:%Y-%m-%d}" in vintage_words(claims)
    assert vintage_words(load(data_dir)).endswith("(the latest claim in data/)"), "no derived series: one date"


def test_a_scenario_that_leaves_out_deliveries_answers_as_a_counterfactual(claims):
    cut = analyses.ammunition_analysis(claims, n_draws=500, seed=1, include_north_korea=False, include_iran=False)
    line = analyses.ammunition_bottom_line(cut, claims, analyses.plain)
    assert cut.left_out == ("IR", "NK")
    assert "Leaving out Iran's and North Korea's deliveries, as this scenario does, in" in line
    assert "the Russian side would have had" in line and "would have out-supplied" in line
    whole = analyses.ammunition_bottom_line(analyses.ammunition_analysis(claims, n_draws=500, seed=1), claims,
                                            analyses.plain)
    assert "would have" not in whole and "Leaving out" not in whole


def test_fire_is_stated_as_fact_only_when_two_claimants_support_it(data_dir, with_claims):
    from types import SimpleNamespace

    from sustainment.analyses.ammunition import _fire_words

    with (data_dir / "metrics.csv").open("a", encoding="utf-8") as handle:
        handle.write("shells_fired,flow,observed,rounds/year,Rounds fired\n")
    claims = with_claims(
        claim_row("a", "10000000", metric="shells_fired", claimant="Gen. Oleksandr Syrskyi (Lb.ua interview)"),
        claim_row("b", "9000000", metric="shells_fired", claimant="Gen. Oleksandr Syrskyi (Le Monde)"),
        claim_row("c", "8000000", metric="shells_fired", claimant="UK Defence Intelligence"))
    one = SimpleNamespace(fired=pd.DataFrame({"year": [2024], "side": ["russia"], "central_ids": [("a", "b")]}))
    assert _fire_words(one, claims, 2024, 9.5e6) == "One claim (Gen. Oleksandr Syrskyi) puts Russia's fire at 9.5 million rounds"
    two = SimpleNamespace(fired=pd.DataFrame({"year": [2024], "side": ["russia"], "central_ids": [("a", "c")]}))
    assert _fire_words(two, claims, 2024, 9.0e6) == "Russia fired about 9.0 million rounds"


def test_the_bottom_line_names_the_latest_claimed_ratio_and_why_it_differs():
    from types import SimpleNamespace

    from sustainment.analyses.ammunition import _claimed_ratio_note

    claims = pd.DataFrame({"id": ["old", "new"], "claimant": ["Mark Rutte (CBS)", "Mark Rutte (Bucharest forum)"]})
    claimed = pd.DataFrame({"year": [2025, 2025], "value": [4.0, 1.0], "metric": ["shells_production_ratio_vs_nato"] * 2,
                            "id": ["old", "new"], "bound": ["point", "up_to"],
                            "said": pd.to_datetime(["2025-04-04", "2025-11-06"])})
    ratio = pd.DataFrame({"year": [2025], "q05": [1.6], "q95": [2.3], "no_range": [False]})
    none = pd.DataFrame({"year": []})  # no production comparison: the note says only what the claim compares
    result = SimpleNamespace(claimed_ratio=claimed, ratio=ratio, last_year=2025, production_ratio=none)
    note = _claimed_ratio_note(result, claims, link=lambda text, *_: text)
    assert note.startswith("The most recent claimed ratio, Mark Rutte on 6 Nov 2025, is at most 1.0x: outside this "
                           "estimate's 90% band. It compares Russian production against the output of all NATO allies")
    within = SimpleNamespace(claimed_ratio=claimed.iloc[:1], ratio=ratio.assign(q95=[4.5]), last_year=2025,
                             production_ratio=none)
    assert "is 4.0x: within this estimate's 90% band" in _claimed_ratio_note(within, claims, link=lambda text, *_: text)


@pytest.mark.parametrize("claimant, label", [
    ("NATO Secretary General Mark Rutte (CBS interview)", "Mark Rutte"),
    ("NATO officials / The Economist sources", "NATO officials"),
    ("UK Defence Intelligence", "UK Defence Intelligence"),
])
def test_a_claimant_as_a_chart_label(claimant, label):
    assert narrative.short_name(claimant) == label


def test_the_readmes_key_numbers_are_the_librarys(claims):
    import re

    import yaml

    from sustainment import paths
    from sustainment.analyses.briefing import key_numbers_markdown, scenario_key_numbers

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    printed = re.search(r"<!-- key-numbers -->\n(.*?)<!-- /key-numbers -->", readme, re.S).group(1)
    baseline = yaml.safe_load((paths.SCENARIOS_DIR / "baseline.yaml").read_text(encoding="utf-8"))
    computed = key_numbers_markdown(scenario_key_numbers(claims, baseline["parameters"] or {}))
    assert printed == computed, f"README's key numbers are stale; paste:\n{computed}"


def test_yearly_recruits_read_the_latest_observed_totals_of_each_year(claims):
    yearly = analyses.recruitment.yearly_recruits(claims, "2026-08-08").set_index("year")
    # by hand: 2024 is the median of Medvedev's "about 450,000" (to 31 Dec: 37,423 a month) and "almost 440,000"
    # (to 24 Dec: 37,305); 2025 leaves out HUR's projection (forecast) and the "at least" totals
    assert yearly.at[2024, "rate"] == pytest.approx((37_423.155738 + 37_305.013928) / 2)
    assert "ru-recruits-2025-12-31-3" not in yearly.at[2025, "claim_ids"]
    assert "ru-recruits-2025-12-31" in yearly.at[2025, "claim_ids"]
    assert not any("2025-12-19" in i or "2025-12-10" in i for i in yearly.at[2025, "claim_ids"])  # floors


def test_recruitment_growth_from_yearly_rates_by_hand():
    yearly = pd.DataFrame({"year": [2023, 2024, 2025], "rate": [40_000.0, 36_000.0, 34_200.0]})
    growth = analyses.recruitment.recruit_growths(yearly)
    # by hand: three evenly spaced years: the least-squares slope of the logs is (ln 34,200 - ln 40,000) / 2,
    # a yearly change of sqrt(34,200 / 40,000) - 1 = -7.53%; the year-on-year changes are -10% and -5%
    assert growth["trend"].central == pytest.approx((34_200 / 40_000) ** 0.5 - 1)
    assert (growth["trend"].low, growth["trend"].high) == pytest.approx((-0.10, -0.05))
    assert growth["last_year"].central == pytest.approx(-0.05)
    assert analyses.recruitment.recruit_growths(yearly.iloc[:1]) == {}


def test_recruitment_follows_its_trend_unless_held_flat(claims):
    trend = analyses.recruitment_analysis(claims, n_draws=500, seed=1)
    flat = analyses.recruitment_analysis(claims, n_draws=500, seed=1, recruits_path="flat")
    assert trend.recruits_path == "trend" and trend.recruit_growth.central < 0 and flat.recruit_growth.central == 0
    assert flat.inputs.recruits.central == pytest.approx(flat.recruits.central)  # the window's level, unmoved
    assert trend.inputs.recruits.central < flat.inputs.recruits.central  # moved down its trend to the first month
    assert trend.monte_carlo["cumulative_q50"].iloc[-1] < flat.monte_carlo["cumulative_q50"].iloc[-1]
    changes = analyses.recruitment_alternatives(trend)["change"]
    assert changes.str.startswith("recruitment held flat").any() and changes.str.contains("latest year's pace").any()
    text = analyses.recruitment_bottom_line(trend, claims, analyses.plain)
    assert "a year along the trend of its yearly totals (2023 to 2025)" in text
    pace = analyses.recruitment_analysis(claims, n_draws=200, seed=1, recruits_path="last_year")
    assert "at its latest year's pace (2024 to 2025)" in analyses.recruitment_bottom_line(pace, claims, analyses.plain)


def test_recruitment_is_held_flat_when_the_claims_give_one_year_of_totals(claims):
    early = analyses.recruitment_analysis(claims, as_of="2023-09-30", foreign_troops_claim="", n_draws=200, seed=1)
    assert early.recruits_path == "flat" and early.recruit_growth.central == 0


def test_each_headline_series_says_how_old_its_newest_claim_is(with_claims):
    from sustainment.analyses.common import ages_words, series_ages

    claims = with_claims(claim_row("older", "3000000", reported="2025-01-15"),
                         claim_row("newer", "3100000", reported="2025-02-20"),
                         claim_row("later", "3200000", reported="2025-06-30"),
                         claim_row("eu", "1000000", actor="EU", reported="2024-12-31"))
    ages = series_ages(claims, pd.Timestamp("2025-04-01"))
    assert ages[["label", "id", "months"]].values.tolist() == [["Russia output", "newer", 1], ["European Union output", "eu", 3]]
    assert ages_words(claims, pd.Timestamp("2025-04-01")).count('class="claim"') == 2, "each date links to its claim"


def test_past_targets_are_set_against_what_the_claims_say_happened(data_dir, with_claims):
    from sustainment.analyses.ammunition import forward_claims, realisation
    from sustainment.models import ammunition as ammo

    with (data_dir / "metrics.csv").open("a", encoding="utf-8") as handle:
        handle.write("shells_production_target,flow,target,rounds/year,Output targets\n")
    claims = with_claims(
        claim_row("made-2024", "3000000"),
        claim_row("plan-2024", "2000000", metric="shells_production_target"),
        claim_row("plan-2024-again", "2000000", metric="shells_production_target", statement="plan"),
        claim_row("plan-2024-relay", "2000000", metric="shells_production_target", statement="plan", source="beta-2024"),
        claim_row("plan-2023", "1000000", metric="shells_production_target", start="2023-01-01", end="2023-12-31"),
        claim_row("plan-2026", "5000000", metric="shells_production_target", start="2026-01-01", end="2026-12-31"))
    components = [ammo.Component("RU", ("shells_produced",))]
    supply = ammo.annual_supply(claims, [2023, 2024], components, carry_forward=False)
    pairs = realisation(claims, supply, pd.Timestamp("2025-12-31"))
    assert pairs[["id", "year", "rate"]].values.tolist() == [["plan-2024", 2024, 1.5], ["plan-2024-again", 2024, 1.5]]
    assert list(forward_claims(claims, components, pd.Timestamp("2025-12-31"), 2024)["id"]) == ["plan-2026"]


def test_the_path_follows_a_stated_forward_target_discounted_by_past_ones(data_dir, with_claims):
    from sustainment.analyses.ammunition import followed_targets, forward_claims, realisation
    from sustainment.models import ammunition as ammo

    with (data_dir / "metrics.csv").open("a", encoding="utf-8") as handle:
        handle.write("shells_production_target,flow,target,rounds/year,Output targets\n")
    target = {"metric": "shells_production_target", "start": "2026-01-01", "end": "2026-12-31"}
    claims = with_claims(
        claim_row("made-2024", "3000000"),
        claim_row("plan-2024", "2000000", metric="shells_production_target"),  # came true at 150%
        claim_row("plan-2026", "5000000", **target, reported="2025-03-01"),
        claim_row("floor-2026", "9000000", **target, bound="at_least", reported="2025-04-01"),  # a floor: not followed
        claim_row("wider-2026", "8000000", **target, munitions="all", reported="2025-05-01"))  # another basis
    components = [ammo.Component("RU", ("shells_produced",))]
    supply = ammo.annual_supply(claims, [2024], components)
    when = pd.Timestamp("2025-12-31")
    followed = followed_targets(forward_claims(claims, components, when, 2024), realisation(claims, supply, when),
                                supply, 2024)
    assert followed[["id", "year", "rate", "value", "pairs"]].values.tolist() == [
        ["plan-2026", 2026, 1.5, 7_500_000, "its 1 past target"]]


def test_what_it_would_take_is_the_median_ratio_of_the_draws(claims):
    from sustainment.analyses.ammunition import parity_words

    result = analyses.ammunition_analysis(claims, n_draws=200, seed=1)
    median = result.forward_ratio.set_index("year").at[result.horizon_year, "q50"]
    west = result.paths["west"].set_index("year").at[result.horizon_year, "central"]
    words = parity_words(result, west)
    assert (f"about {narrative.share(median - 1)} more" if median >= 1 else f"fall about {narrative.share(1 - median)}") in words
    assert narrative.count(west * median) in words
    between = result.forward_ratio.set_index("year").loc[result.last_year + 1]  # the years before the horizon too
    assert (f"{result.last_year + 1}: about {narrative.times(between['central'])}, 90% of draws "
            f"{narrative.times(between['q05'])} to {narrative.times(between['q95'])}") in analyses.ammunition_bottom_line(
        result, claims, link=analyses.plain)


def test_the_production_comparison_leaves_deliveries_out(claims):
    result = analyses.ammunition_analysis(claims, n_draws=200, seed=1)
    year = result.last_year
    made = result.supply[(result.supply["year"] == year) & result.supply["actor"].isin(["RU", "EU", "US"])]
    central = made.loc[made["side"] == "russia", "central"].sum() / made.loc[made["side"] == "west", "central"].sum()
    assert result.production_ratio.set_index("year").at[year, "central"] == pytest.approx(central)
    assert "Production alone (Russia against European Union and United States output" in analyses.ammunition_bottom_line(
        result, claims, link=analyses.plain)


def test_an_audit_chart_states_its_finding_and_keys_its_claimants(with_claims):
    claims = with_claims(claim_row("low", "2000000", claimant="Ann Analyst, Institute (spring reading)"),
                         claim_row("high", "5000000", claimant="Bob Official (to the press)"),
                         claim_row("again", "3000000", claimant="Ann Analyst, Institute (autumn reading)"))
    chart = analyses.audit_charts(claims, claims)["audit_shells_produced"]
    assert chart.title == ("Claims for 2024 differ up to 2.5x: 2.00 million (Ann Analyst) to 5.00 million (Bob Official); "
                           "3 claims from 2 claimants")
    key = [text.get_text() for text in chart.axes.get_legend().get_texts()]
    assert key == ["shells produced", "Ann Analyst (2)", "Bob Official (1)"]


def test_a_scenarios_own_targets_are_named_as_followed_not_listed_as_unfollowed(claims):
    from sustainment.analyses.ammunition import forward_words

    result = analyses.ammunition_analysis(claims, n_draws=200, seed=1, us_target_claim="us-shells-production-target-2026-06-30")
    words = forward_words(result, claims, link=analyses.plain)
    assert "Along the scenario's growth and targets (United States 100,000 rounds a month by 2026)" in words
    assert "United States 100,000 rounds a month (2026), a target" not in words
