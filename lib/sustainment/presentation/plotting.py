"""Briefing charts: the finding as title, the measure as subtitle, generated source footer,
ranges drawn, one colour per side, byte-stable PNG/SVG/PDF export.

Every chart function takes model outputs plus the claims frame (for the footer) and returns a
`Chart` (the matplotlib figure and what the pages say about it); `save` writes it with fixed
metadata and a JSON sidecar (title, subtitle, source line, source ids) that the index page and
the briefing pack read. The house style is set by `use_style`, which `new_chart` calls.
"""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sustainment import layout
from sustainment.claims import id_list, join_ids, source_line
from sustainment.files import write_atomic
from sustainment.presentation import narrative
from sustainment.presentation.narrative import SIDE_WORDS

SIDE_COLOURS = {"russia": "#b2182b", "west": "#2166ac"}
NEUTRAL = "#555555"
FIGSIZE = (10, 5.625)  # 16:9, the slide's aspect
PNG_DPI = 300
SLIDE_DPI = 200
THUMB_DPI = 48
HTML_DPI = 100
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
STYLE = {
    "svg.hashsalt": "sustainment",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "axes.titlelocation": "left",
    "figure.dpi": 100,
    "text.parse_math": False,  # text from data is text: "$5bn vs $4bn" is not mathtext
}


def use_style() -> None:
    """The house style for what matplotlib draws next (charts, and the deck's PDF pages)."""
    plt.rcParams.update(STYLE)


AXES_LEFT, AXES_WIDTH, LEGEND_WIDTH = 0.08, 0.89, 0.22  # a chart with a legend gives it the right-hand 22%
FOOTER_SOURCES = 5  # a chart's footer names the sources of most of its claims, then "+N more" (all on its page)
LEGEND_CHARACTERS = 26  # legend labels wrap to fit that width at 8 pt


@dataclass
class Chart:
    """A drawn chart: the figure, its plot, and what the pages say about it (the sidecar's text)."""

    figure: plt.Figure
    axes: plt.Axes
    title: str
    subtitle: str
    source_line: str  # every source of the chart's claims, the sources of most claims first
    source_ids: list[str]
    claim_ids: list[str]
    note: str
    texts: list = field(default_factory=list)  # title, subtitle and footer as drawn: a slide hides them
    values: pd.DataFrame | None = None  # what is plotted, one row per point or bar (`plotted`): the chart's CSV
    name: str = ""  # the file name `save` gave it ("" until saved), so that `show` can link its CSV

    def sidecar(self) -> dict:
        return {"title": self.title, "subtitle": self.subtitle, "source_line": self.source_line,
                "source_ids": self.source_ids, "claim_ids": self.claim_ids, "note": self.note}


def plotted(**series: pd.DataFrame) -> pd.DataFrame:
    """The values a chart draws as one table: each named frame's rows under a `series` column (a
    time index becomes a `date` column, tuples of claim ids are joined)."""
    parts = []
    for name, frame in series.items():
        frame = frame.copy()
        if isinstance(frame.index, pd.PeriodIndex | pd.DatetimeIndex):
            index = frame.index.to_timestamp() if isinstance(frame.index, pd.PeriodIndex) else frame.index
            frame = frame.set_index(pd.DatetimeIndex(index, name="date")).reset_index()
        else:
            frame = frame.reset_index(drop=True)
        for column in frame.columns:
            if frame[column].dtype == object and any(isinstance(value, tuple) for value in frame[column]):
                frame[column] = frame[column].map(lambda ids: join_ids(ids) if isinstance(ids, tuple) else ids)
        parts.append(frame.assign(series=name))
    table = pd.concat(parts, ignore_index=True)
    return table[["series", *(c for c in table.columns if c != "series")]]


def values_csv(chart: Chart) -> bytes:
    """The chart's plotted values as CSV bytes, the same for the same drawing (numbers to six
    significant figures, written out in full; dates as days)."""
    table = chart.values.copy()
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(table[column]):
            table[column] = table[column].map(lambda value: "" if value != value else f"{float(f'{value:.6g}'):.15g}")
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def new_chart(title: str, subtitle: str, claims: pd.DataFrame, claim_ids, note: str = "") -> tuple[Chart, plt.Axes]:
    """A 16:9 chart with the finding as title, the measure as subtitle and, as footer, the
    sources of the claims that fed it (`claim_ids`): who first published each claim."""
    use_style()
    used = sorted({i for i in claim_ids if i})
    ids = sorted(set(claims.loc[claims["id"].isin(used), "source_id"]))
    figure = plt.figure(figsize=FIGSIZE)
    title_lines = textwrap.wrap(title, 82)
    subtitle_lines = textwrap.wrap(subtitle, 130)
    footer_lines = [line for part in (note, "Sources: " + (source_line(claims, ids, used, FOOTER_SOURCES) or "none"))
                    if part for line in textwrap.wrap(part, 200)]
    top = 0.965
    texts = [figure.text(0.02, top, "\n".join(title_lines), fontsize=13, fontweight="bold", va="top", linespacing=1.15)]
    top -= 0.052 * len(title_lines) + 0.01
    texts.append(figure.text(0.02, top, "\n".join(subtitle_lines), fontsize=9.5, color=NEUTRAL, va="top"))
    top -= 0.038 * len(subtitle_lines) + 0.03
    bottom = 0.025 + 0.022 * len(footer_lines) + 0.07
    axes = figure.add_axes((AXES_LEFT, bottom, AXES_WIDTH, top - bottom))
    texts.append(figure.text(0.02, 0.015, "\n".join(footer_lines), fontsize=6.5, color=NEUTRAL, va="bottom",
                             linespacing=1.3))
    chart = Chart(figure, axes, title, subtitle, source_line(claims, ids, used), ids, used, note, texts)
    return chart, axes


