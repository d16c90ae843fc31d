"""Publishing into reports/: the one module that writes there (reports, failed copies, pages,
decks, sweeps), one writer at a time, private staging, each output published whole. Where each
thing lives is `layout`'s.

A render or an export holds the reports folder's lock (`reports/.lock`, an advisory file lock)
from planning to the last write, so two analysts and a nightly job can point at the same folder:
the second waits (or, with `no_wait`, gives up in one line). Each run stages into a folder of its
own (`reports/.staging/<run>/`).

Publishing is one step however it is cut short: everything is staged first, then a journal
(`reports/.journal.json`) lists the moves into place and the manifest to write after them, then
the moves run, the manifest is written and the journal removed. A run killed in the middle
leaves the journal and its staged files; whoever takes the lock next completes the moves (each
one is done at most once: a move whose staged file is gone has happened), so a reader finds the
old output or the new one, whole: a report's text with its own charts, a deck's .pptx with its
.pdf, a sweep's files from one run. The manifest records each published file's sha256, and a
report counts as up to date only while its files still match them.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

from sustainment import layout
from sustainment.errors import BusyError
from sustainment.files import write_atomic
from sustainment.publishing.fingerprint import sha256_bytes


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
        complete_interrupted(reports)
        shutil.rmtree(reports / layout.STAGING_DIR, ignore_errors=True)
        for temporary in reports.glob(".*.tmp"):  # a manifest or journal write cut short
            temporary.unlink(missing_ok=True)
        yield
    finally:
        lock.release()


@contextmanager
def staging(reports: Path):
    """A staging folder private to this run (taken under `reports_lock`), removed when the block
    ends, unless a publish from it was cut short (the journal names its files: the next run
    completes it)."""
    folder = reports / layout.STAGING_DIR / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        if not (reports / layout.JOURNAL).exists():
            shutil.rmtree(folder, ignore_errors=True)
            with suppress(OSError):  # the staging root, once no run stages there
                folder.parent.rmdir()


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
    """Publish one report's staged outputs (its figures/, notebook and HTML) into reports/<folder>/
    with its manifest entry, in one step; the entry records each file's sha256. A failed copy of
    the notebook left by an earlier run is removed (and the failed/ folder with its last copy)."""
    moves = [(path, layout.figure(folder, path.name)) for path in sorted((staged / layout.FIGURES).iterdir())]
    moves += [(staged / f"{notebook}{suffix}", layout.report_file(folder, notebook, suffix)) for suffix in (".ipynb", ".html")]
    entry = {**entry, "sha256": {target: sha256_file(source) for source, target in moves}}
    manifest["reports"][layout.report_key(folder, notebook)] = entry
    commit(reports, moves, manifest)
    failed = reports / layout.failed_copy(folder, notebook)
    failed.unlink(missing_ok=True)
    if failed.parent.is_dir() and not any(failed.parent.iterdir()):
        failed.parent.rmdir()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def intact(reports: Path, entry: dict) -> bool:
    """Whether the files a manifest entry lists are in place with the bytes it published (a
    report deleted, cut short or edited by hand is not)."""
    recorded = entry.get("sha256")
    if not isinstance(recorded, dict) or not recorded:
        return False
    try:
        return all(sha256_file(_inside(reports, relative)) == digest for relative, digest in recorded.items())
    except (OSError, ValueError):
        return False


def commit(reports: Path, moves: list[tuple[Path, str]], manifest: dict | None = None) -> None:
    """Move each staged file or folder (inside reports/.staging/) to its place (a path relative to
    `reports`), then write `manifest`, as one step: the journal first, so that a run killed at any
    point is completed by the next one (`complete_interrupted`)."""
    for _, target in moves:
        _inside(reports, target)
    journal = {"moves": [[str(source.relative_to(reports)), target] for source, target in moves], "manifest": manifest}
    write_atomic(reports / layout.JOURNAL, json.dumps(journal, sort_keys=True))
    _complete(reports, journal)


def complete_interrupted(reports: Path) -> None:
    """Complete the publish a killed run left half done, if any (called on taking the lock)."""
    path = reports / layout.JOURNAL
    if not path.exists():
        return
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        moves = [(str(source), str(target)) for source, target in journal["moves"]]
    except (OSError, ValueError, KeyError, TypeError):  # not ours, or edited: nothing to complete
        path.unlink(missing_ok=True)
        return
    print(f"{path}: completing a publish that was cut short ({len(moves)} move(s))", file=sys.stderr)
    _complete(reports, {"moves": moves, "manifest": journal.get("manifest")})


def _complete(reports: Path, journal: dict) -> None:
    """Do the journal's moves that are not done yet, write its manifest, remove it. A folder
    replacing a folder: the old one is moved aside first and removed at the end."""
    aside = reports / layout.STAGING_DIR / "aside"
    for number, (source, target) in enumerate(journal["moves"]):
        source, target = reports / source, _inside(reports, target)
        if not source.exists() and not source.is_symlink():
            continue  # moved before the cut
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir() and target.exists():
            old = aside / str(number)
            shutil.rmtree(old, ignore_errors=True)
            old.parent.mkdir(parents=True, exist_ok=True)
            target.replace(old)
        source.replace(target)
    if isinstance(journal.get("manifest"), dict):
        write_manifest(reports, journal["manifest"])
    (reports / layout.JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(aside, ignore_errors=True)


def _inside(reports: Path, relative: str) -> Path:
    """reports/<relative>, refusing a path that would leave the reports folder."""
    path = reports / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"{relative!r} is not a path inside the reports folder")
    return path


def write_files(reports: Path, files: dict[str, bytes | str], manifest: dict | None = None) -> list[Path]:
    """Publish files (paths relative to `reports`, see `layout`) together in one step: pages, a
    deck's .pptx and .pdf with its figure manifest (and `manifest`, which records them), a failed
    notebook's executed copy. Returns the paths written."""
    with staging(reports) as folder:
        moves = []
        for number, (relative, data) in enumerate(files.items()):
            target = _inside(reports, relative)
            staged = folder / f"{number}{target.suffix}"
            staged.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            moves.append((staged, relative))
        commit(reports, moves, manifest)
    return [reports / relative for relative in files]


def replace_folder(reports: Path, relative: str, staged: Path) -> Path:
    """Put the staged folder (inside reports/.staging/) in place of reports/<relative> (a sweep)
    in one step: the folder holds one run's files, never a mix."""
    commit(reports, [(staged, relative)])
    return _inside(reports, relative)
