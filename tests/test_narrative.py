import math

from sustainment import narrative


def test_formats():
    assert narrative.count(3_000_000) == "3.0 million" and narrative.count(30_000) == "30,000"
    assert narrative.count(math.nan) == "n/a"
    assert narrative.span(2e6, 4.5e6) == "2.0 million to 4.5 million" and narrative.span(5, 5.2) == "5"
    assert narrative.times(2.54) == "2.5x" and narrative.share(0.253) == "25%"
    assert narrative.signed(-12_300_000) == "-12.3 million" and narrative.signed(7168.75) == "+7,169"


def test_by_unit():
    assert narrative.by_unit(2.54, "ratio") == "2.5x" and narrative.by_unit(0.48, "share") == "48%"
    assert narrative.by_unit(35_000, "persons/month") == "35,000"
    assert narrative.span_by_unit(2.0, 3.2, "ratio") == "2.0x to 3.2x"