def legend(axes: plt.Axes, **options) -> None:
    """The legend beside the plot, never over the data: the axes give up the right-hand part of
    the figure and the legend sits there."""
    left, bottom, width, height = axes.get_position().bounds
    axes.set_position((left, bottom, min(width, AXES_LEFT + AXES_WIDTH - LEGEND_WIDTH - left), height))
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(handles, [textwrap.fill(label, LEGEND_CHARACTERS) for label in labels], loc="upper left",
                bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8, borderaxespad=0, **options)


def count_axis(axis) -> None:
    """One number format per axis, chosen from its range: '0', '200k', '1.2M' (or plain below 1,000)."""
    def label(value: float, _position=None) -> str:
        top = max(abs(v) for v in axis.get_view_interval())
        if value == 0:
            return "0"
        if top >= 1e6:
            return f"{value / 1e6:g}M"
        if top >= 1e3:
            return f"{value / 1e3:g}k"
        return f"{value:g}"

    axis.set_major_formatter(label)


def _png(figure: plt.Figure, dpi: float) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata=METADATA["png"])
    return buffer.getvalue()


SLIDE_CHART_IN = (12.3, 5.25)  # a deck's chart: the slide's full width, between its title and its footer
SLIDE_MIN_PT = 12  # no text smaller on the slide


def slide_png(chart: Chart, dpi: float = SLIDE_DPI) -> bytes:
    """The chart as a slide shows it, at the slide's size (`SLIDE_CHART_IN`, so a point is a point
    on the slide): without its title, subtitle and footer, which the slide shows as text; the plot
    and legend grown into their space; no text under `SLIDE_MIN_PT`."""
    from matplotlib.text import Annotation, Text

    figure, position, size = chart.figure, chart.axes.get_position().bounds, chart.figure.get_size_inches()
    for text in chart.texts:
        text.set_visible(False)
    shown = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    sizes = [t.get_fontsize() for t in shown]
    labels = {axis: axis.get_ticklabels()[0].get_fontsize() if axis.get_ticklabels() else None
              for axis in (chart.axes.xaxis, chart.axes.yaxis)}
    offsets = {text: text.xyann for text in shown if isinstance(text, Annotation) and text.anncoords == "offset points"}
    for text, points in zip(shown, sizes):
        text.set_fontsize(max(points, SLIDE_MIN_PT))
        if text in offsets:  # stacked labels keep apart: their offsets grow with their text
            text.xyann = tuple(v * max(points, SLIDE_MIN_PT) / points for v in offsets[text])
    chart.axes.tick_params(labelsize=max(SLIDE_MIN_PT, plt.rcParams["font.size"]))
    figure.set_size_inches(SLIDE_CHART_IN)
    chart.axes.set_position((position[0], 0.12, position[2], 0.84))
    try:
        return _png(figure, dpi)
    finally:
        figure.set_size_inches(size)
        chart.axes.set_position(position)
        for text, points in zip(shown, sizes):
            text.set_fontsize(points)
        for text, offset in offsets.items():
            text.xyann = offset
        for axis, points in labels.items():
            if points is not None:
                axis.set_tick_params(labelsize=points)
        for text in chart.texts:
            text.set_visible(True)


def share_scale(charts: list[Chart]) -> None:
    """Put the plots of `charts` (one chart drawn for several scenarios) on one scale: each axis
    spans the union of their ranges."""
    axes = [chart.axes for chart in charts]
    for get, set_ in (("get_xlim", "set_xlim"), ("get_ylim", "set_ylim")):
        limits = [getattr(a, get)() for a in axes]
        low, high = min(lo for lo, _ in limits), max(hi for _, hi in limits)
        for a in axes:
            getattr(a, set_)(low, high)


