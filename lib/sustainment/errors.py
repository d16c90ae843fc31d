"""Every failure the project expects, in one family under `SustainmentError`: the command line
catches the root once and prints `lines()`, one line each, with the error's exit code (1: the
data or the run failed; 2: a parameter, name or usage was refused before anything ran); anything
else is a bug and shows its traceback.

| class | raised when | exit |
|---|---|---|
| CsvError | a file cannot be read as a table (missing, not UTF-8, repeated header) | 1 |
| UnitError | a unit that does not parse or convert | 1 |
| DataError | the curated data fails validation (every problem, one line each) | 1 |
| NoClaimsError | no claim matches what an estimate asks for | 1 |
| DatasetError | the Ukrainian daily series is not the expected records | 1 |
| ParameterError | a parameter, scenario or name a notebook would not accept | 2 |
| SweepError | a sweep that cannot run as asked (axis, model, size) | 1 |
| ExecutorError | an executor that cannot be used (Dask missing, scheduler unreachable) | 1 |
| WorkerDied | the process running a task was killed | 1 |
| BusyError | another render or export holds the reports folder | 1 |
| PackError | an export that cannot be made | 1 |
"""

from __future__ import annotations


class SustainmentError(Exception):
    """An expected failure: its message is one line a user can act on."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class CsvError(SustainmentError, ValueError):
    """A file that cannot be read as a table at all; `line` says where (0: the file itself)."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class UnitError(SustainmentError, ValueError):
    """A unit that cannot be parsed, or cannot be converted to the one asked for."""


class DataError(SustainmentError):
    """The curated data is not usable; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list):  # of claims.validation.Problem
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n" + "\n".join(map(str, self.problems)))

    def lines(self) -> list[str]:
        """One line per problem, then how many: nothing was loaded, rendered or exported."""
        return [str(p) for p in self.problems] + [f"{len(self.problems)} problem(s) in the data; nothing done"]


class NoClaimsError(SustainmentError, LookupError):
    """No claim matches what an estimate was asked for."""


class DatasetError(SustainmentError, ValueError):
    """The daily file is not the expected list of {"date", "personnel", ...} records."""


class ParameterError(SustainmentError, ValueError):
    """A parameter or scenario value that a notebook would not accept (one line, exit 2)."""

    exit_code = 2


class SweepError(SustainmentError):
    """A sweep that cannot run as asked (bad axis, unknown model); one line."""


class ExecutorError(SustainmentError):
    """The executor cannot be used as asked (Dask missing, scheduler unreachable)."""


class WorkerDied(SustainmentError):
    """The process running a task was killed (out of memory, a signal)."""


class BusyError(SustainmentError, RuntimeError):
    """Another render or export holds the reports folder (with `no_wait`)."""


class ReleaseError(SustainmentError, LookupError):
    """A release or git revision `diff` cannot find or read: one line."""


class PackError(SustainmentError, ValueError):
    """An export that cannot be made (unknown or unrendered scenario, missing figure): one line."""
