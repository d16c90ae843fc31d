"""Every bad case named in the foundation issue is caught, with file, line, row id and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIMS, SOURCES, claim_row, write_csv

from sustainment.claims import load
from sustainment.errors import DataError


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(data_dir)
    prefix = f"{data_dir.parent}/"  # messages name files relative to the project, else absolute
    return [str(p).removeprefix(prefix) for p in caught.value.problems]


def edit(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    edited = [list(r) for r in rows]
    edited[row][rows[0].index(column)] = value
    return edited


def test_the_fixture_is_valid(data_dir):
    assert len(load(data_dir)) == len(CLAIMS) - 1


@pytest.mark.parametrize("column, value, expected", [
    ("value", "three million", "data/claims.csv:2: row 'ru-a' column 'value': not a number: 'three million'"),
    ("value", "", "data/claims.csv:2: row 'ru-a' column 'value': missing value"),
    ("low", "4000000", "data/claims.csv:2: row 'ru-a' column 'low': low is above value"),
    ("high", "10", "data/claims.csv:2: row 'ru-a' column 'high': value is above high"),
    ("value", "-5", "data/claims.csv:2: row 'ru-a' column 'value': negative value -5.0"),
    ("period_end", "2023-12-31", "data/claims.csv:2: row 'ru-a' column 'period_end': period_end is before period_start"),
    ("period_start", "2024-13-01", "data/claims.csv:2: row 'ru-a' column 'period_start': bad date '2024-13-01'"),
    ("metric", "shells_imagined", "data/claims.csv:2: row 'ru-a' column 'metric': unknown value 'shells_imagined'"),
    ("actor", "XX", "data/claims.csv:2: row 'ru-a' column 'actor': unknown value 'XX'"),
    ("unit", "bananas/year", "data/claims.csv:2: row 'ru-a' column 'unit': unknown unit"),
    ("unit", "persons/year", "data/claims.csv:2: row 'ru-a' column 'unit': unit does not convert to the metric's unit"),
    ("source_id", "nobody-2024", "data/claims.csv:2: row 'ru-a' column 'source_id': unknown value 'nobody-2024'"),
    ("id", "ru-b", "data/claims.csv:2: row 'ru-b' column 'id': duplicate id 'ru-b'"),
    ("quote", "", "data/claims.csv:2: row 'ru-a' column 'quote': missing text"),
    ("confidence", "certain", "data/claims.csv:2: row 'ru-a' column 'confidence': unknown value 'certain'"),
])
def test_bad_figure_cells_are_named(data_dir, column, value, expected):
    write_csv(data_dir / "claims.csv", edit(CLAIMS, 1, column, value))
    found = problems(data_dir)
    assert any(line.startswith(expected) for line in found), found


def test_every_problem_is_reported_not_just_the_first(data_dir):
    rows = edit(edit(CLAIMS, 1, "value", "abc"), 3, "actor", "XX")
    write_csv(data_dir / "claims.csv", rows)
    found = problems(data_dir)
    assert len(found) == 2
    assert found[0].startswith("data/claims.csv:2:") and found[1].startswith("data/claims.csv:4:")


def test_source_without_url_and_bad_date(data_dir):
    write_csv(data_dir / "sources.csv", edit(edit(SOURCES, 1, "url", ""), 2, "published", "July 2024"))
    found = problems(data_dir)
    assert any("sources.csv:2: row 'alpha-2024' column 'url': missing text" in f for f in found), found
    assert any("sources.csv:3: row 'beta-2024' column 'published': bad date 'July 2024'" in f for f in found), found


def test_missing_column(data_dir):
    write_csv(data_dir / "claims.csv", [row[:-2] for row in CLAIMS])
    assert problems(data_dir) == ["data/claims.csv:1: column 'forecast': missing column"]


def test_empty_file(data_dir):
    (data_dir / "claims.csv").write_text("")
    assert problems(data_dir) == ["data/claims.csv:1: empty file: expected a header line"]


def test_file_not_utf8(data_dir):
    text = (data_dir / "claims.csv").read_text(encoding="utf-8").replace("Analyst B", "Analyst é")
    (data_dir / "claims.csv").write_bytes(text.encode("latin-1"))
    assert problems(data_dir) == ["data/claims.csv:3: not UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_wrong_number_of_fields(data_dir):
    write_csv(data_dir / "claims.csv", CLAIMS[:2] + [CLAIMS[2][:-3]] + CLAIMS[3:])
    assert problems(data_dir) == ["data/claims.csv:3: row 'ru-b': expected 21 fields, found 18"]


def test_duplicate_across_files(data_dir):
    write_csv(data_dir / "claims_extra.csv", [CLAIMS[0], CLAIMS[1]])
    found = problems(data_dir)
    assert any(f.startswith("data/claims_extra.csv:2: row 'ru-a' column 'id': duplicate id") for f in found), found


def test_line_numbers_survive_multiline_quotes(data_dir):
    write_csv(data_dir / "claims.csv", edit(edit(CLAIMS, 1, "notes", "two\nlines"), 2, "value", "x"))
    assert problems(data_dir) == ["data/claims.csv:4: row 'ru-b' column 'value': not a number: 'x'"]


def test_the_project_data_validates():
    claims = load()
    assert len(claims) >= 80 and claims["source_id"].nunique() >= 20
    assert claims["url"].str.startswith("http").all() and claims["quote"].str.len().gt(0).all()


# --- hard integrity checks: refused by validate --------------------------------------------------

def integrity(with_claims, *rows) -> list[str]:
    with pytest.raises(DataError) as caught:
        with_claims(*rows)
    return [p.message for p in caught.value.problems]


def test_a_statement_entered_twice_needs_one_key(with_claims):
    twice = [claim_row("a", "250000", unit="rounds/month", quote="close to 250,000 a month"),
             claim_row("b", "3000000", quote="close to 250,000 a month")]  # same value in canonical units
    assert any("repeats row 'a'" in m for m in integrity(with_claims, *twice))
    twice = [row[:18] + ["cnn-2024-03-11", "", "unstated"] for row in twice]
    assert len(with_claims(*twice)) == 2
    other_numbers = [claim_row("c", "12000000", quote="12 million in 2022 and 7 million in 2023"),
                     claim_row("d", "7000000", quote="12 million in 2022 and 7 million in 2023")]
    assert len(with_claims(*other_numbers)) == 2  # different numbers of one sentence are different claims


@pytest.mark.parametrize("quote, bound, refused", [
    ("could contain as many as 4.8 million shells", "", True),
    ("Russia fires up to 4.8 million a year", "point", True),
    ("at least 4.8 million rounds", "approx", True),
    ("over 4,800,000 rounds", "", True),
    ("could contain as many as 4.8 million shells", "up_to", False),
    ("Ukraine is unable to fire more than 4.8 million", "up_to", False),  # the curator read the negation
    ("about 4.8 million, but up to 6 million", "approx", False),  # the bound word is on another number
    ("more than double the 4.8 million of last year", "", False),
])
def test_a_bound_in_the_quote_must_be_in_the_row(with_claims, quote, bound, refused):
    row = claim_row("a", "4800000", quote=quote, bound=bound)
    if refused:
        assert any("the quote says" in m for m in integrity(with_claims, row))
    else:
        assert len(with_claims(row)) == 1


def test_an_observed_claim_cannot_end_after_it_was_said(with_claims):
    # alpha-2024 was published 2025-03-01
    late = claim_row("a", "3000000", start="2025-01-01", end="2025-12-31")
    assert any("after it was public (2025-03-01)" in m for m in integrity(with_claims, late))
    said_earlier = claim_row("b", "3000000", end="2024-12-31", reported="2024-06-01")
    assert any("after it was public (2024-06-01)" in m for m in integrity(with_claims, said_earlier))
    forecast = claim_row("c", "3000000", start="2025-01-01", end="2025-12-31", forecast="yes")
    run_rate = claim_row("d", "250000", start="2025-03-01", end="2025-03-01", unit="rounds/month")
    assert len(with_claims(forecast, run_rate)) == 2


def test_a_range_needs_both_ends(with_claims):
    assert any("needs both low and high" in m for m in integrity(with_claims, claim_row("a", "3000000", low="2000000",
                                                                                        bound="range")))
    assert any("unknown value 'roughly'" in m for m in integrity(with_claims, claim_row("a", "3000000", bound="roughly")))


def test_a_relay_must_name_its_original_publisher(data_dir):
    rows = edit(SOURCES, 2, "original_publisher", "")  # beta-2024 is a relay
    write_csv(data_dir / "sources.csv", rows)
    expected = "data/sources.csv:3: row 'beta-2024' column 'original_publisher': a relay must name its original publisher"
    assert expected in problems(data_dir)
    write_csv(data_dir / "sources.csv", edit(SOURCES, 2, "kind", "repost"))
    assert any("column 'kind': unknown value 'repost'" in p for p in problems(data_dir))


@pytest.mark.parametrize("column, value, expected", [
    ("value", "inf", "column 'value': not a finite number: 'inf'"),
    ("high", "-inf", "column 'high': not a finite number: '-inf'"),
    ("unit", "10**10**10 rounds", "column 'unit': unknown unit"),
    ("unit", "rounds/year/0", "column 'unit': unknown unit"),
    ("value", "1,5", "column 'value': not a number: '1,5' (commas only between groups of three digits)"),
    ("value", ",,1,,", "column 'value': not a number"),
    ("value", "1e308", "column 'value': '1e308' is beyond 1e+12"),
])
def test_numbers_are_finite_and_units_cannot_hang(data_dir, column, value, expected):
    write_csv(data_dir / "claims.csv", edit(CLAIMS, 1, column, value))
    assert any(expected in p for p in problems(data_dir)), problems(data_dir)


def test_thousands_separators_read_as_thousands(data_dir):
    write_csv(data_dir / "claims.csv", edit(CLAIMS, 1, "value", "1,000,000"))
    assert load(data_dir).set_index("id").at[CLAIMS[1][0], "value"] == 1_000_000


def test_a_problem_across_columns_is_one_line(data_dir):
    write_csv(data_dir / "claims.csv", edit(CLAIMS, 2, "low", "900000"))  # ru-b: low above value
    assert problems(data_dir) == ["data/claims.csv:3: row 'ru-b' column 'low': low is above value"]


def test_a_bom_and_crlf_in_sources_are_read(data_dir):
    text = (data_dir / "sources.csv").read_text(encoding="utf-8").replace("\n", "\r\n")
    (data_dir / "sources.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(load(data_dir)) == len(CLAIMS) - 1
    from sustainment.claims.scenarios import source_ids

    assert source_ids(data_dir / "sources.csv") == {"alpha-2024", "beta-2024"}


def test_a_repeated_header_is_one_line(data_dir):
    rows = [CLAIMS[0] + ["notes"]] + [row + [""] for row in CLAIMS[1:]]
    write_csv(data_dir / "claims.csv", rows)
    assert problems(data_dir) == ["data/claims.csv:1: repeated column(s) 'notes' in the header"]


def test_validate_never_crashes_or_hangs_on_generated_rows(data_dir):
    """Fuzz: any text in any cell of a row gives problems in lines, never a traceback, fast."""
    import time

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from sustainment import claims as claims_module

    cell = st.one_of(st.text(max_size=40), st.sampled_from(["", "inf", "nan", "-1", "1e308", "10**10**10 rounds",
                                                            "2024-02-30", "rounds/year", "up to 3 million"]))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(cell, min_size=len(CLAIMS[0]) - 3, max_size=len(CLAIMS[0]) + 2))
    def check(cells):
        write_csv(data_dir / "claims.csv", [CLAIMS[0], cells])
        claims_module._load.cache_clear()
        started = time.perf_counter()
        try:
            claims_module.load(data_dir)
        except DataError as err:
            assert err.problems and all(str(p).count("\n") == 0 for p in err.problems)
        assert time.perf_counter() - started < 1.0

    check()


def test_a_range_states_its_midpoint_and_a_central_figure_with_an_interval_is_approx(with_claims):
    # ru-deaths-estimated-2023-05-27 was "47,000" as a range 40,000-55,000 (midpoint 47,500)
    off = claim_row("a", "47000", low="40000", high="55000", bound="range")
    assert any("not the midpoint 47500" in m for m in integrity(with_claims, off))
    assert len(with_claims(claim_row("a", "47500", low="40000", high="55000", bound="range"),
                           claim_row("b", "47000", low="40000", high="55000", bound="approx"))) == 2


@pytest.mark.parametrize("second, why", [
    (dict(value="366000", quote="over 1,000 a day"), "another number"),  # Medvedev: 450,000 and 'over 1,000 a day'
    (dict(start="2024-07-01", end="2024-09-30"), "another period"),  # Kluge: Q2 and Q3 from one sentence
    (dict(metric="recruits", unit="persons", value="403000"), "another unit"),  # a plan and a count of one sentence
])
def test_rows_sharing_a_statement_key_say_one_number_for_one_period(with_claims, second, why):
    first = claim_row("a", "450000", unit="rounds", start="2024-04-01", end="2024-06-30", statement="one-speech")
    fields = {"unit": "rounds", "start": "2024-04-01", "end": "2024-06-30", "statement": "one-speech", "value": "450000",
              **second}
    other = claim_row("b", fields.pop("value"), **fields)
    assert any(f"shares statement 'one-speech' with row 'a' but states {why}" in m for m in integrity(with_claims, first, other))


def test_one_statement_relayed_twice_keeps_its_key(with_claims):
    once = claim_row("a", "250000", unit="rounds/month", statement="one-speech", quote="close to 250,000 a month")
    relay = claim_row("b", "3000000", statement="one-speech", quote="some 3 million a year", source="beta-2024")
    assert len(with_claims(once, relay)) == 2  # the same number in canonical units, the same period
