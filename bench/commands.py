"""Time what a person waits for: whole `graphkit` processes, start-up included, with their peak memory.

    .venv/bin/graphkit index                                    # the store this reads (./.graphkit)
    .venv/bin/python bench/commands.py [--store DIR] [--runs 5] [--id ID] [--document DOC] [--json]

Each command runs `--runs` times as its own process (the installed `graphkit` script next to this interpreter);
the report gives the median and the slowest wall time and the median peak resident memory of the process
(`os.wait4`'s rusage, as `/usr/bin/time` reports it). The action asked about is `--id` (default: the store's
first action with links) and the plan `--document` (default: that action's). Numbers are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

DATABASE = "graphkit.sqlite"


def graphkit() -> str:
    script = Path(sys.executable).with_name("graphkit")
    return str(script) if script.exists() else "graphkit"


def run_once(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, process.returncode


def measure(args: list[str], runs: int) -> dict:
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak, status = run_once(args)
        if status != 0:
            raise SystemExit(f"{' '.join(args)} exited {status}")
        walls.append(wall)
        peaks.append(peak)
    return {
        "median_s": round(statistics.median(walls), 3),
        "max_s": round(max(walls), 3),
        "median_peak_mb": round(statistics.median(peaks), 1),
    }


def probe(store: Path) -> tuple[str, str, int]:
    """An action with links, its document, and the number of actions in the store."""
    with sqlite3.connect(f"{(store / 'current' / DATABASE).resolve().as_uri()}?mode=ro", uri=True) as db:
        action_id, document = db.execute(
            "SELECT id, document FROM actions WHERE id IN (SELECT source FROM links) ORDER BY position LIMIT 1"
        ).fetchone()
        (count,) = db.execute("SELECT count(*) FROM actions").fetchone()
    return action_id, document, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=Path(".graphkit"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--id", dest="action_id", default=None, help="the action to ask about")
    parser.add_argument("--document", default=None, help="the plan to list")
    parser.add_argument("--query", default="advocacy", help="the search to run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    action_id, document, count = probe(args.store)
    action_id, document = args.action_id or action_id, args.document or document
    exe, store = graphkit(), ["--store", str(args.store)]
    commands = {
        "graphkit --help": [exe, "--help"],
        "graphkit --version": [exe, "--version"],
        f"graphkit related {action_id}": [exe, "related", action_id, *store],
        f"graphkit trace {action_id}": [exe, "trace", action_id, *store],
        f"graphkit search {args.query}": [exe, "search", args.query, *store],
        f"graphkit actions --document {document}": [exe, "actions", "--document", document, *store],
    }
    results = {name: measure(command, args.runs) for name, command in commands.items()}
    if args.json:
        print(json.dumps({"actions": count, "runs": args.runs, "commands": results}))
        return 0
    print(f"{count:,} actions, {args.runs} runs each")
    print("| command | median | slowest | peak memory |")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| `{name}` | {r['median_s']:.2f} s | {r['max_s']:.2f} s | {r['median_peak_mb']:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
