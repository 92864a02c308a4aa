"""The five real plan layouts, written out for synthetic actions so that the real parsers read them back.

One writer per parser (`indexer/formats/`): `promise_table`, `covalent`, `we_will_table`, `action_register` and
`objectives_table`. Each writes the smallest faithful copy of the bundled plan of that format (title lines, column
headers, codes, owner and timescale cells, outcome rows, progress notes) with a little of its mess: repeated page
headers, rows cut by a page break and continued after it, `<p>` and `<div>` fragments, page furniture. Each
returns the lines and, for every action, where the parser will find it: its id suffix, code, line and text.
"""

from __future__ import annotations

import calendar
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus_text import WE_WILL, Material, capitalise, new_note, new_outcome

from graphkit.records import Plan
from graphkit.vocab import FOUNDATION_PHRASES, FOUNDATIONS, PILLARS

MONTHS = ("January February March April May June July August September October November December").split()
PAGE_ROWS = (3, 6)  # table rows between two page breaks
SPLIT_AT_PAGE_BREAK = 0.4  # share of a page's last rows whose cells run on after the break
MIN_SPLIT_WORDS = 8
OVERLAP_WORDS = 2  # parsers drop words printed on both sides of a page break; a split never creates such a run
SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


@dataclass(slots=True)
class Spec:
    """One synthetic action, before it is written in a layout."""

    statement: str
    outcome: str
    owners: list[str]
    notes: list[str]
    due_year: int
    stage: int  # 0 not started, 1 in progress, 2 on track, 3 complete
    foundations: list[str]
    pillar: int  # index into graphkit.vocab.PILLARS
    tags: list[tuple[int, str]] = field(default_factory=list)  # (pair number, "a" or "b") in truth.json


@dataclass(frozen=True, slots=True)
class Placed:
    """Where the parser finds a written action: `<document id>:<suffix>`, its code, start line and text."""

    spec: Spec
    suffix: str
    code: str | None
    line: int
    text: str


class Page:
    """Lines being written; `add` returns the 1-based number of the first line it adds."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        self.lines.extend(lines)
        return len(self.lines) - len(lines) + 1


def split_for_page_break(text: str, rng: random.Random) -> tuple[str, str] | None:
    """Cut a cell's text in two at a word, as a page break does; None for a short text. No run of words ends the
    first part and starts the second, which a parser would take for a line printed twice."""
    words = text.split()
    if len(words) < MIN_SPLIT_WORDS:
        return None
    cut = rng.randint(len(words) // 3, 2 * len(words) // 3)
    head, tail = [w.lower() for w in words[:cut]], [w.lower() for w in words[cut:]]
    if any(head[-k:] == tail[:k] for k in range(OVERLAP_WORDS, min(len(head), len(tail)) + 1)):
        return None
    return " ".join(words[:cut]), " ".join(words[cut:])


def _month(rng: random.Random) -> str:
    return rng.choice(MONTHS)


def _date(year: int, rng: random.Random) -> str:
    """A month's last day, as the registers print it: `31-Mar-2024`."""
    month = rng.randrange(12)
    return f"{calendar.monthrange(year, month + 1)[1]}-{MONTHS[month][:3]}-{year}"


def _page_size(rng: random.Random) -> int:
    return rng.randint(*PAGE_ROWS)


# --- promise_table: Clackmannanshire "Keeping The Promise" ----------------------------------------------------

PROMISE_HEADER = (
    "Action\tOutcome\tPromise\tPromise\tActions\tTarget and Timescales\tResponsible\tProgress Update",
    "Code\t\tPillar\tFoundation\t\t\t\t",
)
# A second header line whose Pillar/Foundation words came out garbled (the parser skips it as header residue).
GARBLED_HEADER = "Code\t\tPilalr\tFoudnation\t\t\t\t"
GARBLED_SHARE = 0.15
HTML_SHARE = 0.2


