import pytest

from sustainment.errors import CsvError
from sustainment.files import read_csv, write_atomic


def test_write_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "report.html"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]



def test_one_reader_for_every_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfid , value\r\nb," + b"x" * 200_000 + b"\r\n\r\n\"c\",\"two\nlines\"\r\n")
    header, rows = read_csv(path)
    assert header == ["id", "value"]  # BOM and spaces gone
    assert rows[0][0] == 2 and len(rows[0][1][1]) == 200_000  # a cell over 128 KiB is data
    assert rows[1] == (4, ["c", "two\nlines"])  # blank record skipped, line of the record's start kept


@pytest.mark.parametrize("content, line, message", [
    (b"id,id,value\n1,2,3\n", 1, r"repeated column\(s\) 'id'"),
    (b"", 1, "empty file"),
    (b"id\n\xe9\n", 2, "not UTF-8"),
])
def test_tables_that_cannot_be_read_say_where(tmp_path, content, line, message):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(CsvError, match=message) as caught:
        read_csv(path)
    assert caught.value.line == line
