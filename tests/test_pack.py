"""The briefing pack, built from a small rendered scenario written here."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from pptx import Presentation

from sustainment import analyses, notebooks, paths
from sustainment.claims import load
from sustainment.errors import PackError
from sustainment.files import write_atomic
from sustainment.paths import Project
from sustainment.presentation import narrative, plotting
from sustainment.publishing import pack

SCENARIO = ("name: {name}\ntitle: Toy {name}\ndescription: A toy scenario.\nassumptions: [Nothing changes]\n"
            "source_ids: [alpha-2024]\nparameters: {{}}\n")


def render_toy(project: Project, name: str, charts: dict[str, list[str]]) -> None:
    """What `sustainment render` leaves for one scenario: charts, sidecars, key numbers, manifest."""
    claims = load(project.data)
    (project.scenarios / f"{name}.yaml").write_text(SCENARIO.format(name=name))
    folder = project.reports / name / "figures"
    for chart, ids in charts.items():
        drawn, axes = plotting.new_chart(f"{chart} finding", "what, in units", claims, ids)
        axes.plot([0, 1], [1, 2])
        plotting.save(drawn, chart, folder)
        plt.close(drawn.figure)
    key_numbers = pd.DataFrame([
        {"number": "Russian supply", "low": 2e6, "central": 3e6, "high": 3.6e6, "unit": "rounds/year",
         "claim_ids": ("ru-a", "ru-b"), "source_ids": ("alpha-2024", "beta-2024")},
        {"number": "Ratio", "low": 2.0, "central": 3.0, "high": 3.6, "unit": "ratio", "claim_ids": ("ru-a", "eu-a"),
         "source_ids": ("alpha-2024",)}])
    analyses.save_briefing(str(folder), scenario=name, as_of=pd.Timestamp("2024-12-31"),
                           data_vintage=pd.Timestamp("2024-12-31"), policy="central",
                           key_numbers=key_numbers, bottom_lines=[f"**Bottom line.** The {name} answer."],
                           headlines={"ammunition": "a", "recruitment": "r"})
    notebook = {"cells": [], "metadata": {"sustainment": {"analyses": [], "deck": {"order": 0, "charts": list(charts)}}},
                "nbformat": 4, "nbformat_minor": 5}
    (project.notebooks / "briefing.ipynb").write_text(json.dumps(notebook))
    manifest_path = project.reports / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"reports": {}}
    manifest["reports"][f"{name}/briefing"] = {
        "input_hash": "ab" * 32, "figures": sorted(p.name for p in folder.iterdir()), "parameters": {"scenario": name},
        "git_revision": "abc", "data_checksums": {}, "html": f"{name}/briefing.html", "ipynb": f"{name}/briefing.ipynb",
        "sha256": {f"{name}/figures/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}}
    write_atomic(manifest_path, json.dumps(manifest))


CHARTS = {"supply": ["ru-a", "ru-b"], "ratio": ["ru-a", "eu-a"], "recruits": ["ru-rec"]}


@pytest.fixture
def project(data_dir, tmp_path) -> Project:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    made = Project(notebooks=tmp_path, data=data_dir, scenarios=scenarios, reports=tmp_path / "reports")
    render_toy(made, "alpha", CHARTS)
    render_toy(made, "beta", CHARTS)
    return made


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_briefing_deck_order_pictures_footers_notes(project):
    pack.export_briefing(project, ["alpha"])
    assert 'href="alpha/briefing.pptx"' in (project.reports / "index.html").read_text()
    deck = Presentation(str(project.reports / "alpha" / "briefing.pptx"))
    slides = list(deck.slides)
    titles = [slide_texts(s)[0] for s in slides]
    assert titles[0].startswith("Russian vs Western") and "Toy alpha" in slide_texts(slides[0])[1]
    # the findings slide: one sentence per question at 20 pt; the notes as talking points, pointing to the reasoning
    assert titles[1] == "Bottom line" and slide_texts(slides[1])[1] == "• a\n• r"
    findings = next(s for s in slides[1].shapes if s.has_text_frame and s.text_frame.text.startswith("• a"))
    assert {run.font.size.pt for p in findings.text_frame.paragraphs for run in p.runs} == {20}
    assert slides[1].notes_slide.notes_text_frame.text.startswith("Talking points:\n- a\n- r\n\nIf asked why")
    assert titles[2] == "Key numbers" and titles[3:6] == ["supply finding", "ratio finding", "recruits finding"]
    assert titles[6] == "Methods and caveats" and titles[7] == "Scenario assumptions: Toy alpha" and titles[8] == "Sources"
    assert len(slides) == 9 and deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    table = next(shape for shape in slides[2].shapes if shape.has_table).table
    assert table.cell(1, 0).text == "Russian supply" and table.cell(1, 1).text == "3.0 million"
    assert table.cell(2, 2).text == "2.0x to 3.6x"
    with (project.reports / "alpha" / "figures" / "figures.csv").open() as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle)}
    for slide, (chart, ids) in zip(slides[3:6], CHARTS.items()):
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == 1 and round(pictures[0].width.inches, 2) == plotting.SLIDE_CHART_IN[0], "one, full width"
        texts = slide_texts(slide)
        assert texts == [f"{chart} finding", "what, in units", texts[-1]], "the title, the measure and the footer, once each"
        footer = texts[-1]
        assert footer == "Sources: " + manifest[f"{chart}.png"]["source_line"] and footer != "Sources: "
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(f"Talking point: {chart} finding.") and manifest[f"{chart}.png"]["source_line"] in notes
        assert f"{len(ids)} claims from" in notes and f"claims.html#{narrative.claims_anchor(sorted(ids))}" in notes
    assert manifest["supply.png"]["notebook"] == "briefing" and manifest["supply.png"]["input_hash"] == "ab" * 32
    assert all(row["notebook"] == "briefing" for row in manifest.values())
    for slide in slides:
        assert len(slide.notes_slide.notes_text_frame.text) <= pack.NOTES_CHARACTERS
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size is None or run.font.size.pt >= 12
    links = [run.hyperlink.address for shape in slides[-1].shapes if shape.has_text_frame
             for paragraph in shape.text_frame.paragraphs for run in paragraph.runs if run.hyperlink.address]
    assert links == ["https://alpha.example/a", "https://beta.example/b"], "the sources slide links each source"
    assert b"/URI (https://alpha.example/a)" in (project.reports / "alpha" / "briefing.pdf").read_bytes()


def test_long_source_lines_are_shortened_in_the_footer_and_kept_in_the_notes():
    line = "; ".join(f"Publisher number {n} (2024)" for n in range(40))
    short = pack.footer(line)
    # 4 sources of 26 characters fit in the 130 left beside the "+N more" note
    assert len(short) <= pack.FOOTER_CHARACTERS and short.endswith("; +36 more (Sources slides, sources.html)")
    assert short.removeprefix("Sources: ").startswith("Publisher number 0 (2024); Publisher number 1 (2024)")
    assert pack.footer("A (2024)") == "Sources: A (2024)"


def test_pdf_has_one_page_per_slide(project):
    pack.export_briefing(project, ["alpha"])
    pages = re.findall(rb"/Type\s*/Page\b", (project.reports / "alpha" / "briefing.pdf").read_bytes())
    assert len(pages) == len(Presentation(str(project.reports / "alpha" / "briefing.pptx")).slides)


def test_an_up_to_date_deck_is_made_again_only_when_what_it_rests_on_changes(project):
    assert pack.export_briefing(project, ["alpha"])
    deck = project.reports / "alpha" / "briefing.pptx"
    made = deck.read_bytes()
    assert pack.export_briefing(project, ["alpha"]) == []  # nothing changed: nothing written, the same file
    assert deck.read_bytes() == made
    manifest_path = project.reports / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["reports"]["alpha/briefing"]["input_hash"] = "cd" * 32  # the briefing rendered again
    write_atomic(manifest_path, json.dumps(manifest))
    assert project.reports / "alpha" / "briefing.pptx" in pack.export_briefing(project, ["alpha"])
    deck.write_bytes(b"cut short")  # the deck itself damaged
    assert deck in pack.export_briefing(project, ["alpha"]) and deck.read_bytes() == made
    (project.data / "claims.csv").write_text((project.data / "claims.csv").read_text() + "\n")  # the data changed
    assert deck in pack.export_briefing(project, ["alpha"])


def test_two_exports_are_byte_identical(project):
    outputs = ["briefing.pptx", "briefing.pdf", "figures/figures.csv"]
    pack.export_briefing(project, ["alpha"])
    first = {name: (project.reports / "alpha" / name).read_bytes() for name in outputs}
    pack.export_briefing(project, ["alpha"])
    assert first == {name: (project.reports / "alpha" / name).read_bytes() for name in outputs}


def render_briefing(project: Project, name: str, parameters: dict) -> None:
    """What the briefing notebook leaves for a scenario of the project's own data (few draws)."""
    claims = load(project.data)
    shutil.copy(paths.SCENARIOS_DIR / f"{name}.yaml", project.scenarios)
    parameters = {"scenario": name, "n_draws": 200, **parameters}
    charts = analyses.briefing_charts(claims, parameters)
    folder = project.reports / name / "figures"
    for chart_name, chart in charts.items():
        plotting.save(chart, chart_name, folder)
    plt.close("all")
    analyses.save_briefing(str(folder), scenario=name, as_of=pd.Timestamp("2026-08-08"), data_vintage=pd.Timestamp("2026-08-08"),
                           policy="central", key_numbers=pd.DataFrame(
                               [{"number": "n", "low": 1.0, "central": 2.0, "high": 3.0, "unit": "ratio", "claim_ids": (),
                                 "source_ids": ()}]), bottom_lines=[], headlines={})
    manifest_path = project.reports / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"reports": {}}
    manifest["reports"][f"{name}/briefing"] = {"input_hash": "cd" * 32, "figures": sorted(p.name for p in folder.iterdir()),
                                               "parameters": parameters}
    write_atomic(manifest_path, json.dumps(manifest))


