"""HTML -> DocumentModel: headings, paragraphs, lists with their nesting, tables on their grid; site furniture dropped.

lxml's HTML parser (libxml2, already installed with python-docx) reads the page as a browser would forgive it
(unclosed tags, stray markup) and gives each element its source line. Nothing on the page runs: scripts, styles and
embedded objects are dropped unread, no network is touched, and no entity is resolved beyond HTML's own.

Dropped, each recorded in `model.skipped` with its line: the page's navigation, its site header and footer (a
`<header>` or `<footer>` outside any `<main>`, `<article>` or `<section>`), asides, forms, scripts, styles and
anything hidden (`hidden`, `aria-hidden="true"`, `display: none`, `visibility: hidden`, screen-reader-only text).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graphkit.errors import DocumentError
from indexer.document import Block, DocumentModel, Where
from indexer.normalise import decode

CODE = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "math", "head"}
FURNITURE = {
    "nav": "navigation",
    "aside": "aside",
    "form": "form",
    "button": "form",
    "select": "form",
    "textarea": "form",
    "input": "form",
    "dialog": "dialog",
}
ROLES = {
    "navigation": "navigation",
    "banner": "site header",
    "contentinfo": "site footer",
    "complementary": "aside",
    "search": "form",
}
SECTIONING = {"main", "article", "section"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:sr-only|visually-hidden|screen-reader-text|hidden)(?:\s|$)")
HEADING = re.compile(r"^h([1-6])$")
BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "li",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "pre",
    "figure",
    "figcaption",
    "address",
    "hr",
    "details",
    "summary",
    "center",
    "body",
    "fieldset",
    "header",
    "footer",
    "caption",
    "menu",
}


def read(path: Path) -> DocumentModel:
    """Read a web page into a document model.

    Raises
    ------
    DocumentError
        For an empty or unreadable file (the message names the file).
    """
    import lxml.etree
    import lxml.html

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from None
    text = decode(data, path.name)
    if not text.strip():
        raise DocumentError(f"{path.name}: the file is empty")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentError(f"{path.name}: not a readable web page ({exc})") from None
    model = DocumentModel(path.name, "html")
    _drop(root, model)
    body = root.find("body")
    Walker(model).container(body if body is not None else root)
    return model


def _drop(root: Any, model: DocumentModel) -> None:
    """Remove what is not the page's content, recording each removal with its line."""
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        reason = _furniture(element)
        if reason:
            doomed.append((element, reason))
    for element, reason in doomed:
        if element.getparent() is None or _gone(element):
            continue
        model.skipped.append((Where(source_line=element.sourceline), f"web page {reason} dropped"))
        element.drop_tree()


def _gone(element: Any) -> bool:
    """True when an ancestor was already dropped (the element is detached from the page)."""
    while element.getparent() is not None:
        element = element.getparent()
    return element.tag != "html"


def _furniture(element: Any) -> str | None:
    tag = element.tag.lower()
    if tag in CODE:
        return "script or style" if tag in ("script", "style", "noscript", "template") else f"{tag} element"
    if tag in FURNITURE:
        return FURNITURE[tag]
    role = (element.get("role") or "").lower()
    if role in ROLES:
        return ROLES[role]
    if tag in ("header", "footer") and not any(a.tag in SECTIONING for a in element.iterancestors()):
        return f"site {tag}"
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true":
        return "hidden element"
    if HIDDEN_STYLE.search(element.get("style") or "") or HIDDEN_CLASS.search(element.get("class") or ""):
        return "hidden element"
    return None


def _fold(text: str) -> str:
    return " ".join(text.split())


