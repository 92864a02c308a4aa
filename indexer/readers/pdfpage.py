"""What one PDF page prints: its words with position, size and font, its ruled tables, whether it holds images.

pdfminer.six (MIT) interprets each page into characters, lines and rectangles, with no layout analysis (the reader
does its own); pdfplumber's (MIT) table finder turns the ruling lines into cells: lines are snapped and joined, their
crossings found, and the smallest boxes between crossings are the cells. Reading through pdfplumber's own page
objects gives the same cells for two and a half times the CPU (bench/pdf_read.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import DocumentError

TOLERANCE = 3.0  # points: pdfplumber's default snap, join and intersection tolerances
RULE = 2.0  # a drawn box thinner than this is a rule (a line), not a box
WORD_GAP = 0.2  # a gap wider than this share of the type size between two characters parts two words
LINE_TOLERANCE = 2.5  # points: characters whose tops differ by less are on one printed line


def pages(path: Path) -> Iterator[tuple[int, Any]]:
    """(page number, pdfminer layout, or the exception that page raised) for each page of the PDF.

    Raises
    ------
    DocumentError
        For an encrypted or unreadable file (the message names it).
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with path.open("rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
            all_pages = list(PDFPage.create_pages(document))
        except PDFPasswordIncorrect:
            raise DocumentError(
                f"{path.name}: the PDF is encrypted (it needs a password): save a copy without one"
            ) from None
        except Exception as exc:  # pdfminer raises many types for a damaged file
            raise DocumentError(f"{path.name}: not a readable PDF ({type(exc).__name__}: {exc})") from None
        if not all_pages:
            raise DocumentError(f"{path.name}: not a readable PDF (no pages)")
        resources = PDFResourceManager(caching=True)
        device = PDFPageAggregator(resources, laparams=None)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(all_pages, start=1):
            try:
                interpreter.process_page(page)
                yield number, device.get_result()
            except Exception as exc:  # one damaged page loses only itself
                yield number, exc


def _objects(container: Any) -> Iterator[Any]:
    from pdfminer.layout import LTFigure

    for obj in container:
        if isinstance(obj, LTFigure):
            yield obj
            yield from _objects(obj)
        else:
            yield obj


def content(layout: Any) -> tuple[list[dict[str, Any]], list[Any], bool]:
    """(words, tables, has images) of one page; tables are pdfplumber Tables (bbox, rows of cell boxes)."""
    from pdfminer.layout import LTChar, LTCurve, LTImage

    top_of = layout.y1
    chars, edges, images = [], [], False
    for obj in _objects(layout):
        if isinstance(obj, LTChar):
            chars.append(obj)
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            edges += _edges(obj, top_of)
        elif isinstance(obj, LTImage):
            images = True
    return _words(chars, top_of), _tables(edges), images


def _words(chars: list[Any], top_of: float) -> list[dict[str, Any]]:
    placed = sorted(((top_of - c.y1, c.x0, c) for c in chars), key=lambda t: (t[0], t[1]))
    lines: list[list[tuple[float, float, Any]]] = []
    for item in placed:
        if lines and item[0] - lines[-1][0][0] <= LINE_TOLERANCE:
            lines[-1].append(item)
        else:
            lines.append([item])
    words: list[dict[str, Any]] = []
    for line in lines:
        current: dict[str, Any] | None = None
        for top, x0, char in sorted(line, key=lambda t: t[1]):
            text = char.get_text()
            if not text.strip():
                current = None
                continue
            if current is None or x0 - current["x1"] > WORD_GAP * char.size:
                current = {
                    "text": "",
                    "x0": x0,
                    "x1": char.x1,
                    "top": top,
                    "bottom": top_of - char.y0,
                    "size": char.size,
                    "fontname": char.fontname,
                }
                words.append(current)
            current["text"] += text
            current["x1"] = max(current["x1"], char.x1)
            current["bottom"] = max(current["bottom"], top_of - char.y0)
    return words


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _edges(obj: Any, top_of: float) -> list[dict[str, Any]]:
    """The rules a drawn line or box makes: one edge for a line or thin box, four for a box."""
    from pdfminer.layout import LTLine, LTRect

    x0, x1, top, bottom = obj.x0, obj.x1, top_of - obj.y1, top_of - obj.y0
    if bottom - top < RULE and x1 - x0 >= RULE:
        middle = (top + bottom) / 2
        return [_edge(x0, middle, x1, middle, "h")]
    if x1 - x0 < RULE and bottom - top >= RULE:
        middle = (x0 + x1) / 2
        return [_edge(middle, top, middle, bottom, "v")]
    if isinstance(obj, LTRect) or (not isinstance(obj, LTLine) and len(getattr(obj, "pts", [])) in (4, 5)):
        return [
            _edge(x0, top, x1, top, "h"),
            _edge(x0, bottom, x1, bottom, "h"),
            _edge(x0, top, x0, bottom, "v"),
            _edge(x1, top, x1, bottom, "v"),
        ]
    return []


def _tables(edges: list[dict[str, Any]]) -> list[Any]:
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    if not edges:
        return []
    edges = merge_edges(edges + _closing_lines(edges), TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    edges = filter_edges(edges, min_length=TOLERANCE)
    cells = intersections_to_cells(edges_to_intersections(edges, TOLERANCE, TOLERANCE))
    return [Table(None, group) for group in cells_to_tables(cells)]  # type: ignore[arg-type]


def _closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A horizontal rule where the column rules of a table stop.

    A row split by a page break is often printed open, with no rule below it on the first page (or above it on the
    next): without this line its cells are not boxes, and the row would be read as loose text.
    """
    ends: dict[float, list[float]] = {}
    for edge in edges:
        if edge["orientation"] == "v":
            for y in (edge["top"], edge["bottom"]):
                ends.setdefault(round(y), []).extend((edge["x0"], edge["x1"]))
    return [_edge(min(xs), y, max(xs), y, "h") for y, xs in ends.items() if len(xs) >= 4]  # two column rules or more
