"""What an ammunition claim counts: a claim on another basis than the estimate's is a cap (wider),
a floor (narrower) or converted by a sourced breakdown; hand-computed answers on small tables."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import claim_row

from sustainment.claims import estimate
from sustainment.claims.munitions import breakdowns, relation
from sustainment.errors import DataError


def test_relation_orders_the_bases_by_what_they_count():
    bases = pd.Series(["tube", "152-155mm", "all", "tube+mortars", "unstated"])
    assert relation(bases, "tube").tolist() == ["same", "narrower", "wider", "wider", "same"]
    assert relation(pd.Series(["tube+rockets"]), "tube+mortars").tolist() == ["other"]


def test_a_wider_claim_is_a_cap_and_a_narrower_one_a_floor(with_claims):
    claims = with_claims(claim_row("tube", "3000000", munitions="tube"),
                         claim_row("all", "5000000", source="beta-2024", munitions="all"),
                         claim_row("155", "2000000", munitions="152-155mm"),
                         claim_row("all-floor", "4000000", source="beta-2024", bound="at_least", munitions="all"))
    found = estimate(claims, "shells_produced", "RU", 2024, munitions="tube")
    assert (found.low, found.central, found.high) == (2_000_000, 3_000_000, 5_000_000)
    assert found.central_ids == ("tube",)
    assert dict(found.munitions_read) == {"all": "cap", "155": "floor", "all-floor": "unused"}
    assert "all-floor" not in found.claim_ids  # "at least" so many of all types bounds no part
    plain = estimate(claims, "shells_produced", "RU", 2024)  # without a basis every claim counts as stated
    assert plain.central_ids == ("155", "all", "tube")


def test_a_sourced_breakdown_converts_the_wider_claims_of_its_actor(with_claims):
    # One source: 3.4M tube shells of 7M projectiles in 2025 (share 0.4857); another: 4.5M projectiles in 2024.
    said = {"start": "2025-01-01", "end": "2025-12-31", "reported": "2026-02-01"}
    claims = with_claims(claim_row("p25", "7000000", **said, munitions="all"),
                         claim_row("t25", "3400000", **said, munitions="tube"),
                         claim_row("p24", "4500000", source="beta-2024", munitions="all"))
    shares = breakdowns(claims, "tube")
    assert shares[["part_id", "whole_id"]].values.tolist() == [["t25", "p25"]]
    assert shares["share"].iloc[0] == pytest.approx(3.4 / 7)
    y2024 = estimate(claims, "shells_produced", "RU", 2024, munitions="tube")
    assert y2024.central == pytest.approx(4_500_000 * 3.4 / 7)  # 2.19M
    assert y2024.basis == "claims" and dict(y2024.munitions_read) == {"p24": "converted"}
    y2025 = estimate(claims, "shells_produced", "RU", 2025, munitions="tube")
    assert (y2025.low, y2025.central, y2025.high) == (3_400_000, 3_400_000, 3_400_000)  # the whole adds nothing
    known_then = estimate(claims, "shells_produced", "RU", 2024, munitions="tube", as_of="2025-12-31")
    assert known_then.basis == "upper bounds only"  # the breakdown was not public yet: p24 is a cap


def test_only_floors_say_so(with_claims):
    claims = with_claims(claim_row("155a", "480000", munitions="152-155mm"),
                         claim_row("155b", "500000", munitions="152-155mm"))
    found = estimate(claims, "shells_produced", "RU", 2024, munitions="tube")
    assert found.basis == "lower bounds only" and found.low == 480_000


def test_an_ammunition_claim_must_say_what_it_counts(with_claims):
    with pytest.raises(DataError) as refused:
        with_claims(claim_row("blank", "1000", munitions=""))
    assert "column 'munitions'" in str(refused.value) and "[munitions-basis]" in str(refused.value)
    with pytest.raises(DataError, match="column 'munitions'"):
        with_claims(claim_row("odd", "1000", munitions="howitzers"))
    with pytest.raises(DataError, match="does not count rounds"):
        with_claims(claim_row("kw", "1000", metric="recruits", unit="persons/month", munitions="tube"))
