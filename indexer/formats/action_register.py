"""South Ayrshire's Parenting Promise register: `SAPP n.m` actions grouped under numbered improvement areas.

Columns are Action code | Action | Assigned To | Due Date | Status | No of Benefits Identified | Narrative
Detail. The PDF extraction loses the Action cell of some rows, or merges it with the owner, and every later
cell then sits one column to the left; so a code row is read from its due date outwards, not by position.
Cells cut by a page break continue on a row with an empty first cell after a blank line. Between tables,
each area has a summary (`<p>` HTML in the Action column, or plain paragraphs) and a benefit list: neither
is an action, both are skipped with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import is_as_above

NAME = "action_register"
CODE_PREFIX = "SAPP"
CODE = re.compile(r"^SAPP\s*(\d{1,2})\s*\.\s*(\d{1,2})$")
MIN_CODE_ROWS = 3  # sniff: a register prints several code rows

AREA_HEADING = re.compile(r"^(\d{1,2})\.\s+([A-Z].*)$")
# Printed as `31-Dec-2022`, `31- Dec-2024`, `31 -Dec- 2023` and `31-Mar 2024`.
DUE_DATE = re.compile(r"^\d{1,2}\s*-\s*[A-Za-z]{3,9}\s*-?\s*\d{4}$")
BENEFIT_COUNT = re.compile(r"^\d{1,2}$")
HEADER_WORDS = frozenset(
    {
        "action",
        "assigned to",
        "due date",
        "status",
        "no of benefits identified",
        "no of benefits",
        "identified",
        "narrative detail",
    }
)
MARKDOWN_SEPARATOR = re.compile(r"^:?-{2,}:?$")
SUMMARY_MARKUP = re.compile(r"<\s*(?:p|ul)\b", re.IGNORECASE)
BULLET = re.compile(r"^\s*[-•·]\s")
TABLE_CAPTION = re.compile(r"^Table\s+\d+\s*:", re.IGNORECASE)

# Continuation rows keep the table's own columns (they are not shifted): 1 Action, 2 Assigned To,
# 3 Due Date, 4 Status, 5 No of Benefits; the narrative is the row's last cell, wherever the row ends.
CONTINUATION_FIELDS = {1: "text", 2: "owner", 3: "due", 4: "status"}
FIRST_NARRATIVE_INDEX = 5

# Owners are personal names: `Dawn Parker`, `Kimberley Keenan; Gayle Ferguson`, `Beth Maclean /`.
OWNER_SEPARATOR = re.compile(r"\s*[;/,]\s*")
NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:['-][A-Za-z]+)*$")
OWNER_TOKEN = re.compile(r"^(?:[A-Z][a-z]+(?:['-][A-Za-z]+)*[;,/]?|[;/,])$")
# Capitalised words that end action sentences but are never part of a person's name.
NOT_NAMES = frozenset(
    {"The", "This", "These", "South", "North", "Ayrshire", "Promise", "Council", "Scotland", "Care"}
    | {"Children", "Health", "Social", "Services", "Board", "Plan", "Partnership", "Justice"}
)
MAX_OWNER_WORDS = 8
# A status sentence that stops on one of these words was cut off by the PDF (7.1 `... in line with`).
DANGLING_WORDS = frozenset({"with", "of", "to", "and", "the", "for", "in", "by", "a"})


@dataclass(slots=True)
class _Open:
    """An action being read: its draft and the printed pieces of each field, in line order."""

    draft: ActionDraft
    text: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # owner cell pieces
    due: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    text_missing: bool = False


def split_owners(text: str) -> list[str]:
    """Split an owner cell into people, in printed order.

    Names are separated by `;`, `/` or `,`; two personal names printed with no separator (`Meg Williams
    Gayle Fergusson`) are split into capitalised word pairs, because every owner in this register is a
    first name and a surname.

    >>> split_owners("Meg Williams Gayle Fergusson")
    ['Meg Williams', 'Gayle Fergusson']
    >>> split_owners("Beth Maclean /")
    ['Beth Maclean']
    """
    people: list[str] = []
    for part in OWNER_SEPARATOR.split(text):
        part = part.strip()
        if part:
            people.extend(_split_name_pairs(part))
    return people


def _split_name_pairs(part: str) -> list[str]:
    words = part.split()
    if len(words) >= 4 and len(words) % 2 == 0 and all(NAME_WORD.match(w) for w in words):
        return [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]
    return [part]


def looks_like_owner(text: str) -> bool:
    """True when a cell holds only personal names (so it is an owner cell, not action text)."""
    words = [w for w in OWNER_SEPARATOR.sub(" ", text).split() if w]
    return 0 < len(words) <= MAX_OWNER_WORDS and all(NAME_WORD.match(w) and w not in NOT_NAMES for w in words)


def split_trailing_owner(text: str) -> tuple[str, str]:
    """Take the owner names printed at the end of an action text cell: (action text, owner text).

    The owner is the longest run of capitalised name words (with `;` separators) at the end of the cell;
    a run of odd length gives its first word back to the sentence, since every owner is two words.

    >>> split_trailing_owner("rather than inputs alone. Sheila Tyeson")
    ('rather than inputs alone.', 'Sheila Tyeson')
    >>> split_trailing_owner("so that support can Kimberley Keenan; Gayle Ferguson")
    ('so that support can', 'Kimberley Keenan; Gayle Ferguson')
    """
    tokens = text.split()
    start = len(tokens)
    while start > 0 and OWNER_TOKEN.match(tokens[start - 1]) and tokens[start - 1] not in NOT_NAMES:
        start -= 1
    while start < len(tokens) and OWNER_SEPARATOR.fullmatch(tokens[start]):
        start += 1
    first_group = 0
    for token in tokens[start:]:
        first_group += 1
        if token[-1] in ";,/":
            break
    if first_group % 2 == 1:
        start += 1
    if start >= len(tokens):
        return text, ""
    return " ".join(tokens[:start]), " ".join(tokens[start:])


def _code(cell: str) -> str | None:
    match = CODE.match(cell)
    return f"{CODE_PREFIX} {int(match.group(1))}.{int(match.group(2))}" if match else None


def _nonempty(cells: Sequence[str]) -> list[tuple[int, str]]:
    return [(i, c) for i, c in enumerate(cells) if c]


class ActionRegisterParser:
    """South Ayrshire's Promise action register: one code row per action, areas as numbered headings."""

    name = NAME

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True when several rows start with a `SAPP n.m` code cell."""
        try:
            return sum(1 for line in lines if _code(line.cell(0))) >= MIN_CODE_ROWS
        except Exception:  # noqa: BLE001 - sniffing must never stop the registry
            return False

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Read every code row into a draft; account for every other line."""
        result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
        reader = _Reader(result)
        for line in lines:
            try:
                reader.read(line)
            except Exception as exc:  # noqa: BLE001 - one odd line must not lose the document
                result.problem(line.number, f"could not read line ({type(exc).__name__})", line.raw)
        reader.close()
        _account_for_rest(result, lines)
        return result


