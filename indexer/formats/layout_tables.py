"""How the layout reader sees a table: its header row (by column meaning, below any title rows, over one or two
rows), the rows that head the rows below them (a merged "Outcome 1: ..." row), and a table's header flattened into
paragraphs one column name a line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.columns import bare_column_name, column_roles, is_header
from indexer.document import Block

HEADER_SEARCH = 6  # rows a header may sit below (title rows, a blank row)
SECTION_LABEL = re.compile(
    r"^(?:priority|pillar|outcome|objective|theme|foundation|aim|goal|area|strand|workstream|section|part)\b"
    r"[\s\w]{0,12}?(?:\d+|[a-z]|[ivx]+)\b\s*[:.–-]|^[^.!?]{2,80}:$",
    re.I,
)


def flattened_headers(blocks: Sequence[Block], texts: dict[int, str]) -> set[int]:
    """The blocks that hold a table's header flattened one column name a line ("Outcome" / "What we will do"):
    two or more lines in a row, each a column name, one of them the action's."""
    found: set[int] = set()
    run: list[int] = []
    roles: list[str | None] = []

    def close() -> None:
        if len(roles) >= 2 and "action" in roles and len(set(roles)) >= 2:
            found.update(run)
        run.clear()
        roles.clear()

    for k, block in enumerate(blocks):
        names = [texts.get(n, "") for n in block.covered()] if block.kind in ("heading", "paragraph") else []
        named = [bare_column_name(name) for name in names]
        if names and None not in named:
            run.append(k)
            roles.extend(named)
        else:
            close()
    close()
    return found


def cell(cells: Sequence[str], i: int) -> str:
    return " ".join(cells[i].split()) if i < len(cells) else ""


def find_header(rows: Sequence[Sequence[str]]) -> tuple[int, list[str | None] | None, int]:
    """The header row's index, its roles and height (1 or 2 rows), among the first rows of a table (title rows may
    come first). A single row that names the columns wins over two rows joined; two rows are joined only when both
    have several cells, so a title row is never read as half a header."""
    first = range(min(len(rows), HEADER_SEARCH))
    for k in first:
        roles = column_roles(rows[k])
        if is_header(roles):
            if k + 1 < len(rows) and _cells_filled(rows[k + 1]) >= 1 and not _looks_like_data(rows[k + 1]):
                two = column_roles(joined(rows[k], rows[k + 1]))
                if is_header(two) and sum(1 for r in two if r) > sum(1 for r in roles if r):
                    return k, two, 2
            return k, roles, 1
    for k in first:
        if k + 1 < len(rows) and _cells_filled(rows[k]) >= 2 and _cells_filled(rows[k + 1]) >= 1:
            two = column_roles(joined(rows[k], rows[k + 1]))
            if is_header(two):
                return k, two, 2
    return 0, None, 0


def joined(a: Sequence[str], b: Sequence[str]) -> list[str]:
    width = max(len(a), len(b))
    return [f"{a[i] if i < len(a) else ''} {b[i] if i < len(b) else ''}".strip() for i in range(width)]


def _cells_filled(row: Sequence[str]) -> int:
    return sum(1 for c in row if c.strip())


def _looks_like_data(row: Sequence[str]) -> bool:
    """A row of sentences, not the second line of a header."""
    return any(len(c.split()) > 4 for c in row)


def section_row(cells: Sequence[str]) -> str | None:
    """A row that heads the rows below it: one text across the merged width, or a lone "Priority 2: ..." cell."""
    texts = [" ".join(c.split()) for c in cells if c.strip()]
    if len(texts) >= 2 and len(set(texts)) == 1:
        return texts[0]
    if len(texts) == 1 and len(cells) >= 2 and SECTION_LABEL.match(texts[0]):
        return texts[0]
    return None
