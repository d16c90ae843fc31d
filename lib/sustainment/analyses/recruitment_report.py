"""The recruitment answer for readers: the bottom line and its one-sentence headline (what decides
the answer first, the answer under each loss basis), the alternatives that would change it, the
charts and the tables, all from a `RecruitmentResult`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sustainment.analyses import loss_bases
from sustainment.analyses.common import linked
from sustainment.analyses.recruitment import RecruitmentResult
from sustainment.claims import id_list, select
from sustainment.claims.units import DAYS_PER_MONTH
from sustainment.models import manpower, trends
from sustainment.models.uncertainty import Range
from sustainment.presentation import narrative

PATH_WORDS = {"trend": "following their fitted trend", "flat": "held flat", "growth": "growing at a set rate"}
RECRUITS_PATH_WORDS = {"trend": "along the trend of its yearly totals", "flat": "held flat",
                       "last_year": "at its latest year's pace"}

INPUT_WORDS = {"recruits": "recruitment", "losses": "the loss rate", "loss_growth": "the growth of losses",
               "permanent_loss_share": "the share of losses that are permanent", "other_exits": "desertion and capture",
               "recruit_growth": "the growth of recruitment"}

def recruitment_alternatives(result: RecruitmentResult) -> pd.DataFrame:
    """The outcome at the horizon (central inputs, deterministic) when one assumption changes:
    losses held flat instead of the trend (or the reverse), and recruitment on each other path the
    claims allow (held flat, its trend, its latest year's pace). (Other loss levels are the loss
    bases, `RecruitmentResult.bases`.) Columns: change (in words, with the numbers), value, outcome, claim_ids."""
    from dataclasses import replace

    base = result.inputs.central()
    rows = []
    other_path = "flat" if result.loss_path != "flat" else "trend"
    growth = Range.exact(0.0) if other_path == "flat" else Range.exact(trends.yearly_growth(result.loss_trend).central)
    flows = manpower.stock_flow(replace(base, loss_growth=growth), result.start_month, result.horizon)
    rows.append((f"losses {PATH_WORDS[other_path]}", growth.central, flows["cumulative_net_change"].iloc[-1],
                 tuple(result.loss_ids)))
    for path, (recruits, growth) in result.recruit_paths.items():
        if path == result.recruits_path:
            continue
        inputs = replace(base, recruits=Range.exact(recruits.central), recruit_growth=Range.exact(growth.central))
        flows = manpower.stock_flow(inputs, result.start_month, result.horizon)
        change = f"{narrative.share(growth.central)} a year" if path != "flat" else "no change"
        yearly = result.yearly_recruits["claim_ids"] if path != "flat" else []
        rows.append((f"recruitment {RECRUITS_PATH_WORDS[path]} ({change})", growth.central,
                     flows["cumulative_net_change"].iloc[-1], tuple(id_list(result.recruits.claim_ids, yearly))))
    return pd.DataFrame(rows, columns=["change", "value", "outcome", "claim_ids"])

def recruits_path_words(result: RecruitmentResult) -> str:
    """'falling 9.1% a year along the trend of its yearly totals (2023 to 2025) to about 23,000 by
    month 36', or 'held flat'."""
    if result.recruits_path == "flat":
        return "held flat"
    growth = result.recruit_growth.central
    years = result.yearly_recruits["year"]
    first = years.max() - 1 if result.recruits_path == "last_year" else years.min()  # the years the growth is read from
    end = result.inputs.recruits.central * (1 + growth) ** ((result.horizon - 1) / 12)
    return (f"{'falling' if growth < 0 else 'growing'} {narrative.share(abs(growth))} a year "
            f"{RECRUITS_PATH_WORDS[result.recruits_path]} ({first} to {years.max()}) to about "
            f"{narrative.count(end)} by month {result.horizon}")


def horizon_words(result: RecruitmentResult) -> str:
    """'the 36 months from September 2026 to August 2029'."""
    start = pd.Period(result.start_month, "M")
    return f"the {result.horizon} months from {start:%B %Y} to {start + result.horizon - 1:%B %Y}"