def promise_table(plan: Plan, specs: list[Spec], material: Material, rng: random.Random) -> tuple[Page, list[Placed]]:
    page, placed = Page(), []
    page.add("", "", f"Update Report {_month(rng)} {plan.start_year} {plan.title}", "", *PROMISE_HEADER)
    pillars = list(PILLARS.items())
    numbers: Counter[str] = Counter()
    left = _page_size(rng)
    ordered = sorted(specs, key=lambda s: s.pillar)
    for n, spec in enumerate(ordered):
        prefix, pillar = pillars[spec.pillar]
        numbers[prefix] += 1
        code = f"{prefix} {numbers[prefix]}"
        printed = code.replace(" ", "") if rng.random() < 0.1 else code
        numbers_cell = ",".join(str(FOUNDATIONS.index(f) + 1) for f in spec.foundations).replace(",", ", ", 1)
        progress = " ".join(spec.notes)
        if rng.random() < HTML_SHARE:
            progress = f"<p>{progress}</p>"
        owners = " ".join(spec.owners)
        target = f"By {_month(rng)} {spec.due_year}"
        left -= 1
        breaks = left == 0 and n + 1 < len(ordered)
        cut = split_for_page_break(spec.statement, rng) if breaks and rng.random() < SPLIT_AT_PAGE_BREAK else None
        first = cut[0] if cut else spec.statement
        row = (printed, spec.outcome, pillar, numbers_cell, first, target, owners, progress)
        placed.append(Placed(spec, code.replace(" ", "-"), code, page.add("\t".join(row)), spec.statement))
        if breaks:
            second = GARBLED_HEADER if rng.random() < GARBLED_SHARE else PROMISE_HEADER[1]
            page.add("", "", "", "", PROMISE_HEADER[0], second)
            if cut:
                page.add(f"\t\t\t\t{cut[1]}\t\t\t")
            left = _page_size(rng)
    return page, placed


# --- covalent: the 2015 committee report's Covalent Joint Inspection Action Plan ----------------------------

COVALENT_HEADER = (
    "Code & Title\tDescription\tCovalent Owner\tDue Date\tProgress\tStatus\tSub-Action Details"
    "\tSub-Actions Latest Note\tSub-Actions Latest Note Date"
)
COVALENT_PREFIX = "SS_ICSAP_"
SPACED_PREFIX = "SS_IC SAP_"  # most codes of the real report are printed with this space
SPACED_SHARE = 0.8
PRIORITY_SIZE = (4, 12)  # actions per strategic priority
STAGE_PERCENT = ((0, 0), (10, 60), (60, 95), (100, 100))
PROGRESS_WIDGETS = (
    "{p}%",
    '<div style="background-color: #4f81bd; color: white; padding: 2px; text-align: center;">{p}%</div>',
    '<div style="width: {p}%;"><div style="width: {p}%;"></div></div> {p}%',
    '<input type="text" value="{p}%"/>',
)


def _areas(material: Material) -> list[str]:
    found = sorted({re.sub(r"\d+$", "", c[len(COVALENT_PREFIX) :]) for c in material.codes if c.startswith("SS_")})
    return found or ["ACT"]


def _title(text: str, words: int) -> str:
    return " ".join(w.strip(".,;:()'\"").capitalize() for w in text.split()[:words])


