"""Parameter declarations in papermill's own format, one per line::

    n_draws: int = 20000  # Monte Carlo draws [100, 1000000]
    policy: str = "central"  # estimate policy {central, low, high, latest}

An optional `[min, max]` or `{a, b, c}` at the end of the help text bounds the value; "(claim of
<metric>)" makes it a claim id of that metric. A notebook's `parameters` cell is such a block
(`running.signature` reads it); each pipeline declares its own block once (`analyses.registry`),
and the notebooks that run it must declare the same lines. Parsing uses `ast`: milliseconds, no
kernel.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

import yaml

from sustainment.errors import ParameterError

TYPES = {"int": int, "float": float, "str": str, "bool": bool}
BOUNDS = re.compile(r"\[\s*([-+0-9.e_]+)\s*,\s*([-+0-9.e_]+)\s*\]\s*$")
CHOICES = re.compile(r"\{([^{}]*)\}\s*$")
CLAIM_OF = re.compile(r"\bclaim of ([a-z][a-z0-9_]*)")  # "(claim of shells_production_target)": a claim id of that metric


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
        if self.type == "float" and not math.isfinite(value):
            raise ParameterError(f"{where}: parameter '{self.name}' must be a finite number, got {value!r}")
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


def parse(source: str, where: str) -> dict[str, Parameter]:
    """The parameters a block declares, in order; ParameterError naming `where` for a line that is
    not `name: type = default  # help`, an unknown type or a default its own bounds refuse."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(f"{where}: {err}") from None
    lines = source.splitlines()
    signature = {}
    for node in tree.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise ParameterError(f"{where}: line {node.lineno} of the parameters cell is not `name: type = default  # help`")
        kind = ast.unparse(node.annotation)
        if kind not in TYPES:
            raise ParameterError(f"{where}: parameter '{node.target.id}' has type {kind}; use one of {sorted(TYPES)}")
        line = lines[node.lineno - 1]
        if line.count("=") != 1:
            raise ParameterError(f"{where}: parameter '{node.target.id}': one '=' per line, none in the help "
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
        parameter.check(parameter.default, f"{where} (default)")
        signature[parameter.name] = parameter
    return signature


NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def assignments(items: list[str]) -> dict[str, str]:
    """`-p NAME=VALUE` items as {name: value text}, in the order given; ParameterError for an item
    that is not NAME=VALUE or a name given twice."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not NAME.fullmatch(name):
            raise ParameterError(f"-p {item!r}: expected NAME=VALUE")
        if name in found:
            raise ParameterError(f"-p {name}: given twice")
        found[name] = value
    return found