def test_compare_deck_puts_scenarios_side_by_side_on_one_scale(tmp_path):
    project = Project(data=paths.DATA_DIR, scenarios=tmp_path / "scenarios", reports=tmp_path / "reports")
    project.scenarios.mkdir()
    render_briefing(project, "baseline", {})
    render_briefing(project, "north_korea_cutoff", {"include_north_korea": False, "include_iran": False,
                                                    "foreign_troops_claim": ""})
    path, pdf = pack.export_compare(project, ["baseline", "north_korea_cutoff"])
    slides = list(Presentation(str(path)).slides)
    charts = notebooks.deck_declaration(paths.NOTEBOOKS_DIR / "briefing.ipynb")[1]
    sources = [s for s in slides if slide_texts(s)[0].startswith("Sources")]
    assert sources and len(slides) == 2 + len(charts) + len(sources), "key numbers, a pair per chart, the sources"
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == len(slides)
    assert slide_texts(slides[1])[-1].startswith("Sources: "), "the key numbers say where they come from"
    table = next(shape for shape in slides[1].shapes if shape.has_table).table
    assert [table.cell(0, c).text for c in range(3)] == ["Key number", "Baseline", "North Korea and Iran cut off"]
    pictures = [shape for shape in slides[2].shapes if shape.shape_type == 13]
    assert len(pictures) == 2 and "on one scale" in slide_texts(slides[2])[0]