def covalent(plan: Plan, specs: list[Spec], material: Material, rng: random.Random) -> tuple[Page, list[Placed]]:
    page, placed = Page(), []
    page.add(f"{plan.council} Council", "", f"Report to the Children's Services Committee: {plan.title}", "")
    page.add(new_note(material, rng), "", "DRAFT", "", "KEY TO SYMBOLS", "", "\tAlert", "\tWarning")
    page.add("\tOK (performance is within timescale)", "\tComplete", "")
    page.add("ACTION PLAN - FULL DETAILS - ACTIONS AND SUB-ACTIONS WITH PROGRESS", "")
    areas, numbers = _areas(material), Counter[str]()
    start, priority = 0, 0
    while start < len(specs):
        group = specs[start : start + rng.randint(*PRIORITY_SIZE)]
        start += len(group)
        priority += 1
        page.add(f"{priority}. {_title(new_outcome(material, rng), rng.randint(2, 4))}")
        page.lines[-1] += "\tOverall Status of this Strategic Priority\t"
        page.add("-------------------------------------\t---\t---", "", new_outcome(material, rng) + ".", "")
        for spec in group:
            area = rng.choice(areas)
            numbers[area] += 1
            code = f"{COVALENT_PREFIX}{area}{numbers[area]}"
            printed = code.replace(COVALENT_PREFIX, SPACED_PREFIX) if rng.random() < SPACED_SHARE else code
            low, high = STAGE_PERCENT[spec.stage]
            widget = rng.choice(PROGRESS_WIDGETS).format(p=rng.randint(low, high))
            subs = [
                (_title(new_note(material, rng), 6), new_note(material, rng), _date(spec.due_year - 1, rng))
                for _ in range(rng.randint(0, 2))
            ]
            first = "\t".join(subs[0]) if subs else "\t\t"
            due = _date(spec.due_year, rng)
            row = (f"{printed} {_title(spec.statement, 2)}", spec.statement, "; ".join(spec.owners), due, widget, "")
            page.add(COVALENT_HEADER)
            placed.append(Placed(spec, code, code, page.add("\t".join(row) + "\t" + first), spec.statement))
            page.add(*("\t\t\t\t\t\t" + "\t".join(sub) for sub in subs[1:]))
            page.add("", f"Priority  {rng.choice(('High', 'Medium'))}", "")
            page.add(f"Date of Latest Note on Overall Progress\t{_date(spec.due_year - 1, rng)}")
            page.add(f"<p>{' '.join(spec.notes)}</p>", "")
    return page, placed


# --- we_will_table: Dundee "Promise to You" ---------------------------------------------------------------

WE_WILL_HEADER = "FOUNDATIONS\tPRIORITY\tACTIONS\tLEAD\tTIMESCALES\tSOME KEY INDICATORS"
PHRASE_OF = {name: phrase.capitalize() for phrase, name in reversed(FOUNDATION_PHRASES.items())}
# "Voice Team will develop ...": an action with its own subject is printed without "We will".
OWN_SUBJECT = re.compile(r"^(?:[A-Z][\w'’-]*\s+){1,3}will\b")
CENTRED = '<p style="text-align: center;">{}</p>'
HEADING_SHARE = 0.4  # pages whose foundation is printed as a heading above the table, not in a cell
CARRIED_PRIORITY = 0.4  # rows whose PRIORITY cell is empty (carried down from the row above)
SHARED_ROW = 0.15  # rows holding two or three actions as a <p> list, with their leads and dates


def we_will(statement: str) -> str:
    """An action as these plans print it: "We will ...", a name or acronym at the start kept as printed.

    >>> we_will("Review chronologies."), we_will("Voice Team will meet."), we_will("CPC to meet.")
    ('We will review chronologies.', 'Voice Team will meet.', 'We will CPC to meet.')
    """
    if statement.startswith(WE_WILL) or OWN_SUBJECT.match(statement):
        return statement
    words = statement.split(" ", 2)
    named = words[0].isupper() or (len(words) > 1 and words[1][:1].isupper())
    return WE_WILL + (statement if named else statement[:1].lower() + statement[1:])


