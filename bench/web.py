"""Time to serve the web pages on a built store: search, action, graph, duplicates and browse pages, and /api/ twins.

    .venv/bin/graphkit index && .venv/bin/python bench/web.py [--store .graphkit] [--rounds 3] [--sample N]

Two ways, both on the store's current build:
- in process (Flask's test client): the app's own time, rendering included;
- over HTTP to `graphkit serve`'s server (waitress, 4 threads) on 127.0.0.1, one request at a time, as a browser
  asks for a page.

Searches are the examples' and the tests' queries; action and graph pages are every action of the corpus, or
`--sample` of them (a large synthetic store, bench/run.py's); duplicates pages are the listing and each scope and
council filter; browse pages are every plan, the themes and owners lists and each theme. Reports p50/p95 per page
kind and the first request (which opens the build). Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import waitress  # noqa: E402
from timing import p50_p95  # noqa: E402

from graphkit.store import default_store, load_corpus  # noqa: E402
from web import create_app  # noqa: E402

QUERIES = (
    "advocacy", "brothers and sisters", "CECYP", "mental health", "kinship care", '"corporate parent"',
    "training", "children", "housing OR homelessness", "trauma-informed", "attend*", "GIRFEC -training",
    "family support", "exclusion", "youth justice", "independent advocacy",
)  # fmt: skip


def percentiles(samples: list[float]) -> str:
    p50, p95 = p50_p95(samples)
    return f"p50 {p50 * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms (n={len(samples)})"


def urls(store: Path, sample: int | None) -> dict[str, list[str]]:
    corpus = load_corpus(store)
    ids = [urllib.parse.quote(a.id, safe=":") for a in corpus.actions]
    if sample is not None and sample < len(ids):
        ids = random.Random(1).sample(ids, sample)
    searches = [f"?{urllib.parse.urlencode({'q': q})}" for q in QUERIES]
    councils = sorted({p.council for p in corpus.plans})
    filters = [f"?scope={scope}" for scope in ("within_plan", "cross_plan", "cross_council")]
    filters += [f"?{urllib.parse.urlencode({'council': c})}" for c in councils[:8]]
    themes = sorted({t for a in corpus.actions for t in a.themes})
    return {
        "search page": [f"/search{s}" for s in searches],
        "/api/search": [f"/api/search{s}" for s in searches],
        "action page": [f"/actions/{i}" for i in ids],
        "/api/actions/<id>": [f"/api/actions/{i}" for i in ids],
        "graph page": [f"/graph/{i}" for i in ids[:200]],
        "duplicates page": ["/duplicates"],
        "duplicates filtered": [f"/duplicates{f}" for f in filters],
        "plan page": [f"/plans/{urllib.parse.quote(p.id)}" for p in corpus.plans[:50]],
        "browse lists": ["/plans", "/themes", "/owners"],
        "theme page": [f"/themes/{urllib.parse.quote(t)}" for t in themes[:20]],
    }


def measure(get: Callable[[str], int], pages: dict[str, list[str]], rounds: int) -> None:
    for name, addresses in pages.items():
        samples = []
        for _ in range(rounds):
            for address in addresses:
                started = time.perf_counter()
                status = get(address)
                samples.append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"{address}: HTTP {status}")
        print(f"  {name:<18} {percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=default_store())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=None, help="time this many actions' pages (default: all)")
    args = parser.parse_args()
    pages = urls(args.store, args.sample)
    app = create_app({"GRAPHKIT_STORE": str(args.store)})

    client = app.test_client()
    started = time.perf_counter()
    client.get("/")
    print(f"first request (opens the build): {(time.perf_counter() - started) * 1000:.0f} ms")
    print("in process (Flask test client):")
    measure(lambda address: client.get(address).status_code, pages, args.rounds)

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"

    def fetch(address: str) -> int:
        with urllib.request.urlopen(base + address) as response:
            response.read()
            return response.status

    print(f"over HTTP (waitress, 4 threads, {base}):")
    measure(fetch, pages, args.rounds)
    server.close()


if __name__ == "__main__":
    main()
