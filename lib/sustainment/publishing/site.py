"""reports/index.html, sources.html and claims.html, from the manifest, the scenarios, the charts'
sidecars and the rendered reports, through autoescaping Jinja2 templates (text from data files is
never raw HTML).

claims.html has an anchor per claim (`claim-<id>`) and per set of claims a report links to
(`claims-<digest>`, see `narrative.claims_anchor`): the sets are read back from the `data-claims`
attributes of the links in the rendered reports, so every link a report makes has its target.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from sustainment import layout
from sustainment.claims.scenarios import DEFAULT_SCENARIO
from sustainment.presentation import narrative
from sustainment.publishing import publish, releases

DATA_CLAIMS = re.compile(r'data-claims="([^"]*)"')
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})  # JSON inside <script>: no </script>, no <!--


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("sustainment", "templates"), autoescape=select_autoescape(["j2", "html"]),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.globals["layout"] = layout  # pages link each other and the decks where `layout` says they are
    return environment


def _charts(reports: Path, entry: dict, folder: str) -> list[dict]:
    charts = []
    files = set(entry.get("figures", []))
    for name in sorted(files):
        if name.endswith(".json") and name.removesuffix(".json") + ".png" in files:
            sidecar = json.loads((reports / layout.figure(folder, name)).read_text(encoding="utf-8"))
            stem = layout.figure(folder, sidecar["name"])
            thumb = f"{stem}.thumb.png" if f"{sidecar['name']}.thumb.png" in files else f"{stem}.png"
            values = f"{stem}.csv" if f"{sidecar['name']}.csv" in files else ""
            charts.append({**sidecar, "png": f"{stem}.png", "thumb": thumb, "svg": f"{stem}.svg", "pdf": f"{stem}.pdf",
                           "csv": values})
    return charts


def linked_sets(reports: Path, manifest: dict) -> dict[str, list[tuple[str, ...]]]:
    """report key -> the sets of claim ids its HTML links to (from the links' `data-claims`)."""
    found = {}
    for key, entry in manifest["reports"].items():
        path = reports / entry["html"]
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        found[key] = sorted({tuple(ids.split()) for ids in DATA_CLAIMS.findall(text) if ids})
    return found


def claim_entries(claims: pd.DataFrame, used_by: dict[str, set[str]]) -> list[dict]:
    """One entry per claim for claims.html: what it says, who said it, where, and the reports that use it."""
    entries = []
    for row in claims.sort_values("id").itertuples():
        entries.append({
            "id": row.id, "anchor": narrative.claims_anchor([row.id]), "metric": row.metric.replace("_", " "),
            "actor": row.actor_name, "value": narrative.stated(row.value), "unit": row.unit,
            "range": "" if pd.isna(row.low) and pd.isna(row.high) else " to ".join(
                narrative.stated(end) if pd.notna(end) else "?" for end in (row.low, row.high)),
            "bound": row.bound, "coverage": row.coverage, "scope": row.scope,
            "period": f"{row.period_start:%Y-%m-%d} to {row.period_end:%Y-%m-%d}", "claimant": row.claimant,
            "known_from": f"{row.known_from:%Y-%m-%d}", "quote": row.quote, "quote_en": row.quote_en,
            "confidence": row.confidence,
            "source_id": row.source_id, "url": row.url, "credit": f"{row.credit} ({int(row.credit_year)})",
            "used_by": sorted(used_by.get(row.id, ())),
            "json_ld": json.dumps({"@context": "https://schema.org", "@type": "Claim", "identifier": row.id,
                                   "text": row.quote, "author": {"@type": "Person", "name": row.claimant},
                                   "datePublished": f"{row.known_from:%Y-%m-%d}",
                                   "appearance": {"@type": "CreativeWork", "url": row.url, "publisher": row.credit}},
                                  ensure_ascii=False, sort_keys=True).translate(SCRIPT_SAFE),
        })
    return entries


ROLE_WORDS = {"central": "sets the central figure", "forecast": "a forecast: sets the central figure only where no "
              "claim is observed", "upper": "a cap: bounds the range from above", "lower": "a floor: bounds the range from below",
              "unused": "not used: a cap on a part bounds nothing", "repeat": "a repeat of a statement counted once"}


def claim_reads(claims: pd.DataFrame, ids) -> dict[str, dict]:
    """id -> what a claim set shows of each claim: its value in its metric's unit, its role (as
    `claims.estimate` reads it; ammunition claims on the ammunition model's basis, a repeat of a
    statement counted once), who said it and when, and its quote with the English translation."""
    from sustainment.claims import munitions, one_per_statement, roles
    from sustainment.models.ammunition import MUNITIONS
    from sustainment.models.shapes import spans_years

    found = claims[claims["id"].isin(set(ids))]
    ammunition = munitions.is_ammunition(found["metric"])
    shots = found[ammunition]
    read = pd.concat([munitions.on_basis(shots, MUNITIONS, munitions.breakdowns(shots, MUNITIONS)),
                      found[~ammunition].assign(munitions_read="")])
    kept, repeats = one_per_statement(read)
    role = pd.concat([roles(kept), pd.Series("repeat", index=repeats.index)])
    split = spans_years(read) & munitions.is_ammunition(read["metric"])
    entries = {}
    for index, row in read.iterrows():
        basis = row["munitions_read"]
        entries[row["id"]] = {
            "id": row["id"], "anchor": narrative.claims_anchor([row["id"]]),
            "value": f"{narrative.converted(row['canonical_value'])} {row['canonical_unit']}",
            "role": ROLE_WORDS[role[index]] + (f" (counts another basis: {basis})" if basis else "")
            + (" (a total over several years: the ammunition report splits it into years)" if split[index] else ""),
            "claimant": row["claimant"], "said": f"{row['known_from']:%Y-%m-%d}", "quote": row["quote"],
            "quote_en": row["quote_en"], "metric": row["metric"].replace("_", " "), "actor": row["actor_name"]}
    return entries


def _sweeps(reports: Path, data_dir: Path) -> list[dict]:
    """The sweeps published under reports/sweeps/ (their sweep.json), by folder name; `stale` when
    made from other data or code than the reports now are."""
    from sustainment.publishing.fingerprint import inputs_digest

    published = sorted((reports / layout.SWEEPS).glob("*/sweep.json"))
    current = inputs_digest(data_dir) if published else ""
    found = []
    for path in published:
        meta = json.loads(path.read_text(encoding="utf-8"))
        found.append({"folder": f"{layout.SWEEPS}/{path.parent.name}", "model": meta.get("model", ""),
                      "scenario": meta.get("scenario", ""), "finding": meta.get("finding", ""),
                      "n_draws": f"{meta['n_draws']:,}" if isinstance(meta.get("n_draws"), int) else "?",
                      "stale": meta.get("inputs") != current})
    return found


BRIEFING = "briefing"  # the notebook whose briefing.json and key_numbers.csv carry the answers


def answers(reports: Path, manifest: dict, titles: dict[str, str]) -> list[dict]:
    """Per scenario with a published briefing (not one-off renders): its title, the date claims were
    public by and the one-sentence headline of each question, from the briefing's briefing.json."""
    found = []
    for key in sorted(manifest["reports"]):
        folder, notebook = layout.split_key(key)
        path = reports / layout.figure(folder, layout.BRIEFING_FILE)
        if notebook != BRIEFING or folder.startswith(layout.ONE_OFF) or not path.exists():
            continue
        meta = json.loads(path.read_text(encoding="utf-8"))
        headlines = meta.get("headlines", {})
        found.append({"scenario": folder, "title": titles.get(folder, folder), "as_of": meta.get("as_of", ""),
                      "briefing": manifest["reports"][key]["html"], "ammunition": headlines.get("ammunition", ""),
                      "recruitment": headlines.get("recruitment", ""),
                      "key_numbers": layout.figure(folder, layout.KEY_NUMBERS_FILE)})
    default = [a for a in found if a["scenario"] == DEFAULT_SCENARIO]
    return default + [a for a in found if a["scenario"] != DEFAULT_SCENARIO]


def claim_ages(reports: Path, answer: dict, claims: pd.DataFrame) -> list[dict]:
    """For each key number of one scenario's briefing: the newest claim behind it, when it was
    public and how many months before the date the answers' claims were public by."""
    path = reports / answer["key_numbers"]
    if not path.exists():
        return []
    from sustainment.analyses.briefing import read_key_numbers
    from sustainment.claims.units import DAYS_PER_MONTH

    public = claims.set_index("id")["known_from"]
    cutoff = pd.Timestamp(answer["as_of"])
    rows = []
    for row in read_key_numbers(path).itertuples():
        ids = [i for i in row.claim_ids if i in public.index]
        if not ids:
            continue
        newest = public[ids].max()
        rows.append({"number": row.number, "newest": f"{newest:%Y-%m-%d}",
                     "months": round((cutoff - newest).days / DAYS_PER_MONTH)})
    return rows


def write_site(project, manifest: dict) -> None:
    """Write index.html, sources.html and claims.html for what the manifest records (atomically)."""
    from sustainment.claims import load
    from sustainment.claims.scenarios import scenarios_of

    reports = project.reports
    claims = load(project.data)
    scenarios = {s.name: s for s in scenarios_of(project)}
    sets = linked_sets(reports, manifest)
    by_scenario: dict[str, list[dict]] = {}
    sources_used: dict[str, set[str]] = {}
    claims_used: dict[str, set[str]] = {}
    for key, entry in manifest["reports"].items():
        scenario, notebook = layout.split_key(key)
        charts = _charts(reports, entry, scenario)
        by_scenario.setdefault(scenario, []).append({**entry, "notebook": notebook, "scenario": scenario, "charts": charts})
        for chart in charts:
            for source_id in chart["source_ids"]:
                sources_used.setdefault(source_id, set()).add(key)
            for claim_id in chart.get("claim_ids", []):
                claims_used.setdefault(claim_id, set()).add(key)
        for ids in sets.get(key, []):
            for claim_id in ids:
                claims_used.setdefault(claim_id, set()).add(key)
        for source_id in scenarios[scenario].source_ids if scenario in scenarios else ():
            sources_used.setdefault(source_id, set()).add(f"{scenario} (scenario assumptions)")
    known = claims.drop_duplicates("source_id").set_index("source_id")
    sources = [{"source_id": s, "publisher": r.publisher, "title": narrative.reader_title(r.title)[0],
                "title_note": narrative.reader_title(r.title)[1], "url": r.url, "published": f"{r.published:%Y-%m-%d}",
                "kind": r.source_kind, "credit": r.credit, "original_title": r.original_title, "original_url": r.original_url,
                "used_by": sorted(sources_used.get(s, ()))} for s, r in known.sort_index().iterrows()]
    shown = sorted({ids for found in sets.values() for ids in found if len(ids) > 1})
    reads = claim_reads(claims, {i for ids in shown for i in ids})
    claim_sets = [{"anchor": narrative.claims_anchor(ids), "ids": list(ids), "claims": [reads[i] for i in ids if i in reads],
                   "used_by": sorted(k for k, found in sets.items() if ids in found)} for ids in shown]
    environment = _environment()
    decks = {name for name in by_scenario if (reports / layout.deck(name, ".pptx")).exists()}
    from sustainment.analyses.common import vintage_words

    vintage = vintage_words(claims)
    found = answers(reports, manifest, {name: s.title for name, s in scenarios.items()})
    pages = {
        layout.INDEX_PAGE: environment.get_template("index.html.j2").render(
            scenarios=[(scenarios.get(name), by_scenario[name]) for name in sorted(by_scenario)], decks=decks,
            vintage=vintage, sweeps=_sweeps(reports, project.data), answers=found,
            ages=claim_ages(reports, found[0], claims) if found else [], scale=narrative.likelihood_note()),
        layout.SOURCES_PAGE: environment.get_template("sources.html.j2").render(
            sources=sources, used=sum(1 for s in sources if s["used_by"]), vintage=vintage),
        layout.CLAIMS_PAGE: environment.get_template("claims.html.j2").render(
            claims=claim_entries(claims, claims_used), sets=claim_sets, vintage=vintage),
    }
    recorded = releases.record(reports, releases.snapshot(reports, project.data, [a["scenario"] for a in found]),
                               manifest["reports"].get(f"{DEFAULT_SCENARIO}/{BRIEFING}", {}).get("git_revision", ""),
                               f"{claims['known_from'].max():%Y-%m-%d}")
    if recorded:
        publish.write_files(reports, recorded)
    from sustainment.analyses.briefing import METHODS

    pages[layout.METHODS_PAGE] = environment.get_template("methods.html.j2").render(methods=METHODS, vintage=vintage)
    known = releases.history(reports)
    pages[layout.CHANGES_PAGE] = environment.get_template("changes.html.j2").render(
        found=[{**change, "rows": [{**row, "before_text": releases.key_text(row["before"]),
                                   "after_text": releases.key_text(row["after"])}
                                   for row in change["rows"]]} for change in releases.changes(known)],
        count=len(known))
    publish.write_files(reports, pages)
