"""index.html and sources.html escape text from data files."""

import json
import shutil

import pandas as pd
from conftest import SOURCES, write_csv

from sustainment import paths
from sustainment.paths import Project
from sustainment.publishing import site


def test_source_title_with_script_is_escaped(tmp_path, data_dir):
    data = data_dir
    (data / "scenarios").mkdir(parents=True)
    rows = [list(r) for r in SOURCES]
    rows[1][2] = "<script>alert('x')</script> Shells"
    rows[2][2] = "(from URL slug) " + rows[2][2]  # a curator's marker: readers see the title and a note
    write_csv(data / "sources.csv", rows)
    shutil.copy(paths.SCENARIOS_DIR / "north_korea_cutoff.yaml", data / "scenarios")
    (data / "scenarios" / "north_korea_cutoff.yaml").write_text(
        (paths.SCENARIOS_DIR / "north_korea_cutoff.yaml").read_text().replace("dailywrap-ca-2024-10-30", "alpha-2024"))
    reports = tmp_path / "reports"
    figures_dir = reports / "north_korea_cutoff" / "figures"
    figures_dir.mkdir(parents=True)
    (figures_dir / "chart.json").write_text(json.dumps({
        "name": "chart", "title": "A <b>bold</b> claim", "subtitle": "s", "source_line": "Alpha News (2024)",
        "source_ids": ["alpha-2024"], "claim_ids": ["ru-a"], "note": ""}))
    manifest = {"reports": {"north_korea_cutoff/toy": {
        "input_hash": "0" * 64, "parameters": {"x": "<i>1</i>"}, "git_revision": "abc",
        "data_checksums": {"sources.csv": "f" * 64},
        "ipynb": "north_korea_cutoff/toy.ipynb", "html": "north_korea_cutoff/toy.html", "figures": ["chart.json", "chart.png"]}}}
    site.write_site(Project(data=data, scenarios=data / "scenarios", reports=reports), manifest)
    sources = (reports / "sources.html").read_text(encoding="utf-8")
    assert "<script>" not in sources and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Shells" in sources
    assert "north_korea_cutoff/toy" in sources
    assert "(from URL slug)" not in sources and "(title read from the address)" in sources
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in index and "A &lt;b&gt;bold&lt;/b&gt; claim" in index and "&lt;i&gt;1&lt;/i&gt;" in index


def test_the_index_opens_with_both_answers_per_scenario_and_the_age_of_their_claims(tmp_path, data_dir):
    (data_dir / "scenarios").mkdir(parents=True)
    reports = tmp_path / "reports"
    manifest = {"reports": {}}
    for name, ratio in (("baseline", "1.6x"), ("other", "0.8x")):
        folder = reports / name / "figures"
        folder.mkdir(parents=True)
        (folder / "briefing.json").write_text(json.dumps({"as_of": "2024-12-31", "headlines": {
            "ammunition": f"Russia's side had about {ratio} <script>x</script>", "recruitment": f"{name}: a change of +50,000"}}))
        (folder / "key_numbers.csv").write_text("number,low,central,high,unit,claim_ids,source_ids\n"
                                                "Russian supply,1,2,3,rounds/year,ru-a;ru-b,alpha-2024\n")
        manifest["reports"][f"{name}/briefing"] = {
            "input_hash": "0" * 64, "parameters": {}, "git_revision": "abc", "data_checksums": {},
            "ipynb": f"{name}/briefing.ipynb", "html": f"{name}/briefing.html", "figures": []}
    manifest["reports"]["one-off-baseline/briefing"] = {**manifest["reports"]["baseline/briefing"],
                                                        "html": "one-off-baseline/briefing.html"}
    site.write_site(Project(data=data_dir, scenarios=data_dir / "scenarios", reports=reports), manifest)
    index = (reports / "index.html").read_text(encoding="utf-8")
    top = index[:index.index("<h2>Reports</h2>")]
    # baseline first, then the others; one-off renders are not answers; data text escaped
    assert top.index("baseline: a change of +50,000") < top.index("other: a change of +50,000")
    assert "one-off-baseline" not in top and "&lt;script&gt;" in top and "<script>x" not in top
    assert "Claims public by 2024-12-31" in top and "almost certain 95-99%" in top
    # the newest of ru-a and ru-b (conftest's claims) and its age at the cut-off, in months
    from sustainment.claims import load

    newest = load(data_dir).set_index("id").loc[["ru-a", "ru-b"], "known_from"].max()
    months = round((pd.Timestamp("2024-12-31") - newest).days / (365.25 / 12))
    assert f"<td>Russian supply</td><td>{newest:%Y-%m-%d}</td><td>{months}</td>" in top