def _basis_outcome(row: pd.Series, n_draws: int) -> str:
    """'very unlikely in this model (12% of 20,000 draws; median change +410,000, 90% of draws ...)'."""
    return (f"{narrative.chance(row['p'], n_draws)[:-1]}; median change {narrative.signed(row['q50'])}, 90% of draws "
            f"{narrative.signed(row['q05'])} to {narrative.signed(row['q95'])})")


def hinge_sentences(result: RecruitmentResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """What decides the answer, and the answer under each loss basis: the killed a month each basis
    gives, the chance the force ends smaller and the median change under each, the confidence the
    bases' agreement allows, and why the model's basis is kept where a basis contradicts it."""
    bases = result.bases
    model = bases.loc["model"]
    killed = [f"about {link(narrative.count(model['killed']), claims, model['claim_ids'])} in this model "
              f"({model['label'].removesuffix(' (this model)')})"]
    if "estimates" in bases.index:
        row = bases.loc["estimates"]
        killed.append(f"about {link(narrative.count(row['killed']), claims, row['claim_ids'])} from the growth of "
                      f"the cumulative killed estimates of {narrative.escape(row['who'])}")
    against = ""
    if "statements" in bases.index:
        row = bases.loc["statements"]
        against = (f", against about {link(narrative.count(row['killed']), claims, row['claim_ids'])} in "
                   f"{narrative.escape(row['who'])}'s statements")
    answers = [f"with the model's losses, {narrative.it_is(model['p'], result.n_draws)} that the force ends smaller "
               f"(median change {narrative.signed(model['q50'])}, 90% of draws {narrative.signed(model['q05'])} to "
               f"{narrative.signed(model['q95'])})"]
    answers += [f"with {'the statements' if basis == 'statements' else 'the estimates'}' rate, "
                f"{_basis_outcome(bases.loc[basis], result.n_draws)}" for basis in ("estimates", "statements")
                if basis in bases.index]
    level, why = loss_bases.confidence(bases)
    return (f"Whether Russia's forces shrink over {horizon_words(result)} hinges on how many of its soldiers are "
            f"killed a month: {' and '.join(killed)}{against}. {narrative.sentence('; '.join(answers))} "
            f"Confidence: {level} ({why}). {_statements_check(result)}")


def _at_stated_rate(result: RecruitmentResult) -> tuple[pd.DataFrame, Callable[[pd.Timestamp], float]] | None:
    """The cumulative estimates behind the estimates' basis (oldest first), and the killed the
    statements' rate adds from the first of them to a date; None unless the claims give both bases."""
    bases = result.bases
    if not {"statements", "estimates"} <= set(bases.index):
        return None
    used = result.killed_check.set_index("id").loc[list(bases.at["estimates", "claim_ids"])].sort_values("date")
    start, rate = used["date"].iloc[0], bases.at["statements", "killed"]
    return used, lambda until: rate * (until - start).days / DAYS_PER_MONTH


def _statements_check(result: RecruitmentResult) -> str:
    """Where the statements' rate and the cumulative estimates disagree: what the rate would have
    added between the first and last estimate, against what the estimates added."""
    found = _at_stated_rate(result)
    if found is None:
        return ""
    used, added_by = found
    first, last = used.iloc[0], used.iloc[-1]
    added = added_by(last["date"])
    return (f"At the statements' rate, killed would have risen by about {narrative.count(added)} between "
            f"{narrative.escape(narrative.short_name(first['claimant']))}'s estimate of {first['date']:%-d %B %Y} and "
            f"{narrative.escape(narrative.short_name(last['claimant']))}'s of {last['date']:%-d %B %Y}; the estimates "
            f"rose by {narrative.count(last['claimed'] - first['claimed'])}. ")


def recruitment_headline(result: RecruitmentResult) -> str:
    """The answer in one plain sentence, for the landing page: the median change over the horizon,
    its band, the likelihood the force ends smaller, the confidence, and the loss basis that
    contradicts the answer, if the claims give one."""
    model = result.bases.loc["model"]
    level, _why = loss_bases.confidence(result.bases)
    against = ""
    if "statements" in result.bases.index:
        row = result.bases.loc["statements"]
        against = (f"; at {row['who']}'s {narrative.count(row['killed'])} killed a month (against the model's "
                   f"{narrative.count(model['killed'])}) the median is {narrative.signed(row['q50'])}")
    return (f"Over {horizon_words(result)}, a median change in Russian personnel of {narrative.signed(model['q50'])} "
            f"(90% of draws {narrative.signed(model['q05'])} to {narrative.signed(model['q95'])}); "
            f"{narrative.chance(model['p'], result.n_draws)} that the force ends smaller; confidence {level}{against}.")


def recruitment_bottom_line(result: RecruitmentResult, claims: pd.DataFrame, link=narrative.link) -> str:
    """The answer to "can recruitment sustain the losses?": first what decides it and the answer
    under each loss basis (`hinge_sentences`), then the model's flows and what would change it."""
    first, last = result.deterministic.iloc[0], result.deterministic.iloc[-1]
    permanent_ids = id_list(result.loss_ids, result.share_ids)
    top = result.tornado.iloc[0]
    alternatives = recruitment_alternatives(result)
    changes = [f"{INPUT_WORDS[top['input']]}, whose range alone moves the outcome from "
               f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
               f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"]
    for row in alternatives.itertuples():
        changes.append(f"with {link(row.change, claims, id_list(row.claim_ids))}, {narrative.signed(row.outcome)}")
    return (f"**Bottom line.** {hinge_sentences(result, claims, link)}"
            f"In the model, recruitment of about "
            f"{link(narrative.count(result.inputs.recruits.central), claims, result.recruit_ids)} "
            f"a month at the start, {recruits_path_words(result)}, meets permanent losses and other exits of about "
            f"{link(narrative.count(first['outflow']), claims, permanent_ids)} a month at the start, "
            f"{PATH_WORDS[result.loss_path]} to about {narrative.count(last['outflow'])} by month {result.horizon}. "
            f"What would change it: " + "; ".join(changes) + ".")


def recruitment_path(result: RecruitmentResult) -> pd.DataFrame:
    """The model's recruits a month over the horizon (month-start timestamps): central, and low and
    high at the ends of the growth's range, from the central level."""
    index = manpower.months(result.start_month, result.horizon)
    years = np.arange(result.horizon) / 12
    level, growth = result.inputs.recruits.central, result.recruit_growth
    return pd.DataFrame({"low": level * (1 + growth.low) ** years, "central": level * (1 + growth.central) ** years,
                         "high": level * (1 + growth.high) ** years}, index=index.to_timestamp())


def bonus_label(row: pd.Series) -> str:
    """Where a signing bonus is paid, from its scope: 'Tatarstan', 'Moscow city', or for an average
    over regions 'average (Janis Kluge)'."""
    place = row["scope"].split(";")[0].split(",")[0].strip()
    if place.lower().startswith("average"):
        return f"average ({narrative.short_name(row['claimant'])})"
    return place


def _bonuses_title(bonuses: pd.DataFrame) -> str:
    """The signing bonuses' finding: the highest regional payment in the latest year with one, against the first claim's."""
    regional = bonuses[bonuses["metric"] == "signing_bonus_regional"].sort_values("period_end")
    if len(regional) < 2:
        return "Signing bonuses for a contract (too few claims to compare)"
    latest = regional[regional["period_end"].dt.year == regional["period_end"].dt.year.max()]
    top, first = latest.loc[latest["canonical_value"].idxmax()], regional.iloc[0]
    return (f"Regional signing bonuses reached {narrative.count(top['canonical_value'])} roubles in "
            f"{top['period_end']:%B %Y} ({top['label']}), against {narrative.count(first['canonical_value'])} in "
            f"{first['period_end']:%B %Y} ({first['label']})")


def _killed_check_title(result: RecruitmentResult) -> str:
    """The cross-check's finding: where the model's cumulative killed stands against the latest
    named-death count, and whether it is at or above every count."""
    named = result.killed_check[(result.killed_check["what"] == "named deaths") & result.killed_check["model"].notna()]
    if named.empty:
        return "The model's cumulative killed since February 2022 (no named-death count to compare)"
    latest = named.iloc[-1]
    below = named[named["model"] < named["claimed"]]
    verdict = ("at or above every named-death count" if below.empty else
               f"below the named-death count on {len(below)} date(s) from {below['date'].iloc[0]:%B %Y}")
    return (f"The model's cumulative killed, about {narrative.count(latest['model'])} by {latest['date']:%B %Y}, is "
            f"{verdict} ({narrative.count(latest['claimed'])} named by then)")


def _stated_rate_line(result: RecruitmentResult) -> pd.Series | None:
    """The statements' killed a month drawn from the first cumulative estimate of the estimates basis."""
    found = _at_stated_rate(result)
    if found is None:
        return None
    used, added_by = found
    start, end, level = used["date"].iloc[0], result.model_killed.index.max(), used["claimed"].iloc[0]
    return pd.Series([level, level + added_by(end)], index=[start, end])


def recruitment_charts(result: RecruitmentResult, claims: pd.DataFrame) -> dict:
    """name -> Chart for the recruitment report (and the briefing)."""
    from sustainment.presentation import plotting

    ids = result.claim_ids
    mc = result.monte_carlo
    end = mc.iloc[-1]
    path = result.loss_trend[["observed", "mean"]].set_axis(result.loss_trend.index.to_timestamp())
    level = path["observed"].fillna(path["mean"])
    required = pd.DataFrame({"low": level * result.permanent_share.low, "high": level * result.permanent_share.high})
    year = min(12, result.horizon)
    top = result.tornado.iloc[0]
    n = result.n_draws
    bonuses = select(claims, metric=["signing_bonus_federal", "signing_bonus_regional"], actor="RU", as_of=result.as_of)
    bonuses = bonuses.assign(label=[bonus_label(row) for _, row in bonuses.iterrows()])
    return {
        "recruitment_losses_vs_recruits": plotting.losses_vs_recruits(
            result.loss_claims, path, result.recruit_claims, required, level * result.killed.central,
            recruitment_path(result), claims, result.loss_ids,
            f"Recruiting about {narrative.count(result.inputs.recruits.central)} a month against permanent losses and "
            f"other exits of about {narrative.count(result.deterministic['outflow'].iloc[0])} a month"),
        "recruitment_killed_check": plotting.cumulative_killed(
            result.model_killed, result.killed_check, claims, id_list(result.loss_ids, result.share_ids),
            _killed_check_title(result), _stated_rate_line(result)),
        "recruitment_bonuses": plotting.signing_bonuses(bonuses, claims, _bonuses_title(bonuses)),
        "recruitment_fan": plotting.fan_chart(
            mc, claims, ids,
            f"A median change of {narrative.signed(end['cumulative_q50'])} over {result.horizon} months; "
            f"{narrative.chance(end['p_cumulative_negative'], n)} that the force ends smaller"),
        "recruitment_tornado": plotting.tornado_chart(
            result.tornado, claims, ids,
            f"{INPUT_WORDS[top['input']].capitalize()} moves the {result.horizon}-month outcome most: "
            f"{narrative.signed(min(top['outcome_at_low'], top['outcome_at_high']))} to "
            f"{narrative.signed(max(top['outcome_at_low'], top['outcome_at_high']))}"),
        "recruitment_decline_probability": plotting.decline_probability(
            mc, claims, ids,
            f"The force is smaller than at the start in {narrative.of_draws(mc['p_cumulative_negative'].iloc[year - 1], n)} "
            f"after {year} months, {narrative.of_draws(end['p_cumulative_negative'], n)} after {result.horizon}"),
    }


def recruitment_inputs_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The model's inputs, each with its range, where it comes from and the claims behind it."""
    r = result
    rows = pd.DataFrame([
        ("Contract recruits a month, first modelled month", narrative.count(r.inputs.recruits.central),
         narrative.span(r.inputs.recruits.low, r.inputs.recruits.high),
         f"claims in the window to {r.as_of:%Y-%m-%d}"
         + ("" if r.recruits_path == "flat" else ", moved along its growth from the window's middle"), r.recruits.claim_ids),
        ("Killed and wounded a month, first modelled month", narrative.count(r.losses.central),
         narrative.span(r.losses.low, r.losses.high),
         "Ukrainian General Staff's monthly rates (fitted trend) x Western estimates / its totals", r.loss_ids),
        ("Growth of losses a year", narrative.share(r.loss_growth.central),
         narrative.span(r.loss_growth.low, r.loss_growth.high, narrative.share),
         {"trend": "the trend's slope, 90% confidence interval", "flat": "held flat (scenario)",
          "growth": "set by the scenario"}[r.loss_path], r.loss_ids if r.loss_path == "trend" else ()),
        ("Growth of recruitment a year", narrative.share(r.recruit_growth.central),
         narrative.span(r.recruit_growth.low, r.recruit_growth.high, narrative.share),
         {"trend": "log-linear trend of the yearly totals; range = the changes from one year to the next",
          "flat": "held flat (scenario, or fewer than two years of totals)",
          "last_year": "the latest year's change (scenario)"}[r.recruits_path],
         id_list(r.yearly_recruits["claim_ids"]) if r.recruits_path != "flat" else ()),
        ("Share of losses that are permanent", narrative.share(r.permanent_share.central),
         narrative.span(r.permanent_share.low, r.permanent_share.high, narrative.share),
         "claims giving permanent losses and their total" if r.permanent_basis == "claims" else
         "killed share from claims + assumed share of wounded who never return", r.share_ids),
        ("Other exits a month (prisoners, desertion)", narrative.count(r.other_exits.central),
         narrative.span(r.other_exits.low, r.other_exits.high), "claims in the window" if len(r.exits) else "no claim: none",
         id_list(r.exits["claim_ids"])),
    ], columns=["input", "central", "range", "basis", "claim_ids"])
    return narrative.table(rows, {"input": "Input", "central": "Central", "range": "Range", "basis": "From"},
                           {"central": linked(claims, lambda row: row["central"])})

def rate_check_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Western killed and killed-or-wounded rate claims in the window against the model's losses."""
    if result.rate_check.empty:
        return "<p>No Western rate claim in the window.</p>"
    return narrative.table(
        result.rate_check, {"claimant": "Claimant", "what": "Counts", "from": "Period", "claimed": "Claimed a month",
                            "model": "Model a month", "gap": "Claim vs model"},
        {"from": lambda _v, r: f"{r['from']:%Y-%m-%d}" + ("" if r["from"] == r["to"] else f" to {r['to']:%Y-%m-%d}"),
         "claimed": lambda v, r: narrative.link(narrative.converted(v), claims, [r["id"]]),
         "model": lambda v, _r: narrative.count(v), "gap": lambda v, _r: f"{v:+.0%}"})

def monte_carlo_table(result: RecruitmentResult) -> str:
    """The Monte Carlo at the first month, a year in and the horizon: change in the force and chances."""
    rows = result.monte_carlo.iloc[[0, 11, -1] if result.horizon > 12 else [0, -1]].reset_index()
    return narrative.table(
        rows, {"month": "Month", "cumulative_q50": "Change since the start (median)", "cumulative_q05": "90% of draws",
               "p_net_negative": "Shrinks that month", "p_cumulative_negative": "Smaller than at the start"},
        {"month": lambda v, _r: str(v), "cumulative_q50": lambda v, _r: narrative.signed(v),
         "cumulative_q05": lambda _v, r: f"{narrative.signed(r['cumulative_q05'])} to {narrative.signed(r['cumulative_q95'])}",
         "p_net_negative": lambda v, _r: narrative.of_draws(v, result.n_draws),
         "p_cumulative_negative": lambda v, _r: narrative.of_draws(v, result.n_draws)})


def yearly_recruits_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Recruits a month per year from the yearly and year-to-date totals, with the growth they give."""
    if result.yearly_recruits.empty:
        return "<p>No yearly or year-to-date total of recruits public by then.</p>"
    rows = result.yearly_recruits.assign(change=result.yearly_recruits["rate"].pct_change())
    return narrative.table(
        rows, {"year": "Year", "rate": "Recruits a month (median of claims)", "low": "Range of claims",
               "through": "Through", "change": "Change on the year before", "claim_ids": "Claims"},
        {"year": lambda v, _r: str(v), "rate": lambda v, _r: narrative.count(v),
         "low": lambda v, r: narrative.span(v, r["high"]), "through": lambda v, _r: f"{v:%Y-%m-%d}",
         "change": lambda v, _r: narrative.DASH if v != v else f"{v:+.1%}",
         "claim_ids": lambda v, _r: narrative.link(f"{len(v)} claim(s)", claims, v)})


def loss_bases_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The loss bases side by side: killed a month, killed and wounded a month, and the answer each gives."""
    return narrative.table(
        result.bases, {"label": "Loss basis", "killed": "Killed a month", "losses": "Killed and wounded a month",
                       "p": f"Force smaller after {result.horizon} months", "q50": "Median change (90% of draws)"},
        {"label": lambda v, r: narrative.link(v + (f" ({r['who']})" if r["who"] else ""), claims, r["claim_ids"]),
         "killed": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['killed_low'], r['killed_high'])})",
         "losses": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['losses_low'], r['losses_high'])})",
         "p": lambda v, _r: narrative.chance(v, result.n_draws),
         "q50": lambda v, r: f"{narrative.signed(v)} ({narrative.signed(r['q05'])} to {narrative.signed(r['q95'])})"})


