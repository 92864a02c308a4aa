"""Write a synthetic data folder in the real plan formats, with known duplicates and successors injected.

    .venv/bin/python bench/corpus.py --size 1000 --out DIR [--seed 1] [--plan-size 100] [--pair-share 0.035]
                                     [--check]

`DIR/catalogue.csv` (the columns of `data/catalogue.csv`), `DIR/plans/*.txt` and `DIR/truth.json`, which
`graphkit index --data DIR` reads. Each plan is written in one of the five real layouts (bench/corpus_layouts.py)
with its `format` set in the catalogue, for one of the 32 Scottish councils and a year from 2014 to 2030; its
actions recombine the real plans' phrases, outcomes, notes and owners (bench/corpus_text.py).

truth.json lists every document's action count and the injected pairs, each side with the id the parser gives it
(`<document>:<code>`, or `<document>:L<line>` in a plan without codes), file, line and text, the edits made and
the rapidfuzz token_sort_ratio of the two texts:

- `duplicate` / `within_plan`: one plan states a commitment twice, reworded;
- `duplicate` / `cross_council`: another council's plan states it, reworded;
- `successor` / `cross_plan`: the same council's later plan carries it forward, reworded.

Plans are generated and written one at a time (only the copies waiting for a later plan are held), so 300,000
actions take a minute or two. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from corpus_layouts import LAYOUTS, Placed, Spec  # noqa: E402
from corpus_text import (  # noqa: E402
    DUPLICATE_EDITS,
    SUCCESSOR_EDITS,
    Edits,
    Material,
    has_paraphrase,
    load_material,
    new_note,
    new_outcome,
    new_statement,
    reword,
)
from search import COUNCILS  # noqa: E402

from graphkit.build import index_document  # noqa: E402
from graphkit.catalogue import CATALOGUE_FILE, OPTIONAL, PLANS_DIR, REQUIRED, read_catalogue  # noqa: E402
from graphkit.cli.common import default_data  # noqa: E402
from graphkit.records import Plan  # noqa: E402
from graphkit.vocab import FOUNDATIONS, PILLARS  # noqa: E402

TRUTH_FILE = "truth.json"
COLUMNS = REQUIRED + OPTIONAL
YEARS = range(2014, 2031)
PLAN_SPAN = (1, 2, 3, 3, 4, 9)  # years a plan runs for (end - start); three years is the common span
SIZE_JITTER = 0.2  # each plan holds plan-size +/- this share of actions
MIN_PLAN_ACTIONS = 5
PLANS_PER_COUNCIL = 3  # a small corpus uses fewer councils, so that each has earlier and later plans
PAIR_SHARE = 0.035  # share of actions that belong to an injected pair (the issue asks for 2-5%)
PAIR_KINDS = 3  # within-plan duplicates, cross-council duplicates, successors: equal shares
INBOX_SHARE = 4  # at most 1/INBOX_SHARE of a plan's actions are copies injected from earlier plans
PARAPHRASE_TRIES = 6  # an action chosen for a pair is redrawn until it holds a phrase the project paraphrases
SAME_OUTCOME, SAME_OWNERS, SAME_DETAILS = 0.6, 0.5, 0.7

FORMATS = {
    # format: (plan_type, title)
    "promise_table": ("promise", "Keeping The Promise: Plan {start} - {end}"),
    "covalent": ("inspection", "Children's Services Inspection Action Plans {start}"),
    "we_will_table": ("promise", "Promise to You {start} - {end}"),
    "action_register": ("promise", "{council}'s Parenting Promise {start}-{end}"),
    "objectives_table": ("child-protection", "Child Protection Committee Strategic Improvement Plan {start}-{end}"),
}
GENERATOR_FILES = ("corpus.py", "corpus_layouts.py", "corpus_text.py")


def generator_version() -> str:
    """A hash of the generator's code: a cached corpus made by other code is stale."""
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()[:16]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(slots=True)
class Slot:
    """A plan to write: its catalogue entry, its size and the copies of earlier actions waiting for it."""

    plan: Plan
    size: int
    inbox: list[Spec] = field(default_factory=list)

    def has_room(self) -> bool:
        return len(self.inbox) < self.size // INBOX_SHARE


