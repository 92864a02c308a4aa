"""Score the reading of plans in unseen layouts against facts a person wrote: `python bench/layouts.py DIR [-v]`.

DIR holds plans (`NAME.<ext>`, any type graphkit reads) each beside `NAME.facts.json`:
`{"file", "council", "title", "years": [start, end], "actions": [{"text", "owner", "due", "status", "outcome"}]}`
with the printed wording. Every plan is read as `graphkit index` reads a plan without a parser of its own
(`graphkit.documents.index_file`), and its actions are matched one to one with the printed ones by text
(rapidfuzz, best pairs first, at least MATCH_SCORE). Per file and in total:

- found: printed actions matched by an action read with the right text;
- extra / split: actions read that match no printed action (a wrapped line read as an action, narrative read as a
  commitment, one action split in two), as a share of the printed actions;
- owners: of the matched actions whose owner is printed, those whose owner text matches it (separators and case
  aside); dates: of those whose deadline is printed, those read as the same date (`indexer.fields.parse_due`), or,
  for words with no date ("Ongoing"), the same words; status likewise on the one status scale.

The targets (issue 14): found >= 90%, extra or split <= 10%, owners and dates right for >= 90% of those printed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.documents import index_file  # noqa: E402
from graphkit.records import Action, Plan  # noqa: E402
from indexer.fields import parse_due, status_from_text  # noqa: E402

MATCH_SCORE = 85  # rapidfuzz ratio (0-100) on lower-cased, space-folded texts
OWNER_SCORE = 85


def fold(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w'’&]+", " ", (text or "").lower()).split())


@dataclass
class Score:
    name: str
    printed: int = 0
    found: int = 0
    read: int = 0
    extra: int = 0
    owners_printed: int = 0
    owners_right: int = 0
    dates_printed: int = 0
    dates_right: int = 0
    status_printed: int = 0
    status_right: int = 0
    error: str = ""
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("printed", "found", "read", "extra", "owners_printed", "owners_right", "dates_printed",
                     "dates_right", "status_printed", "status_right"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


def owner_right(printed: str, action: Action) -> bool:
    got = action.owners_text or "; ".join(action.owners)
    return fuzz.ratio(fold(printed), fold(got)) >= OWNER_SCORE


def date_right(printed: str, action: Action) -> bool:
    iso = parse_due(printed)
    if iso is not None:
        return action.due == iso
    return fold(printed) in fold(action.due_text) and bool(fold(printed))


def match(facts: list[dict], actions: list[Action]) -> list[tuple[int, int]]:
    """One-to-one pairs (fact index, action index), best text matches first."""
    pairs = []
    for i, fact in enumerate(facts):
        for j, action in enumerate(actions):
            score = fuzz.ratio(fold(fact["text"]), fold(action.text))
            if score >= MATCH_SCORE:
                pairs.append((score, i, j))
    taken_f: set[int] = set()
    taken_a: set[int] = set()
    chosen = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in taken_f and j not in taken_a:
            taken_f.add(i)
            taken_a.add(j)
            chosen.append((i, j))
    return chosen


def score_file(facts_path: Path) -> Score:
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    path = facts_path.parent / facts["file"]
    name = path.name
    start, end = facts.get("years") or (2020, 2020)
    plan = Plan("bench-" + re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-"), name, facts.get("council", ""),
                facts.get("title", name), "plan", int(start), int(end))  # fmt: skip
    outcome = index_file(path, plan)
    printed = facts["actions"]
    score = Score(name, printed=len(printed), read=len(outcome.actions))
    if not outcome.indexed:
        score.error = "; ".join(p.reason for p in outcome.problems if p.severity == "error")
    pairs = match(printed, outcome.actions)
    score.found = len(pairs)
    score.extra = len(outcome.actions) - len(pairs)
    matched = dict(pairs)
    for i, fact in enumerate(printed):
        if i not in matched:
            score.misses.append(f"missed: {fact['text'][:90]}")
            continue
        action = outcome.actions[matched[i]]
        if fact.get("owner"):
            score.owners_printed += 1
            if owner_right(fact["owner"], action):
                score.owners_right += 1
            else:
                score.misses.append(f"owner: {fact['owner']!r} read {action.owners_text!r}")
        if fact.get("due"):
            score.dates_printed += 1
            if date_right(fact["due"], action):
                score.dates_right += 1
            else:
                score.misses.append(f"due: {fact['due']!r} read {action.due_text!r} ({action.due})")
        if fact.get("status"):
            score.status_printed += 1
            if status_from_text(fact["status"]) == action.status:
                score.status_right += 1
    used = {j for _, j in pairs}
    score.misses += [f"extra: {a.text[:90] if a.text else a.text!r}" for j, a in enumerate(outcome.actions)
                     if j not in used]  # fmt: skip
    return score


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def row(s: Score) -> str:
    return (
        f"{s.name[:58]:58} {s.found:3}/{s.printed:<3}{pct(s.found, s.printed)} {pct(s.extra, s.printed)} "
        f"{pct(s.owners_right, s.owners_printed)} {pct(s.dates_right, s.dates_printed)} "
        f"{pct(s.status_right, s.status_printed)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss, wrong field and extra action")
    args = parser.parse_args(argv)
    total = Score("total")
    print(f"{'file':58} {'found':>11} {'extra':>6} {'owners':>7} {'dates':>7} {'status':>7}")
    for facts_path in sorted(args.folder.glob("*.facts.json")):
        score = score_file(facts_path)
        total.add(score)
        print(row(score) + (f"  ERROR {score.error}" if score.error else ""))
        if args.verbose:
            for miss in score.misses:
                print(f"      {miss}")
    print(row(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
