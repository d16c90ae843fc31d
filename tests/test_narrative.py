"""The rounding rule, the likelihood scale and the links from numbers to claims."""

import math

import pandas as pd
import pytest

from sustainment.presentation import narrative


@pytest.mark.parametrize("value, text", [
    (709_396, "710,000"), (177_314, "180,000"), (1_258_510, "1.3 million"), (3_000_000, "3.0 million"),
    (6_370_000, "6.4 million"), (12_600_000, "13 million"), (612, "610"), (0, "0"), (math.nan, "n/a"),
])
def test_modelled_numbers_keep_two_significant_figures(value, text):
    assert narrative.count(value) == text


def test_other_formats():
    assert narrative.times(2.54) == "2.5x" and narrative.times(10.66) == "11x" and narrative.times(1.09) == "1.1x"
    assert narrative.share(0.253) == "25%" and narrative.share(0.004) == "under 1%" and narrative.share(0.996) == "over 99%"
    assert narrative.signed(-12_300_000) == "-12 million" and narrative.signed(7168.75) == "+7,200"
    assert narrative.span(2e6, 4.5e6) == "2.0 million to 4.5 million" and narrative.span(5, 5.2) == "5"
    assert narrative.stated(422_704) == "422,704" and narrative.stated(1_100_000) == "1.1 million"
    assert narrative.by_unit(0.48, "share") == "48%" and narrative.span_by_unit(2.0, 3.2, "ratio") == "2.0x to 3.2x"


@pytest.mark.parametrize("probability, word", [
    (0.0, "almost no chance"), (0.05, "almost no chance"), (0.18, "very unlikely"), (0.2, "very unlikely"),
    (0.3, "unlikely"), (0.5, "roughly even chance"), (0.7, "likely"), (0.9, "very likely"), (0.99, "almost certain"),
    (1.0, "almost certain"),
])
def test_likelihood_words_follow_icd_203(probability, word):
    assert narrative.likelihood(probability) == word


def test_the_scale_is_printed_as_icd_203_prints_it_and_covers_zero_to_one():
    table = narrative.likelihood_table()
    assert list(table["probability"]) == ["1-5%", "5-20%", "20-45%", "45-55%", "55-80%", "80-95%", "95-99%"]
    assert narrative.likelihood(0.0) == "almost no chance" and narrative.likelihood(1.0) == "almost certain"
    assert "not a judgement of the world" in narrative.likelihood_note()
    with pytest.raises(ValueError):
        narrative.likelihood(1.5)


def test_the_draws_interval_is_wilsons():
    # by hand: p = 0.2, n = 20,000, z = 1.96: centre (0.2 + 0.000096) / 1.000192 = 0.200058,
    # half-width 1.96 * sqrt(0.16 / 20000 + 9.6e-9 ...) / 1.000192 = 0.005544
    low, high = narrative.draws_interval(0.2, 20_000)
    assert low == pytest.approx(0.194514, abs=2e-6) and high == pytest.approx(0.205602, abs=2e-6)
    assert narrative.draws_interval(0.0, 100)[0] == 0.0 and narrative.draws_interval(0.0, 100)[1] > 0.03


@pytest.mark.parametrize("first, second", [((0.196, 20_000), (0.207, 20_000)), ((0.194, 20_000), (0.2, 20_000)),
                                           ((0.04, 1_000), (0.06, 1_000)), ((0.79, 500), (0.81, 500))])
def test_overlapping_probabilities_never_flip_the_likelihood_word(first, second):
    one, two = narrative.draws_interval(*first), narrative.draws_interval(*second)
    assert one[1] >= two[0]  # the two shares' Monte Carlo intervals overlap ...
    words = [set(narrative.likelihood_words(*pair).split(" to ")) for pair in (one, two)]
    assert words[0] & words[1]  # ... so the two descriptions share a word of the scale


def test_the_word_spans_two_bands_when_the_error_straddles_a_boundary():
    assert narrative.likelihood_words(0.195, 0.206) == "very unlikely to unlikely"
    assert narrative.likelihood_words(0.10, 0.15) == "very unlikely"


def test_a_number_links_to_its_claims():
    claims = pd.DataFrame({"id": ["a", "b"], "claimant": ["NATO", "UK MoD"],
                           "known_from": pd.to_datetime(["2024-10-28", "2025-06-12"])})
    one = narrative.link("600,000", claims, ["a"])
    assert one.startswith('<a class="claim" href="../claims.html#claim-a" title="NATO &#40;2024-10-28&#41;" data-claims="a">')
    both = narrative.link("<600k>", claims, ["b", "a", ""])
    assert narrative.claims_anchor(["a", "b"]) in both and 'data-claims="a b"' in both and "&#60;600k&#62;" in both
    assert narrative.link("n/a", claims, []) == "n/a"


def test_tables_for_readers_have_no_index_and_no_nan():
    frame = pd.DataFrame({"year": [2024, 2025], "central": [3_000_000.0, math.nan]}, index=[7, 8])
    html = narrative.table(frame, {"year": "Year", "central": "Rounds a year"}, {"year": lambda v, _row: str(v)},
                           missing_note="no claim that year")
    assert "<th>Year</th><th>Rounds a year</th>" in html and "3,000,000" in html and "nan" not in html.lower()
    assert ">7<" not in html and narrative.DASH in html and "no claim that year" in html


@pytest.mark.parametrize("probability, said", [
    (0.18, "it is very unlikely in this model (18% of 20,000 draws)"),
    (0.035, "there is almost no chance in this model (3.5% of 20,000 draws)"),
    (0.5, "there is a roughly even chance in this model (50% of 20,000 draws)"),
    (1.0, "it is almost certain in this model (all 20,000 draws)"),
    (0.0, "there is almost no chance in this model (none of 20,000 draws)"),
    (0.2, "it is very unlikely to unlikely in this model (20% of 20,000 draws)"),
])
def test_likelihoods_read_as_sentences_and_never_claim_100_percent(probability, said):
    assert narrative.it_is(probability, 20_000) == said


@pytest.mark.parametrize("value, text", [
    (12_676.72, "12,700"), (1_696_801.72, "1.70 million"), (55_000, "55,000"), (30_437.5, "30,400"), (0.45, "0.45"),
])
def test_converted_claim_values_keep_three_significant_figures(value, text):
    assert narrative.converted(value) == text


def test_curators_markers_leave_titles_as_a_note():
    assert narrative.reader_title("(from URL slug) Zelensky revealed Russia's plans") == (
        "Zelensky revealed Russia's plans", "title read from the address")
    assert narrative.reader_title("Plain headline") == ("Plain headline", "")
