"""PDF -> DocumentModel: ruled tables cell by cell, headings by type size, paragraphs, list items; page furniture out.

Every word comes with its position, size and font, and a page's tables are found from its ruling lines (the lines
and box edges drawn on it) by `indexer.readers.pdfpage` (pdfminer.six and pdfplumber's table finder, both MIT), so
a cell is the words inside its ruled box, however many lines it wraps onto; runs of spaces never decide a column.
Text outside the tables is grouped into lines by position, and lines into blocks by the gaps between them, their
type size and their list markers.

A table that runs on from the page before (the next page opens with a table of the same columns) is one table: its
header rows, printed again at the top of the page, are skipped, and a first row whose action cell is empty (or
starts mid-sentence) is joined to the row above, since the page break split that row. Running titles and page
numbers (lines at the top or bottom of the page, repeated on most pages or a bare page number) are dropped and
listed in `model.skipped`. A page without a text layer (a scan) is a problem, never a silent zero.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import DocumentError
from indexer.document import Block, DocumentModel, ReadProblem, Where
from indexer.readers import pdfpage
from indexer.readers.rows import continues_row, join_rows, split_marker

FURNITURE_SHARE = 0.5  # a first or last line printed on at least half the pages (and two) is a running title
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$", re.IGNORECASE)
HEADING_RATIO = 1.15  # type this much larger than the body text is a heading
FULL_LINE = 0.12  # a line ending within this share of the text width from the right margin wrapped: its text runs on
INDENT = 18.0  # points of indentation per list level
COLUMN_TOLERANCE = 3.0  # points: a table's columns on the next page start within this of where they did
HEADER_ROWS = 2  # at most this many header rows are printed again at the top of a page
NO_TEXT = "page {page} has no text: run OCR first"


@dataclass(slots=True)
class TextLine:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    page: int
    number: int  # line on its page, 1-based, counting every printed line (tables and furniture included)


@dataclass(slots=True)
class TablePiece:
    top: float
    bottom: float
    page: int
    rows: list[tuple[str, ...]]
    wheres: list[Where]
    columns: tuple[float, ...]  # x of each cell's left edge, to know a table that runs on from the page before


@dataclass(slots=True)
class Page:
    number: int
    elements: list[TextLine | TablePiece] = field(default_factory=list)


def read(path: Path) -> DocumentModel:
    """Read a PDF into a document model.

    Raises
    ------
    DocumentError
        For an empty, encrypted or corrupt file (the message names it).
    """
    model = DocumentModel(path.name, "pdf")
    if not path.stat().st_size:
        raise DocumentError(f"{path.name}: the file is empty")
    pages: list[Page] = []
    for number, layout in pdfpage.pages(path):
        try:
            if isinstance(layout, Exception):
                raise layout
            pages.append(_read_page(layout, number, model))
        except Exception as exc:  # one damaged page loses only itself
            where = Where(page=number)
            model.problems.append(ReadProblem(where, f"page {number} could not be read: {type(exc).__name__}"))
    if pages and not any(page.elements for page in pages):
        model.problems.append(ReadProblem(Where(page=1), "no page has text: run OCR first", "error"))
    _drop_furniture(pages, model)
    model.blocks = _blocks(pages, model)
    return model


def _read_page(layout: Any, number: int, model: DocumentModel) -> Page:
    words, tables, images = pdfpage.content(layout)
    if not words:
        if images:
            model.problems.append(ReadProblem(Where(page=number), NO_TEXT.format(page=number)))
        else:
            model.skipped.append((Where(page=number), "blank page"))
        return Page(number)
    tops = _line_tops([w["top"] for w in words])
    grids = [(table.bbox, table.rows) for table in tables]  # pdfplumber works the rows out afresh on each access
    cells: list[list[list[list[dict]]]] = [[[[] for _ in row.cells] for row in rows] for _, rows in grids]
    loose = []
    for word in words:
        placed = False
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        for t, ((x0, top, x1, bottom), rows) in enumerate(grids):
            if not (x0 <= cx <= x1 and top <= cy <= bottom):
                continue
            placed = True
            for r, row in enumerate(rows):
                if row.bbox[1] <= cy <= row.bbox[3]:
                    for c, box in enumerate(row.cells):
                        if box and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                            cells[t][r][c].append(word)
            break
        if not placed:
            loose.append(word)
    result = Page(number)
    for t, (bbox, rows) in enumerate(grids):
        texts = [tuple(_text(cell) for cell in cells[t][r]) for r in range(len(rows))]
        wheres = [Where(page=number, page_line=_line_number(tops, row.bbox[1])) for row in rows]
        columns = tuple(round(box[0]) for box in rows[0].cells if box) if rows else ()
        result.elements.append(TablePiece(bbox[1], bbox[3], number, texts, wheres, columns))
    for group in _group_lines(loose):
        group.sort(key=lambda w: w["x0"])
        sizes = Counter(round(w["size"], 1) for w in group)
        result.elements.append(
            TextLine(
                " ".join(w["text"] for w in group),
                min(w["top"] for w in group),
                max(w["bottom"] for w in group),
                group[0]["x0"],
                group[-1]["x1"],
                sizes.most_common(1)[0][0],
                all("bold" in w["fontname"].lower() for w in group),
                number,
                _line_number(tops, group[0]["top"]),
            )
        )
    result.elements.sort(key=lambda e: e.top)
    return result


def _line_tops(tops: list[float]) -> list[float]:
    """The top of each printed line of a page, from the tops of its words."""
    lines: list[float] = []
    for top in sorted(tops):
        if not lines or top - lines[-1] > pdfpage.LINE_TOLERANCE:
            lines.append(top)
    return lines


def _line_number(tops: list[float], top: float) -> int:
    return max(1, bisect_right(tops, top + pdfpage.LINE_TOLERANCE))


def _group_lines(words: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if groups and word["top"] - groups[-1][0]["top"] <= pdfpage.LINE_TOLERANCE:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _text(words: list[dict]) -> str:
    """A cell's text: its words line by line, the lines joined (a wrapped cell stays one cell)."""
    return _join(" ".join(w["text"] for w in sorted(group, key=lambda w: w["x0"])) for group in _group_lines(words))


