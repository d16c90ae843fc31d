"""Print rendering timings (no assertions): everything from scratch, the floor (the same
notebooks' code run as plain Python scripts with the same parallelism), their ratio, and the
time of a no-op render.

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

from sustainment import render
from sustainment.paths import Project
from sustainment.signature import parameters_cell


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", action="append", help="scenarios to render (default: all)")
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        project = Project(reports=folder / "reports")
        jobs = render.plan(project, None, args.scenario, {})
        started = time.perf_counter()
        code = render.render(project, scenarios=args.scenario, jobs=workers)
        full = time.perf_counter() - started
        started = time.perf_counter()
        render.render(project, scenarios=args.scenario, jobs=workers)
        noop = time.perf_counter() - started
        plain = floor(jobs, workers, folder)
    print(f"reports rendered                  {len(jobs):8d}   (exit code {code}, {workers} workers)")
    print(f"render from scratch               {full:8.1f} s")
    print(f"floor: same code as scripts       {plain:8.1f} s")
    print(f"ratio render / floor              {full / plain:8.2f}")
    print(f"no-op render (all up to date)     {noop:8.2f} s")


if __name__ == "__main__":
    main()
