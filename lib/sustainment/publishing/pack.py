"""The briefing pack: a 16:9 deck (.pptx), the same pages as PDF, and the figure manifest,
built from a rendered scenario (reports/<scenario>/figures/), never from typed numbers.

A deck is first a list of `Slide`s; `write_pptx` (python-pptx) and `write_pdf` (matplotlib)
draw the same list, so the two files always have the same pages. Both are byte-stable: fixed
document properties, fixed zip timestamps, no dates in PDF metadata. Files are written to a
temporary name and renamed, so a failed export never leaves half a deck where a good one was.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sustainment import analyses, layout
from sustainment.claims import id_list, join_ids, load, source_line
from sustainment.claims.scenarios import Scenario, read_scenario, source_ids
from sustainment.errors import PackError
from sustainment.notebooks import deck_declaration
from sustainment.paths import Project
from sustainment.presentation import narrative, plotting
from sustainment.publishing import publish
from sustainment.publishing.fingerprint import inputs_digest, sha256_bytes
from sustainment.publishing.publish import read_manifest

SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SOURCES_PER_SLIDE = 9
TABLE_HEIGHT = 0.72  # share of a page a table may fill, between the title and the footer
CHART_WIDTH_IN = plotting.SLIDE_CHART_IN[0]  # a chart slide's picture: the slide's full width (see plotting.slide_png)
FOOTER_CHARACTERS = 190  # two lines at 12 pt across a 16:9 slide
MAX_FINDINGS = 3  # a findings slide: at most three, one sentence each
FINDINGS_PT = 20  # their size, readable from the back of a room
SOURCE_CHARACTERS = 150  # one source on one line at 12 pt: the link carries the address, the text never runs off
SOURCE_SLIDES = 2  # a deck lists the sources of most claims on at most this many slides, then links the full list
NOTES_CHARACTERS = 1500  # speaker notes a presenter can glance at: talking points and "if asked", not claim dumps
@dataclass
class Slide:
    kind: str  # title | table | chart | bullets | findings (at most three, large) | pair
    title: str
    subtitle: str = ""
    rows: list[list[str]] = field(default_factory=list)  # table: header first
    bullets: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # bullets: the address each bullet links to ("" for none)
    images: list[Path | bytes] = field(default_factory=list)  # chart pictures without their title and footer
    captions: list[str] = field(default_factory=list)
    footer: str = ""
    notes: str = ""


@dataclass
class RenderedScenario:
    """What a rendered scenario offers the pack."""

    scenario: Scenario
    meta: dict
    key_numbers: pd.DataFrame
    charts: list[dict]  # sidecars, in briefing order, with 'png', 'notebook', 'input_hash'
    producers: dict[str, tuple[str, str]]  # figure file -> (notebook, input hash) from the manifest
    parameters: dict  # the briefing report's parameters, as the manifest records them


def load_rendered(project: Project, name: str) -> RenderedScenario:
    """A rendered scenario's briefing metadata, key numbers and chart sidecars; PackError when missing."""
    path = project.scenarios / f"{name}.yaml"
    if not path.exists():
        available = ", ".join(p.stem for p in sorted(project.scenarios.glob("*.yaml")))
        raise PackError(f"unknown scenario {name!r}; available: {available}")
    scenario = read_scenario(path, source_ids(project.data / "sources.csv"))
    folder = project.reports / layout.figures(name)
    meta_path = folder / layout.BRIEFING_FILE
    if not meta_path.exists():
        raise PackError(f"scenario {name!r} is not rendered yet ({meta_path.relative_to(project.reports.parent)} missing): "
                        f"run `sustainment render briefing --scenario {name}` or `make reports`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise PackError(f"{meta_path.relative_to(project.reports.parent)}: unreadable ({str(err).splitlines()[0]}): "
                        f"re-render with `sustainment render briefing --scenario {name} --force`") from None
    key_numbers = analyses.read_key_numbers(folder / layout.KEY_NUMBERS_FILE)
    producers = {}
    manifest = read_manifest(project.reports)["reports"]
    for key, entry in manifest.items():
        folder_of, notebook = layout.split_key(key)
        if folder_of == name:
            for file in entry.get("figures", []):
                producers[file] = (notebook, entry["input_hash"])
    parameters = {**manifest.get(layout.report_key(name, "briefing"), {}).get("parameters", {}), "scenario": name}
    declared = sorted((deck_declaration(path) + (path.stem,) for path in sorted(project.notebooks.glob("*.ipynb"))
                       if layout.report_key(name, path.stem) in manifest), key=lambda d: (d[0], d[2]))
    charts = []
    for chart in (chart for _, names, _ in declared for chart in names):
        sidecar, png = folder / f"{chart}.json", folder / f"{chart}.slide.png"
        if not sidecar.exists() or not png.exists():
            raise PackError(f"scenario {name!r}: figure {chart!r} is missing from {folder.relative_to(project.reports.parent)}: "
                            f"re-render with `make reports`")
        notebook, input_hash = producers.get(f"{chart}.png", ("", ""))
        charts.append({**json.loads(sidecar.read_text(encoding="utf-8")), "png": png, "notebook": notebook,
                       "input_hash": input_hash})
    return RenderedScenario(scenario, meta, key_numbers, charts, producers, parameters)


