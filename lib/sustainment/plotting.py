"""Briefing charts: the finding as title, the measure as subtitle, generated source footer,
ranges drawn, one colour per side, byte-stable PNG/SVG/PDF export.

Every chart function takes model outputs plus the claims frame (for the footer) and returns a
matplotlib Figure; `save` writes it with fixed metadata and a JSON sidecar (title, subtitle,
source line, source ids) that the index page and the briefing pack read.
"""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sustainment.figures import id_list, source_line
from sustainment.files import write_atomic

SIDE_COLOURS = {"russia": "#b2182b", "west": "#2166ac"}
SIDE_LABELS = {"russia": "Russia side", "west": "Ukraine & Western side"}
NEUTRAL = "#555555"
FIGSIZE = (10, 5.625)  # 16:9, the slide's aspect
PNG_DPI = 300
FORMATS = ("png", "svg", "pdf")
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
}
plt.rcParams.update(STYLE)


def new_chart(title: str, subtitle: str, claims: pd.DataFrame, claim_ids, note: str = "") -> tuple[plt.Figure, plt.Axes]:
    """A 16:9 figure with the finding as title, the measure as subtitle and, as footer, the
    sources of the claims that fed it (`claim_ids`)."""
    used = sorted({i for i in claim_ids if i})
    ids = sorted(set(claims.loc[claims["id"].isin(used), "source_id"]))
    figure = plt.figure(figsize=FIGSIZE)
    title_lines = textwrap.wrap(title, 82)
    subtitle_lines = textwrap.wrap(subtitle, 130)
    footer_lines = [line for part in (note, "Sources: " + (source_line(claims, ids) or "none")) if part
                    for line in textwrap.wrap(part, 200)]
    top = 0.965
    figure.text(0.02, top, "\n".join(title_lines), fontsize=13, fontweight="bold", va="top", linespacing=1.15)
    top -= 0.052 * len(title_lines) + 0.01
    figure.text(0.02, top, "\n".join(subtitle_lines), fontsize=9.5, color=NEUTRAL, va="top")
    top -= 0.038 * len(subtitle_lines) + 0.03
    bottom = 0.025 + 0.022 * len(footer_lines) + 0.07
    axes = figure.add_axes((0.08, bottom, 0.89, top - bottom))
    figure.text(0.02, 0.015, "\n".join(footer_lines), fontsize=6.5, color=NEUTRAL, va="bottom", linespacing=1.3)
    figure._sustainment = {"title": title, "subtitle": subtitle, "source_line": source_line(claims, ids),
                           "source_ids": ids, "claim_ids": used, "note": note}
    return figure, axes


def save(figure: plt.Figure, name: str, directory: str | Path | None) -> list[Path]:
    """Write `name`.png/.svg/.pdf and `name`.json (the chart's text and sources) into
    `directory`, each through a temporary file; nothing when `directory` is empty."""
    if not directory:
        return []
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else 100, metadata=METADATA[fmt])
        write_atomic(folder / f"{name}.{fmt}", buffer.getvalue())
        written.append(folder / f"{name}.{fmt}")
    sidecar = folder / f"{name}.json"
    write_atomic(sidecar, json.dumps({"name": name, **figure._sustainment}, indent=1, sort_keys=True) + "\n")
    written.append(sidecar)
    return written


def _ids(*frames: pd.DataFrame) -> list[str]:
    """Claim ids listed in the frames' `claim_ids` columns."""
    return id_list(*(frame["claim_ids"] for frame in frames))


def millions(value: float, _position=None) -> str:
    return f"{value / 1e6:.1f}M" if abs(value) >= 1e5 else f"{value / 1e3:.0f}k"


def thousands(value: float, _position=None) -> str:
    return f"{value / 1e3:,.0f}k"


