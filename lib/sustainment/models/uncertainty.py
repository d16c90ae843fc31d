"""Ranges (low / central / high) and the seeded draws the Monte Carlo models take from them.

Draws use the PERT distribution: a Beta on [low, high] with its mode at `central` and shape
1 + 4 (mode - low) / (high - low). Curated claims give a central figure and an envelope, not a
spread: PERT keeps most weight near the central claim, reaches the envelope's ends only
rarely, and stays skewed when the central figure sits off-centre. A triangular
distribution would put more weight on the extremes of an envelope that already includes the
outlying claims. A zero-width range draws its value exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Range:
    """An uncertain input: low <= central <= high."""

    low: float
    central: float
    high: float

    def __post_init__(self) -> None:
        if not (np.isfinite([self.low, self.central, self.high]).all()):
            raise ValueError(f"range has a missing bound: {self}")
        if not self.low <= self.central <= self.high:
            raise ValueError(f"range must satisfy low <= central <= high, got {self.low}, {self.central}, {self.high}")

    @classmethod
    def exact(cls, value: float) -> Range:
        return cls(value, value, value)

    @classmethod
    def of(cls, value) -> Range:
        """A Range from a Range, a number, an object with low/central/high, or a (low, central, high) triple."""
        if isinstance(value, Range):
            return value
        if hasattr(value, "central"):
            return cls(float(value.low), float(value.central), float(value.high))
        if isinstance(value, tuple | list):
            return cls(*map(float, value))
        return cls.exact(float(value))

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.central * factor, self.high * factor)

    @property
    def width(self) -> float:
        return self.high - self.low


def check_range(name: str, value: Range, minimum: float | None = 0.0, maximum: float | None = None) -> Range:
    """Refuse a range outside [minimum, maximum] with a ValueError naming the parameter."""
    if minimum is not None and value.low < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got low={value.low}")
    if maximum is not None and value.high > maximum:
        raise ValueError(f"{name}: must be <= {maximum}, got high={value.high}")
    return value


def pert(value: Range, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` PERT draws from `value` (exactly `central` when the range has no width)."""
    if value.width == 0:
        return np.full(n, value.central, dtype=float)
    alpha = 1 + 4 * (value.central - value.low) / value.width
    beta = 1 + 4 * (value.high - value.central) / value.width
    return value.low + value.width * rng.beta(alpha, beta, size=n)


def quantile_frame(draws: np.ndarray, index, quantiles=QUANTILES):
    """Quantiles over axis 0 of a draws x periods array, as a DataFrame with columns q05, q25, ..."""
    import pandas as pd

    values = np.quantile(draws, quantiles, axis=0)
    return pd.DataFrame({f"q{round(q * 100):02d}": row for q, row in zip(quantiles, values)}, index=index)
