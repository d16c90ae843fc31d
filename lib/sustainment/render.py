"""Render notebooks x scenarios into reports/: papermill execution in worker processes,
incremental (content hash of inputs), atomic (a failure never replaces a good report),
deterministic (no timings or random ids in stored notebooks, fixed figure metadata).

reports/<scenario>/<notebook>.ipynb   executed, code kept, timings stripped
reports/<scenario>/<notebook>.html    no code (nbconvert exclude_input)
reports/<scenario>/figures/           charts + their JSON sidecars
reports/<scenario>/failed/            executed copies of notebooks that failed
reports/manifest.json, index.html, sources.html
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from sustainment import paths
from sustainment.files import write_atomic
from sustainment.signature import ParameterError, bind, check_scenario_keys, load_scenarios, read_signature

KEY_PACKAGES = ("numpy", "pandas", "matplotlib", "seaborn", "statsmodels", "scipy", "pint", "pandera",
                "papermill", "nbconvert", "nbformat", "ipykernel", "jinja2")
INJECTED_ID = "injected-parameters"
PROVENANCE_ID = "provenance"


@dataclass(frozen=True)
class Project:
    """Where the renderer reads and writes (the real project, or a test's temporary copy)."""

    notebooks: Path = paths.NOTEBOOKS_DIR
    data: Path = paths.DATA_DIR
    scenarios: Path = paths.SCENARIOS_DIR
    reports: Path = paths.REPORTS_DIR


@dataclass
class Job:
    notebook: str
    scenario: str
    parameters: dict
    input_hash: str
    notebook_path: str
    reports: str
    provenance: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.scenario}/{self.notebook}"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_checksums(project: Project) -> dict[str, str]:
    files = sorted(p for p in project.data.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml"))
    return {str(p.relative_to(project.data)): sha256_bytes(p.read_bytes()) for p in files}


def code_digest() -> str:
    """Library source + key package versions: a change to either re-renders."""
    digest = hashlib.sha256()
    for path in sorted(paths.LIB_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            digest.update(path.name.encode() + path.read_bytes())
    for package in KEY_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    return digest.hexdigest()


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+changes" if dirty else "")


def read_manifest(reports: Path) -> dict:
    path = reports / "manifest.json"
    if not path.exists():
        return {"reports": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def plan(project: Project, notebooks: list[str] | None, scenario_names: list[str] | None,
         overrides: dict[str, str]) -> list[Job]:
    """Every (notebook, scenario) job with checked parameters and its input hash; raises
    ParameterError before any kernel starts."""
    available = {p.stem: p for p in sorted(project.notebooks.glob("*.ipynb"))}
    chosen = notebooks or list(available)
    unknown = [n for n in chosen if n.removesuffix(".ipynb") not in available]
    if unknown:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown)}; available: {', '.join(available)}")
    every = {name: read_signature(path) for name, path in available.items()}
    signatures = {n.removesuffix(".ipynb"): every[n.removesuffix(".ipynb")] for n in chosen}
    for name in overrides:
        if not any(name in s for s in signatures.values()):
            raise ParameterError(f"-p {name}: no selected notebook declares '{name}'")
    scenarios = load_scenarios(project.scenarios, project.data / "sources.csv", scenario_names)
    for scenario in scenarios:
        check_scenario_keys(scenario, every)
    checksums = data_checksums(project)
    code = code_digest()
    revision = git_revision()
    jobs = []
    for scenario in scenarios:
        for name, signature in signatures.items():
            applicable = {k: v for k, v in overrides.items() if k in signature}
            values = bind(f"{name}.ipynb", signature, scenario, applicable)
            values["figures_dir"] = str((project.reports / scenario.name / ".staging" / name).resolve())
            notebook_bytes = available[name].read_bytes()
            digest = sha256_bytes(json.dumps({"notebook": sha256_bytes(notebook_bytes), "parameters": values,
                                              "data": checksums, "code": code}, sort_keys=True).encode())
            provenance = {"scenario": scenario.name, "git_revision": revision, "data_checksums": checksums,
                          "parameters": {k: v for k, v in values.items() if k != "figures_dir"}}
            jobs.append(Job(name, scenario.name, values, digest, str(available[name]), str(project.reports), provenance))
    return jobs


def is_current(job: Job, manifest: dict) -> bool:
    entry = manifest["reports"].get(job.key)
    if not entry or entry.get("input_hash") != job.input_hash:
        return False
    reports = Path(job.reports)
    outputs = [entry["ipynb"], entry["html"]] + [f"{job.scenario}/figures/{f}" for f in entry.get("figures", [])]
    return all((reports / o).exists() for o in outputs)


# --- the worker: one notebook, one scenario --------------------------------------------------

def _provenance_cell(job: Job):
    import nbformat

    rows = "\n".join(f"| `{k}` | `{json.dumps(v)}` |" for k, v in job.provenance["parameters"].items())
    checks = "\n".join(f"| `{k}` | `{v[:16]}` |" for k, v in job.provenance["data_checksums"].items())
    text = (f"<details><summary><b>Rendered report</b>: scenario <code>{job.scenario}</code>, git revision "
            f"<code>{job.provenance['git_revision']}</code>, {len(job.provenance['parameters'])} parameters, "
            f"{len(job.provenance['data_checksums'])} data files (open for details)</summary>\n\n"
            f"| parameter | value |\n|---|---|\n{rows}\n\n| data file | sha256 (first 16) |\n|---|---|\n{checks}\n\n</details>\n")
    cell = nbformat.v4.new_markdown_cell(text)
    cell["id"] = PROVENANCE_ID
    return cell


def clean(notebook, job: Job) -> None:
    """Strip what changes between identical runs: timings, absolute paths, random cell ids."""
    meta = notebook.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "exception"):
        meta.pop(key, None)
    if "parameters" in meta:
        meta["parameters"] = {k: v for k, v in meta["parameters"].items() if k != "figures_dir"}
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_ID
            cell["source"] = "\n".join(line for line in cell["source"].splitlines()
                                       if not line.startswith("figures_dir =")) + "\n# figures_dir: set by the renderer"
    notebook.cells.insert(0, _provenance_cell(job))


