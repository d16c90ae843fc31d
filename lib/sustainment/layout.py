"""Every path under reports/, in one place: the renderer, the publisher, the pages and the decks
ask here where a thing lives, as paths relative to the reports folder (joined to it by the
caller, or used as they are in links between pages).

    reports/
      index.html, sources.html, claims.html       the site; changes.html: each release against the last;
                                                   methods.html: how the numbers are made (the deck's text)
      releases/index.json, releases/<id>.json      what each published render answered (`releases`)
      manifest.json                                what each report was made from
      .lock, .staging/<run>/                       one writer at a time; private staging
      .journal.json                                a publish in progress (completed by the next run)
      <folder>/<notebook>.ipynb, .html             a report; <folder> is the scenario's name, or
                                                   one-off-<scenario> for a render with -p overrides
      <folder>/figures/                            charts (.png .svg .pdf .json .thumb.png), the
                                                   briefing's briefing.json and key_numbers.csv,
                                                   the deck's figures.csv
      <folder>/failed/<notebook>.ipynb             the executed copy of a notebook that failed
      <scenario>/briefing.pptx, .pdf               the scenario's deck
      compare_<A>_vs_<B>.pptx, .pdf                a comparison deck
      sweeps/<model>-<scenario>/                   a published sweep
"""

from __future__ import annotations

INDEX_PAGE = "index.html"
SOURCES_PAGE = "sources.html"
CLAIMS_PAGE = "claims.html"
CHANGES_PAGE = "changes.html"
METHODS_PAGE = "methods.html"
MANIFEST = "manifest.json"
LOCK_FILE = ".lock"
STAGING_DIR = ".staging"
JOURNAL = ".journal.json"  # a publish in progress (see publishing.publish)
FIGURES = "figures"
FAILED = "failed"
ONE_OFF = "one-off-"
SWEEPS = "sweeps"
BRIEFING_FILE = "briefing.json"  # the briefing's bottom lines and dates, beside its charts
KEY_NUMBERS_FILE = "key_numbers.csv"
FIGURE_MANIFEST = "figures.csv"
DECK = "briefing"  # <scenario>/briefing.pptx, .pdf
UP = "../"  # from a report's page (<folder>/<notebook>.html) to the site's pages


def report_folder(scenario: str, one_off: bool = False) -> str:
    """The folder of a scenario's reports: its name, or one-off-<name> for renders with overrides."""
    return f"{ONE_OFF}{scenario}" if one_off else scenario


def scenario_of(folder: str) -> str:
    return folder.removeprefix(ONE_OFF)


def report_key(folder: str, notebook: str) -> str:
    """A report's key in the manifest: <folder>/<notebook>."""
    return f"{folder}/{notebook}"


def split_key(key: str) -> tuple[str, str]:
    """(folder, notebook) of a report key."""
    folder, notebook = key.split("/", 1)
    return folder, notebook


def report_file(folder: str, notebook: str, suffix: str) -> str:
    """<folder>/<notebook><suffix>: the report's .ipynb or .html."""
    return f"{folder}/{notebook}{suffix}"


def figures(folder: str) -> str:
    return f"{folder}/{FIGURES}"


def figure(folder: str, name: str) -> str:
    return f"{folder}/{FIGURES}/{name}"


def failed_copy(folder: str, notebook: str) -> str:
    return f"{folder}/{FAILED}/{notebook}.ipynb"


def deck(scenario: str, suffix: str) -> str:
    """<scenario>/briefing<suffix>: the scenario's deck, .pptx or .pdf."""
    return f"{scenario}/{DECK}{suffix}"


def comparison(scenarios: list[str], suffix: str) -> str:
    """compare_<A>_vs_<B><suffix>: the deck comparing scenarios."""
    return f"compare_{'_vs_'.join(scenarios)}{suffix}"


def sweep(model: str, scenario: str) -> str:
    """sweeps/<model>-<scenario>: a published sweep ('custom' when made from no scenario)."""
    return f"{SWEEPS}/{model}-{scenario or 'custom'}"
