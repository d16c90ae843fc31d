"""What every analysis shares: dates, claims by id, the reports' header and likelihood note, and tables
whose numbers link to their claims."""

from __future__ import annotations

import html

import pandas as pd

from sustainment.claims import id_list
from sustainment.claims.dates import parse_as_of
from sustainment.claims.reads import record_reads
from sustainment.models.uncertainty import Range
from sustainment.presentation import narrative

FIRST_YEAR = 2022  # the first full year of the war: where the ammunition comparison starts by default

WINDOW_MONTHS = 24  # months before as_of whose claims set recruitment and losses by default

UNIT_WORDS = {"rounds/year": "rounds a year", "persons/month": "persons a month", "persons": "persons", "ratio": "ratio",
              "share": "share"}

def as_of_date(claims: pd.DataFrame, as_of: str = "") -> pd.Timestamp:
    """The `as_of` parameter as a date (`dates.parse_as_of`); empty = the latest date any claim became public."""
    day = parse_as_of(as_of)
    return pd.Timestamp(day) if day else claims["known_from"].max()

def claim(claims: pd.DataFrame, claim_id: str, parameter: str, as_of: pd.Timestamp) -> pd.Series:
    """One claim by id, public by `as_of`; ValueError naming the parameter otherwise (an analysis
    of what was known then cannot lean on what was said later)."""
    found = claims[claims["id"] == claim_id]
    record_reads(found["metric"])
    if found.empty:
        raise ValueError(f"{parameter}: no claim with id {claim_id!r} in data/")
    row = found.iloc[0]
    if row["known_from"] > as_of:
        raise ValueError(f"{parameter}: claim {claim_id!r} was public on {row['known_from']:%Y-%m-%d}, after as_of "
                         f"{as_of:%Y-%m-%d}: choose another claim or none")
    return row


def metric_natures(claims: pd.DataFrame) -> dict[str, str]:
    """metric -> nature (observed, capacity, target, need), as metrics.csv says."""
    return claims.drop_duplicates("metric").set_index("metric")["nature"].to_dict()

def actor_names(claims: pd.DataFrame) -> dict[str, str]:
    """actor code -> name, as actors.csv says."""
    return claims.drop_duplicates("actor").set_index("actor")["actor_name"].to_dict()

def linked(claims: pd.DataFrame, text_of, ids_column: str = "claim_ids"):
    """A table formatter: the cell's text (`text_of(row)`) linked to the claims in the row's `ids_column`."""
    return lambda _value, row: narrative.link(text_of(row), claims, id_list(row[ids_column]))

def evidence_table(frame: pd.DataFrame, claims: pd.DataFrame, columns: dict[str, str]) -> str:
    """A table of evidence rows (each with `claim_ids`), shares as percentages, rates as counts, dates as days."""
    formats = {}
    for name in columns:
        if name in ("share", "low", "high"):
            formats[name] = lambda v, _r: narrative.share(v)
        elif name == "rate":
            formats[name] = lambda v, _r: narrative.count(v)
        elif name == "date":
            formats[name] = lambda v, _r: f"{v:%Y-%m-%d}"
    formats["claim_ids"] = lambda v, _r: narrative.link(f"{len(id_list(v))} claim(s)", claims, id_list(v))
    return narrative.table(frame, {**columns, "claim_ids": "Claims"}, formats)

