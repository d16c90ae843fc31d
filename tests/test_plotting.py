"""Charts: generated footers, byte-stable exports across processes."""

import hashlib
import json
import subprocess
import sys

import matplotlib.pyplot as plt

from sustainment.claims import load
from sustainment.presentation import plotting

SCRIPT = """
import sys
import pandas as pd
from sustainment.presentation import plotting
from sustainment.claims import load
claims = load(sys.argv[2])
chart, axes = plotting.new_chart("A finding", "what, in which unit", claims, ["ru-b", "ru-a"])
axes.plot([1, 2, 3], [3, 1, 2], color=plotting.SIDE_COLOURS["russia"])
chart.values = plotting.plotted(line=pd.DataFrame({"x": [1, 2, 3], "y": [3.0, 1.0, 2.0 / 3]}))
plotting.save(chart, "chart", sys.argv[1])
"""


def test_footer_is_generated_from_the_claims_sources(data_dir, tmp_path):
    claims = load(data_dir)
    chart, _ = plotting.new_chart("Title", "Subtitle", claims, ["ru-a", "ru-b", "ru-c", ""])
    written = plotting.save(chart, "chart", tmp_path)
    assert [p.name for p in written] == ["chart.png", "chart.svg", "chart.pdf", "chart.slide.png", "chart.thumb.png",
                                         "chart.json"]
    sidecar = json.loads((tmp_path / "chart.json").read_text())
    assert sidecar["source_line"] == "Alpha News (2025); Gamma Wire (2025)"  # beta-2024 relays Gamma Wire
    assert sidecar["source_ids"] == ["alpha-2024", "beta-2024"]
    assert sidecar["claim_ids"] == ["ru-a", "ru-b", "ru-c"]
    assert "Alpha News (2025)" in (tmp_path / "chart.svg").read_text()


def test_a_chart_writes_its_plotted_values_beside_it_and_links_them(data_dir, tmp_path):
    import pandas as pd

    claims = load(data_dir)
    chart, axes = plotting.new_chart("Title", "Subtitle", claims, ["ru-a"])
    axes.plot([2024, 2025], [3e6, 1 / 3])
    months = pd.DataFrame({"central": [3_141_592.65, 1 / 3]}, index=pd.period_range("2025-01", periods=2, freq="M"))
    chart.values = plotting.plotted(by_year=pd.DataFrame({"year": [2024, 2025], "ids": [("ru-a", "ru-b"), ()]}),
                                    by_month=months)
    assert 'plotted values' not in plotting.show(chart, claims), "not saved yet: nothing to link"
    written = plotting.save(chart, "chart", tmp_path)
    assert tmp_path / "chart.csv" in written
    assert (tmp_path / "chart.csv").read_text().splitlines() == [
        "series,year,ids,date,central", "by_year,2024,ru-a;ru-b,,", "by_year,2025,,,",
        "by_month,,,2025-01-01,3141590", "by_month,,,2025-02-01,0.333333"]
    assert '<a href="figures/chart.csv">the plotted values (CSV)</a>' in plotting.show(chart, claims)


def test_two_processes_write_identical_files(data_dir, tmp_path):
    for run in ("one", "two"):
        subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / run), str(data_dir)], check=True,
                       env={"PYTHONHASHSEED": "1" if run == "one" else "2", "PATH": ""})
    for suffix in ("png", "svg", "pdf", "json", "csv"):
        one, two = ((tmp_path / run / f"chart.{suffix}").read_bytes() for run in ("one", "two"))
        assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest(), suffix


def test_no_dates_in_metadata(data_dir, tmp_path):
    claims = load(data_dir)
    chart, _ = plotting.new_chart("T", "S", claims, ["ru-a"])
    plotting.save(chart, "chart", tmp_path)
    assert b"CreationDate" not in (tmp_path / "chart.pdf").read_bytes()
    assert "<dc:date>" not in (tmp_path / "chart.svg").read_text()


