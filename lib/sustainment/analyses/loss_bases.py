"""The loss bases: the named ways the claims give Russia's killed a month, side by side, each with
the recruitment answer it leads to, and the cross-check of the model's killed against named deaths.

The answer to "can recruitment sustain the losses?" hinges on how many soldiers are killed a
month, and the claims disagree by a factor of about three. Three bases are read from them:

- `model`: the Ukrainian General Staff's count rescaled to Western killed-and-wounded totals
  (the recruitment model's own losses), times the killed share of paired statements;
- `statements`: Western officials' statements of killed a month in the window (one per
  statement; Ukrainian and Russian officials' are not Western);
- `estimates`: the growth of Western cumulative killed estimates (their least-squares slope; the
  range from the slopes between estimates at least `MIN_SPAN_DAYS` apart).

Each basis's killed a month becomes killed and wounded through the same killed share, and runs
through the same Monte Carlo (the same draws) as the model; only the loss level changes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sustainment.claims import id_list, one_per_statement, quotes, select, ua_general_staff
from sustainment.claims.units import DAYS_PER_MONTH
from sustainment.models import manpower
from sustainment.models.manpower import Manpower
from sustainment.models.uncertainty import Range
from sustainment.presentation import narrative

BASES = {
    "model": "the Ukrainian count rescaled to Western killed-and-wounded totals (this model)",
    "statements": "Western officials' statements of killed a month",
    "estimates": "the growth of Western cumulative killed estimates",
}
MIN_SPAN_DAYS = 90  # two cumulative estimates closer than this give no slope of their own
COLUMNS = ["basis", "label", "killed_low", "killed", "killed_high", "losses_low", "losses", "losses_high",
           "p", "p_low", "p_high", "q05", "q50", "q95", "who", "claim_ids"]


def _western(found: pd.DataFrame) -> pd.DataFrame:
    """Claims whose claimant is neither a Ukrainian nor a Russian official, nor relays the General Staff
    (the claimant's name is read before any parenthesis: "CSIS (report 'Russia's ...')" is CSIS)."""
    name = found["claimant"].str.split("(").str[0]
    officials = name.str.contains(quotes.UKRAINIAN_SPEAKERS) | name.str.contains(quotes.RUSSIAN_SPEAKERS)
    return found[~officials & ~ua_general_staff.relays(found)]


def stated_killed(claims: pd.DataFrame, window: tuple[str, str], as_of, min_confidence: str | None) -> pd.DataFrame:
    """Western statements of Russia's killed a month in the window, one row per statement."""
    found = select(claims, metric="casualties_killed_rate", actor="RU", period=window, as_of=as_of,
                   min_confidence=min_confidence)
    return one_per_statement(_western(found))[0]


def killed_estimates(claims: pd.DataFrame, window: tuple[str, str], as_of, min_confidence: str | None) -> pd.DataFrame:
    """Western cumulative killed estimates (since the invasion) that state a level (no caps or
    floors) and end in the window, one per statement, oldest first."""
    found = select(claims, metric="casualties_killed", actor="RU", as_of=as_of, min_confidence=min_confidence)
    found = found[found["period_end"].between(pd.Timestamp(window[0]), pd.Timestamp(window[1]))
                  & found["bound"].isin(["point", "approx", "range"])]
    return one_per_statement(_western(found))[0].sort_values(["period_end", "id"])


def killed_growth(estimates: pd.DataFrame) -> Range | None:
    """Killed a month from cumulative estimates: the least-squares slope through them, between the
    lowest and highest slope of two estimates at least MIN_SPAN_DAYS apart; None without such a pair."""
    days = ((estimates["period_end"] - pd.Timestamp("2022-02-24")).dt.days).to_numpy(float)
    values = estimates["canonical_value"].to_numpy(float)
    apart = np.subtract.outer(days, days)
    later = apart >= MIN_SPAN_DAYS
    if not later.any():
        return None
    slopes = (np.subtract.outer(values, values)[later] / apart[later]) * DAYS_PER_MONTH
    central = float(np.polyfit(days, values, 1)[0] * DAYS_PER_MONTH)
    return Range(min(float(slopes.min()), central), central, max(float(slopes.max()), central))


def _losses_from_killed(killed: Range, killed_share: Range) -> Range:
    """Killed and wounded a month from killed a month and the killed share (killed / (killed + wounded))."""
    return Range(killed.low / killed_share.high, killed.central / killed_share.central, killed.high / killed_share.low)


def _row(basis: str, killed: Range, losses: Range, outcome: pd.Series, n_draws: int, who: str, ids) -> dict:
    p = float(outcome["p_cumulative_negative"])
    p_low, p_high = narrative.draws_interval(p, n_draws)
    return {"basis": basis, "label": BASES[basis], "killed_low": killed.low, "killed": killed.central,
            "killed_high": killed.high, "losses_low": losses.low, "losses": losses.central, "losses_high": losses.high,
            "p": p, "p_low": p_low, "p_high": p_high, "q05": float(outcome["cumulative_q05"]),
            "q50": float(outcome["cumulative_q50"]), "q95": float(outcome["cumulative_q95"]), "who": who,
            "claim_ids": tuple(id_list(ids))}


