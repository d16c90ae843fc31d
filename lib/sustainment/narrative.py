"""Words from numbers: formatting for findings, titles and key-number tables.

Nothing here holds a figure: every function formats what the models computed.
"""

from __future__ import annotations

import math


def count(value: float) -> str:
    """3,000,000 -> '3.0 million'; 30,000 -> '30,000'; 612 -> '612'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f} million"
    return f"{value:,.0f}"


def span(low: float, high: float, formatter=count) -> str:
    """'2.0 million to 4.5 million', or one value when both ends agree."""
    return formatter(low) if formatter(low) == formatter(high) else f"{formatter(low)} to {formatter(high)}"


def times(value: float) -> str:
    """2.54 -> '2.5x'."""
    return "n/a" if value is None or math.isnan(value) else f"{value:.1f}x"


def share(value: float) -> str:
    """0.253 -> '25%'."""
    return f"{value:.0%}"


def by_unit(value: float, unit: str) -> str:
    """A value as its unit reads best: ratios as '2.5x', shares as '25%', counts and rates as counts."""
    return times(value) if unit == "ratio" else share(value) if unit == "share" else count(value)


def span_by_unit(low: float, high: float, unit: str) -> str:
    """`span` with the unit's formatting."""
    return span(low, high, lambda value: by_unit(value, unit))


def signed(value: float) -> str:
    """A change with its sign: '+7,169' / '-12.3 million'."""
    return ("+" if value >= 0 else "-") + count(abs(value))
