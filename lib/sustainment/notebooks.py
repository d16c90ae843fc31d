"""Notebook files as the renderer, the deck and the checks read them: the JSON with its shape
checked, the cell tagged `parameters`, what the notebook declares in its metadata (the analyses it
runs, the charts it sends to the deck) and numbers typed into its code."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from sustainment.errors import ParameterError


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
    """What a notebook declares in its metadata under "sustainment": `analyses` (the pipelines it
    runs, checked before any kernel; required, [] for none) and `deck` (the charts it sends to the
    deck). A notebook without them (say, converted to a script and back, which drops notebook
    metadata) is refused, not rendered with its checks and deck charts silently gone."""
    metadata = read_notebook(path).get("metadata", {})
    found = metadata.get("sustainment")
    if found is None or (isinstance(found, dict) and "analyses" not in found):
        raise ParameterError(f'{path.name}: notebook metadata lacks "sustainment": {{"analyses": [...]}} (the pipelines '
                             'it runs, [] for none; README, Write a new analysis); was it converted and its metadata lost?')
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
