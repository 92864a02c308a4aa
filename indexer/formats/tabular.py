"""Generic table fallback: tab-separated or markdown `|` tables whose header row names the columns.

A header row is found by column synonyms (`COLUMN_SYNONYMS`). Each following row with an action
(or a code) starts an action; a row with neither continues the action above it, which is how
PDF extraction prints a row split across a page break. Repeated headers are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan
from graphkit.vocab import COLUMN_SYNONYMS
from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import is_as_above
from indexer.normalise import clean_text

# Short words ("No", "ID", "Ref") start too many ordinary headers ("No of Benefits Identified"),
# so they count only when they are the whole cell.
WHOLE_CELL_ONLY = 3
HEADER_CELL_MAX = 80  # a longer cell is row text that happens to start with "Action ...", not a header
HEADER_NEEDS_ONE_OF = ("owner", "due", "status")
FIELD_ROLES = ("action", "code", "owner", "due", "status", "outcome", "progress")

OWNER_SEPARATORS = re.compile(r"[;/]")
SEPARATOR_ROW = re.compile(r"^[\s|:+\-]*$")
NON_WORD = re.compile(r"[^a-z0-9]+")
PARAGRAPH_TAG = re.compile(r"<(?:p|li)\b", re.IGNORECASE)
WE_WILL = re.compile(r"\bWe will\b")

SKIP_SEPARATOR = "table separator"
SKIP_OUTSIDE = "text outside a table"
SKIP_HEADER = "table header"
SKIP_REPEATED_HEADER = "repeated header"
SKIP_NO_HEADER = "table row before any recognised header"
SKIP_EMPTY_ROW = "empty table row"


def _words(text: str) -> list[str]:
    return NON_WORD.sub(" ", text.lower()).split()


SYNONYM_WORDS: list[tuple[list[str], str]] = sorted(
    ((_words(s), role) for role, names in COLUMN_SYNONYMS.items() for s in names),
    key=lambda item: -len(item[0]),
)


def column_role(cell: str) -> str | None:
    """The field a header cell names, or None.

    >>> column_role("ACTIONS What we are going to do"), column_role("Progress Update"), column_role("Progress")
    ('action', 'progress', 'status')
    >>> column_role("No of Benefits Identified") is None
    True
    """
    if len(cell) > HEADER_CELL_MAX:
        return None
    words = _words(cell)
    for synonym, role in SYNONYM_WORDS:
        if words[: len(synonym)] != synonym:
            continue
        if len(synonym) == 1 and len(synonym[0]) <= WHOLE_CELL_ONLY and len(words) > 1:
            continue
        return role
    return None


@dataclass(frozen=True, slots=True)
class Columns:
    """A header row: the role of each column (first column wins a role) and its printed label."""

    roles: tuple[str | None, ...]
    labels: tuple[str, ...]

    @property
    def width(self) -> int:
        return _width(self.labels)

    def index(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def action_columns(self) -> int:
        return sum(1 for r in self.roles if r == "action")


def header_columns(cells: Sequence[str]) -> Columns | None:
    """Columns when these cells form a header row (an action column and an owner, due or status one)."""
    roles = [column_role(c) if c else None for c in cells]
    found = {r for r in roles if r}
    filled = sum(1 for c in cells if c)
    if "action" not in found or not found.intersection(HEADER_NEEDS_ONE_OF):
        return None
    if 2 * sum(1 for r in roles if r) < filled:  # mostly unknown words: a data row, not a header
        return None
    return Columns(tuple(roles), tuple(cells))


def split_owners(text: str) -> list[str]:
    """Owners split on `;` and `/` only: commas and "and" join parts of one name too often.

    >>> split_owners("Head of Service; Lead Officer / CPC")
    ['Head of Service', 'Lead Officer', 'CPC']
    """
    return [part.strip() for part in OWNER_SEPARATORS.split(text) if part.strip()]


def _width(cells: Sequence[str]) -> int:
    """Number of cells up to the last non-empty one (extraction pads rows with empty cells)."""
    width = len(cells)
    while width and not cells[width - 1]:
        width -= 1
    return width


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: cleaned and raw cells, and whether it came from a markdown `|` table."""

    cells: tuple[str, ...]
    raw_cells: tuple[str, ...]
    pipe: bool

    def cell(self, i: int | None) -> str:
        return self.cells[i] if i is not None and 0 <= i < len(self.cells) else ""

    def raw_cell(self, i: int | None) -> str:
        return self.raw_cells[i] if i is not None and 0 <= i < len(self.raw_cells) else ""