@pytest.mark.parametrize("count", [1, 6, 10, 25])
def test_long_tables_are_split_into_slides_that_fit_with_the_header_on_each(count):
    header = ["Key number", "Central", "Range", "Unit"]
    rows = [[f"Number {n} with a label long enough to wrap onto a second line", "1.0", "0.5 to 2.0", "rounds/year"]
            for n in range(count)]
    slides = pack.table_slides("Key numbers", [header, *rows])
    assert [row for slide in slides for row in slide.rows[1:]] == rows, "every row once, in order"
    assert all(slide.rows[0] == header for slide in slides)
    assert all(sum(map(pack._row_height, slide.rows)) <= 1 for slide in slides), "each table fits its area"
    assert len(slides) == 1 or [s.title for s in slides][-1] == f"Key numbers ({len(slides)} of {len(slides)})"
    assert (len(slides) > 1) == (count >= 10)


def test_share_scale_gives_paired_charts_one_scale(data_dir):
    claims = load(data_dir)
    pair = []
    for top in (10, 1000):
        chart, axes = plotting.new_chart("t", "s", claims, ["ru-a"])
        axes.plot([0, 1], [0, top])
        pair.append(chart)
    plotting.share_scale(pair)
    assert pair[0].axes.get_ylim() == pair[1].axes.get_ylim() and pair[0].axes.get_ylim()[1] >= 1000
    plt.close("all")


