"""Score `trace`, `related` and `dropped` on every hand-read case file, tuning and held-out alike.

    .venv/bin/graphkit index                                   # the store this reads (./.graphkit)
    .venv/bin/python bench/links_cases.py [--store .graphkit] [--cases FILE ...] [--json]

With no --cases it reads every file of tests/cases/ that holds traces or pairs: traces.json and overlaps.json (the
weights and thresholds were set on them), holdout.json (written for a final check, never tuned on) and any other
`*.json` there with `traces` (for example a later held-out set). examples.json (shared/'s worked examples) is
scored too. Numbers are reported, never asserted: the tests keep their own floors.

For a trace case file (`traces`: a probe, its `direction` when given, its `equivalents` with `strength` strong or
partial, and optionally `not`: look-alikes that are not the same commitment):

- strong@1 / strong@3: probes with a strong equivalent that `trace` ranks first / in its top 3;
- MRR: the mean of 1 / rank of the first strong equivalent in `trace` (0 when `trace` does not list one);
- any@3: probes with any equivalent (strong or partial) in the top 3;
- labelled: probes whose first strong equivalent `trace` also labels `strong`;
- look-alikes: `not` pairs that `trace` labels strong, or ranks above every strong equivalent;
- strong labels right: of the actions `trace` labels strong in the probe's direction, those the readers call strong;
- dropped: forward probes with no equivalent that `dropped --year` (the probe's year) lists, and forward probes
  with one that it lists wrongly.

For a pair file (`pairs` with a, b): pairs that are in each other's `related` top 10.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.queries import LinkIndex, UnknownAction, copies_of, dropped, related_actions, trace  # noqa: E402
from graphkit.store import default_store, load_corpus  # noqa: E402

CASES = ROOT / "tests" / "cases"
TOP = 3
TOP_RELATED = 10
TRACE_LIMIT = 50  # deep enough that a strong equivalent's rank is seen, not cut off
NOT_CASE_FILES = ("queries.json", "queries-holdout.json")  # search cases (bench/search_cases.py)


def case_files() -> list[Path]:
    """Every case file of tests/cases/ that holds traces or pairs, the tuning files first."""
    first = [CASES / name for name in ("traces.json", "overlaps.json", "examples.json", "holdout.json")]
    rest = sorted(p for p in CASES.glob("*.json") if p not in first and p.name not in NOT_CASE_FILES)
    return [p for p in first + rest if p.is_file()]


def score_traces(index: LinkIndex, traces: list[dict]) -> dict:
    """The trace figures of one case file (see the module docstring), overall and by direction."""
    groups: dict[str, list[dict]] = {"all": traces}
    for case in traces:
        groups.setdefault(case.get("direction") or "later", []).append(case)
    return {name: _trace_figures(index, cases) for name, cases in groups.items()}


def _trace_figures(index: LinkIndex, traces: Iterable[dict]) -> dict:
    strong_probes = at1 = at3 = any3 = labelled = with_any = 0
    reciprocal = 0.0
    look_alikes = look_alikes_wrong = labels = labels_right = 0
    missing: list[str] = []
    for case in traces:
        probe = case["probe"]["id"]
        try:
            steps = trace(index, probe, limit=TRACE_LIMIT)
        except UnknownAction:
            missing.append(probe)
            continue
        ranked = [s.action.id for s in steps]
        strong = {e["id"] for e in case["equivalents"] if e["strength"] == "strong"}
        every = {e["id"] for e in case["equivalents"]}
        if every:
            with_any += 1
            any3 += bool(every & set(ranked[:TOP]))
        first_strong = next((i for i, a in enumerate(ranked) if a in strong), None)
        if strong:
            strong_probes += 1
            if first_strong is not None:
                reciprocal += 1 / (first_strong + 1)
                at1 += first_strong == 0
                at3 += first_strong < TOP
                labelled += steps[first_strong].strength == "strong"
        direction = case.get("direction") or "later"
        said = {s.action.id for s in steps if s.strength == "strong" and s.direction == direction}
        labels += len(said)
        labels_right += len(said & strong)
        for wrong in case.get("not", ()):
            look_alikes += 1
            step = next((s for s in steps if s.action.id == wrong["id"]), None)
            above = step is not None and (first_strong is None or ranked.index(wrong["id"]) < first_strong)
            look_alikes_wrong += step is not None and (step.strength == "strong" or (bool(strong) and above))
    return {
        "probes_with_strong": strong_probes,
        "strong_at_1": at1,
        "strong_at_3": at3,
        "mrr": round(reciprocal / strong_probes, 3) if strong_probes else None,
        "labelled_strong": labelled,
        "probes_with_any": with_any,
        "any_at_3": any3,
        "look_alikes": look_alikes,
        "look_alikes_wrong": look_alikes_wrong,
        "strong_labels": labels,
        "strong_labels_right": labels_right,
        "unknown_probes": missing,
    }


def score_dropped(index: LinkIndex, traces: list[dict]) -> dict:
    """How `dropped` agrees with the readers on the forward probes of one case file."""
    forward = [c for c in traces if (c.get("direction") or "later") == "later"]
    years = {index.actions[c["probe"]["id"]].year for c in forward if c["probe"]["id"] in index.actions}
    listed = {a.id for year in years for a in dropped(index, year)}  # each probe against its own plan's year
    listed |= {c.id for a in list(listed) for c in copies_of(index, a)}  # a copy is listed once, for both
    gone = [c["probe"]["id"] for c in forward if not c["equivalents"] or c.get("dropped")]
    kept = [c["probe"]["id"] for c in forward if c["equivalents"] and not c.get("dropped")]
    return {
        "readers_dropped": len(gone),
        "listed_of_readers_dropped": sum(p in listed for p in gone),
        "readers_kept": len(kept),
        "listed_of_readers_kept": sum(p in listed for p in kept),
    }


def score_pairs(index: LinkIndex, pairs: list[dict]) -> dict:
    """Pairs that are in each other's related top 10."""
    mutual = 0
    for pair in pairs:
        top_a = {r.action.id for r in related_actions(index, pair["a"], TOP_RELATED)}
        top_b = {r.action.id for r in related_actions(index, pair["b"], TOP_RELATED)}
        mutual += pair["b"] in top_a and pair["a"] in top_b
    return {"pairs": len(pairs), "mutual_top_10": mutual}