def we_will_table(plan: Plan, specs: list[Spec], material: Material, rng: random.Random) -> tuple[Page, list[Placed]]:
    page, placed = Page(), []
    page.add(f"**{plan.council} {plan.title}**", "", "Our Promise to YOU!", "", new_note(material, rng), "")
    by_foundation: dict[str, list[Spec]] = {}
    for spec in specs:
        by_foundation.setdefault(spec.foundations[0] if spec.foundations else "People", []).append(spec)
    for name in [f for f in FOUNDATIONS if f in by_foundation]:
        todo = by_foundation[name]
        while todo:
            size = _page_size(rng)
            rows, todo = todo[:size], todo[size:]
            heading = rng.random() < HEADING_SHARE
            if heading:
                page.add(name, "")
            page.add(WE_WILL_HEADER)
            i = 0
            while i < len(rows):
                together = rows[i : i + (rng.randint(2, 3) if rng.random() < SHARED_ROW else 1)]
                if i == 0 and not heading:
                    phrase = PHRASE_OF.get(name)
                    cell = CENTRED.format(name) + (" " + CENTRED.format(phrase) if phrase else "")
                    foundation = cell if rng.random() < 0.5 or not phrase else f" <p>{phrase}</p>"
                else:
                    foundation = ""
                carried = i > 0 and rng.random() < CARRIED_PRIORITY
                priority = "" if carried else f"<p>{together[0].outcome}</p>"
                texts = [we_will(s.statement) for s in together]
                cells = (
                    foundation,
                    priority,
                    " ".join(f"<p>{t}</p>" for t in texts),
                    " ".join(f"<p>{'; '.join(s.owners)}</p>" for s in together),
                    " ".join(f"<p>{_month(rng)} {s.due_year}</p>" for s in together),
                    f"<p>{new_note(material, rng)}</p>",
                )
                line = page.add("\t".join(cells))
                for k, (spec, text) in enumerate(zip(together, texts, strict=True), start=1):
                    suffix = f"L{line}-{k}" if len(together) > 1 else f"L{line}"
                    placed.append(Placed(spec, suffix, None, line, text))
                i += len(together)
            page.add("")
    return page, placed


# --- action_register: South Ayrshire's Parenting Promise register ------------------------------------------

REGISTER_HEADER = "Action\tAssigned To\tDue Date\tStatus\tNo of Benefits Identified\tNarrative Detail"
REGISTER_STATUS = ("NOT STARTED", "IN PROGRESS", "ON TARGET ", "COMPLETED")
AREA_SIZE = (1, 7)


def action_register(plan: Plan, specs: list[Spec], material: Material, rng: random.Random) -> tuple[Page, list[Placed]]:
    page, placed = Page(), []
    page.add(" ", " ", f"{plan.title} {_month(rng).upper()} {plan.start_year}", "", " ", "Table 1: Promise Actions", "")
    start, area = 0, 0
    while start < len(specs):
        group = specs[start : start + rng.randint(*AREA_SIZE)]
        start += len(group)
        area += 1
        heading = f"{area}. {capitalise(new_outcome(material, rng))}."
        page.add(heading + "\t" * 6 if area == 1 else heading, "", REGISTER_HEADER + rng.choice(("", "\t")))
        for number, spec in enumerate(group, start=1):
            code = f"SAPP {area}.{number}"
            cut = split_for_page_break(spec.statement, rng) if rng.random() < SPLIT_AT_PAGE_BREAK / 3 else None
            notes = [f"<p>{n}</p>" if rng.random() < 0.3 else n for n in spec.notes]
            due = _date(spec.due_year, rng)
            row = (code, cut[0] if cut else spec.statement, "; ".join(spec.owners), due, REGISTER_STATUS[spec.stage])
            line = page.add("\t".join((*row, str(rng.randint(1, 3)), notes[0])))
            if cut:
                page.add("", f"\t{cut[1]}\t\t\t\t\t{' '.join(notes[1:])}")
            placed.append(Placed(spec, code.replace(" ", "-"), code, line, spec.statement))
        if rng.random() < 0.3:
            page.add("--\t---\t--\t--\t---\t--")
        actions = " ".join(f"Action {area}.{n}" for n in range(1, len(group) + 1))
        reported = f"{len(group)} action{'s' if len(group) > 1 else ''} reported"
        page.add("", f"<p>{reported}. {actions}</p>", "", "Impact", "")
        page.add(f"- **Benefit 1** {new_note(material, rng)}", "")
    return page, placed


# --- objectives_table: Clackmannanshire CPC Strategic Improvement Plan ------------------------------------

