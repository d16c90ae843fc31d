from pathlib import Path

import pytest

from sustainment.claims import ua_general_staff as ua
from sustainment.cli import SHARED_DAILY_FILE
from sustainment.errors import DatasetError

TOY = """[{"date": "2022-02-25", "day": 2, "personnel": 2800, "personnel*": "about", "POW": 0},
 {"date": "2022-02-28", "day": 5, "personnel": 5300, "personnel*": "about", "POW": 0},
 {"date": "2022-03-01", "day": 6, "personnel": 5710, "personnel*": "about", "POW": 200},
 {"date": "2022-03-31", "day": 36, "personnel": 17500, "personnel*": "about", "POW": 300}]"""


def test_month_end_rows_take_the_last_reading_of_each_month():
    rows = ua.month_end_claims(ua.parse(TOY))
    assert list(rows["period_end"]) == ["2022-02-28", "2022-03-31"]
    assert list(rows["value"]) == ["5300", "17500"]
    assert set(rows["source_id"]) == {ua.SOURCE_ID} and set(rows["period_start"]) == {"2022-02-24"}
    assert rows["quote"].iloc[1] == '{"date": "2022-03-31", "personnel": 17500, "personnel*": "about"}'


@pytest.mark.parametrize("text, message", [
    ("not json", "not JSON"), ("{}", "non-empty JSON list"), ('[{"date": "2022-02-25"}]', "lack"),
    ('[{"date": "25/02/2022", "personnel": 1}]', "record 0"),
])
def test_bad_files_are_refused(text, message):
    with pytest.raises(DatasetError, match=message):
        ua.parse(text)


def test_write_is_what_the_project_ships(tmp_path: Path):
    if not SHARED_DAILY_FILE.exists():
        pytest.skip("the shared daily file is not beside this checkout")
    rows = ua.month_end_claims(ua.parse(SHARED_DAILY_FILE.read_text(encoding="utf-8")))
    written = ua.write(rows, tmp_path)
    shipped = Path(__file__).parents[1] / "data" / ua.FILE_NAME
    assert written.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