def is_separator(raw: str) -> bool:
    """A markdown rule row such as `---|---` or `| :--- | --- |` (also tab-separated)."""
    return "--" in raw and bool(SEPARATOR_ROW.match(raw))


def split_row(line: Line, in_pipe_table: bool) -> Row | None:
    """The line as a table row, or None for text outside a table.

    A `|` line is a row when it starts with `|`, or (markdown allows bare rows) when a `|` table is
    open or a separator row follows it.
    """
    if "\t" in line.raw:
        return Row(line.cells, line.raw_cells, pipe=False)
    stripped = line.raw.strip()
    if "|" in stripped and (stripped.startswith("|") or in_pipe_table):
        if stripped.startswith("|"):
            stripped = stripped[1:]
        if stripped.endswith("|"):
            stripped = stripped[:-1]
        raw_cells = tuple(stripped.split("|"))
        return Row(tuple(clean_text(c) for c in raw_cells), raw_cells, pipe=True)
    return None


@dataclass(frozen=True, slots=True)
class Event:
    """What one non-blank line is: kind is separator, text, header or row."""

    line: Line
    kind: str
    row: Row | None = None
    columns: Columns | None = None
    repeated: bool = False


def scan(lines: Sequence[Line]) -> Iterator[Event]:
    """Classify every non-blank line; rows carry the header they sit under (None before any)."""
    columns: Columns | None = None
    in_pipe_table = False
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if is_separator(line.raw):
            yield Event(line, "separator")
            continue
        ruled = i + 1 < len(lines) and is_separator(lines[i + 1].raw)
        row = split_row(line, in_pipe_table or ruled)
        if row is None:
            yield Event(line, "text")
            continue
        header = header_columns(row.cells)
        if header is not None:
            repeated = columns is not None and header.roles == columns.roles
            columns, in_pipe_table = header, row.pipe
            yield Event(line, "header", row, header, repeated)
            continue
        yield Event(line, "row", row, columns)


def _lists_several_actions(raw_cell: str, cell: str) -> bool:
    """Several paragraphs or "We will" statements in one action cell: one row holds a list of actions."""
    return len(PARAGRAPH_TAG.findall(raw_cell)) > 1 or len(WE_WILL.findall(cell)) > 1


@dataclass(slots=True)
class _Open:
    """The action being read: its first line, columns and the text gathered per column so far."""

    line: int
    columns: Columns
    values: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        # Continuation rows carry the rest of a cell split at a page break: join with one space.
        for i, value in enumerate(row.cells):
            if value:
                self.values[i] = f"{self.values[i]} {value}" if i in self.values else value

    def value_of(self, role: str) -> str | None:
        return self.values.get(self.columns.index(role)) if role in self.columns.roles else None

    def draft(self) -> ActionDraft:
        owners_text = self.value_of("owner")
        if owners_text is None:
            owners: list[str] | None = []
        elif is_as_above(owners_text):
            owners_text, owners = "As above", None
        else:
            owners = split_owners(owners_text)
        return ActionDraft(
            line=self.line,
            code=self.value_of("code"),
            text=self.value_of("action"),
            outcome=self.value_of("outcome"),
            owners_text=owners_text,
            owners=owners,
            due_text=self.value_of("due"),
            status_text=self.value_of("status"),
            progress=self.value_of("progress"),
            notes=self.notes + self._other_columns(),
        )

    def _other_columns(self) -> list[str]:
        """Cells of unnamed columns, and of a second column with a taken role, kept as labelled notes."""
        first = {role: self.columns.index(role) for role in FIELD_ROLES}
        notes = []
        for i in sorted(self.values):
            role = self.columns.roles[i] if i < len(self.columns.roles) else None
            if role is None or first.get(role) != i:
                label = self.columns.labels[i] if i < len(self.columns.labels) else ""
                notes.append(f"{label or f'column {i + 1}'}: {self.values[i]}")
        return notes