def supply_by_side(totals: pd.DataFrame, claims: pd.DataFrame, title: str) -> plt.Figure:
    """Bars of each side's annual supply (central) with the low-high envelope as error bars."""
    figure, axes = new_chart(title, "Artillery rounds per year by side; bars = central estimate, whiskers = range of claims",
                             claims, _ids(totals), note=_missing_note(totals))
    years = sorted(totals["year"].unique())
    width = 0.38
    for offset, side in ((-width / 2, "russia"), (width / 2, "west")):
        rows = totals[totals["side"] == side].set_index("year").reindex(years)
        x = np.arange(len(years)) + offset
        bounded = rows["bounded"].fillna("").ne("") if "bounded" in rows else pd.Series(False, index=rows.index)
        axes.bar(x, rows["central"], width, color=SIDE_COLOURS[side], label=SIDE_LABELS[side],
                 hatch=["//" if b else "" for b in bounded], edgecolor="white", lw=0)
        axes.errorbar(x, rows["central"], yerr=[rows["central"] - rows["low"], rows["high"] - rows["central"]],
                      fmt="none", ecolor="#222222", capsize=4, lw=1)
    axes.set_xticks(np.arange(len(years)), [str(y) for y in years])
    axes.yaxis.set_major_formatter(millions)
    axes.legend(frameon=False, loc="upper left")
    return figure


def _missing_note(totals: pd.DataFrame) -> str:
    notes = []
    for column, label in (("missing", "No claim (counted as zero)"), ("carried", "Carried forward from an earlier year"),
                          ("bounded", "Hatched: a component rests on bounds only (its figure is a cap or a floor)"),
                          ("capacity", "Capacity, not output")):
        if column not in totals:
            continue
        rows = totals[totals[column] != ""]
        if len(rows):
            notes.append(f"{label}: " + "; ".join(f"{row.year} {SIDE_LABELS[row.side]}: {getattr(row, column).replace('+', ', ')}"
                                                   for row in rows.itertuples()))
    return ". ".join(notes)


def ratio_band(ratio: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str, claimed: pd.DataFrame | None = None) -> plt.Figure:
    """Median ratio per year with its 50% and 90% Monte Carlo bands; claimed ratios as points."""
    figure, axes = new_chart(title, "Russia-side supply / Western-side supply; line = median, bands = 50% and 90% of draws",
                             claims, id_list(claim_ids, _ids(claimed) if claimed is not None else []))
    years = ratio["year"].to_numpy()
    axes.fill_between(years, ratio["q05"], ratio["q95"], color=SIDE_COLOURS["russia"], alpha=0.15, lw=0, label="90% of draws")
    axes.fill_between(years, ratio["q25"], ratio["q75"], color=SIDE_COLOURS["russia"], alpha=0.3, lw=0, label="50% of draws")
    axes.plot(years, ratio["q50"], color=SIDE_COLOURS["russia"], marker="o", label="median")
    incomplete = ratio[ratio["missing"] != ""]
    if len(incomplete):
        axes.scatter(incomplete["year"], incomplete["q50"], s=120, facecolors="none", edgecolors=NEUTRAL,
                     label="a component has no claim")
    if claimed is not None and len(claimed):
        axes.scatter(claimed["year"], claimed["value"], marker="D", color="black", zorder=5, label="ratio as claimed (vs EU or NATO output)")
    axes.axhline(1, color=NEUTRAL, lw=0.8, ls="--")
    ticks = sorted(set(years) | (set(claimed["year"]) if claimed is not None else set()))
    axes.set_xticks(ticks, [str(y) for y in ticks])
    axes.set_ylabel("ratio (x)")
    axes.legend(frameon=False, loc="upper right")
    return figure


