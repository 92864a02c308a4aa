"""The "Keeping The Promise" coded table (Clackmannanshire's Promise plan update report): columns
Action Code | Outcome | Promise Pillar | Promise Foundation | Actions | Target and Timescales | Responsible |
Progress Update.

How a row is read
-----------------
- A row starts at a line whose first cell is a code (``GC 1``, ``WFS 3``, ``STW5``) on a line of a known
  width. Codes inside other cells (``GC5 (2)``, ``See also WFS 3``) are references, never rows.
- A row whose code cell was merged with the column header (the cell reads ``Action Code``) still starts a
  row when it carries its own Outcome and a recognised Pillar; its code is recovered afterwards from a
  reference to its first item in the progress text (``WFS 5 (1)``) or from the sequence of its neighbours
  (WFS 1, ?, WFS 3).
- Any other line extends the row above (page breaks split rows); header words and OCR-garbled header
  residue (``Code``, ``rilldi``, ``Poulitation``) are removed first, and a line that repeats text already
  read (a duplicate text layer) is skipped.
- Column layouts come from the header line when the table is not 8 columns wide (a 10-column stretch splits
  Actions and Target into two columns each).
- The first line of a row after a page break may begin with the end of the row above (the PDF let the
  previous row's cells flow into it). Such a leading tail is moved back when the previous cell ends
  mid-sentence and the cell has a clear start of its own: a reference to its item 1 (``WFS 5 (1)``), item
  numbering restarting at ``1.``, the first words of its own first action, or else the first sentence when
  the cell starts in lower case.

The Responsible, Pillar and Progress Update cells (owners, pillar, status) are read by ``promise_cells``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import is_as_above
from indexer.formats.promise_cells import HAS_WORD, normalise_pillar, split_owners, status_from_progress

FIELDS = ("code", "outcome", "pillar", "foundation", "text", "due", "owners", "progress")
STANDARD_WIDTH = len(FIELDS)

# Every spelling of a header cell seen in the table, including the split "Tar|get and Timescales".
HEADER_CELLS = frozenset(
    s.lower()
    for s in (
        "Action",
        "Code",
        "Action Code",
        "Outcome",
        "Promise",
        "Pillar",
        "Foundation",
        "Promise Pillar",
        "Promise Foundation",
        "Actions",
        "Target and Timescales",
        "Tar",
        "get and Timescales",
        "Target",
        "Timescales",
        "Responsible",
        "Progress Update",
        "Progress",
    )
)
CODE_RESIDUE = frozenset({"action", "code", "action code"})

# Header words that the PDF merged into the front of a data cell (``Promise Pillar Whole Family Support``).
HEADER_PREFIX = {
    "outcome": re.compile(r"^Outcome\b\s*", re.I),
    "pillar": re.compile(r"^(?:Promise\s+)?Pillar\b\s*", re.I),
    "foundation": re.compile(r"^(?:Promise\s+)?Foundation\b\s*", re.I),
    "text": re.compile(r"^Actions\b\s*", re.I),
    "due": re.compile(r"^Target and Timescales\b\s*", re.I),
    "owners": re.compile(r"^Responsible\b\s*", re.I),
    "progress": re.compile(r"^Progress Update\b\s*", re.I),
}

# Header cell words -> field, for building a layout from a header line of unusual width.
HEADER_FIELD_WORDS = (
    ("actions", "text"),
    ("action", "code"),
    ("code", "code"),
    ("outcome", "outcome"),
    ("pillar", "pillar"),
    ("foundation", "foundation"),
    ("tar", "due"),
    ("target", "due"),
    ("get and timescales", "due"),
    ("responsible", "owners"),
    ("progress", "progress"),
)

CODE = re.compile(r"^(?P<prefix>[A-Z]{1,4}) ?(?P<number>\d{1,2})$")
FIRST_ITEM_REF = re.compile(r"\b(?P<prefix>[A-Z]{1,4}) ?(?P<number>\d{1,2}) ?\(1\)")
ITEM_ONE = re.compile(r"(?:^|(?<=\s))1\.\s")
ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))\d{1,2}\.(?=\s|$)")
SENTENCE_END = re.compile(r"[.!?]['\"’”)]?\s+(?=[A-Z0-9'\"‘“])")
ENDS_SENTENCE = re.compile(r"[.!?:;]['\"’”)]?\s*$")
DIGIT = re.compile(r"\d")

MIN_OVERLAP_WORDS = 3  # a page break that reprints "4. Tracking, monitoring" repeats at least this many words
MIN_DUPLICATE_CHARS = 30  # shorter fragments repeat by chance ("and", "2.") and are not a second text layer
LEAD_WORDS = 3  # words of a row's first action used to find where its own progress starts


def normalise_code(printed: str) -> str | None:
    """``GC5`` -> ``GC 5``; None when the cell is not a code."""
    match = CODE.match(printed.strip())
    return f"{match['prefix']} {int(match['number'])}" if match else None


def _join(parts: Sequence[str]) -> str:
    return " ".join(p for p in (s.strip() for s in parts) if p)


def _is_open(text: str) -> bool:
    """True when a cell's text stops mid-sentence (the PDF carried the rest into the next row)."""
    return bool(text.strip()) and not ENDS_SENTENCE.search(text)


