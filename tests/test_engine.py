"""The engine: a kernel kept warm across reports leaks nothing from one report into the next
(globals, figures and rcParams, pandas options, random state, environment, working directory,
sys.path, warning filters, patched library functions, loaded claims, recorded reads), and a
report reads the same in a warm kernel as in a fresh one."""

from __future__ import annotations

import json

from conftest import toy_project

from sustainment.publishing import publish
from sustainment.running import render

DIRTY = '''import os, sys, warnings
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sustainment import claims
from sustainment.presentation import narrative

leak = 1
plt.rcParams["font.size"] = 31
plt.figure()
pd.set_option("display.max_rows", 3)
np.random.seed(0)
os.environ["SUSTAINMENT_LEAK"] = "1"
os.chdir("/")
sys.path.append("/leak")
narrative.count = lambda value: "patched"
frame = claims.load()
frame.loc[:, "canonical_value"] = -1.0
claims.record_reads(["mystery"])
warnings.simplefilter("error")
print("dirty")'''

OBSERVE = '''import os, sys, warnings
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sustainment import claims
from sustainment.presentation import narrative

seen = {"globals": sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit",
        "get_ipython", "open", "scenario", "figures_dir", "fail", "os", "sys", "warnings", "plt", "np", "pd", "claims",
        "narrative", "json")),
        "font": plt.rcParams["font.size"], "figures": plt.get_fignums(), "rows": pd.get_option("display.max_rows"),
        "seeded": bool(np.random.random() == 0.5488135039273248), "env": os.environ.get("SUSTAINMENT_LEAK"),
        "cwd": os.getcwd(), "path": "/leak" in sys.path, "filter": warnings.filters[0][0] == "error",
        "count": narrative.count(999), "claims": bool((claims.load()["canonical_value"] != -1).any()),
        "count_cell": get_ipython().execution_count}
print(json.dumps(seen, sort_keys=True))'''


def observed(project, notebook: str) -> str:
    import nbformat

    cells = nbformat.read(project.reports / "baseline" / f"{notebook}.ipynb", as_version=4).cells
    return "".join(output.get("text", "") for cell in cells if cell.cell_type == "code" for output in cell.outputs)


def test_a_warm_kernel_gives_each_report_a_fresh_state(tmp_path):
    bodies = {"a_dirty": DIRTY, "b_observe": "import json\n" + OBSERVE}
    warm = toy_project(tmp_path / "warm", bodies)
    fresh = toy_project(tmp_path / "fresh", bodies)
    assert render.render(warm, jobs=1, kernels="warm") == 0  # one worker: b runs in the kernel a dirtied
    assert render.render(fresh, jobs=1, kernels="fresh") == 0
    seen = json.loads(observed(warm, "b_observe"))
    assert seen == json.loads(observed(fresh, "b_observe"))
    assert seen["globals"] == [] and seen["figures"] == [] and not seen["seeded"] and seen["env"] is None
    assert seen["count"] != "patched" and seen["claims"]
    assert seen["cwd"] != "/" and not seen["path"] and not seen["filter"]
    manifest = publish.read_manifest(warm.reports)["reports"]
    assert manifest["baseline/a_dirty"]["reads"] == ["mystery"] and manifest["baseline/b_observe"]["reads"] == []
    for name in bodies:  # and the stored reports are the same bytes
        assert (warm.reports / "baseline" / f"{name}.ipynb").read_bytes() == \
               (fresh.reports / "baseline" / f"{name}.ipynb").read_bytes()


def test_a_report_that_fails_leaves_the_warm_kernel_usable(tmp_path):
    project = toy_project(tmp_path, {"a_broken": "leak = 1\nraise ValueError('on purpose')",
                                     "b_fine": "print('leak' in globals())"})
    assert render.render(project, jobs=1) == 1
    assert observed(project, "b_fine") == "False\n"


def test_a_page_that_cannot_be_written_is_that_reports_failure_not_a_traceback(tmp_path, monkeypatch):
    from sustainment.running import engine

    project = toy_project(tmp_path, {"a_fine": "print('ran')"})
    job = render.plan(project, None, None, {})[0]

    def broken_template(notebook, title):
        raise RuntimeError("the page template is broken\nsecond line")

    monkeypatch.setattr(engine, "to_html", broken_template)
    result = engine.execute(job, 60, kernels="fresh", data=str(project.data))
    assert result["status"] == "failed"
    assert result["error"] == "writing the report: RuntimeError: the page template is broken"
