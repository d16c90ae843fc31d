"""index.html and sources.html escape text from data files."""

import json
import shutil

from conftest import SOURCES, write_csv

from sustainment import paths
from sustainment.paths import Project
from sustainment.publishing import site


def test_source_title_with_script_is_escaped(tmp_path, data_dir):
    data = data_dir
    (data / "scenarios").mkdir(parents=True)
    rows = [list(r) for r in SOURCES]
    rows[1][2] = "<script>alert('x')</script> Shells"
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
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in index and "A &lt;b&gt;bold&lt;/b&gt; claim" in index and "&lt;i&gt;1&lt;/i&gt;" in index
