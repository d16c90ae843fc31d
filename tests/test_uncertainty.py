import numpy as np
import pytest

from sustainment.models.uncertainty import Range, check_range, pert, quantile_frame


def test_pert_stays_in_range_and_centres_on_its_mean():
    draws = pert(Range(0, 1, 10), 200_000, np.random.default_rng(0))
    assert draws.min() >= 0 and draws.max() <= 10
    assert draws.mean() == pytest.approx((0 + 4 * 1 + 10) / 6, rel=0.01)  # PERT mean


def test_zero_width_is_exact():
    assert (pert(Range.exact(5), 10, np.random.default_rng(0)) == 5).all()


def test_check_range_names_the_parameter():
    with pytest.raises(ValueError, match="share: must be <= 1"):
        check_range("share", Range(0.2, 0.5, 1.2), 0, 1)


def test_quantile_frame_columns():
    frame = quantile_frame(np.arange(101, dtype=float)[:, None], ["m"])
    assert list(frame.columns) == ["q05", "q25", "q50", "q75", "q95"] and frame.at["m", "q50"] == 50