def examples_as_cases(index: LinkIndex, examples: dict) -> tuple[list[dict], list[dict]]:
    """shared/examples.json's traces and overlap groups, with their references resolved to action ids."""
    traces = [
        {
            "probe": {"id": resolve(index, case["probe"])},
            "direction": "later",
            "equivalents": [{"id": resolve(index, e), "strength": e["strength"]} for e in case["equivalents"]],
        }
        for case in examples.get("trace", [])
    ]
    pairs = []
    for group in examples.get("overlaps", []):
        members = [resolve(index, m) for m in group["members"]]
        pairs += [{"a": members[0], "b": other} for other in members[1:]]
    return traces, pairs


def resolve(index: LinkIndex, ref: dict) -> str:
    """An examples.json reference ({file, code} or {file, quote}) -> action id ('?' when none fits)."""
    actions = [a for a in index.corpus.actions if a.source.file == ref["file"]]
    if ref.get("code"):
        want = _code(ref["code"])
        found = [a for a in actions if _code(a.code) in (want, "CPC" + want)]
        if found:
            return found[0].id
    quote = _flat(ref.get("unique_quote") or ref.get("quote"))
    found = [a for a in actions if quote and quote in _flat(" ".join(filter(None, (a.text, a.progress))))]
    return found[0].id if found else "?"


def _code(code: str | None) -> str:
    return re.sub(r"[\s_-]+", "", code or "").upper()


def _flat(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


def score_file(index: LinkIndex, path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    result: dict = {"file": path.name}
    traces, pairs = data.get("traces", []), data.get("pairs", [])
    if path.name == "examples.json":
        traces, pairs = examples_as_cases(index, data)
    if traces:
        result["trace"] = score_traces(index, traces)
        result["dropped"] = score_dropped(index, traces)
    if pairs:
        result["related"] = score_pairs(index, pairs)
    return result


def table(results: list[dict]) -> str:
    """A markdown table: one row per case file and direction."""
    head = (
        "| case file | probes | strong first | strong in top 3 | MRR | labelled strong | any in top 3 "
        "| look-alikes wrong | strong labels right | dropped found | dropped wrongly | related pairs mutual top 10 |"
    )
    rows = [head, "|" + "---|" * 12]
    for result in results:
        trace_groups = result.get("trace", {"all": None})
        for name, t in trace_groups.items():
            if name != "all" and len(trace_groups) <= 2:
                continue  # one direction only: its row is the file's row
            label = result["file"] + ("" if name == "all" else f" ({name})")
            cells = [label]
            if t:
                n = t["probes_with_strong"]
                cells += [
                    str(n),
                    f"{t['strong_at_1']} ({_pct(t['strong_at_1'], n)})",
                    f"{t['strong_at_3']} ({_pct(t['strong_at_3'], n)})",
                    f"{t['mrr']}",
                    f"{t['labelled_strong']} of {n}",
                    f"{t['any_at_3']} of {t['probes_with_any']}",
                    f"{t['look_alikes_wrong']} of {t['look_alikes']}" if t["look_alikes"] else "",
                    f"{t['strong_labels_right']} of {t['strong_labels']}",
                ]
            else:
                cells += [""] * 8
            d = result.get("dropped") if name == "all" else None
            cells += (
                [
                    f"{d['listed_of_readers_dropped']} of {d['readers_dropped']}",
                    f"{d['listed_of_readers_kept']} of {d['readers_kept']}",
                ]
                if d
                else ["", ""]
            )
            r = result.get("related") if name == "all" else None
            cells.append(f"{r['mutual_top_10']} of {r['pairs']}" if r else "")
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="the store to read (default: ./.graphkit)")
    parser.add_argument("--cases", type=Path, nargs="*", help="case files (default: every one in tests/cases/)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    index = LinkIndex(load_corpus(args.store or default_store()))
    results = [score_file(index, path) for path in (args.cases or case_files())]
    print(json.dumps(results, indent=1) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
