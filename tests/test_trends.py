import numpy as np
import pandas as pd
import pytest

from sustainment.models import trends


def test_monthly_rates_are_first_differences_per_month():
    cumulative = pd.Series([0.0, 3_100.0, 6_000.0], index=pd.to_datetime(["2024-01-31", "2024-03-02", "2024-03-31"]))
    rates = trends.monthly_rates(cumulative)
    # 3,100 over 31 days, 2,900 over 29 days; per month of 30.4375 days
    assert rates["rate"].to_numpy() == pytest.approx([3_100 / 31 * 30.4375, 2_900 / 29 * 30.4375])
    assert list(rates.index.astype(str)) == ["2024-03", "2024-03"]


def test_log_trend_recovers_exact_growth_and_intervals_widen():
    x = np.arange(6)
    trend = trends.log_trend(x, 100 * 1.1 ** x, np.arange(10))
    assert trend["mean"].to_numpy() == pytest.approx(100 * 1.1 ** np.arange(10))
    assert trend.attrs["growth_per_step"] == pytest.approx(0.1)
    noisy = trends.log_trend(x, 100 * 1.1 ** x * np.array([1, 1.1, 0.9, 1.05, 0.95, 1]), np.arange(10))
    width80 = noisy["upper_80"] - noisy["lower_80"]
    assert (noisy["upper_95"] > noisy["upper_80"]).all() and width80.iloc[-1] > width80.iloc[5]


def test_log_trend_needs_three_positive_points():
    with pytest.raises(ValueError, match="at least 3"):
        trends.log_trend([1, 2], [1, 2], [3])
    with pytest.raises(ValueError, match="> 0"):
        trends.log_trend([1, 2, 3], [1, 0, 2], [4])


def test_loss_rate_trend_projects_past_the_last_month():
    index = pd.period_range("2024-01", periods=12, freq="M")
    rates = pd.DataFrame({"rate": 1_000 * 1.02 ** np.arange(12)}, index=index)
    trend = trends.loss_rate_trend(rates, horizon=6)
    assert str(trend.index[-1]) == "2025-06" and trend["observed"].isna().sum() == 6
    assert trend["mean"].iloc[-1] == pytest.approx(1_000 * 1.02 ** 17)


def test_calibration_factor_on_a_two_point_toy_series():
    claimed = pd.Series([100_000.0, 200_000.0], index=pd.to_datetime(["2024-01-01", "2024-01-11"]))
    estimates = pd.DataFrame({"date": pd.to_datetime(["2024-01-06", "2025-01-01"]), "value": [120_000.0, 1.0],
                              "id": ["west-a", "outside"]})
    table = trends.calibration(claimed, estimates)
    # halfway in time -> claimed 150,000; factor 120,000 / 150,000 = 0.8; the 2025 estimate is outside
    assert list(table["id"]) == ["west-a"]
    assert table["claimed"].iloc[0] == pytest.approx(150_000) and table["factor"].iloc[0] == pytest.approx(0.8)
