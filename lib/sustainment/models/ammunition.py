"""Artillery ammunition: supply per actor and side, the Russia : West ratio, supply vs
consumption, and projections. All quantities are rounds/year unless a column says otherwise.

Supply components are explicit: each names an actor and the metrics that may stand for its
supply, in order of preference (the first metric with a claim for the year is used, and the
output says which). The Russian side is Russian production plus North Korean and Iranian
deliveries; the Western side is EU, US and Ukrainian production plus the Czech-led initiative's
purchases outside the EU (German output is inside the EU figure and is not added again). Both
sides count one basis, `MUNITIONS` (tube artillery of every calibre): a claim on another basis
enters as a cap, a floor or converted by a sourced breakdown (`claims.munitions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sustainment.claims import Estimate, estimate, id_list, select
from sustainment.errors import NoClaimsError
from sustainment.models import shapes
from sustainment.models.uncertainty import Range, pert


@dataclass(frozen=True)
class Component:
    """One actor's contribution to its side's supply, and which metrics may measure it.

    `begins_with_claims`: deliveries that began during the war (North Korea's, Iran's, the Czech
    initiative's) count from the start of their earliest claim, not for the whole year before it.
    """

    actor: str
    metrics: tuple[str, ...]
    begins_with_claims: bool = False


RUSSIA_SIDE = (
    Component("RU", ("shells_produced", "shells_production_capacity")),
    Component("NK", ("shells_delivered",), begins_with_claims=True),
    Component("IR", ("shells_delivered",), begins_with_claims=True),
)
WESTERN_SIDE = (
    Component("EU", ("shells_produced", "shells_production_capacity")),
    Component("US", ("shells_produced",)),
    Component("CZ", ("shells_delivered",), begins_with_claims=True),
    Component("UA", ("shells_produced",)),
)
DEFAULT_COMPONENTS = RUSSIA_SIDE + WESTERN_SIDE
SUPPLY_COLUMNS = ["year", "side", "actor", "metric", "low", "central", "high", "claim_ids", "central_ids", "bound_ids",
                  "source_ids", "basis", "munitions_read", "status", "active_from", "widened"]
MUNITIONS = "tube"  # what both sides count: rounds of tube artillery of every calibre (see claims.munitions)


def _year_estimate(claims: pd.DataFrame, metric: str, actor: str, year: int, policy: str, **filters):
    try:
        return estimate(claims, metric, actor, year, policy=policy, munitions=MUNITIONS, **filters)
    except NoClaimsError:
        return None


def _estimate_columns(found: Estimate | None, scale: float = 1.0) -> dict:
    """low/central/high (times `scale`), claim and source ids, basis and status of an estimate, or of its absence."""
    if found is None:
        return {"low": np.nan, "central": np.nan, "high": np.nan, "claim_ids": (), "central_ids": (), "bound_ids": (),
                "source_ids": (), "basis": "", "munitions_read": (), "status": "no claim", "widened": 1.0}
    return {"low": found.low * scale, "central": found.central * scale, "high": found.high * scale,
            "claim_ids": found.claim_ids, "central_ids": found.central_ids,
            "bound_ids": found.bound_ids, "source_ids": found.source_ids, "basis": found.basis,
            "munitions_read": found.munitions_read, "status": "estimated", "widened": 1.0}


def annual_supply(claims: pd.DataFrame, years, components=DEFAULT_COMPONENTS, policy: str = "central",
                  as_of=None, min_confidence: str | None = None, carry_forward: bool = True,
                  shaped: dict | None = None) -> pd.DataFrame:
    """One row per year and component: the estimate used (low/central/high, rounds/year),
    the metric it came from, the claims behind it, and its status: 'estimated', 'carried from
    YYYY' (no claim that year: with `carry_forward`, the latest earlier year's estimate is
    reused with a range widened for its age, see `_carry_forward`) or 'no claim'.

    The first of the component's metrics whose claims state the quantity is used; where none
    does, the first one with bounds. A component that `begins_with_claims` counts from the start
    of its earliest claim (`active_from`): deliveries that began in August count for the five
    months after, not for the whole year at their rate. Totals over several years enter as the
    parts they set in each year (`shape`; pass `shaped` when already made with the same options).
    """
    side = claims.drop_duplicates("actor").set_index("actor")["side"]
    shaped = shaped if shaped is not None else shape(claims, components, policy, as_of, min_confidence)
    rows = []
    for component in components:
        known = select(claims, metric=list(component.metrics), actor=component.actor, as_of=as_of)
        first = known["period_start"].min() if len(known) and component.begins_with_claims else pd.NaT
        for year in years:
            found = _first_stated(shaped, component, year, policy, as_of=as_of, min_confidence=min_confidence)
            start, end = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
            share = ((end - first).days + 1) / ((end - start).days + 1) if start < first <= end else 1.0
            rows.append({"year": int(year), "side": side.get(component.actor, ""), "actor": component.actor,
                         "metric": found.metric if found else "", **_estimate_columns(found, share),
                         "active_from": first.strftime("%Y-%m-%d") if share < 1 else ""})
    supply = pd.DataFrame(rows, columns=SUPPLY_COLUMNS).sort_values(["year", "actor"], kind="stable",
                                                                     key=_component_order(components))
    supply = supply.reset_index(drop=True)
    return _carry_forward(supply, may_stop(components)) if carry_forward else supply


def _first_stated(shaped: dict, component: Component, year: int, policy: str, **filters) -> Estimate | None:
    """The year's estimate from the first of the component's metrics whose claims state the quantity,
    else from the first with bounds (later metrics are not estimated once one states it)."""
    bounded = None
    for metric in component.metrics:
        found = _year_estimate(shaped[component.actor, metric][0], metric, component.actor, year, policy, **filters)
        if found is not None and not found.bounded_only:
            return found
        bounded = bounded or found
    return bounded


def shape(claims: pd.DataFrame, components=DEFAULT_COMPONENTS, policy: str = "central", as_of=None,
          min_confidence: str | None = None) -> dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]]:
    """(actor, metric) -> (claims, splits) for each component's metric: the actor's claims of the
    metric with its totals over several years replaced by the parts they set or cap in each year,
    and how each was split (`shapes.split_totals`)."""
    shaped = {}
    for component in components:
        for metric in component.metrics:
            own = claims[(claims["actor"] == component.actor)
                         & claims["metric"].isin((metric, metric + shapes.YEAR_ON_YEAR))]
            synthetic, splits = shapes.split_totals(own, metric, component.actor, munitions=MUNITIONS, policy=policy,
                                                    as_of=as_of, min_confidence=min_confidence)
            kept = own[~own["id"].isin(splits["id"])]
            shaped[component.actor, metric] = (pd.concat([kept, synthetic], ignore_index=True) if len(synthetic)
                                               else kept, splits.assign(actor=component.actor, metric=metric))
    return shaped


def total_splits(shaped: dict) -> pd.DataFrame:
    """How the components' totals over several years were split into years (from `shape`):
    `shapes.SPLIT_COLUMNS` plus actor and metric."""
    return pd.concat([splits for _, splits in shaped.values()], ignore_index=True)


def may_stop(components) -> set[str]:
    """The actors whose deliveries began during the war (`begins_with_claims`): they may also stop,
    so a year no claim speaks for lets their range fall to zero."""
    return {c.actor for c in components if c.begins_with_claims}


def _component_order(components):
    """Sort key keeping the components in their declared order within a year."""
    rank = {c.actor: n for n, c in enumerate(components)}
    return lambda column: column.map(rank) if column.name == "actor" else column


def yearly_change(supply: pd.DataFrame) -> float:
    """How far a component's figure moves in a year, as a factor: the median of |log change| between
    consecutive whole years estimated from claims, over all components (1.0 when no component has two)."""
    whole = supply[(supply["status"] == "estimated") & (supply["active_from"] == "") & (supply["central"] > 0)]
    changes = []
    for _, rows in whole.sort_values("year").groupby("actor"):
        steps = np.abs(np.diff(np.log(rows["central"].to_numpy(float))))
        changes.extend(steps[np.diff(rows["year"].to_numpy()) == 1])
    return float(np.exp(np.median(changes))) if changes else 1.0


def _carry_forward(supply: pd.DataFrame, stoppable: set[str]) -> pd.DataFrame:
    """A year without a claim takes the latest earlier estimate, its range widened for its age: the
    high end times `yearly_change` per year of age, the low end divided by it, or zero for deliveries
    that began during the war (`stoppable`: they may have stopped). The central figure stays."""
    carried = supply.copy()
    values = ["metric", "low", "central", "high", "claim_ids", "central_ids", "bound_ids", "source_ids", "basis",
              "munitions_read", "active_from"]
    factor = yearly_change(supply)
    for actor, rows in carried.sort_values("year").groupby("actor", sort=False):
        last = None
        for index in rows.index:
            if carried.at[index, "status"] == "estimated":
                last = index
            elif last is not None:
                widened = factor ** (carried.at[index, "year"] - carried.at[last, "year"])
                carried.loc[index, values] = carried.loc[last, values]
                carried.loc[index, ["low", "high"]] = _widen(carried.at[last, "low"], carried.at[last, "high"], widened,
                                                             actor in stoppable)
                carried.at[index, "widened"] = widened
                carried.at[index, "status"] = f"carried from {carried.at[last, 'year']}" + (
                    ", may have stopped" if actor in stoppable else "")
    return carried


def _widen(low: float, high: float, widened: float, may_stop: bool) -> tuple[float, float]:
    """A range `widened` times further out at each end; down to zero when the flow may stop."""
    return (0.0 if may_stop else low / widened), high * widened


def _present(supply: pd.DataFrame) -> pd.Series:
    return supply["status"] != "no claim"


def side_totals(supply: pd.DataFrame, nature: dict[str, str] | None = None) -> pd.DataFrame:
    """Per year and side: sums of the components' low, central and high, the components
    included, those with no claim (counted as zero: `missing`), those carried forward, those
    whose estimate rests on bounds only (`bounded`), the part of the central figure the last two
    make up (`uncertain`) and those measured by a capacity metric (`capacity`, from `nature`:
    metric -> nature, as in metrics.csv)."""
    nature = nature or {}

    def summarise(group: pd.DataFrame) -> pd.Series:
        present = group[_present(group)]
        carried = group[group["status"].str.startswith("carried")]
        return pd.Series({
            "low": present["low"].sum(), "central": present["central"].sum(), "high": present["high"].sum(),
            "components": "+".join(f"{a}:{m}" for a, m in zip(present["actor"], present["metric"])),
            "missing": "+".join(group.loc[~_present(group), "actor"]),
            "carried": "+".join(f"{a} ({s.removeprefix('carried from ')})" for a, s in zip(carried["actor"], carried["status"])),
            "uncertain": present.loc[present["status"].str.startswith("carried") | (present["basis"] != "claims"),
                                     "central"].sum(),
            "bounded": "+".join(f"{a} ({b})" for a, b in zip(present["actor"], present["basis"]) if b != "claims"),
            "capacity": "+".join(present.loc[present["metric"].map(nature) == "capacity", "actor"]),
            "claim_ids": tuple(id_list(present["claim_ids"])),
            "central_ids": tuple(id_list(present["central_ids"])),
            "bound_ids": tuple(id_list(present["bound_ids"])),
            "source_ids": tuple(id_list(present["source_ids"])),
        })

    return supply.groupby(["year", "side"], sort=True)[supply.columns].apply(summarise).reset_index()


def component_draws(parts: pd.DataFrame, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """Components x draws: each row's PERT draws from its low/central/high, in row order."""
    draws = [pert(Range(p.low, p.central, p.high), n_draws, rng) for p in parts.itertuples()]
    return np.array(draws).reshape(len(parts), n_draws)


