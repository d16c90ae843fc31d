"""Fixtures: a small, valid data folder written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from sustainment import paths
from sustainment.paths import Project

METRICS = [
    ["name", "kind", "nature", "unit", "description"],
    ["shells_produced", "flow", "observed", "rounds/year", "Rounds produced"],
    ["casualties_killed_wounded", "cumulative", "observed", "persons", "Killed + wounded since the invasion"],
    ["recruits", "flow", "observed", "persons/month", "Contract recruits"],
]
ACTORS = [["code", "name", "side"], ["RU", "Russia", "russia"], ["EU", "European Union", "west"]]
SOURCES = [
    ["source_id", "publisher", "title", "url", "published", "accessed", "kind", "original_publisher", "original_title",
     "original_published", "original_url"],
    ["alpha-2024", "Alpha News", "Shells", "https://alpha.example/a", "2025-03-01", "2026-11-28", "primary", "Alpha News",
     "Shells", "2025-03-01", "https://alpha.example/a"],
    ["beta-2024", "Beta Times", "More shells", "https://beta.example/b", "2025-07", "2026-11-28", "relay", "Gamma Wire",
     "Shells, more", "2025-07-30", ""],
]
HEADER = ["id", "metric", "actor", "period_start", "period_end", "value", "low", "high", "unit", "scope",
          "source_id", "claimant", "confidence", "quote", "reported", "notes", "bound", "coverage", "statement", "forecast",
          "munitions"]
CLAIMS = [
    HEADER,
    ["ru-a", "shells_produced", "RU", "2024-01-01", "2024-12-31", "3000000", "", "", "rounds/year", "all",
     "alpha-2024", "Analyst A", "medium", "three million a year", "", "", "", "", "", "", "unstated"],
    ["ru-b", "shells_produced", "RU", "2024-01-01", "2024-12-31", "250000", "200000", "300000", "rounds/month",
     "all", "beta-2024", "Analyst B", "high", "a quarter million a month", "", "", "", "", "", "", "unstated"],
    ["ru-c", "shells_produced", "RU", "2024-01-01", "2024-01-15", "2000000", "", "", "rounds/year", "all",
     "alpha-2024", "Analyst C", "low", "two million", "2024-01-15", "", "", "", "", "", "unstated"],
    ["eu-a", "shells_produced", "EU", "2024-01-01", "2024-12-31", "1000000", "", "", "rounds/year", "all",
     "alpha-2024", "EU", "medium", "one million", "", "", "", "", "", "", "unstated"],
    ["ru-kw", "casualties_killed_wounded", "RU", "2022-02-24", "2024-10-28", "600000", "", "", "persons",
     "killed + wounded", "alpha-2024", "NATO", "high", "600,000 killed or wounded", "", "", "", "", "", "", ""],
    ["ru-rec", "recruits", "RU", "2024-01-01", "2024-03-31", "91000", "", "", "persons", "year to date",
     "beta-2024", "Ministry", "low", "91,000 signed", "", "", "", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid data folder; tests edit its files to make them bad."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in (("metrics", METRICS), ("actors", ACTORS), ("sources", SOURCES), ("claims", CLAIMS)):
        write_csv(folder / f"{name}.csv", rows)
    return folder


def claim_row(id: str, value: str, *, metric: str = "shells_produced", actor: str = "RU", start: str = "2024-01-01",
              end: str = "2024-12-31", low: str = "", high: str = "", unit: str = "rounds/year", scope: str = "all",
              source: str = "alpha-2024", claimant: str = "Analyst", confidence: str = "medium", quote: str = "",
              reported: str = "", notes: str = "", bound: str = "", coverage: str = "", statement: str = "",
              forecast: str = "", munitions: str | None = None) -> list[str]:
    """One figures.csv row in HEADER order; the quote defaults to one naming the row, the basis of
    an ammunition claim to 'unstated'."""
    if munitions is None:
        munitions = "unstated" if metric.startswith("shells_") else ""
    return [id, metric, actor, start, end, value, low, high, unit, scope, source, claimant, confidence,
            quote or f"quote of {id}", reported, notes, bound, coverage, statement, forecast, munitions]


@pytest.fixture
def with_claims(data_dir):
    """Replace the fixture's claims by the given rows and load them."""
    from sustainment.claims import load

    def write_and_load(*rows: list[str]):
        write_csv(data_dir / "claims.csv", [HEADER, *rows])
        return load(data_dir)

    return write_and_load


# --- toy projects for the renderer and the engine -------------------------------------------

def project_with(tmp_path: Path, notebooks: Path, scenarios: list[str], **parameters) -> Project:
    """A project of the given notebooks and scenarios (their files copied, `parameters` added to each)."""
    import yaml

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in scenarios:
        scenario = yaml.safe_load((paths.SCENARIOS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        scenario["parameters"] = {**(scenario["parameters"] or {}), **parameters}
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return Project(notebooks=notebooks, data=paths.DATA_DIR, scenarios=folder, reports=tmp_path / "reports")


TOY = '''scenario: str = "baseline"  # scenario name
figures_dir: str = ""  # charts folder
fail: bool = False  # raise on purpose'''


BASELINE = "name: {name}\ntitle: Toy\ndescription: toy\nassumptions: []\nsource_ids: []\nparameters: {{}}\n"


def toy_project(tmp_path: Path, bodies: dict[str, str], parameters: str = TOY) -> Project:
    """A project of one-cell notebooks (`bodies`: name -> code after the parameters cell `parameters`)
    and a baseline scenario that sets nothing, with the real data."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir(parents=True)
    for name, body in bodies.items():
        notebook = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        notebook.cells = [cell, nbformat.v4.new_code_cell(body)]
        notebook.metadata["sustainment"] = {"analyses": []}
        for number, item in enumerate(notebook.cells):
            item["id"] = f"cell-{number}"
        nbformat.write(notebook, notebooks / f"{name}.ipynb")
    project = project_with(tmp_path, notebooks, [])
    (project.scenarios / "baseline.yaml").write_text(BASELINE.format(name="baseline"))
    return project
