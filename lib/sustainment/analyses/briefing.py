"""The briefing: key numbers across both questions, its charts (the deck's) and the files the deck
reads beside them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from sustainment import layout
from sustainment.analyses.ammunition import (
    AmmunitionResult,
    ammunition_analysis,
    ammunition_charts,
    production_rows,
)
from sustainment.analyses.common import UNIT_WORDS, linked
from sustainment.analyses.recruitment import RecruitmentResult, recruitment_analysis
from sustainment.analyses.recruitment_report import recruitment_charts
from sustainment.analyses.registry import PIPELINES
from sustainment.claims import id_list, join_ids, split_ids
from sustainment.models.uncertainty import Range
from sustainment.presentation import narrative

METHODS = (  # the deck's "Methods and caveats" slide and methods.html, one text
    "Estimates: the central figure is the median of the claims that state the quantity, each statement counted once; "
    "'up to' and 'at least' claims, parts (one plant, one calibre) and forecasts only bound the range.",
    "Ammunition, what is counted: rounds of tube artillery of every calibre on both sides. A claim counting more "
    "(mortars, rockets, every projectile) only caps an estimate, one counting less (152/155mm alone) only floors it, "
    "unless its source breaks it down (the Estonian report's 3.4 million howitzer shells of about 7 million "
    "projectiles); claims that do not say what they count are read as tube artillery.",
    "Ammunition, the sides: Russian side = Russian output + North Korean and Iranian deliveries; Western side = EU, US "
    "and Ukrainian output + the Czech-led initiative's deliveries (not all Western output reaches Ukraine). Deliveries "
    "count from their first claim; a total over several years is split into the years it spans by the claims on its "
    "parts; a component with no claim in a year carries its latest earlier estimate (marked), its range widening with "
    "each year of age.",
    "Will it last: each component projected from the last observed year, along the forward claims that state a level, "
    "discounted by how the actor's past targets came true, or held flat; ranges widen each projected year. The ratio "
    "between the sides comes from Monte Carlo draws, each component drawn from a PERT distribution over its range.",
    "Manpower: monthly stock-flow. In: recruits (+ mobilization, foreign troops). Out: killed + wounded x the share that is "
    "permanent, + desertion and capture. Losses: the Ukrainian General Staff's monthly rates rescaled to Western estimates, "
    "following their fitted trend.",
    narrative.likelihood_note(),
    "Caveats: shell counts mix new and refurbished rounds, and most do not say which calibres they count; North Korean "
    "container counts are caps; Russian recruitment claims come from interested officials; Western killed-a-month "
    "claims disagree with the model's losses (see the recruitment report).",
)
BRIEFING_PREFIX = "briefing_"  # the briefing's own charts: beside the other reports' in one figures folder
DECK_CHARTS = ("ammunition_ratio", "ammunition_supply_by_side", "ammunition_projection", "recruitment_losses_vs_recruits",
               "recruitment_killed_check", "recruitment_fan", "recruitment_tornado")


def charts_of_briefing(ammunition: AmmunitionResult, recruitment: RecruitmentResult, claims: pd.DataFrame) -> dict:
    """The briefing's charts (the deck's, in its order), named `briefing_<chart>`."""
    charts = {**ammunition_charts(ammunition, claims), **recruitment_charts(recruitment, claims)}
    return {f"{BRIEFING_PREFIX}{name}": charts[name] for name in DECK_CHARTS}


def briefing_charts(claims: pd.DataFrame, parameters: dict) -> dict:
    """The briefing's charts for one set of notebook parameters (as the manifest records them),
    computed again from the claims (the comparison deck redraws pairs on one scale)."""
    ammunition = ammunition_analysis(claims, **PIPELINES["ammunition"].inputs(parameters))
    recruitment = recruitment_analysis(claims, **PIPELINES["recruitment"].inputs(parameters))
    return charts_of_briefing(ammunition, recruitment, claims)


def _band(ratio: pd.Series) -> Range:
    """A ratio's central figure with 90% of its draws, widened to hold the central (the ratio of the
    sides' centrals can sit just outside the draws' band)."""
    return Range(min(ratio["q05"], ratio["central"]), ratio["central"], max(ratio["q95"], ratio["central"]))


def headline_numbers(claims: pd.DataFrame, ammunition_result: AmmunitionResult,
                     recruitment_result: RecruitmentResult) -> pd.DataFrame:
    """The key numbers of the briefing, each with its range and the claims (and sources) that fed it."""
    year = ammunition_result.last_year
    totals = ammunition_result.totals.set_index(["year", "side"])
    ratio = ammunition_result.ratio.set_index("year").loc[year]
    ahead = ammunition_result.forward_ratio.set_index("year").loc[ammunition_result.horizon_year]
    made = ammunition_result.production_ratio.set_index("year").loc[year]
    r = recruitment_result
    end = r.monte_carlo.iloc[-1]
    rows = [
        *((f"{label} artillery supply, {year}", Range(*totals.loc[(year, side), ["low", "central", "high"]]), "rounds/year",
           [totals.loc[(year, side), "claim_ids"]]) for side, label in (("russia", "Russian-side"), ("west", "Western-side"))),
        (f"Supply ratio Russia : West, {year} (central figures; 90% of draws)",  # the central can sit just outside the band
         _band(ratio), "ratio",
         list(ammunition_result.totals.loc[ammunition_result.totals["year"] == year, "claim_ids"])),
        (f"Production ratio, Russia : EU and US output, {year} (central figures; 90% of draws)",
         _band(made), "ratio", list(production_rows(ammunition_result)["claim_ids"])),
        (f"Supply ratio Russia : West, {ammunition_result.horizon_year} (projected, ranges widening each year; "
         "central figures; 90% of draws)", _band(ahead), "ratio",
         list(ammunition_result.totals.loc[ammunition_result.totals["year"] == year, "claim_ids"])),
        ("Russian contract recruits a month, first modelled month", r.inputs.recruits, "persons/month", r.recruit_ids),
        ("Yearly change of Russian recruitment over the horizon", r.recruit_growth, "share",
         r.yearly_recruits["claim_ids"] if r.recruits_path != "flat" else ()),
        ("Russian killed and wounded a month, first modelled month", r.losses, "persons/month", r.loss_ids),
        *((f"Russian killed a month, {label}", Range(*r.bases.loc[basis, ["killed_low", "killed", "killed_high"]]),
           "persons/month", r.bases.at[basis, "claim_ids"])
          for basis, label in (("model", "this model (first modelled month)"),
                               ("statements", "Western officials' statements")) if basis in r.bases.index),
        ("Share of losses that are permanent (killed, missing, never returning)", r.permanent_share, "share", r.share_ids),
        ("Other exits a month (prisoners, desertion)", r.other_exits, "persons/month", r.exits["claim_ids"]),
        ("Break-even killed and wounded a month at the central recruitment", r.break_even, "persons/month",
         id_list(r.recruits.claim_ids, r.share_ids)),
        (f"Change in Russian personnel after {r.horizon} months (90% of draws)",
         Range(end["cumulative_q05"], end["cumulative_q50"], end["cumulative_q95"]), "persons", r.claim_ids),
        (f"Chance the force is smaller after {r.horizon} months (share of draws; range = its Monte Carlo error)",
         Range(*r.bases.loc["model", ["p_low", "p", "p_high"]]), "share", r.claim_ids),
    ]
    if "statements" in r.bases.index:  # the basis that contradicts the model, when the claims give it
        rows.append((f"Change after {r.horizon} months at the statements' killed rate (90% of draws)",
                     Range(*r.bases.loc["statements", ["q05", "q50", "q95"]]), "persons",
                     r.bases.at["statements", "claim_ids"]))
    table = []
    for label, value, unit, claim_ids in rows:
        ids = id_list(claim_ids)
        sources = sorted(set(claims.loc[claims["id"].isin(ids), "source_id"]))
        table.append({"number": label, "low": value.low, "central": value.central, "high": value.high, "unit": unit,
                      "claim_ids": tuple(ids), "source_ids": tuple(sources)})
    return pd.DataFrame(table)

def scenario_key_numbers(claims: pd.DataFrame, scenario_parameters: Mapping) -> pd.DataFrame:
    """The briefing's key numbers for a scenario's parameters (the pipelines' declared defaults
    for the rest), computed from the claims as the briefing notebook computes them."""
    values = {name: parameter.default for pipeline in PIPELINES.values() for name, parameter in pipeline.signature().items()}
    values.update(scenario_parameters)
    return headline_numbers(claims, ammunition_analysis(claims, **PIPELINES["ammunition"].inputs(values)),
                            recruitment_analysis(claims, **PIPELINES["recruitment"].inputs(values)))


def key_numbers_markdown(key_numbers: pd.DataFrame) -> str:
    """The key numbers as a Markdown table (README's, generated and tested against the library)."""
    lines = ["| key number | central | range |", "|---|---|---|"]
    lines += [f"| {row['number']} | {key_central(row)} | {key_range(row)} |" for _, row in key_numbers.iterrows()]
    return "\n".join(lines) + "\n"


def key_central(number: Mapping) -> str:
    """A key number's central value as readers see it (a change in persons with its sign)."""
    central, unit = number["central"], number["unit"]
    return narrative.signed(central) if unit == "persons" else narrative.by_unit(central, unit)


def key_range(number: Mapping) -> str:
    """A key number's range, or a dash for a single value (a model's probability)."""
    low, high = number["low"], number["high"]
    return narrative.DASH if low == high else narrative.span_by_unit(low, high, number["unit"])


def key_numbers_table(key_numbers: pd.DataFrame, claims: pd.DataFrame) -> str:
    """The key numbers for readers: each central figure linked to its claims, its range, its unit."""
    return narrative.table(
        key_numbers, {"number": "Key number", "central": "Central", "low": "Range", "unit": "Unit"},
        {"central": linked(claims, key_central), "low": lambda _v, r: key_range(r),
         "unit": lambda v, _r: UNIT_WORDS.get(v, v)})

def read_key_numbers(path: Path) -> pd.DataFrame:
    """A key_numbers.csv that `save_briefing` wrote, with its claim and source ids as tuples again."""
    key_numbers = pd.read_csv(path, keep_default_na=False)
    return key_numbers.assign(**{c: key_numbers[c].map(split_ids) for c in ("claim_ids", "source_ids")})


def save_briefing(directory: str, *, scenario: str, as_of: pd.Timestamp, data_vintage: pd.Timestamp, policy: str,
                  key_numbers: pd.DataFrame, bottom_lines: list[str], headlines: Mapping[str, str]) -> None:
    """Write what the briefing pack and the landing page need beside the charts: key_numbers.csv
    and briefing.json (scenario, as_of, data vintage, policy, the bottom lines as plain text, the
    one-sentence headline of each question). Nothing when `directory` is empty. (Which charts the
    deck shows, the notebooks declare in their metadata.)"""
    if not directory:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = key_numbers.assign(**{c: key_numbers[c].map(join_ids) for c in ("claim_ids", "source_ids")})
    written.to_csv(folder / layout.KEY_NUMBERS_FILE, index=False, lineterminator="\n", float_format="%.6g")
    meta = {"scenario": scenario, "as_of": str(as_of.date()), "data_vintage": str(data_vintage.date()), "policy": policy,
            "bottom_lines": bottom_lines, "headlines": dict(headlines)}
    (folder / layout.BRIEFING_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
