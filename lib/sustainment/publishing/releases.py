"""Releases: what each published render answered, kept so that the next one can say what changed.

A release is the key numbers of every scenario's briefing (`<scenario>/figures/key_numbers.csv`)
and a content hash of each claim behind them. It is named by the hash of that content, so a render
that changes no key number and no claim behind one records nothing, and the same inputs give the
same files. `releases/index.json` lists the releases in the order they were first published.
`compare` sets two releases side by side: each key number before -> after, per scenario, with the
claims behind it that were added, edited or removed; `changes.html` (written with the index) shows
each release against the one before, newest first, and `sustainment diff A B` prints the same for
two releases or two git revisions (each revision's code run on its data/, in a temporary worktree).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from sustainment import layout
from sustainment.errors import ReleaseError

FOLDER = "releases"
INDEX = f"{FOLDER}/index.json"
CLAIM_FIELDS = ("metric", "actor", "period_start", "period_end", "value", "low", "high", "unit", "scope", "source_id",
                "claimant", "confidence", "quote", "reported", "bound", "coverage", "statement", "forecast", "munitions")


def claim_hashes(data_dir: Path, ids) -> dict[str, str]:
    """id -> a short hash of what the claim's row says (its cells as written, not its notes), for the
    ids found in data_dir's claims files."""
    from sustainment.files import read_csv
    from sustainment.paths import claim_files

    wanted, found = set(ids), {}
    for path in claim_files(data_dir):
        if not path.exists():
            continue
        header, rows = read_csv(path)
        fields = [header.index(f) if f in header else None for f in CLAIM_FIELDS]
        for _, cells in rows:
            if cells and cells[0] in wanted:
                text = json.dumps([cells[i] if i is not None and i < len(cells) else "" for i in fields], ensure_ascii=False)
                found[cells[0]] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return dict(sorted(found.items()))


def snapshot(reports: Path, data_dir: Path, scenarios) -> dict | None:
    """The release the published briefings make: {"scenarios": {name: [key numbers]}, "claims":
    {id: hash}}, or None when no scenario's briefing is published."""
    from sustainment.analyses.briefing import read_key_numbers

    numbers = {}
    for name in sorted(scenarios):
        path = reports / layout.figure(name, layout.KEY_NUMBERS_FILE)
        if path.exists():
            numbers[name] = _numbers(read_key_numbers(path))
    if not numbers:
        return None
    return {"scenarios": numbers, "claims": claim_hashes(data_dir, {i for rows in numbers.values() for r in rows
                                                                    for i in r["claim_ids"]})}


def _numbers(table: pd.DataFrame) -> list[dict]:
    return [{"number": r.number, "low": float(r.low), "central": float(r.central), "high": float(r.high), "unit": r.unit,
             "claim_ids": sorted(r.claim_ids)} for r in table.itertuples()]


