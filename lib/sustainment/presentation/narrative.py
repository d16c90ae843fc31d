"""Words from numbers: formatting for findings, titles, tables and decks, the likelihood scale,
and links from every number to the claims behind it.

One rounding rule for modelled numbers: two significant figures ("about 710,000", "6.4 million",
"2.1x"), because the inputs are claims that rarely agree to better than that. A claim keeps the
precision its claimant stated (`stated`). Nothing here holds a figure: every function formats what
the models computed.
"""

from __future__ import annotations

import hashlib
import html
import math

import pandas as pd

from sustainment import layout

SIGNIFICANT = 2
DASH = "–"  # what a table shows for a missing value (with a footnote)
STYLE = """<style>
table.readable { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
table.readable th, table.readable td { text-align: left !important; padding: .25em .6em; border-bottom: 1px solid #ddd;
  vertical-align: top; }
table.readable td:not(:first-child) { font-variant-numeric: tabular-nums; }
a.claim { text-decoration: none; border-bottom: 1px dotted #2166ac; }
figure.chart { margin: 1em 0 2em; } figure.chart img { max-width: 100%; }
.chart-title { font-weight: bold; font-size: 1.1em; margin: 0; } .chart-subtitle { color: #555; margin: .2em 0 .5em; }
figure.chart figcaption, p.note { color: #555; font-size: .85em; }
</style>"""  # the reports' reading style: left-aligned tables, dotted links to claims

