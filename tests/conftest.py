"""Fixtures: a small, valid data folder written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

METRICS = [
    ["name", "kind", "unit", "description"],
    ["shells_produced", "flow", "rounds/year", "Rounds produced"],
    ["casualties_killed_wounded", "cumulative", "persons", "Killed + wounded since the invasion"],
    ["recruits", "flow", "persons/month", "Contract recruits"],
]
ACTORS = [["code", "name", "side"], ["RU", "Russia", "russia"], ["EU", "European Union", "west"]]
SOURCES = [
    ["source_id", "publisher", "title", "url", "published", "accessed"],
    ["alpha-2024", "Alpha News", "Shells", "https://alpha.example/a", "2024-03-01", "2026-11-28"],
    ["beta-2024", "Beta Times", "More shells", "https://beta.example/b", "2024-07", "2026-11-28"],
]
HEADER = ["id", "metric", "actor", "period_start", "period_end", "value", "low", "high", "unit", "scope",
          "source_id", "claimant", "confidence", "quote", "reported", "notes"]
FIGURES = [
    HEADER,
    ["ru-a", "shells_produced", "RU", "2024-01-01", "2024-12-31", "3000000", "", "", "rounds/year", "all",
     "alpha-2024", "Analyst A", "medium", "three million a year", "", ""],
    ["ru-b", "shells_produced", "RU", "2024-01-01", "2024-12-31", "250000", "200000", "300000", "rounds/month",
     "all", "beta-2024", "Analyst B", "high", "a quarter million a month", "", ""],
    ["ru-c", "shells_produced", "RU", "2024-01-01", "2024-06-30", "2000000", "", "", "rounds/year", "152mm",
     "alpha-2024", "Analyst C", "low", "two million", "2024-01-15", ""],
    ["eu-a", "shells_produced", "EU", "2024-01-01", "2024-12-31", "1000000", "", "", "rounds/year", "all",
     "alpha-2024", "EU", "medium", "one million", "", ""],
    ["ru-kw", "casualties_killed_wounded", "RU", "2022-02-24", "2024-10-28", "600000", "", "", "persons",
     "killed + wounded", "alpha-2024", "NATO", "high", "600,000 killed or wounded", "", ""],
    ["ru-rec", "recruits", "RU", "2024-01-01", "2024-03-31", "91000", "", "", "persons", "year to date",
     "beta-2024", "Ministry", "low", "91,000 signed", "", ""],
]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid data folder; tests edit its files to make them bad."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rows in (("metrics", METRICS), ("actors", ACTORS), ("sources", SOURCES), ("figures", FIGURES)):
        write_csv(folder / f"{name}.csv", rows)
    return folder
