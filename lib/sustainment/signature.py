"""A notebook's `parameters` cell read as its signature, and scenario files checked against it.

The cell holds lines in papermill's own format::

    n_draws: int = 20000  # Monte Carlo draws [100, 1000000]
    policy: str = "central"  # estimate policy {central, low, high, latest}

An optional `[min, max]` or `{a, b, c}` at the end of the help text bounds the value. Values
from scenarios and `-p KEY=VALUE` are refused before any kernel starts when the name is
unknown, the type is wrong or the value is out of range. Parsing uses `ast`, so checking costs
milliseconds and needs no kernel.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sustainment.errors import SustainmentError

TYPES = {"int": int, "float": float, "str": str, "bool": bool}
BOUNDS = re.compile(r"\[\s*([-+0-9.e_]+)\s*,\s*([-+0-9.e_]+)\s*\]\s*$")
CHOICES = re.compile(r"\{([^{}]*)\}\s*$")
CLAIM_OF = re.compile(r"\bclaim of ([a-z][a-z0-9_]*)")  # "(claim of shells_production_target)": a claim id of that metric


class ParameterError(SustainmentError, ValueError):
    """A parameter or scenario value that a notebook would not accept (one line, exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: object
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    claim_metric: str = ""  # the value is a claim id of this metric (checked against data/ before any kernel)

    def check(self, value, where: str):
        """The value converted to this parameter's type; ParameterError naming `where` otherwise."""
        expected = TYPES[self.type]
        if isinstance(value, str) and self.type != "str":
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError:
                pass
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (self.type in ("int", "float") and isinstance(value, bool)):
            raise ParameterError(f"{where}: parameter '{self.name}' expects {self.type}, got {value!r}")
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{where}: parameter '{self.name}' must be in [{self.minimum:g}, {self.maximum:g}], "
                                 f"got {value!r}")
        if self.choices and not any(_chosen(value, choice) for choice in self.choices):
            raise ParameterError(f"{where}: parameter '{self.name}' must be one of {{{', '.join(self.choices)}}}, got {value!r}")
        return value


def _chosen(value, choice: str) -> bool:
    """`value` is `choice`, or fills a choice with a blank: 'source:<id>' takes 'source:tass-2025-01-24'."""
    if choice.endswith(">") and "<" in choice:
        prefix = choice[: choice.index("<")]
        return isinstance(value, str) and value.startswith(prefix) and len(value) > len(prefix)
    return value == choice


def parameters_cell(notebook: dict) -> tuple[int, str]:
    """Index and source of the cell tagged `parameters`."""
    for index, cell in enumerate(notebook.get("cells", [])):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return index, "".join(source) if isinstance(source, list) else source
    raise ParameterError("no cell tagged 'parameters'")


def read_notebook(path: Path) -> dict:
    """A notebook file as JSON, checked for the shape the renderer reads (a mapping with a list
    of cells, each a mapping with a cell type and its source); ParameterError naming the file."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ParameterError(f"{path.name}: cannot read it ({err.strerror})") from None
    except UnicodeDecodeError as err:
        raise ParameterError(f"{path.name}: not a notebook (not UTF-8 text at byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise ParameterError(f"{path.name}: not a notebook (not JSON: {err.msg} at line {err.lineno} "
                             f"column {err.colno})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if (not isinstance(cells, list) or not isinstance(notebook.get("metadata", {}), dict)
            or not all(isinstance(c, dict) and isinstance(c.get("cell_type"), str) and isinstance(c.get("source", ""), str | list)
                       for c in cells)):
        raise ParameterError(f"{path.name}: not a notebook (expected a mapping with a list of cells, each with a cell_type "
                             f"and a source)")
    return notebook


def declarations(path: Path) -> dict:
    """What a notebook declares in its metadata under "sustainment": `deck` (the charts it sends
    to the deck) and `analyses` (the pipelines it runs, checked before any kernel)."""
    found = read_notebook(path).get("metadata", {}).get("sustainment", {})
    if not isinstance(found, dict):
        raise ParameterError(f"{path.name}: metadata sustainment must be a mapping")
    return found


def analyses_declared(path: Path) -> list[str]:
    """The analyses a notebook runs ("ammunition", "recruitment"), from its metadata."""
    found = declarations(path).get("analyses", [])
    if not isinstance(found, list) or not all(isinstance(a, str) for a in found):
        raise ParameterError(f"{path.name}: metadata sustainment.analyses must be a list of names")
    return found


def deck_declaration(path: Path) -> tuple[int, list[str]]:
    """(order, chart names) a notebook sends to the briefing deck: its metadata's
    `"sustainment": {"deck": {"order": 10, "charts": ["name", ...]}}`, in that order; (0, []) when
    it declares none. Decks show the declaring notebooks' charts by order, then notebook name."""
    deck = declarations(path).get("deck", {})
    charts = deck.get("charts", [])
    if not isinstance(charts, list) or not all(isinstance(c, str) for c in charts) or not isinstance(deck.get("order", 0), int):
        raise ParameterError(f"{path.name}: metadata sustainment.deck must be {{\"order\": <int>, \"charts\": [<names>]}}")
    return deck.get("order", 0), charts


LITERAL_LIMIT = 1000  # a number this large typed into notebook code is data: it enters as a claim or a parameter


def typed_numbers(path: Path) -> list[tuple[int, str]]:
    """(cell number counting from 1, the number as typed) for each number >= 1,000 written in a
    code cell other than the parameters cell, in any spelling (30000, 30_000, 3e4, 2.5e6)."""
    notebook = read_notebook(path)
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue  # the kernel reports it, with the cell
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)
                    and abs(node.value) >= LITERAL_LIMIT):
                found.append((number, ast.get_source_segment(code, node) or repr(node.value)))
    return found


