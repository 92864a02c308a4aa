"""Search benchmark: index time, query latency (p50/p95) and index size of graphkit's two search backends, whoosh
and tantivy, on the real corpus and on synthetic corpora recombined from it, side by side with SQLite FTS5
(stdlib sqlite3, bm25) on the same queries.

    .venv/bin/python bench/search.py [--sizes 1000,3000,10000,32000] [--backends whoosh,tantivy,fts5]
                                     [--runs 3] [--procs 2] [--rounds 5] [--synthetic-rounds 3]
                                     [--skip-real] [--skip-synthetic]

whoosh and tantivy run the full `indexer.search.search` (synonyms, facets over every match, snippets, reasons);
FTS5 runs a bm25-ranked top 20 with snippets and the same eight facet counts, on the query as typed (it has no
synonyms). Numbers are reported, never asserted in tests; a table of every row is printed last.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import p50_p95  # noqa: E402

import indexer.search as graphkit_search  # noqa: E402
import indexer.tantivy_backend as tantivy_backend  # noqa: E402
import indexer.whoosh_backend as whoosh_backend  # noqa: E402
from graphkit.build import index_document  # noqa: E402
from graphkit.catalogue import read_catalogue  # noqa: E402
from graphkit.cli.common import default_data  # noqa: E402
from graphkit.errors import BadQuery  # noqa: E402
from graphkit.records import STATUSES, Action, Source  # noqa: E402

QUERIES = [
    "advocacy", "trauma informed", "brothers and sisters", "exclusion", "siblings", "CECYP", "VHT",
    "chronologies", "respite", "kinship carers", "foster carers", "care leavers", "housing", "Council Tax",
    "continuing care", "self-evaluation", "domestic abuse", "substance misuse", "named person", "youth justice",
    "employability", "learning reviews", "parenting strategy", "secure care", "GC 10", "SAPP 10.3",
    '"language of care"', '"care plan"', "advocacy OR rights", "training NOT trauma", "(kinship OR foster) carers",
    "chronolog*", "advoc*", "care",
]  # fmt: skip
# The 32 Scottish councils: a synthetic action gets one at random, with a random year.
COUNCILS = [
    "Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "Clackmannanshire", "Dumfries and Galloway",
    "Dundee", "East Ayrshire", "East Dunbartonshire", "East Lothian", "East Renfrewshire", "Edinburgh", "Falkirk",
    "Fife", "Glasgow", "Highland", "Inverclyde", "Midlothian", "Moray", "Na h-Eileanan Siar", "North Ayrshire",
    "North Lanarkshire", "Orkney", "Perth and Kinross", "Renfrewshire", "Scottish Borders", "Shetland",
    "South Ayrshire", "South Lanarkshire", "Stirling", "West Dunbartonshire", "West Lothian",
]  # fmt: skip
SENTENCE = re.compile(r"(?<=[.!?])\s+|\s+(?=\d\.\s)|\s+\|\s+")


def real_actions() -> list[Action]:
    data = default_data()
    return [a for plan in read_catalogue(data) for a in index_document(data, plan).actions]


def synthetic(actions: list[Action], size: int, seed: int = 2024) -> list[Action]:
    """`size` actions made by recombining the real actions' sentences, owners and codes, each given a random
    council and year: the vocabulary and lengths of the real plans, at the scale of every council's plans."""
    rng = random.Random(seed)
    sentences = [s for a in actions for f in (a.text, a.progress) if f for s in SENTENCE.split(f) if len(s) > 20]
    outcomes = [a.outcome for a in actions if a.outcome]
    owners = sorted({o for a in actions for o in a.owners})
    codes = [a.code for a in actions if a.code]
    made = []
    for n in range(size):
        base = rng.choice(actions)
        council, year = rng.choice(COUNCILS), rng.randint(2014, 2030)
        document = f"synthetic-{council.lower().replace(' ', '-')}-{year}"
        made.append(
            replace(
                base,
                id=f"{document}:S{n}",
                document=document,
                plan=f"{council} plan {year}",
                council=council,
                year=year,
                period=(year, year + 3),
                code=rng.choice(codes) if rng.random() < 0.6 else None,
                text=" ".join(rng.sample(sentences, rng.randint(1, 3))),
                outcome=rng.choice(outcomes),
                progress=" ".join(rng.sample(sentences, rng.randint(0, 4))) or None,
                owners=tuple(rng.sample(owners, rng.randint(0, 2))),
                status=rng.choice(STATUSES),
                source=Source(document, f"{document}.txt", n + 1),
            )
        )
    return made