class TabularParser:
    """Any table whose header row names an action column and an owner, due or status column."""

    name = "tabular"

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True for a header plus rows that line up with it.

        A generic reading maps cells by position, so it is only trusted when every table is regular:
        one action column, no row wider than its header, and one action per action cell. The five
        bundled plans all have matching headers but break one of these, which is why they have
        their own parsers.
        """
        try:
            return self._regular(lines)
        except Exception:  # sniffing must never stop the registry from trying the next parser
            return False

    def _regular(self, lines: Sequence[Line]) -> bool:
        actions = 0
        for event in scan(lines):
            if event.kind == "header" and event.columns and event.columns.action_columns() != 1:
                return False
            if event.kind != "row" or event.row is None or event.columns is None:
                continue
            row, columns = event.row, event.columns
            if _width(row.cells) > columns.width:
                return False
            at = columns.index("action")
            if _lists_several_actions(row.raw_cell(at), row.cell(at)):
                return False
            actions += bool(row.cell(at))
        return actions > 0

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
        try:
            self._parse(result, lines)
        except Exception as exc:  # a bug must cost this document, not the whole index
            result.abandon(lines, f"tabular parser failed: {type(exc).__name__}: {exc}")
        return result

    def _parse(self, result: ParseResult, lines: Sequence[Line]) -> None:
        current: _Open | None = None
        drafts: list[_Open] = []
        for event in scan(lines):
            n = event.line.number
            if event.kind == "separator":
                result.skip(n, SKIP_SEPARATOR)
            elif event.kind == "text":
                result.skip(n, SKIP_OUTSIDE)
            elif event.kind == "header":
                result.skip(n, SKIP_REPEATED_HEADER if event.repeated else SKIP_HEADER)
                if not event.repeated:
                    current = None  # a new table: its first rows cannot continue the old one
            elif event.columns is None or event.row is None:
                result.skip(n, SKIP_NO_HEADER)
            else:
                current = self._row(result, event.line, event.row, event.columns, current)
                if current is not None and (not drafts or drafts[-1] is not current):
                    drafts.append(current)
        result.actions.extend(d.draft() for d in drafts)

    def _row(self, result: ParseResult, line: Line, row: Row, columns: Columns, current: _Open | None) -> _Open | None:
        """Start, continue or reject one row; returns the action now open."""
        n = line.number
        if not any(row.cells):
            result.skip(n, SKIP_EMPTY_ROW)
            return current
        action, code = row.cell(columns.index("action")), row.cell(columns.index("code"))
        if self._continues(row, columns, current):
            assert current is not None
            current.add(row)
        elif action or code:
            current = _Open(n, columns)
            current.add(row)
            if not action:
                current.notes.append("no action text printed in this row")
        else:
            result.problem(n, "table row with no action and no action above it to continue", line.text)
            return current
        result.use(n)
        if _width(row.cells) > columns.width:
            result.problem(n, "row has more cells than its header; columns may be shifted", line.text)
        return current

    @staticmethod
    def _continues(row: Row, columns: Columns, current: _Open | None) -> bool:
        """A row continues the open action when it has no action and no code, or, in a table with
        codes, when it has text but no code under an action that has one (a cell split mid-page)."""
        if current is None or current.columns.roles != columns.roles:
            return False
        action, code = row.cell(columns.index("action")), row.cell(columns.index("code"))
        if not action and not code:
            return True
        return not code and columns.index("code") is not None and current.value_of("code") is not None


PARSER = TabularParser()
