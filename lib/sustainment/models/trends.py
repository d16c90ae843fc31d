"""Trends fitted with statsmodels, used by both models: loss rates from cumulative claims,
log-linear trends with prediction intervals, and the calibration of a claimed series against
independent estimates. statsmodels is imported inside the functions (it costs ~1 s)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sustainment.claims.units import DAYS_PER_MONTH


def monthly_rates(cumulative: pd.Series) -> pd.DataFrame:
    """Per-month rates from a cumulative series indexed by date (first differences).

    Each difference is divided by the days between readings and expressed per month
    (365.25/12 days), so a month-end reading taken on the 8th still gives a monthly rate.
    Returns columns: start, end, days, rate (per month), indexed by the end's month.
    """
    series = cumulative.sort_index()
    if len(series) < 2:
        raise ValueError("cumulative: need at least two readings")
    dates = pd.DatetimeIndex(series.index)
    days = np.diff(dates.values).astype("timedelta64[D]").astype(float)
    if (days <= 0).any():
        raise ValueError("cumulative: readings must have distinct dates")
    rate = np.diff(series.to_numpy(dtype=float)) / days * DAYS_PER_MONTH
    return pd.DataFrame({"start": dates[:-1], "end": dates[1:], "days": days, "rate": rate},
                        index=pd.Index(dates[1:].to_period("M"), name="month"))


def log_trend(x: np.ndarray, y: np.ndarray, x_new: np.ndarray, alphas=(0.2, 0.05), hac_lags: int | None = None) -> pd.DataFrame:
    """OLS of log(y) on x; fitted and projected values with prediction intervals, back on y's scale.

    hac_lags: Newey-West (HAC) standard errors with that many lags, for autocorrelated monthly
    series; None = ordinary errors (annual series with few points). Columns: x, mean, and
    lower_NN / upper_NN for each interval (80 and 95 by default). Needs >= 3 positive points.
    """
    import statsmodels.api as sm

    x, y, x_new = (np.asarray(a, dtype=float) for a in (x, y, x_new))
    if len(x) < 3:
        raise ValueError(f"trend: need at least 3 points, got {len(x)}")
    if (y <= 0).any():
        raise ValueError("trend: values must be > 0 for a log-linear fit")
    design = sm.add_constant(x)
    fit_kwargs = {"cov_type": "HAC", "cov_kwds": {"maxlags": hac_lags}} if hac_lags else {}
    fit = sm.OLS(np.log(y), design).fit(**fit_kwargs)
    prediction = fit.get_prediction(sm.add_constant(x_new, has_constant="add"))
    out = pd.DataFrame({"x": x_new, "mean": np.exp(prediction.predicted_mean)})
    for alpha in alphas:
        frame = prediction.summary_frame(alpha=alpha)
        level = round((1 - alpha) * 100)
        out[f"lower_{level}"] = np.exp(frame["obs_ci_lower"].to_numpy())
        out[f"upper_{level}"] = np.exp(frame["obs_ci_upper"].to_numpy())
    slope_low, slope_high = fit.conf_int(alpha=0.1)[1]
    out.attrs["growth_per_step"] = float(np.exp(fit.params[1]) - 1)
    out.attrs["growth_per_step_90"] = (float(np.exp(slope_low) - 1), float(np.exp(slope_high) - 1))
    return out


def loss_rate_trend(rates: pd.DataFrame, horizon: int, alphas=(0.2, 0.05), hac_lags: int = 3) -> pd.DataFrame:
    """Log-linear trend of monthly loss rates (from `monthly_rates`), fitted and projected
    `horizon` months past the last month, with HAC errors. Indexed by month; column `observed`
    holds the rate where one exists."""
    positive = rates[rates["rate"] > 0]
    step = np.arange(len(rates))[rates["rate"].to_numpy() > 0]
    future = np.arange(len(rates) + horizon)
    trend = log_trend(step, positive["rate"].to_numpy(), future, alphas, hac_lags)
    index = pd.period_range(rates.index[0], periods=len(future), freq="M")
    trend.index = pd.Index(index, name="month")
    trend["observed"] = rates["rate"].reindex(index)
    return trend.drop(columns="x")


def yearly_growth(trend: pd.DataFrame):
    """The trend's growth per year as a Range (central = the fitted slope, low/high = its 90%
    confidence interval), from a monthly `loss_rate_trend`."""
    from sustainment.models.uncertainty import Range

    low, high = trend.attrs["growth_per_step_90"]
    return Range(*((1 + g) ** 12 - 1 for g in (low, trend.attrs["growth_per_step"], high)))


def calibration(claimed: pd.Series, estimates: pd.DataFrame) -> pd.DataFrame:
    """Ratio of independent estimates to a claimed cumulative series at the estimates' dates.

    claimed: cumulative values indexed by date (interpolated linearly in time between
    readings). estimates: columns date, value, id. Returns one row per estimate inside the
    claimed series' span: id, date, estimate, claimed, factor (= estimate / claimed).
    """
    series = claimed.sort_index()
    when = pd.DatetimeIndex(series.index).values.astype("datetime64[D]").astype(float)
    inside = estimates[(estimates["date"] >= series.index.min()) & (estimates["date"] <= series.index.max())]
    target = pd.DatetimeIndex(inside["date"]).values.astype("datetime64[D]").astype(float)
    at_dates = np.interp(target, when, series.to_numpy(dtype=float))
    return pd.DataFrame({"id": inside["id"].to_numpy(), "date": inside["date"].to_numpy(),
                         "estimate": inside["value"].to_numpy(dtype=float), "claimed": at_dates,
                         "factor": inside["value"].to_numpy(dtype=float) / at_dates})