def refuse_typed_numbers(path: Path) -> None:
    """ParameterError (one line, exit 2) when a notebook types a number into its code."""
    found = typed_numbers(path)
    if found:
        cell, text = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ParameterError(f"{path.name}: cell {cell} (counting from the top, from 1) types the number {text}{more}: "
                             "numbers enter as claims (data/) or parameters, never in code")


def read_signature(path: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares, in order."""
    notebook = read_notebook(path)
    try:
        _, source = parameters_cell(notebook)
        tree = ast.parse(source)
    except (ParameterError, SyntaxError) as err:
        raise ParameterError(f"{path.name}: {err}") from None
    lines = source.splitlines()
    signature = {}
    for node in tree.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise ParameterError(f"{path.name}: line {node.lineno} of the parameters cell is not `name: type = default  # help`")
        kind = ast.unparse(node.annotation)
        if kind not in TYPES:
            raise ParameterError(f"{path.name}: parameter '{node.target.id}' has type {kind}; use one of {sorted(TYPES)}")
        line = lines[node.lineno - 1]
        if line.count("=") != 1:
            raise ParameterError(f"{path.name}: parameter '{node.target.id}': one '=' per line, none in the help "
                                 "(papermill skips such lines)")
        help_text = line.split("#", 1)[1].strip() if "#" in line[node.value.end_col_offset:] else ""
        minimum = maximum = None
        choices: tuple[str, ...] = ()
        if bounds := BOUNDS.search(help_text):
            minimum, maximum = float(bounds.group(1)), float(bounds.group(2))
        elif options := CHOICES.search(help_text):
            choices = tuple(o.strip() for o in options.group(1).split(","))
        claim_of = CLAIM_OF.search(help_text)
        parameter = Parameter(node.target.id, kind, ast.literal_eval(node.value), help_text, minimum, maximum, choices,
                              claim_of.group(1) if claim_of else "")
        parameter.check(parameter.default, f"{path.name} (default)")
        signature[parameter.name] = parameter
    return signature


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
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
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
    from sustainment.files import CsvError, read_csv

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


RENDERER_SETS = {"scenario": "choose one with --scenario", "figures_dir": "charts go to reports/<scenario>/figures/"}


def bind(notebook: str, signature: dict[str, Parameter], scenario: Scenario, overrides: dict[str, str]) -> dict:
    """The final parameters of one notebook under one scenario: defaults < scenario < overrides.

    Scenario keys the notebook does not declare are skipped (another notebook declares them;
    `check_scenario_keys` refuses keys no notebook declares). Overrides must be declared.
    """
    values = {name: p.default for name, p in signature.items()}
    for name, value in scenario.parameters.items():
        if name in signature:
            values[name] = signature[name].check(value, f"{notebook} [scenario {scenario.name}]")
    for name, value in overrides.items():
        if name in RENDERER_SETS:
            raise ParameterError(f"-p {name}: set by the renderer ({RENDERER_SETS[name]})")
        if name not in signature:
            raise ParameterError(f"{notebook}: unknown parameter '{name}' (declared: {', '.join(signature)})")
        values[name] = signature[name].check(value, f"{notebook} [-p]")
    values["scenario"] = signature["scenario"].check(scenario.name, notebook) if "scenario" in signature else scenario.name
    return values


def bind_notebook(namespace: dict, notebook: str, project=None) -> dict:
    """In a notebook run by hand (JupyterLab): give `namespace` (the notebook's globals) the values
    of the scenario its `scenario` parameter names, as the renderer binds them (defaults < scenario
    < what the analyst typed: a parameter whose value differs from its declared default is kept).
    Under the renderer the values are already bound and nothing changes. Returns the bound
    values; ParameterError (one line) for an unknown scenario or a bad value."""
    import os

    from sustainment.paths import RENDER_VARIABLE, Project

    if os.environ.get(RENDER_VARIABLE):
        return {}  # the renderer bound every value already
    project = project or Project()
    signature = read_signature(project.notebooks / f"{notebook}.ipynb")
    typed = {name: namespace[name] for name, p in signature.items()
             if name in namespace and namespace[name] != p.default and name not in ("scenario", "figures_dir")}
    (scenario,) = load_scenarios(project.scenarios, project.data / "sources.csv", [namespace.get("scenario", "baseline")])
    values = bind(f"{notebook}.ipynb", signature, scenario, {k: v for k, v in typed.items()})
    namespace.update({name: value for name, value in values.items() if name != "figures_dir"})
    return values


def check_scenario_keys(scenario: Scenario, signatures: dict[str, dict[str, Parameter]]) -> None:
    declared = {name for signature in signatures.values() for name in signature}
    unknown = sorted(set(scenario.parameters) - declared)
    if unknown:
        raise ParameterError(f"{scenario.path.name if scenario.path else scenario.name}: unknown parameter(s) "
                             f"{', '.join(unknown)} (no notebook declares them)")


def load_scenarios(scenarios_dir: Path, sources_csv: Path, names: list[str] | None) -> list[Scenario]:
    """The scenarios named (default: every data/scenarios/*.yaml), each read and checked; a name
    with no file is refused with the list of those available."""
    known = source_ids(sources_csv)
    available = {p.stem: p for p in sorted(scenarios_dir.glob("*.yaml"))}
    if names:
        unknown = [n for n in names if n not in available]
        if unknown:
            raise ParameterError(f"unknown scenario(s) {', '.join(unknown)}; available: {', '.join(available)}")
        return [read_scenario(available[n], known) for n in names]
    return [read_scenario(p, known) for p in available.values()]