def to_html(notebook, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def _kernel_manager_class():
    """Kernels talk over local IPC sockets (nothing listens on TCP, so ipykernel has nothing to
    warn about), each under its own random path so that parallel kernels never share a socket,
    and are shut down without the interrupt that makes an idle kernel log an error."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _unique_socket_prefix(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"sustainment-kernel-{uuid.uuid4().hex}")

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts before every shutdown; an idle kernel then logs a spurious
            # "KeyboardInterrupt caught" error. The shutdown request alone stops it cleanly.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


def _first_line(text) -> str:
    return str(text).splitlines()[0] if str(text) else ""


def execute(job: Job) -> dict:
    """Run one job; write its outputs only on success. Returns a result dict (never raises
    for notebook errors: those become status 'failed' with a one-line summary)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    reports = Path(job.reports)
    staging = Path(job.parameters["figures_dir"])
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    executed = staging.parent / f"{job.notebook}.executed.ipynb"
    started = time.perf_counter()
    error = ""
    try:
        papermill.execute_notebook(job.notebook_path, str(executed), parameters=job.parameters, kernel_name="python3",
                                   language="python", progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False, cwd=str(paths.ROOT),
                                   kernel_manager_class=_kernel_manager_class())
    except PapermillExecutionError as err:
        cells = nbformat.read(executed, as_version=4).cells if executed.exists() else []
        cell_id = next((c.get("id", "?") for c in cells if c.get("execution_count") == err.exec_count), "?")
        error = f"cell {cell_id} (In [{err.exec_count}]): {err.ename}: {_first_line(err.evalue or '')}"
    except Exception as err:  # a kernel that dies or will not start is still one report's failure
        error = f"{type(err).__name__}: {_first_line(err)}"
    seconds = time.perf_counter() - started
    result = {"key": job.key, "notebook": job.notebook, "scenario": job.scenario, "seconds": round(seconds, 2)}
    if error:
        failed = reports / job.scenario / "failed" / f"{job.notebook}.ipynb"
        if executed.exists():
            failed.parent.mkdir(parents=True, exist_ok=True)
            executed.replace(failed)
        shutil.rmtree(staging, ignore_errors=True)
        return {**result, "status": "failed", "error": error, "failed_copy": str(failed.relative_to(reports))}
    notebook = nbformat.read(executed, as_version=4)
    clean(notebook, job)
    figures_dir = reports / job.scenario / "figures"
    figures = sorted(p.name for p in staging.iterdir() if not p.name.startswith("."))
    html = to_html(notebook, f"{job.notebook} ({job.scenario})")
    figures_dir.mkdir(parents=True, exist_ok=True)
    for name in figures:
        (staging / name).replace(figures_dir / name)
    write_atomic(reports / job.scenario / f"{job.notebook}.ipynb", nbformat.writes(notebook) + "\n")
    write_atomic(reports / job.scenario / f"{job.notebook}.html", html)
    executed.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    (reports / job.scenario / "failed" / f"{job.notebook}.ipynb").unlink(missing_ok=True)
    return {**result, "status": "rendered", "input_hash": job.input_hash, "parameters": job.provenance["parameters"],
            "git_revision": job.provenance["git_revision"],
            "data_checksums": job.provenance["data_checksums"], "ipynb": f"{job.scenario}/{job.notebook}.ipynb",
            "html": f"{job.scenario}/{job.notebook}.html", "figures": figures}


# --- the collection --------------------------------------------------------------------------

def _progress(done: int, total: int, started: float, line: str) -> None:
    elapsed = time.perf_counter() - started
    eta = elapsed / done * (total - done) if done else 0.0
    print(f"[{done}/{total}] {line}  (elapsed {elapsed:.0f}s, ETA {eta:.0f}s)", file=sys.stderr, flush=True)


def render(project: Project = Project(), notebooks: list[str] | None = None, scenarios: list[str] | None = None,
           overrides: dict[str, str] | None = None, jobs: int | None = None, force: bool = False) -> int:
    """Render what is out of date; return the exit code (0 all good, 1 a notebook failed).

    ParameterError (exit 2 in the CLI) and DataError (exit 1) propagate before any kernel starts.
    """
    planned = plan(project, notebooks, scenarios, overrides or {})
    manifest = read_manifest(project.reports)
    existing = {(p.stem, s.stem) for p in project.notebooks.glob("*.ipynb") for s in project.scenarios.glob("*.yaml")}
    manifest["reports"] = {key: entry for key, entry in manifest["reports"].items()
                           if tuple(reversed(key.split("/", 1))) in existing}  # notebooks or scenarios since removed
    todo = [job for job in planned if force or not is_current(job, manifest)]
    for job in planned:
        if job not in todo:
            print(f"up to date  {job.key}", file=sys.stderr)
    failures = []
    if todo:
        from sustainment import figures

        figures.load(project.data)  # bad data: DataError (every problem, one line each) before any kernel
        started = time.perf_counter()
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        print(f"rendering {len(todo)} report(s) with {workers} worker(s)", file=sys.stderr, flush=True)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(execute, job) for job in todo]
            for done, future in enumerate(as_completed(futures), start=1):
                result = future.result()
                if result["status"] == "rendered":
                    manifest["reports"][result["key"]] = {k: v for k, v in result.items() if k not in ("status", "key")}
                    _progress(done, len(todo), started, f"rendered {result['key']} in {result['seconds']:.1f}s")
                else:
                    failures.append(result)
                    _progress(done, len(todo), started, f"FAILED {result['key']}")
        manifest["reports"] = dict(sorted(manifest["reports"].items()))
        write_atomic(project.reports / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    from sustainment.site import write_site

    write_site(project, manifest)
    for failure in failures:
        print(f"FAILED {failure['notebook']} [{failure['scenario']}]: {failure['error']} "
              f"(executed copy: reports/{failure['failed_copy']})", file=sys.stderr)
    if not todo:
        print(f"all {len(planned)} report(s) up to date", file=sys.stderr)
    return 1 if failures else 0
