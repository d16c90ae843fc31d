"""The code's shape: the layers are folders and data flows one way (foundation -> claims -> models ->
presentation -> analyses -> publishing -> running -> cli), the import graph has no circle, every
expected failure shares one root, and ruff finds nothing."""

import ast
import importlib
import inspect
import pkgutil
import shutil
import subprocess
import sys

import pytest

import sustainment
from sustainment import paths
from sustainment.errors import SustainmentError

FOLDERS = ["claims", "models", "presentation", "analyses", "publishing", "running"]  # the layers, bottom up
FOUNDATION = {"errors", "paths", "layout", "files", "notebooks", "parameters"}  # below every folder
TOP = {"cli"}  # above every folder
FACADES = {"claims": {"claims.store"}}  # packages that re-export a module's names on first use (importlib, not `import`)


def modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(sustainment.__path__, "sustainment.")]
    return sorted(name.removeprefix("sustainment.") for name in names)


def imports_of(name: str) -> set[str]:
    """The project modules `name` imports (lazy imports inside functions included); `from
    package import module` counts as importing the module."""
    path = paths.LIB_DIR / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = paths.LIB_DIR / name.replace(".", "/") / "__init__.py"
    known = set(modules())
    found = set(FACADES.get(name, ()))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sustainment"):
            package = node.module.removeprefix("sustainment").removeprefix(".")
            for alias in node.names:
                submodule = f"{package}.{alias.name}".lstrip(".")
                found.add(submodule if submodule in known else package)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("sustainment.") for a in node.names if a.name.startswith("sustainment.")}
    return found - {name, ""}


def rank(name: str) -> int:
    """A module's layer: the foundation 0, each folder in FOLDERS order from 1, the command line last."""
    if name in FOUNDATION:
        return 0
    if name in TOP:
        return len(FOLDERS) + 1
    return FOLDERS.index(name.split(".")[0]) + 1


def test_every_module_lives_in_a_layer():
    assert all(name in FOUNDATION | TOP or name.split(".")[0] in FOLDERS for name in modules())


@pytest.mark.parametrize("name", modules())
def test_imports_only_run_down_the_layers(name):
    upward = sorted(m for m in imports_of(name) if rank(m) > rank(name))
    assert not upward, f"{name} imports {upward} from a higher layer"


def test_the_import_graph_has_no_circle():
    graph = {name: imports_of(name) for name in modules()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import circle: {' -> '.join(path + (name,))}"
        if name not in done:
            for imported in graph[name]:
                visit(imported, path + (name,))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_the_structure_test_sees_imports():
    """The checks above would pass on an empty graph: they must see what a module imports."""
    assert {"claims.reads", "claims.validation", "errors", "paths"} <= imports_of("claims.store")
    assert "models.grid" in imports_of("analyses.sensitivity")
    assert rank("running.render") > rank("publishing.site") > rank("analyses.briefing") > rank("claims.store") > rank("errors")


def test_every_expected_failure_shares_one_root():
    for name in modules():
        module = importlib.import_module(f"sustainment.{name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Exception) and value.__module__ == module.__name__:
                assert issubclass(value, SustainmentError), f"{value.__module__}.{value.__name__}"


@pytest.mark.skipif(shutil.which("ruff") is None and not (paths.ROOT / ".venv" / "bin" / "ruff").exists(),
                    reason="ruff is installed by make test")
def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(paths.ROOT / ".venv" / "bin" / "ruff")
    done = subprocess.run([ruff, "check", "--quiet", "lib", "tests", "bench", "notebooks"], cwd=paths.ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_importing_the_package_stays_cheap():
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sustainment"], capture_output=True, text=True)
    assert "pandas" not in done.stderr and "matplotlib" not in done.stderr


def test_the_readme_module_map_names_every_module():
    """README's module map is where a newcomer looks first: it names every module (a folder named
    as a whole, `analyses/`, covers its modules) and nothing that is not one."""
    import re

    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| module | responsibility |"):]
    first_cells = [line.split("|")[1] for line in table[:table.index("\n\n")].splitlines()[2:]]
    named = {name.rstrip("/").replace("/", ".") for cell in first_cells for name in re.findall(r"`([^`]+)`", cell)}
    assert named <= set(modules()) | set(FOLDERS), sorted(named - set(modules()) - set(FOLDERS))
    missing = [m for m in modules() if m not in named and m.split(".")[0] not in named and m not in FOLDERS]
    assert not missing, missing
