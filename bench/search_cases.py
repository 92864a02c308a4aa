"""Search quality on a case file of hand-read queries: how many must-find actions each backend puts in the top 20,
how many queries find all of theirs, and each query's misses.

    .venv/bin/python bench/search_cases.py [CASES] [--backends whoosh,tantivy] [--top 20] [--exact]

CASES defaults to tests/cases/queries.json; any file of the same form works: ``{"queries": [{"query": ...,
"must": [{"id": ...}, ...]}, ...], "absent": [...]}`` (``absent``, optional: queries no plan covers, whose
all-word matches are counted). The index is written from the bundled plans (data/) into a temporary folder, one
per backend. Numbers are reported, never asserted here (tests/test_search_cases.py holds the floor).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.build import index_document  # noqa: E402
from graphkit.catalogue import read_catalogue  # noqa: E402
from graphkit.cli.common import default_data  # noqa: E402
from indexer.search import open_index, search, write_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def measure(folder: Path, cases: dict, top: int, exact: bool) -> list[str]:
    """The report lines of one index on one case file."""
    lines = []
    found = must_total = complete = 0
    with open_index(folder) as index:
        for case in cases["queries"]:
            wanted = [m["id"] for m in case["must"]]
            hits = [h.id for h in search(index, case["query"], limit=top, exact=exact).hits]
            missed = [m for m in wanted if m not in hits]
            found += len(wanted) - len(missed)
            must_total += len(wanted)
            complete += not missed
            if missed:
                lines.append(f"  miss  {case['query']!r}: {len(missed)} of {len(wanted)}: {', '.join(missed)}")
        absent = [a["query"] if isinstance(a, dict) else a for a in cases.get("absent", [])]
        matched = [q for q in absent if search(index, q, limit=1, exact=exact).total]
    lines.insert(0, f"  must-find actions in the top {top}: {found} of {must_total}")
    lines.insert(1, f"  queries finding all of theirs: {complete} of {len(cases['queries'])}")
    if absent:
        told = f": {', '.join(repr(q) for q in matched)}" if matched else ""
        lines.insert(2, f"  uncovered topics with an all-word match: {len(matched)} of {len(absent)}{told}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="?", type=Path, default=ROOT / "tests" / "cases" / "queries.json")
    parser.add_argument("--backends", default="whoosh,tantivy")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--exact", action="store_true", help="search with --exact")
    args = parser.parse_args()
    cases = json.loads(args.cases.read_text(encoding="utf-8"))
    data = default_data()
    plans = read_catalogue(data)
    actions = [a for plan in plans for a in index_document(data, plan).actions]
    print(f"{args.cases.name}: {len(cases['queries'])} queries, {len(actions)} actions")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            folder = write_index(actions, plans, Path(tmp) / backend, backend)
            print(backend)
            for line in measure(folder, cases, args.top, args.exact):
                print(line)


if __name__ == "__main__":
    main()
