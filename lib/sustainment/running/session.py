"""Inside a kernel the renderer keeps warm (see `engine`): `prepare` once after the kernel
starts (import what every report imports, then note the state a fresh kernel has), `reset`
before each report (give it that state back), `save_reads` after it (which claims it read).

What `reset` restores: the user namespace, execution count and output history (IPython's own
reset); open figures and matplotlib's rcParams; pandas options; the global random states of
numpy and `random` (reseeded from the operating system, as in a fresh kernel); environment
variables, working directory, sys.path and warning filters; every attribute of every
`sustainment` module (a report that patches the library patches it for itself only). Caches
keyed on content stay (`claims.load` on the data files', `plotting.save` on the drawing's): they
return fresh copies or bytes, never an object a report could have changed. Not restored: third-party module attributes other than
those above, IPython display formatters and `%config` settings; reports must not change them.
"""

from __future__ import annotations

import os
import sys
import warnings

_FRESH: dict = {}


def _library_modules() -> list[str]:
    import importlib
    import pkgutil

    import sustainment

    names = sorted(m.name for m in pkgutil.walk_packages(sustainment.__path__, "sustainment."))
    for name in names:
        importlib.import_module(name)
    return ["sustainment", *names]


def prepare() -> None:
    """Import the libraries reports use and record the state of a fresh kernel."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (imported for the inline backend's set-up, as a report would)
    import numpy  # noqa: F401
    import pandas
    import scipy.stats  # noqa: F401
    import statsmodels.api  # noqa: F401
    from IPython.display import display  # noqa: F401

    modules = _library_modules()
    _FRESH.update(rc=dict(matplotlib.rcParams), environ=dict(os.environ), cwd=os.getcwd(), path=list(sys.path),
                  filters=list(warnings.filters), pandas=_pandas_options(pandas),
                  modules={name: dict(vars(sys.modules[name])) for name in modules})


def _pandas_options(pandas) -> dict:
    """Every pandas option that can be read, with its value."""
    from pandas._config import config

    options = {}
    for key in config._registered_options:
        try:
            options[key] = pandas.get_option(key)
        except (KeyError, config.OptionError):
            continue
    return options


def reset() -> None:
    """Give the kernel back the state `prepare` recorded (see the module's docstring)."""
    import random

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy
    import pandas
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
    warnings.filters[:] = _FRESH["filters"]
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated rcParams and options warn when set, even to their values
        matplotlib.rcParams.update(_FRESH["rc"])
        for key, value in _FRESH["pandas"].items():
            if pandas.get_option(key) != value:
                pandas.set_option(key, value)
    numpy.random.seed()
    random.seed()
    os.environ.clear()
    os.environ.update(_FRESH["environ"])
    os.chdir(_FRESH["cwd"])
    sys.path[:] = _FRESH["path"]
    for name, attributes in _FRESH["modules"].items():
        namespace = vars(sys.modules[name])
        namespace.clear()
        namespace.update(attributes)
    from sustainment.claims import reads

    reads.forget_reads()


def save_reads(path: str) -> None:
    """Write the metrics this report read (see `claims.record_reads`) to `path`, as JSON."""
    from sustainment.claims import reads

    reads.save_reads(path)
