"""Space-aligned tables in text (the usual look of text taken out of a PDF): the columns from where the header's
words start, body lines cut at those columns, wrapped cells joined into one cell.

A header row is found by column meaning (`indexer.columns`) over one or two lines; a body line whose action cell is
empty or starts in lower case, or that runs on an action without a full stop while leaving the status, due and code
columns empty, joins the row above (also across a page break); the header repeated on a later page is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.base import Line
from indexer.columns import column_roles, is_header
from indexer.document import Block, Where

SEGMENT = re.compile(r"\S+(?: \S+)*")
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
TERMINAL = (".", "!", "?")
MAX_COLUMNS = 16  # more runs than this on one line is not a table header
COLUMN_TOLERANCE = 2  # a cell may start this many characters left of its header word
SKIP_REPEATED_HEADER = "repeated header"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of words separated by single spaces, and where it starts and ends on its line."""

    start: int
    end: int
    text: str


def segments(raw: str) -> list[Segment]:
    """The runs of a line separated by two spaces or more.

    >>> [s.text for s in segments("Priority   What we will do  Who")]
    ['Priority', 'What we will do', 'Who']
    """
    raw = raw.replace("\f", " ").expandtabs(8)
    return [Segment(m.start(), m.end(), m.group()) for m in SEGMENT.finditer(raw)]


def _roles(texts: Sequence[str]) -> list[str | None]:
    return column_roles(texts)


def _header_ok(roles: Sequence[str | None]) -> bool:
    return is_header(roles)


def is_header_text(raw: str) -> bool:
    segs = segments(raw)
    return MAX_COLUMNS >= len(segs) >= 2 and _header_ok(_roles([s.text for s in segs]))


def _merge_header(first: list[Segment], second: list[Segment]) -> list[Segment] | None:
    """Two header lines as one: each word of the second line joins the column above it (or starts its own)."""
    merged = [[s.start, s.end, s.text] for s in first]
    for seg in second:
        above = [m for m in merged if m[0] - COLUMN_TOLERANCE <= seg.start < m[1] + COLUMN_TOLERANCE]
        above = above or [m for m in merged if seg.start <= m[0] < seg.end]
        if above:
            target = above[0]
            target[2] = f"{target[2]} {seg.text}"
            target[0], target[1] = min(target[0], seg.start), max(target[1], seg.end)
        else:
            merged.append([seg.start, seg.end, seg.text])
    merged.sort()
    return [Segment(a, b, t) for a, b, t in merged]


def header_at(lines: Sequence[Line], i: int) -> tuple[list[Segment], int] | None:
    """The header segments starting at line index i and how many lines it takes (1 or 2), or None."""
    first = segments(lines[i].raw)
    if not first or len(first) > MAX_COLUMNS:
        return None
    nxt = segments(lines[i + 1].raw) if i + 1 < len(lines) and not lines[i + 1].blank else []
    if len(first) >= 2 and _header_ok(_roles([s.text for s in first])):
        if nxt and len(nxt) <= len(first) and all(len(s.text.split()) <= 3 for s in nxt):
            merged = _merge_header(first, nxt)
            if merged and len(merged) == len(first) and _header_ok(_roles([s.text for s in merged])):
                mroles = _roles([s.text for s in merged])
                changed = [m for m, f in zip(merged, first, strict=True) if m.text != f.text]
                if changed and all(mroles[merged.index(m)] for m in changed) and _continues_header(first, nxt):
                    return merged, 2
        return first, 1
    if nxt and len(first) + len(nxt) >= 2 and all(len(s.text.split()) <= 4 for s in first + nxt):
        merged = _merge_header(first, nxt)
        if merged and len(merged) >= 2 and _header_ok(_roles([s.text for s in merged])):
            roles = _roles([s.text for s in merged])
            if sum(1 for r in roles if r) == len(merged):
                return merged, 2
    return None


def _continues_header(first: list[Segment], second: list[Segment]) -> bool:
    """The second line's words sit under header words and do not name a column of their own."""
    roles = _roles([s.text for s in second])
    return not any(r in ("action", "owner") for r in roles) and len(second) < len(first)