def side_ratio(supply: pd.DataFrame, n_draws: int, seed: int, numerator: str = "russia",
               denominator: str = "west") -> pd.DataFrame:
    """Ratio of the two sides' supply per year, by Monte Carlo: each component is drawn
    independently from its PERT range, summed per side, and the ratio taken draw by draw (so
    the range is not low/low vs high/high). Columns: year, q05, q25, q50, q75, q95, central
    (ratio of the central sums), p_above_1, missing (components with no claim that year,
    counted as zero: a year with missing components understates its side), no_range (the 90%
    band is narrower than 2%: the components rest on single claims, and a band would only show
    the precision of those claims, not the uncertainty)."""
    if n_draws <= 0:
        raise ValueError(f"n_draws: must be > 0, got {n_draws}")
    rng = np.random.default_rng(seed)
    present = supply[_present(supply)]
    absent = supply[~_present(supply)].groupby("year")["actor"].agg("+".join)
    rows = []
    for year, group in present.groupby("year", sort=True):
        draws = {side: component_draws(group[group["side"] == side], n_draws, rng).sum(axis=0)
                 for side in (numerator, denominator)}
        centrals = {side: group.loc[group["side"] == side, "central"].sum() for side in (numerator, denominator)}
        if centrals[denominator] <= 0 or centrals[numerator] <= 0:
            continue
        ratio = draws[numerator] / draws[denominator]
        q = np.quantile(ratio, [0.05, 0.25, 0.5, 0.75, 0.95])
        rows.append({"year": int(year), "q05": q[0], "q25": q[1], "q50": q[2], "q75": q[3], "q95": q[4],
                     "central": centrals[numerator] / centrals[denominator], "p_above_1": float((ratio > 1).mean()),
                     "missing": absent.get(year, ""), "no_range": bool(q[4] / q[0] - 1 < NO_RANGE)})
    return pd.DataFrame(rows, columns=["year", "q05", "q25", "q50", "q75", "q95", "central", "p_above_1", "missing",
                                       "no_range"])


