"""Plain text and markdown -> DocumentModel: blocks found from the layout of the lines, which stay the file's own.

What is recognised (each a block, keeping every line it was read from):

- headings: markdown `#`, short ALL-CAPS lines, short numbered titles ("2. Education", "Priority 3: Health") and
  short lines standing alone between blank lines;
- list items: bullets (`-`, `*`, `•`, `o`, ...) and numbered items (`1.`, `1)`, `a)`, `(ii)`), their level from
  the indentation, a wrapped item's further lines joined to it;
- paragraphs: runs of lines up to a blank line, an item, a heading or a table;
- tables: tab-separated rows, markdown `|` tables, and space-aligned tables (the usual look of text taken out of
  a PDF; `indexer.readers.aligned`);
- page furniture dropped with a reason: page numbers ("12", "Page 3 of 10", "- 4 -"), form feeds, and running
  titles (a line printed on several pages, next to their page numbers or page breaks).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from indexer.base import Line
from indexer.columns import FIELD_LABEL, bare_column_name, is_header
from indexer.commitments import is_commitment
from indexer.document import Block, DocumentModel, Where
from indexer.normalise import clean_text, read_document
from indexer.readers.aligned import MD_HEADING, TERMINAL, aligned_table, is_header_text

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+\d{1,4}|\d{1,3})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.I
)
PAGE_FOOTER = re.compile(
    r"^.{0,120}?\S\s{2,}(?:page\s+)?\d{1,4}\s*(?:of|/)\s*\d{1,4}\s*$|^.{0,120}?\S\s{2,}page\s+\d{1,4}\s*$", re.I
)
RULE = re.compile(r"^\s*[-=_—–]{5,}[-=_—–\s|+]*$")
BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*•●▪◦○■□➢►–—·o])\s+(?=\S)")
NUMBERED = re.compile(
    r"^(?P<indent>\s*)(?P<marker>\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)]|\([a-z0-9]{1,4}\))\s+(?=\S)"
)
PIPE_SEPARATOR = re.compile(r"^[\s|:+\-]*$")
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
LABELLED_HEADING = re.compile(
    r"^(?:priority|pillar|outcome|objective|theme|foundation|aim|goal|section|part|chapter|area|strand)\s+"
    r"(?:\d+|[a-z])\b",
    re.I,
)

STACKED_MIN_COLUMNS = 3  # two stacked names ("Outcome" / "What we will do") are a flattened two-column table
STACKED_MAX_CELL = 400
STACKED = "one cell a line"  # the marker of a table read from stacked cells: its rows are a guess
SKIP_PAGE_NUMBER = "page number"
SKIP_RUNNING_TITLE = "running title"
SKIP_SEPARATOR = "table separator"
SKIP_RULE = "ruled line"
SKIP_FOOTER = "page footer"


def read(path: Path, markdown: bool = False) -> DocumentModel:
    """Read a text or markdown file (see `indexer.normalise.read_document` for decoding and refusals)."""
    lines = read_document(path)
    return model_of_lines(path.name, lines, "markdown" if markdown else "text")


def model_of_lines(file: str, lines: Sequence[Line], reader: str = "text") -> DocumentModel:
    """The model of lines already read: blocks found from their layout, the lines themselves kept."""
    blocks, skipped = detect(lines)
    model = DocumentModel.of_text(file, reader, list(lines), blocks)
    model.skipped = [(Where(n, source_line=n), reason) for n, reason in sorted(skipped.items())]
    return model


# --- furniture -------------------------------------------------------------------------------------------------


def furniture(lines: Sequence[Line]) -> dict[int, str]:
    """Page numbers and footers, ruled lines, and running titles: a line printed more than once, each time within
    three lines of a page number, a footer or a page break (a form feed)."""
    found: dict[int, str] = {}
    for line in lines:
        text = line.raw.replace("\f", "").strip()
        if text and PAGE_NUMBER.match(text) and not NUMBERED.match(text + " x"):
            found[line.number] = SKIP_PAGE_NUMBER
        elif text and PAGE_FOOTER.match(text):
            found[line.number] = SKIP_FOOTER
        elif RULE.match(text):
            found[line.number] = SKIP_RULE
    counts = Counter(_key(line) for line in lines if not line.blank)
    near_page = {n + d for n in found for d in (-3, -2, -1, 1, 2, 3)} | _page_breaks(lines)
    first_raw: dict[str, str] = {}
    for line in lines:
        first_raw.setdefault(_key(line), line.raw)
    headers = {k for k, raw in first_raw.items() if counts[k] >= 2 and "  " in raw.strip() and is_header_text(raw)}
    following = _next_non_blank(lines)
    for line in lines:
        # a page's title line just above the table header it repeats: "Actions (continued)"
        after = following.get(line.number)
        if line.number in near_page and after is not None and _key(after) in headers and _key(line) not in headers:
            if not line.blank and len(_key(line)) <= HEADING_MAX_CHARS and "  " not in line.raw.strip():
                found.setdefault(line.number, SKIP_RUNNING_TITLE)
    for line in lines:
        key = _key(line)
        if not key or line.number in found or len(key) > HEADING_MAX_CHARS or key.endswith(":"):
            continue
        if "|" in line.raw or "\t" in line.raw or is_header_text(line.raw):  # a repeated header is the table's
            continue
        if counts[key] >= 2 and line.number in near_page:
            found[line.number] = SKIP_RUNNING_TITLE
    return found


def _next_non_blank(lines: Sequence[Line]) -> dict[int, Line]:
    following: dict[int, Line] = {}
    upcoming: Line | None = None
    for line in reversed(lines):
        if upcoming is not None:
            following[line.number] = upcoming
        if not line.blank:
            upcoming = line
    return following


def _page_breaks(lines: Sequence[Line]) -> set[int]:
    return {line.number + d for line in lines if "\f" in line.raw for d in (-1, 0, 1, 2)}


def _key(line: Line) -> str:
    return " ".join(line.raw.replace("\f", "").split()).lower()


# --- blocks ------------------------------------------------------------------------------------------------------


def _item(line: Line) -> re.Match[str] | None:
    return BULLET.match(line.raw) or NUMBERED.match(line.raw)


def _indent(raw: str) -> int:
    return len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())


def _is_heading(lines: Sequence[Line], i: int) -> bool:
    text = lines[i].text
    if not text or len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if text.endswith((":", ";", ",")) or text.endswith(TERMINAL) and not LABELLED_HEADING.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return True
    if LABELLED_HEADING.match(text):
        return True
    if is_commitment(NUMBERED.sub("", lines[i].raw).strip() or text):  # "1. Review respite provision" is an action
        return False
    before = i == 0 or lines[i - 1].blank
    after = i + 1 >= len(lines) or lines[i + 1].blank
    numbered = NUMBERED.match(lines[i].raw)
    if numbered:
        title = text[len(numbered.group("marker")) :].strip()
        return before and after and len(text.split()) <= 8 and title[:1].isupper()
    if before and after:
        return text[0].isupper() and len(text.split()) <= 10
    # A label over its text (a two-column table flattened into paragraphs): a short line opening a block,
    # followed by a line at least twice as long.
    following = lines[i + 1].text if i + 1 < len(lines) else ""
    return before and text[0].isupper() and len(text.split()) <= 6 and len(following) >= 2 * len(text)


def detect(lines: Sequence[Line]) -> tuple[list[Block], dict[int, str]]:
    """The blocks of text lines, and the lines dropped as furniture (number -> reason)."""
    skip = furniture(lines)
    blocks: list[Block] = []
    skipped = dict(skip)
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.blank or line.number in skip:
            i += 1
            continue
        raw = line.raw
        if "\t" in raw and sum(1 for c in line.cells if c) >= 2:
            i = _tab_table(lines, i, blocks, skip)
            continue
        if raw.strip().startswith("|") and raw.count("|") >= 2:
            i = _pipe_table(lines, i, blocks, skipped)
            continue
        if "  " in raw.strip() or (i + 1 < n and "  " in lines[i + 1].raw.strip()):
            table = aligned_table(lines, i, skip)
            if table is not None:
                block, i, table_skipped = table
                blocks.append(block)
                skipped.update(table_skipped)
                continue
        stacked = stacked_table(lines, i, skip)
        if stacked is not None:
            block, i = stacked
            blocks.append(block)
            continue
        heading = MD_HEADING.match(raw)
        if heading:
            blocks.append(_block("heading", clean_text(heading.group(2)), [line.number], level=len(heading.group(1))))
            i += 1
            continue
        item = _item(line)
        if item and not _is_heading(lines, i):
            i = _list_item(lines, i, item, blocks, skip)
            continue
        if _is_heading(lines, i):
            blocks.append(_block("heading", line.text, [line.number], level=2))
            i += 1
            continue
        i = _paragraph(lines, i, blocks, skip)
    return blocks, skipped


def stacked_table(lines: Sequence[Line], i: int, skip: dict[int, str]) -> tuple[Block, int] | None:
    """A table printed one cell a line (text taken out of a PDF without its layout): a header of three or more
    lines, each a column name, then the cells in the header's order, a cell's wrapped lines (starting in lower
    case) joined to it. The table ends at a blank line between rows, or at a line that cannot be a cell."""
    names: list[int] = []
    j = i
    while j < len(lines) and not lines[j].blank and bare_column_name(lines[j].text):
        names.append(j)
        j += 1
    roles = [bare_column_name(lines[k].text) for k in names]
    if len(names) < STACKED_MIN_COLUMNS or len(set(roles)) < len(roles) or not is_header(roles):
        return None
    width = len(names)
    cells: list[tuple[str, list[int]]] = []
    while j < len(lines):
        line = lines[j]
        if line.number in skip:
            j += 1
            continue
        if line.blank:
            if len(cells) % width == 0:
                break
            j += 1
            continue
        if bare_column_name(line.text) == roles[0] and len(cells) % width == 0:  # the header again, on a new page
            k = j
            while k < len(lines) and k - j < width and bare_column_name(lines[k].text) == roles[k - j]:
                k += 1
            if k - j == width:
                j = k
                continue
        if cells and line.text[:1].islower():
            cells[-1] = (f"{cells[-1][0]} {line.text}", [*cells[-1][1], line.number])
        elif MD_HEADING.match(line.raw) or len(line.text) > STACKED_MAX_CELL:
            break
        else:
            cells.append((line.text, [line.number]))
        j += 1
    whole = len(cells) - len(cells) % width
    if whole < width:
        return None
    rows = [tuple(lines[k].text for k in names)]
    row_lines = [tuple(lines[k].number for k in names)]
    for start in range(0, whole, width):
        group = cells[start : start + width]
        rows.append(tuple(text for text, _ in group))
        row_lines.append(tuple(n for _, numbers in group for n in numbers))
    if whole < len(cells):  # a last row cut short: give back its lines to be read as text
        j = lines.index(next(x for x in lines if x.number == cells[whole][1][0]))
    first = lines[i].number
    block = Block(
        "table",
        where=Where(first, source_line=first),
        rows=tuple(rows),
        row_where=tuple(Where(r[0], source_line=r[0]) for r in row_lines),
        row_lines=tuple(row_lines),
        marker=STACKED,
    )
    return block, j


def _block(kind: str, text: str, numbers: list[int], level: int = 0, marker: str = "") -> Block:
    return Block(
        kind,
        text=text,
        where=Where(numbers[0], source_line=numbers[0]),
        level=level,
        marker=marker,
        lines=tuple(numbers),
    )


def _tab_table(lines: Sequence[Line], i: int, blocks: list[Block], skip: dict[int, str]) -> int:
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    while i < len(lines) and ("\t" in lines[i].raw or lines[i].number in skip) and not lines[i].blank:
        if lines[i].number not in skip:
            rows.append(lines[i].cells)
            numbers.append(lines[i].number)
        i += 1
    blocks.append(
        Block(
            "table",
            where=Where(numbers[0], source_line=numbers[0]),
            rows=tuple(rows),
            row_where=tuple(Where(k, source_line=k) for k in numbers),
        )
    )
    return i


def _pipe_table(lines: Sequence[Line], i: int, blocks: list[Block], skipped: dict[int, str]) -> int:
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    while i < len(lines) and lines[i].raw.strip().startswith("|"):
        raw = lines[i].raw.strip()
        if "--" in raw and PIPE_SEPARATOR.match(raw):
            skipped[lines[i].number] = SKIP_SEPARATOR
        else:
            inner = raw[1:-1] if raw.endswith("|") else raw[1:]
            rows.append(tuple(clean_text(c) for c in inner.split("|")))
            numbers.append(lines[i].number)
        i += 1
    if rows:
        blocks.append(
            Block(
                "table",
                where=Where(numbers[0], source_line=numbers[0]),
                rows=tuple(rows),
                row_where=tuple(Where(k, source_line=k) for k in numbers),
            )
        )
    return i


def _list_item(lines: Sequence[Line], i: int, item: re.Match[str], blocks: list[Block], skip: dict[int, str]) -> int:
    indent = _indent(item.group("indent"))
    text_start = len(item.group(0))
    text = [clean_text(lines[i].raw[text_start:])]
    numbers = [lines[i].number]
    i += 1
    while i < len(lines):
        line = lines[i]
        if line.number in skip:
            i += 1
            continue
        if line.blank or _item(line) or MD_HEADING.match(line.raw) or "\t" in line.raw:
            break
        if FIELD_LABEL.match(line.text):  # "Lead: ...", "Timescale: ..." under the item: its fields, not its text
            break
        wrapped = _indent(line.raw) > indent or line.text[:1].islower() or not text[-1].endswith(TERMINAL + (":",))
        if not wrapped or _is_heading(lines, i):
            break
        text.append(line.text)
        numbers.append(line.number)
        i += 1
    level = min(indent // 2, 4) if indent else 0
    blocks.append(_block("item", " ".join(text), numbers, level=level, marker=item.group("marker")))
    return i


def _paragraph(lines: Sequence[Line], i: int, blocks: list[Block], skip: dict[int, str]) -> int:
    text = [lines[i].text]
    numbers = [lines[i].number]
    i += 1
    while i < len(lines):
        line = lines[i]
        if line.number in skip:
            i += 1
            continue
        if line.blank or _item(line) or MD_HEADING.match(line.raw) or "\t" in line.raw:
            break
        if text[-1].endswith(":") or _is_heading(lines, i) or FIELD_LABEL.match(line.text):
            break
        if "  " in line.raw.strip() and aligned_table(lines, i, skip) is not None:
            break
        text.append(line.text)
        numbers.append(line.number)
        i += 1
    blocks.append(_block("paragraph", " ".join(text), numbers))
    return i