def percentiles(times: list[float]) -> str:
    p50, p95 = p50_p95(times)
    return f"p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms"


def build_index(actions: list[Action], backend: str, runs: int, tmp: Path, procs: int = 2) -> tuple[float, Path]:
    """The best of `runs` builds of one backend's index (whoosh with `procs` writer processes)."""
    best = float("inf")
    folder = tmp
    for run in range(runs):
        folder = tmp / f"{backend}-{procs}-{run}"
        whoosh_backend.MULTIPROCESS_FROM = 0 if procs > 1 else 10**12  # force the writer under test
        started = time.perf_counter()
        graphkit_search.write_index(actions, [], folder, backend)
        best = min(best, time.perf_counter() - started)
    return best, folder


def latency(folder: Path, rounds: int) -> tuple[list[float], int]:
    """Seconds per search of every query, `rounds` times, with one searcher (as a web request has)."""
    times, refused = [], 0
    with graphkit_search.open_index(folder) as index, index.searcher() as searcher:
        graphkit_search.search(index, "", searcher=searcher)  # the first search reads what an index caches
        for query in QUERIES * rounds:
            started = time.perf_counter()
            try:
                graphkit_search.search(index, query, searcher=searcher, limit=20)
            except BadQuery:
                refused += 1
            times.append(time.perf_counter() - started)
    return times, refused


