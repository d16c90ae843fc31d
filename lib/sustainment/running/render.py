"""Render notebooks x scenarios into reports/: plan (every input checked before any kernel),
execute (see `engine`: papermill in kernels kept warm per worker, a time-out per cell; on an
`executors` pool whose workers die with the renderer, or a Dask cluster),
publish (under the reports folder's lock, see `publish`). Incremental (a content hash of the
inputs, the same in any folder), atomic (a failure never replaces a good report), deterministic
(no timings or random ids in stored notebooks, fixed figure metadata).

What goes where under reports/ is `layout`'s; writing there is `publishing.publish`'s.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sustainment import layout, paths
from sustainment.claims.dates import parse_as_of, public_day
from sustainment.claims.scenarios import pick, scenarios_of
from sustainment.errors import CsvError, ParameterError, WorkerDied
from sustainment.models.grid import MAX_DRAW_MONTHS
from sustainment.notebooks import analyses_declared, refuse_typed_numbers
from sustainment.paths import ALL, Project, claim_files
from sustainment.publishing import publish
from sustainment.publishing.fingerprint import code_digest, data_checksums, sha256_bytes
from sustainment.running import engine
from sustainment.running.engine import Job
from sustainment.running.signature import bind, check_declarations, check_scenario_keys, read_signature

NAME = re.compile(r"[A-Za-z0-9_-]+")  # notebook and scenario names: they become folders and file names
DEFAULT_TIMEOUT = 600  # seconds per cell
TIMEOUT_VARIABLE = "SUSTAINMENT_TIMEOUT"


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        tracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                                 capture_output=True, text=True, check=True).stdout.strip()
        untracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "notebooks", "lib",
                                    "data"], cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = tracked or untracked
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+changes" if dirty else "")


def timeout_setting(value: int | None = None) -> int:
    """Seconds a cell may run: `--timeout`, else $SUSTAINMENT_TIMEOUT, else pyproject's
    [tool.sustainment] timeout, else 600."""
    if value is None and os.environ.get(TIMEOUT_VARIABLE):
        text = os.environ[TIMEOUT_VARIABLE]
        if not text.isdigit():
            raise ParameterError(f"${TIMEOUT_VARIABLE}: expected seconds, got {text!r}")
        value = int(text)
    if value is None:
        import tomllib

        try:
            with (paths.ROOT / "pyproject.toml").open("rb") as handle:
                value = tomllib.load(handle).get("tool", {}).get("sustainment", {}).get("timeout")
        except (OSError, tomllib.TOMLDecodeError):
            value = None
    value = DEFAULT_TIMEOUT if value is None else value
    if not isinstance(value, int) or value <= 0:
        raise ParameterError(f"timeout: expected a positive number of seconds, got {value!r}")
    return value


def _check_name(kind: str, name: str, path: Path) -> None:
    if not NAME.fullmatch(name):
        raise ParameterError(f"{path.name}: {kind} names may use letters, digits, '_' and '-' only")


def data_digest(project: Project, reads: list[str] | None) -> str:
    """What a report's data is, for its input hash: the vocabularies and sources whole, the
    claims of the metrics it read (`reads`, as the kernel recorded; None or "*": every claim),
    and the data vintage (the latest day a claim was public: the default as_of)."""
    from sustainment.files import read_csv

    digest = hashlib.sha256()
    for name in ("metrics.csv", "actors.csv", "sources.csv"):
        path = project.data / name
        digest.update(path.read_bytes() if path.exists() else b"")
    every = reads is None or ALL in reads
    try:
        header, rows = read_csv(project.data / "sources.csv")
        column = {name: header.index(name) for name in ("source_id", "published", "accessed")}
        sources = {cells[column["source_id"]]: (cells[column["published"]], cells[column["accessed"]])
                   for _, cells in rows if len(cells) == len(header)}
    except (CsvError, ValueError):
        sources = {}
    vintage = ""
    for path in claim_files(project.data):
        try:
            header, rows = read_csv(path)
        except CsvError:
            digest.update(path.name.encode() + b" unreadable")
            continue
        metric, reported, source = (header.index(c) if c in header else -1 for c in ("metric", "reported", "source_id"))
        for _, cells in rows:
            if len(cells) != len(header):
                continue
            if every or cells[metric] in reads:
                digest.update(path.name.encode() + b"\x1f" + "\x1f".join(cells).encode() + b"\n")
            vintage = max(vintage, public_day(cells[reported], *sources.get(cells[source], ("", ""))))
    digest.update(vintage.encode())
    return digest.hexdigest()


def input_hash(parts: dict, data: str) -> str:
    """A report's input hash: notebook, parameters, library code and package versions, its data."""
    return sha256_bytes(json.dumps({**parts, "data": data}, sort_keys=True).encode())