def _join(lines: Any) -> str:
    """Lines of one block joined with spaces; a word broken at a hyphen at the end of a line is joined whole."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if re.search(r"[A-Za-z]-$", text) and line[:1].isalpha():
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


def _drop_furniture(pages: list[Page], model: DocumentModel) -> None:
    """Drop running titles and page numbers: lines in the top or bottom band repeated on most pages, or bare numbers."""
    band_keys: Counter[str] = Counter()
    for page in pages:
        band_keys.update({_key(e.text) for e in _band(page)})
    need = max(2, FURNITURE_SHARE * len(pages))
    for page in pages:
        dropped = []
        for line in _band(page):
            if PAGE_NUMBER.match(line.text.strip()):
                dropped.append((line, "page furniture: page number"))
            elif band_keys[_key(line.text)] >= need:
                dropped.append((line, f"page furniture: running title repeated on {band_keys[_key(line.text)]} pages"))
        for line, reason in dropped:
            page.elements.remove(line)
            model.skipped.append((Where(page=page.number, page_line=line.number), reason))


def _band(page: Page) -> list[TextLine]:
    """The lines of a page that lie above or below everything else: its first and last line, when outside tables."""
    elements = page.elements
    if not elements:
        return []
    ends = [elements[0], elements[-1]] if len(elements) > 1 else [elements[0]]
    return [e for e in ends if isinstance(e, TextLine)]


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _blocks(pages: list[Page], model: DocumentModel) -> list[Block]:
    lines = [e for page in pages for e in page.elements if isinstance(e, TextLine)]
    body = _body_size(lines)
    heading_sizes = sorted({round(line.size) for line in lines if line.size >= body * HEADING_RATIO}, reverse=True)
    gap = _usual_gap(pages, body)
    blocks: list[Block] = []
    open_table: TablePiece | None = None
    current: dict[str, Any] | None = None  # the text block being gathered: kind, lines, level, marker
    previous: TextLine | None = None

    def close_text() -> None:
        nonlocal current
        if current:
            blocks.append(_text_block(current, heading_sizes, body))
        current = None

    def close_table() -> None:
        nonlocal open_table
        if open_table and open_table.rows:
            rows, wheres = _drop_repeated_header(open_table, model)
            blocks.append(Block("table", where=wheres[0], rows=tuple(rows), row_where=tuple(wheres)))
        open_table = None

    right, left = _margins(lines)
    # a page filled to here (within two lines) ended in a row split by the page break, not one pushed to the next page
    frame_bottom = max((e.bottom for page in pages for e in page.elements), default=0.0) - 2 * body
    for page in pages:
        for index, element in enumerate(page.elements):
            first_on_page = index == 0
            if isinstance(element, TablePiece):
                close_text()
                previous = None
                if (
                    open_table
                    and _same_columns(open_table.columns, element.columns)
                    and (first_on_page or element.rows[:1] == open_table.rows[:1])
                ):
                    _run_on(open_table, element, model, first_on_page, frame_bottom)
                else:
                    close_table()
                    open_table = element
                continue
            close_table()
            line = element
            size_kind = "heading" if round(line.size) in heading_sizes else "text"
            marker = split_marker(line.text) if size_kind == "text" else None
            new = current is None or previous is None
            if current is not None and previous is not None:
                if previous.page != line.page:
                    new = not (
                        line.text[:1].islower() or (_full(previous, right, left) and previous.text[-1] not in ".:;!?")
                    )
                else:  # a wider gap than between the lines of a paragraph, or a line that stopped short, ends it
                    new = line.top - previous.bottom > gap + 0.4 * body
                    new = new or (size_kind == "text" and not _full(previous, right, left))
                new = new or current["size_kind"] != size_kind or abs(current["size"] - line.size) > 0.5
                if marker and not new:
                    new = not _full(previous, right, left) or line.x0 < current["lines"][0].x0 - INDENT / 2
            if new:
                close_text()
                kind = "item" if marker else ("heading" if size_kind == "heading" else "paragraph")
                current = {
                    "kind": kind,
                    "size_kind": size_kind,
                    "size": line.size,
                    "lines": [line],
                    "marker": marker[0] if marker else "",
                    "first": marker[1] if marker else line.text,
                    "level": max(0, min(5, round((line.x0 - left) / INDENT))) if marker else 0,
                }
            else:
                assert current is not None
                current["lines"].append(line)
            previous = line
    close_text()
    close_table()
    return blocks


def _run_on(table: TablePiece, piece: TablePiece, model: DocumentModel, page_start: bool, frame_bottom: float) -> None:
    """Add the rows of a table's next piece: its repeated header skipped, a row split by a page break joined.

    A piece runs on from the table above when it opens the next page with the same columns, or when it follows the
    table directly, headed by the same header row (some writers print the header again before a row they split).
    """
    rows, wheres = list(piece.rows), list(piece.wheres)
    repeated = 0
    while repeated < min(HEADER_ROWS, len(rows), len(table.rows)) and rows[repeated] == table.rows[repeated]:
        repeated += 1
    for where in wheres[:repeated]:
        model.skipped.append((where, f"table header repeated on page {piece.page}"))
    rows, wheres = rows[repeated:], wheres[repeated:]
    if page_start and rows and len(table.rows) > repeated and continues_row(rows[0], table.bottom >= frame_bottom):
        table.rows[-1] = join_rows(table.rows[-1], rows[0])
        rows, wheres = rows[1:], wheres[1:]
    table.rows += rows
    table.wheres += wheres
    table.bottom = piece.bottom


def _drop_repeated_header(table: TablePiece, model: DocumentModel) -> tuple[list[tuple[str, ...]], list[Where]]:
    """The table's rows without the header row printed again inside it (before a row split by a page break)."""
    header = table.rows[0]
    keep = [0] + [i for i in range(1, len(table.rows)) if table.rows[i] != header or not any(header)]
    for i in sorted(set(range(len(table.rows))) - set(keep)):
        model.skipped.append((table.wheres[i], f"table header repeated on page {table.wheres[i].page}"))
    return [table.rows[i] for i in keep], [table.wheres[i] for i in keep]


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b, strict=True))