def footer(line: str) -> str:
    """'Sources: A (2024); B (2023)'; when too long for two lines at 12 pt, the first sources
    and '+N more': the full list is on the Sources slides and the sources page."""
    items = [item for item in line.split("; ") if item]
    shown: list[str] = []
    for item in items:
        if len("; ".join(shown + [item])) > FOOTER_CHARACTERS - 60:
            break
        shown.append(item)
    rest = len(items) - len(shown)
    return "Sources: " + "; ".join(shown) + (f"; +{rest} more (Sources slides, sources.html)" if rest else "")


def chart_notes(chart: dict, claims: pd.DataFrame) -> str:
    """A chart slide's speaker notes: the talking point (its finding and measure) and what to say if
    asked where the numbers come from (how many claims and sources, the first sources, where each
    claim is listed with its value and quote); at most `NOTES_CHARACTERS`."""
    ids = list(chart.get("claim_ids", []))
    asked = (f"If asked where the numbers come from: {len(ids)} claims from {len(chart['source_ids'])} sources, "
             f"{footer(chart['source_line']).removeprefix('Sources: ')}. Each claim with its value, date and quote: "
             f"claims.html#{narrative.claims_anchor(ids)} (the claims page beside the reports); the plotted values: "
             f"figures/{chart['name']}.csv.") if ids else "If asked: this chart rests on no claim (a model output)."
    return _fitted(f"Talking point: {chart['title']}.\nWhat it shows: {chart['subtitle']}.\n\n{asked}")


def _fitted(notes: str) -> str:
    return textwrap.shorten(notes, NOTES_CHARACTERS, placeholder=" ...") if len(notes) > NOTES_CHARACTERS else notes


def _column_widths(columns: int) -> list[float]:
    """A table's column widths as shares of the slide's table area: the label column wider."""
    first = 0.46 if columns == 4 else 0.34
    return [first] + [(1 - first) / (columns - 1)] * (columns - 1)


def _wrapped(row: list[str]) -> list[str]:
    """A table row's cells wrapped to their columns' widths at 12 pt."""
    return [textwrap.fill(str(value), int(108 * width)) for value, width in zip(row, _column_widths(len(row)))]


def _row_height(row: list[str]) -> float:
    """A table row's height as a share of the table's area, by its tallest wrapped cell."""
    return 0.045 * max(cell.count("\n") + 1 for cell in _wrapped(row)) + 0.03


def table_slides(title: str, rows: list[list[str]], footer: str = "", notes: str = "") -> list[Slide]:
    """`rows` (header first) as table slides that each fit between the title and the footer at
    12 pt: as many pages as needed, the header on each, rows split evenly."""
    header, body = rows[0], rows[1:]
    pages = 1
    while True:
        size = max(1, math.ceil(len(body) / pages))
        chunks = [body[i:i + size] for i in range(0, len(body), size)] or [[]]
        if all(sum(map(_row_height, [header, *chunk])) <= 1 for chunk in chunks) or size == 1:
            break
        pages += 1
    return [Slide("table", f"{title} ({n} of {len(chunks)})" if len(chunks) > 1 else title, rows=[header, *chunk],
                  footer=footer, notes=notes) for n, chunk in enumerate(chunks, start=1)]


