"""Scale of linking: `find_links` (and its phases), duplicate clusters, the graph, the link index and the
related/trace queries on in-memory synthetic corpora of growing size, so the growth with n can be read.

    .venv/bin/python bench/links_scale.py [--sizes 1000,3000,10000,32000] [--variants recombined,varied]

Two synthetic corpora (see `corpus`): "recombined" (bench/search.py's `synthetic`: whole sentences of the five
real plans recombined, so its actions share far more exact sentences than real plans do, a worst case for
candidate counts) and "varied" (the same, with a share of each sentence's words replaced by other words of the
real plans' vocabulary). Each also holds injected near-copies of some of its actions, placed in another plan;
their recall (the share linked to their original as duplicates) is reported. Each size runs in a fresh process,
so its peak RSS is its own. Numbers are reported, never asserted in tests.

Columns: find_links and its phases (terms: each action's terms, on every core; term model: TF-IDF and the
feature matrices; candidates: the term-index search; scores: every signal of the candidate pairs; picks: each
action's best candidates, rapidfuzz included; evidence: the kept links' evidence; link records: the Link
objects), the most actions a term may have to be searched (graphkit.candidates.most_actions), the candidate
pairs, links per action, injected near-copies found, "candidate recall@10" (for a sample of actions, the share
of their ten best partners by the full blend, scored against every action, that the search proposes), then
build_graph, LinkIndex, duplicate_clusters (seconds), related and trace latency over QUERY_SAMPLE actions, and
the peak RSS of the process and of its largest worker (which shares most of its pages with the process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import real_actions, synthetic  # noqa: E402
from timing import p50_p95  # noqa: E402

from graphkit.records import Action, Plan  # noqa: E402

VARIED_SHARE = 0.3  # the share of a sentence's words the varied corpus replaces
INJECTED_SHARE = 0.01  # this share of a corpus's actions gets a near-copy in another plan
INJECTED_EDITS = 0.1  # ...with this share of its words replaced
QUERY_SAMPLE = 500  # actions whose related and trace are timed
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def _replace_words(text: str | None, vocabulary: list[str], share: float, rng: random.Random) -> str | None:
    if not text:
        return text
    return WORD.sub(lambda m: rng.choice(vocabulary) if rng.random() < share else m.group(0), text)


def corpus(size: int, variant: str, seed: int = 2024) -> tuple[list[Plan], list[Action], list[tuple[str, str]]]:
    """Plans, actions and (original id, injected copy id) pairs of a synthetic corpus of `size` actions."""
    real = real_actions()
    rng = random.Random(seed)
    injected = max(1, round(INJECTED_SHARE * size))
    actions = synthetic(real, size - injected, seed)
    if variant == "varied":
        vocabulary = sorted({w for a in real for f in (a.text, a.outcome, a.progress) if f for w in WORD.findall(f)})
        actions = [
            replace(
                a,
                text=_replace_words(a.text, vocabulary, VARIED_SHARE, rng),
                outcome=_replace_words(a.outcome, vocabulary, VARIED_SHARE, rng),
                progress=_replace_words(a.progress, vocabulary, VARIED_SHARE, rng),
            )
            for a in actions
        ]
    vocabulary = sorted({w for a in actions[:2000] for w in WORD.findall(a.text or "")})
    pairs = []
    documents = sorted({a.document for a in actions})
    first = {}
    for a in actions:
        first.setdefault(a.document, a)
    for n, original in enumerate(rng.sample([a for a in actions if a.text and len(a.text) > 40], injected)):
        document = rng.choice([d for d in documents if d != original.document])
        home = first[document]
        copy = replace(
            original,
            id=f"{document}:D{n}",
            document=document,
            plan=home.plan,
            council=home.council,
            year=home.year,
            period=home.period,
            code=None,
            text=_replace_words(original.text, vocabulary, INJECTED_EDITS, rng),
            source=replace(original.source, document=document, file=f"{document}.txt"),
        )
        actions.append(copy)
        pairs.append((original.id, copy.id))
    plans = [Plan(d, f"{d}.txt", a.council, a.plan, "promise", a.year, a.period[1]) for d, a in sorted(first.items())]
    return plans, actions, pairs


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def candidate_recall(model, sample: int, top: int = 10, seed: int = 7) -> float:
    """For `sample` actions, the share of their `top` best partners by the full blend (scored against every
    action) that candidate generation proposes: what the search for candidates misses."""
    import numpy as np

    from graphkit.candidates import CANDIDATES_PER_LINK, candidate_pairs
    from graphkit.selection import caps

    n = len(model.actions)
    left, right = candidate_pairs(model, CANDIDATES_PER_LINK * caps(n)[0], model.workers)
    proposed = set((left * n + right).tolist())
    rng = random.Random(seed)
    found = total = 0
    for i in rng.sample(range(n), min(sample, n)):
        others = np.array([j for j in range(n) if j != i])
        mine = np.full(len(others), i)
        blend = model.blend(mine, others, model.pair_components(mine, others))
        for j in others[np.argsort(-blend, kind="stable")[:top]].tolist():
            total += 1
            found += (min(i, j) * n + max(i, j)) in proposed
    return found / max(total, 1)


def measure(size: int, variant: str, workers: int | None, recall_sample: int) -> dict:
    """Every figure of one corpus size, in this process."""
    from graphkit.duplicates import duplicate_clusters
    from graphkit.graph import build_graph
    from graphkit.linking import LinkModel
    from graphkit.queries import LinkIndex, related_actions, trace
    from graphkit.store import Corpus

    plans, actions, injected = corpus(size, variant)
    row: dict = {"size": len(actions), "variant": variant}
    started = time.perf_counter()
    model = LinkModel(actions, workers)
    links = model.links()
    row["find_links"] = time.perf_counter() - started
    row.update(model.timings)
    row.update(model.counts)
    row["links/action"] = len(links) / len(actions)
    kinds = {(link.source, link.target): link.kind for link in links}
    found = sum("duplicate" in (kinds.get((a, b)), kinds.get((b, a))) for a, b in injected)
    row["injected found"] = found / len(injected)
    row["rss after links MB"] = rss_mb()
    if recall_sample:
        row["candidate recall@10"] = candidate_recall(model, recall_sample)
    del model
    started = time.perf_counter()
    build_graph(plans, actions, links)
    row["build_graph"] = time.perf_counter() - started
    started = time.perf_counter()
    index = LinkIndex(Corpus(plans, actions, [], [], links=links))
    index.actions  # noqa: B018 - built on first use: counted here
    row["LinkIndex"] = time.perf_counter() - started
    started = time.perf_counter()
    clusters = duplicate_clusters(index)
    row["duplicates"] = time.perf_counter() - started
    row["clusters"] = len(clusters)
    rng = random.Random(11)
    sample = rng.sample([a.id for a in actions], min(QUERY_SAMPLE, len(actions)))
    for name, query in (("related", related_actions), ("trace", trace)):
        times = []
        for action_id in sample:
            started = time.perf_counter()
            query(index, action_id)
            times.append(time.perf_counter() - started)
        row[f"{name} p50 ms"], row[f"{name} p95 ms"] = (1000 * t for t in p50_p95(times))
    row["peak RSS MB"] = rss_mb()
    row["peak RSS workers MB"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return row


COLUMNS = [
    ("size", "{:>7}"), ("find_links", "{:7.1f}"), ("terms", "{:6.1f}"), ("term model", "{:6.1f}"),
    ("candidates", "{:6.1f}"), ("scores", "{:6.1f}"), ("picks", "{:6.1f}"), ("evidence", "{:6.1f}"),
    ("link records", "{:6.1f}"), ("most actions of a searched term", "{:>6}"), ("candidate pairs", "{:>9}"),
    ("links/action", "{:6.1f}"), ("injected found", "{:6.2f}"), ("candidate recall@10", "{:6.3f}"),
    ("build_graph", "{:6.2f}"), ("LinkIndex", "{:6.2f}"), ("duplicates", "{:6.2f}"), ("related p50 ms", "{:6.2f}"),
    ("related p95 ms", "{:6.2f}"), ("trace p50 ms", "{:6.2f}"), ("trace p95 ms", "{:6.2f}"),
    ("peak RSS MB", "{:7.0f}"), ("peak RSS workers MB", "{:7.0f}"),
]  # fmt: skip


def table(rows: list[dict]) -> str:
    """The rows as a text table: seconds unless the column says otherwise."""
    names = [name for name, _ in COLUMNS if any(name in row for row in rows)]
    lines = [" | ".join(names)]
    for row in rows:
        formats = dict(COLUMNS)
        lines.append(" | ".join(formats[name].format(row[name]) if name in row else "-" for name in names))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000,32000", help="corpus sizes, comma-separated")
    parser.add_argument("--variants", default="recombined,varied", help="recombined and/or varied")
    parser.add_argument("--workers", type=int, default=None, help="processes for linking (default: the cores)")
    parser.add_argument("--recall-sample", type=int, default=30, help="actions whose candidates are checked")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # size:variant, run in this process (a child's job)
    args = parser.parse_args()
    if args.one:
        size, variant = args.one.split(":")
        print(json.dumps(measure(int(size), variant, args.workers, args.recall_sample)))
        return
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores")
    for variant in args.variants.split(","):
        rows = []
        for size in args.sizes.split(","):
            command = [
                sys.executable,
                __file__,
                "--one",
                f"{size}:{variant}",
                "--recall-sample",
                str(args.recall_sample),
            ]
            command += ["--workers", str(args.workers)] if args.workers else []
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{variant} {size} failed:\n{done.stderr}")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{variant} {size}: done", file=sys.stderr)
        print(f"\n{variant} corpus (seconds unless marked)")
        print(table(rows))


if __name__ == "__main__":
    main()
