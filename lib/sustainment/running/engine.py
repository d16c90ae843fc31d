"""Executing one report in a worker process: papermill runs the notebook in a kernel, and the
executed notebook, its HTML and its figures come back as bytes (so a worker needs the installed
package and read access to the project, never write access to reports/).

Kernels are kept warm: a worker starts one kernel, imports the libraries in it once
(`session.prepare`) and resets it before each report (`session.reset`: namespace, execution
count, figures and rcParams, options, random state, environment, the library's own modules), so
imports are paid once per worker, not once per report. `kernels="fresh"` starts a new kernel
for every report instead. A kernel that timed out or died is replaced; one whose data folder
or library code differs from the next report's is restarted.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sustainment import layout, paths

INJECTED_ID = "injected-parameters"
PROVENANCE_ID = "provenance"
KERNEL_MODES = ("warm", "fresh")
PREPARE = "from sustainment.running import session as _session; _session.prepare(); del _session"
RESET = "from sustainment.running import session as _session; _session.reset()"


@dataclass
class Job:
    notebook: str
    scenario: str
    parameters: dict  # as bound, without figures_dir (set to the run's staging folder at execution)
    input_hash: str
    notebook_path: str
    provenance: dict = field(default_factory=dict)
    folder: str = ""  # the reports subfolder: the scenario's name, or one-off-<scenario> for a run with -p
    hash_parts: dict = field(default_factory=dict)  # the input hash's parts but the data (see `input_hash`)

    @property
    def key(self) -> str:
        return layout.report_key(self.folder, self.notebook)



def _provenance_cell(job: Job):
    import nbformat

    rows = "\n".join(f"| `{k}` | `{html.escape(json.dumps(v))}` |" for k, v in job.provenance["parameters"].items())
    checks = "\n".join(f"| `{html.escape(k)}` | `{v[:16]}` |" for k, v in job.provenance["data_checksums"].items())
    text = (f"<details><summary><b>Rendered report</b>: scenario <code>{html.escape(job.scenario)}</code>, git revision "
            f"<code>{html.escape(job.provenance['git_revision'])}</code>, {len(job.provenance['parameters'])} parameters, "
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


_EXPORTER: list = []  # this worker's HTML exporter: its templates load once
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"  # report.html.j2: nbconvert's lab page without MathJax


def to_html(notebook, title: str) -> str:
    from nbconvert import HTMLExporter

    if not _EXPORTER:
        _EXPORTER.append(HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                      extra_template_paths=[str(TEMPLATES)], template_file="report.html.j2"))
    body, _ = _EXPORTER[0].from_notebook_node(notebook, resources={"metadata": {"name": title}})
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


def _timed_out_cell(notebook_path: str, message: str) -> str:
    """The cell a time-out names: nbclient quotes its source (or its first lines) in the message."""
    import nbformat

    for cell in nbformat.read(notebook_path, as_version=4).cells:
        first = cell.source.strip().split("\n")[0]
        if cell.cell_type == "code" and first and (cell.source.strip() in message or repr(first) in message):
            return f"cell {cell.get('id', '?')}"
    return "a cell"


def prepare_worker(data: str) -> None:
    """Set a worker up for reports (idempotent): the kernels it starts read the render's data
    folder and know they run under the renderer; the libraries' log lines are silenced (a
    failure is reported once, as a FAILED line)."""
    import logging

    os.environ[paths.DATA_VARIABLE] = data
    os.environ[paths.RENDER_VARIABLE] = "1"
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def start_pool_worker(data: str) -> None:
    """A process-pool worker's start-up: `prepare_worker`; Ctrl-C is the renderer's to handle (the
    pool makes its workers die with the renderer, see `executors`)."""
    import signal

    prepare_worker(data)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report_engine():
    """A papermill engine whose client runs set-up code silently (no output, no execution count)
    in the kernel before the notebook's cells, and the same after them."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine

    class ReportClient(PapermillNotebookClient):
        before: tuple[str, ...] = ()
        after: tuple[str, ...] = ()
        partial: str = ""  # where a notebook cut short by a time-out is written, as far as it ran

        def papermill_execute_cells(self):
            for code in self.before:
                self._silent(code)
            try:
                super().papermill_execute_cells()
            except TimeoutError:
                if self.partial:
                    import nbformat

                    nbformat.write(self.nb, self.partial)
                raise
            for code in self.after:
                self._silent(code)

        def _silent(self, code: str) -> None:
            reply = self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False))
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                raise RuntimeError(f"kernel set-up failed: {content.get('ename', 'no reply')}: {content.get('evalue', '')}")

    class ReportEngine(Engine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, start_timeout=60, execution_timeout=None,
                                     km=None, before=(), after=(), partial="", **_others):
            client = ReportClient(nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                                  startup_timeout=start_timeout, log_output=False)
            client.before, client.after, client.partial = tuple(before), tuple(after), partial
            return client.execute()

    return ReportEngine


_WARM: dict = {}  # this worker's warm kernel: "km", "key" (data folder, library code), "prepared"


def _discard_kernel() -> None:
    """Shut this worker's warm kernel down (a time-out, a dead kernel, other code, the worker's exit)."""
    km = _WARM.pop("km", None)
    _WARM.clear()
    if km is not None and km.has_kernel:
        from jupyter_core.utils import run_sync

        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass


