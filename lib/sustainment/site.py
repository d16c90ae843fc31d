"""reports/index.html and reports/sources.html, from the manifest, the scenarios and the
charts' sidecars, through autoescaping Jinja2 templates (text from data files is never raw HTML)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from sustainment.files import write_atomic


def _environment() -> Environment:
    return Environment(loader=PackageLoader("sustainment", "templates"), autoescape=select_autoescape(["j2", "html"]),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _charts(reports: Path, entry: dict, scenario: str) -> list[dict]:
    charts = []
    files = set(entry.get("figures", []))
    for name in sorted(files):
        if name.endswith(".json") and name.removesuffix(".json") + ".png" in files:
            sidecar = json.loads((reports / scenario / "figures" / name).read_text(encoding="utf-8"))
            charts.append({**sidecar, "png": f"{scenario}/figures/{sidecar['name']}.png",
                           "svg": f"{scenario}/figures/{sidecar['name']}.svg", "pdf": f"{scenario}/figures/{sidecar['name']}.pdf"})
    return charts


def write_site(project, manifest: dict) -> None:
    """Write index.html and sources.html for what the manifest records (atomically)."""
    reports = project.reports
    from sustainment.render import load_scenarios

    scenarios = {scenario.name: scenario for scenario in load_scenarios(project, None)}
    by_scenario: dict[str, list[dict]] = {}
    used_by: dict[str, set[str]] = {}
    for key, entry in manifest["reports"].items():
        scenario, notebook = key.split("/", 1)
        charts = _charts(reports, entry, scenario)
        by_scenario.setdefault(scenario, []).append({**entry, "notebook": notebook, "scenario": scenario, "charts": charts})
        for chart in charts:
            for source_id in chart["source_ids"]:
                used_by.setdefault(source_id, set()).add(key)
        for source_id in scenarios[scenario].source_ids if scenario in scenarios else ():
            used_by.setdefault(source_id, set()).add(f"{scenario} (scenario assumptions)")
    with (project.data / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = [dict(row, used_by=sorted(used_by.get(row["source_id"], ()))) for row in csv.DictReader(handle)]
    environment = _environment()
    decks = {name for name in by_scenario if (reports / name / "briefing.pptx").exists()}
    index = environment.get_template("index.html.j2").render(
        scenarios=[(scenarios.get(name), by_scenario[name]) for name in sorted(by_scenario)], decks=decks)
    listing = environment.get_template("sources.html.j2").render(
        sources=sorted(sources, key=lambda s: s["source_id"]), used=sum(1 for s in sources if s["used_by"]))
    write_atomic(reports / "index.html", index)
    write_atomic(reports / "sources.html", listing)
