"""Publishing into reports/: the one module that writes there (reports, failed copies, pages,
decks, sweeps), one writer at a time, private staging, whole reports. Where each thing lives is
`layout`'s.

A render or an export holds the reports folder's lock (`reports/.lock`, an advisory file lock)
from planning to the last write, so two analysts and a nightly job can point at the same folder:
the second waits (or, with `no_wait`, gives up in one line). Each run stages into a folder of its
own (`reports/.staging/<run>/`), removed when the run ends, however it ends; a report is published
by moving its staged figures, then its notebook and HTML, then its manifest entry into place, so
its charts always come from the run that wrote its text.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from sustainment import layout
from sustainment.errors import BusyError
from sustainment.files import write_atomic


@contextmanager
def reports_lock(reports: Path, no_wait: bool = False):
    """Hold `reports`' lock for the block; wait for it with a message, or raise BusyError. Staging
    folders left by runs that were killed are removed on taking it (the lock says no other run
    is alive), so that even an up-to-date render tidies up after a kill -9."""
    from filelock import FileLock, Timeout

    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(reports / layout.LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if no_wait:
            raise BusyError(f"{reports}: another render or export is writing there; try again later") from None
        print(f"waiting for another render or export of {reports} to finish...", file=sys.stderr, flush=True)
        lock.acquire()
    try:
        shutil.rmtree(reports / layout.STAGING_DIR, ignore_errors=True)
        yield
    finally:
        lock.release()


@contextmanager
def staging(reports: Path):
    """A staging folder private to this run (taken under `reports_lock`), removed when the block ends."""
    root = reports / layout.STAGING_DIR
    folder = root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(root, ignore_errors=True)


def read_manifest(reports: Path) -> dict:
    """What reports/ holds, by report key; an unreadable manifest (cut short by hand, say) counts as
    empty, so that everything renders again rather than nothing."""
    path = reports / layout.MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"reports": {}}
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("reports"), dict) else {"reports": {}}


def write_manifest(reports: Path, manifest: dict) -> None:
    manifest["reports"] = dict(sorted(manifest["reports"].items()))
    write_atomic(reports / layout.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def publish(reports: Path, staged: Path, folder: str, notebook: str, manifest: dict, entry: dict) -> None:
    """Move one report's staged outputs into reports/<folder>/ (figures, then notebook and HTML)
    and record its manifest entry; a failed copy of the notebook left by an earlier run is removed
    (and the failed/ folder with its last copy)."""
    figures_dir = reports / layout.figures(folder)
    figures_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted((staged / layout.FIGURES).iterdir()):
        path.replace(figures_dir / path.name)
    for suffix in (".ipynb", ".html"):
        (staged / f"{notebook}{suffix}").replace(reports / layout.report_file(folder, notebook, suffix))
    failed = reports / layout.failed_copy(folder, notebook)
    failed.unlink(missing_ok=True)
    if failed.parent.is_dir() and not any(failed.parent.iterdir()):
        failed.parent.rmdir()
    manifest["reports"][layout.report_key(folder, notebook)] = entry
    write_manifest(reports, manifest)


def _inside(reports: Path, relative: str) -> Path:
    """reports/<relative>, refusing a path that would leave the reports folder."""
    path = reports / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"{relative!r} is not a path inside the reports folder")
    return path


def write_files(reports: Path, files: dict[str, bytes | str]) -> list[Path]:
    """Write each file (a path relative to `reports`, see `layout`) whole: pages, decks, the
    figure manifest, a failed notebook's executed copy. Returns the paths written."""
    written = []
    for relative, data in files.items():
        path = _inside(reports, relative)
        write_atomic(path, data)
        written.append(path)
    return written


def replace_folder(reports: Path, relative: str, staged: Path) -> Path:
    """Put the staged folder in place of reports/<relative> (a sweep): the old folder is moved
    aside, the new one renamed into place, the old one removed, so the folder holds one run's
    files, never a mix."""
    target = _inside(reports, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = staged.parent / f"{staged.name}.old"
    if target.exists():
        target.replace(old)
    staged.replace(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
