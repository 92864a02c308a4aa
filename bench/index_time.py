"""Time `graphkit index` on the bundled plans (or --data DIR): best and median of N runs, each phase, peak memory.

    .venv/bin/python bench/index_time.py [--runs 5] [--data DIR]

Phases (best of the runs): parse (read, parse and normalise every document), links (score pairs, evidence),
graph (networkx), and the whole build including writing the store and its search index.

Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.build import build, index_document  # noqa: E402
from graphkit.catalogue import read_catalogue  # noqa: E402
from graphkit.cli.common import default_data  # noqa: E402
from graphkit.graph import build_graph  # noqa: E402
from graphkit.linking import find_links  # noqa: E402


def phases(data: Path) -> dict[str, float]:
    """Seconds for each phase of one index, run one after the other as `build` does."""
    plans = read_catalogue(data)
    started = time.perf_counter()
    actions = [a for plan in plans for a in index_document(data, plan).actions]
    parsed = time.perf_counter()
    links = find_links(actions)
    linked = time.perf_counter()
    build_graph(plans, actions, links)
    graphed = time.perf_counter()
    return {"parse": parsed - started, "links": linked - parsed, "graph": graphed - linked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=default_data())
    args = parser.parse_args()
    times = []
    actions = links = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            started = time.perf_counter()
            corpus = build(args.data, Path(tmp) / f"store{run}")
            times.append(time.perf_counter() - started)
            actions, links = len(corpus.actions), len(corpus.links)
    best = {}
    for _ in range(args.runs):
        for name, seconds in phases(args.data).items():
            best[name] = min(best.get(name, seconds), seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"index: {actions} actions, {links} links from {args.data}; best {min(times) * 1000:.0f} ms, "
        f"median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs; peak RSS {peak_mb:.0f} MB"
    )
    print("phases (best): " + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in best.items()))


if __name__ == "__main__":
    main()