def schedule(size: int, plan_size: int, rng: random.Random) -> list[Slot]:
    """Plans with councils, years and formats, in year order (the order they are written)."""
    count = max(1, round(size / plan_size))
    jitter = (1 - SIZE_JITTER, 1 + SIZE_JITTER)
    sizes = [max(MIN_PLAN_ACTIONS, round(plan_size * rng.uniform(*jitter))) for _ in range(count)]
    k = 0
    while sum(sizes) != size:
        step = 1 if sum(sizes) < size else -1
        if sizes[k % count] + step >= min(MIN_PLAN_ACTIONS, size):
            sizes[k % count] += step
        k += 1
    councils = rng.sample(COUNCILS, min(len(COUNCILS), max(2, math.ceil(count / PLANS_PER_COUNCIL))))
    per_council = {c: [councils[i % len(councils)] for i in range(count)].count(c) for c in councils}
    years: dict[str, list[int]] = {}
    for council, n in per_council.items():
        chosen = rng.sample(YEARS, n) if n <= len(YEARS) else rng.choices(YEARS, k=n)
        years[council] = sorted(chosen, reverse=True)
    width = max(3, len(str(count - 1)))
    drafts = []
    for i in range(count):
        council = councils[i % len(councils)]
        drafts.append((years[council].pop(), councils.index(council), council, rng.choice(list(FORMATS)), sizes[i]))
    slots = []
    for serial, (year, _, council, fmt, n) in enumerate(sorted(drafts)):
        plan_type, title = FORMATS[fmt]
        end = year + rng.choice(PLAN_SPAN)
        name = f"{slug(council)}-{plan_type}-{year}-{serial:0{width}d}"
        plan = Plan(
            id=name,
            file=f"{serial:0{width}d}_{slug(council)}-{year}.txt",
            council=council,
            title=title.format(start=year, end=end, council=council),
            plan_type=plan_type,
            start_year=year,
            end_year=end,
            format=fmt,
            source=f"{council} Council",
            published=f"{year}-{rng.randint(1, 12):02d}",
        )
        slots.append(Slot(plan, n))
    return slots


def new_spec(material: Material, rng: random.Random, year: int, paraphrase: bool = False) -> Spec:
    statement = new_statement(material, rng)
    for _ in range(PARAPHRASE_TRIES if paraphrase else 0):
        if has_paraphrase(statement):
            break
        statement = new_statement(material, rng)
    foundations = rng.sample(FOUNDATIONS, rng.randint(1, 3))
    return Spec(
        statement=statement,
        outcome=new_outcome(material, rng),
        owners=rng.sample(material.owners, rng.randint(1, 2)),
        notes=[new_note(material, rng) for _ in range(rng.randint(1, 3))],
        due_year=year + rng.randint(0, 3),
        stage=rng.randrange(4),
        foundations=[f for f in FOUNDATIONS if f in foundations],
        pillar=rng.randrange(len(PILLARS)),
    )


class Generator:
    """Writes the plans one by one and records where each side of each injected pair landed."""

    def __init__(self, material: Material, rng: random.Random, slots: list[Slot], pair_share: float) -> None:
        self.material, self.rng, self.slots = material, rng, slots
        self.chance = pair_share / 2 / PAIR_KINDS  # per action and kind of pair
        self.pairs: list[dict] = []
        # each plan's successor: the same council's next plan that starts in a later year
        by_council: dict[str, list[int]] = {}
        for i, slot in enumerate(slots):
            by_council.setdefault(slot.plan.council, []).append(i)
        self.successor: dict[int, int] = {}
        for indices in by_council.values():
            for n, i in enumerate(indices):
                year = slots[i].plan.start_year
                nxt = next((j for j in indices[n + 1 :] if slots[j].plan.start_year > year), None)
                if nxt is not None:
                    self.successor[i] = nxt

    def copy(self, original: Spec, kind: str, scope: str, edits: Edits, year: int) -> Spec:
        rng = self.rng
        statement, changes = reword(original.statement, edits, rng)
        outcome = original.outcome if rng.random() < SAME_OUTCOME else new_outcome(self.material, rng)
        if scope != "within_plan" and outcome == original.outcome:
            outcome = reword(outcome, DUPLICATE_EDITS, rng)[0]
        copy = new_spec(self.material, rng, year)
        copy.statement, copy.outcome = statement, outcome
        if scope != "cross_council" and rng.random() < SAME_OWNERS:
            copy.owners = list(original.owners)
        if rng.random() < SAME_DETAILS:
            copy.foundations, copy.pillar = list(original.foundations), original.pillar
        number = len(self.pairs)
        self.pairs.append({"kind": kind, "scope": scope, "edits": changes, "a": None, "b": None})
        original.tags.append((number, "a"))
        copy.tags.append((number, "b"))
        return copy

    def specs(self, i: int) -> list[Spec]:
        """The actions of plan i: the copies injected into it, then new actions (some with copies of their own)."""
        slot, rng = self.slots[i], self.rng
        year = slot.plan.start_year
        made = list(slot.inbox)
        slot.inbox = []
        while len(made) < slot.size:
            within, cross, later = (rng.random() < self.chance for _ in range(PAIR_KINDS))
            within = within and slot.size - len(made) >= 2
            original = new_spec(self.material, rng, year, paraphrase=within or cross or later)
            made.append(original)
            if within:
                made.append(self.copy(original, "duplicate", "within_plan", DUPLICATE_EDITS, year))
            if cross and (target := self._other_council(i)) is not None:
                target.inbox.append(
                    self.copy(original, "duplicate", "cross_council", DUPLICATE_EDITS, target.plan.start_year)
                )
            if later and i in self.successor and (target := self.slots[self.successor[i]]).has_room():
                target.inbox.append(
                    self.copy(original, "successor", "cross_plan", SUCCESSOR_EDITS, target.plan.start_year)
                )
        rng.shuffle(made)
        return made

    def _other_council(self, i: int) -> Slot | None:
        council = self.slots[i].plan.council
        for _ in range(5):
            if i + 1 >= len(self.slots):
                return None
            target = self.slots[self.rng.randrange(i + 1, len(self.slots))]
            if target.plan.council != council and target.has_room():
                return target
        return None

    def record(self, plan: Plan, placed: list[Placed]) -> None:
        for where in placed:
            for number, side in where.spec.tags:
                self.pairs[number][side] = {
                    "id": f"{plan.id}:{where.suffix}",
                    "document": plan.id,
                    "code": where.code,
                    "file": plan.file,
                    "line": where.line,
                    "council": plan.council,
                    "year": plan.start_year,
                    "text": where.text,
                }