def plan(project: Project, notebooks: list[str] | None, scenario_names: list[str] | None,
         overrides: dict[str, str], manifest: dict | None = None) -> list[Job]:
    """Every (notebook, scenario) job with checked parameters and its input hash; raises
    ParameterError before any kernel starts. Every notebook and every scenario file is read and
    checked, not only those asked for: a broken file is refused before anything is written.
    A report rendered before is hashed over the claims it read then (`manifest` says which)."""
    available = {p.stem: p for p in sorted(project.notebooks.glob("*.ipynb"))}
    for name, path in available.items():
        _check_name("notebook", name, path)
    chosen = [n.removesuffix(".ipynb") for n in (notebooks or list(available))]
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown)}; available: {', '.join(available)}")
    every = {name: read_signature(path) for name, path in available.items()}
    for name, path in available.items():
        check_declarations(path, every[name])
    signatures = {n: every[n] for n in chosen}
    for name in chosen:
        refuse_typed_numbers(available[name])
    for name in overrides:
        if not any(name in s for s in signatures.values()):
            raise ParameterError(f"-p {name}: no selected notebook declares '{name}'")
    for path in sorted(project.scenarios.glob("*.yaml")):
        _check_name("scenario", path.stem, path)
    all_scenarios = scenarios_of(project)
    for scenario in all_scenarios:
        check_scenario_keys(scenario, every)
    scenarios = pick(all_scenarios, scenario_names)
    checksums = data_checksums(project.data)
    code = code_digest()
    revision = git_revision()
    previous = (manifest or {}).get("reports", {})
    digests: dict = {}
    jobs = []
    for scenario in scenarios:
        for name, signature in signatures.items():
            applicable = {k: v for k, v in overrides.items() if k in signature}
            values = bind(f"{name}.ipynb", signature, scenario, applicable)
            values.pop("figures_dir", None)
            _check_values(f"{name}.ipynb [{scenario.name}]", values)
            parts = {"notebook": sha256_bytes(available[name].read_bytes()), "parameters": values, "code": code}
            provenance = {"scenario": scenario.name, "git_revision": revision, "data_checksums": checksums,
                          "parameters": values}
            folder = layout.report_folder(scenario.name, one_off=bool(applicable))
            reads = previous.get(f"{folder}/{name}", {}).get("reads")
            key = json.dumps(reads)
            if key not in digests:
                digests[key] = data_digest(project, reads)
            jobs.append(Job(name, scenario.name, values, input_hash(parts, digests[key]), str(available[name]),
                            provenance, folder, parts))
    return jobs


def _check_values(where: str, values: dict) -> None:
    """Checks across parameters that the signature cannot express: dates, the resource guard."""
    try:
        parse_as_of(values.get("as_of", ""))
    except ValueError as err:
        raise ParameterError(f"{where}: {err}") from None
    draws, months = values.get("n_draws", 0), values.get("horizon", 0)
    if draws * months > MAX_DRAW_MONTHS:
        raise ParameterError(f"{where}: n_draws x horizon = {draws * months:,} draw-months is over the "
                             f"{MAX_DRAW_MONTHS:,} a report may use (about 2 GiB); lower n_draws or horizon")


