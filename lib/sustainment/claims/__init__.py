"""Claims in: the curated tables of data/ read, checked and asked questions.

`from sustainment.claims import load, select, estimate` is the API notebooks use; it lives in
`store` and is loaded on first use, so importing a module of this package (units, quotes) does
not import pandas. Modules: `store` (load, select, estimate), `validation` (hard checks, one line
per problem), `findings` (soft checks for `sustainment audit`), `units`, `quotes` (bound and
period words in quotes), `ua_general_staff` (the derived month-end series), `scenarios`.
"""

import importlib
import pkgutil

_MODULES = {module.name for module in pkgutil.iter_modules(__path__)}


def __getattr__(name: str):
    """The claims API (`store`'s names), imported on first use."""
    if name not in _MODULES and not name.startswith("__"):
        store = importlib.import_module(f"{__name__}.store")
        if hasattr(store, name):
            return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
