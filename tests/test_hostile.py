"""One hostile corpus through every output: text from data/ never becomes markup, a link, a
script, math or a control character in a report, a page, a chart, a deck."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from conftest import project_with

from sustainment import paths
from sustainment.errors import CsvError
from sustainment.files import read_csv
from sustainment.presentation import narrative

CORPUS = ("[x](javascript:alert(document.domain))", "<!--<script>alert(1)</script>", "Pentagon: $5bn (20% more) vs $4bn",
          "*bold* _em_ `code` # head", "a\\b & \"q\" it's <b>")
HOSTILE = " ".join(CORPUS)


def markdown_to_html(text: str) -> str:
    """The Markdown renderer the reports go through (nbconvert's)."""
    from nbconvert.filters.markdown import markdown2html

    return markdown2html(text)


def no_markup_from(page: str) -> None:
    assert 'href="javascript' not in page and "<script>alert" not in page and "<!--<script" not in page
    assert not re.search(r"it(?:'|&#39;|&#x27;)s <b>", page) and "<em>em</em>" not in page and "<strong>bold</strong>" not in page


def test_escaped_text_survives_markdown_as_text():
    page = markdown_to_html(f"**Bottom line.** {narrative.escape(HOSTILE)} and {narrative.link(HOSTILE, None, [])}.")
    no_markup_from(page)
    assert "[x](javascript:alert(document.domain))" in re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), page)


def test_the_ammunition_bottom_line_names_a_hostile_actor_as_text():
    from sustainment import analyses
    from sustainment.claims import load

    claims = load()
    claims.loc[claims["actor"] == "IR", "actor_name"] = HOSTILE
    result = analyses.ammunition_analysis(claims, n_draws=200, include_north_korea=False, include_iran=False)
    no_markup_from(markdown_to_html(analyses.ammunition_bottom_line(result, claims)))


def test_json_ld_in_the_claims_page_cannot_close_or_comment_its_script():
    from sustainment.claims import load
    from sustainment.publishing.site import claim_entries

    claims = load().head(3).copy()
    claims["quote"] = HOSTILE
    for entry in claim_entries(claims, {}):
        assert "<" not in entry["json_ld"] and ">" not in entry["json_ld"]


def test_dollars_in_chart_text_are_text(tmp_path):
    import matplotlib.pyplot as plt

    from sustainment.presentation import plotting

    plotting.use_style()
    figure = plt.figure()
    figure.suptitle("Pentagon: $5bn (20% more) vs $4bn; 1.5bn on $shells$")
    figure.savefig(tmp_path / "chart.pdf")  # mathtext raised here, or garbled the text
    figure.savefig(tmp_path / "chart.svg")
    assert plotting.STYLE["text.parse_math"] is False
    plt.close(figure)


def test_control_characters_in_a_table_are_refused_with_their_line(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("id,quote\na,fine\nb,bad\x00byte\n", encoding="utf-8")
    with pytest.raises(CsvError, match="control character U\\+0000") as caught:
        read_csv(path)
    assert caught.value.line == 3


def hostile_data(folder) -> None:
    """The project's data with the corpus in actor names, source titles and publishers, and the
    claimant, quote and scope of every claim of one source."""
    shutil.copytree(paths.DATA_DIR, folder)
    for name, columns in (("actors.csv", ("name",)), ("sources.csv", ("title", "publisher")),
                          ("claims.csv", ("claimant", "quote", "quote_en", "scope", "notes"))):
        header, rows = read_csv(folder / name)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for number, (_, cells) in enumerate(rows):
            if name != "claims.csv" or number % 7 == 0:
                for column in columns:
                    cells[header.index(column)] = f"{cells[header.index(column)]} {HOSTILE}"
            writer.writerow(cells)
        (folder / name).write_text(out.getvalue(), encoding="utf-8")


def test_a_render_export_and_sweep_with_hostile_data_carry_no_markup(tmp_path):
    import xml.etree.ElementTree as ElementTree

    from pptx import Presentation

    from sustainment.claims import load
    from sustainment.paths import Project
    from sustainment.publishing import pack
    from sustainment.publishing.site import write_site
    from sustainment.running import render, sweeps

    data = tmp_path / "data"
    hostile_data(data)
    few_draws = project_with(tmp_path, paths.NOTEBOOKS_DIR, ["baseline"], n_draws=200)
    project = Project(data=data, scenarios=few_draws.scenarios, reports=few_draws.reports)
    assert render.render(project, ["ammunition_production", "briefing"], ["baseline"], jobs=2) == 0
    deck = [path for path in pack.export_briefing(project, ["baseline"]) if path.suffix == ".pptx"][0]
    found = sweeps.scenario_sweep(project, "ammunition", "baseline", ["russia_growth=0,0.2"], 200, 1, (12,))
    sweep = sweeps.publish(found, project, load(data), then=lambda: write_site(project, {"reports": {}}))

    for page in sorted(project.reports.rglob("*.html")):
        no_markup_from(page.read_text(encoding="utf-8"))
    claims_page = (project.reports / "claims.html").read_text(encoding="utf-8")
    assert "<!--" not in claims_page  # a quote's "<!--" in the JSON-LD once hid 133 entries, anchors included
    assert claims_page.count('<div class="claim" id="claim-') == sum(1 for _ in read_csv(data / "claims.csv")[1]) + sum(
        1 for _ in read_csv(data / "claims_ua_general_staff.csv")[1])

    slides = Presentation(str(deck)).slides
    text = "\n".join(run.text for slide in slides for shape in slide.shapes if shape.has_text_frame
                      for paragraph in shape.text_frame.paragraphs for run in paragraph.runs)
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in slides if slide.has_notes_slide)
    assert CORPUS[0] in text + notes and CORPUS[1] in text + notes  # shown as the text it is
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_x00[01][0-9a-f]_", text + notes)
    for chart in sorted(sweep.glob("*.svg")) + sorted(project.reports.rglob("figures/*.svg")):
        tree = ElementTree.parse(chart)  # well-formed: no text closed a tag
        assert not [e for e in tree.iter() if e.tag.endswith("script")]