_EXPORTS: dict[str, dict[str, bytes]] = {}  # this process's recent exports, by drawing (see `_exports`)
EXPORTS_KEPT = 32  # about 0.7 MB each
RC_NOT_DRAWN = ("interactive", "backend")  # settings a kernel toggles that change no exported byte


def _exports(chart: Chart) -> dict[str, bytes]:
    """The chart's files by suffix (png, svg, pdf, slide.png, thumb.png). A chart drawn the same
    way earlier in this process (the briefing draws the question notebooks' charts again; a
    warm kernel serves several reports) is not exported again: the SVG, the cheapest format and
    a full description of the drawing, keys the others together with the style settings."""
    import hashlib

    figure = chart.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", dpi=100, metadata=METADATA["svg"])
    svg = buffer.getvalue()
    style = sorted((k, v) for k, v in plt.rcParams.items() if k not in RC_NOT_DRAWN)
    key = hashlib.sha256(svg + repr(style).encode()).hexdigest()
    if key not in _EXPORTS:
        pdf = io.BytesIO()
        figure.savefig(pdf, format="pdf", dpi=100, metadata=METADATA["pdf"])
        files = {"png": _png(figure, PNG_DPI), "svg": svg, "pdf": pdf.getvalue(), "slide.png": slide_png(chart),
                 "thumb.png": _png(figure, THUMB_DPI)}
        while len(_EXPORTS) >= EXPORTS_KEPT:
            del _EXPORTS[next(iter(_EXPORTS))]
        _EXPORTS[key] = files
    return _EXPORTS[key]


def save(chart: Chart, name: str, directory: str | Path | None) -> list[Path]:
    """Write `name`.png/.svg/.pdf, `name`.slide.png (no title or footer: the deck adds them as
    text), `name`.thumb.png (for the index page), `name`.json (the chart's text and sources) and
    `name`.csv (its plotted values) into `directory`, each through a temporary file; nothing when
    `directory` is empty."""
    if not directory:
        return []
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in _exports(chart).items():
        write_atomic(folder / f"{name}.{suffix}", data)
        written.append(folder / f"{name}.{suffix}")
    chart.name = name
    if chart.values is not None:
        write_atomic(folder / f"{name}.csv", values_csv(chart))
        written.append(folder / f"{name}.csv")
    sidecar = folder / f"{name}.json"
    write_atomic(sidecar, json.dumps({"name": name, **chart.sidecar()}, indent=1, sort_keys=True) + "\n")
    written.append(sidecar)
    return written


def alt_text(chart: Chart) -> str:
    """What the chart shows, for readers who cannot see it: its title and subtitle."""
    return f"{chart.title}. {chart.subtitle}"


def show(chart: Chart, claims: pd.DataFrame) -> str:
    """The chart as HTML for a report: its finding as a heading, the measure, the plot (alt text =
    title and subtitle), then its notes and sources, each source linked to its entry on the
    sources page, and a link to the claims that fed it. The title and footer are HTML text here,
    not pixels, so they read at any size and their links work."""
    import base64
    import html

    rows = claims[claims["source_id"].isin(chart.source_ids)]
    contributed = rows.loc[rows["id"].isin(chart.claim_ids), "source_id"].value_counts()
    rows = rows.drop_duplicates("source_id").assign(claims=lambda r: -r["source_id"].map(contributed).fillna(0))
    rows = rows.sort_values(["claims", "credit", "source_id"])  # the sources of most claims first
    page = layout.UP + layout.SOURCES_PAGE
    sources = "; ".join(f'<a href="{page}#{html.escape(r.source_id)}">{html.escape(r.credit)} ({int(r.credit_year)})</a>'
                        for r in rows.itertuples())
    picture = base64.b64encode(slide_png(chart, HTML_DPI)).decode()
    behind = narrative.link(f"the {len(chart.claim_ids)} claims behind this chart", claims, chart.claim_ids)
    note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
    values = (f' · <a href="{html.escape(layout.FIGURES)}/{html.escape(chart.name)}.csv">the plotted values (CSV)</a>'
              if chart.name and chart.values is not None else "")
    return (f'<figure class="chart"><p class="chart-title">{html.escape(chart.title)}</p>'
            f'<p class="chart-subtitle">{html.escape(chart.subtitle)}</p>'
            f'<img src="data:image/png;base64,{picture}" alt="{html.escape(alt_text(chart))}">'
            f'<figcaption>{note}Sources: {sources or "none"} · {behind}{values}</figcaption></figure>')


def _ids(*frames: pd.DataFrame) -> list[str]:
    """Claim ids listed in the frames' `claim_ids` columns."""
    return id_list(*(frame["claim_ids"] for frame in frames))


