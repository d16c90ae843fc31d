"""publishing.publish: one writer, and every output published whole even when the process is
killed mid-way (the kill is injected at each rename the publish makes, in a forked child)."""

import json
import multiprocessing
import os
import pathlib
from collections.abc import Callable

import pytest

from sustainment import layout
from sustainment.publishing import publish

FORK = multiprocessing.get_context("fork")


def _count_renames(action: Callable[[], None]) -> int:
    """How many renames `action` makes (run in a child, so the parent's folder is untouched)."""
    queue = FORK.Queue()

    def child() -> None:
        calls = []
        original = pathlib.Path.replace

        def counting(self, target):
            calls.append(1)
            return original(self, target)

        pathlib.Path.replace = counting
        action()
        queue.put(len(calls))

    process = FORK.Process(target=child)
    process.start()
    process.join(60)
    return queue.get(timeout=5)


def _killed_at(rename: int, action: Callable[[], None]) -> None:
    """Run `action` in a child that dies (no clean-up, as kill -9) just before its `rename`-th rename."""

    def child() -> None:
        calls = []
        original = pathlib.Path.replace

        def dying(self, target):
            calls.append(1)
            if len(calls) == rename:
                os._exit(9)
            return original(self, target)

        pathlib.Path.replace = dying
        action()
        os._exit(0)

    process = FORK.Process(target=child)
    process.start()
    process.join(60)
    assert process.exitcode in (0, 9)


def _tree(folder: pathlib.Path) -> dict[str, bytes]:
    """Every visible file under `folder` (not the lock, staging or journal), path -> bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _stage_report(reports: pathlib.Path, label: str, figures: list[str]) -> pathlib.Path:
    staged = reports / layout.STAGING_DIR / f"run-{label}"
    (staged / layout.FIGURES).mkdir(parents=True)
    for name in figures:
        (staged / layout.FIGURES / name).write_text(f"{name} from {label}")
    for suffix in (".ipynb", ".html"):
        (staged / f"nb{suffix}").write_text(f"text from {label}")
    return staged


def _publish_report(reports: pathlib.Path, label: str) -> None:
    staged = _stage_report(reports, label, ["a.png", "b.svg"])
    publish.publish(reports, staged, "baseline", "nb", publish.read_manifest(reports), {"input_hash": label})


def _recovered(reports: pathlib.Path) -> dict[str, bytes]:
    """What a reader finds once the next run has taken the lock."""
    with publish.reports_lock(reports):
        pass
    assert not (reports / layout.JOURNAL).exists() and not (reports / layout.STAGING_DIR).exists()
    assert not list(reports.glob(".*.tmp"))
    return _tree(reports)


def _each_kill(reports: pathlib.Path, setup: Callable[[], None], action: Callable[[], None]) -> list[dict]:
    """The recovered tree after a kill before each rename `action` makes (setup rebuilds the old state)."""
    setup()
    renames = _count_renames(action)
    assert renames >= 3
    outcomes = []
    for rename in range(1, renames + 2):
        setup()
        _killed_at(rename, action)
        outcomes.append(_recovered(reports))
    return outcomes


def _old_and_new(tmp_path, setup, action) -> tuple[dict, dict]:
    setup()
    old = _tree(tmp_path / "reports")
    setup()
    action()
    return old, _recovered(tmp_path / "reports")


@pytest.fixture
def reports(tmp_path):
    return tmp_path / "reports"


def _reset(reports: pathlib.Path, first: Callable[[], None]) -> Callable[[], None]:
    def setup() -> None:
        import shutil

        shutil.rmtree(reports, ignore_errors=True)
        reports.mkdir()
        first()
    return setup


def test_a_report_killed_at_any_rename_is_found_old_or_new_whole(tmp_path, reports):
    setup = _reset(reports, lambda: _publish_report(reports, "old"))
    action = lambda: _publish_report(reports, "new")  # noqa: E731
    old, new = _old_and_new(tmp_path, setup, action)
    assert old != new and b"text from new" in new["baseline/nb.html"]
    outcomes = _each_kill(reports, setup, action)
    assert all(outcome in (old, new) for outcome in outcomes)
    assert outcomes[0] == old and outcomes[-1] == new  # killed before the journal: old; after everything: new
    assert new in outcomes[1:-1]  # killed after the journal, before the last move: completed by the next run


def test_a_completed_publish_leaves_a_manifest_whose_hashes_match(reports):
    reports.mkdir()
    _publish_report(reports, "old")
    entry = publish.read_manifest(reports)["reports"]["baseline/nb"]
    assert set(entry["sha256"]) == {"baseline/figures/a.png", "baseline/figures/b.svg", "baseline/nb.ipynb", "baseline/nb.html"}
    assert publish.intact(reports, entry)
    (reports / "baseline" / "figures" / "a.png").write_text("edited by hand")
    assert not publish.intact(reports, entry)
    (reports / "baseline" / "figures" / "a.png").unlink()
    assert not publish.intact(reports, entry)
    assert not publish.intact(reports, {"ipynb": "baseline/nb.ipynb"})  # a manifest from before hashes: render again


def test_a_deck_pair_killed_at_any_rename_is_one_export(tmp_path, reports):
    def export(label: str) -> None:
        publish.write_files(reports, {"baseline/briefing.pptx": f"deck {label}", "baseline/briefing.pdf": f"pdf {label}",
                                      "baseline/figures/figures.csv": f"figures {label}"})
    setup = _reset(reports, lambda: export("old"))
    old, new = _old_and_new(tmp_path, setup, lambda: export("new"))
    outcomes = _each_kill(reports, setup, lambda: export("new"))
    assert all(outcome in (old, new) for outcome in outcomes) and old in outcomes and new in outcomes


def test_a_sweep_folder_killed_at_any_rename_holds_one_run(tmp_path, reports):
    def sweep(label: str, files: list[str]) -> None:
        staged = reports / layout.STAGING_DIR / f"sweep-{label}"
        staged.mkdir(parents=True)
        for name in files:
            (staged / name).write_text(f"{name} {label}")
        publish.replace_folder(reports, "sweeps/m-baseline", staged)
    setup = _reset(reports, lambda: sweep("old", ["grid.csv", "old-only.csv"]))
    old, new = _old_and_new(tmp_path, setup, lambda: sweep("new", ["grid.csv"]))
    assert "sweeps/m-baseline/old-only.csv" not in new
    outcomes = _each_kill(reports, setup, lambda: sweep("new", ["grid.csv"]))
    assert all(outcome in (old, new) for outcome in outcomes) and old in outcomes and new in outcomes


def test_a_journal_that_is_not_ours_is_dropped_not_followed(reports):
    reports.mkdir()
    (reports / "keep.html").write_text("kept")
    (reports / layout.JOURNAL).write_text(json.dumps({"moves": [["keep.html", "../outside.html"]]}))
    with pytest.raises(ValueError, match="not a path inside"):
        publish.complete_interrupted(reports)
    (reports / layout.JOURNAL).write_text("{not json")
    publish.complete_interrupted(reports)
    assert not (reports / layout.JOURNAL).exists() and (reports / "keep.html").read_text() == "kept"


def test_write_files_refuses_paths_outside_the_reports_folder(reports):
    reports.mkdir()
    with pytest.raises(ValueError, match="not a path inside"):
        publish.write_files(reports, {"../escape.html": "x"})
    assert not (reports.parent / "escape.html").exists()
