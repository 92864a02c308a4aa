"""Clackmannanshire CPC Strategic Improvement Plan: numbered objectives (`n.m`, read as `CPC n.m`) in tables.

Columns are OBJECTIVES | ACTIONS | LEAD & Key People | TIMESCALE | EVIDENCE or OUTCOME MEASURES | PROGRESS
REPORT. One objective spans several rows: the later rows have an empty first cell or the rest of the
objective's sentence, and a row cut mid-phrase continues on the next row in every column. Every page
repeats the plan title, the strategic priority, the OUTCOME heading (with its statement split over lines
and garbled copies of it as table rows) and the column header. One objective is printed with a wrong
number (`3.1` for 8.1) and is renumbered from the sequence around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import is_as_above
from indexer.formats.objective_cells import (
    cell_items,
    distinct,
    join_cut,
    join_items,
    join_without_repeat,
    leads_of_items,
)

NAME = "objectives_table"
CODE_PREFIX = "CPC"
OBJECTIVE_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2})\s+(\S.*)$")
HEADER_FIRST_CELL = re.compile(r"^OBJECTIVES\b")
HEADER_LAST = "PROGRESS REPORT"
PAGE_FURNITURE = (
    re.compile(r"^Strategic Improvement Plan \d{4}\s*-\s*\d{2,4}$", re.IGNORECASE),
    re.compile(r"^Reviewed and updated [A-Za-z]+ \d{4}$", re.IGNORECASE),
)
PRIORITY_HEADING = re.compile(r"^STRATEGIC PRIORITY\s+(\S.*)$")
OUTCOME_HEADING = re.compile(r"^OUTCOME\s+(\d{1,2})\b\s*(.*)$")
# The traffic-light key: `KEY | ON TARGET | ...` and `| (G) | (A) | (R) | (P)`.
KEY_ROW = re.compile(r"^(?:KEY\b.*|(?:\([GARP]\)\s*)+)$")

# Columns of a table row.
OBJECTIVE, ACTIONS, LEAD, TIMESCALE, EVIDENCE, PROGRESS = range(6)

STRAY_MARK = re.compile(r"^[\W_]+$")
# Outcomes 3-4 and 7-8 print no priority heading: the last one printed is carried over, and says so.
CARRIED_PRIORITY = "strategic priority (not printed for this outcome; carried over)"
ITEM_JOIN = " | "
VALUE_JOIN = "; "

# Heading fragments are garbled copies of the outcome statement (`children sate`, `in chila protection`).
FRAGMENT_SIMILARITY = 0.85
MAX_FUZZY_LENGTH = 400


@dataclass(slots=True)
class _Row:
    """One table row of an objective, cells cleaned; items split on runs of spaces."""

    line: int
    items: list[str]
    lead_items: list[str]
    timescale: str
    evidence: str
    progress: str


@dataclass(slots=True)
class _Objective:
    draft: ActionDraft
    number: tuple[int, int]
    text: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)


@dataclass(slots=True)
class _Outcome:
    number: int
    statement: str = ""
    priority: str | None = None
    priority_printed: bool = False


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def contained(piece: str, known: str) -> bool:
    """True when piece is in known, exactly or as a garbled copy (OCR slips of a few letters)."""
    piece, known = _fold(piece), _fold(known)
    if not piece or not known:
        return False
    if piece in known:
        return True
    if len(piece) > MAX_FUZZY_LENGTH or len(known) > MAX_FUZZY_LENGTH * 3 or len(piece) > len(known):
        return False
    width = len(piece)
    return any(
        SequenceMatcher(None, piece, known[i : i + width]).ratio() >= FRAGMENT_SIMILARITY
        for i in range(len(known) - width + 1)
    )


def _recover_codes(lines: Sequence[Line]) -> dict[int, tuple[tuple[int, int], str | None]]:
    """Objective numbers by line; a number printed out of sequence is recovered from its neighbours."""
    printed = []
    for line in lines:
        match = OBJECTIVE_CODE.match(line.cell(OBJECTIVE))
        if match and line.cell(ACTIONS):
            printed.append((line.number, (int(match.group(1)), int(match.group(2)))))
    codes: dict[int, tuple[tuple[int, int], str | None]] = {}
    previous: tuple[int, int] | None = None
    for i, (number, code) in enumerate(printed):
        note = None
        if previous is not None and code <= previous:
            following = printed[i + 1][1] if i + 1 < len(printed) else None
            if following and following[1] > 1 and (following[0], following[1] - 1) > previous:
                guess = (following[0], following[1] - 1)
            else:
                guess = (previous[0], previous[1] + 1)
            after = f"after {CODE_PREFIX} {previous[0]}.{previous[1]}"
            before = f", before {CODE_PREFIX} {following[0]}.{following[1]}" if following else ""
            note = (
                f"printed as {code[0]}.{code[1]}, out of sequence; read as "
                f"{CODE_PREFIX} {guess[0]}.{guess[1]} from the objectives around it ({after}{before})"
            )
            code = guess
        codes[number] = (code, note)
        previous = code
    return codes


class ObjectivesTableParser:
    """CPC improvement plan tables: objectives with several action rows each, under OUTCOME headings."""

    name = NAME

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True when a column header starts with OBJECTIVES and names a PROGRESS REPORT column."""
        try:
            return any(
                HEADER_FIRST_CELL.match(line.cell(0)) and any(c.startswith(HEADER_LAST) for c in line.cells)
                for line in lines
            )
        except Exception:  # noqa: BLE001 - sniffing must never stop the registry
            return False

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Read every objective into a draft; account for every other line."""
        result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
        try:
            codes = _recover_codes(lines)
        except Exception as exc:  # noqa: BLE001
            result.problem(0, f"could not number objectives ({type(exc).__name__})")
            codes = {}
        reader = _Reader(result, codes)
        for line in lines:
            try:
                reader.read(line)
            except Exception as exc:  # noqa: BLE001 - one odd line must not lose the document
                result.problem(line.number, f"could not read line ({type(exc).__name__})", line.raw)
        try:
            reader.close()
        except Exception as exc:  # noqa: BLE001
            result.problem(0, f"could not finish the document ({type(exc).__name__})")
        result.account_for(lines)
        return result


class _Reader:
    """Line-by-line state: intro, an OUTCOME heading zone (until the column header) or a table."""

    def __init__(self, result: ParseResult, codes: dict[int, tuple[tuple[int, int], str | None]]) -> None:
        self.result = result
        self.codes = codes
        self.zone = "intro"
        self.outcomes: dict[int, _Outcome] = {}
        self.outcome: _Outcome | None = None
        self.priority: str | None = None
        self.priority_fresh = False  # a priority heading printed since the last OUTCOME heading
        self.heading_lines: list[Line] = []
        self.current: _Objective | None = None
        self.objectives: list[_Objective] = []

    def read(self, line: Line) -> None:
        if line.blank:
            return
        text = line.text
        first = next((c for c in line.cells if c), "")
        if any(p.match(text) for p in PAGE_FURNITURE):
            self.result.skip(line.number, "page furniture")
        elif PRIORITY_HEADING.match(text):
            self._priority(line, PRIORITY_HEADING.match(text).group(1))
        elif OUTCOME_HEADING.match(first):
            self._outcome_heading(line)
        elif HEADER_FIRST_CELL.match(line.cell(0)):
            self._flush_heading()
            self.zone = "table"
            self.result.skip(line.number, "column header")
        elif self.zone == "intro":
            reason = "traffic-light key" if KEY_ROW.match(text) else "introduction"
            self.result.skip(line.number, reason)
        elif self.zone == "heading":
            self.heading_lines.append(line)
        else:
            self._table_row(line)

    def close(self) -> None:
        self._flush_heading()
        self._finish()
        for objective in self.objectives:
            try:
                self.result.actions.append(self._draft(objective))
            except Exception as exc:  # noqa: BLE001
                self.result.problem(objective.draft.line, f"could not finish objective ({type(exc).__name__})")

    # -- headings -----------------------------------------------------------------------------------------

    def _priority(self, line: Line, name: str) -> None:
        self._flush_heading()
        self.priority = name.strip().rstrip(".")
        self.priority_fresh = True
        self.result.skip(line.number, "strategic priority heading")

    def _outcome_heading(self, line: Line) -> None:
        self._flush_heading()
        matches = [OUTCOME_HEADING.match(c) for c in line.cells if c]
        number = int(next(m for m in matches if m).group(1))
        # A heading printed twice in one row (`OUTCOME 7 The | OUTCOME 7 The views ...`): the longest copy.
        inline = max((m.group(2).strip() for m in matches if m), key=len, default="")
        if self.outcome is None or self.outcome.number != number:
            self._finish()
        outcome = self.outcomes.get(number)
        if outcome is None:
            outcome = _Outcome(number, priority=self.priority, priority_printed=self.priority_fresh)
            self.outcomes[number] = outcome
        if inline and not contained(inline, outcome.statement):
            outcome.statement = f"{outcome.statement} {inline}".strip()
        self.priority_fresh = False
        self.outcome = outcome
        self.zone = "heading"
        self.result.skip(line.number, "outcome heading")

    def _flush_heading(self) -> None:
        """Build the outcome statement from clean paragraphs first, then test the garbled rows against it."""
        lines, self.heading_lines = self.heading_lines, []
        if not lines:
            return
        outcome = self.outcome
        if outcome is None:
            for line in lines:
                self.result.problem(line.number, "text before any OUTCOME heading", line.text)
            return
        clean = [ln for ln in lines if _single_first_cell(ln)]
        garbled = [ln for ln in lines if not _single_first_cell(ln)]
        for line in clean:
            piece = line.text
            if contained(piece, outcome.statement):
                exact = _fold(piece) in _fold(outcome.statement)
                self.result.skip(line.number, "outcome heading" if exact else "garbled heading fragment")
            else:
                outcome.statement = f"{outcome.statement} {piece}".strip()
                self.result.skip(line.number, "outcome heading")
        for line in garbled:
            cells = [c for c in line.cells if c]
            if any(contained(c, outcome.statement) for c in cells):
                self.result.skip(line.number, "garbled heading fragment")
            else:
                # The only copy of the statement's end is in a garbled row (232 `decision making processes`).
                outcome.statement = f"{outcome.statement} {max(cells, key=len)}".strip()
                self.result.skip(line.number, "outcome heading (from a garbled heading row)")

    # -- table rows ---------------------------------------------------------------------------------------

    def _table_row(self, line: Line) -> None:
        if line.number in self.codes:
            self._finish()
            self._start(line)
        elif self.current is not None and (line.cell(OBJECTIVE) or line.cell(ACTIONS)):
            self._continue(line)
        else:
            self.result.problem(line.number, "table row with no objective to belong to", line.text)

    def _start(self, line: Line) -> None:
        (major, minor), note = self.codes[line.number]
        printed = OBJECTIVE_CODE.match(line.cell(OBJECTIVE))
        draft = ActionDraft(line=line.number, code=f"{CODE_PREFIX} {major}.{minor}")
        draft.code_printed = f"{printed.group(1)}.{printed.group(2)}" if printed else None
        if note:
            draft.notes.append(note)
            self.result.problem(line.number, note, line.text)
        objective = _Objective(draft, (major, minor))
        objective.text.append(printed.group(3).strip() if printed else "")
        objective.rows.append(_read_row(line))
        self.current = objective
        self.result.use(line.number)

    def _continue(self, line: Line) -> None:
        objective = self.current
        assert objective is not None
        piece = line.cell(OBJECTIVE)
        if piece:
            joined, repeated = join_without_repeat(" ".join(objective.text), piece)
            objective.text = [joined]
            if repeated:
                objective.draft.notes.append(f"'{repeated}' printed twice across lines; the repeat is dropped")
        row = _read_row(line)
        previous = objective.rows[-1]
        if row.items and previous.items and (previous.items[-1].endswith("-") or row.items[0][:1].islower()):
            _merge_cut_row(previous, row)
        else:
            objective.rows.append(row)
        self.result.use(line.number)

    def _finish(self) -> None:
        if self.current is not None:
            self.objectives.append(self.current)
            self.current = None

    # -- drafts -------------------------------------------------------------------------------------------

    def _draft(self, objective: _Objective) -> ActionDraft:
        draft = objective.draft
        draft.outcome = " ".join(objective.text).strip() or None
        draft.text = ITEM_JOIN.join(item for row in objective.rows for item in row.items) or None
        lead_cells = distinct([" ".join(row.lead_items) for row in objective.rows])
        draft.owners_text = VALUE_JOIN.join(lead_cells) or None
        owners = distinct([lead for row in objective.rows for lead in leads_of_items(row.lead_items)])
        if is_as_above(draft.owners_text):
            draft.owners_text, draft.owners = "As above", None
        else:
            draft.owners = owners
        draft.due_text = self._values(objective, "timescale", "TIMESCALE", VALUE_JOIN)
        draft.status_text = self._values(objective, "progress", "PROGRESS REPORT", VALUE_JOIN)
        draft.progress = self._values(objective, "evidence", "EVIDENCE", ITEM_JOIN)
        draft.notes.extend(self._outcome_notes(objective.number[0]))
        return draft

    @staticmethod
    def _values(objective: _Objective, attribute: str, column: str, joiner: str) -> str | None:
        """Distinct values in row order; `As above` on a later row repeats the row above, so adds nothing."""
        values = []
        for i, row in enumerate(objective.rows):
            value = getattr(row, attribute)
            if i > 0 and is_as_above(value):
                objective.draft.notes.append(f"{column} 'As above' on line {row.line} repeats the row above")
                continue
            values.append(value)
        return joiner.join(distinct(values)) or None

    def _outcome_notes(self, number: int) -> list[str]:
        outcome = self.outcomes.get(number)
        if outcome is None:
            notes = [f"outcome {number}: no OUTCOME {number} heading or statement is printed"]
            if self.priority:
                notes.append(f"{CARRIED_PRIORITY}: {self.priority}")
            return notes
        statement = outcome.statement or "(no outcome statement printed)"
        notes = [f"outcome {number}: {statement}"]
        if outcome.priority and outcome.priority_printed:
            notes.append(f"strategic priority: {outcome.priority}")
        elif outcome.priority:
            notes.append(f"{CARRIED_PRIORITY}: {outcome.priority}")
        return notes


def _single_first_cell(line: Line) -> bool:
    filled = [i for i, c in enumerate(line.cells) if c]
    return filled == [0]


def _read_row(line: Line) -> _Row:
    raw = line.raw_cells
    lead_raw = raw[LEAD] if len(raw) > LEAD else ""
    return _Row(
        line=line.number,
        items=cell_items(raw[ACTIONS]) if len(raw) > ACTIONS else [],
        lead_items=cell_items(lead_raw),
        timescale=_value(line, TIMESCALE),
        evidence=_value(line, EVIDENCE),
        progress=_value(line, PROGRESS),
    )


def _value(line: Line, index: int) -> str:
    value = line.cell(index)
    return "" if STRAY_MARK.match(value) else value


def _merge_cut_row(previous: _Row, row: _Row) -> None:
    """A row cut mid-phrase (`multi-` / `agency ...`) continues the row above in every column."""
    join_items(previous.items, row.items)
    join_items(previous.lead_items, row.lead_items)
    previous.timescale = join_cut(previous.timescale, row.timescale)
    previous.evidence = join_cut(previous.evidence, row.evidence)
    previous.progress = join_cut(previous.progress, row.progress)


PARSER = ObjectivesTableParser()