def briefing_slides(rendered: RenderedScenario, claims: pd.DataFrame) -> list[Slide]:
    """Title, the bottom lines, key numbers, one slide per chart, methods and caveats, sources."""
    meta, scenario = rendered.meta, rendered.scenario
    slides = [Slide("title", "Russian vs Western artillery ammunition, and Russian manpower",
                    subtitle=(f"Scenario: {scenario.title}\nClaims public by {meta['as_of']} · data vintage "
                              f"{meta['data_vintage']} · estimate policy {meta['policy']}\n{_data_age(claims, meta)}"),
                    notes=scenario.description)]
    lines = [line.replace("**Bottom line.** ", "").replace("**", "") for line in meta.get("bottom_lines", [])]
    if meta.get("headlines"):  # one sentence per question on the slide; the notes say where the reasoning is
        headlines = list(meta["headlines"].values())[:MAX_FINDINGS]
        slides.append(Slide("findings", "Bottom line", bullets=headlines, notes=_fitted(
            "Talking points:\n" + "\n".join(f"- {line}" for line in headlines) + "\n\nIf asked why, what would change "
            "it or what is not counted: both bottom lines in full open the briefing page (briefing.html beside this "
            "deck), each number linked to its claims.")))
    elif lines:
        slides.append(Slide("bullets", "Bottom line", bullets=lines))
    rows = [["Key number", "Central", "Range", "Unit"]]
    for item in rendered.key_numbers.itertuples():
        rows.append([item.number, analyses.key_central(item._asdict()), analyses.key_range(item._asdict()), item.unit])
    used = set(id_list(rendered.key_numbers["source_ids"]))
    cited = list(id_list(rendered.key_numbers["claim_ids"]))
    line = source_line(claims, used)
    slides += table_slides("Key numbers", rows, footer=footer(line), notes=_fitted(
        "Talking point: the central figures with their ranges; a range is the spread of the claims or of the model's "
        "draws, not a confidence interval.\n\nIf asked which claims set a number: key_numbers.csv lists them for each "
        "number, and each number on the briefing page links to its claims."))
    for chart in rendered.charts:
        slides.append(Slide("chart", chart["title"], subtitle=chart["subtitle"], images=[chart["png"]],
                            footer=footer(chart["source_line"]), notes=chart_notes(chart, claims)))
        used |= set(chart["source_ids"])
        cited += list(chart.get("claim_ids", []))
    slides.append(Slide("bullets", "Methods and caveats", bullets=list(analyses.METHODS)))
    slides.append(Slide("bullets", f"Scenario assumptions: {scenario.title}", bullets=list(scenario.assumptions),
                        footer=footer(source_line(claims, scenario.source_ids))))
    used |= set(scenario.source_ids)
    slides += _source_slides(claims, used, cited)
    return slides


def _data_age(claims: pd.DataFrame, meta: dict) -> str:
    """'Newest claim per headline series: 0 to 29 months old (the oldest: Iran's deliveries)' at the cut-off."""
    from sustainment.analyses.common import series_ages

    ages = series_ages(claims, pd.Timestamp(meta["as_of"]))
    if ages.empty:
        return ""
    oldest = ages.sort_values(["months", "label"]).iloc[-1]
    return (f"Newest claim per headline series: {narrative.span(ages['months'].min(), ages['months'].max(), str)} "
            f"months old (the oldest: {oldest['label']})")