def supply_by_side(totals: pd.DataFrame, claims: pd.DataFrame, title: str) -> Chart:
    """Bars of each side's annual supply (central) with the low-high envelope as error bars; the
    part of a bar made of components carried from an earlier year or resting on bounds only is
    hatched, as its own segment on top."""
    chart, axes = new_chart(title, "Artillery rounds per year by side; bars = central estimate, whiskers = range of claims",
                             claims, _ids(totals), note=_missing_note(totals))
    years = sorted(totals["year"].unique())
    width = 0.38
    for offset, side in ((-width / 2, "russia"), (width / 2, "west")):
        rows = totals[totals["side"] == side].set_index("year").reindex(years)
        x = np.arange(len(years)) + offset
        uncertain = rows["uncertain"].fillna(0.0) if "uncertain" in rows else pd.Series(0.0, index=rows.index)
        axes.bar(x, rows["central"] - uncertain, width, color=SIDE_COLOURS[side], label=SIDE_WORDS[side], lw=0)
        axes.bar(x, uncertain, width, bottom=rows["central"] - uncertain, color=SIDE_COLOURS[side], alpha=0.45,
                 hatch="//", edgecolor="white", lw=0, label=f"{SIDE_WORDS[side]}: carried or bounds only"
                 if uncertain.gt(0).any() else None)
        axes.errorbar(x, rows["central"], yerr=[rows["central"] - rows["low"], rows["high"] - rows["central"]],
                      fmt="none", ecolor="#222222", capsize=4, lw=1)
    axes.set_xticks(np.arange(len(years)), [str(y) for y in years])
    count_axis(axes.yaxis)
    legend(axes)
    chart.values = plotted(supply=totals[[c for c in ("year", "side", "low", "central", "high", "uncertain", "claim_ids")
                                          if c in totals]])
    return chart


def _missing_note(totals: pd.DataFrame) -> str:
    notes = []
    for column, label in (("missing", "No claim (counted as zero)"),
                          ("carried", "Hatched: carried from an earlier year, its range widened with its age"),
                          ("bounded", "Hatched: rests on bounds only (its figure is a cap or a floor)"),
                          ("capacity", "Capacity, not output")):
        if column not in totals:
            continue
        rows = totals[totals[column] != ""]
        if len(rows):
            notes.append(f"{label}: " + "; ".join(f"{row.year} {SIDE_WORDS[row.side]}: {getattr(row, column).replace('+', ', ')}"
                                                   for row in rows.itertuples()))
    return ". ".join(notes)


def ratio_band(ratio: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str,
               claimed: pd.DataFrame | None = None) -> Chart:
    """The ratio of the sides' central figures per year with the 50% and 90% bands of the Monte Carlo
    draws; a year whose components rest on single claims (`no_range`) has no band and is drawn as a
    hollow point; claimed ratios as diamonds."""
    chart, axes = new_chart(title, "Russia-side supply / Western-side supply; line = ratio of the central figures, "
                                    "bands = 50% and 90% of draws",
                             claims, id_list(claim_ids, _ids(claimed) if claimed is not None else []))
    years = ratio["year"].to_numpy()
    spread = ~ratio["no_range"].to_numpy(dtype=bool)
    banded = ratio[spread]
    axes.fill_between(banded["year"], banded["q05"], banded["q95"], color=SIDE_COLOURS["russia"], alpha=0.15, lw=0,
                      label="90% of draws")
    axes.fill_between(banded["year"], banded["q25"], banded["q75"], color=SIDE_COLOURS["russia"], alpha=0.3, lw=0,
                      label="50% of draws")
    axes.plot(years, ratio["central"], color=SIDE_COLOURS["russia"], lw=1.5, label="central figures")
    axes.scatter(banded["year"], banded["central"], color=SIDE_COLOURS["russia"], zorder=4)
    single = ratio[~spread]
    if len(single):
        axes.scatter(single["year"], single["central"], s=60, facecolors="white", edgecolors=SIDE_COLOURS["russia"],
                     zorder=5, label="from single claims (no range)")
    incomplete = ratio[ratio["missing"] != ""]
    if len(incomplete):
        axes.scatter(incomplete["year"], incomplete["central"], s=160, facecolors="none", edgecolors=NEUTRAL, zorder=3,
                     label="a component has no claim")
    if claimed is not None and len(claimed):
        axes.scatter(claimed["year"], claimed["value"], marker="D", color="black", zorder=6,
                     label="ratio as claimed (Russian production vs EU or NATO output)")
        last = max(set(years) | set(claimed["year"]))
        for offset, point in enumerate(claimed.sort_values(["said", "id"]).itertuples()):
            left = point.year == last  # a label at the right edge goes left of its point, clear of the legend
            axes.annotate(f"{point.who}, {point.said:%b %Y}", (point.year, point.value), ha="right" if left else "left",
                          xytext=(-6 if left else 6, 4 - 10 * (offset % 2)), textcoords="offset points", fontsize="x-small")
    axes.axhline(1, color=NEUTRAL, lw=0.8, ls="--")
    ticks = sorted(set(years) | (set(claimed["year"]) if claimed is not None else set()))
    axes.set_xticks(ticks, [str(y) for y in ticks])
    axes.set_ylim(0, None)
    axes.set_ylabel("ratio (x)")
    legend(axes)
    series = {"ratio": ratio[["year", "central", "q05", "q25", "q75", "q95", "no_range", "missing"]]}
    if claimed is not None and len(claimed):
        series["claimed"] = claimed[["year", "value", "bound", "who", "said", "id"]]
    chart.values = plotted(**series)
    return chart


