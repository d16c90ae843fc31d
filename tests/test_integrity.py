"""Soft integrity checks, each on a fixture that trips it and one that does not."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from conftest import claim_row

from sustainment.claims import findings as integrity

RATE_METRIC = "casualties_killed_wounded_rate,flow,observed,persons/month,Killed + wounded per month\n"


@pytest.fixture
def with_rates(data_dir, with_claims):
    with (data_dir / "metrics.csv").open("a", encoding="utf-8") as handle:
        handle.write(RATE_METRIC)
    return with_claims


def messages(found) -> list[str]:
    return [f"{p.row_id}: {p.message}" for p in found]


def test_a_relay_of_the_ukrainian_series_is_checked_against_it(with_rates):
    claims = with_rates(
        claim_row("far", "700000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="UK Ministry of Defence (relaying Ukrainian General Staff)"),
        claim_row("near", "610000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="General Staff of the Armed Forces of Ukraine"),
        claim_row("rate", "1500", metric="casualties_killed_wounded_rate", start="2024-10-01", end="2024-10-31",
                  unit="persons/day", claimant="UK MoD citing the Ukrainian General Staff"),
        claim_row("western", "100", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="CIA"))
    series = pd.Series([570_000.0, 600_000.0, 612_000.0],
                       index=pd.DatetimeIndex(["2024-09-30", "2024-10-31", "2024-11-10"]))
    found = messages(integrity.ua_disagreements(claims, series))
    # far: 700,000 vs 612,000 (+14%); near: within 1%;
    # rate: 1,500/day = 45,656/month vs 30,000 over October's 31 days = 29,456/month (+55%)
    assert len(found) == 2
    assert found[0].startswith("far: differs from the Ukrainian General Staff's daily series by +14%")
    assert found[1].startswith("rate: differs") and "+55%" in found[1]


def test_periods_that_do_not_match_the_quote(with_claims):
    claims = with_claims(
        claim_row("part-year", "7000000", start="2023-03-01", end="2023-12-31", quote="Russia fired 7 million in 2023"),
        claim_row("year", "7000000", start="2023-01-01", end="2023-12-31", quote="Russia used 7 million in 2023"),
        claim_row("since", "600000", metric="casualties_killed_wounded", start="2023-01-01", end="2024-10-28",
                  unit="persons", quote="600,000 killed or wounded since the start of the war"),
        claim_row("per-day", "300000", start="2024-03-01", end="2024-03-01", unit="rounds/month",
                  quote="Russia fires 10,000 shells a day"),
        claim_row("per-month", "250000", start="2024-03-01", end="2024-03-01", unit="rounds/month",
                  quote="close to 250,000 a month"))
    found = sorted(messages(integrity.period_mismatches(claims)))
    assert found == ["part-year: the quote says 'in 2023' but the period is 2023-03-01..2023-12-31",
                     "per-day: the quote states a rate per day but the row is kept per month",
                     "since: the quote counts since the invasion but the period starts 2023-01-01"]


def test_low_confidence_claims_that_set_a_headline(with_claims):
    claims = with_claims(claim_row("weak", "3000000", confidence="low"), claim_row("strong", "2000000"))
    headline = pd.DataFrame({"estimate": ["shells_produced / RU 2024"], "central_ids": [("strong", "weak")]})
    assert messages(integrity.low_confidence_centrals(claims, headline)) == [
        "weak: confidence low, yet it sets the central value of shells_produced / RU 2024"]


def test_a_rate_that_implies_more_than_the_total(with_rates):
    claims = with_rates(
        claim_row("total", "300000", metric="casualties_killed_wounded", start="2022-02-24", end="2025-05-03",
                  unit="persons", source="beta-2024"),
        claim_row("too-fast", "100000", metric="casualties_killed_wounded_rate", start="2025-01-01", end="2025-04-30",
                  unit="persons/month", source="beta-2024"),
        claim_row("fine", "20000", metric="casualties_killed_wounded_rate", start="2025-01-01", end="2025-04-30",
                  unit="persons/month", source="beta-2024"))
    found = messages(integrity.rates_beyond_totals(claims))
    assert len(found) == 1 and found[0].startswith("too-fast: 100,000 persons/month over 120 days is 394,251")


def test_outliers_are_three_times_off_the_median(with_claims):
    claims = with_claims(claim_row("a", "1000000"), claim_row("b", "1100000"), claim_row("c", "1200000"),
                         claim_row("far", "5000000"), claim_row("eu", "9000000", actor="EU"))
    assert messages(integrity.outliers(claims)) == [
        "far: 4.3x the median of the 4 claims for shells_produced / RU in 2024 (1,150,000 rounds/year)"]


def test_a_count_within_three_percent_of_the_ukrainian_series_is_asked_whether_it_relays_it(with_claims):
    claims = with_claims(
        claim_row("close", "605000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="Estonian intelligence"),
        claim_row("marked", "605000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="Estonian intelligence", scope="relays the Ukrainian General Staff count"),
        claim_row("own", "700000", metric="casualties_killed_wounded", start="2022-02-24", end="2024-11-10",
                  unit="persons", claimant="CIA"))
    series = pd.Series([600_000.0, 612_000.0], index=pd.DatetimeIndex(["2024-10-31", "2024-11-10"]))
    found = messages(integrity.unmarked_ua_relays(claims, series))
    assert found == ["close: within 3% of the Ukrainian General Staff's series (its total on 2024-11-10: 612,000): "
                     "if it relays that count, say so in scope"]


def test_a_peak_on_a_row_that_stands_for_the_level(with_claims):
    claims = with_claims(
        claim_row("peak", "3000000", quote="output briefly reached 3 million a year"),
        claim_row("bounded", "3000000", quote="output briefly reached 3 million a year, the ministry said", bound="up_to"),
        claim_row("plain", "3000000", quote="output was 3 million a year"))
    assert messages(integrity.peaks_as_levels(claims)) == [
        "peak: the quote describes a peak ('briefly'), yet the row stands for the level of its period: use up_to, "
        "or a one-day period, or say so"]


def test_a_plan_on_an_observed_metric(with_claims):
    claims = with_claims(
        claim_row("plan", "3000000", quote="Russia aims to produce 3 million a year"),
        claim_row("forecast", "3000000", quote="Russia is expected to make 3 million", forecast="yes",
                  start="2025-01-01", end="2025-12-31"),
        claim_row("made", "3000000", quote="Russia made 3 million"))
    assert messages(integrity.plans_as_observations(claims)) == [
        "plan: the quote speaks of 'aims to' but 'shells_produced' is observed: move it to the capacity or target "
        "metric, or mark it forecast"]


def test_an_unattributed_repeat_of_an_attributed_number(with_claims):
    claims = with_claims(
        claim_row("owner", "3000000", claimant="NATO official"),
        claim_row("copy", "3000000", claimant="unattributed", end="2024-12-20"),
        claim_row("other", "2000000", claimant="unattributed"))
    assert messages(integrity.unattributed_repeats(claims)) == [
        "copy: unattributed, yet row 'owner' (NATO official) states the same number: credit who said it, and share a "
        "statement key"]


def test_a_western_statement_only_through_russian_state_media(data_dir, with_claims):
    with (data_dir / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("tass-2024,TASS,Shells,https://tass.example/t,2025-03-01,2026-11-28,relay,Financial Times,,2025-03-01,\n")
    claims = with_claims(
        claim_row("western", "3000000", claimant="EU Defence Commissioner (to the FT)", source="tass-2024"),
        claim_row("russian", "3000000", claimant="Russian Defence Minister Belousov", source="tass-2024",
                  quote="three million, the minister said"),
        claim_row("elsewhere", "3000000", claimant="EU Defence Commissioner (to the FT)"))
    assert messages(integrity.western_words_via_russian_state_media(claims)) == [
        "western: 'EU Defence Commissioner (to the FT)' reaches us only through 'TASS': link a copy outside Russian "
        "state media"]


def test_a_finding_a_curator_looked_at_is_marked_by_its_notes(with_claims):
    claims = with_claims(
        claim_row("kept", "3000000", quote="Russia aims to produce 3 million a year",
                  notes="Audit 2026-12: plan-as-observation looked at: the aim was met, the number is the output"),
        claim_row("open", "3000000", quote="Russia plans to make 3 million a year", notes="another check looked at"))
    found = [replace(p, code="plan-as-observation") for p in integrity.plans_as_observations(claims)]
    assert [integrity.reviewed(p, claims) for p in found] == [True, False]


def test_a_person_the_quote_has_speaking_who_is_not_the_claimant(with_claims):
    claims = with_claims(
        claim_row("other", "3000000", claimant="Analyst", quote="Russia made 3 million shells, Mark Rutte said"),
        claim_row("spelled", "3000000", claimant="President Zelenskyy", quote="3 million, Volodymyr Zelensky said"),
        claim_row("body", "3000000", claimant="Analyst", quote="3 million, The Ministry said"))
    assert messages(integrity.speakers_not_claimants(claims)) == [
        "other: the quote has Rutte speaking, the claimant is 'Analyst': credit who said it"]


def test_notes_that_contradict_the_columns(with_claims):
    claims = with_claims(
        claim_row("partial", "3000000", notes="one plant, marked partial", coverage="full"),
        claim_row("moved", "3000000", notes="start 2023-06-01 per the quote"),
        claim_row("agrees", "3000000", notes="one plant, marked partial; start 2024-01-01", coverage="partial"))
    assert sorted(messages(integrity.notes_against_columns(claims))) == [
        "moved: the notes give period_start 2023-06-01 but the row has 2024-01-01",
        "partial: the notes say 'marked partial' but coverage is full"]


def test_a_total_since_launch_against_the_calendar_years(with_claims):
    years = [claim_row("y-2024", "1500000", actor="RU"),
             claim_row("y-2025", "2000000", actor="RU", start="2025-01-01", end="2025-12-31",
                       reported="2026-01-05")]
    since_launch = dict(actor="RU", start="2024-01-01", end="2026-01-10", unit="rounds", bound="at_least",
                        reported="2026-01-12")
    claims = with_claims(*years, claim_row("more", "4000000", **since_launch),
                         claim_row("fits", "3400000", **since_launch))
    assert messages(integrity.launch_totals_against_years(claims)) == [
        "more: 4,000,000 from 2024-01-01 to 2026-01-10, but the calendar-year claims for 2024-2025 add up to "
        "3,500,000: check the period or the years"]


def test_a_rate_spread_over_the_month_its_source_is_dated_to(with_claims):
    month = dict(start="2025-07-01", end="2025-07-31", unit="rounds/month", source="beta-2024")  # beta-2024: "2025-07"
    claims = with_claims(claim_row("spread", "250000", **month),
                         claim_row("said", "250000", **{**month, "start": "2025-07-12", "end": "2025-07-12"},
                                   reported="2025-07-12"),
                         claim_row("total", "3000000", source="beta-2024"))
    assert messages(integrity.month_spread_rates(claims)) == [
        "spread: a rate over 2025-07-01 to 2025-07-31, up to the end of July 2025, the month its source is dated to, "
        "with no day said: a rate said on one day covers that day; give the day in `reported`, or say why the period"]