def folder_size(folder: Path) -> float:
    """MiB of every file under a folder."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


FTS_COLUMNS = ("text", "outcome", "progress", "owners", "code")
FACETS = ("council", "plan", "year", "pillar", "foundation", "theme", "owner", "status")


def build_fts(actions: list[Action], path: Path) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute(
        f"CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, {', '.join(FTS_COLUMNS)}, tokenize='porter unicode61')"
    )
    db.execute("CREATE TABLE facet (doc INTEGER, facet TEXT, value TEXT)")
    for n, a in enumerate(actions, start=1):
        db.execute(
            "INSERT INTO fts (rowid, id, text, outcome, progress, owners, code) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (n, a.id, a.text or "", a.outcome or "", a.progress or "", "; ".join(a.owners), a.code or ""),
        )
        values = [("council", a.council), ("plan", a.document), ("year", str(a.year)), ("status", a.status)]
        values += [("pillar", a.pillar)] if a.pillar else []
        values += [("foundation", f) for f in a.foundations] + [("theme", t) for t in a.themes]
        values += [("owner", o) for o in a.owners]
        db.executemany("INSERT INTO facet VALUES (?, ?, ?)", [(n, f, v) for f, v in values])
    db.execute("CREATE INDEX facet_doc ON facet (doc)")
    db.commit()
    db.close()
    return time.perf_counter() - started


def fts_query(query: str) -> str:
    """The query in FTS5 syntax: words ANDed (FTS5 wants the AND after a parenthesis), phrases and prefixes kept,
    NOT as FTS5's binary NOT.

    >>> fts_query('(kinship OR foster) carers "care plan" advoc*')
    '( "kinship" OR "foster" ) AND "carers" AND "care plan" AND "advoc"*'
    """
    out: list[str] = []
    for part in re.findall(r'"[^"]*"|\(|\)|[^\s()"]+', query):
        if part in ("AND", "OR", "NOT", ")"):
            out.append(part)
            continue
        if part.startswith('"') or part == "(":
            terms = [part]
        else:
            words = re.sub(r"[^\w*]", " ", part).split()
            terms = [f'"{w}"' if not w.endswith("*") else f'"{w[:-1]}"*' for w in words]
        for term in terms:
            if out and out[-1] not in ("AND", "OR", "NOT", "("):
                out.append("AND")
            out.append(term)
    return " ".join(out)


def fts_latency(path: Path, rounds: int) -> tuple[list[float], int]:
    db = sqlite3.connect(path)
    weights = "3.0, 1.5, 0.6, 1.0, 4.0"  # the same field weights as graphkit's search
    times, refused = [], 0
    for query in QUERIES * rounds:
        started = time.perf_counter()
        try:
            match = fts_query(query)
            db.execute(
                f"SELECT id, bm25(fts, 0, {weights}) AS rank, snippet(fts, 1, '«', '»', '…', 24) FROM fts "
                "WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                (match,),
            ).fetchall()
            db.execute(
                "SELECT facet, value, count(*) FROM facet WHERE doc IN (SELECT rowid FROM fts WHERE fts MATCH ?) "
                "GROUP BY facet, value",
                (match,),
            ).fetchall()
        except sqlite3.OperationalError:
            refused += 1
        times.append(time.perf_counter() - started)
    db.close()
    return times, refused


def report(name: str, actions: list[Action], backends: list[str], runs: int, procs: list[int], rounds: int) -> list:
    """Build, time and measure each backend on these actions; the rows of the final table."""
    print(f"\n{name}: {len(actions)} actions, {len(QUERIES)} queries x {rounds}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in [b for b in backends if b != "fts5"]:
            folder = None
            for p in procs if backend == "whoosh" else [1]:
                seconds, folder = build_index(actions, backend, runs, Path(tmp), p)
                told = f", writer procs={p}" if backend == "whoosh" else ""
                print(f"  {backend} index{told}: {seconds:8.2f} s (best of {runs})", flush=True)
            assert folder is not None
            times, refused = latency(folder, rounds)
            size = folder_size(folder)
            print(f"  {backend} search (top 20, 8 facets, snippets, reasons): {percentiles(times)}   refused {refused}")
            print(f"  {backend} index size: {size:.1f} MiB", flush=True)
            rows.append((len(actions), backend, seconds, *p50_p95(times), max(times), size))
            shutil.rmtree(folder, ignore_errors=True)
        if "fts5" in backends:
            db = Path(tmp) / "fts.sqlite"
            seconds = build_fts(actions, db)
            print(f"  SQLite {sqlite3.sqlite_version} FTS5 index: {seconds:8.2f} s")
            times, refused = fts_latency(db, rounds)
            print(f"  SQLite FTS5 search (top 20 bm25, snippet, 8 facets): {percentiles(times)}   errors {refused}")
            size = db.stat().st_size / 2**20
            print(f"  SQLite index size: {size:.1f} MiB", flush=True)
            rows.append((len(actions), "fts5", seconds, *p50_p95(times), max(times), size))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="32000", help="actions in each synthetic corpus, e.g. 1000,3000,32000")
    parser.add_argument("--backends", default="whoosh,tantivy,fts5", help="what to measure: whoosh, tantivy, fts5")
    parser.add_argument("--runs", type=int, default=3, help="index builds per backend on the real corpus (best)")
    parser.add_argument("--procs", default="2", help="whoosh writer processes to compare, e.g. 1,2")
    parser.add_argument("--rounds", type=int, default=5, help="times each query runs (real corpus)")
    parser.add_argument("--synthetic-rounds", type=int, default=3, help="times each query runs (synthetic)")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    procs = [int(p) for p in args.procs.split(",")]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, ", end="")
    print(f"{len(os.sched_getaffinity(0))} cores; {whoosh_backend.VERSION}; {tantivy_backend.VERSION}")
    print(f"load average at the start (other work on the machine): {os.getloadavg()[0]:.1f}")
    actions = real_actions()
    rows = []
    if not args.skip_real:
        rows += report("real corpus", actions, backends, args.runs, procs, args.rounds)
    if not args.skip_synthetic:
        for size in (int(n) for n in args.sizes.split(",")):
            rows += report("synthetic corpus", synthetic(actions, size), backends, 1, procs, args.synthetic_rounds)
    print("\n| actions | backend | index | search p50 / p95 (max) | size |\n|---|---|---|---|---|")
    for n, backend, seconds, p50, p95, slowest, size in rows:
        ms = f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms ({slowest * 1000:.0f} ms)"
        print(f"| {n:,} | {backend} | {seconds:.2f} s | {ms} | {size:.1f} MiB |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
