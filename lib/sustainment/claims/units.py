"""Units of the curated claims: parsing and conversion with pint, nothing else.

`round`, `person`, `container` and `RUB` are base units of their own dimensions, defined here
once. pint's calendar is used throughout: a year is 365.25 days, a month a twelfth of it
(30.4375 days), so "persons/day x 365.25/12" is exactly "persons/month".
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

from sustainment.errors import UnitError

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The project's unit registry (built once; building it costs ~0.5 s)."""
    ureg = pint.UnitRegistry()
    ureg.define("round = [ammunition] = rounds")
    ureg.define("person = [personnel] = persons")
    ureg.define("container = [shipping_container] = containers")
    ureg.define("RUB = [currency]")
    ureg.define("ratio = [] = ratios")
    return ureg


SAFE_UNIT = re.compile(r"[A-Za-z_ ()/*.0-9^-]{1,80}")
POWER = re.compile(r"(\*\*|\^)\s*(\S+?)(?=[\s*/()]|$)")


def _check_expression(unit: str) -> None:
    """Refuse, before pint evaluates anything, an expression it could spend minutes on: only
    names, *, /, parentheses and single-digit powers ('persons/day', 'm**2') are units here."""
    if not SAFE_UNIT.fullmatch(unit):
        raise UnitError(f"unknown unit {unit!r}: use names, '/', '*' and parentheses only")
    for _, exponent in POWER.findall(unit):
        if not re.fullmatch(r"-?\d", exponent):
            raise UnitError(f"unknown unit {unit!r}: powers must be a single digit")
    if re.search(r"\d{7,}", unit):
        raise UnitError(f"unknown unit {unit!r}: numbers in a unit must be short")


@lru_cache(maxsize=256)
def _parse(unit: str) -> pint.Unit:
    _check_expression(unit)
    try:
        return registry().parse_units(unit)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, ArithmeticError) as err:
        raise UnitError(f"unknown unit {unit!r}") from err


def is_known(unit: str) -> bool:
    """True when pint can parse `unit` with the project's definitions."""
    try:
        _parse(unit)
    except UnitError:
        return False
    return True


def is_rate(unit: str) -> bool:
    """True for a unit per unit of time (rounds/year, persons/day, ...)."""
    return _parse(unit).dimensionality.get("[time]", 0) == -1


@lru_cache(maxsize=256)
def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in `from_unit` to `to_unit` (same dimension)."""
    source, target = _parse(from_unit), _parse(to_unit)
    if source.dimensionality != target.dimensionality:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}")
    return float(registry().Quantity(1.0, source).to(target).magnitude)


def conversion(from_unit: str, to_unit: str) -> tuple[float, bool]:
    """How a value in `from_unit` becomes `to_unit`: (multiplier, spread_over_period).

    When `spread_over_period` is True the value is a total (rounds, persons) and the target a
    rate: multiply, then divide by the period's length in days. 524,000 rounds delivered over
    366 days -> 524,000 x conversion("rounds", "rounds/year")[0] / 366.
    Raises UnitError when neither a direct conversion nor a spread applies.
    """
    try:
        return factor(from_unit, to_unit), False
    except UnitError:
        if is_rate(to_unit) and not is_rate(from_unit):
            try:
                return factor(f"({from_unit}) / day", to_unit), True
            except UnitError:
                pass
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}") from None


def canonical_multiplier(unit, canonical, days):
    """Per row, the multiplier taking a value in `unit` to its metric's `canonical` unit (totals
    spread over the period's `days`, see `conversion`). Series in, Series out, one conversion per
    distinct pair of units."""
    import pandas as pd

    multiplier = pd.Series(1.0, index=unit.index)
    for (source, target), rows in pd.DataFrame({"u": unit, "c": canonical}).groupby(["u", "c"]).groups.items():
        factor_, spread = conversion(source, target)
        multiplier[rows] = factor_ / days[rows] if spread else factor_
    return multiplier