def generate(
    out: Path,
    size: int,
    seed: int = 1,
    plan_size: int = 100,
    pair_share: float = PAIR_SHARE,
    material: Material | None = None,
) -> dict:
    """Write `size` actions in plans of about `plan_size` into `out`; return the truth.json summary.

    Raises
    ------
    ValueError
        For a size or plan size below one, or a pair share outside 0-1.
    """
    if size < 1 or plan_size < 1 or not 0 <= pair_share <= 1:
        raise ValueError("size and plan size must be at least 1, pair share between 0 and 1")
    rng = random.Random(seed)
    material = material or load_material(default_data())
    slots = schedule(size, plan_size, rng)
    generator = Generator(material, rng, slots, pair_share)
    (out / PLANS_DIR).mkdir(parents=True, exist_ok=True)
    documents = {}
    with (out / CATALOGUE_FILE).open("w", newline="", encoding="utf-8") as handle:
        catalogue = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        catalogue.writeheader()
        for i, slot in enumerate(slots):
            plan = slot.plan
            page, placed = LAYOUTS[plan.format](plan, generator.specs(i), material, rng)
            (out / PLANS_DIR / plan.file).write_text("\n".join(page.lines) + "\n", encoding="utf-8")
            generator.record(plan, placed)
            catalogue.writerow({c: getattr(plan, c) for c in COLUMNS})
            documents[plan.id] = {"file": plan.file, "format": plan.format, "actions": len(placed)}
    for pair in generator.pairs:
        # how alike the two texts are to rapidfuzz: below 90 a pair is not a near-verbatim copy
        pair["ratio"] = round(fuzz.token_sort_ratio(pair["a"]["text"], pair["b"]["text"]))
    truth = {
        "generator": {"version": generator_version(), "seed": seed, "size": size, "plan_size": plan_size},
        "actions": sum(d["actions"] for d in documents.values()),
        "pair_share": pair_share,
        "documents": documents,
        "pairs": generator.pairs,
    }
    (out / TRUTH_FILE).write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    return truth


def read_truth(folder: Path) -> dict:
    return json.loads((folder / TRUTH_FILE).read_text(encoding="utf-8"))


def check(folder: Path) -> list[str]:
    """Parse every plan with the real parsers; what differs from truth.json (counts, pair ids and texts, problems)."""
    truth = read_truth(folder)
    wrong: list[str] = []
    texts: dict[str, str | None] = {}
    for plan in read_catalogue(folder):
        outcome = index_document(folder, plan)
        expected = truth["documents"][plan.id]["actions"]
        if len(outcome.actions) != expected:
            wrong.append(f"{plan.id}: {len(outcome.actions)} actions parsed, {expected} written")
        wrong += [f"{plan.id} ({plan.format}): {problem}" for problem in outcome.problems]
        texts.update((a.id, a.text) for a in outcome.actions)
    for number, pair in enumerate(truth["pairs"]):
        for side in ("a", "b"):
            where = pair[side]
            if where["id"] not in texts:
                wrong.append(f"pair {number}{side}: no action {where['id']}")
            elif texts[where["id"]] != " ".join(where["text"].split()):
                wrong.append(f"pair {number}{side}: {where['id']} reads {texts[where['id']]!r}, not {where['text']!r}")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="actions to write")
    parser.add_argument("--out", type=Path, required=True, help="data folder to write (catalogue.csv, plans/)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plan-size", type=int, default=100, help="about this many actions per plan")
    parser.add_argument("--pair-share", type=float, default=PAIR_SHARE, help="share of actions in injected pairs")
    parser.add_argument("--check", action="store_true", help="parse the plans back and compare with truth.json")
    args = parser.parse_args()
    started = time.perf_counter()
    truth = generate(args.out, args.size, args.seed, args.plan_size, args.pair_share)
    seconds = time.perf_counter() - started
    kinds = {}
    for pair in truth["pairs"]:
        kinds[f"{pair['kind']}/{pair['scope']}"] = kinds.get(f"{pair['kind']}/{pair['scope']}", 0) + 1
    print(
        f"{args.out}: {truth['actions']} actions in {len(truth['documents'])} plans, "
        f"{len(truth['pairs'])} injected pairs ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
        f"{seconds:.1f} s"
    )
    if args.check:
        wrong = check(args.out)
        print("\n".join(wrong[:50]) or "check: every action and pair is parsed back as written")
        if wrong:
            sys.exit(f"check: {len(wrong)} differences")


if __name__ == "__main__":
    main()