class _Reader:
    """Line-by-line state: the current improvement area and the action whose cells may continue."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.area: str | None = None
        self.area_line: int | None = None
        self.seen_area = False
        self.current: _Open | None = None
        self.codes: set[str] = set()

    def read(self, line: Line) -> None:
        if line.blank:
            return
        code = _code(line.cell(0))
        if code:
            self._finish()
            self.current = self._code_row(line, code)
        elif len(line.cells) > 1:
            self._table_row(line)
        else:
            self._paragraph(line)

    def close(self) -> None:
        self._finish()

    # -- rows ---------------------------------------------------------------------------------------------

    def _code_row(self, line: Line, code: str) -> _Open:
        draft = ActionDraft(line=line.number, code=code, code_printed=line.cell(0), outcome=self.area)
        if code in self.codes:
            self.result.problem(line.number, f"code {code} printed twice", line.text)
            draft.notes.append(f"code {code} is printed more than once")
        self.codes.add(code)
        opened = _Open(draft)
        rest = list(line.cells[1:])
        due_at = next((i for i, c in enumerate(rest) if DUE_DATE.match(c)), None)
        if due_at is None:
            # No recognisable date: read the columns in their printed order and say so.
            due_at = 2
            self.result.problem(line.number, "no due date found; columns read in printed order", line.text)
        if due_at >= 2:
            opened.text.append(" ".join(c for c in rest[: due_at - 1] if c))
            opened.owners.append(rest[due_at - 1])
        elif due_at == 1:
            self._shifted_action_cell(opened, rest[0], line)
        if due_at < len(rest) and rest[due_at]:
            opened.due.append(rest[due_at])
        tail = rest[due_at + 1 :]
        if tail:
            opened.status.append(tail[0])
        if len(tail) > 1 and BENEFIT_COUNT.match(tail[1]):
            draft.notes.append(f"benefits identified: {tail[1]}")
            tail = tail[2:]
        else:
            tail = tail[1:]
        opened.narrative.extend(c for c in tail if c)
        self.result.use(line.number)
        if self.area_line is not None:
            self.result.use(self.area_line)
        return opened

    def _shifted_action_cell(self, opened: _Open, cell: str, line: Line) -> None:
        """The Action cell is lost or merged with the owner, so the row sits one column to the left."""
        if looks_like_owner(cell):
            opened.text_missing = True
            opened.owners.append(cell)
            opened.draft.notes.append("no action text printed: the Action column holds the owner")
            return
        text, owner = split_trailing_owner(cell)
        opened.text.append(text)
        if owner:
            opened.owners.append(owner)
            opened.draft.notes.append("owner printed at the end of the action text; moved to owners")
        else:
            self.result.problem(line.number, "row shifted left but no owner found in the action cell", cell)

    def _table_row(self, line: Line) -> None:
        cells = line.cells
        filled = _nonempty(cells)
        words = {c.lower() for _, c in filled}
        if words <= HEADER_WORDS:
            self._close_table()
            self.result.skip(line.number, "column header")
        elif all(MARKDOWN_SEPARATOR.match(c) for _, c in filled):
            self.result.skip(line.number, "table separator")
        elif len(filled) == 1 and filled[0][0] == 0 and AREA_HEADING.match(filled[0][1]):
            self._area(line, filled[0][1])
        elif filled[0][0] <= 1 and SUMMARY_MARKUP.search(line.raw_cells[filled[0][0]]):
            self._close_table()
            self.result.skip(line.number, "area summary")
        elif not cells[0] and self.current is not None:
            self._continuation(line, filled)
        else:
            self.result.problem(line.number, "table row without a code and no action to continue", line.text)

    def _continuation(self, line: Line, filled: list[tuple[int, str]]) -> None:
        """A row cut by a page break: each cell continues the same column of the action above."""
        opened = self.current
        assert opened is not None
        last = filled[-1][0]
        for index, value in filled:
            if index >= FIRST_NARRATIVE_INDEX and (index == last or not BENEFIT_COUNT.match(value)):
                opened.narrative.append(value)
                continue
            role = CONTINUATION_FIELDS.get(index)
            if role == "text":
                opened.text.append(value)
            elif role == "owner":
                opened.owners.append(value)
            elif role == "due":
                opened.due.append(value)
            elif role == "status":
                opened.status.append(value)
            else:
                opened.draft.notes.append(f"unplaced continuation cell on line {line.number}: {value}")
        self.result.use(line.number)

    def _paragraph(self, line: Line) -> None:
        text = line.text
        match = AREA_HEADING.match(text)
        if match:
            self._area(line, text)
        elif BULLET.match(line.raw) or text.startswith("-"):
            self.result.skip(line.number, "benefit list")
        elif TABLE_CAPTION.match(text):
            self.result.skip(line.number, "table caption")
        elif not self.seen_area:
            self.result.skip(line.number, "document title")
        else:
            # Summary prose between tables ("Action 9.1 has been completed ...", "Impact", benefit counts).
            self._close_table()
            self.result.skip(line.number, "area summary")

    def _area(self, line: Line, text: str) -> None:
        self._finish()
        self.area = text
        self.area_line = line.number
        self.seen_area = True
        # The heading is marked used by the area's first action; one with no actions is skipped at the end.

    def _close_table(self) -> None:
        """After a header, summary or prose, no later row may continue the last action."""
        self._finish()

    def _finish(self) -> None:
        if self.current is None:
            return
        try:
            self.result.actions.append(_draft(self.current))
        except Exception as exc:  # noqa: BLE001 - keep the action's line accounted for
            self.result.problem(self.current.draft.line, f"could not finish action ({type(exc).__name__})")
        self.current = None


def _draft(opened: _Open) -> ActionDraft:
    """Join the pieces of each field with single spaces and read the owners."""
    draft = opened.draft
    text = " ".join(p for p in opened.text if p).strip()
    draft.text = None if opened.text_missing or not text else text
    owner_pieces = [p.strip() for p in opened.owners if p and p.strip()]
    owners_text = " ".join(owner_pieces)
    if owners_text.endswith(("/", ";", ",")):
        draft.notes.append("owner cell ends with a separator: a further owner may be lost")
    owners_text = owners_text.rstrip(" /;,")
    if is_as_above(owners_text):
        draft.owners_text, draft.owners = "As above", None
    else:
        draft.owners_text = owners_text or None
        draft.owners = [person for piece in owner_pieces for person in split_owners(piece)]
    draft.due_text = " ".join(opened.due) or None
    status = " ".join(p for p in opened.status if p).strip()
    draft.status_text = status or None
    if status and status.split()[-1].lower() in DANGLING_WORDS:
        draft.notes.append("status text is cut off in the PDF")
    draft.progress = " ".join(opened.narrative) or None
    return draft


def _account_for_rest(result: ParseResult, lines: Sequence[Line]) -> None:
    """Area headings not yet claimed are skipped as headings; any other unplaced line becomes a problem."""
    for line in lines:
        if not line.blank and line.number not in result.used and AREA_HEADING.match(line.text):
            result.skip(line.number, "outcome heading")
    result.account_for(lines)


PARSER = ActionRegisterParser()
