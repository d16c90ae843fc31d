"""Print model and loading timings on this machine (no assertions: machines are noisy).

    .venv/bin/python bench/models.py
"""

from __future__ import annotations

import subprocess
import sys
import time


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import_time = min(
        float(subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import sustainment.claims, "
                              "sustainment.models.manpower, sustainment.models.ammunition; print(time.perf_counter() - t)"],
                             capture_output=True, text=True, check=True).stdout)
        for _ in range(3))
    bare = min(float(subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import sustainment; "
                                     "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True).stdout)
               for _ in range(3))

    from sustainment.claims.store import _load, load
    from sustainment.models import manpower
    from sustainment.models.manpower import Manpower

    inputs = Manpower(recruits=(25_000, 30_000, 40_000), losses=(30_000, 40_000, 48_000),
                      permanent_loss_share=(0.3, 0.4, 0.55), mobilization={"2026-03": 150_000})
    draws, months = 100_000, 60
    mc = best_of(3, lambda: manpower.monte_carlo(inputs, "2026-01", months, draws, seed=1))

    _load.cache_clear()
    cold = best_of(1, load)
    warm = best_of(5, load)

    import numpy as np

    side = np.linspace(-0.5, 0.5, 21)
    cells = {"recruits": np.repeat(1 + side, 21)}, {"loss_growth": np.tile(side, 21)}
    grid_draws, grid_months = 10_000, 36
    grid = best_of(3, lambda: manpower.monte_carlo_grid(inputs, "2026-01", grid_months, grid_draws, seed=1, scale=cells[0],
                                                        fixed=cells[1], at_months=(12, 24)))
    work = 21 * 21 * grid_draws * grid_months

    print(f"import sustainment                      {bare * 1000:8.1f} ms")
    print(f"import claims + manpower + ammunition   {import_time * 1000:8.1f} ms")
    print(f"monte carlo {draws:,} draws x {months} months   {mc:8.3f} s  ({draws * months / mc / 1e6:.1f} M draw-months/s)")
    print(f"load() with validation (cold)   {cold:8.3f} s")
    print(f"load() (cached, unchanged data) {warm * 1000:8.1f} ms")
    print(f"sweep 21 x 21 cells x {grid_draws:,} draws x {grid_months} months  {grid:8.2f} s  "
          f"({work / grid / 1e6:.0f} M cell-draw-months/s)")


if __name__ == "__main__":
    main()
