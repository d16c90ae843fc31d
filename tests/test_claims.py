"""select / estimate on a small table with hand-computed answers, and the seed figures in data/."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import claim_row

from sustainment.claims import as_period, estimate, id_list, join_ids, load, select, source_line, split_ids
from sustainment.errors import NoClaimsError


@pytest.fixture
def claims(data_dir):
    return load(data_dir)


def test_values_are_also_in_canonical_units(claims):
    by_id = claims.set_index("id")
    assert by_id.at["ru-b", "canonical_value"] == pytest.approx(250_000 * 12)
    assert by_id.at["ru-b", "canonical_low"] == pytest.approx(200_000 * 12)
    # 91,000 persons over 2024-01-01..2024-03-31 (91 days) -> per month of 365.25/12 days
    assert by_id.at["ru-rec", "canonical_value"] == pytest.approx(91_000 / 91 * 365.25 / 12)
    assert by_id.at["ru-rec", "canonical_unit"] == "persons/month"


def test_select_filters(claims):
    assert set(select(claims, metric="shells_produced", actor="RU", period=2024)["id"]) == {"ru-a", "ru-b", "ru-c"}
    assert set(select(claims, claimant="analyst b")["id"]) == {"ru-b"}
    assert set(select(claims, side="west")["id"]) == {"eu-a"}
    assert set(select(claims, metric="shells_produced", min_confidence="medium", actor="RU")["id"]) == {"ru-a", "ru-b"}
    # alpha-2024 published 2025-03-01; ru-c was reported 2024-01-15; beta-2024 ("2025-07") counts from 2025-07-31
    assert set(select(claims, as_of="2024-02-01")["id"]) == {"ru-c"}
    assert "ru-b" not in set(select(claims, as_of="2025-07-30")["id"])
    assert "ru-b" in set(select(claims, as_of="2025-07-31")["id"])
    # cumulative counts are dated by their end; flows overlap
    assert set(select(claims, metric="casualties_killed_wounded", period="2024-10")["id"]) == {"ru-kw"}
    assert select(claims, metric="casualties_killed_wounded", period="2024-09").empty
    assert set(select(claims, metric="shells_produced", actor="RU", period="2024-08")["id"]) == {"ru-a", "ru-b"}


def test_estimate_central_is_median_and_range_is_envelope(claims):
    found = estimate(claims, "shells_produced", "RU", 2024)
    # values 3.0M, 3.0M (250k x 12), 2.0M -> median 3.0M; lows 3.0M, 2.4M, 2.0M; highs 3.0M, 3.6M, 2.0M
    assert (found.low, found.central, found.high) == (pytest.approx(2.0e6), pytest.approx(3.0e6), pytest.approx(3.6e6))
    assert set(found.claim_ids) == {"ru-a", "ru-b", "ru-c"} and found.unit == "rounds/year"
    assert found.source_ids == ("alpha-2024", "beta-2024")


def test_estimate_low_high_latest_source(claims):
    assert estimate(claims, "shells_produced", "RU", 2024, policy="low").central == pytest.approx(2.0e6)
    assert estimate(claims, "shells_produced", "RU", 2024, policy="high").central == pytest.approx(3.6e6)
    latest = estimate(claims, "shells_produced", "RU", 2024, policy="latest")
    assert latest.claim_ids == ("ru-b",)  # beta-2024 is the latest public (2024-07-31)
    assert (latest.low, latest.central, latest.high) == (pytest.approx(2.4e6), pytest.approx(3.0e6), pytest.approx(3.6e6))
    alpha = estimate(claims, "shells_produced", "RU", 2024, policy="source:alpha-2024")
    assert set(alpha.claim_ids) == {"ru-a", "ru-c"} and alpha.central == pytest.approx(2.5e6)


def test_estimate_refuses_nothing_and_bad_policy(claims):
    with pytest.raises(NoClaimsError, match="shells_produced / EU in 2019-01-01..2019-12-31"):
        estimate(claims, "shells_produced", "EU", 2019)
    with pytest.raises(ValueError, match="policy"):
        estimate(claims, "shells_produced", "RU", 2024, policy="mean")
    with pytest.raises(NoClaimsError, match="under policy"):
        estimate(claims, "shells_produced", "RU", 2024, policy="source:nobody")


def test_as_period():
    ts = pd.Timestamp
    assert as_period(2024) == (ts("2024-01-01"), ts("2024-12-31"))
    assert as_period("2024-02") == (ts("2024-02-01"), ts("2024-02-29"))
    assert as_period("2024-10-28") == (ts("2024-10-28"), ts("2024-10-28"))
    assert as_period((2023, "2024-06")) == (ts("2023-01-01"), ts("2024-06-30"))
    with pytest.raises(ValueError, match="period"):
        as_period("last year")


def test_source_line(claims):
    assert source_line(claims, ["beta-2024", "alpha-2024"]) == "Alpha News (2025); Gamma Wire (2025)"
    # ordered by the claims each contributes: beta-2024 (credited to Gamma Wire) gives ru-b and ru-rec, alpha one
    assert source_line(claims, ["beta-2024", "alpha-2024"], ["ru-b", "ru-rec", "ru-a"]) == "Gamma Wire (2025); Alpha News (2025)"
    assert source_line(claims, ["beta-2024", "alpha-2024"], ["ru-b"], most=1) == "Gamma Wire (2025); +1 more"


# --- the project's data: the seed article's figures are all there ------------------------------

@pytest.fixture(scope="module")
def project():
    return load()


def one(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) >= 1, "expected a claim"
    return frame.iloc[0]


def test_seed_600k_killed_or_wounded(project):
    row = one(select(project, metric="casualties_killed_wounded", actor="RU", period="2024-10-28",
                             claimant="Rutte"))
    assert row["value"] == 600_000 and row["confidence"] == "high"


def test_seed_eu_one_million_and_russia_three_times(project):
    eu = one(select(project, metric="shells_produced", actor="EU", period=2024, claimant="European Union"))
    assert eu["canonical_value"] == 1_000_000
    ratio = one(select(project, metric="shells_production_ratio_vs_eu", actor="RU", period=2024))
    assert ratio["value"] == 3 and "North Korea" in ratio["quote"] and "Iran" in ratio["quote"]


def test_seed_30k_recruits_and_north_korean_troops(project):
    recruits = one(select(project, metric="recruits", actor="RU", claimant="NATO", period="2024-10"))
    assert recruits["canonical_value"] == 30_000
    troops = select(project, metric="troops_deployed", actor="NK", period=("2024-10", "2024-11"))
    assert troops["scope"].str.contains("Kursk").all() and troops["value"].min() >= 10_000


def test_ukrainian_general_staff_month_ends_are_attributed(project):
    ua = select(project, metric="casualties_killed_wounded_claimed_ua", source_id="ua-general-staff-daily-losses")
    assert len(ua) >= 50 and ua["claimant"].eq("General Staff of the Armed Forces of Ukraine").all()
    assert ua["canonical_value"].is_monotonic_increasing


def test_russian_shell_production_2024_in_one_call(project):
    answer = select(project, metric="shells_produced", actor="RU", period=2024)
    assert answer["claimant"].nunique() >= 3 and answer["canonical_value"].max() >= 4_000_000


def test_id_list_flattens_nested_ids_and_refuses_joined_ones():
    assert id_list("b", ["c", ("a", "d", "")], pd.Series([("e",), float("nan")]), ()) == ["a", "b", "c", "d", "e"]
    with pytest.raises(ValueError, match="joined claim ids 'a;b'"):
        id_list(["c", "a;b"])


def test_ids_are_joined_where_written_and_split_where_read():
    assert join_ids(("a", "b")) == "a;b" and split_ids(join_ids(("a", "b"))) == ("a", "b")
    assert split_ids("") == () and join_ids(()) == ""


# --- claim semantics: statements, bounds, coverage ---------------------------------------------

def test_a_statement_counts_once(with_claims):
    claims = with_claims(
        claim_row("monthly", "250000", unit="rounds/month", bound="approx", statement="cnn-2024-03-11-output"),
        claim_row("yearly", "3000000", bound="approx", statement="cnn-2024-03-11-output"),
        claim_row("other", "4500000"))
    found = estimate(claims, "shells_produced", "RU", 2024)
    # two claims, not three: the median of 3.0M and 4.5M, not of 3.0M, 3.0M and 4.5M
    assert found.central == pytest.approx(3.75e6) and (found.low, found.high) == (pytest.approx(3e6), pytest.approx(4.5e6))
    assert len(found.repeat_ids) == 1 and set(found.central_ids) | set(found.repeat_ids) == {"monthly", "yearly", "other"}


def test_an_upper_bound_above_the_points_widens_only_the_high_end(with_claims):
    claims = with_claims(claim_row("a", "3000000"), claim_row("b", "4000000"),
                         claim_row("cap", "6000000", bound="up_to"))
    found = estimate(claims, "shells_produced", "RU", 2024)
    assert (found.low, found.central, found.high) == (pytest.approx(3e6), pytest.approx(3.5e6), pytest.approx(6e6))
    assert found.central_ids == ("a", "b") and found.bound_ids == ("cap",) and found.basis == "claims"


def test_a_lower_bound_below_the_points_widens_only_the_low_end(with_claims):
    claims = with_claims(claim_row("a", "3000000"), claim_row("floor", "1000000", bound="at_least"))
    found = estimate(claims, "shells_produced", "RU", 2024)
    assert (found.low, found.central, found.high) == (pytest.approx(1e6), pytest.approx(3e6), pytest.approx(3e6))


def test_only_bounds_say_so(with_claims):
    caps = with_claims(claim_row("container", "1750000", low="500000", high="3000000", bound="up_to"),
                       claim_row("cap", "4800000", bound="up_to"))
    found = estimate(caps, "shells_produced", "RU", 2024)
    # caps 3.0M (the container statement's high end) and 4.8M: nothing below them was claimed
    assert found.basis == "upper bounds only" and found.bounded_only and found.central_ids == ()
    assert (found.low, found.central, found.high) == (0.0, pytest.approx(3.9e6), pytest.approx(4.8e6))
    floors = with_claims(claim_row("f1", "300000", bound="at_least"), claim_row("f2", "400000", bound="at_least"))
    found = estimate(floors, "shells_produced", "RU", 2024)
    assert found.basis == "lower bounds only"
    assert (found.low, found.central, found.high) == (pytest.approx(3e5), pytest.approx(3.5e5), pytest.approx(4e5))


def test_a_part_never_stands_for_the_whole(with_claims):
    claims = with_claims(claim_row("calibre", "2000000", coverage="partial", scope="152mm only"),
                         claim_row("a", "3000000"), claim_row("b", "4500000"))
    found = estimate(claims, "shells_produced", "RU", 2024)
    assert found.central == pytest.approx(3.75e6) and found.low == pytest.approx(2e6) and found.bound_ids == ("calibre",)
    alone = with_claims(claim_row("calibre", "2000000", coverage="partial", scope="152mm only"))
    assert estimate(alone, "shells_produced", "RU", 2024).basis == "lower bounds only"
    cap_on_part = with_claims(claim_row("plant", "350000", coverage="partial", bound="up_to", scope="one plant"))
    with pytest.raises(NoClaimsError, match="only caps on a part"):
        estimate(cap_on_part, "shells_produced", "RU", 2024)


def test_latest_prefers_a_claim_that_states_the_quantity(with_claims):
    claims = with_claims(claim_row("old", "3000000", source="alpha-2024"),
                         claim_row("newer-cap", "5000000", source="beta-2024", bound="up_to"))
    assert estimate(claims, "shells_produced", "RU", 2024, policy="latest").central_ids == ("old",)


def test_a_forecast_sets_the_central_value_only_where_nothing_was_observed(with_claims):
    claims = with_claims(claim_row("observed", "3000000", end="2024-03-11"),
                         claim_row("projected", "4500000", forecast="yes"))
    found = estimate(claims, "shells_produced", "RU", 2024)
    assert (found.low, found.central, found.high) == (pytest.approx(3e6), pytest.approx(3e6), pytest.approx(4.5e6))
    assert found.central_ids == ("observed",) and found.bound_ids == ("projected",)
    alone = with_claims(claim_row("projected", "4500000", forecast="yes"))
    assert estimate(alone, "shells_produced", "RU", 2024).central_ids == ("projected",)