def _full(line: TextLine, right: float, left: float) -> bool:
    """True when a line reaches (nearly) the right margin: its paragraph wrapped there and runs on."""
    return line.x1 >= right - FULL_LINE * max(right - left, 1.0)


def _text_block(current: dict[str, Any], heading_sizes: list[float], body: float) -> Block:
    lines: list[TextLine] = current["lines"]
    first = lines[0]
    where = Where(page=first.page, page_line=first.number)
    text = _join([current["first"]] + [line.text for line in lines[1:]])
    kind = current["kind"]
    if kind == "heading":
        return Block("heading", text, where, level=heading_sizes.index(round(first.size)) + 1)
    if kind == "item":
        return Block("item", text, where, level=current["level"], marker=current["marker"])
    if len(lines) == 1 and first.bold and len(text.split()) <= 12 and not text.endswith("."):
        return Block("heading", text, where, level=len(heading_sizes) + 1)
    return Block("paragraph", text, where)


def _body_size(lines: list[TextLine]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _margins(lines: list[TextLine]) -> tuple[float, float]:
    """The right and left edges of the text: where a wrapped line ends and where lines start."""
    return max((line.x1 for line in lines), default=0.0), min((line.x0 for line in lines), default=0.0)


def _usual_gap(pages: list[Page], body: float) -> float:
    """The usual space between two lines of one paragraph: the most common gap below a body line that wrapped."""
    gaps: Counter[float] = Counter()
    right, left = _margins([e for page in pages for e in page.elements if isinstance(e, TextLine)])
    for page in pages:
        lines = [e for e in page.elements if isinstance(e, TextLine)]
        for a, b in zip(lines, lines[1:], strict=False):
            if abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5 and b.top > a.bottom and _full(a, right, left):
                gaps[round(b.top - a.bottom)] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else body * 0.3
