"""One benchmark of the whole tool on a synthetic corpus in the real plan formats, with the issue's bars side by side.

    .venv/bin/python bench/run.py [--size 1000] [--seed 1] [--rounds 3] [--json] [--corpus DIR] [--fresh]
                                  [--plan-size 100] [--pair-share 0.035]

Makes (or reuses, from bench/.corpus/, keyed by size, seed, plan size, pair share and the generator's code) a
corpus with bench/corpus.py, then reports, in one run:

- `graphkit index --data DIR --store TMP` as a subprocess: wall time (`index_s`), the peak RSS of its largest
  process (`peak_mem_mb`, getrusage of the children) and of its whole process tree (`peak_tree_mb`, sampled);
- the time of each phase (parse, links, graph, duplicate clusters, search index, writing the store) from the
  build's manifest (`timings`);
- over the built store: p50/p95 of `indexer.search.search` (bench/search.py's queries, `--rounds` times each),
  of `related_actions` and `trace` over a sample of actions, and the time of the first listing of duplicate
  clusters on a freshly loaded build (`duplicate_clusters`, as `graphkit duplicates` and /duplicates call it,
  reading the clusters the build stored), beside the time to cluster the links again without them;
- baselines on the same actions and queries: SQLite FTS5 (bench/search.py) and a bare tantivy BM25 index;
- recall of the injected pairs (truth.json): duplicates found (a `duplicate` link, or one duplicate cluster) and
  successors found (the later action in `trace` of the earlier one, top 10, or in `related` top 10 when trace
  gives nothing), with every miss listed.

With `--json` the last line is one JSON object of the numbers. Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from corpus import PAIR_SHARE, generate, generator_version, read_truth  # noqa: E402
from search import FTS_COLUMNS, QUERIES, build_fts, fts_latency, fts_query  # noqa: E402
from timing import p50_p95  # noqa: E402

from graphkit.duplicates import duplicate_clusters  # noqa: E402
from graphkit.errors import BadQuery  # noqa: E402
from graphkit.queries import LinkIndex, related_actions, trace  # noqa: E402
from graphkit.store import load_corpus  # noqa: E402
from indexer.search import open_index, search  # noqa: E402

CACHE = BENCH / ".corpus"
QUERY_SAMPLE = 500  # actions whose related and trace are timed
TOP = 10  # a successor is found when it is among this many of trace (or related)
MEMORY_POLL = 0.05  # seconds between samples of the index process tree's memory
# The bare tantivy baseline: bench/search.py's FTS5 field weights, en_stem on every text field.
TANTIVY_BOOSTS = dict(zip(FTS_COLUMNS, (3.0, 1.5, 0.6, 1.0, 4.0), strict=True))
TANTIVY_HEAP = 200_000_000
TANTIVY_THREADS = 2


def corpus_folder(args: argparse.Namespace) -> tuple[Path, float | None]:
    """The data folder to benchmark and the seconds it took to generate (None when reused or given)."""
    if args.corpus:
        return args.corpus, None
    folder = CACHE / f"size-{args.size}-seed-{args.seed}-plan-{args.plan_size}-pairs-{args.pair_share}"
    truth = folder / "truth.json"
    if truth.is_file() and not args.fresh and read_truth(folder)["generator"]["version"] == generator_version():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate(folder, args.size, args.seed, args.plan_size, args.pair_share)
    return folder, time.perf_counter() - started


# --- the full index, as a user runs it ------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and its descendants, from /proc (0 where /proc is missing)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def full_index(data: Path, store: Path) -> dict:
    """`graphkit index` in a subprocess: wall seconds, peak RSS of its largest process and of its process tree."""
    command = [sys.executable, "-m", "graphkit", "index", "--data", str(data), "--store", str(store)]
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(MEMORY_POLL):
            peak[0] = max(peak[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"graphkit index failed ({process.returncode}):\n{err[-2000:]}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return {"index_s": seconds, "peak_mem_mb": largest, "peak_tree_mb": peak[0] / 2**20, "summary": out.strip()}


def phases(corpus) -> dict:
    """Seconds of each phase (parse, links, graph, clusters, search index, writing the store), as the build's
    manifest records them (`timings`)."""
    named = {"parse": "parse_s", "links": "links_s", "graph": "graph_s", "search": "search_index_s"}
    return {named.get(k, f"{k}_s"): v for k, v in (corpus.manifest.get("timings") or {}).items()}


# --- latency over the built store -----------------------------------------------------------------------------


def ms(samples: list[float]) -> tuple[float, float]:
    p50, p95 = p50_p95(samples)
    return p50 * 1000, p95 * 1000


def search_latency(folder: Path, rounds: int) -> tuple[list[float], int, str]:
    times, refused = [], 0
    with open_index(folder) as index, index.searcher() as searcher:
        backend = getattr(index, "backend", index.meta.get("backend", "whoosh"))
        search(index, QUERIES[0], searcher=searcher, limit=20)  # opens the index's caches, as a first request does
        for query in QUERIES * rounds:
            started = time.perf_counter()
            try:
                search(index, query, searcher=searcher, limit=20)
            except BadQuery:
                refused += 1
            times.append(time.perf_counter() - started)
    return times, refused, backend


def graph_latency(index: LinkIndex, ids: list[str]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"related": [], "trace": []}
    for action_id in ids:
        for name, query in (("related", related_actions), ("trace", trace)):
            started = time.perf_counter()
            query(index, action_id)
            timings[name].append(time.perf_counter() - started)
    return timings


# --- tantivy baseline -----------------------------------------------------------------------------------------


def tantivy_query(query: str) -> str:
    """bench/search.py's FTS5 translation in tantivy's syntax: a prefix `w*` becomes a regex over every field.

    >>> tantivy_query('(kinship OR foster) carers advoc*')
    '( "kinship" OR "foster" ) AND "carers" AND (text:/advoc.*/ OR outcome:/advoc.*/ OR progress:/advoc.*/ OR owners:/advoc.*/ OR code:/advoc.*/)'
    """  # noqa: E501
    parts = []
    for part in fts_query(query).split(" "):
        if part.endswith('"*'):
            stem = part[1:-2].lower()
            part = "(" + " OR ".join(f"{f}:/{stem}.*/" for f in FTS_COLUMNS) + ")"
        parts.append(part)
    return " ".join(parts)


def tantivy_baseline(actions: list, folder: Path, rounds: int) -> dict:
    """Build a bare BM25 index (en_stem) over the FTS5 columns and time a top 20 plus the count per query."""
    try:
        import tantivy
    except ImportError:
        return {"tantivy": "not installed (.venv/bin/pip install tantivy)"}
    schema = tantivy.SchemaBuilder()
    schema.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in FTS_COLUMNS:
        schema.add_text_field(name, tokenizer_name="en_stem")
    started = time.perf_counter()
    index = tantivy.Index(schema.build(), path=str(folder))
    writer = index.writer(TANTIVY_HEAP, TANTIVY_THREADS)
    for a in actions:
        fields = (a.text, a.outcome, a.progress, "; ".join(a.owners), a.code)
        writer.add_document(tantivy.Document(id=a.id, **{k: v or "" for k, v in zip(FTS_COLUMNS, fields, strict=True)}))
    writer.commit()
    writer.wait_merging_threads()
    built = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    times, refused = [], 0
    for query in QUERIES * rounds:
        started = time.perf_counter()
        try:
            parsed = index.parse_query(
                tantivy_query(query),
                list(FTS_COLUMNS),
                field_boosts=TANTIVY_BOOSTS,
                conjunction_by_default=True,
                allow_regexes=True,
            )
            result = searcher.search(parsed, 20, count=True)
            [searcher.doc(address)["id"] for _, address in result.hits]
        except ValueError:
            refused += 1
        times.append(time.perf_counter() - started)
    p50, p95 = ms(times)
    return {"tantivy_index_s": built, "tantivy_p50_ms": p50, "tantivy_p95_ms": p95, "tantivy_refused": refused}


# --- recall of the injected pairs -----------------------------------------------------------------------------


def recall(truth: dict, index: LinkIndex, clusters: list) -> tuple[dict, list[str]]:
    kinds = {frozenset((link.source, link.target)): link for link in index.corpus.links}
    cluster_of = {m.id: n for n, c in enumerate(clusters) if c.kind == "duplicate" for m in c.members}
    found = {"duplicate": 0, "successor": 0}
    total = {"duplicate": 0, "successor": 0}
    misses = []
    for pair in truth["pairs"]:
        a, b, kind = pair["a"]["id"], pair["b"]["id"], pair["kind"]
        total[kind] += 1
        what = f"{kind}/{pair['scope']} {a} -> {b} (ratio {pair.get('ratio')})"
        if a not in index.actions or b not in index.actions:
            misses.append(f"{what}: not parsed")
            continue
        link = kinds.get(frozenset((a, b)))
        if kind == "duplicate":
            same = a in cluster_of and cluster_of[a] == cluster_of.get(b)
            if (link and link.kind == "duplicate") or same:
                found[kind] += 1
                continue
            misses.append(f"{what}: {f'{link.kind} link, score {link.score}' if link else 'no link'}")
        else:
            later = [e.action.id for e in trace(index, a, limit=TOP)]
            shown = later or [r.action.id for r in related_actions(index, a, limit=TOP)]
            if b in shown:
                found[kind] += 1
                continue
            where = f"{len(later)} in trace" if later else "trace empty, not in related top 10"
            misses.append(f"{what}: {where}; {f'{link.kind} link, score {link.score}' if link else 'no link'}")
    rates = {f"{k}_recall": round(found[k] / total[k], 4) if total[k] else None for k in found}
    counts = {f"{k}_{what}": n[k] for k in found for what, n in (("found", found), ("pairs", total))}
    return rates | counts, misses


# --- the run --------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> tuple[dict, list[str]]:
    data, generated = corpus_folder(args)
    truth = read_truth(data) if (data / "truth.json").is_file() else {"pairs": []}
    result: dict = {"size": args.size if not args.corpus else None, "seed": args.seed, "generate_s": generated}
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        store = Path(tmp) / "store"
        full = full_index(data, store)
        result.update({k: v for k, v in full.items() if k != "summary"})
        corpus = load_corpus(store)
        result.update(phases(corpus))
        result.update(documents=len(corpus.plans), actions=len(corpus.actions), links=len(corpus.links))
        result["duplicate_links"] = sum(link.kind == "duplicate" for link in corpus.links)
        result["problems"] = len(corpus.problems)

        started = time.perf_counter()
        index = LinkIndex(corpus)
        ids = sorted(index.actions)
        result["load_s"] = time.perf_counter() - started
        sample = random.Random(args.seed).sample(ids, min(QUERY_SAMPLE, len(ids)))
        for name, samples in graph_latency(index, sample).items():
            result[f"{name}_p50_ms"], result[f"{name}_p95_ms"] = ms(samples)
        runs, again = [], []
        for _ in range(max(1, args.rounds)):
            index.memo.clear()  # the listing is memoised per index: time the first listing of a fresh index
            started = time.perf_counter()
            clusters = duplicate_clusters(index)  # as the build stored them
            runs.append(time.perf_counter() - started)
            unstored = LinkIndex(replace(corpus, path=None))  # no build folder: the links are clustered again
            started = time.perf_counter()
            duplicate_clusters(unstored)
            again.append(time.perf_counter() - started)
        result["duplicates_s"], result["duplicate_clusters"] = min(runs), sum(c.kind == "duplicate" for c in clusters)
        result["duplicates_clustered_s"] = min(again)

        times, refused, backend = search_latency(corpus.path / "search", args.rounds)
        result["search_p50_ms"], result["search_p95_ms"] = ms(times)
        result.update(search_max_ms=max(times) * 1000, search_refused=refused, search_backend=backend)
        result["fts5_index_s"] = build_fts(corpus.actions, Path(tmp) / "fts.sqlite")
        times, refused = fts_latency(Path(tmp) / "fts.sqlite", args.rounds)
        (result["fts5_p50_ms"], result["fts5_p95_ms"]), result["fts5_refused"] = ms(times), refused
        (Path(tmp) / "tantivy").mkdir()
        result.update(tantivy_baseline(corpus.actions, Path(tmp) / "tantivy", args.rounds))

        rates, misses = recall(truth, index, clusters)
        result.update(rates)
    result["queries"], result["rounds"], result["sampled_actions"] = len(QUERIES), args.rounds, len(sample)
    return result, misses


ROWS = (
    ("corpus", "documents", "{} documents, {actions} actions, {links} links ({duplicate_links} duplicate), "
     "{problems} problems; {generate_s}"),
    ("graphkit index (subprocess)", "index_s", "{:.1f} s; peak RSS {peak_mem_mb:.0f} MB (largest process), "
     "{peak_tree_mb:.0f} MB (process tree)"),
    ("  phases (the build's manifest)", "parse_s", "parse {:.2f} s, links {links_s:.2f} s, graph {graph_s:.2f} s, "
     "clusters {clusters_s:.2f} s"),
    ("  search index", "search_index_s", "{:.2f} s ({search_backend})"),
    ("  writing the store", "write_s", "{:.2f} s"),
    ("search p50 / p95 / max", "search_p50_ms", "{:.1f} / {search_p95_ms:.1f} / {search_max_ms:.1f} ms "
     "({queries} queries x {rounds}, {search_refused} refused)"),
    ("  SQLite FTS5 baseline", "fts5_p50_ms", "{:.2f} / {fts5_p95_ms:.2f} ms (index {fts5_index_s:.2f} s)"),
    ("  tantivy baseline", "tantivy_p50_ms", "{:.2f} / {tantivy_p95_ms:.2f} ms (index {tantivy_index_s:.2f} s, "
     "{tantivy_refused} refused)"),
    ("related p50 / p95", "related_p50_ms", "{:.2f} / {related_p95_ms:.2f} ms over {sampled_actions} actions"),
    ("trace p50 / p95", "trace_p50_ms", "{:.2f} / {trace_p95_ms:.2f} ms"),
    ("duplicates listing", "duplicates_s", "{:.3f} s as stored ({duplicate_clusters} duplicate clusters); "
     "clustered again {duplicates_clustered_s:.3f} s"),
    ("duplicate recall", "duplicate_recall", "{} ({duplicate_found} of {duplicate_pairs} injected pairs)"),
    ("successor recall", "successor_recall", "{} ({successor_found} of {successor_pairs} injected pairs)"),
)  # fmt: skip


def report(result: dict, misses: list[str]) -> None:
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}")
    for label, key, template in ROWS:
        if key not in result:
            continue
        values = {k: ("-" if v is None else v) for k, v in result.items()}
        if key == "documents":
            generated = result["generate_s"]
            values["generate_s"] = f"generated in {generated:.1f} s" if generated is not None else "reused"
        print(f"{label.format(**values):<34} {template.format(values[key], **values)}")
    if "tantivy" in result:
        print(f"{'  tantivy baseline':<34} {result['tantivy']}")
    for miss in misses:
        print(f"  missed: {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="actions in the synthetic corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plan-size", type=int, default=100, help="about this many actions per plan")
    parser.add_argument("--pair-share", type=float, default=PAIR_SHARE, help="share of actions in injected pairs")
    parser.add_argument("--corpus", type=Path, help="benchmark this data folder instead of a synthetic one")
    parser.add_argument("--rounds", type=int, default=3, help="times each search query runs")
    parser.add_argument("--fresh", action="store_true", help="generate the corpus again even when cached")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON holding every number")
    args = parser.parse_args()
    result, misses = run(args)
    report(result, misses)
    if args.json:
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
