"""Print rendering timings (no assertions), all measured in this one run on this machine:
everything from scratch with warm kernels on the process pool (the default), with a fresh kernel
per report, and on a Dask LocalCluster; the floor (the same notebooks' code run as plain Python
scripts with the same parallelism); the ratios; a no-op render; and the peak memory of the
largest worker or kernel process.

    .venv/bin/python bench/render.py [--scenario NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sustainment.notebooks import parameters_cell
from sustainment.paths import Project
from sustainment.running import render


def script_for(job: render.Job, figures_dir: Path) -> str:
    """The notebook's code cells as one script, its parameters cell replaced by the job's values."""
    notebook = json.loads(Path(job.notebook_path).read_text(encoding="utf-8"))
    index, _ = parameters_cell(notebook)
    values = {**job.parameters, "figures_dir": str(figures_dir)}
    lines = ["from IPython.display import display"]
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines.append("\n".join(f"{k} = {v!r}" for k, v in values.items()) if number == index else source)
    return "\n\n".join(lines) + "\n"


def floor(jobs: list[render.Job], workers: int, folder: Path) -> float:
    scripts = []
    for number, job in enumerate(jobs):
        path = folder / f"job{number}.py"
        path.write_text(script_for(job, folder / f"figures{number}"), encoding="utf-8")
        scripts.append(path)
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        for done in pool.map(lambda p: subprocess.run([sys.executable, str(p)], capture_output=True, text=True), scripts):
            if done.returncode:
                raise SystemExit(f"script failed: {done.stderr.strip().splitlines()[-1]}")
    return time.perf_counter() - started


def one_render(executor: str, kernels: str, scenarios: list[str] | None) -> dict:
    """In a process of its own (so that its peak memory is its own): render everything from
    scratch into a temporary folder, then once more (a no-op)."""
    script = [sys.executable, __file__, "--one", executor, kernels] + [f"--scenario={s}" for s in scenarios or []]
    done = subprocess.run(script, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"render failed: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(executor: str, kernels: str, scenarios: list[str] | None) -> None:
    import resource

    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as temporary:
        project = Project(reports=Path(temporary) / "reports")
        started = time.perf_counter()
        code = render.render(project, scenarios=scenarios, jobs=workers, executor=executor, kernels=kernels)
        full = time.perf_counter() - started
        started = time.perf_counter()
        render.render(project, scenarios=scenarios, jobs=workers, executor=executor, kernels=kernels)
        noop = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB, the largest process waited for
    print(json.dumps({"seconds": full, "noop": noop, "code": code, "peak_mib": peak}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", action="append", help="scenarios to render (default: all)")
    parser.add_argument("--one", nargs=2, metavar=("EXECUTOR", "KERNELS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return measure(*args.one, args.scenario)
    workers = os.cpu_count() or 1
    runs = {(executor, kernels): one_render(executor, kernels, args.scenario)
            for executor, kernels in (("pool", "warm"), ("pool", "fresh"), ("dask", "warm"))}
    with tempfile.TemporaryDirectory() as temporary:
        jobs = render.plan(Project(reports=Path(temporary) / "reports"), None, args.scenario, {})
        plain = floor(jobs, workers, Path(temporary))
    warm, fresh, dask = (runs[k]["seconds"] for k in (("pool", "warm"), ("pool", "fresh"), ("dask", "warm")))
    print(f"reports rendered                       {len(jobs):8d}   ({workers} workers; exit codes "
          f"{sorted({r['code'] for r in runs.values()})})")
    print(f"render from scratch, warm kernels      {warm:8.1f} s   (the default)")
    print(f"render from scratch, fresh kernels     {fresh:8.1f} s")
    print(f"render from scratch, Dask LocalCluster {dask:8.1f} s   (warm kernels)")
    print(f"floor: same code as plain scripts      {plain:8.1f} s")
    print(f"ratio warm render / scripts            {warm / plain:8.2f}")
    print(f"ratio fresh render / scripts           {fresh / plain:8.2f}")
    print(f"ratio Dask / process pool              {dask / warm:8.2f}")
    print(f"no-op render (all up to date)          {runs[('pool', 'warm')]['noop']:8.2f} s")
    print(f"peak memory, largest worker or kernel  {max(r['peak_mib'] for r in runs.values()):8.0f} MiB")


if __name__ == "__main__":
    main()
