"""`sustainment validate|audit|render|sweep|export|reports|diff|strip|check|import-ua-gs`: an expected failure (a
`SustainmentError`) ends in one line per problem and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sustainment import paths
from sustainment.claims.scenarios import DEFAULT_SCENARIO
from sustainment.errors import DatasetError, ParameterError, SweepError
from sustainment.parameters import assignments

SHARED_DAILY_FILE = paths.SHARED_DIR / "data" / "ua_general_staff_russian_personnel_losses.json"


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def _list_checks(checks) -> int:
    """One line per named check: its code and what it finds (the check's docstring, or its function's)."""
    for code, check, *_ in checks:
        print(f"{code}: {' '.join((check.__doc__ or '').split(chr(10) * 2)[0].split())}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sustainment.claims import load
    from sustainment.claims.scenarios import load_scenarios
    from sustainment.claims.validation import INTEGRITY_CHECKS

    if args.checks:
        return _list_checks(INTEGRITY_CHECKS)
    from sustainment.running.signature import check_scenarios, read_signature

    data = args.data_dir or paths.DATA_DIR
    claims = load(data)
    scenarios = load_scenarios(data / "scenarios", data / "sources.csv", None) if (data / "scenarios").is_dir() else []
    check_scenarios(scenarios, {path.stem: read_signature(path) for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))})
    print(f"{paths.relative(data)}: OK, {len(claims)} claims from {claims['source_id'].nunique()} sources, "
          f"{claims['metric'].nunique()} metrics, {claims['actor'].nunique()} actors, {len(scenarios)} scenarios")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from sustainment import analyses
    from sustainment.claims import findings, load

    if args.checks:
        return _list_checks(findings.SOFT_CHECKS)
    claims = load(args.data_dir)  # hard problems: DataError, like validate
    found = findings.soft_findings(claims, analyses.headline_inputs(claims), SHARED_DAILY_FILE)
    looked_at = [finding for finding in found if findings.reviewed(finding, claims)]
    for finding in found:
        if args.all or finding not in looked_at:
            print(f"{finding}{' (looked at and kept: see its notes)' if finding in looked_at else ''}")
    print(f"{len(found) - len(looked_at)} finding(s) to review, {len(looked_at)} looked at and kept"
          f"{'' if args.all else ' (--all lists them)'}; no hard problem")
    return 0


def cmd_import_ua_gs(args: argparse.Namespace) -> int:
    from sustainment.claims import ua_general_staff as ua

    origin = args.origin or (str(SHARED_DAILY_FILE) if SHARED_DAILY_FILE.exists() else ua.UPSTREAM_URL)
    try:
        if origin.startswith(("http://", "https://")):
            from urllib.request import urlopen

            with urlopen(origin, timeout=60) as response:
                text = response.read().decode("utf-8")
        else:
            text = Path(origin).read_text(encoding="utf-8")
        rows = ua.month_end_claims(ua.parse(text))
    except (OSError, UnicodeDecodeError, DatasetError) as err:
        return _fail([f"{origin}: {err}"])
    data = Path(args.data_dir or paths.DATA_DIR)
    ua.check_with(rows, data)  # the data with these rows must validate (DataError otherwise): the good file stays
    target = ua.write(rows, data)
    print(f"{paths.relative(target)}: {len(rows)} month-end claims, "
          f"{rows['period_end'].iloc[0]}..{rows['period_end'].iloc[-1]}")
    return 0


def _notebook_paths(names: list[str]) -> list[Path]:
    return [Path(name) for name in names] if names else sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def cmd_strip(args: argparse.Namespace) -> int:
    """Clear outputs and execution counts in place (what `make strip` and the pre-commit hook run)."""
    import nbformat

    from sustainment.notebooks import read_notebook

    for path in _notebook_paths(args.notebooks):
        read_notebook(path)  # one line for a file that is not a notebook
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        text = nbformat.writes(notebook) + "\n"
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            print(f"stripped {paths.relative(path)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Refuse notebooks that type numbers into code or keep outputs: one line each, exit 2."""
    from sustainment.notebooks import declarations, read_notebook, typed_numbers

    problems = []
    for path in _notebook_paths(args.notebooks):
        for cell, text in typed_numbers(path):
            problems.append(f"{paths.relative(path)}: cell {cell} types the number {text}: numbers enter as claims "
                            "or parameters")
        try:
            declarations(path)
        except ParameterError as err:
            problems.append(str(err))
        cells = read_notebook(path)["cells"]
        if any(c.get("outputs") or c.get("execution_count") for c in cells if c.get("cell_type") == "code"):
            problems.append(f"{paths.relative(path)}: has outputs; run `make strip`")
    return _fail(problems, 2) if problems else 0


def cmd_render(args: argparse.Namespace) -> int:
    from sustainment.running import render

    scenarios = None if args.all else (args.scenario or [DEFAULT_SCENARIO])
    return render.render(notebooks=args.notebooks or None, scenarios=scenarios, overrides=assignments(args.parameter),
                         jobs=args.jobs, force=args.force, timeout=args.timeout, no_wait=args.no_wait,
                         executor=args.executor or "", scheduler=args.scheduler or "", kernels=args.kernels)