def _column_of(starts: Sequence[int], position: int) -> int:
    column = 0
    for i, start in enumerate(starts):
        if position + COLUMN_TOLERANCE >= start:
            column = i
    return column


def _cells(raw: str, starts: Sequence[int]) -> dict[int, str]:
    cells: dict[int, str] = {}
    for seg in segments(raw):
        column = _column_of(starts, seg.start)
        cells[column] = f"{cells[column]} {seg.text}" if column in cells else seg.text
    return cells


def _fits(raw: str, starts: Sequence[int]) -> bool:
    """A line that lines up with the columns: several segments, or one that stays inside its column."""
    segs = segments(raw)
    if not segs:
        return True
    if len(segs) >= 2:
        return True
    seg = segs[0]
    column = _column_of(starts, seg.start)
    if column > 0:
        return True
    return len(starts) < 2 or seg.end <= starts[1] + COLUMN_TOLERANCE


def aligned_table(lines: Sequence[Line], i: int, skip: dict[int, str]) -> tuple[Block, int, dict[int, str]] | None:
    """A space-aligned table whose header starts at line index i: the block, the index after it, lines skipped."""
    found = header_at(lines, i)
    if found is None:
        return None
    header, height = found
    starts = [s.start for s in header]
    header_roles = _roles([s.text for s in header])
    action = header_roles.index("action")
    # the columns a row prints on its first line (a wrapped line leaves them empty): status, due or code
    starters = [k for k, r in enumerate(header_roles) if r in ("status", "due", "code")]
    first_line_key = " ".join(segments(lines[i].raw)[0].text.split()).lower() if segments(lines[i].raw) else ""
    rows: list[dict[int, str]] = []
    row_lines: list[list[int]] = []
    skipped: dict[int, str] = {}
    j = i + height
    end = j
    blanks = 0
    while j < len(lines):
        line = lines[j]
        if line.blank:
            blanks += 1
            j += 1
            continue
        if line.number in skip:
            j += 1
            continue
        again = header_at(lines, j)
        if again is not None and _roles([s.text for s in again[0]]) == header_roles:
            for k in range(again[1]):
                skipped[lines[j + k].number] = SKIP_REPEATED_HEADER
            j += again[1]
            end = j
            blanks = 0
            continue
        if "\t" in line.raw or not _fits(line.raw, starts) or MD_HEADING.match(line.raw):
            break
        if blanks and len(segments(line.raw)) < 2 and _column_of(starts, segments(line.raw)[0].start) == 0:
            break  # a lone line after a gap, in the first column: the text after the table
        cells = _cells(line.raw, starts)
        if rows and _continues_row(rows[-1], cells, action, starters):
            for column, text in cells.items():
                rows[-1][column] = f"{rows[-1][column]} {text}" if column in rows[-1] else text
            row_lines[-1].append(line.number)
        else:
            rows.append(dict(cells))
            row_lines.append([line.number])
        blanks = 0
        j += 1
        end = j
    if not rows:
        return None
    del first_line_key
    width = len(starts)
    table_rows = [tuple(s.text for s in header)] + [tuple(r.get(c, "") for c in range(width)) for r in rows]
    numbers = [tuple(lines[i + k].number for k in range(height))] + [tuple(r) for r in row_lines]
    block = Block(
        "table",
        where=Where(lines[i].number, source_line=lines[i].number),
        rows=tuple(table_rows),
        row_where=tuple(Where(n[0], source_line=n[0]) for n in numbers),
        row_lines=tuple(numbers),
    )
    return block, end, skipped


def _continues_row(previous: dict[int, str], cells: dict[int, str], action: int, starters: list[int]) -> bool:
    """A body line continues the row above when its action cell is empty or starts in lower case, or when the
    action above ran on without a full stop and this line fills none of the columns a row prints on its first line
    (status, due, code; any other column when the table has none of those)."""
    text = cells.get(action, "")
    if not text:
        return True
    if text[0].islower() or text[0] in ",;:)&/-":
        return True
    above = previous.get(action, "")
    if not above or above.endswith(TERMINAL):
        return False
    if starters:
        return not any(c in cells for c in starters)
    return not [c for c in cells if c != action]