NO_RANGE = 0.02  # a ratio whose 90% band is narrower than this (relative) comes from single claims

FIRING_ACTOR = {"russia": "RU", "west": "UA"}


def ratio_grid(base: pd.DataFrame, factors: np.ndarray, n_draws: int, seed: int, numerator: str = "russia",
               denominator: str = "west", quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """The side ratio for every cell of a grid, from one year's components (`base`, rows of
    `annual_supply` with an estimate) each scaled by the cell's factor (`factors`: cells x rows
    of `base`). The components are drawn as `side_ratio` draws them (the same draws for every
    cell, so cells differ only by their factors, and factors of 1 reproduce `side_ratio` for
    that year). Columns: ratio_qNN, p_above_1."""
    factors = np.atleast_2d(np.asarray(factors, dtype=float))
    if factors.shape[1] != len(base):
        raise ValueError(f"factors: need one column per component ({len(base)}), got {factors.shape[1]}")
    rng = np.random.default_rng(seed)
    sums = {}
    for side in (numerator, denominator):
        rows = np.flatnonzero((base["side"] == side).to_numpy())
        draws = component_draws(base.iloc[rows], n_draws, rng)
        sums[side] = np.zeros((len(factors), n_draws))
        for k, row in enumerate(rows):  # component by component, in row order: no BLAS, the same sums on every machine
            sums[side] += factors[:, row, None] * draws[k]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = sums[numerator] / sums[denominator]
    table = pd.DataFrame(np.quantile(ratio, quantiles, axis=1).T, columns=[f"ratio_q{round(q * 100):02d}" for q in quantiles])
    table["p_above_1"] = (ratio > 1).mean(axis=1)
    return table


def consumption(claims: pd.DataFrame, years, policy: str = "central", as_of=None,
                min_confidence: str | None = None) -> pd.DataFrame:
    """Rounds fired per year by side (Russia's fire for the Russian side, Ukraine's for the
    Western side): the rounds/day estimate for the year x the year's days."""
    rows = []
    for year in years:
        days = pd.Timestamp(f"{year}-12-31").day_of_year
        for side, actor in FIRING_ACTOR.items():
            found = _year_estimate(claims, "shells_fired", actor, year, policy, as_of=as_of, min_confidence=min_confidence)
            rows.append({"year": int(year), "side": side, "actor": actor, **_estimate_columns(found, days)})
    return pd.DataFrame(rows)


def supply_vs_consumption(totals: pd.DataFrame, fired: pd.DataFrame) -> pd.DataFrame:
    """Per year and side: supply and consumption (central, low, high) and the balance
    (supply - consumption, central) with its running total over the years."""
    merged = totals.merge(fired, on=["year", "side"], suffixes=("_supply", "_fired"))
    merged["balance"] = merged["central_supply"] - merged["central_fired"]
    merged["cumulative_balance"] = merged.groupby("side")["balance"].cumsum()
    columns = ["year", "side", "low_supply", "central_supply", "high_supply", "low_fired", "central_fired",
               "high_fired", "balance", "cumulative_balance"]
    return merged.sort_values(["side", "year"], kind="stable")[columns].reset_index(drop=True)


def project(base_year: int, base, horizon_year: int, growth: float | None = None, target: float | None = None,
            target_year: int | None = None) -> pd.DataFrame:
    """Annual path from `base` (a Range or number) in `base_year` to `horizon_year`.

    Either constant `growth` per year (0.1 = +10 %/year), or a `target` reached by
    `target_year` along constant growth and held after it. The low and high ends follow the
    same path multiplicatively. Columns: year, low, central, high.
    """
    base = Range.of(base)
    if horizon_year <= base_year:
        raise ValueError(f"horizon_year: must be after base_year {base_year}, got {horizon_year}")
    if (growth is None) == (target is None):
        raise ValueError("growth or target: give exactly one")
    years = np.arange(base_year, horizon_year + 1)
    step = years - base_year
    if growth is not None:
        if growth <= -1:
            raise ValueError(f"growth: must be > -1, got {growth}")
        path = (1 + growth) ** step
    else:
        if target < 0 or base.central <= 0:
            raise ValueError(f"target: must be >= 0 with a positive base, got target={target}, base={base.central}")
        if target_year is None or target_year <= base_year:
            raise ValueError(f"target_year: must be after base_year {base_year}, got {target_year}")
        path = (target / base.central) ** (np.minimum(step, target_year - base_year) / (target_year - base_year))
    return pd.DataFrame({"year": years, "low": base.low * path, "central": base.central * path,
                         "high": base.high * path})


def side_trends(totals: pd.DataFrame, horizon_year: int, alphas=(0.2, 0.05)) -> dict[str, pd.DataFrame]:
    """Per side: a log-linear OLS trend of its central annual supply, with prediction intervals,
    to `horizon_year`; sides with fewer than 3 years of positive supply have none."""
    from sustainment.models.trends import log_trend

    trends = {}
    for side, rows in totals[totals["central"] > 0].groupby("side", sort=True):
        if len(rows) >= 3:
            years = np.arange(rows["year"].min(), horizon_year + 1)
            trend = log_trend(rows["year"].to_numpy(), rows["central"].to_numpy(), years, alphas)
            trends[side] = trend.rename(columns={"x": "year"}).astype({"year": int})
    return trends


def forward_supply(supply: pd.DataFrame, base_year: int, horizon_year: int, growth: dict[str, float],
                   targets: dict[str, tuple[float, int]], stoppable=frozenset(),
                   stops: dict[str, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Each component present in `base_year`, year by year to `horizon_year` (base year included):
    its central figure follows its target (actor -> (rounds/year, year reached)) when it has one,
    else its side's `growth`; its range follows the same path and widens with the years since
    `base_year` as a carried figure's does (`_carry_forward`): no claim speaks for those years.
    A component in `stops` (actor -> first day without deliveries) counts, in a projected year,
    only the share of the year before that day. Rows as `annual_supply`'s, status 'projected from YYYY'."""
    stops = stops or {}
    base = supply[(supply["year"] == base_year) & _present(supply)]
    if base.empty:
        raise ValueError(f"base_year: no supply estimate in {base_year}")
    factor = yearly_change(supply)
    rows = []
    for row in base.itertuples():
        level = Range(row.low, row.central, row.high)
        if row.actor in targets:
            value, year = targets[row.actor]
            path = project(base_year, level, horizon_year, target=value, target_year=max(year, base_year + 1))
        else:
            path = project(base_year, level, horizon_year, growth=growth.get(row.side, 0.0))
        for step in path.itertuples():
            widened = factor ** (step.year - base_year)
            low, high = _widen(step.low, step.high, widened, row.actor in stoppable and step.year > base_year)
            kept = _share_before(stops.get(row.actor), int(step.year)) if step.year > base_year else 1.0
            status = (row.status if step.year == base_year else f"projected from {base_year}" +
                      (f", stopped from {stops[row.actor]:%Y-%m-%d}" if kept < 1 else
                       ", may stop" if row.actor in stoppable else ""))
            rows.append({**row._asdict(), "year": int(step.year), "low": low * kept, "central": step.central * kept,
                         "high": high * kept, "widened": widened, "status": status})
    return pd.DataFrame(rows).drop(columns="Index")[SUPPLY_COLUMNS].reset_index(drop=True)


def _share_before(stop: pd.Timestamp | None, year: int) -> float:
    """The share of `year`'s days before `stop` (1 when there is no stop or it comes later)."""
    start, end = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
    if stop is None or stop > end:
        return 1.0
    return max(0.0, (stop - start).days / ((end - start).days + 1))


def scenario_paths(forward: pd.DataFrame, n_draws: int, seed: int) -> dict[str, pd.DataFrame]:
    """Each side's projected supply from its components in `forward_supply`: side ->
    frame(year, low, central, high), the central figures summed, low and high the 5% and 95%
    quantiles of the summed draws, widened to hold the central (components drawn independently,
    as `side_ratio` draws them; summing the ends would put every component at its extreme in the
    same year)."""
    rng = np.random.default_rng(seed)
    rows = []
    for (side, year), parts in forward.groupby(["side", "year"], sort=True):
        low, high = np.quantile(component_draws(parts, n_draws, rng).sum(axis=0), [0.05, 0.95])
        central = parts["central"].sum()  # skewed ranges can put it just outside the draws' band: the band holds it
        rows.append({"side": side, "year": int(year), "low": min(low, central), "central": central,
                     "high": max(high, central)})
    sums = pd.DataFrame(rows)
    return {side: rows.drop(columns="side").reset_index(drop=True) for side, rows in sums.groupby("side", sort=True)}
