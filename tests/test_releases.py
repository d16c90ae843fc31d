"""Releases: each published render's key numbers and the claims behind them, recorded once per
content; changes.html and `sustainment diff` set a release against the one before."""

from __future__ import annotations

import json

from conftest import CLAIMS, write_csv

from sustainment.paths import Project
from sustainment.publishing import publish, releases, site


def publish_briefing(reports, data_dir, central: str, ids: str = "ru-a;ru-b") -> None:
    """A published baseline briefing whose one key number is `central`, and the index written over it."""
    folder = reports / "baseline" / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "briefing.json").write_text(json.dumps({"as_of": "2024-12-31", "headlines": {}}))
    (folder / "key_numbers.csv").write_text("number,low,central,high,unit,claim_ids,source_ids\n"
                                            f"Russian supply,1,{central},3000000,rounds/year,{ids},alpha-2024\n")
    manifest = {"reports": {"baseline/briefing": {"input_hash": "0" * 64, "parameters": {}, "git_revision": "abc123",
                                                  "data_checksums": {}, "ipynb": "baseline/briefing.ipynb",
                                                  "html": "baseline/briefing.html", "figures": []}}}
    site.write_site(Project(data=data_dir, scenarios=data_dir / "scenarios", reports=reports), manifest)


def test_a_claims_hash_follows_what_its_row_says_not_its_notes(data_dir):
    before = releases.claim_hashes(data_dir, ["ru-a", "ru-b", "nope"])
    assert set(before) == {"ru-a", "ru-b"}
    rows = [list(r) for r in CLAIMS]
    rows[1][15] = "a new note"  # notes
    write_csv(data_dir / "claims.csv", rows)
    assert releases.claim_hashes(data_dir, ["ru-a"]) == {"ru-a": before["ru-a"]}
    rows[1][5] = "3100000"  # value
    write_csv(data_dir / "claims.csv", rows)
    assert releases.claim_hashes(data_dir, ["ru-a"])["ru-a"] != before["ru-a"]


def test_a_release_is_recorded_once_and_changes_lists_what_moved_it(tmp_path, data_dir):
    (data_dir / "scenarios").mkdir()
    reports = tmp_path / "reports"
    publish_briefing(reports, data_dir, "2000000")
    first = (reports / releases.INDEX).read_bytes()
    publish_briefing(reports, data_dir, "2000000")  # same inputs: no new release, same bytes
    assert (reports / releases.INDEX).read_bytes() == first and len(releases.history(reports)) == 1
    assert "nothing to compare yet" in (reports / "changes.html").read_text(encoding="utf-8")

    rows = [list(r) for r in CLAIMS]
    rows[1][5] = "3100000"  # ru-a edited
    rows.append(rows[2][:0] + ["ru-new"] + rows[2][1:])  # a new claim
    write_csv(data_dir / "claims.csv", [r for r in rows if r[0] != "ru-b"])  # ru-b removed
    publish_briefing(reports, data_dir, "2500000", ids="ru-a;ru-new")
    known = releases.history(reports)
    assert len(known) == 2 and known[-1]["revision"] == "abc123"
    [row] = releases.compare(known[0], known[1])
    assert (row["before"]["central"], row["after"]["central"]) == (2_000_000, 2_500_000)
    assert (row["added"], row["edited"], row["removed"]) == (["ru-new"], ["ru-a"], ["ru-b"])
    page = (reports / "changes.html").read_text(encoding="utf-8")
    assert page.index(known[1]["id"]) < page.index(known[0]["id"])  # newest first
    for claim_id in ("ru-new", "ru-a", "ru-b"):
        assert f"<code>{claim_id}</code>" in page
    assert "2.0 million" in page and "2.5 million" in page
    lines = releases.diff_lines(known[0], known[1])
    assert lines[1] == ("baseline: Russian supply: 2.0 million (1 to 3.0 million) -> 2.5 million (1 to 3.0 million); "
                        "now behind it ru-new, edited ru-a, no longer behind it ru-b")


def test_an_unknown_release_or_revision_is_one_line(tmp_path):
    import pytest

    from sustainment.errors import ReleaseError

    with pytest.raises(ReleaseError, match="no recorded release and no git revision"):
        releases.resolve(tmp_path, "no-such-thing", ["baseline"])
    assert publish.read_manifest(tmp_path) == {"reports": {}}  # nothing written
