"""Table rows as readers meet them: a row split by a page break, a header row below title rows, list markers.

Shared by the PDF, Word, Excel and HTML readers, so that each decides these things the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A list item's printed marker: a bullet, a dash, or a number or letter with its dot or bracket ("1.", "2)", "a)",
# "(iv)", "1.2."). A number must be followed by its dot or bracket: "2.0 Recommendations" is a heading, not an item.
MARKER = re.compile(
    r"^(?P<marker>[•●▪■◦○‣∙·*\-–]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5})[.)]|\((?:\d{1,3}|[a-z]|[ivx]{1,5})\))"
    r"\s+(?P<text>\S.*)$"
)
HEADER_MAX_WORDS = 8  # a column name is a few words ("Target and Timescales"); a sentence is not
HEADER_MIN_CELLS = 2


def split_marker(text: str) -> tuple[str, str] | None:
    """(marker, text) when `text` starts with a list marker, else None.

    >>> split_marker("• Offer independent advocacy")
    ('•', 'Offer independent advocacy')
    >>> split_marker("2) Review the plan")
    ('2)', 'Review the plan')
    >>> split_marker("2.0 Recommendations") is None
    True
    """
    match = MARKER.match(text.strip())
    return (match["marker"], match["text"]) if match else None


def continues_row(row: Sequence[str], page_full: bool = False) -> bool:
    """True when a row that starts a page is the rest of the row above, split by the page break.

    The text that ran over starts mid-sentence, in lower case, in some cell. A split row's first cell (the action or
    its code) was usually printed whole on the page before, so it is empty on the new page; when the page before was
    filled to its bottom margin (a row that did not fit would have left a gap), a first cell that wrapped over is
    joined too. A row of its own with an empty first cell (a second action under one outcome) starts its cells
    afresh, with capitals.

    >>> continues_row(["", "will continue to provide support", ""])
    True
    >>> continues_row(["GC 3", "Creation of a tool", "Headteachers"])
    False
    >>> continues_row(["", "We will ensure care leavers are a priority", "Senior Manager"])
    False
    >>> continues_row(["Training modules", "staff and to develop strategies", ""], page_full=True)
    True
    """
    cells = [cell.strip() for cell in row]
    if not any(cell[:1].islower() for cell in cells):
        return False
    return page_full or not cells[0] or cells[0][0].islower()


def join_rows(above: Sequence[str], rest: Sequence[str]) -> tuple[str, ...]:
    """One row from a row and its continuation, cell by cell.

    >>> join_rows(["GC 2", "Audit of plans to be", "Virtual"], ["", "completed by December 2023", "Headteacher"])
    ('GC 2', 'Audit of plans to be completed by December 2023', 'Virtual Headteacher')
    """
    width = max(len(above), len(rest))
    cells = []
    for i in range(width):
        a = above[i] if i < len(above) else ""
        b = rest[i] if i < len(rest) else ""
        cells.append(f"{a} {b}".strip() if a and b else a or b)
    return tuple(cells)


def looks_like_header(row: Sequence[str]) -> bool:
    """True when a row looks like column names: several short, non-empty text cells, none of them a number or date.

    >>> looks_like_header(["Action", "Who", "By when", "RAG"])
    True
    >>> looks_like_header(["Keeping The Promise: Plan 2023 - 2026", "", ""])
    False
    >>> looks_like_header(["1.1", "Recruit 3 staff", "Dawn Parker", "31-Dec-2022"])
    False
    """
    cells = [c.strip() for c in row if c and c.strip()]
    if len(cells) < HEADER_MIN_CELLS or len(cells) < len([c for c in row if c is not None]) / 2:
        return False
    for cell in cells:
        if len(cell.split()) > HEADER_MAX_WORDS or cell.endswith("."):
            return False
        if not any(ch.isalpha() for ch in cell) or re.search(r"\d", cell):
            return False
    return True


def header_row(rows: Sequence[Sequence[str]], limit: int = 10) -> int | None:
    """The index of the first row among the first `limit` that looks like column names, or None.

    >>> header_row([["Our plan for 2024", ""], ["", ""], ["Action", "Lead"], ["Recruit staff", "HR"]])
    2
    """
    for i, row in enumerate(rows[:limit]):
        if looks_like_header(row):
            return i
    return None