def killed_check_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """Each named-death count and cumulative killed estimate beside the model's cumulative killed at its date."""
    bounds = {"up_to": "up to ", "at_least": "at least "}
    return narrative.table(
        result.killed_check, {"date": "Date", "what": "Counts", "claimant": "Claimant", "claimed": "Claimed",
                              "model": "Model (range)", "model_low": "Claim vs model"},
        {"date": lambda v, _r: f"{v:%Y-%m-%d}",
         "claimed": lambda v, r: narrative.link(bounds.get(r["bound"], "") + narrative.converted(v), claims, [r["id"]]),
         "model": lambda v, r: f"{narrative.count(v)} ({narrative.span(r['model_low'], r['model_high'])})",
         "model_low": lambda _v, r: f"{r['claimed'] / r['model'] - 1:+.0%}" if r["model"] == r["model"] else narrative.DASH},
        missing_note="outside the dates of the Ukrainian count")

def alternatives_table(result: RecruitmentResult, claims: pd.DataFrame) -> str:
    """The tornado's inputs and the alternative assumptions, with the outcome each gives."""
    tornado = result.tornado.assign(change=[f"{INPUT_WORDS[i]} from its low to its high end" for i in result.tornado["input"]],
                                    outcome=[f"{narrative.signed(lo)} to {narrative.signed(hi)}" for lo, hi in
                                             zip(result.tornado["outcome_at_low"], result.tornado["outcome_at_high"])],
                                    claim_ids=[()] * len(result.tornado))
    alternatives = recruitment_alternatives(result)
    alternatives = alternatives.assign(outcome=[narrative.signed(o) for o in alternatives["outcome"]])
    rows = pd.concat([tornado[["change", "outcome", "claim_ids"]], alternatives[["change", "outcome", "claim_ids"]]])
    return narrative.table(rows, {"change": "If", "outcome": f"Change after {result.horizon} months"},
                           {"change": lambda v, r: narrative.link(v, claims, id_list(r["claim_ids"]))})