def release_id(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def history(reports: Path) -> list[dict]:
    """The recorded releases, oldest first: {"id", "revision", "vintage", "scenarios", "claims"}."""
    index = reports / INDEX
    if not index.exists():
        return []
    order = json.loads(index.read_text(encoding="utf-8"))
    return [json.loads((reports / FOLDER / f"{entry['id']}.json").read_text(encoding="utf-8")) for entry in order
            if (reports / FOLDER / f"{entry['id']}.json").exists()]


def record(reports: Path, content: dict | None, revision: str, vintage: str) -> dict[str, str]:
    """The files that record `content` as a release (a new release file and the index with it
    appended), or {} when it is the latest release already or there is nothing to record."""
    if content is None:
        return {}
    known = history(reports)
    identity = release_id(content)
    if known and known[-1]["id"] == identity:
        return {}
    release = {"id": identity, "revision": revision, "vintage": vintage, **content}
    order = [{"id": r["id"], "revision": r["revision"], "vintage": r["vintage"]} for r in known] + [
        {"id": identity, "revision": revision, "vintage": vintage}]
    return {f"{FOLDER}/{identity}.json": json.dumps(release, indent=1, sort_keys=True) + "\n",
            INDEX: json.dumps(order, indent=1) + "\n"}


def compare(before: dict, after: dict) -> list[dict]:
    """Per scenario and key number in either release: before and after (None where absent), and the
    claims behind it: added (behind it now, not before: a new claim, or one that now counts), edited
    (behind it in both, what the row says changed) and removed (behind it before, not now)."""
    rows = []
    for scenario in sorted(set(before["scenarios"]) | set(after["scenarios"])):
        old = {r["number"]: r for r in before["scenarios"].get(scenario, [])}
        new = {r["number"]: r for r in after["scenarios"].get(scenario, [])}
        for number in list(dict.fromkeys([*new, *old])):
            was, now = old.get(number), new.get(number)
            then, since = set(was["claim_ids"] if was else ()), set(now["claim_ids"] if now else ())
            added, removed = sorted(since - then), sorted(then - since)
            edited = sorted(i for i in then & since if before["claims"].get(i) != after["claims"].get(i))
            rows.append({"scenario": scenario, "number": number, "unit": (now or was)["unit"], "before": was,
                         "after": now, "moved": _moved(was, now), "added": added, "edited": edited,
                         "removed": removed})
    return rows


def changed(before: dict, after: dict) -> list[dict]:
    """`compare`'s rows for the key numbers that moved or whose claims changed."""
    return [r for r in compare(before, after) if r["moved"] or r["added"] or r["edited"] or r["removed"]]


def key_text(number: dict | None) -> str:
    """A key number of a release as text: 'central (low to high)', or a dash where it is absent."""
    from sustainment.analyses.briefing import key_central, key_range
    from sustainment.presentation.narrative import DASH

    if number is None:
        return DASH
    spread = key_range(number)
    return key_central(number) + ("" if spread == DASH else f" ({spread})")


def _moved(was: dict | None, now: dict | None) -> bool:
    if was is None or now is None:
        return True
    return any(abs(now[k] - was[k]) > 1e-9 * max(1.0, abs(was[k])) for k in ("low", "central", "high"))


def changes(known: list[dict]) -> list[dict]:
    """Each release of `known` (`history`'s, oldest first) against the one before it, newest first:
    {"release", "previous", "rows"}, the rows `changed`'s."""
    pairs = [{"release": release, "previous": previous, "rows": changed(previous, release)}
             for previous, release in zip(known, known[1:])]
    return pairs[::-1]


def resolve(reports: Path, name: str, scenarios: list[str]) -> dict:
    """A release by its id (or a unique prefix of one) among those recorded, else the release
    git revision `name` would have published for `scenarios` (`from_revision`)."""
    found = [r for r in history(reports) if r["id"].startswith(name)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ReleaseError(f"release {name!r} is ambiguous: {', '.join(r['id'] for r in found)}")
    return from_revision(name, scenarios)


# Run by an older revision's code, which has no `releases`: it writes its key numbers as `_numbers` does.
REVISION_SCRIPT = """
import json, sys
from pathlib import Path
import yaml
from sustainment.analyses.briefing import scenario_key_numbers
from sustainment.claims import load
data = Path(sys.argv[1])
claims = load(data)
numbers = {}
for name in sys.argv[2:]:
    scenario = yaml.safe_load((data / "scenarios" / (name + ".yaml")).read_text(encoding="utf-8"))
    table = scenario_key_numbers(claims, scenario.get("parameters") or {})
    numbers[name] = [{"number": r.number, "low": float(r.low), "central": float(r.central), "high": float(r.high),
                      "unit": r.unit, "claim_ids": sorted(r.claim_ids)} for r in table.itertuples()]
print(json.dumps({"scenarios": numbers, "vintage": f"{claims['known_from'].max():%Y-%m-%d}"}))
"""


def from_revision(revision: str, scenarios: list[str]) -> dict:
    """The release git `revision` would have published for `scenarios`: its code run on its data/
    (a temporary worktree), with the claims behind each key number hashed as `claim_hashes` does."""
    import os
    import subprocess
    import sys
    import tempfile

    from sustainment import paths

    git = ["git", "-C", str(paths.ROOT)]
    named = subprocess.run([*git, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], capture_output=True,
                           text=True)
    if named.returncode != 0:
        raise ReleaseError(f"{revision!r}: no recorded release and no git revision of that name")
    commit = named.stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(tree), commit], check=True, capture_output=True)
        try:
            missing = [name for name in scenarios if not (tree / "data" / "scenarios" / f"{name}.yaml").exists()]
            if missing:
                raise ReleaseError(f"{revision}: no scenario {', '.join(missing)} in data/scenarios at that revision")
            run = subprocess.run([sys.executable, "-c", REVISION_SCRIPT, str(tree / "data"), *scenarios], capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPATH": str(tree / "lib")})
            if run.returncode != 0:
                last = (run.stderr.strip().splitlines() or ["no output"])[-1]
                raise ReleaseError(f"{revision}: its code could not compute its key numbers ({last})")
            found = json.loads(run.stdout)
            ids = {i for rows in found["scenarios"].values() for r in rows for i in r["claim_ids"]}
            content = {"scenarios": found["scenarios"], "claims": claim_hashes(tree / "data", ids)}
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], capture_output=True)
    return {"id": commit[:12], "revision": commit[:12], "vintage": found["vintage"], **content}


def diff_lines(before: dict, after: dict, markdown: bool = False) -> list[str]:
    """`compare` as text: one line per key number that moved or whose claims changed (or a Markdown table)."""
    from sustainment.presentation.narrative import DASH

    text, rows = key_text, changed(before, after)
    claims = [", ".join(f"{word} {' '.join(r[key])}" for word, key in (("now behind it", "added"), ("edited", "edited"),
                                                                      ("no longer behind it", "removed")) if r[key])
              for r in rows]
    if markdown:
        return ["| scenario | key number | before | after | claims |", "|---|---|---|---|---|"] + [
            f"| {r['scenario']} | {r['number']} | {text(r['before'])} | {text(r['after'])} | {c or DASH} |"
            for r, c in zip(rows, claims)]
    head = f"{before['id']} (claims to {before['vintage']}) -> {after['id']} (claims to {after['vintage']})"
    return [head] + [f"{r['scenario']}: {r['number']}: {text(r['before'])} -> {text(r['after'])}" + (f"; {c}" if c else "")
                     for r, c in zip(rows, claims)] + ([] if rows else ["no key number moved and no claim behind one changed"])
