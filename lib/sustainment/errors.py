"""One root for every failure the project expects (bad data, bad parameters, a busy reports
folder, an export that cannot be made): the command line catches `SustainmentError` once and
prints `lines()`, one line each, with the error's exit code; anything else is a bug and shows
its traceback."""

from __future__ import annotations


class SustainmentError(Exception):
    """An expected failure: its message is one line a user can act on."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]