# US intelligence community, ICD 203 (2015): probability ranges and the words that express them.
LIKELIHOOD_SCALE = (
    (0.05, "almost no chance"),
    (0.20, "very unlikely"),
    (0.45, "unlikely"),
    (0.55, "roughly even chance"),
    (0.80, "likely"),
    (0.95, "very likely"),
    (1.00, "almost certain"),
)
LIKELIHOOD_SOURCE = "US Intelligence Community Directive 203 (2015)"
SIDE_WORDS = {"russia": "Russian side", "west": "Western side"}  # the sides in sentences and chart legends


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_sig(value: float, digits: int = SIGNIFICANT) -> float:
    """`value` rounded to `digits` significant figures (0 stays 0)."""
    if value == 0 or _missing(value) or math.isinf(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def count(value: float) -> str:
    """A modelled count, two significant figures: 709,396 -> '710,000'; 6,370,000 -> '6.4 million'."""
    if _missing(value):
        return "n/a"
    rounded = round_sig(value)
    if abs(rounded) >= 1e6:
        return f"{rounded / 1e6:.{max(0, SIGNIFICANT - len(str(int(abs(rounded) // 1e6))))}f} million"
    return f"{rounded:,.0f}"


def plural(n: int, noun: str) -> str:
    """'1 cap', '3 caps', '2 claims left out', '6 past targets': the word that takes the s is the
    first unless the noun is an adjective then a noun ('past target')."""
    words = noun.split(" ")
    at = 1 if len(words) > 1 and words[0] in PLURAL_ADJECTIVES else 0
    words[at] += "" if n == 1 else "s"
    return f"{n} {' '.join(words)}"


PLURAL_ADJECTIVES = {"past", "new", "other"}


def stated(value: float) -> str:
    """A claim's number as its claimant stated it: 422,704 stays '422,704'; 1,100,000 -> '1.1 million'."""
    if _missing(value):
        return "n/a"
    if abs(value) >= 1e6 and value % 1e5 == 0:
        return f"{value / 1e6:g} million"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def converted(value: float) -> str:
    """A claim's number in the metric's unit (a daily figure made monthly, a total made a rate):
    three significant figures, since the conversion adds digits no claimant gave: 12,676.72 ->
    '12,700'; 1,696,801.72 -> '1.70 million'."""
    if _missing(value):
        return "n/a"
    rounded = round_sig(value, 3)
    if abs(rounded) >= 1e6:
        return f"{rounded / 1e6:.{max(0, 3 - len(str(int(abs(rounded) // 1e6))))}f} million"
    return f"{rounded:,.0f}" if abs(rounded) >= 100 else f"{rounded:g}"


def span(low: float, high: float, formatter=count) -> str:
    """'2.0 million to 4.5 million', or one value when both ends read the same."""
    return formatter(low) if formatter(low) == formatter(high) else f"{formatter(low)} to {formatter(high)}"


def times(value: float) -> str:
    """2.54 -> '2.5x'; 10.66 -> '11x'."""
    if _missing(value):
        return "n/a"
    rounded = round_sig(value)
    return f"{rounded:.{max(0, SIGNIFICANT - 1 - int(math.floor(math.log10(abs(rounded)))))}f}x" if rounded else "0x"


def share(value: float) -> str:
    """0.253 -> '25%'; 0.004 -> 'under 1%'; 0.996 -> 'over 99%'."""
    if _missing(value):
        return "n/a"
    if 0 < value < 0.01:
        return "under 1%"
    if 0.99 < value < 1:
        return "over 99%"
    return f"{round_sig(value * 100):g}%"


def by_unit(value: float, unit: str) -> str:
    """A value as its unit reads best: ratios as '2.5x', shares as '25%', counts and rates as counts."""
    return times(value) if unit == "ratio" else share(value) if unit == "share" else count(value)


def span_by_unit(low: float, high: float, unit: str) -> str:
    """`span` with the unit's formatting."""
    return span(low, high, lambda value: by_unit(value, unit))


def sentence(text: str) -> str:
    """Text as a sentence: its first letter upper case (the rest untouched), a full stop at the end."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def signed(value: float) -> str:
    """A change with its sign: '+7,200' / '-12 million'."""
    return ("+" if value >= 0 else "-") + count(abs(value))


def likelihood(probability: float) -> str:
    """The ICD 203 word for a probability: 0.18 -> 'very unlikely'."""
    for upper, word in LIKELIHOOD_SCALE:
        if probability <= upper:
            return word
    raise ValueError(f"probability: expected 0..1, got {probability}")


def draws_interval(probability: float, n_draws: int) -> tuple[float, float]:
    """The 95% (Wilson) interval of a share of `n_draws` Monte Carlo draws: its sampling error alone."""
    z = 1.96
    scale = 1 + z * z / n_draws
    centre = (probability + z * z / (2 * n_draws)) / scale
    half = z * math.sqrt(probability * (1 - probability) / n_draws + z * z / (4 * n_draws * n_draws)) / scale
    return max(0.0, centre - half), min(1.0, centre + half)


def likelihood_words(low: float, high: float) -> str:
    """The scale's word for a probability known to lie in [low, high]: two words joined by 'to'
    when the interval straddles a boundary ('very unlikely to unlikely'), so that a difference
    smaller than the error cannot flip the word."""
    first, last = likelihood(low), likelihood(high)
    return first if first == last else f"{first} to {last}"


def of_draws(probability: float, n_draws: int) -> str:
    """A Monte Carlo share as what it is: '20% of 20,000 draws'; never 0% or 100% from finite
    draws ('none of 20,000 draws', 'all 20,000 draws')."""
    if probability == 0:
        return f"none of {n_draws:,} draws"
    if probability == 1:
        return f"all {n_draws:,} draws"
    return f"{share(probability)} of {n_draws:,} draws"


def chance(probability: float, n_draws: int) -> str:
    """The scale's word(s) for a model's share of draws, with the share: 'very unlikely to unlikely
    in this model (20% of 20,000 draws)'. The words cover the share's Monte Carlo error; 'in this
    model' because a share of draws is not a judgement of the world."""
    return f"{likelihood_words(*draws_interval(probability, n_draws))} in this model ({of_draws(probability, n_draws)})"


def it_is(probability: float, n_draws: int) -> str:
    """`chance` as the start of a sentence's clause: 'it is very unlikely in this model (18% of
    20,000 draws)', and for the scale's nouns 'there is almost no chance in this model (...)'."""
    words = chance(probability, n_draws)
    if words.startswith(("almost no chance", "roughly even chance")) and " to " not in words.split(" in this model")[0]:
        return f"there is {'a ' if words.startswith('roughly') else ''}{words}"
    return f"it is {words}"


ICD_203_PRINTED = ("1-5%", "5-20%", "20-45%", "45-55%", "55-80%", "80-95%", "95-99%")  # as the directive prints them


def likelihood_table() -> pd.DataFrame:
    """The scale as ICD 203 prints it, for the reports' methods sections."""
    return pd.DataFrame({"term": [word for _, word in LIKELIHOOD_SCALE], "probability": list(ICD_203_PRINTED)})


def likelihood_note() -> str:
    """The likelihood scale the bottom lines use, and what its words describe, as sentences."""
    scale = likelihood_table()
    return ("Likelihood words follow " + LIKELIHOOD_SOURCE + ": "
            + "; ".join(f"{t} {p}" for t, p in zip(scale["term"], scale["probability"])) + ". "
            "Here they describe the share of a model's Monte Carlo draws, not a judgement of the world; "
            "when the share's sampling error straddles a boundary both words are given.")


# --- links to claims -----------------------------------------------------------------------

def claims_anchor(claim_ids) -> str:
    """The anchor on the claims page for one claim (`claim-<id>`) or a set of them (`claims-<digest>`)."""
    ids = sorted({i for i in claim_ids if i})
    if len(ids) == 1:
        return f"claim-{ids[0]}"
    return "claims-" + hashlib.sha1("\n".join(ids).encode()).hexdigest()[:12]


INERT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[]()!#~|$"})  # HTML, Markdown and math syntax


def escape(text: str) -> str:
    """Data text made inert for an HTML report whose text also passes through Markdown: HTML
    escaped, and the characters Markdown and math read as syntax (links, emphasis, code, `$`)
    written as character references, which display as themselves. Every string from data/ that
    reaches a report's text goes through here (or through an autoescaping template)."""
    return text.translate(INERT)


def link(text: str, claims: pd.DataFrame, claim_ids, page: str = layout.UP + layout.CLAIMS_PAGE) -> str:
    """`text` as an HTML link to the claims behind it; hovering shows claimant and date; the ids
    travel in `data-claims` so that the claims page can list every set the reports use."""
    ids = sorted({i for i in claim_ids if i})
    if not ids:
        return escape(text)
    rows = claims[claims["id"].isin(ids)].sort_values(["known_from", "id"])
    shown = [f"{r.claimant} ({r.known_from:%Y-%m-%d})" for r in rows.head(3).itertuples()]
    more = f"; +{len(rows) - 3} more" if len(rows) > 3 else ""
    return (f'<a class="claim" href="{page}#{claims_anchor(ids)}" title="{escape("; ".join(shown) + more)}" '
            f'data-claims="{" ".join(ids)}">{escape(text)}</a>')


# --- tables --------------------------------------------------------------------------------

def table(frame: pd.DataFrame, columns: dict[str, str], formats: dict | None = None, missing_note: str = "") -> str:
    """An HTML table for readers: the `columns` given (name -> heading), no index, each value
    through its formatter (`formats`: column -> callable(value, row) -> text, HTML allowed), numbers
    with thousands separators, a dash where a value is missing and a footnote saying why."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(heading)}</th>" for heading in columns.values())
    body, dashes = [], False
    for _, row in frame.iterrows():
        cells = []
        for name in columns:
            value = row[name]
            if name not in formats and (value is None or (not isinstance(value, str) and pd.isna(value))):
                cells.append(DASH)
                dashes = True
            elif name in formats:
                cells.append(formats[name](value, row))
            elif isinstance(value, float | int) and not isinstance(value, bool):
                cells.append(f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}")
            else:
                cells.append(html.escape(str(value)))
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    note = f'<p class="note">{DASH}: {html.escape(missing_note or "no value")}</p>' if dashes else ""
    return f'<table class="readable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}'


CURATOR_MARKERS = {"(from URL slug)": "title read from the address",
                   "(no headline in stored copy)": "title written by the curator: the page has no headline"}


def reader_title(title: str) -> tuple[str, str]:
    """A source's title as readers see it, without the curator's marker ("(from URL slug) ..."),
    and what the marker says ("" without one)."""
    for marker, note in CURATOR_MARKERS.items():
        if title.startswith(marker):
            return title.removeprefix(marker).strip(), note
    return title, ""


def speaker(claimant: str) -> str:
    """Who made a claim, without the occasion: the claimant before any comma, parenthesis or " / "
    ("Janis Kluge, SWP (Q3 2024 reading)" -> "Janis Kluge")."""
    return claimant.split(",")[0].split("(")[0].split(" / ")[0].strip()


def short_name(claimant: str, longest: int = 24) -> str:
    """A claimant as a chart label: the words before any parenthesis or " / "; when that is long,
    the name before a comma ("Lloyd Austin, US Secretary of Defense" -> "Lloyd Austin"), else its
    last words ("NATO Secretary General Mark Rutte (CBS)" -> "Mark Rutte", "... Ministry of
    Defence" -> "Ministry of Defence")."""
    name = claimant.split("(", 1)[0].split(" / ", 1)[0].strip().rstrip(",;")
    if len(name) <= longest:
        return name
    first = name.split(",", 1)[0].strip()
    if len(first) <= longest:
        return first
    words = first.split()
    return " ".join(words[-3:] if len(words) > 2 and words[-2].islower() else words[-2:])
