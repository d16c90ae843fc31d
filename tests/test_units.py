import pytest

from sustainment.claims import units
from sustainment.errors import UnitError


def test_rates_convert_on_pints_calendar():
    assert units.factor("rounds/month", "rounds/year") == pytest.approx(12)
    assert units.factor("persons/day", "persons/month") == pytest.approx(365.25 / 12)
    assert units.factor("persons/week", "persons/month") == pytest.approx(365.25 / 12 / 7)
    assert units.factor("rounds/hour", "rounds/day") == pytest.approx(24)


def test_project_units_are_defined_once_and_distinct():
    assert units.is_known("rounds") and units.is_known("persons") and units.is_known("containers")
    with pytest.raises(UnitError):
        units.factor("rounds/year", "persons/year")


def test_a_total_is_spread_over_its_period():
    factor, spread = units.conversion("rounds", "rounds/year")
    assert spread and factor == pytest.approx(365.25)
    assert 524_000 * factor / 366 == pytest.approx(524_000 * 365.25 / 366)
    assert units.conversion("rounds/month", "rounds/year") == (pytest.approx(12), False)


def test_unknown_and_incompatible_units_are_refused():
    assert not units.is_known("furlongs of shells")
    with pytest.raises(UnitError):
        units.conversion("persons/month", "rounds/year")
    with pytest.raises(UnitError):
        units.conversion("rounds/day", "rounds")


@pytest.mark.parametrize("unit", ["10**10**10 rounds", "rounds**99", "rounds^99", "__import__('os')", "1" * 8 + " rounds"])
def test_unit_expressions_that_pint_could_spend_minutes_on_are_refused_at_once(unit):
    import time

    started = time.perf_counter()
    assert not units.is_known(unit)
    assert time.perf_counter() - started < 1.0
