"""Totals over several years split into the years they span: by the years' own claims, by a
year-on-year claim, the rest at one rate, or only caps when nothing shapes them (hand-computed)."""

from __future__ import annotations

import pytest
from conftest import claim_row, write_csv

from sustainment.models.shapes import pieces, split_totals

SAID = {"reported": "2025-11-14"}
TOTAL = claim_row("total", "6500000", start="2023-08-01", end="2025-11-14", unit="rounds", bound="approx", **SAID)
YEAR_2024 = claim_row("y24", "3000000", start="2024-10-04", end="2024-10-04", bound="approx")
HALVED = claim_row("halved", "0.5", metric="shells_produced_year_on_year", start="2025-01-01", end="2025-11-14",
                   unit="ratio", bound="up_to", **SAID)
DAYS = {2023: 153, 2024: 366, 2025: 318}


@pytest.fixture
def shaped(data_dir, with_claims):
    from conftest import METRICS
    write_csv(data_dir / "metrics.csv", [*METRICS, ["shells_produced_year_on_year", "stock", "observed", "ratio",
                                                    "A year's output as a multiple of the year before's"]])

    def split(*rows):
        return split_totals(with_claims(*rows), "shells_produced", "RU", munitions="tube")

    return split


def test_pieces_are_the_calendar_years_of_a_period():
    import pandas as pd
    parts = pieces(pd.Timestamp("2023-08-01"), pd.Timestamp("2025-11-14"))
    assert [(y, (e - s).days + 1) for y, s, e in parts] == list(DAYS.items())


def test_a_stated_year_and_a_year_on_year_claim_shape_the_total(shaped):
    synthetic, splits = shaped(TOTAL, YEAR_2024, HALVED)
    by_year = splits.set_index("year")
    assert by_year.loc[2024, "how"] == "stated by the year's own claims"
    assert 2024 not in set(synthetic["period_end"].dt.year)  # the year's own claims stand
    y2025 = by_year.loc[2025]
    assert (y2025["low"], y2025["central"], y2025["high"], y2025["bound"]) == (0, 1_500_000, 1_500_000, "up_to")
    taken = 3e6 * 366 / 365.25
    central = (6.5e6 - taken - 1.5e6 * 318 / 365.25) / 153 * 365.25  # 5.22M a year over Aug-Dec 2023
    assert by_year.loc[2023, "central"] == pytest.approx(central)
    assert by_year.loc[2023, "low"] == pytest.approx(central)  # the total has no range; the linked year's cap
    assert by_year.loc[2023, "high"] == pytest.approx((6.5e6 - taken) / 153 * 365.25)  # widens it one way
    assert sorted(synthetic["id"]) == ["total", "total"]


def test_without_a_link_the_open_years_share_the_rest_at_one_rate(shaped):
    _, splits = shaped(TOTAL, YEAR_2024)
    rest = (6.5e6 - 3e6 * 366 / 365.25) / (153 + 318) * 365.25  # 2.71M a year
    assert splits.set_index("year").loc[[2023, 2025], "central"].tolist() == pytest.approx([rest, rest])


def test_with_nothing_to_shape_it_a_total_only_caps_each_year(shaped):
    synthetic, splits = shaped(TOTAL, claim_row("other", "1", actor="EU"))
    assert (synthetic["bound"] == "up_to").all() and (splits["low"] == 0).all()
    assert splits.set_index("year")["high"].to_dict() == pytest.approx(
        {year: 6.5e6 / days * 365.25 for year, days in DAYS.items()})


def test_a_cap_over_several_years_bounds_the_total_not_a_year(shaped):
    synthetic, splits = shaped(claim_row("cap", "12000000", start="2023-08-01", end="2025-11-14", unit="rounds",
                                         bound="up_to", **SAID), YEAR_2024)
    assert synthetic.empty and set(splits["how"]) == {"bounds the total, not a year"}


def test_the_rest_over_a_sliver_of_the_period_sets_nothing(shaped):
    synthetic, splits = shaped(claim_row("since", "3700000", start="2024-02-17", end="2026-01-06", unit="rounds",
                                         bound="approx", reported="2026-01-06"),
                               claim_row("y24", "1500000", start="2024-01-01", end="2024-12-31", unit="rounds"),
                               claim_row("y25", "1800000", start="2025-01-01", end="2025-12-31", unit="rounds",
                                         reported="2026-01-06"))
    assert synthetic.empty  # six days of 2026 would otherwise carry 0.4M: 25M a year
    assert splits.set_index("year").loc[2026, "how"] == "too short a part to set from the rest"
