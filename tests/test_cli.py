"""The command line: one line per problem, no traceback, exit codes."""

import subprocess
import sys

from conftest import CLAIMS, SOURCES, write_csv


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sustainment.cli", *args], capture_output=True, text=True)


def test_validate_clean_data_prints_one_line():
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "OK" in done.stdout


def test_validate_bad_data_lists_problems_without_traceback(data_dir):
    rows = [list(r) for r in CLAIMS]
    rows[1][5] = "lots"
    rows[2][2] = "XX"
    write_csv(data_dir / "claims.csv", rows)
    done = run("validate", str(data_dir))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and "Traceback" not in done.stderr
    assert lines[0].endswith("claims.csv:2: row 'ru-a' column 'value': not a number: 'lots'")
    assert lines[-1] == "2 problem(s) in the data; nothing done"


def test_validate_refuses_a_scenario_citing_a_source_behind_no_claim(data_dir):
    scenario = "name: toy\ntitle: Toy\ndescription: d\nassumptions: [a]\nsource_ids: [{}]\nparameters: {{}}\n"
    (data_dir / "scenarios").mkdir()
    (data_dir / "scenarios" / "toy.yaml").write_text(scenario.format("alpha-2024"))
    done = run("validate", str(data_dir))
    assert done.returncode == 0 and "1 scenarios" in done.stdout, done.stderr
    rows = [SOURCES[0], *SOURCES[1:], ["gamma-2024", "Gamma", "Nothing", "https://gamma.example", "2025-01-01", "2026-11-28",
                                       "primary", "Gamma", "Nothing", "2025-01-01", ""]]
    write_csv(data_dir / "sources.csv", rows)
    (data_dir / "scenarios" / "toy.yaml").write_text(scenario.format("gamma-2024"))
    done = run("validate", str(data_dir))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("toy.yaml: unknown source_id(s) gamma-2024 (not in sources.csv, or backing no claim: "
                                   "cite the source of a claim the assumption rests on)")


def test_import_refuses_a_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "daily.json"
    bad.write_text("[]")
    done = run("import-ua-gs", "--from", str(bad), "--data-dir", str(tmp_path))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "claims_ua_general_staff.csv").exists()


def test_audit_of_the_project_data_lists_findings_and_exits_0():
    done = run("audit")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1].endswith("looked at and kept (--all lists them); no hard problem") and "Traceback" not in done.stderr
    assert all(": row '" in line and "looked at" not in line for line in lines[:-1])
    everything = run("audit", "--all").stdout.strip().splitlines()
    assert len(everything) > len(lines) and any(line.endswith("(looked at and kept: see its notes)") for line in everything)


def test_audit_refuses_data_that_validate_refuses(data_dir):
    rows = [list(r) for r in CLAIMS]
    rows[1][13] = "Russia produces up to 3,000,000 a year"  # ru-a's quote now states a bound its row does not
    write_csv(data_dir / "claims.csv", rows)
    done = run("audit", str(data_dir))
    assert done.returncode == 1 and "the quote says 'up to' this number" in done.stderr


def test_usage_mistakes_and_renderer_set_parameters_are_one_line():
    for args, message in ((["render", "--kernels", "bogus"], "argument --kernels: invalid choice: 'bogus'"),
                          (["render", "briefing", "-p", "scenario=../x"], "-p scenario: set by the renderer"),
                          (["render", "briefing", "-p", "figures_dir=/elsewhere"], "-p figures_dir: set by the renderer"),
                          (["render", "--executor", "pool", "--scheduler", "tcp://127.0.0.1:1"],
                           "--scheduler needs --executor dask")):
        done = run(*args)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_reports_runs_validate_render_and_both_exports_in_one_process_and_stops_at_a_failure(monkeypatch, capsys):
    from sustainment import cli
    from sustainment.publishing import pack
    from sustainment.running import render

    steps = []
    monkeypatch.setattr(render, "render", lambda **kwargs: steps.append(("render", kwargs["scenarios"])) or 0)
    monkeypatch.setattr(pack, "export_briefing", lambda project, scenarios: steps.append(("briefing", scenarios)) or [])
    monkeypatch.setattr(pack, "export_compare", lambda project, scenarios: steps.append(("compare", scenarios)) or [])
    assert cli.main(["reports", "--compare", "baseline", "western_surge"]) == 0
    assert steps == [("render", None), ("briefing", None), ("compare", ["baseline", "western_surge"])]
    assert "data: OK" in capsys.readouterr().out  # validated first
    steps.clear()
    monkeypatch.setattr(render, "render", lambda **kwargs: steps.append(("render", None)) or 1)
    assert cli.main(["reports"]) == 1 and steps == [("render", None)]  # a failed render exports nothing