def _source_slides(claims: pd.DataFrame, used: set[str], cited: list[str]) -> list[Slide]:
    """The deck's sources on at most `SOURCE_SLIDES` slides: the original publisher first (the relay
    that reached it named after), the sources of most cited claims first; the rest as one linked
    line to the sources page."""
    counts = claims.loc[claims["id"].isin(cited), "source_id"].value_counts()
    rows = claims[claims["source_id"].isin(used)].drop_duplicates("source_id")
    rows = rows.assign(cited=-rows["source_id"].map(counts).fillna(0)).sort_values(["cited", "credit", "source_id"])
    lines = [(textwrap.shorten(f"{r.credit} ({int(r.credit_year)}): {r.original_title or narrative.reader_title(r.title)[0]}"
                               + (f" (reached via {r.publisher})" if r.source_kind == "relay" else ""), SOURCE_CHARACTERS),
              r.original_url or r.url) for r in rows.itertuples()]
    room = SOURCE_SLIDES * SOURCES_PER_SLIDE
    if len(lines) > room:
        lines = lines[:room - 1] + [(f"+{len(lines) - room + 1} more sources, each with its claims: sources.html "
                                     "(beside the reports)", f"{layout.UP}{layout.SOURCES_PAGE}")]
    pages = [lines[i:i + SOURCES_PER_SLIDE] for i in range(0, len(lines), SOURCES_PER_SLIDE)] or [[]]
    return [Slide("bullets", f"Sources ({n} of {len(pages)})" if len(pages) > 1 else "Sources",
                  bullets=[text for text, _ in page], links=[url for _, url in page])
            for n, page in enumerate(pages, start=1)]


def compare_slides(scenarios: list[RenderedScenario], claims: pd.DataFrame) -> list[Slide]:
    """Key numbers side by side, then one slide per headline chart with the scenarios next to each other."""
    names = [r.scenario.title for r in scenarios]
    slides = [Slide("title", "Scenario comparison", subtitle=" vs ".join(names) +
                    f"\nClaims public by {scenarios[0].meta['as_of']} · data vintage {scenarios[0].meta['data_vintage']}")]
    rows = [["Key number", *names]]
    for index, item in enumerate(scenarios[0].key_numbers.itertuples()):
        cells = []
        for rendered in scenarios:
            other = rendered.key_numbers.iloc[index]
            spread = analyses.key_range(other)
            cells.append(analyses.key_central(other) + ("" if spread == narrative.DASH else f" ({spread})"))
        rows.append([item.number, *cells])
    used = {s for rendered in scenarios for s in id_list(rendered.key_numbers["source_ids"])}
    cited = [i for rendered in scenarios for i in id_list(rendered.key_numbers["claim_ids"])]
    slides += table_slides("Key numbers by scenario (central, range)", rows, footer=footer(source_line(claims, used)))
    drawn = [analyses.briefing_charts(claims, rendered.parameters) for rendered in scenarios]
    for position, chart in enumerate(scenarios[0].charts):
        pair = [r.charts[position] for r in scenarios]
        name = chart["name"].removeprefix("briefing_").replace("_", " ").capitalize()
        if chart["name"] in drawn[0]:  # the briefing's charts, drawn again on one scale
            pictures = [charts[chart["name"]] for charts in drawn]
            plotting.share_scale(pictures)
            images, title = [plotting.slide_png(p) for p in pictures], f"{name}, by scenario, on one scale"
        else:  # other notebooks' deck charts (the sweep maps: one colour scale, each scenario's own axes)
            images, title = [c["png"] for c in pair], f"{name}, by scenario"
        shown = {s for c in pair for s in c["source_ids"]}
        used |= shown
        slides.append(Slide("pair", title, images=images,
                            captions=[f"{n}: {c['title']}" for n, c in zip(names, pair)],
                            footer=footer(source_line(claims, shown)),
                            notes=_fitted("\n\n".join(f"{n}: {chart_notes(c, claims)}" for n, c in zip(names, pair)))))
        cited += [i for c in pair for i in c.get("claim_ids", [])]
    slides += _source_slides(claims, used | {s for rendered in scenarios for s in rendered.scenario.source_ids}, cited)
    plt.close("all")
    return slides


# --- writers --------------------------------------------------------------------------------

def _normalized_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps and permissions, entries in their original order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return output.getvalue()


def _picture(image: Path | bytes):
    """A picture as python-pptx and matplotlib take it: a path, or bytes as a file."""
    return io.BytesIO(image) if isinstance(image, bytes) else str(image)