def _comparable(text: str) -> str:
    return " ".join(ITEM_NUMBER.sub(" ", text).lower().split())


@dataclass
class _Row:
    """A table row being assembled from its first line and its continuation lines."""

    line: int
    code_printed: str | None
    parts: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS[1:]})
    lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    code: str | None = None

    def value(self, name: str) -> str:
        return _join(self.parts[name])

    def append(self, name: str, fragment: str) -> None:
        """Add a fragment, merging words the PDF reprinted at the top of the next page."""
        fragment = fragment.strip()
        if not fragment:
            return
        current = self.value(name).split()
        words = fragment.split()
        for k in range(min(len(current), len(words)), MIN_OVERLAP_WORDS - 1, -1):
            if current[-k:] == words[:k]:
                self.notes.append(f"{name}: dropped {' '.join(words[:k])!r} printed twice across a page break")
                fragment = " ".join(words[k:])
                break
        if fragment:
            self.parts[name].append(fragment)


class _Reader:
    """One pass over the lines: headers, rows, continuations, page-break tails."""

    def __init__(self, plan_id: str, file: str) -> None:
        self.result = ParseResult(plan_id, file)
        self.layouts: dict[int, tuple[str, ...]] = {STANDARD_WIDTH: FIELDS}
        self.rows: list[_Row] = []
        self.after_header = False
        self.seen_header = False

    @property
    def row(self) -> _Row | None:
        return self.rows[-1] if self.rows else None

    def read(self, line: Line) -> None:
        cells = [c.strip() for c in line.cells]
        if len(cells) == 1:
            self._single_cell(line)
        elif self._is_header(cells):
            self._header(line, cells)
        elif len(cells) in self.layouts:
            self._data(line, dict(self._map(cells, self.layouts[len(cells)])))
        elif len(cells) < STANDARD_WIDTH:
            self._short(line, cells)
        else:
            self.result.problem(line.number, f"row of {len(cells)} cells; no header gives that layout", line.text)

    def _single_cell(self, line: Line) -> None:
        if not self.seen_header:
            self.result.skip(line.number, "document title")
        else:
            self.result.problem(line.number, "text outside the table columns", line.text)

    @staticmethod
    def _is_header(cells: list[str]) -> bool:
        named = [c for c in cells if c]
        return bool(named) and all(c.lower() in HEADER_CELLS or not HAS_WORD.search(c) for c in named)

    def _header(self, line: Line, cells: list[str]) -> None:
        layout = self._layout_from_header(cells)
        if layout and len(cells) != STANDARD_WIDTH:
            self.layouts[len(cells)] = layout
        reason = "repeated column header" if self.seen_header else "column header"
        self.result.skip(line.number, reason)
        self.seen_header = True
        self.after_header = True

    @staticmethod
    def _layout_from_header(cells: list[str]) -> tuple[str, ...] | None:
        """Fields per column from the first header line; an empty header cell continues the column on its left
        (the PDF split Actions over two columns). ``Promise`` is pillar, then foundation."""
        if not any(c.lower() == "outcome" for c in cells):
            return None
        layout: list[str] = []
        promise = iter(("pillar", "foundation"))
        for cell in cells:
            name = cell.lower()
            mapped = next((f for word, f in HEADER_FIELD_WORDS if name.startswith(word)), None)
            if name == "promise":
                mapped = next(promise, None)
            if mapped is None:
                if not layout:
                    return None
                mapped = layout[-1]
            layout.append(mapped)
        return tuple(layout) if set(FIELDS) <= set(layout) else None

    @staticmethod
    def _map(cells: list[str], layout: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        mapped: dict[str, list[str]] = {f: [] for f in FIELDS}
        for name, cell in zip(layout, cells, strict=False):
            mapped[name].append(cell)
        return list(mapped.items())

    def _short(self, line: Line, cells: list[str]) -> None:
        """A line narrower than any layout: an OCR ghost of the row above, or a row missing its tail."""
        code = CODE.match(cells[0])
        known = {r.code.split(" ")[0] for r in self.rows if r.code}
        # A code-like first cell with a prefix no row uses ("MEC 2") is the OCR reading of the row above.
        if self.row is not None and code and code["prefix"] not in known and not self.after_header:
            self._ghost(line, cells)
            return
        padded = cells + [""] * (STANDARD_WIDTH - len(cells))
        self._data(line, dict(self._map(padded, FIELDS)), note=f"line {line.number} has only {len(cells)} cells")

    def _ghost(self, line: Line, cells: list[str]) -> None:
        """A garbled second text layer of the row above (``MEC 2 | Carra Carray in) ...``). Right-aligned, its
        cells that read as whole sentences finish the row's cells that were cut mid-sentence."""
        row = self.row
        assert row is not None
        recovered = []
        for name, cell in zip(FIELDS[-len(cells) :], cells, strict=False):
            if name != "code" and self._is_sentence(cell) and _is_open(row.value(name)):
                row.append(name, cell)
                recovered.append(f"{name} {cell!r}")
        if recovered:
            row.notes.append(f"from OCR ghost line {line.number}: " + "; ".join(recovered))
            row.lines.append(line.number)
            self.result.use(line.number)
        else:
            self.result.skip(line.number, f"OCR ghost of the row on line {row.line}")

    @staticmethod
    def _is_sentence(cell: str) -> bool:
        words = cell.split()
        return (
            len(words) >= 3
            and cell.rstrip().endswith((".", "!", "?"))
            and all(w.strip(".,;:!?").isalpha() for w in words)
        )

    def _data(self, line: Line, fields: dict[str, list[str]], note: str | None = None) -> None:
        code_cell = _join(fields.pop("code"))
        residue = code_cell.lower() in CODE_RESIDUE
        garbled: list[str] = []
        if residue:
            garbled = self._strip_header_residue(fields)
        values = {name: [c for c in cells if HAS_WORD.search(c)] for name, cells in fields.items()}
        code = normalise_code(code_cell) if code_cell and not residue else None
        after_header, self.after_header = self.after_header, False

        if code:
            self._start_row(line, code_cell, values, after_header)
        elif residue and _join(values["outcome"]) and normalise_pillar(_join(values["pillar"])):
            self._start_row(line, None, values, after_header)
        elif not any(values.values()):
            self.result.skip(line.number, "repeated column header (OCR-garbled)")
            return
        elif self.row is None:
            self.result.problem(line.number, "continuation row before the first action", line.text)
            return
        else:
            if code_cell and not residue:
                self.result.problem(line.number, "unreadable code cell; read as a continuation", code_cell)
            if self._repeats_row(values):
                self.result.skip(line.number, f"duplicate text layer of the row on line {self.row.line}")
                return
            self._continue(line, values)
        row = self.row
        assert row is not None
        if garbled:
            row.notes.append(f"line {line.number}: ignored header residue {', '.join(map(repr, garbled))}")
        if note:
            row.notes.append(note)

    @staticmethod
    def _strip_header_residue(fields: dict[str, list[str]]) -> list[str]:
        """Header words merged into data cells, and OCR-garbled Pillar/Foundation header words beside them."""
        garbled = []
        for name, cells in fields.items():
            for i, cell in enumerate(cells):
                cells[i] = HEADER_PREFIX[name].sub("", cell) if name in HEADER_PREFIX else cell
        # A one-word pillar that names no pillar, or a foundation with no number, is the header printed badly
        # ("rilldi", "Poulitation", "roundation").
        for name, keep in (("pillar", normalise_pillar), ("foundation", DIGIT.search)):
            text = _join(fields[name])
            if text and len(text.split()) == 1 and not keep(text):
                garbled.append(text)
                fields[name] = []
        return garbled

    def _repeats_row(self, values: dict[str, list[str]]) -> bool:
        """True when every cell of the line is text the row already holds (a duplicate text layer)."""
        row = self.row
        assert row is not None
        filled = {name: _join(cells) for name, cells in values.items() if cells}
        if not filled or sum(len(v) for v in filled.values()) < MIN_DUPLICATE_CHARS:
            return False
        return all(_comparable(v) in _comparable(row.value(name)) for name, v in filled.items())

    def _continue(self, line: Line, values: dict[str, list[str]]) -> None:
        row = self.row
        assert row is not None
        for name, cells in values.items():
            row.append(name, _join(cells))
        row.lines.append(line.number)
        self.result.use(line.number)

    def _start_row(
        self, line: Line, code_printed: str | None, values: dict[str, list[str]], after_header: bool
    ) -> None:
        previous = self.row
        row = _Row(line=line.number, code_printed=code_printed, lines=[line.number])
        if code_printed:
            row.code = normalise_code(code_printed)
        joined = {name: _join(cells) for name, cells in values.items()}
        if previous is not None and after_header:
            for name in ("text", "due", "progress"):
                joined[name] = self._move_tail(previous, row, name, joined[name], joined["text"], line.number)
        for name, value in joined.items():
            row.append(name, value)
        self.rows.append(row)
        self.result.use(line.number)

    def _move_tail(self, previous: _Row, row: _Row, name: str, cell: str, own_text: str, number: int) -> str:
        """Give the row above the start of a cell that finishes its sentence; return what stays."""
        if not cell or not _is_open(previous.value(name)):
            return cell
        cut, why = self._tail_end(row, name, cell, own_text)
        if cut <= 0 or cut >= len(cell):
            return cell
        tail = cell[:cut].strip()
        previous.append(name, tail)
        if number not in previous.lines:
            previous.lines.append(number)
        previous.notes.append(f"{name}: end ({tail[:50]!r}) printed in the next row, line {number}")
        row.notes.append(f"{name}: leading {tail[:50]!r} belongs to the row on line {previous.line} ({why})")
        return cell[cut:].strip()

    @staticmethod
    def _tail_end(row: _Row, name: str, cell: str, own_text: str) -> tuple[int, str]:
        if name == "progress":
            for match in FIRST_ITEM_REF.finditer(cell):
                ref = f"{match['prefix']} {int(match['number'])}"
                if row.code in (None, ref):
                    return match.start(), f"its own item reference {match.group(0)!r}"
            lead = " ".join(ITEM_NUMBER.sub(" ", own_text).split()[:LEAD_WORDS])
            at = cell.find(lead) if len(lead.split()) == LEAD_WORDS else -1
            if at > 0:
                return at, f"its own progress starts with {lead!r} like its first action"
        else:
            match = ITEM_ONE.search(cell)
            if match and match.start() > 0:
                return match.start(), "its numbering restarts at 1."
        if cell[:1].islower():
            match = SENTENCE_END.search(cell)
            if match:
                return match.end(), "it opens by finishing a sentence"
        return 0, ""

    def finish(self) -> ParseResult:
        self._recover_codes()
        seen: dict[str, int] = {}
        for row in self.rows:
            if row.code and row.code in seen:
                self.result.problem(row.line, f"code {row.code} already used on line {seen[row.code]}")
            elif row.code:
                seen[row.code] = row.line
            self.result.actions.append(self._draft(row))
        return self.result

    def _recover_codes(self) -> None:
        """A row whose code cell is lost takes the code between its neighbours (WFS 1, ?, WFS 3)."""
        used = {r.code for r in self.rows if r.code}
        for i, row in enumerate(self.rows):
            if row.code:
                continue
            ref = FIRST_ITEM_REF.search(row.value("progress"))
            if ref and f"{ref['prefix']} {int(ref['number'])}" not in used:
                row.code = f"{ref['prefix']} {int(ref['number'])}"
                used.add(row.code)
                row.notes.append(f"code recovered from progress text {ref.group(0)!r}")
                continue
            before = next((r.code for r in reversed(self.rows[:i]) if r.code), None)
            after = next((r.code for r in self.rows[i + 1 :] if r.code), None)
            guess = self._between(before, after)
            if guess and guess not in used:
                row.code = guess
                used.add(guess)
                row.notes.append(f"code recovered by sequence between {before} and {after or 'the end'}")
            else:
                self.result.problem(row.line, "row without a code; none could be recovered", row.value("text"))

    @staticmethod
    def _between(before: str | None, after: str | None) -> str | None:
        if before is None:
            return None
        prefix, number = before.rsplit(" ", 1)
        guess = f"{prefix} {int(number) + 1}"
        if after is None or not after.startswith(prefix + " "):
            return guess
        return guess if int(after.rsplit(" ", 1)[1]) == int(number) + 2 else None

    def _draft(self, row: _Row) -> ActionDraft:
        owners_text = row.value("owners") or None
        foundation = row.value("foundation")
        progress = row.value("progress") or None
        pillar_printed = row.value("pillar")
        pillar = normalise_pillar(pillar_printed)
        if pillar_printed and pillar is None:
            row.notes.append(f"pillar {pillar_printed!r} is not one of the five pillars")
        if is_as_above(owners_text):
            owners_text = "As above"
        return ActionDraft(
            line=row.line,
            code=row.code,
            code_printed=row.code_printed,
            text=row.value("text") or None,
            outcome=row.value("outcome") or None,
            pillar=pillar,
            foundations_text=foundation if DIGIT.search(foundation) else None,
            owners_text=owners_text,
            owners=split_owners(owners_text),
            due_text=row.value("due") or None,
            status_text=progress,
            status=status_from_progress(progress),
            progress=progress,
            notes=row.notes,
        )


class PromiseTableParser:
    """The Clackmannanshire "Keeping The Promise" coded action table."""

    name = "promise_table"

    def sniff(self, lines: Sequence[Line]) -> bool:
        """A header naming Outcome and Actions, Pillar and Foundation columns, and coded rows."""
        try:
            header = pillar = foundation = False
            coded = 0
            for line in lines:
                lowered = [c.strip().lower() for c in line.cells]
                if len(lowered) < 2:
                    continue
                header = header or ("outcome" in lowered and any(c.startswith("actions") for c in lowered))
                pillar = pillar or any(c in ("pillar", "promise pillar") for c in lowered)
                foundation = foundation or any(c in ("foundation", "promise foundation") for c in lowered)
                coded += bool(CODE.match(line.cells[0].strip()))
            return header and pillar and foundation and coded >= 3
        except Exception:  # sniffing must never stop the registry from trying the next parser
            return False

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Every non-blank line ends up in an action, a named skip or a problem."""
        reader = _Reader(plan.id, plan.file)
        reader.result.parser = self.name
        for line in lines:
            if line.blank:
                continue
            try:
                reader.read(line)
            except Exception as exc:  # one odd line must not lose the document
                reader.result.problem(line.number, f"could not read line ({type(exc).__name__}: {exc})", line.raw)
        try:
            return reader.finish()
        except Exception as exc:
            result = reader.result
            result.problem(0, f"could not finish the document ({type(exc).__name__}: {exc})", severity="error")
            return result


PARSER = PromiseTableParser()
