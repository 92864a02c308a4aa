"""Latency of the graph queries on a built store: related and trace for every action, dropped, duplicates.

    .venv/bin/graphkit index && .venv/bin/python bench/graph_queries.py [--store .graphkit]

Reports the time to load the store and build the link index, p50/p95 per query over all actions, and the
time to list dropped commitments and duplicate clusters. Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import p50_p95  # noqa: E402

from graphkit.duplicates import duplicate_clusters
from graphkit.queries import LinkIndex, dropped, related_actions, trace  # noqa: E402
from graphkit.store import default_store, load_corpus  # noqa: E402


def percentiles(samples: list[float]) -> str:
    p50, p95 = p50_p95(samples)
    return f"p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=default_store())
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = load_corpus(args.store)
    index = LinkIndex(corpus)
    loaded = time.perf_counter() - started
    timings: dict[str, list[float]] = {"related": [], "trace": []}
    for action in corpus.actions:
        for name, query in (("related", related_actions), ("trace", trace)):
            started = time.perf_counter()
            query(index, action.id)
            timings[name].append(time.perf_counter() - started)
    started = time.perf_counter()
    gone = dropped(index)
    dropped_s = time.perf_counter() - started
    started = time.perf_counter()
    clusters = duplicate_clusters(index)
    duplicates_s = time.perf_counter() - started
    print(f"store: {len(corpus.actions)} actions, {len(corpus.links)} links; load + index {loaded * 1000:.0f} ms")
    for name, samples in timings.items():
        print(f"{name}: {percentiles(samples)} over {len(samples)} actions")
    print(f"dropped: {len(gone)} commitments in {dropped_s * 1000:.0f} ms")
    print(f"duplicates: {len(clusters)} clusters in {duplicates_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