def check_inputs(jobs: list[Job], claims, project: Project) -> None:
    """What needs the claims, before any kernel: claim ids exist and measure what their
    parameter asks for, and the analyses accept their inputs (year order, claims public by
    as_of); ParameterError in one line otherwise."""
    from sustainment.analyses.registry import preflight

    signatures = {job.notebook: read_signature(Path(job.notebook_path)) for job in jobs}
    preflights: dict = {}
    for job in jobs:
        where = f"{job.notebook}.ipynb [{job.scenario}]"
        for name, parameter in signatures[job.notebook].items():
            value = job.parameters.get(name)
            if parameter.claim_metric and value:
                found = claims[claims["id"] == value]
                if found.empty:
                    raise ParameterError(f"{where}: parameter '{name}': no claim with id {value!r} in data/")
                if found["metric"].iloc[0] != parameter.claim_metric:
                    raise ParameterError(f"{where}: parameter '{name}': claim {value!r} is {found['metric'].iloc[0]}, "
                                         f"not {parameter.claim_metric}")
        policy = job.parameters.get("policy", "")
        if policy.startswith("source:") and policy.removeprefix("source:") not in set(claims["source_id"]):
            raise ParameterError(f"{where}: policy {policy!r}: no source with that id in data/")
        problem = preflight(claims, job.parameters, analyses_declared(Path(job.notebook_path)), preflights)
        if problem:
            raise ParameterError(f"{where}: {problem}")


# --- the collection --------------------------------------------------------------------------

def _progress(done: int, total: int, started: float, line: str) -> None:
    elapsed = time.perf_counter() - started
    eta = elapsed / done * (total - done) if done else 0.0
    print(f"[{done}/{total}] {line}  (elapsed {elapsed:.0f}s, ETA {eta:.0f}s)", file=sys.stderr, flush=True)


def is_current(job: Job, manifest: dict, reports: Path) -> bool:
    """Rendered from the same inputs, and its published files still the bytes the manifest records."""
    entry = manifest["reports"].get(job.key)
    return bool(entry) and entry.get("input_hash") == job.input_hash and publish.intact(reports, entry)


def _entry(project: Project, job: Job, result: dict) -> dict:
    """The manifest entry of a rendered report; its input hash covers the claims it read."""
    return {"input_hash": input_hash(job.hash_parts, data_digest(project, result["reads"])), "reads": result["reads"],
            "parameters": job.provenance["parameters"], "seconds": result["seconds"],
            "git_revision": job.provenance["git_revision"], "data_checksums": job.provenance["data_checksums"],
            "scenario": job.scenario, "ipynb": layout.report_file(job.folder, job.notebook, ".ipynb"),
            "html": layout.report_file(job.folder, job.notebook, ".html"),
            "figures": sorted(name.removeprefix(f"{layout.FIGURES}/") for name in result["files"]
                              if name.startswith(f"{layout.FIGURES}/"))}


def render(project: Project = Project(), notebooks: list[str] | None = None, scenarios: list[str] | None = None,
           overrides: dict[str, str] | None = None, jobs: int | None = None, force: bool = False,
           timeout: int | None = None, no_wait: bool = False, executor: str = "pool", scheduler: str = "",
           kernels: str = "warm") -> int:
    """Render what is out of date; return the exit code (0 all good, 1 a notebook failed).
    `executor`: "pool" (this machine) or "dask" (a LocalCluster, or the cluster at `scheduler`);
    `kernels`: "warm" (one kernel per worker, reset between reports) or "fresh" (one per report).

    ParameterError (exit 2 in the CLI), DataError (exit 1) and BusyError propagate
    before any kernel starts; KeyboardInterrupt stops the workers and propagates, the last good
    reports left in place.
    """
    seconds = timeout_setting(timeout)
    if kernels not in engine.KERNEL_MODES:
        raise ParameterError(f"--kernels {kernels!r}: expected one of {', '.join(engine.KERNEL_MODES)}")
    from sustainment.running import executors

    executor = executors.choose(executor, scheduler)
    with publish.reports_lock(project.reports, no_wait):
        manifest = publish.read_manifest(project.reports)
        planned = plan(project, notebooks, scenarios, overrides or {}, manifest)
        existing = {(p.stem, s.stem) for p in project.notebooks.glob("*.ipynb") for s in project.scenarios.glob("*.yaml")}
        manifest["reports"] = {key: entry for key, entry in manifest["reports"].items()  # drop removed notebooks, scenarios
                               if (layout.split_key(key)[1], layout.scenario_of(layout.split_key(key)[0])) in existing
                               and publish.intact(project.reports, entry)}  # and deleted or altered reports
        todo = [job for job in planned if force or not is_current(job, manifest, project.reports)]
        for job in planned:
            if job not in todo:
                print(f"up to date  {job.key}", file=sys.stderr)
        failures = []
        if todo:
            from sustainment.claims import load

            claims = load(project.data)  # bad data: DataError (every problem, one line each) before any kernel
            check_inputs(todo, claims, project)
            failures = _run(project, longest_first(todo, manifest), manifest, jobs, seconds, executor, scheduler, kernels)
        from sustainment.publishing.site import write_site

        write_site(project, manifest)
    for failure in failures:
        print(f"FAILED {failure['notebook']} [{failure['scenario']}]: {failure['error']}"
              + (f" (executed copy: reports/{failure['failed_copy']})" if failure.get("failed_copy") else ""),
              file=sys.stderr)
    if not todo:
        print(f"all {len(planned)} report(s) up to date", file=sys.stderr)
    return 1 if failures else 0


