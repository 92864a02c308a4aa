"""Word (.docx) -> DocumentModel: headings by style, list items with their level and marker, tables cell by cell.

python-docx (MIT) opens the package and resolves styles; the body is walked in document order so that paragraphs
and tables keep their places. A heading is a paragraph whose style (or a style it is based on) is "Title" or
"Heading N", or that carries an outline level. A list item is a paragraph with numbering (its own or its style's):
its level is the numbering level and its marker the one Word prints ("•" for a bullet, "2." or "b)" for a number,
counted as Word counts). A table is read row by row on the column grid: a cell merged across columns gives its text
to its first column and empty cells to the rest, a cell merged down rows gives its text to its first row, so every
row has one cell per column. Each block says its paragraph, each table row its table and row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graphkit.errors import DocumentError
from indexer.document import Block, DocumentModel, Where
from indexer.readers.archive import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
LIST_STYLE = re.compile(r"^List(?: Bullet| Number)? ([2-9])$", re.IGNORECASE)
BULLETS = {"•", "-", "–", "◦", "▪", "■", "●", "○", "*", "‣", "∙"}  # a bullet glyph any font shows


def read(path: Path) -> DocumentModel:
    """Read a Word document into a document model.

    Raises
    ------
    DocumentError
        For an empty file, a file that is not a Word document, or a zip bomb (the message names the file).
    """
    import docx

    check_zip(path, "Word")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... for a damaged package
        raise DocumentError(f"{path.name}: not a readable Word document ({type(exc).__name__}: {exc})") from None
    model = DocumentModel(path.name, "docx")
    numbering = Numbering(document)
    styles = {s.style_id: s for s in document.styles}
    paragraph = table = 0
    for element in _body(document.element.body):
        if element.tag == W + "p":
            paragraph += 1
            block = _paragraph(element, Where(paragraph=paragraph), styles, numbering)
            if block:
                model.blocks.append(block)
        elif element.tag == W + "tbl":
            table += 1
            rows = _rows(element)
            if any(any(cell for cell in row) for row in rows):
                wheres = tuple(Where(table=table, row=r) for r in range(1, len(rows) + 1))
                model.blocks.append(Block("table", where=wheres[0], rows=tuple(rows), row_where=wheres))
    return model


def _body(parent: Any) -> Any:
    """The paragraphs and tables of the body in order, content controls opened."""
    for child in parent.iterchildren():
        if child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _body(content)
        elif child.tag in (W + "p", W + "tbl"):
            yield child


def _text(element: Any) -> str:
    """The text of a paragraph or cell: its runs (inserted revisions and links included), tabs and breaks as spaces."""
    parts = []
    for node in element.iter(W + "t", W + "tab", W + "br", W + "cr", W + "p"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return " ".join("".join(parts).split())


def _paragraph(p: Any, where: Where, styles: dict[str, Any], numbering: Numbering) -> Block | None:
    text = _text(p)
    if not text:
        return None
    style = styles.get(_value(p, "pPr/pStyle"))
    level = _heading_level(p, style)
    if level:
        return Block("heading", text, where, level=level)
    num = _numbering(p, style)
    if num:
        marker = numbering.marker(*num)
        if marker is not None:
            return Block("item", text, where, level=num[1] or _style_level(style), marker=marker)
    return Block("paragraph", text, where)


def _value(element: Any, path: str) -> str | None:
    node = element.find("/".join(W + step for step in path.split("/")))
    return None if node is None else node.get(W + "val")


def _style_chain(style: Any) -> Any:
    seen = 0
    while style is not None and seen < 10:  # a style based on itself must not loop
        yield style
        style = style.base_style
        seen += 1


def _heading_level(p: Any, style: Any) -> int:
    outline = _value(p, "pPr/outlineLvl")
    if outline is not None and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    for s in _style_chain(style):
        name = (s.name or "").strip()
        if name.lower() == "title":
            return 1
        if match := HEADING_STYLE.match(name):
            return max(1, int(match[1]))
        outline = _value(s.element, "pPr/outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
    return 0


def _style_level(style: Any) -> int:
    """The nesting Word's built-in list styles carry in their name ("List Bullet 2" is one level in)."""
    match = LIST_STYLE.match((style.name or "") if style is not None else "")
    return int(match[1]) - 1 if match else 0


def _numbering(p: Any, style: Any) -> tuple[str, int] | None:
    """(numbering id, level) of a list paragraph, from the paragraph or its style; None when not a list item."""
    num_id, level = _value(p, "pPr/numPr/numId"), _value(p, "pPr/numPr/ilvl")
    for s in _style_chain(style):
        if num_id is not None:
            break
        num_id, level = _value(s.element, "pPr/numPr/numId"), level or _value(s.element, "pPr/numPr/ilvl")
    if num_id is None or num_id == "0":
        return None
    return num_id, int(level) if level and level.isdigit() else 0


class Numbering:
    """Word's list numbering: the format of each list level, and the counters as Word advances them."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for node in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in node.findall(W + "lvl"):
                start = _value(lvl, "start")
                levels[int(lvl.get(W + "ilvl", "0"))] = (
                    _value(lvl, "numFmt") or "decimal",
                    _value(lvl, "lvlText") or "",
                    int(start) if start and start.isdigit() else 1,
                )
            abstract[node.get(W + "abstractNumId")] = levels
        for num in root.findall(W + "num"):
            self.levels[num.get(W + "numId")] = abstract.get(_value(num, "abstractNumId"), {})

    def marker(self, num_id: str, level: int) -> str | None:
        """The marker Word prints for the next item of list `num_id` at `level`; None for a list with no marker."""
        levels = self.levels.get(num_id, {})
        fmt, text, _ = levels.get(level, ("bullet", "•", 1))
        counters = self.counters.setdefault(num_id, [0] * 9)
        level = min(level, 8)
        counters[level] += 1
        counters[level + 1 :] = [0] * (8 - level)
        if fmt == "none":
            return None
        if fmt == "bullet":  # Word draws its bullets from Symbol or Wingdings, or as "o" in Courier New
            return text.strip() if text.strip() in BULLETS else "•"

        def number(match: re.Match[str]) -> str:
            i = int(match[1]) - 1
            i_fmt, _, start = levels.get(i, ("decimal", "", 1))
            return _format(start - 1 + max(counters[i], 1), i_fmt)

        return re.sub(r"%(\d)", number, text).strip() or _format(counters[level], fmt) + "."


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _rows(tbl: Any) -> list[tuple[str, ...]]:
    """The rows of a table on its column grid (merged cells spread over their columns, nested tables as text)."""
    rows = []
    for tr in tbl.findall(W + "tr"):
        cells: list[str] = [""] * int(_value(tr, "trPr/gridBefore") or 0)
        for tc in tr.findall(W + "tc"):
            span = _value(tc, "tcPr/gridSpan")
            merged_down = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merged_down is not None and merged_down.get(W + "val", "continue") == "continue"
            cells.append("" if continued else _text(tc))
            cells += [""] * (int(span) - 1 if span and span.isdigit() else 0)
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [tuple(r + [""] * (width - len(r))) for r in rows]
