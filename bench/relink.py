"""How much an incremental `graphkit index` saves, and how far its links drift from a full build's (graphkit.relink).

    .venv/bin/python bench/relink.py [--size 32000] [--plans 1] [--steps 1] [--seed 1] [--json]

On a synthetic corpus (bench/corpus.py, cached in bench/.corpus/ as bench/run.py caches it), leaves `--plans` x
`--steps` documents out of the catalogue and indexes the rest in full; then adds them back, `--plans` at a time, with
one `graphkit index` each (incremental: the others' links are kept); then indexes the whole corpus again with
`--full` into another store. It reports the seconds of each index and, between the last incremental build and the
full one:

- the links: how many of the full build's pairs the incremental build has, and how many of its own the full build
  has; of the pairs both have, the share with the same kind, and the mean, p95 and largest score difference;
- the same for the links of the added documents' actions only;
- `related` top 10: the mean share of the full build's ten that the incremental build also shows, for the added
  actions and for a sample of the others;
- recall of the injected duplicates and successors (as bench/run.py counts them) in both builds.

With `--json` the last line is one JSON object of the numbers. Numbers are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import TOP, corpus_folder, full_index, recall  # noqa: E402

from graphkit.duplicates import duplicate_clusters  # noqa: E402
from graphkit.queries import LinkIndex, related_actions  # noqa: E402
from graphkit.store import load_corpus  # noqa: E402

SAMPLE = 500  # unchanged actions whose related top 10 are compared


def catalogue_rows(data: Path) -> tuple[list[str], list[dict]]:
    with (data / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_catalogue(data: Path, fields: list[str], rows: list[dict]) -> None:
    with (data / "catalogue.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def compare_links(incremental: list, full: list) -> dict:
    """How two builds' links agree: pairs found each way, kinds and scores of the pairs both have."""
    mine = {frozenset((x.source, x.target)): x for x in incremental}
    theirs = {frozenset((x.source, x.target)): x for x in full}
    both = mine.keys() & theirs.keys()
    gaps = sorted(abs(mine[k].score - theirs[k].score) for k in both)
    return {
        "links": len(mine),
        "full_links": len(theirs),
        "full_found": round(len(both) / len(theirs), 4) if theirs else None,
        "kept_in_full": round(len(both) / len(mine), 4) if mine else None,
        "same_kind": round(sum(mine[k].kind == theirs[k].kind for k in both) / len(both), 4) if both else None,
        "score_gap_mean": round(sum(gaps) / len(gaps), 4) if gaps else None,
        "score_gap_p95": gaps[int(0.95 * (len(gaps) - 1))] if gaps else None,
        "score_gap_max": gaps[-1] if gaps else None,
    }


def related_overlap(incremental: LinkIndex, full: LinkIndex, ids: list[str]) -> float | None:
    """The mean share of the full build's `related` top 10 that the incremental build also shows."""
    shares = []
    for action in ids:
        theirs = {r.action.id for r in related_actions(full, action, limit=TOP)}
        if theirs:
            mine = {r.action.id for r in related_actions(incremental, action, limit=TOP)}
            shares.append(len(mine & theirs) / len(theirs))
    return round(sum(shares) / len(shares), 4) if shares else None