def _kernel_for(key: tuple) -> tuple[object, bool]:
    """(this worker's warm kernel manager for `key`, whether its kernel is prepared); a new one
    (started by papermill on first use) when there is none or it served another key."""
    if _WARM.get("key") != key:
        _discard_kernel()
        import atexit
        from multiprocessing import util

        if not _WARM.get("registered"):
            atexit.register(_discard_kernel)
            util.Finalize(None, _discard_kernel, exitpriority=100)  # pool workers leave through os._exit
        _WARM.update(km=_kernel_manager_class()(kernel_name="python3"), key=key, prepared=False, registered=True)
    return _WARM["km"], _WARM["prepared"]


def _kernel(job: Job, kernels: str) -> tuple[object, tuple[str, ...]]:
    """(kernel manager, set-up code to run before the notebook): this worker's warm kernel (prepared
    once, reset before each report) or, with kernels "fresh", a new one."""
    if kernels != "warm":
        return _kernel_manager_class()(kernel_name="python3"), ()
    km, prepared = _kernel_for((os.environ.get(paths.DATA_VARIABLE, ""), job.hash_parts.get("code", "")))
    return km, (RESET,) if prepared else (PREPARE, RESET)


def _run_notebook(job: Job, folder: Path, timeout: int, kernels: str) -> tuple[object, str]:
    """Execute the job's notebook with papermill in `folder` (figures in figures/, the executed copy
    and the metrics read beside them): (the executed notebook, "") or (None, a one-line error)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed, reads_file = folder / f"{job.notebook}.executed.ipynb", folder / "reads.json"
    save_reads = f"from sustainment.running import session as _session; _session.save_reads({str(reads_file)!r})"
    km, before = _kernel(job, kernels)
    try:
        notebook = papermill.execute_notebook(job.notebook_path, str(executed), engine_name="sustainment",
                                              parameters={**job.parameters, "figures_dir": str(folder / layout.FIGURES)},
                                              kernel_name="python3", language="python", progress_bar=False, log_output=False,
                                              request_save_on_cell_execute=False, cwd=str(paths.ROOT),
                                              execution_timeout=timeout, km=km, before=before, after=(save_reads,),
                                              partial=str(executed))
        if kernels == "warm":
            _WARM["prepared"] = True
        return notebook, ""
    except PapermillExecutionError as err:
        if kernels == "warm":
            _WARM["prepared"] = True  # the report failed, the kernel is fine: the next reset cleans up
        return None, _failed_cell(executed, err)
    except TimeoutError as err:  # nbclient's CellTimeoutError: the kernel was interrupted
        _discard_kernel()
        return None, f"{_timed_out_cell(job.notebook_path, str(err))}: timed out after {timeout}s"
    except Exception as err:  # a kernel that dies or will not start: still one report's failure
        _discard_kernel()
        return None, f"{type(err).__name__}: {_first_line(err)}"
    finally:
        if kernels != "warm" and km.has_kernel:
            from jupyter_core.utils import run_sync

            run_sync(km.shutdown_kernel)(now=True)


def _failed_cell(executed: Path, err) -> str:
    """'cell <id> (In [n]): Error: first line' for a cell that raised."""
    import nbformat

    cells = nbformat.read(executed, as_version=4).cells if executed.exists() else []
    cell_id = next((c.get("id", "?") for c in cells if c.get("execution_count") == err.exec_count), "?")
    return f"cell {cell_id} (In [{err.exec_count}]): {err.ename}: {_first_line(err.evalue or '')}"


def _outputs(job: Job, notebook, folder: Path) -> dict[str, bytes]:
    """The report's files as bytes: the cleaned notebook, its HTML and its figures."""
    import nbformat

    clean(notebook, job)
    files = {f"{job.notebook}.ipynb": (nbformat.writes(notebook) + "\n").encode(),
             f"{job.notebook}.html": to_html(notebook, f"{job.notebook} ({job.scenario})").encode()}
    files.update({f"{layout.FIGURES}/{p.name}": p.read_bytes() for p in sorted((folder / layout.FIGURES).iterdir())})
    return files


def execute(job: Job, timeout: int, kernels: str = "warm", data: str = "") -> dict:
    """Run one job in a private temporary folder and return its outputs as bytes: `files` maps
    "<notebook>.ipynb", "<notebook>.html" and "figures/<name>" to their contents. Never raises
    for notebook errors: those become status 'failed' with a one-line summary (and the executed
    notebook, when there is one, as `executed`)."""
    from papermill.engines import papermill_engines

    if data:
        prepare_worker(data)
    papermill_engines.register("sustainment", _report_engine())
    folder = Path(tempfile.mkdtemp(prefix="sustainment-report-"))
    try:
        (folder / layout.FIGURES).mkdir()
        started = time.perf_counter()
        notebook, error = _run_notebook(job, folder, timeout, kernels)
        result = {"key": job.key, "notebook": job.notebook, "scenario": job.scenario,
                  "seconds": round(time.perf_counter() - started, 2)}
        if error:
            executed = folder / f"{job.notebook}.executed.ipynb"
            return {**result, "status": "failed", "error": error,
                    "executed": executed.read_bytes() if executed.exists() else b""}
        reads_file = folder / "reads.json"
        try:
            reads = json.loads(reads_file.read_text(encoding="utf-8")) if reads_file.exists() else None
            files = _outputs(job, notebook, folder)
        except Exception as err:  # the notebook ran but its page cannot be made (a template, a figure): one report's failure
            return {**result, "status": "failed", "error": f"writing the report: {type(err).__name__}: {_first_line(err)}",
                    "executed": b""}
        return {**result, "status": "rendered", "reads": reads, "files": files}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