def test_bad_requests_are_one_line_and_keep_the_good_deck(project):
    with pytest.raises(PackError, match="unknown scenario 'gamma'"):
        pack.export_briefing(project, ["gamma"])
    (project.scenarios / "delta.yaml").write_text(SCENARIO.format(name="delta"))
    with pytest.raises(PackError, match="'delta' is not rendered yet"):
        pack.export_briefing(project, ["delta"])
    pack.export_briefing(project, ["alpha"])
    good = (project.reports / "alpha" / "briefing.pptx").read_bytes()
    (project.reports / "alpha" / "figures" / "ratio.slide.png").unlink()
    with pytest.raises(PackError, match="figure 'ratio' is missing"):
        pack.export_briefing(project, ["alpha"])
    assert (project.reports / "alpha" / "briefing.pptx").read_bytes() == good
    with pytest.raises(PackError, match="at least two"):
        pack.export_compare(project, ["alpha"])


def test_every_scenario_exports_beside_one_off_runs_and_a_cut_short_file_is_one_line(project):
    shutil.copytree(project.reports / "alpha", project.reports / "one-off-alpha")  # what `render -p ...` leaves
    written = pack.export_briefing(project, None)
    assert sorted({p.parent.name for p in written if p.suffix == ".pptx"}) == ["alpha", "beta"]
    (project.reports / "alpha" / "figures" / "briefing.json").write_text('{"scenario": ')
    with pytest.raises(PackError, match=re.escape("alpha/figures/briefing.json: unreadable")):
        pack.export_briefing(project, ["alpha"])


def test_cli_unknown_scenario_exits_1_in_one_line():
    done = subprocess.run([sys.executable, "-m", "sustainment.cli", "export", "briefing", "--scenario", "gamma"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "unknown scenario 'gamma'" in done.stderr


def test_export_failures_are_one_line_each(project, monkeypatch, capsys):
    from sustainment import cli
    from sustainment import paths as paths_module

    monkeypatch.setattr(paths_module, "Project", lambda: project)
    assert cli.main(["export", "compare", "--scenarios", "alpha", "alpha"]) == 1
    assert capsys.readouterr().err.strip() == "compare: each scenario once, got alpha alpha"
    claims_csv = project.data / "claims.csv"
    claims_csv.write_text(claims_csv.read_text().replace("3000000", "lots"))
    assert cli.main(["export", "briefing", "--scenario", "alpha"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "1 problem(s) in the data; nothing done" and "not a number: 'lots'" in err[0]
    (project.reports.parent / "not-a-folder").write_text("a file where reports/ should be")
    blocked = Project(data=project.data, scenarios=project.scenarios, reports=project.reports.parent / "not-a-folder")
    monkeypatch.setattr(paths_module, "Project", lambda: blocked)
    assert cli.main(["export", "briefing", "--scenario", "alpha"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the last good outputs are kept" in err[0] and "Traceback" not in err[0]


def test_sources_fit_two_slides_the_most_cited_first_then_a_link_to_the_rest():
    claims = load()
    most = claims["source_id"].value_counts()  # one source leads (the Ukrainian General Staff's daily count)
    assert most.iloc[0] > most.iloc[1]
    slides = pack._source_slides(claims, set(claims["source_id"]), list(claims["id"]))
    assert len(slides) == pack.SOURCE_SLIDES and [s.title for s in slides] == ["Sources (1 of 2)", "Sources (2 of 2)"]
    first = claims[claims["source_id"] == most.index[0]].iloc[0]
    assert slides[0].bullets[0].startswith(f"{first['credit']} ({int(first['credit_year'])})")
    rest = claims["source_id"].nunique() - (pack.SOURCE_SLIDES * pack.SOURCES_PER_SLIDE - 1)
    assert slides[-1].bullets[-1].startswith(f"+{rest} more sources") and slides[-1].links[-1] == "../sources.html"
