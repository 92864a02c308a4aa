"""Time `graphkit index` on the bundled plans (or --data DIR): best and median of N runs, and peak memory.

    .venv/bin/python bench/index_time.py [--runs 5] [--data DIR]

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

from graphkit.build import build  # noqa: E402
from graphkit.cli import default_data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=default_data())
    args = parser.parse_args()
    times = []
    actions = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            started = time.perf_counter()
            corpus = build(args.data, Path(tmp) / f"store{run}")
            times.append(time.perf_counter() - started)
            actions = len(corpus.actions)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"index: {actions} actions from {args.data}; best {min(times) * 1000:.0f} ms, "
        f"median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs; peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