def _who(found: pd.DataFrame) -> str:
    names = list(dict.fromkeys(narrative.short_name(c) for c in found["claimant"]))
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def loss_bases(claims: pd.DataFrame, inputs: Manpower, killed_share: Range, model_outcome: pd.Series, model_ids,
               *, start: str, horizon: int, window: tuple[str, str], as_of, min_confidence: str | None,
               n_draws: int, seed: int) -> pd.DataFrame:
    """One row per loss basis the claims support (see the module's docstring): killed and
    killed-and-wounded a month (low, central, high), the chance the force ends smaller with its
    Monte Carlo interval (p, p_low, p_high), the change at the horizon (q05, q50, q95), who and
    which claims. The model's row is `model_outcome` (its own Monte Carlo's last month)."""
    model_killed = Range(inputs.losses.low * killed_share.low, inputs.losses.central * killed_share.central,
                         inputs.losses.high * killed_share.high)
    rows = [_row("model", model_killed, inputs.losses, model_outcome, n_draws, "", model_ids)]
    stated = stated_killed(claims, window, as_of, min_confidence)
    estimates = killed_estimates(claims, window, as_of, min_confidence)
    found = {"statements": (Range(float(stated["canonical_value"].min()), float(stated["canonical_value"].median()),
                                  float(stated["canonical_value"].max())) if len(stated) else None, stated),
             "estimates": (killed_growth(estimates) if len(estimates) else None, estimates)}
    for basis, (killed, evidence) in found.items():
        if killed is None:
            continue
        losses = _losses_from_killed(killed, killed_share)
        outcome = manpower.monte_carlo(replace(inputs, losses=losses), start, horizon, n_draws, seed).iloc[-1]
        rows.append(_row(basis, killed, losses, outcome, n_draws, _who(evidence), evidence["id"]))
    return pd.DataFrame(rows, columns=COLUMNS).set_index("basis", drop=False)


def confidence(bases: pd.DataFrame) -> tuple[str, str]:
    """(low | moderate | high, why): how far the loss bases agree on the answer. High when every
    basis's likelihood words are the same; moderate when they differ but agree on the direction
    (all below, or all above, an even chance); low when they disagree on the direction."""
    words = {narrative.likelihood_words(low, high) for low, high in zip(bases["p_low"], bases["p_high"])}
    if len(words) == 1:
        return "high", "every loss basis gives the same likelihood"
    if (bases["p_high"] < 0.5).all() or (bases["p_low"] > 0.5).all():
        return "moderate", "the loss bases agree on the direction but not on the likelihood"
    return "low", "the loss bases disagree on whether the force shrinks"


def model_cumulative_killed(ua_cumulative: pd.Series, factor: Range, killed_share: Range) -> pd.DataFrame:
    """The model's cumulative killed since the invasion at each reading of the Ukrainian count:
    the count x the calibration factor x the killed share (low, central, high from their ranges)."""
    series = ua_cumulative.sort_index()
    return pd.DataFrame({"low": series * factor.low * killed_share.low,
                         "central": series * factor.central * killed_share.central,
                         "high": series * factor.high * killed_share.high}, index=series.index)


def cumulative_killed_check(model: pd.DataFrame, claims: pd.DataFrame, as_of) -> pd.DataFrame:
    """The model's cumulative killed (`model_cumulative_killed`) beside each named-death count and
    each cumulative killed estimate public by `as_of`, at its date: date, what, id, claimant, bound,
    claimed (low, value, high), model (low, central, high; NaN outside the count's dates)."""
    named = select(claims, metric="deaths_confirmed", actor="RU", as_of=as_of).assign(what="named deaths")
    estimated = select(claims, metric="casualties_killed", actor="RU", as_of=as_of).assign(what="killed estimate")
    found = pd.concat([named, estimated]).sort_values(["period_end", "id"])
    when = found["period_end"].to_numpy("datetime64[ns]").astype("int64")
    known = model.index.to_numpy("datetime64[ns]").astype("int64")
    at = {column: np.interp(when, known, model[column].to_numpy(float), left=np.nan, right=np.nan)
          for column in ("low", "central", "high")}
    return pd.DataFrame({
        "date": found["period_end"].to_numpy(), "what": found["what"].to_numpy(), "id": found["id"].to_numpy(),
        "claimant": found["claimant"].to_numpy(), "bound": found["bound"].to_numpy(),
        "claimed_low": found["canonical_low"].fillna(found["canonical_value"]).to_numpy(),
        "claimed": found["canonical_value"].to_numpy(),
        "claimed_high": found["canonical_high"].fillna(found["canonical_value"]).to_numpy(),
        "model_low": at["low"], "model": at["central"], "model_high": at["high"]})