def test_no_legend_covers_data_in_any_chart():
    """Every chart the pipelines draw keeps its legend outside the plotting area."""
    from sustainment import analyses
    from sustainment.claims import load

    claims = load()
    charts = {**analyses.ammunition_charts(analyses.ammunition_analysis(claims, n_draws=200, seed=1), claims),
              **analyses.recruitment_charts(analyses.recruitment_analysis(claims, n_draws=200, seed=1), claims),
              **analyses.audit_charts(claims, claims)}
    for name, chart in charts.items():
        assert chart.values is not None and len(chart.values), f"{name}: no plotted values for its CSV"
        figure = chart.figure
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        for axes in figure.axes:
            legend = axes.get_legend()
            if legend is not None:
                box, plot = legend.get_window_extent(renderer), axes.get_window_extent(renderer)
                assert not box.overlaps(plot), f"{name}: the legend overlaps the plot"
                assert box.x1 <= figure.bbox.x1 + 1, f"{name}: the legend runs off the figure"
    plt.close("all")


def test_a_chart_drawn_again_is_not_exported_again_and_reads_the_same(data_dir, tmp_path, monkeypatch):
    claims = load(data_dir)

    def draw(points):
        chart, axes = plotting.new_chart("A finding", "what, in which unit", claims, ["ru-a"])
        axes.plot([1, 2, 3], points)
        return chart

    monkeypatch.setattr(plotting, "_EXPORTS", {})
    plotting.save(draw([3, 1, 2]), "first", tmp_path / "first")
    rendered = []
    monkeypatch.setattr(plotting, "_png", lambda figure, dpi: rendered.append(dpi) or b"png")
    plotting.save(draw([3, 1, 2]), "again", tmp_path / "again")
    assert rendered == [], "the same drawing reuses its exports"
    for suffix in ("png", "svg", "pdf", "slide.png", "thumb.png"):
        assert (tmp_path / "first" / f"first.{suffix}").read_bytes() == (tmp_path / "again" / f"again.{suffix}").read_bytes()
    plotting.save(draw([3, 2, 1]), "other", tmp_path / "other")
    assert len(rendered) == 3, "another drawing is exported (png, slide, thumbnail)"
    drawn = draw([3, 1, 2])
    with plt.rc_context({"pdf.fonttype": 3}):
        plotting.save(drawn, "style", tmp_path / "style")
    assert len(rendered) == 6, "so is the same drawing under other style settings"
    monkeypatch.setattr(plotting, "EXPORTS_KEPT", 2)
    plotting.save(draw([1, 1, 1]), "more", tmp_path / "more")
    assert len(plotting._EXPORTS) == 2, "the process keeps the latest few"


def test_plotted_values_take_empty_frames():
    import pandas as pd

    empty = pd.DataFrame({"date": pd.to_datetime([]), "value": pd.Series([], dtype=float)})
    table = plotting.plotted(points=empty, line=pd.DataFrame({"value": [1.0]}))
    assert table["series"].tolist() == ["line"] and list(table.columns) == ["series", "date", "value"]


def test_a_slide_picture_is_drawn_at_the_slides_size_with_no_text_under_12_points(monkeypatch):
    """The deck shows a chart at full slide width: drawn at that size, every text is at least 12 pt
    there; the report's own files keep their sizes."""
    from matplotlib.text import Text

    from sustainment import analyses

    claims = load()
    charts = analyses.ammunition_charts(analyses.ammunition_analysis(claims, n_draws=200, seed=1), claims)
    seen = {}

    def capture(figure, dpi):
        figure.canvas.draw()  # tick labels get their text when drawn
        seen["size"] = tuple(figure.get_size_inches())
        seen["points"] = [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
        return b""

    def sizes(figure) -> list[float]:
        figure.canvas.draw()
        return sorted(t.get_fontsize() for t in figure.findobj(Text) if t.get_text())

    for name, chart in charts.items():
        before = sizes(chart.figure)
        monkeypatch.setattr(plotting, "_png", capture)
        plotting.slide_png(chart)
        monkeypatch.undo()
        assert seen["size"] == plotting.SLIDE_CHART_IN, name
        assert min(seen["points"]) >= plotting.SLIDE_MIN_PT, f"{name}: text under 12 pt on the slide"
        assert sizes(chart.figure) == before, f"{name}: the report's sizes restored"
    plt.close("all")
