"""Excel (.xlsx) -> DocumentModel: each sheet's tables under their header rows, title rows as headings.

openpyxl (MIT) reads the workbook in read-only mode, row by row, with the values Excel last calculated (formulas are
never run). A sheet is cut into regions at its empty rows. A region of rows with one filled cell each is text (one
paragraph or list item a row); any other region is a table. In a table, the header row is the first row that looks
like column names (several short, non-empty text cells, `rows.looks_like_header`); the one-cell rows above it are
the sheet's title rows, and become headings. Every block and table row says its sheet and row.

A sheet ends at its last filled row: after EMPTY_RUN empty rows in a row reading stops (a sheet formatted down to
row 1,048,576 would otherwise cost seconds and give nothing), and that is recorded in `model.skipped`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graphkit.errors import DocumentError
from indexer.document import Block, DocumentModel, ReadProblem, Where
from indexer.readers.archive import check_zip
from indexer.readers.rows import header_row, split_marker

EMPTY_RUN = 1000  # empty rows in a row after which a sheet is taken to have ended
MAX_COLUMNS = 200  # a plan's table has a dozen columns; a sheet formatted to column XFD has 16,384
MAX_ROWS = 100_000  # filled rows read from one sheet
TITLE_WORDS = 20  # a title row longer than this is a paragraph, not a heading


def read(path: Path) -> DocumentModel:
    """Read a workbook into a document model, sheet by sheet.

    Raises
    ------
    DocumentError
        For an empty file, a file that is not a workbook, or a zip bomb (the message names the file).
    """
    import openpyxl

    check_zip(path, "Excel")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, XML errors... for a damaged book
        raise DocumentError(f"{path.name}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
    model = DocumentModel(path.name, "xlsx")
    try:
        sheets = []
        for sheet in book.worksheets:  # a hidden sheet holds lookups (the RAG colours of a drop-down), not the plan
            if sheet.sheet_state != "visible":
                model.skipped.append((Where(sheet=sheet.title), f"{sheet.sheet_state} sheet not read"))
            else:
                sheets.append(sheet)
        for sheet in sheets:
            rows = _rows(sheet, model)
            if rows and len(sheets) > 1:
                model.blocks.append(Block("heading", sheet.title, Where(sheet=sheet.title, row=rows[0][0]), level=1))
            for region in _regions(rows):
                model.blocks += _blocks(region, sheet.title, heading_level=2 if len(sheets) > 1 else 1)
    finally:
        book.close()
    return model


def _rows(sheet: Any, model: DocumentModel) -> list[tuple[int, list[str]]]:
    """The sheet's rows as (row number, cells), empty rows kept (they part regions), trailing empty rows dropped."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # a file's stated dimensions may be wrong; read what is there
    rows: list[tuple[int, list[str]]] = []
    empty_run = filled = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell(v) for v in values[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                reason = f"reading stopped after {EMPTY_RUN} empty rows in a row (the sheet is taken to end there)"
                model.skipped.append((Where(sheet=sheet.title, row=number), reason))
                break
            rows.append((number, []))
            continue
        if len(values) > MAX_COLUMNS and any(_cell(v) for v in values[MAX_COLUMNS:]):
            where = Where(sheet=sheet.title, row=number)
            model.problems.append(ReadProblem(where, f"cells beyond column {MAX_COLUMNS} not read"))
        empty_run = 0
        filled += 1
        if filled > MAX_ROWS:
            model.problems.append(ReadProblem(Where(sheet=sheet.title, row=number), f"rows after {MAX_ROWS} not read"))
            break
        rows.append((number, cells))
    while rows and not rows[-1][1]:
        rows.pop()
    return rows


def _cell(value: Any) -> str:
    """A cell's value as it reads: whole numbers without ".0", dates in words ("31 March 2025": a British reader and
    `indexer.fields.parse_due` read them to the day, where "2025-03-31" reads as a year)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        day = f"{value.day} {value:%B %Y}"
        return day if value.time() == dt.time() else f"{day} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return " ".join(str(value).split())


def _regions(rows: list[tuple[int, list[str]]]) -> list[list[tuple[int, list[str]]]]:
    """Runs of filled rows between empty rows."""
    regions: list[list[tuple[int, list[str]]]] = [[]]
    for row in rows:
        if row[1]:
            regions[-1].append(row)
        elif regions[-1]:
            regions.append([])
    return [r for r in regions if r]


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c)


def _blocks(region: list[tuple[int, list[str]]], sheet: str, heading_level: int) -> list[Block]:
    if all(_filled(cells) <= 1 for _, cells in region):
        return [_text_block(" ".join(c for c in cells if c), Where(sheet=sheet, row=n)) for n, cells in region]
    blocks = []
    header = header_row([cells for _, cells in region])
    start = 0
    if header is not None and all(_filled(cells) <= 1 for _, cells in region[:header]):
        for number, cells in region[:header]:  # the sheet's title rows, above its column names
            text = " ".join(c for c in cells if c)
            where = Where(sheet=sheet, row=number)
            if len(text.split()) <= TITLE_WORDS:
                blocks.append(Block("heading", text, where, level=heading_level))
            else:
                blocks.append(Block("paragraph", text, where))
        start = header
    table = region[start:]
    width = max(len(cells) for _, cells in table)
    rows = tuple(tuple(cells + [""] * (width - len(cells))) for _, cells in table)
    wheres = tuple(Where(sheet=sheet, row=number) for number, _ in table)
    blocks.append(Block("table", where=wheres[0], rows=rows, row_where=wheres))
    return blocks


def _text_block(text: str, where: Where) -> Block:
    marker = split_marker(text)
    if marker:
        return Block("item", marker[1], where, marker=marker[0])
    return Block("paragraph", text, where)
