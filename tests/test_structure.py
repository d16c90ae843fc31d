"""The code's shape: data flows one way (claims -> models -> analyses -> sweeps -> render and
publish -> pack), every expected failure shares one root, and ruff finds nothing."""

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

LAYERS = [  # a module may import only from earlier layers (lazy imports inside functions included)
    {"paths", "errors", "quotes", "uncertainty", "narrative"},
    {"files", "units", "executors", "fingerprint"},
    {"validation", "signature", "ua_general_staff", "publish", "engine"},
    {"claims"},
    {"trends"},
    {"manpower", "ammunition", "integrity", "plotting"},
    {"analyses.common"},
    {"analyses.ammunition", "analyses.recruitment"},
    {"analyses.audit", "analyses.briefing"},
    {"sweeps"},
    {"analyses.sensitivity"},
    {"analyses"},
    {"site"},
    {"render", "pack", "session"},
    {"cli"},
]


def modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(sustainment.__path__, "sustainment.")]
    return sorted(name.removeprefix("sustainment.") for name in names)


def imports_of(name: str) -> set[str]:
    path = paths.LIB_DIR / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = paths.LIB_DIR / name.replace(".", "/") / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sustainment"):
            if node.module == "sustainment":
                found |= {alias.name for alias in node.names}
            else:
                found.add(node.module.removeprefix("sustainment."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("sustainment.") for a in node.names if a.name.startswith("sustainment.")}
    return found


def test_every_module_has_a_layer():
    layered = set().union(*LAYERS)
    assert set(modules()) == layered


@pytest.mark.parametrize("name", modules())
def test_imports_only_run_down_the_layers(name):
    layer = {module: number for number, group in enumerate(LAYERS) for module in group}
    upward = sorted(m for m in imports_of(name) if layer[m] >= layer[name])
    assert not upward, f"{name} imports {upward} from its own layer or above"


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
