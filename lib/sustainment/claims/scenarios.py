"""Scenarios: data/scenarios/*.yaml read and checked once into `Scenario` values (name, title,
description, assumptions, the sources behind them, parameter values). Parameter values are
checked against the notebooks' signatures when a render is planned (`running.signature.bind`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sustainment.errors import CsvError, ParameterError

MAX_BYTES = 100_000  # a scenario is a page of text


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a scenario needs none, and aliases can expand a few
    hundred bytes into gigabytes (a "billion laughs" file stopped every command)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases (*{event.anchor}) are not allowed in a scenario (line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


DEFAULT_SCENARIO = "baseline"  # the scenario a render, a sweep or a notebook in Lab uses unless told otherwise


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values, with its assumptions and the sources behind them."""

    name: str
    title: str
    description: str
    assumptions: tuple[str, ...]
    source_ids: tuple[str, ...]
    parameters: dict = field(default_factory=dict)
    path: Path | None = None


def read_scenario(path: Path, known_sources: set[str]) -> Scenario:
    """Parse and check one data/scenarios/*.yaml (structure and source ids)."""
    where = path.name
    if path.stat().st_size > MAX_BYTES:
        raise ParameterError(f"{where}: {path.stat().st_size:,} bytes; a scenario file is at most {MAX_BYTES:,}")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as err:
        raise ParameterError(f"{where}: not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: expected a mapping with name, title, description, assumptions, source_ids, parameters")
    keys = ("name", "title", "description", "assumptions", "source_ids", "parameters")
    missing = [k for k in keys if k not in raw]
    if missing:
        raise ParameterError(f"{where}: missing key(s) {', '.join(missing)}")
    unknown_keys = [str(k) for k in raw if k not in keys]
    if unknown_keys:
        raise ParameterError(f"{where}: unknown key(s) {', '.join(unknown_keys)}; a scenario has {', '.join(keys)}")
    for key in ("title", "description"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ParameterError(f"{where}: {key} must be text")
    for key in ("assumptions", "source_ids"):
        if not isinstance(raw[key] or [], list) or not all(isinstance(item, str) for item in raw[key] or []):
            raise ParameterError(f"{where}: {key} must be a list of texts")
    if raw["name"] != path.stem:
        raise ParameterError(f"{where}: name {raw['name']!r} must match the file name {path.stem!r}")
    unknown = [s for s in raw["source_ids"] or [] if s not in known_sources]
    if unknown:
        raise ParameterError(f"{where}: unknown source_id(s) {', '.join(unknown)} (not in sources.csv, or backing no claim: "
                             f"cite the source of a claim the assumption rests on)")
    if not isinstance(raw["parameters"] or {}, dict):
        raise ParameterError(f"{where}: parameters must be a mapping of name: value")
    return Scenario(raw["name"], str(raw["title"]), str(raw["description"]).strip(), tuple(raw["assumptions"] or ()),
                    tuple(raw["source_ids"] or ()), dict(raw["parameters"] or {}), path)


def _column(path: Path, name: str) -> set[str]:
    """The values of one column of a CSV file (none when the file cannot be read or lacks it:
    `validate` says what is wrong with it)."""
    from sustainment.files import read_csv

    try:
        header, rows = read_csv(path)
    except (CsvError, OSError):
        return set()
    if name not in header:
        return set()
    column = header.index(name)
    return {cells[column] for _, cells in rows if column < len(cells)}


def source_ids(sources_csv: Path) -> set[str]:
    """The ids in sources.csv that back at least one claim in the claims files beside it, read
    without loading the whole data model: the sources a scenario or a policy can cite (reports
    credit a source through its claims; one with none would vanish from every page)."""
    from sustainment.paths import claim_files

    cited = set().union(*(_column(path, "source_id") for path in claim_files(sources_csv.parent) if path.exists()))
    return _column(sources_csv, "source_id") & cited


def load_scenarios(scenarios_dir: Path, sources_csv: Path, names: list[str] | None) -> list[Scenario]:
    """The scenarios named (default: every data/scenarios/*.yaml), each read and checked; a name
    with no file is refused with the list of those available."""
    known = source_ids(sources_csv)
    available = {p.stem: p for p in sorted(scenarios_dir.glob("*.yaml"))}
    _refuse_unknown(names, list(available))
    return [read_scenario(available[n], known) for n in names] if names else [read_scenario(p, known) for p in available.values()]


def scenarios_of(project, names: list[str] | None = None) -> list[Scenario]:
    """The project's scenarios named (default: all), read and checked (see `load_scenarios`)."""
    return load_scenarios(project.scenarios, project.data / "sources.csv", names)


def pick(scenarios: list[Scenario], names: list[str] | None) -> list[Scenario]:
    """Those of `scenarios` (already loaded) named, in the order named (default: all)."""
    by_name = {s.name: s for s in scenarios}
    _refuse_unknown(names, list(by_name))
    return [by_name[n] for n in names] if names else scenarios


def _refuse_unknown(names: list[str] | None, available: list[str]) -> None:
    unknown = [n for n in names or () if n not in available]
    if unknown:
        raise ParameterError(f"unknown scenario(s) {', '.join(unknown)}; available: {', '.join(available)}")