def _text_box(slide, box: tuple[float, float, float, float], lines, size: float, bold: bool = False,
              colour: str = "", links=()):
    """Lines of text in a box (left, top, width, height in inches), a paragraph each; the n-th
    line links to the n-th of `links` where one is given."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    frame = slide.shapes.add_textbox(*(Inches(v) for v in box)).text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if number < len(links) and links[number]:
            run.hyperlink.address = links[number]
    return frame


def _heading(slide, spec: Slide) -> None:
    """A title slide's title and subtitle lines, or another slide's title and subtitle."""
    if spec.kind == "title":
        _text_box(slide, (0.8, 2.2, 11.7, 1.6), [spec.title], 36, bold=True)
        _text_box(slide, (0.8, 4.0, 11.7, 1.5), spec.subtitle.split("\n"), 20, colour="555555")
        return
    _text_box(slide, (0.5, 0.2, 12.3, 0.9), [spec.title], 22 if len(spec.title) < 90 else 18, bold=True)
    if spec.subtitle:
        _text_box(slide, (0.5, 1.0, 12.3, 0.5), [spec.subtitle], 13, colour="555555")


def _table(slide, spec: Slide) -> None:
    """The rows as a table, the first row bold, 12 pt."""
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_table(len(spec.rows), len(spec.rows[0]), Inches(0.5), Inches(1.3), Inches(12.3),
                                   Inches(0.45 * len(spec.rows)))
    table = shape.table
    for column, width in enumerate(_column_widths(len(spec.rows[0]))):
        table.columns[column].width = Inches(12.3 * width)
    for r, row in enumerate(spec.rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = str(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.bold = Pt(12), r == 0


def _chart(slide, spec: Slide) -> None:
    """One chart, centred."""
    from pptx.util import Inches

    slide.shapes.add_picture(_picture(spec.images[0]), Inches((SLIDE_WIDTH_IN - CHART_WIDTH_IN) / 2), Inches(1.55),
                             width=Inches(CHART_WIDTH_IN))


def _pair(slide, spec: Slide) -> None:
    """Charts side by side, each under its caption."""
    from pptx.util import Inches

    for number, (image, caption) in enumerate(zip(spec.images, spec.captions)):
        width = 12.3 / len(spec.images)
        slide.shapes.add_picture(_picture(image), Inches(0.5 + number * width), Inches(2.3), width=Inches(width - 0.15))
        _text_box(slide, (0.5 + number * width, 1.5, width - 0.15, 0.8), [caption], 12)


def _bullets(slide, spec: Slide) -> None:
    """Bullets, 14 pt (12 pt from seven on), each linked where the slide gives a link."""
    _text_box(slide, (0.6, 1.3, 12.1, 5.4), [f"• {b}" for b in spec.bullets], 14 if len(spec.bullets) < 7 else 12,
              links=spec.links)


def _findings(slide, spec: Slide) -> None:
    """At most MAX_FINDINGS findings, one sentence each, at FINDINGS_PT."""
    _text_box(slide, (0.6, 1.3, 12.1, 5.4), [f"• {b}" for b in spec.bullets[:MAX_FINDINGS]], FINDINGS_PT)


SLIDE_BODIES = {"table": _table, "chart": _chart, "pair": _pair, "bullets": _bullets,
                "findings": _findings}  # a title slide has none


def pptx_bytes(slides: list[Slide], title: str) -> bytes:
    """The slides as a 16:9 deck; text at 12 pt or more; fixed document properties. A chart
    slide shows the chart once: its finding as the slide title, its measure as subtitle, the
    picture without baked-in text, one source footer."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    blank = deck.slide_layouts[6]
    for spec in slides:
        slide = deck.slides.add_slide(blank)
        _heading(slide, spec)
        if spec.kind in SLIDE_BODIES:
            SLIDE_BODIES[spec.kind](slide, spec)
        if spec.footer:
            _text_box(slide, (0.5, 6.85, 12.3, 0.6), [spec.footer], 12, colour="555555")
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    fixed = datetime(2000, 1, 1)
    properties = deck.core_properties
    properties.title, properties.author, properties.last_modified_by = title, "sustainment", "sustainment"
    properties.created = properties.modified = properties.last_printed = fixed
    properties.revision = 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return _normalized_zip(buffer.getvalue())


