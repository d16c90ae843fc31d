"""Files in and out: the one CSV reader every table goes through, and atomic writes (a
temporary file beside the target, then a rename: a reader never sees half of a file)."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path

from sustainment.errors import CsvError

csv.field_size_limit(sys.maxsize)  # a long quote or note is data, not an error
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # every control character but tab and line breaks


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line, cells)]) of a UTF-8 CSV: a byte-order mark is skipped, CRLF and quoted
    line breaks are read as the csv module reads them, cells and headers are stripped, blank
    records skipped; each record keeps the line it starts on. CsvError when the file is missing,
    not UTF-8, empty, or repeats a column name."""
    if not path.is_file():
        raise CsvError(0, "file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CsvError(line, f"not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8") from None
    if not text.strip():
        raise CsvError(1, "empty file: expected a header line")
    control = CONTROL.search(text)
    if control:
        raise CsvError(text[: control.start()].count("\n") + 1, f"control character U+{ord(control.group()):04X} in the "
                       "text (a NUL or other invisible byte): remove it")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise CsvError(1, f"repeated column(s) {', '.join(map(repr, repeated))} in the header")
    records, line = [], reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if any(c.strip() for c in cells):
            records.append((start, [c.strip() for c in cells]))
    return header, records


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path` through a temporary file (unique to this process)
    and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
