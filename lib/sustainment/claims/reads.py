"""Which claims a report read: the renderer hashes only the rows of the metrics a report read, so
that editing a claim re-renders only the reports that read it. Kept per process (a kernel):
`forget_reads` before each report, `record_reads` as claims are selected, `save_reads` after."""

from __future__ import annotations

import json

_reads: set[str] = set()


def record_reads(metrics) -> None:
    """Note that this process read the claims of `metrics` (ALL: every claim): the renderer hashes
    only those rows, so that editing a claim re-renders only the reports that read it."""
    _reads.update(metrics)


def forget_reads() -> None:
    """Start a new record (the renderer's kernels: before each report)."""
    _reads.clear()


def save_reads(path: str) -> None:
    """Write the metrics read since `forget_reads` to `path`, as a JSON list."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(sorted(_reads), handle)