def supply_vs_fire(table: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> plt.Figure:
    """Per side: supply (bars) vs rounds fired (points with the claims' range)."""
    figure, axes = new_chart(title, "Artillery rounds per year: supply (bars) vs rounds fired (diamonds, whiskers = range of claims)",
                             claims, claim_ids)
    years = sorted(table["year"].unique())
    width = 0.38
    for offset, side in ((-width / 2, "russia"), (width / 2, "west")):
        rows = table[table["side"] == side].set_index("year").reindex(years)
        x = np.arange(len(years)) + offset
        axes.bar(x, rows["central_supply"], width, color=SIDE_COLOURS[side], alpha=0.55, label=f"{SIDE_LABELS[side]}: supply")
        axes.errorbar(x, rows["central_fired"], yerr=[rows["central_fired"] - rows["low_fired"], rows["high_fired"] - rows["central_fired"]],
                      fmt="D", color=SIDE_COLOURS[side], ecolor=SIDE_COLOURS[side], capsize=4, label=f"{SIDE_LABELS[side]}: fired")
    axes.set_xticks(np.arange(len(years)), [str(y) for y in years])
    axes.yaxis.set_major_formatter(millions)
    axes.legend(frameon=False, loc="upper right", fontsize=8)
    return figure


def projection(history: pd.DataFrame, paths: dict[str, pd.DataFrame], trends: dict[str, pd.DataFrame], claims: pd.DataFrame,
               claim_ids, title: str) -> plt.Figure:
    """Observed side totals, the scenario's projected paths (with range) and each side's
    log-linear trend (dotted; its prediction intervals are too wide to draw usefully from three
    points and are tabled in the report instead). The view is cut above the scenario's range."""
    figure, axes = new_chart(title, "Artillery rounds per year; solid = estimates from claims, dashed = scenario (shaded = range), "
                             "dotted = log-linear trend of the estimates", claims, claim_ids)
    for side, path in sorted(paths.items()):
        observed = history[history["side"] == side]
        colour = SIDE_COLOURS[side]
        axes.plot(observed["year"], observed["central"], color=colour, marker="o", label=f"{SIDE_LABELS[side]}: estimated")
        axes.plot(path["year"], path["central"], color=colour, ls="--", label=f"{SIDE_LABELS[side]}: scenario")
        axes.fill_between(path["year"], path["low"], path["high"], color=colour, alpha=0.12, lw=0)
    top = 1.15 * max(history["high"].max(), *(p["high"].max() for p in paths.values()))
    for side, trend in sorted(trends.items()):
        colour = SIDE_COLOURS[side]
        axes.plot(trend["year"], trend["mean"], color=colour, ls=":", lw=1.5, label=f"{SIDE_LABELS[side]}: trend")
    axes.set_ylim(0, top)
    years = sorted(set(history["year"]) | {y for p in paths.values() for y in p["year"]})
    axes.set_xticks(years, [str(y) for y in years])
    axes.yaxis.set_major_formatter(millions)
    axes.legend(frameon=False, loc="upper left", fontsize=8, ncol=3)
    return figure


def claims_over_time(claims: pd.DataFrame, selection: pd.DataFrame, title: str, subtitle: str) -> plt.Figure:
    """Each claim as a point at its period end (stated ranges as vertical lines): colour = metric,
    marker = claimant, so that both the series and the disagreement between claimants show."""
    figure, axes = new_chart(title, subtitle, claims, set(selection["id"]))
    palette = ("#333333", "#e08214", "#8073ac", "#1b7837")
    colour = {metric: palette[n % len(palette)] for n, metric in enumerate(sorted(selection["metric"].unique()))}
    ranged = selection[selection["canonical_low"].notna() | selection["canonical_high"].notna()]
    axes.vlines(ranged["period_end"], ranged["canonical_low"].fillna(ranged["canonical_value"]),
                ranged["canonical_high"].fillna(ranged["canonical_value"]),
                color=[colour[m] for m in ranged["metric"]], lw=2, alpha=0.5)
    markers = "osD^v<>ph*"
    for number, (_claimant, rows) in enumerate(selection.groupby("claimant", sort=True)):
        axes.scatter(rows["period_end"], rows["canonical_value"], marker=markers[number % len(markers)],
                     color=[colour[m] for m in rows["metric"]], s=28, alpha=0.85)
    for metric, value in colour.items():
        axes.scatter([], [], color=value, marker="o", label=metric.replace("_", " "))
    axes.yaxis.set_major_formatter(millions if selection["canonical_value"].max() >= 1e5 else thousands)
    axes.legend(frameon=False, fontsize=8, loc="upper left", title="colour = metric, marker = claimant", title_fontsize=8)
    return figure


def losses_vs_recruits(losses: pd.DataFrame, recruits: pd.DataFrame, required: pd.DataFrame, claims: pd.DataFrame,
                       claim_ids, title: str) -> plt.Figure:
    """Monthly rates over time: claimed losses (killed + wounded), claimed recruitment, and the
    recruitment that permanent losses require (band = permanent-loss share range)."""
    figure, axes = new_chart(title, "Persons per month; points = claims (lines = their stated ranges), band = recruits needed to replace permanent losses",
                             claims, set(losses["id"]) | set(recruits["id"]) | set(claim_ids))
    for rows, colour, label in ((losses, SIDE_COLOURS["west"], "killed + wounded (claims)"),
                                (recruits, SIDE_COLOURS["russia"], "recruits (claims)")):
        mid = rows["period_start"] + (rows["period_end"] - rows["period_start"]) / 2
        axes.hlines(rows["canonical_value"], rows["period_start"], rows["period_end"], color=colour, lw=1.5, alpha=0.6)
        axes.scatter(mid, rows["canonical_value"], color=colour, s=20, label=label)
    axes.fill_between(required.index, required["low"], required["high"], color=NEUTRAL, alpha=0.2, lw=0,
                      label="recruits needed for zero net change")
    axes.yaxis.set_major_formatter(thousands)
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return figure


def fan_chart(result: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> plt.Figure:
    """Cumulative net change in the force: median with 50% and 90% bands."""
    figure, axes = new_chart(title, "Cumulative change in Russian personnel from the first modelled month (persons); bands = 50% and 90% of draws",
                             claims, claim_ids)
    x = result.index.to_timestamp()
    axes.fill_between(x, result["cumulative_q05"], result["cumulative_q95"], color=SIDE_COLOURS["russia"], alpha=0.15, lw=0, label="90%")
    axes.fill_between(x, result["cumulative_q25"], result["cumulative_q75"], color=SIDE_COLOURS["russia"], alpha=0.3, lw=0, label="50%")
    axes.plot(x, result["cumulative_q50"], color=SIDE_COLOURS["russia"], label="median")
    axes.axhline(0, color=NEUTRAL, lw=0.8, ls="--")
    axes.yaxis.set_major_formatter(thousands)
    axes.legend(frameon=False, loc="upper left")
    return figure


def tornado_chart(table: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> plt.Figure:
    """Cumulative net change at the horizon with each input at its low and high end."""
    figure, axes = new_chart(title, "Cumulative net change at the horizon (persons) when one input moves from its low to its high end, others central",
                             claims, claim_ids)
    left, bottom, width, height = axes.get_position().bounds
    axes.set_position((0.2, bottom, width - (0.2 - left), height))
    rows = table.iloc[::-1]
    y = np.arange(len(rows))
    baseline = rows["baseline"].iloc[0]
    for column, colour, label in (("outcome_at_low", "#999999", "input at low"), ("outcome_at_high", SIDE_COLOURS["russia"], "input at high")):
        axes.barh(y, rows[column] - baseline, left=baseline, color=colour, alpha=0.8, label=label)
    axes.axvline(baseline, color="black", lw=0.8)
    axes.set_yticks(y, [name.replace("_", " ") for name in rows["input"]])
    axes.xaxis.set_major_formatter(thousands)
    axes.legend(frameon=False, loc="lower right")
    return figure


def decline_probability(result: pd.DataFrame, claims: pd.DataFrame, claim_ids, title: str) -> plt.Figure:
    """P(net change < 0) per month."""
    figure, axes = new_chart(title, "Share of Monte Carlo draws in which the force shrinks that month", claims, claim_ids)
    x = result.index.to_timestamp()
    axes.plot(x, result["p_net_negative"], color=SIDE_COLOURS["russia"], drawstyle="steps-mid")
    axes.set_ylim(-0.02, 1.02)
    axes.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    return figure
