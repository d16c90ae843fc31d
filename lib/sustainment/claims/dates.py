"""Dates as the data and the parameters state them, each rule once.

- A source's `published` may be partial (YYYY, YYYY-MM): it stands for the last day it covers,
  the earliest day by which the text was surely public (`last_day`).
- A claim was public from the day it was said (`reported`), else from its source's publication,
  never after the day the page was seen (`accessed`) (`public_day`).
- The `as_of` parameter is a day, YYYY-MM-DD, or empty for "the latest day a claim was public"
  (`parse_as_of`).

Plain strings in and out (ISO days), so the renderer can date claims from the CSV text without
loading the data model.
"""

from __future__ import annotations

import calendar
import datetime
import re

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def last_day(text: str) -> str:
    """YYYY -> YYYY-12-31, YYYY-MM -> the month's last day; a day, or any other text, as it is."""
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31"
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        year, month = map(int, text.split("-"))
        return f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return text


def first_day(text: str) -> str:
    """YYYY -> YYYY-01-01, YYYY-MM -> YYYY-MM-01; a day, or any other text, as it is."""
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01"
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return f"{text}-01"
    return text


def public_day(reported: str, published: str, accessed: str) -> str:
    """The day a claim (or, with `reported` empty, a source) was surely public, ISO: the day said,
    else the publication date (a partial date as its last day), never after the day the page was
    seen; empty when nothing is known."""
    if reported:
        return reported
    day = last_day(published)
    return min(day, accessed) if day and accessed else day


def parse_as_of(text: str) -> datetime.date | None:
    """The `as_of` parameter as a day (None when empty: the latest); ValueError for anything but
    an existing day written YYYY-MM-DD."""
    if not text:
        return None
    try:
        if not DAY.fullmatch(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"as_of must be a date YYYY-MM-DD (or empty), got {text!r}") from None