def pdf_bytes(slides: list[Slide]) -> bytes:
    """The same slides as PDF pages (matplotlib), one page per slide, no dates in the metadata;
    sources carry their links (clickable in a PDF reader)."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    plotting.use_style()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"CreationDate": None, "Creator": None, "Producer": None}) as pdf:
        for spec in slides:
            page = plt.figure(figsize=(SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN))
            if spec.kind == "title":
                page.text(0.06, 0.62, textwrap.fill(spec.title, 42), fontsize=30, fontweight="bold", va="top")
                page.text(0.06, 0.4, spec.subtitle, fontsize=16, color="#555555", va="top")
            else:
                page.text(0.04, 0.965, textwrap.fill(spec.title, 100), fontsize=18 if len(spec.title) < 90 else 15,
                          fontweight="bold", va="top")
                if spec.subtitle:
                    page.text(0.04, 0.86, textwrap.fill(spec.subtitle, 140), fontsize=12, color="#555555", va="top")
            if spec.kind == "table":
                axes = page.add_axes((0.04, 0.84 - TABLE_HEIGHT, 0.92, TABLE_HEIGHT))
                axes.axis("off")
                body = [_wrapped(row) for row in spec.rows]
                table = axes.table(cellText=body[1:], colLabels=body[0], loc="upper left", cellLoc="left",
                                   colWidths=_column_widths(len(spec.rows[0])))
                table.auto_set_font_size(False)
                table.set_fontsize(12)
                for (row, _column), cell in table.get_celld().items():
                    cell.set_height(_row_height(spec.rows[row]))
            elif spec.kind in ("chart", "pair"):
                width = (CHART_WIDTH_IN / SLIDE_WIDTH_IN) if spec.kind == "chart" else 0.92 / len(spec.images)
                left = (1 - width) / 2 if spec.kind == "chart" else 0.04
                for number, image in enumerate(spec.images):
                    axes = page.add_axes((left + number * width, 0.11, width - 0.01, 0.68 if spec.kind == "chart" else 0.6))
                    axes.imshow(mpimg.imread(_picture(image), format="png"), interpolation="antialiased")
                    axes.axis("off")
                    if spec.captions:
                        page.text(left + number * width, 0.8, textwrap.fill(spec.captions[number], 70), fontsize=12, va="top")
            elif spec.kind in ("bullets", "findings"):
                size, width = (FINDINGS_PT, 72) if spec.kind == "findings" else (12, 120)
                top = 0.85
                for number, bullet in enumerate(spec.bullets):
                    text = textwrap.fill(f"• {bullet}", width, subsequent_indent="   ")
                    url = spec.links[number] if number < len(spec.links) else ""
                    page.text(0.05, top, text, fontsize=size, va="top", linespacing=1.4, url=url or None,
                              color="#1f4e8c" if url else "black")
                    top -= 0.045 * size / 12 * (text.count("\n") + 1) + 0.02
            if spec.footer:
                page.text(0.04, 0.02, textwrap.fill(spec.footer, 125), fontsize=12, color="#555555", va="bottom")
            pdf.savefig(page)
            plt.close(page)
    return buffer.getvalue()


def figure_manifest(rendered: RenderedScenario, folder: Path) -> str:
    """reports/<scenario>/figures/figures.csv: one row per chart of the figure pack in `folder`."""
    columns = ["file", "title", "subtitle", "source_line", "source_ids", "notebook", "scenario", "input_hash"]
    sidecars = sorted(p for p in folder.glob("*.json") if p.name != layout.BRIEFING_FILE)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for sidecar in sidecars:
        chart = json.loads(sidecar.read_text(encoding="utf-8"))
        notebook, input_hash = rendered.producers.get(f"{chart['name']}.png", ("", ""))
        writer.writerow([f"{chart['name']}.png", chart["title"], chart["subtitle"], chart["source_line"],
                         join_ids(chart["source_ids"]), notebook, rendered.scenario.name, input_hash])
    return buffer.getvalue()


# --- commands -------------------------------------------------------------------------------

DECKS = "decks"  # the manifest's section for decks: deck key -> what it was made from and its files' sha256


def deck_inputs(project: Project, reports: dict[str, dict], names: list[str]) -> str:
    """One digest of what a deck of these scenarios is made from: their reports' input hashes
    (`reports`: key -> manifest entry; the charts, key numbers and bottom lines), the data and the
    code (the notes, sources and layout)."""
    hashes = {key: entry.get("input_hash") for key, entry in reports.items()}
    return sha256_bytes(json.dumps({"scenarios": names, "reports": hashes, "inputs": inputs_digest(project.data)},
                                   sort_keys=True).encode())


def _publish_deck(project: Project, manifest: dict, key: str, names: list[str], build) -> list[Path]:
    """Publish a deck's files (`build()`: relative path -> bytes) with its manifest record, unless
    the deck published last from the same inputs is still in place, whole, and so are the reports
    it is made from (a figure or briefing.json deleted or edited by hand makes the deck again, and
    says what is wrong). Then nothing."""
    reports = {report: entry for report, entry in manifest["reports"].items() if layout.split_key(report)[0] in names}
    digest = deck_inputs(project, reports, names)
    recorded = manifest.get(DECKS, {}).get(key, {})
    if (recorded.get("inputs") == digest and publish.intact(project.reports, recorded)
            and all(publish.intact(project.reports, entry) for entry in reports.values())):
        return []
    files = build()
    manifest.setdefault(DECKS, {})[key] = {
        "inputs": digest, "sha256": {relative: sha256_bytes(data.encode("utf-8") if isinstance(data, str) else data)
                                     for relative, data in files.items()}}
    return publish.write_files(project.reports, files, manifest)

def export_briefing(project: Project, names: list[str] | None) -> list[Path]:
    """briefing.pptx, briefing.pdf and figures/figures.csv for each scenario (default: every rendered one)."""
    if not names:
        scenarios = {p.stem for p in project.scenarios.glob("*.yaml")}  # not one-off-<scenario>/ runs with -p
        names = sorted(p.parent.parent.name for p in project.reports.glob(layout.figure("*", layout.BRIEFING_FILE))
                       if p.parent.parent.name in scenarios)
        if not names:
            raise PackError("no rendered scenario: run `make reports` first")
    claims = cache(lambda: load(project.data))  # read only if a deck is to be made
    manifest = read_manifest(project.reports)
    written = []
    for name in names:

        def build(name=name) -> dict[str, bytes | str]:
            item = load_rendered(project, name)
            slides = briefing_slides(item, claims())
            return {layout.deck(name, ".pptx"): pptx_bytes(slides, f"Briefing: {item.scenario.title}"),
                    layout.deck(name, ".pdf"): pdf_bytes(slides),
                    layout.figure(name, layout.FIGURE_MANIFEST): figure_manifest(item, project.reports / layout.figures(name))}

        written += _publish_deck(project, manifest, layout.deck(name, ""), [name], build)
    if written:
        from sustainment.publishing.site import write_site

        write_site(project, read_manifest(project.reports))  # the index now links the decks
    return written


def export_compare(project: Project, names: list[str]) -> list[Path]:
    """reports/compare_<A>_vs_<B>.pptx (and .pdf) with the scenarios' key numbers and headline charts side by side."""
    if len(names) < 2:
        raise PackError("compare: give at least two scenarios")
    if len(set(names)) < len(names):
        raise PackError(f"compare: each scenario once, got {' '.join(names)}")

    def build() -> dict[str, bytes]:
        slides = compare_slides([load_rendered(project, name) for name in names], load(project.data))
        return {layout.comparison(names, ".pptx"): pptx_bytes(slides, "Scenario comparison: " + " vs ".join(names)),
                layout.comparison(names, ".pdf"): pdf_bytes(slides)}

    return _publish_deck(project, read_manifest(project.reports), layout.comparison(names, ""), names, build)
