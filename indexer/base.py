"""The parser interface: Line in, ParseResult (action drafts, problems, skipped lines) out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graphkit.records import Plan

NOT_PLACED = "line not placed in any record"
NOT_READ = "not read: parser failed"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document: its 1-based number, the raw text and its tab-separated cells.

    `cells` are cleaned (HTML tags and entities removed, runs of white space folded);
    `raw_cells` keep the markup, for the few values that live only in an attribute.
    """

    number: int
    raw: str
    cells: tuple[str, ...]
    raw_cells: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cleaned cells joined with single spaces (empty cells dropped)."""
        return " ".join(c for c in self.cells if c)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def cell(self, i: int) -> str:
        """Cleaned cell i, or '' when the row is shorter."""
        return self.cells[i] if 0 <= i < len(self.cells) else ""


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something a parser could not place or had to guess, with file and line."""

    document: str
    file: str
    line: int
    reason: str
    text: str = ""
    severity: str = "warning"  # "warning" (recorded, parsing went on) or "error" (document lost)

    def __str__(self) -> str:
        snippet = f": {self.text[:80]!r}" if self.text else ""
        return f"{self.file}:{self.line}: {self.severity}: {self.reason}{snippet}"


@dataclass(slots=True)
class ActionDraft:
    """What a parser read for one action, before normalisation.

    Parsers fill in the printed text of each field; `indexer.enrich` turns drafts into
    `graphkit.records.Action` (ids, owner lists, ISO dates, status scale, foundations, themes).
    A parser may set the normalised value of a field itself (``owners``, ``foundations``,
    ``status``) where only it knows how to read that document; enrich then keeps it.
    """

    line: int
    code: str | None = None
    code_printed: str | None = None
    plan: str | None = None
    text: str | None = None
    outcome: str | None = None
    pillar: str | None = None
    foundations_text: str | None = None
    foundations: list[str] | None = None
    owners_text: str | None = None
    owners: list[str] | None = None
    due_text: str | None = None
    status_text: str | None = None
    status: str | None = None
    progress: str | None = None
    notes: list[str] = field(default_factory=list)
    key: str | None = None  # id suffix for actions without a code; default "L<line>"


@dataclass(slots=True)
class ParseResult:
    """Drafts plus an account of every line: used in a record, skipped (with a reason) or a problem."""

    document: str
    file: str
    actions: list[ActionDraft] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    skipped: dict[int, str] = field(default_factory=dict)
    parser: str = ""

    def use(self, *numbers: int) -> None:
        """Mark lines as having gone into a record."""
        self.used.update(numbers)

    def skip(self, number: int, reason: str) -> None:
        """Mark a line as deliberately not part of any record (page furniture, a header, prose)."""
        if number not in self.used:
            self.skipped.setdefault(number, reason)

    def problem(self, number: int, reason: str, text: str = "", severity: str = "warning") -> None:
        self.problems.append(ParseProblem(self.document, self.file, number, reason, text[:200], severity))

    def account_for(self, lines: Sequence[Line]) -> None:
        """Report every non-blank line not yet used, skipped or reported: nothing is dropped silently."""
        placed = self.used | set(self.skipped) | {p.line for p in self.problems}
        for line in lines:
            if not line.blank and line.number not in placed:
                self.problem(line.number, NOT_PLACED, line.text)

    def abandon(self, lines: Sequence[Line], reason: str) -> None:
        """Drop a half-read document: no actions, one error, and every line skipped as not read."""
        self.actions.clear()
        self.used.clear()
        self.skipped.clear()
        self.problem(1, reason, severity="error")
        for line in lines:
            if not line.blank:
                self.skip(line.number, NOT_READ)


class Parser(Protocol):
    """One document format. A parser never opens files and never raises on a bad row."""

    name: str  # the value used in the catalogue's `format` column

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True when these lines look like this format."""
        ...

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Every line ends up in a record, in a ParseProblem, or in a skip with a named reason."""
        ...