def longest_first(todo: list[Job], manifest: dict) -> list[Job]:
    """The jobs in the order that finishes soonest on several workers: the longest first, by the
    time the same report (else the same notebook, in any scenario) took last; without any, the
    notebooks that declare more analyses first (they run more models)."""
    taken: dict[str, list[float]] = {}
    for key, entry in manifest["reports"].items():
        taken.setdefault(layout.split_key(key)[1], []).append(entry.get("seconds", 0.0))

    def expected(job: Job) -> tuple:
        own = manifest["reports"].get(job.key, {}).get("seconds")
        same = taken.get(job.notebook)
        guess = own if own is not None else max(same) if same else 0.0
        return (-guess, -len(analyses_declared(Path(job.notebook_path))))

    return sorted(todo, key=expected)


def _run(project: Project, todo: list[Job], manifest: dict, jobs: int | None, timeout: int, executor: str = "pool",
         scheduler: str = "", kernels: str = "warm") -> list[dict]:
    """Execute `todo` on the executor and publish each report as it finishes; the failures."""
    from sustainment.running import executors

    failures = []
    started = time.perf_counter()
    workers = executors.default_workers(jobs, len(todo))
    where = f"the Dask cluster at {scheduler}" if scheduler else f"{workers} {'Dask ' if executor == 'dask' else ''}worker(s)"
    print(f"rendering {len(todo)} report(s) with {where}, {kernels} kernels", file=sys.stderr, flush=True)
    data = str(project.data.resolve())
    with publish.staging(project.reports) as staged, executors.executor(
            executor, workers, scheduler, engine.start_pool_worker if executor == "pool" else None, (data,)) as running:
        futures = {running.submit(engine.execute, job, timeout, kernels, data): job for job in todo}
        for done, future in enumerate(running.completed(futures), start=1):
            job = futures[future]
            try:
                result = running.outcome(future)
            except WorkerDied:  # out of memory, a signal: that report fails
                result = {"key": job.key, "notebook": job.notebook, "scenario": job.scenario, "status": "failed",
                          "error": "the worker process died", "executed": b""}
            if result["status"] == "rendered":
                folder = staged / job.folder / job.notebook
                for name, content in result["files"].items():
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    (folder / name).write_bytes(content)
                (folder / layout.FIGURES).mkdir(exist_ok=True)
                publish.publish(project.reports, folder, job.folder, job.notebook, manifest, _entry(project, job, result))
                _progress(done, len(todo), started, f"rendered {result['key']} in {result['seconds']:.1f}s")
            else:
                if result["executed"]:
                    result["failed_copy"] = layout.failed_copy(job.folder, job.notebook)
                    publish.write_files(project.reports, {result["failed_copy"]: result["executed"]})
                failures.append(result)
                _progress(done, len(todo), started, f"FAILED {result['key']}")
    return failures