OBJECTIVES_HEADER = (
    "OBJECTIVES What we want to achieve\tACTIONS What we are going to do\tLEAD & Key People involved"
    "\tTIMESCALE When we will do this\tEVIDENCE or OUTCOME MEASURES How we will know we are achieving outcomes"
    "\tPROGRESS REPORT"
)
# The four functions of a Child Protection Committee (national guidance), printed as strategic priorities.
CPC_PRIORITIES = (
    "LEADERSHIP and GOVERNANCE",
    "CONTINUOUS IMPROVEMENT",
    "STRATEGIC PLANNING",
    "PUBLIC INFORMATION and COMMUNICATION",
)
CPC_KEY = "KEY\tON TARGET\tPROGRESS DELAYED\tOUTWITH DEADLINE REVISION REQUIRED\tCOMPLETE"
CPC_PROGRESS = ("Not started", "Ongoing", "On target", "Complete")
CPC_TIMESCALES = ("Ongoing", "As required", "Annually")
ITEM_JOIN = " | "  # how the parser joins an objective's action items
OUTCOME_SIZE = (1, 7)
PAGE_OBJECTIVES = (1, 3)


def objectives_table(
    plan: Plan, specs: list[Spec], material: Material, rng: random.Random
) -> tuple[Page, list[Placed]]:
    page, placed = Page(), []
    furniture = f"Strategic Improvement Plan {plan.start_year}-{plan.end_year % 100:02d}"
    reviewed = f"Reviewed and updated {_month(rng)} {plan.start_year}"
    page.add(f"### **{furniture}**", "", f"#### {reviewed}", "", new_note(material, rng), "")
    page.add(CPC_KEY, "\t(G)\t(A)\t(R)\t(P)", "")
    start, outcome = 0, 0
    while start < len(specs):
        group = specs[start : start + rng.randint(*OUTCOME_SIZE)]
        start += len(group)
        outcome += 1
        priority = CPC_PRIORITIES[min(len(CPC_PRIORITIES) - 1, (outcome - 1) * len(CPC_PRIORITIES) // 8)]
        statement = capitalise(new_outcome(material, rng)) + "."
        number = 0
        while number < len(group):
            chunk = group[number : number + rng.randint(*PAGE_OBJECTIVES)]
            page.add(f"#### STRATEGIC PRIORITY {priority}", "", f"#### **OUTCOME {outcome}**", "", statement, "")
            page.add(OBJECTIVES_HEADER)
            for spec in chunk:
                number += 1
                items = SENTENCE.split(spec.statement)
                cut = split_for_page_break(spec.outcome, rng) if rng.random() < 0.3 else None
                objective = [cut[0], cut[1]] if cut else [spec.outcome]
                leads = ", ".join(spec.owners)
                timescale = rng.choice((*CPC_TIMESCALES, f"{_month(rng)} {spec.due_year}"))
                rest = [("", item) for item in items[1:]]
                if cut:
                    rest = [(objective[1], rest[0][1] if rest else "")] + rest[1:]
                evidence = spec.notes[0]
                cells = (f"{outcome}.{number} {objective[0]}", items[0], leads, timescale, evidence)
                line = page.add("\t".join((*cells, CPC_PROGRESS[spec.stage])))
                for first, item in rest:
                    page.add("\t".join((first, item, leads, timescale, evidence, CPC_PROGRESS[spec.stage])))
                code = f"CPC {outcome}.{number}"
                placed.append(Placed(spec, code.replace(" ", "-"), code, line, ITEM_JOIN.join(items)))
            page.add("", f"**{reviewed}** ", "", "")
    return page, placed


Layout = Callable[[Plan, list[Spec], Material, random.Random], tuple[Page, list[Placed]]]
LAYOUTS: dict[str, Layout] = {
    "promise_table": promise_table,
    "covalent": covalent,
    "we_will_table": we_will_table,
    "action_register": action_register,
    "objectives_table": objectives_table,
}