def _inline_text(element: Any) -> str:
    """An element's text with its children's, as a browser runs it together: a break or a block inside is a space."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        spaced = tag == "br" or tag in BLOCK or tag in ("td", "th", "tr")
        parts.append(" " if spaced else "")
        parts.append(node.text or "" if tag else "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append(" " if spaced else "")

    walk(element)
    return _fold("".join(parts))


class Walker:
    """Walks the page's content in order, turning elements into blocks."""

    def __init__(self, model: DocumentModel) -> None:
        self.model = model
        self.tables = 0

    def add(self, kind: str, text: str, line: int | None, **extra: Any) -> None:
        text = _fold(text)
        if text:
            self.model.blocks.append(Block(kind, text, Where(source_line=line), **extra))

    def container(self, element: Any) -> None:
        """A block that holds blocks: its loose text (between child blocks) becomes paragraphs."""
        run: list[str] = [element.text or ""]
        line = element.sourceline
        for child in element:
            if not isinstance(child.tag, str):
                run.append(child.tail or "")
                continue
            if child.tag.lower() in BLOCK:
                self.add("paragraph", "".join(run), line)
                run = []
                self.block(child)
                run.append(child.tail or "")
                line = child.sourceline
            else:
                if not _fold("".join(run)):
                    line = child.sourceline
                run.append(" " if child.tag == "br" else _inline_text(child))
                run.append(child.tail or "")
        self.add("paragraph", "".join(run), line)

    def block(self, element: Any, level: int = 0) -> None:
        tag = element.tag.lower()
        if match := HEADING.match(tag):
            self.add("heading", _inline_text(element), element.sourceline, level=int(match[1]))
        elif tag in ("p", "dt", "dd", "pre", "figcaption", "caption", "summary", "address"):
            if any(isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol", "table") for c in element):
                self.container(element)
            else:
                self.add("paragraph", _inline_text(element), element.sourceline)
        elif tag in ("ul", "ol", "menu"):
            self.items(element, level)
        elif tag == "table":
            self.table(element)
        elif tag == "hr":
            return
        else:
            self.container(element)

    def items(self, listing: Any, level: int) -> None:
        ordered = listing.tag.lower() == "ol"
        start = listing.get("start", "1")
        number = int(start) if start.lstrip("-").isdigit() else 1
        for li in listing:
            if not isinstance(li.tag, str) or li.tag.lower() != "li":
                if isinstance(li.tag, str) and li.tag.lower() in ("ul", "ol"):
                    self.items(li, level + 1)  # a list nested without its <li>, as some editors write it
                continue
            nested = [c for c in li if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol", "table")]
            parts = [li.text or ""]
            for child in li:
                if isinstance(child.tag, str) and child not in nested:
                    spaced = child.tag.lower() in BLOCK or child.tag.lower() == "br"
                    parts.append(f" {_inline_text(child)} " if spaced else _inline_text(child))
                parts.append(child.tail or "")
            marker = f"{number}." if ordered else "•"
            self.add("item", "".join(parts), li.sourceline, level=level, marker=marker)
            number += 1
            for child in nested:
                if child.tag.lower() == "table":
                    self.table(child)
                else:
                    self.items(child, level + 1)

    def table(self, table: Any) -> None:
        """A table on its grid: a cell spanning columns or rows leaves empty cells where it spreads."""
        self.tables += 1
        rows: list[list[str]] = []
        wheres: list[Where] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
        caption = table.find("caption")
        if caption is not None:
            self.add("paragraph", _inline_text(caption), caption.sourceline)
        for tr in _table_rows(table):
            cells: list[str] = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                while pending.get(len(cells), 0) > 0:
                    pending[len(cells)] -= 1
                    cells.append("")
                span = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                for i in range(span):
                    if down > 1:
                        pending[len(cells)] = down - 1
                    cells.append(_inline_text(cell) if i == 0 else "")
            while pending.get(len(cells), 0) > 0:
                pending[len(cells)] -= 1
                cells.append("")
            if any(cells):
                rows.append(cells)
                wheres.append(Where(table=self.tables, row=len(rows), source_line=tr.sourceline))
        if rows:
            width = max(len(r) for r in rows)
            cells_rows = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
            self.model.blocks.append(Block("table", where=wheres[0], rows=cells_rows, row_where=tuple(wheres)))


def _table_rows(table: Any) -> list[Any]:
    """The rows of a table itself (in its head, bodies and foot), not those of tables nested in its cells."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows += [tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr"]
    return rows


def _span(value: str | None) -> int:
    return max(1, min(int(value), 50)) if value and value.strip().isdigit() else 1