def test_a_set_of_claims_lists_each_claims_value_and_role(tmp_path, data_dir):
    from conftest import HEADER, claim_row

    from sustainment.claims import load
    from sustainment.presentation import narrative

    (data_dir / "scenarios").mkdir(parents=True)
    write_csv(data_dir / "claims.csv", [HEADER,
                                        claim_row("ru-point", "250000", unit="rounds/month", quote="a quarter million a month"),
                                        claim_row("ru-cap", "5000000", bound="up_to", munitions="all"),
                                        claim_row("ru-155", "2000000", munitions="152-155mm", quote="2M 155mm shells"),
                                        claim_row("ru-again", "250000", unit="rounds/month", statement="s", source="beta-2024",
                                                  quote="a quarter million a month, again"),
                                        claim_row("ru-first", "250000", unit="rounds/month", statement="s",
                                                  quote="a quarter million a month, first")])
    reports = tmp_path / "reports"
    (reports / "baseline").mkdir(parents=True)
    claims = load(data_dir)
    (reports / "baseline" / "toy.html").write_text(narrative.link("3.0 million", claims, list(claims["id"])))
    manifest = {"reports": {"baseline/toy": {"input_hash": "0" * 64, "parameters": {}, "git_revision": "abc",
                                             "data_checksums": {}, "ipynb": "baseline/toy.ipynb",
                                             "html": "baseline/toy.html", "figures": []}}}
    site.write_site(Project(data=data_dir, scenarios=data_dir / "scenarios", reports=reports), manifest)
    page = (reports / "claims.html").read_text(encoding="utf-8")
    listed = page[page.index(f'id="{narrative.claims_anchor(claims["id"])}"'):page.index("<h2>Every claim</h2>")]
    assert "3.00 million rounds/year" in listed  # 250,000 a month in the estimate's unit
    for words in ("sets the central figure", "a cap: bounds the range from above (counts another basis: cap)",
                  "a floor: bounds the range from below (counts another basis: floor)",
                  "a repeat of a statement counted once"):
        assert words in listed, words


def test_the_methods_page_is_the_decks_methods_text_linked_from_the_answers(tmp_path, data_dir):
    from markupsafe import escape

    from sustainment.analyses import METHODS

    (data_dir / "scenarios").mkdir(parents=True)
    reports = tmp_path / "reports"
    folder = reports / "baseline" / "figures"
    folder.mkdir(parents=True)
    (folder / "briefing.json").write_text(json.dumps({"as_of": "2024-12-31", "headlines": {}}))
    manifest = {"reports": {"baseline/briefing": {"input_hash": "0" * 64, "parameters": {}, "git_revision": "abc",
                                                  "data_checksums": {}, "ipynb": "baseline/briefing.ipynb",
                                                  "html": "baseline/briefing.html", "figures": []}}}
    site.write_site(Project(data=data_dir, scenarios=data_dir / "scenarios", reports=reports), manifest)
    page = (reports / "methods.html").read_text(encoding="utf-8")
    assert all(f"<li>{escape(item)}</li>" in page for item in METHODS)  # escaped as the templates escape
    assert '<a href="methods.html">methods</a>' in (reports / "index.html").read_text(encoding="utf-8")