def cmd_sweep(args: argparse.Namespace) -> int:
    from sustainment.claims import load
    from sustainment.paths import Project
    from sustainment.running import sweeps

    project = Project()
    try:
        months = [int(m) for m in args.months.split(",") if m.strip()]
    except ValueError:
        raise SweepError(f"--months {args.months!r}: expected months like 12,24") from None
    if args.n_draws <= 0:
        raise SweepError(f"--n-draws: must be > 0, got {args.n_draws}")
    from sustainment.running import executors
    from sustainment.running.executors import default_workers

    executor = executors.choose(args.executor or "", args.scheduler or "", default="")
    found = sweeps.scenario_sweep(project, args.model, args.scenario, args.parameter, args.n_draws, args.seed, months,
                                  executor, default_workers(args.jobs, 10_000), args.scheduler or "")
    from sustainment.publishing.publish import read_manifest
    from sustainment.publishing.site import write_site

    folder = sweeps.publish(found, project, load(project.data), args.no_wait,
                            then=lambda: write_site(project, read_manifest(project.reports)))
    print(f"{paths.relative(folder)}: {len(found.table)} cells x {found.n_draws:,} draws; {sweeps.finding(found)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sustainment.paths import Project
    from sustainment.publishing import pack, publish

    project = Project()
    with publish.reports_lock(project.reports, args.no_wait):
        if args.what == "briefing":
            written = pack.export_briefing(project, args.scenario)
        else:
            written = pack.export_compare(project, args.scenarios or [])
    for path in written:
        print(paths.relative(path))
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    """validate, render every notebook x scenario, export every deck and the comparison deck, in one
    process (what `make reports` runs): the claims are read once, and a run with nothing to do is quick."""
    from sustainment.running import render

    steps = (lambda: cmd_validate(argparse.Namespace(checks=False, data_dir=None)),
             lambda: render.render(scenarios=None, jobs=args.jobs, no_wait=args.no_wait),
             lambda: cmd_export(argparse.Namespace(what="briefing", scenario=None, scenarios=None, no_wait=args.no_wait)),
             lambda: cmd_export(argparse.Namespace(what="compare", scenario=None, scenarios=args.compare,
                                                   no_wait=args.no_wait)))
    for step in steps:
        code = step()
        if code:
            return code
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from sustainment.paths import Project
    from sustainment.publishing import releases

    reports = Project().reports
    scenarios = args.scenario or [DEFAULT_SCENARIO]
    before, after = (releases.resolve(reports, name, scenarios) for name in (args.before, args.after))
    print("\n".join(releases.diff_lines(before, after, args.markdown)))
    return 0


def _executor_options(parser: argparse.ArgumentParser, default: str = "pool") -> None:
    parser.add_argument("--executor", choices=["pool", "dask"], help="pool: worker processes on this machine; dask: a Dask "
                        f"LocalCluster, or --scheduler (default: {default})")
    parser.add_argument("--scheduler", metavar="tcp://HOST:8786", help="a running Dask scheduler (implies --executor dask)")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (and `--help` still shows the usage)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _data_commands(commands) -> None:
    """validate, audit, import-ua-gs: the data."""
    validate = commands.add_parser("validate", help="check data/ and print one line per problem")
    validate.add_argument("data_dir", nargs="?", type=Path, help="folder with the CSV tables (default: data/)")
    validate.add_argument("--checks", action="store_true", help="list the named integrity checks and their codes")
    validate.set_defaults(run=cmd_validate)

    audit = commands.add_parser("audit", help="list soft integrity findings (file:line, row, reason); "
                                "exit 0 unless the data is invalid")
    audit.add_argument("data_dir", nargs="?", type=Path, help="folder with the CSV tables (default: data/)")
    audit.add_argument("--checks", action="store_true", help="list the named soft checks and their codes")
    audit.add_argument("--all", action="store_true",
                       help="also list the findings a curator looked at and kept (its notes say '<code> looked at')")
    audit.set_defaults(run=cmd_audit)

    imports = commands.add_parser("import-ua-gs", help="derive month-end Ukrainian General Staff claims")
    imports.add_argument("--from", dest="origin", help="daily JSON file or URL (default: shared copy, else upstream)")
    imports.add_argument("--data-dir", type=Path, help="where to write claims_ua_general_staff.csv")
    imports.set_defaults(run=cmd_import_ua_gs)


def _render_command(commands) -> None:
    """render: notebooks x scenarios into reports/."""
    rendering = commands.add_parser("render", help="render notebooks x scenarios into reports/ (incremental)")
    rendering.add_argument("notebooks", nargs="*", help="notebook names (default: all in notebooks/)")
    chosen = rendering.add_mutually_exclusive_group()
    chosen.add_argument("--scenario", action="append", help=f"scenario name (repeatable; default: {DEFAULT_SCENARIO})")
    chosen.add_argument("--all", action="store_true", help="every scenario in data/scenarios/")
    rendering.add_argument("-p", dest="parameter", action="append", default=[], metavar="KEY=VALUE",
                           help="override a parameter (checked against each notebook's parameters cell)")
    rendering.add_argument("--jobs", type=int, help="parallel notebooks (default: number of cores)")
    rendering.add_argument("--force", action="store_true", help="re-render even when up to date")
    rendering.add_argument("--timeout", type=int, help="seconds a cell may run (default: $SUSTAINMENT_TIMEOUT, "
                           "pyproject [tool.sustainment] timeout, else 600)")
    rendering.add_argument("--no-wait", action="store_true", help="exit 1 at once if another render or export holds reports/")
    _executor_options(rendering)
    rendering.add_argument("--kernels", choices=["warm", "fresh"], default="warm",
                           help="warm: one kernel per worker, reset between reports (default); fresh: one per report")
    rendering.set_defaults(run=cmd_render)


def _sweep_command(commands) -> None:
    """sweep: a model over a grid of inputs."""
    sweep = commands.add_parser("sweep", help="evaluate a model over a grid of inputs into reports/sweeps/ (no kernel per cell)")
    sweep.add_argument("model", help="recruitment or ammunition (README, Sensitivity sweeps: their axes)")
    sweep.add_argument("-p", dest="parameter", action="append", default=[], metavar="NAME=LOW:HIGH:STEP|NAME=VALUE",
                       help="an axis (one or two; default: the model's default grid) or a fixed parameter of its report")
    sweep.add_argument("--scenario", default=DEFAULT_SCENARIO,
                       help=f"scenario whose values the sweep starts from (default: {DEFAULT_SCENARIO})")
    sweep.add_argument("--n-draws", type=int, default=10_000, help="Monte Carlo draws per cell (default: 10000)")
    sweep.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    sweep.add_argument("--months", default="12,24", help="recruitment: months at which P(smaller) is also given")
    sweep.add_argument("--no-wait", action="store_true", help="exit 1 at once if another render or export holds reports/")
    _executor_options(sweep, default="this process")
    sweep.add_argument("--jobs", type=int, help="workers for --executor (default: number of cores)")
    sweep.set_defaults(run=cmd_sweep)


def _notebook_commands(commands) -> None:
    """strip, check: the notebooks as committed."""
    strip = commands.add_parser("strip", help="clear notebook outputs in place (default: every notebook)")
    strip.add_argument("notebooks", nargs="*", help="notebook files")
    strip.set_defaults(run=cmd_strip)

    check = commands.add_parser("check", help="refuse notebooks that type numbers into code or keep outputs")
    check.add_argument("notebooks", nargs="*", help="notebook files")
    check.set_defaults(run=cmd_check)


def _export_command(commands) -> None:
    """export: the decks."""
    export = commands.add_parser("export", help="briefing pack: slides, PDF and figure manifest from rendered reports")
    export.add_argument("what", choices=["briefing", "compare"])
    export.add_argument("--scenario", action="append", help="briefing: scenario (repeatable; default: every rendered one)")
    export.add_argument("--scenarios", nargs="+", help="compare: two or more scenarios")
    export.add_argument("--no-wait", action="store_true", help="exit 1 at once if another render or export holds reports/")
    export.set_defaults(run=cmd_export)
    everything = commands.add_parser("reports", help="validate, render --all, export briefing and the comparison deck, in "
                                                     "one process (make reports)")
    everything.add_argument("--compare", nargs=2, default=[DEFAULT_SCENARIO, "north_korea_cutoff"], metavar="SCENARIO",
                            help="the two scenarios of the comparison deck (default: baseline north_korea_cutoff)")
    everything.add_argument("--jobs", type=int, help="parallel notebooks (default: number of cores)")
    everything.add_argument("--no-wait", action="store_true", help="exit 1 at once if another render or export holds reports/")
    everything.set_defaults(run=cmd_reports)
    diff = commands.add_parser("diff", help="key numbers before -> after between two releases (reports/releases/) or "
                                            "two git revisions (each revision's code on its data/), with the claims "
                                            "that moved them")
    diff.add_argument("before", help="a release id (or its prefix; see reports/changes.html) or a git revision")
    diff.add_argument("after", help="as before")
    diff.add_argument("--scenario", action="append", help="for git revisions: scenario (repeatable; default: baseline)")
    diff.add_argument("--markdown", action="store_true", help="a Markdown table (README's before/after)")
    diff.set_defaults(run=cmd_diff)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="sustainment", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for add in (_data_commands, _render_command, _sweep_command, _notebook_commands, _export_command):
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sustainment.errors import SustainmentError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SustainmentError as err:
        return _fail(err.lines(), err.exit_code)
    except OSError as err:  # an unwritable or missing folder: one line, nothing half-written
        return _fail([f"{err.filename or err}: {err.strerror or 'cannot write'}; the last good outputs are kept"])
    except KeyboardInterrupt:
        return _fail(["interrupted: workers stopped, staging removed, the last good reports kept"], 130)


if __name__ == "__main__":
    sys.exit(main())