def claims_table(selection: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Claims as stated: claimant, number with its unit, period, quote (with its English translation
    when the quote is in another language); each linked to its entry."""
    return narrative.table(
        selection, {"claimant": "Claimant", "value": "Stated", "period_end": "Period", "quote": "Quote"},
        {"value": lambda v, r: narrative.link(f"{narrative.stated(v)} {r['unit']}", claims, [r["id"]]),
         "period_end": lambda _v, r: f"{r['period_start']:%Y-%m-%d} to {r['period_end']:%Y-%m-%d}",
         "quote": lambda v, r: html.escape(v) + (f"<br><i>In English: {html.escape(r['quote_en'])}</i>"
                                                  if r.get("quote_en") else "")})

def plain(text: str, _claims: pd.DataFrame, _claim_ids) -> str:
    """A `link` that links nothing: bottom lines for the deck, which carries its claims in notes."""
    return text

def vintage_words(claims: pd.DataFrame) -> str:
    """When the newest claim was public, and, when a derived series (data/claims_*.csv, imported
    by a script) is newer, when the newest curated claim (data/claims.csv) was."""
    newest = claims["known_from"].max()
    curated = claims.loc[claims["file"].str.endswith("/claims.csv"), "known_from"].max()
    if pd.isna(curated) or curated == newest:
        return f"{newest:%Y-%m-%d} (the latest claim in data/)"
    return f"{newest:%Y-%m-%d} (the latest claim in data/; the latest curated claim, in data/claims.csv: {curated:%Y-%m-%d})"


RECRUITMENT_SERIES = (("recruits", "Russian recruits"),
                      ("casualties_killed_wounded_claimed_ua", "Ukrainian General Staff's count"),
                      ("casualties_killed_wounded", "killed and wounded estimates"), ("casualties_killed", "killed estimates"))


def headline_series(claims: pd.DataFrame) -> list[tuple[tuple[str, ...], str, str]]:
    """(metrics, actor, label) of each series a headline number rests on: the ammunition supply
    components, then Russian recruitment and losses."""
    from sustainment.models.ammunition import DEFAULT_COMPONENTS

    names = actor_names(claims)
    kind = {True: "deliveries", False: "output"}
    supply = [(c.metrics, c.actor, f"{names.get(c.actor, c.actor)} {kind['shells_delivered' in c.metrics]}")
              for c in DEFAULT_COMPONENTS]
    return supply + [((metric,), "RU", label) for metric, label in RECRUITMENT_SERIES]


def series_ages(claims: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """For each headline series: its newest claim public by `as_of`, when it became public and how
    many months before `as_of` (columns label, id, newest, months; series without a claim left out)."""
    from sustainment.claims import select
    from sustainment.claims.units import DAYS_PER_MONTH

    rows = []
    for metrics, actor, label in headline_series(claims):
        known = select(claims, metric=list(metrics), actor=actor, as_of=as_of)
        if len(known):
            newest = known.sort_values(["known_from", "id"]).iloc[-1]
            rows.append({"label": label, "id": newest["id"], "newest": newest["known_from"],
                         "months": round((as_of - newest["known_from"]).days / DAYS_PER_MONTH)})
    return pd.DataFrame(rows, columns=["label", "id", "newest", "months"])


def ages_words(claims: pd.DataFrame, as_of: pd.Timestamp) -> str:
    """The age of each headline series' newest claim as one HTML line, each date linked to its claim."""
    ages = series_ages(claims, as_of)
    parts = [f"{html.escape(row.label)} {narrative.link(f'{row.newest:%Y-%m-%d}', claims, [row.id])} ({row.months})"
             for row in ages.itertuples()]
    return "<b>newest claim of each headline series</b> (months before the cut-off): " + " · ".join(parts)


def report_header(claims: pd.DataFrame, scenario: str, as_of: pd.Timestamp, policy: str) -> str:
    """The lines every report opens with (HTML, with the reports' style): scenario, the date claims
    were public by, the data vintage (`vintage_words`), the estimate policy, and how old the newest
    claim of each headline series is (`ages_words`)."""
    return (f"{narrative.STYLE}<p><b>Scenario</b> <code>{html.escape(scenario)}</code> · <b>claims public by</b> "
            f"{as_of:%Y-%m-%d} · <b>data vintage</b> {html.escape(vintage_words(claims))} · "
            f"<b>estimate policy</b> {html.escape(policy)}</p><p class=\"note\">{ages_words(claims, as_of)}</p>")

def range_of(values: pd.Series, parameter: str) -> Range:
    if values.empty:
        raise ValueError(f"{parameter}: no matching claims")
    return Range(float(values.min()), float(values.median()), float(values.max()))