def run(args: argparse.Namespace) -> dict:
    source, _ = corpus_folder(args)
    truth = json.loads((source / "truth.json").read_text(encoding="utf-8"))
    fields, rows = catalogue_rows(source)
    added = random.Random(args.seed).sample(range(len(rows)), args.plans * args.steps)
    result: dict = {"size": args.size, "documents": len(rows), "plans": args.plans, "steps": args.steps}
    with tempfile.TemporaryDirectory(prefix="graphkit-relink-") as tmp:
        data, store, full_store = Path(tmp) / "data", Path(tmp) / "store", Path(tmp) / "full"
        data.mkdir()
        (data / "plans").symlink_to((source / "plans").resolve())
        write_catalogue(data, fields, [r for k, r in enumerate(rows) if k not in added])
        result["base_index_s"] = round(full_index(data, store)["index_s"], 1)
        steps = []
        for step in range(args.steps):
            present = set(added[(step + 1) * args.plans :])
            write_catalogue(data, fields, [r for k, r in enumerate(rows) if k not in present])
            ran = full_index(data, store)
            manifest = load_corpus(store).manifest
            steps.append(
                {
                    "index_s": round(ran["index_s"], 1),
                    "peak_mem_mb": round(ran["peak_mem_mb"]),
                    "linking": manifest["linking"]["mode"],
                    "share": manifest["linking"]["share"],
                    "timings": manifest["timings"],
                }
            )
        result["runs"] = steps
        ran = full_index(data, full_store)
        result["full_index_s"] = round(ran["index_s"], 1)
        result["full_timings"] = load_corpus(full_store).manifest["timings"]

        incremental, full = LinkIndex(load_corpus(store)), LinkIndex(load_corpus(full_store))
        new_documents = {rows[k]["id"] for k in added}
        new_ids = sorted(a for a, action in incremental.actions.items() if action.document in new_documents)
        result |= compare_links(incremental.corpus.links, full.corpus.links)
        touching = [x for x in incremental.corpus.links if {x.source, x.target} & set(new_ids)]
        full_touching = [x for x in full.corpus.links if {x.source, x.target} & set(new_ids)]
        result["added"] = compare_links(touching, full_touching) | {"actions": len(new_ids)}
        others = sorted(set(incremental.actions) - set(new_ids))
        sample = random.Random(args.seed).sample(others, min(SAMPLE, len(others)))
        result["related_overlap_added"] = related_overlap(incremental, full, new_ids)
        result["related_overlap_others"] = related_overlap(incremental, full, sample)
        for name, index in (("incremental", incremental), ("full", full)):
            rates, _ = recall(truth, index, duplicate_clusters(index))
            result[f"{name}_recall"] = rates
            pairs = [p for p in truth["pairs"] if p["a"]["id"] in new_ids or p["b"]["id"] in new_ids]
            rates, _ = recall({"pairs": pairs}, index, duplicate_clusters(index))
            result[f"{name}_recall_added"] = rates
        if args.keep:
            shutil.copytree(tmp, args.keep, symlinks=True, dirs_exist_ok=True)
    return result


def report(result: dict) -> None:
    print(f"corpus: {result['size']} actions, {result['documents']} documents; added {result['plans']} x "
          f"{result['steps']} documents ({result['added']['actions']} actions)")  # fmt: skip
    print(f"index without them: {result['base_index_s']} s")
    for k, step in enumerate(result["runs"], 1):
        timings = ", ".join(f"{phase} {value:.1f}" for phase, value in step["timings"].items())
        print(f"step {k}: {step['index_s']} s, {step['linking']} (share {step['share']:.2%}); {timings}")
    timings = ", ".join(f"{phase} {value:.1f}" for phase, value in result["full_timings"].items())
    print(f"--full index of the whole corpus: {result['full_index_s']} s; {timings}")
    for label, part in (("all links", result), ("links of the added actions", result["added"])):
        print(f"{label}: {part['links']} incremental, {part['full_links']} full; full pairs found "
              f"{part['full_found']}, incremental pairs in full {part['kept_in_full']}, same kind "
              f"{part['same_kind']}; score gap mean {part['score_gap_mean']}, p95 {part['score_gap_p95']}, "
              f"max {part['score_gap_max']}")  # fmt: skip
    print(f"related top {TOP} shared with full: added {result['related_overlap_added']}, "
          f"others {result['related_overlap_others']}")  # fmt: skip
    for name in ("incremental", "full"):
        rates, added = result[f"{name}_recall"], result[f"{name}_recall_added"]
        print(f"{name} recall: duplicates {rates['duplicate_recall']}, successors {rates['successor_recall']}; "
              f"pairs of the added documents: {added['duplicate_found']}/{added['duplicate_pairs']}, "
              f"{added['successor_found']}/{added['successor_pairs']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=32_000)
    parser.add_argument("--plans", type=int, default=1, help="documents added per step")
    parser.add_argument("--steps", type=int, default=1, help="incremental indexes, one after the other")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plan-size", type=int, default=100)
    parser.add_argument("--pair-share", type=float, default=0.035)
    parser.add_argument("--keep", type=Path, help="copy the stores and data here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.corpus, args.fresh = None, False
    result = run(args)
    report(result)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