def supply_vs_fire(table: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> Chart:
    """Per side: supply (bars) vs rounds fired (points with the claims' range)."""
    chart, axes = new_chart(title, "Artillery rounds per year: supply (bars) vs rounds fired (diamonds, whiskers = range "
                             "of claims)", claims, claim_ids)
    years = sorted(table["year"].unique())
    width = 0.38
    for offset, side in ((-width / 2, "russia"), (width / 2, "west")):
        rows = table[table["side"] == side].set_index("year").reindex(years)
        x = np.arange(len(years)) + offset
        axes.bar(x, rows["central_supply"], width, color=SIDE_COLOURS[side], alpha=0.55, label=f"{SIDE_WORDS[side]}: supply")
        spread = [rows["central_fired"] - rows["low_fired"], rows["high_fired"] - rows["central_fired"]]
        axes.errorbar(x, rows["central_fired"], yerr=spread, fmt="D", color=SIDE_COLOURS[side], ecolor=SIDE_COLOURS[side],
                      capsize=4, label=f"{SIDE_WORDS[side]}: fired")
    axes.set_xticks(np.arange(len(years)), [str(y) for y in years])
    count_axis(axes.yaxis)
    legend(axes)
    chart.values = plotted(balance=table[["year", "side", "central_supply", "low_fired", "central_fired", "high_fired"]])
    return chart


def projection(history: pd.DataFrame, paths: dict[str, pd.DataFrame], claims: pd.DataFrame, claim_ids, title: str) -> Chart:
    """Observed side totals and the scenario's projected paths, each with its range (the path's
    shaded band widens each year no claim speaks for)."""
    chart, axes = new_chart(title, "Artillery rounds per year; solid = estimates from claims (bars = range), dashed = "
                             "scenario (shaded = 90% of draws, widening each year after the last estimate)", claims, claim_ids)
    for side, path in sorted(paths.items()):
        observed = history[history["side"] == side]
        colour = SIDE_COLOURS[side]
        axes.errorbar(observed["year"], observed["central"], yerr=[observed["central"] - observed["low"],
                                                                   observed["high"] - observed["central"]],
                      color=colour, marker="o", capsize=3, label=f"{SIDE_WORDS[side]}: estimated")
        axes.plot(path["year"], path["central"], color=colour, ls="--", label=f"{SIDE_WORDS[side]}: scenario")
        axes.fill_between(path["year"], path["low"], path["high"], color=colour, alpha=0.15, lw=0)
    years = sorted(set(history["year"]) | {y for p in paths.values() for y in p["year"]})
    axes.set_xticks(years, [str(y) for y in years])
    axes.set_ylim(bottom=0)
    count_axis(axes.yaxis)
    legend(axes)
    chart.values = plotted(estimated=history[["year", "side", "low", "central", "high"]],
                           scenario=pd.concat([path.assign(side=side) for side, path in sorted(paths.items())],
                                              ignore_index=True))
    return chart


KEYED_CLAIMANTS = 6  # an audit chart gives its own marker to the claimants of most claims; the rest share a dot
CLAIMANT_MARKERS = "osD^v<"


def claims_over_time(claims: pd.DataFrame, selection: pd.DataFrame, title: str, subtitle: str) -> Chart:
    """Each claim as a point at its period end (stated ranges as vertical lines): colour = metric,
    marker = claimant (the six with most claims named in the key, the others one dot), so that
    both the series and the disagreement between claimants show."""
    chart, axes = new_chart(title, subtitle, claims, set(selection["id"]))
    palette = ("#333333", "#e08214", "#8073ac", "#1b7837")
    colour = {metric: palette[n % len(palette)] for n, metric in enumerate(sorted(selection["metric"].unique()))}
    ranged = selection[selection["canonical_low"].notna() | selection["canonical_high"].notna()]
    axes.vlines(ranged["period_end"], ranged["canonical_low"].fillna(ranged["canonical_value"]),
                ranged["canonical_high"].fillna(ranged["canonical_value"]),
                color=[colour[m] for m in ranged["metric"]], lw=2, alpha=0.5)
    who = selection["claimant"].map(narrative.speaker)  # one claimant, however its rows name the occasion
    counts = who.value_counts().rename_axis("who").reset_index().sort_values(["count", "who"], ascending=[False, True])
    keyed = list(counts["who"].head(KEYED_CLAIMANTS))
    for metric, value in colour.items():
        axes.plot([], [], color=value, lw=6, label=metric.replace("_", " "))
    for marker, name in zip(CLAIMANT_MARKERS, keyed):
        rows = selection[who == name]
        axes.scatter(rows["period_end"], rows["canonical_value"], marker=marker, color=[colour[m] for m in rows["metric"]],
                     s=28, alpha=0.85, label=f"{name} ({len(rows)})")
    others = selection[~who.isin(keyed)]
    if len(others):
        axes.scatter(others["period_end"], others["canonical_value"], marker=".", color=[colour[m] for m in others["metric"]],
                     s=36, alpha=0.85, label=f"{who[~who.isin(keyed)].nunique()} other claimants ({len(others)})")
    count_axis(axes.yaxis)
    legend(axes, title="colour = metric,\nmarker = claimant (claims)", title_fontsize=8)
    chart.values = plotted(claims=selection[["id", "metric", "claimant", "period_end", "canonical_value", "canonical_low",
                                             "canonical_high", "canonical_unit"]].sort_values(["period_end", "id"]))
    return chart


def losses_vs_recruits(losses: pd.DataFrame, observed: pd.DataFrame, recruits: pd.DataFrame, required: pd.DataFrame,
                       killed: pd.Series, recruitment: pd.DataFrame, claims: pd.DataFrame, claim_ids,
                       title: str) -> Chart:
    """Monthly rates over time: the model's losses (the Ukrainian series rescaled, then its trend)
    and the model's killed within them, Western killed-or-wounded and killed rate claims,
    recruitment claims and the model's recruitment over the horizon (`recruitment`: low, central,
    high by month; band = its growth's range), and the recruitment that permanent losses require
    (band = the permanent-loss share's range)."""
    chart, axes = new_chart(title, "Persons per month; lines = model losses (killed + wounded) and model killed, points = "
                             "claims (lines = their periods), band = recruits needed to replace permanent losses", claims,
                             set(losses["id"]) | set(recruits["id"]) | set(claim_ids))
    russia, dark = SIDE_COLOURS["russia"], "#333333"
    axes.plot(observed.index, observed["observed"], color=russia, lw=1.5, label="model losses (killed + wounded)")
    axes.plot(observed.index, observed["mean"], color=russia, lw=1, ls=":", label="their fitted trend")
    axes.plot(killed.index, killed, color=russia, lw=1.2, ls="--", label="model killed (losses x killed share)")
    axes.fill_between(recruitment.index, recruitment["low"], recruitment["high"], color=dark, alpha=0.12, lw=0)
    axes.plot(recruitment.index, recruitment["central"], color=dark, lw=1.5,
              label="model recruitment (band = its growth's range)")
    for rows, colour, marker, label in ((losses[losses["metric"] == "casualties_killed_wounded_rate"], russia, "o",
                                         "killed + wounded (claims)"),
                                        (losses[losses["metric"] == "casualties_killed_rate"], russia, "x", "killed (claims)"),
                                        (recruits, dark, "s", "recruits (claims)")):
        if rows.empty:
            continue
        mid = rows["period_start"] + (rows["period_end"] - rows["period_start"]) / 2
        axes.hlines(rows["canonical_value"], rows["period_start"], rows["period_end"], color=colour, lw=1.5, alpha=0.6)
        axes.scatter(mid, rows["canonical_value"], color=colour, marker=marker, s=24, label=label)
    axes.fill_between(required.index, required["low"], required["high"], color=NEUTRAL, alpha=0.2, lw=0,
                      label="recruits needed for zero net change")
    axes.set_ylim(0, None)
    count_axis(axes.yaxis)
    legend(axes)
    points = ["id", "metric", "period_start", "period_end", "canonical_value"]
    chart.values = plotted(model_losses=observed[["observed", "mean"]], model_killed=killed.rename("central").to_frame(),
                           model_recruitment=recruitment[["low", "central", "high"]],
                           recruits_needed=required[["low", "high"]], loss_claims=losses[points],
                           recruit_claims=recruits[points])
    return chart


def cumulative_killed(model: pd.DataFrame, check: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str,
                      rate_line: pd.Series | None = None) -> Chart:
    """The model's cumulative killed since the invasion (line, band = its range) against named-death
    counts (a floor) and cumulative killed estimates (whiskers = their ranges; hollow = a cap or a
    floor); `rate_line` (date -> persons), a stated rate drawn from an estimate, dashed."""
    chart, axes = new_chart(title, "Russian killed since February 2022 (persons); line = model (Ukrainian count x calibration "
                             "x killed share), band = its range, points = claims", claims,
                             set(check["id"]) | set(claim_ids))
    russia, dark = SIDE_COLOURS["russia"], "#333333"
    axes.fill_between(model.index, model["low"], model["high"], color=russia, alpha=0.15, lw=0, label="model's range")
    axes.plot(model.index, model["central"], color=russia, lw=1.5, label="model killed")
    named = check[check["what"] == "named deaths"]
    axes.scatter(named["date"], named["claimed"], color=dark, marker="s", s=18, label="named deaths (a floor)")
    estimates = check[check["what"] == "killed estimate"]
    level = estimates["bound"].isin(["point", "approx", "range"])
    axes.vlines(estimates["date"], estimates["claimed_low"], estimates["claimed_high"], color=NEUTRAL, lw=1)
    axes.scatter(estimates.loc[level, "date"], estimates.loc[level, "claimed"], color=NEUTRAL, marker="o", s=22,
                 label="killed estimates")
    axes.scatter(estimates.loc[~level, "date"], estimates.loc[~level, "claimed"], facecolors="none", edgecolors=NEUTRAL,
                 marker="o", s=22, label="killed estimates: caps and floors")
    if rate_line is not None:
        axes.plot(rate_line.index, rate_line.to_numpy(), color=dark, lw=1, ls="--", label="at the stated killed rate")
    axes.set_ylim(0, None)
    count_axis(axes.yaxis)
    legend(axes)
    series = {"model": model[["low", "central", "high"]],
              "claims": check[["id", "what", "date", "claimed", "claimed_low", "claimed_high", "bound"]]}
    if rate_line is not None:
        series["stated_rate"] = rate_line.rename("central").to_frame()
    chart.values = plotted(**series)
    return chart


def signing_bonuses(bonuses: pd.DataFrame, claims: pd.DataFrame, title: str) -> Chart:
    """One-off signing payments for a contract over time (roubles): federal and regional claims,
    each regional one labelled with its `label` (the region); labels at one point are stacked."""
    chart, axes = new_chart(title, "One-off payment for signing a contract (roubles); points = claims, labels = where it "
                             "is paid", claims, set(bonuses["id"]))
    for metric, colour, marker, label in (("signing_bonus_federal", SIDE_COLOURS["russia"], "s", "federal"),
                                          ("signing_bonus_regional", "#333333", "o", "regional")):
        rows = bonuses[bonuses["metric"] == metric]
        if rows.empty:
            continue
        axes.scatter(rows["period_end"], rows["canonical_value"], color=colour, marker=marker, s=26, label=label)
        if metric == "signing_bonus_federal":
            continue
        stacked: dict[tuple, int] = {}
        for row in rows.itertuples():
            place = (row.period_end, row.canonical_value)
            stacked[place] = stacked.get(place, -1) + 1
            axes.annotate(row.label, place, textcoords="offset points", xytext=(5, 3 - 9 * stacked[place]), fontsize=7,
                          color=colour)
    axes.set_ylim(0, None)
    count_axis(axes.yaxis)
    legend(axes)
    chart.values = plotted(bonuses=bonuses[["id", "metric", "label", "period_end", "canonical_value"]])
    return chart


def fan_chart(result: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> Chart:
    """Cumulative net change in the force: median with 50% and 90% bands."""
    chart, axes = new_chart(title, "Cumulative change in Russian personnel from the first modelled month (persons); "
                             "bands = 50% and 90% of draws", claims, claim_ids)
    x = result.index.to_timestamp()
    for low, high, alpha, label in (("q05", "q95", 0.15, "90% of draws"), ("q25", "q75", 0.3, "50% of draws")):
        axes.fill_between(x, result[f"cumulative_{low}"], result[f"cumulative_{high}"], color=SIDE_COLOURS["russia"],
                          alpha=alpha, lw=0, label=label)
    axes.plot(x, result["cumulative_q50"], color=SIDE_COLOURS["russia"], label="median")
    axes.axhline(0, color=NEUTRAL, lw=0.8, ls="--")
    count_axis(axes.yaxis)
    legend(axes)
    chart.values = plotted(change=result[[f"cumulative_{q}" for q in ("q05", "q25", "q50", "q75", "q95")]])
    return chart


def tornado_chart(table: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> Chart:
    """Cumulative net change at the horizon with each input at its low and high end."""
    chart, axes = new_chart(title, "Cumulative net change at the horizon (persons) when one input moves from its low to "
                             "its high end, others central", claims, claim_ids)
    left, bottom, width, height = axes.get_position().bounds
    axes.set_position((0.2, bottom, width - (0.2 - left), height))
    rows = table.iloc[::-1]
    y = np.arange(len(rows))
    baseline = rows["baseline"].iloc[0]
    for column, colour, label in (("outcome_at_low", "#999999", "input at low"),
                                  ("outcome_at_high", SIDE_COLOURS["russia"], "input at high")):
        axes.barh(y, rows[column] - baseline, left=baseline, color=colour, alpha=0.8, label=label)
    axes.axvline(baseline, color="black", lw=0.8)
    axes.set_yticks(y, [name.replace("_", " ") for name in rows["input"]])
    count_axis(axes.xaxis)
    legend(axes)
    chart.values = plotted(inputs=table[["input", "baseline", "outcome_at_low", "outcome_at_high"]])
    return chart


def _percent(value: float, _position=None) -> str:
    return f"{value:.0%}"


def decline_probability(result: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> Chart:
    """P(the force shrinks that month) and P(it is smaller than at the start), per month."""
    chart, axes = new_chart(title, "Share of Monte Carlo draws in which the force shrinks that month, and in which it is "
                             "smaller than at the start", claims, claim_ids)
    x = result.index.to_timestamp()
    axes.plot(x, result["p_net_negative"], color=SIDE_COLOURS["russia"], drawstyle="steps-mid", label="shrinks that month")
    axes.plot(x, result["p_cumulative_negative"], color="#333333", ls="--", drawstyle="steps-mid",
              label="smaller than at the start")
    axes.set_ylim(-0.02, 1.02)
    axes.yaxis.set_major_formatter(_percent)
    legend(axes)
    chart.values = plotted(shares=result[["p_net_negative", "p_cumulative_negative"]])
    return chart


def _axis_format(axis, kind: str) -> None:
    if kind == "count":
        count_axis(axis)
    else:
        axis.set_major_formatter(lambda value, _position=None: (f"{value:+.0%}" if kind != "share" and value
                                                                else f"{value:.0%}").replace("-", "\N{MINUS SIGN}"))


def sweep_map(sweep, claims: pd.DataFrame, title: str, crossing: float | None) -> Chart:
    """A sweep (a `models.grid.Sweep`, its finding as `title`): over two axes, the
    outcome's probability as colour with the break-even line (the median at its threshold) and
    this scenario's point; over one axis, the probability as a line with the break-even
    (`crossing`, None when the line does not cross) marked."""
    spec = sweep.model
    names = list(sweep.axes)
    axes_specs = [spec.axis(name) for name in names]
    subtitle = (f"Colour: {spec.outcome_words} ({sweep.horizon}); line: {spec.threshold_words}; "
                f"{sweep.n_draws:,} draws per cell, the same in every cell; scenario {sweep.scenario or 'custom'}")
    if len(names) == 1:
        subtitle = subtitle.replace("Colour: ", "Line: ", 1).replace("; line: ", "; dotted: ", 1)
    chart, axes = new_chart(title, subtitle, claims, sweep.claim_ids, note=" ".join(sweep.notes))
    table = sweep.table
    if len(names) == 2:
        x, y = (sweep.axes[name] for name in names)
        shape = (len(x), len(y))
        colour = table[spec.outcome].to_numpy().reshape(shape).T
        mesh = axes.pcolormesh(x, y, colour, cmap="cividis", vmin=0, vmax=1, shading="nearest", rasterized=True)
        if len(x) > 1 and len(y) > 1:
            median = table[spec.median].to_numpy().reshape(shape).T
            if median.min() < spec.threshold < median.max():
                axes.contour(x, y, median, levels=[spec.threshold], colors="white", linewidths=2)
                axes.plot([], [], color="white", lw=2, label=spec.threshold_words)
        axes.grid(False)
        axes.plot([sweep.here[names[0]]], [sweep.here[names[1]]], marker="*", ms=14, color="white", mec="black",
                  ls="none", label="this scenario")
        axes.set_ylabel(axes_specs[1].words[0].upper() + axes_specs[1].words[1:])
        _axis_format(axes.yaxis, axes_specs[1].kind)
        axes.set_facecolor("#333333")
    else:
        x = sweep.axes[names[0]]
        axes.plot(x, table[spec.outcome], color=SIDE_COLOURS["russia"], label=spec.outcome_words)
        axes.set_ylim(-0.02, 1.02)
        axes.yaxis.set_major_formatter(_percent)
        axes.axvline(sweep.here[names[0]], color=NEUTRAL, lw=0.8, ls="--", label="this scenario")
        if crossing is not None:
            axes.axvline(crossing, color="black", lw=1, ls=":", label=spec.threshold_words)
    axes.set_xlabel(axes_specs[0].words[0].upper() + axes_specs[0].words[1:])
    _axis_format(axes.xaxis, axes_specs[0].kind)
    legend(axes)
    if len(names) == 2:  # the colour scale under the legend, in the legend's column
        box = axes.get_position()
        bar = chart.figure.colorbar(mesh, cax=chart.figure.add_axes((box.x1 + 0.025, box.y0, 0.015, box.height * 0.6)))
        bar.ax.yaxis.set_major_formatter(_percent)
        bar.ax.tick_params(labelsize=8)
        bar.set_label("chance", fontsize=8)
        bar.ax.grid(False)
    return chart  # its values are the sweep's own table (sweep.csv beside the map)
