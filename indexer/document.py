"""The document model every reader gives: blocks (heading, paragraph, list item, table) with their provenance.

A reader (`indexer.readers`) turns one file of any supported type (text, markdown, PDF, Word, Excel, HTML) into a
`DocumentModel`. The model is rendered once into numbered text lines (`DocumentModel.lines`), so that every parser,
the coverage report and `Source.line` speak of one line numbering whatever the file type, and each of those lines
keeps where it was printed (`Where`: page and line of a PDF, paragraph of a Word document, sheet and row of a
spreadsheet, line of a text file).

Rendering: a heading is one line, a paragraph or a list item one line (its text folded onto it), a table one line
per row with its cells joined by tabs (a cell that wrapped stays one cell). A blank line separates blocks of
different kinds, so a text parser sees the same shapes it sees in extracted text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.base import Line

BLOCK_KINDS = ("heading", "paragraph", "item", "table")


@dataclass(frozen=True, slots=True)
class Where:
    """Where a block or a table row was printed, in the terms of its file type.

    Every field but `line` is optional; `label` says it the way a person finds it in the original.

    >>> Where(line=7, page=3, page_line=12).label
    'page 3, line 12'
    >>> Where(line=40, sheet="Actions", row=7).label
    "sheet 'Actions', row 7"
    >>> Where(line=5, paragraph=14).label
    'paragraph 14'
    >>> Where(line=6, table=2, row=3).label
    'table 2, row 3'
    >>> Where(line=9).label
    'line 9'
    """

    line: int = 0  # the 1-based line of the rendered text (DocumentModel.lines); set by render
    page: int | None = None
    page_line: int | None = None
    paragraph: int | None = None
    sheet: str | None = None
    row: int | None = None
    source_line: int | None = None  # the 1-based line of a text or HTML file
    table: int | None = None  # the 1-based table of a Word document or web page (its rows numbered by `row`)

    @property
    def label(self) -> str:
        if self.page is not None:
            return f"page {self.page}" + (f", line {self.page_line}" if self.page_line is not None else "")
        if self.sheet is not None:
            return f"sheet {self.sheet!r}" + (f", row {self.row}" if self.row is not None else "")
        if self.table is not None:
            return f"table {self.table}" + (f", row {self.row}" if self.row is not None else "")
        if self.paragraph is not None:
            return f"paragraph {self.paragraph}"
        if self.row is not None:
            return f"row {self.row}"
        return f"line {self.source_line if self.source_line is not None else self.line}"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document.

    kind
        One of BLOCK_KINDS.
    text
        The block's text (for a table, empty).
    where
        Where the block starts.
    level
        A heading's level (1 = top) or a list item's nesting level (0 = top); 0 otherwise.
    rows
        A table's rows, each a tuple of cell texts (the header row or rows included, as printed).
    row_where
        Where each row of `rows` was printed (same length as `rows`).
    marker
        A list item's printed marker ("•", "-", "1.", "a)"), or "".
    lines
        Every rendered line the block covers (a text file's paragraph or wrapped item spans several); empty means
        just `where.line`.
    row_lines
        For a table read from text, the lines of each row (a wrapped row spans several); empty means the lines of
        `row_where`.
    """

    kind: str
    text: str = ""
    where: Where = field(default_factory=Where)
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    row_where: tuple[Where, ...] = ()
    marker: str = ""
    lines: tuple[int, ...] = ()
    row_lines: tuple[tuple[int, ...], ...] = ()

    def covered(self) -> tuple[int, ...]:
        """Every line this block was read from."""
        if self.kind == "table":
            if self.row_lines:
                return tuple(n for row in self.row_lines for n in row)
            return tuple(w.line for w in self.row_where) or (self.where.line,)
        return self.lines or (self.where.line,)

    def lines_of_row(self, i: int) -> tuple[int, ...]:
        """The lines row `i` of a table was read from."""
        if i < len(self.row_lines):
            return self.row_lines[i]
        return (self.row_where[i].line,) if i < len(self.row_where) else (self.where.line,)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something a reader met that a person must know: a page with no text, a sheet too large, a broken part."""

    where: Where
    reason: str
    severity: str = "warning"  # "warning" (reading went on) or "error" (nothing could be read)


@dataclass(slots=True)
class DocumentModel:
    """One file read into blocks, its rendered lines and what the reader could not read."""

    file: str
    reader: str  # "text", "markdown", "pdf", "docx", "xlsx", "html"
    blocks: list[Block] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    skipped: list[tuple[Where, str]] = field(default_factory=list)  # furniture the reader dropped, with a reason
    _lines: list[Line] | None = None
    _where: dict[int, Where] = field(default_factory=dict)

    @classmethod
    def of_text(cls, file: str, reader: str, lines: list[Line], blocks: list[Block]) -> DocumentModel:
        """A model of a text file: its own lines are the rendered lines, and its blocks already name them."""
        model = cls(file, reader, blocks)
        model._lines = lines
        model._where = {line.number: Where(line.number, source_line=line.number) for line in lines}
        return model

    def render(self) -> None:
        """Number every block and table row as lines of text (see the module docstring)."""
        from indexer.normalise import clean_text

        lines: list[Line] = []
        wheres: dict[int, Where] = {}
        rendered: list[Block] = []
        previous = None

        def add(raw: str, where: Where) -> Where:
            number = len(lines) + 1
            cells = tuple(raw.split("\t"))
            lines.append(Line(number, raw, tuple(clean_text(c) for c in cells), cells))
            placed = _at(where, number)
            wheres[number] = placed
            return placed

        for block in self.blocks:
            if previous is not None and (block.kind != previous or block.kind in ("heading", "table")):
                add("", Where())
            previous = block.kind
            if block.kind == "table":
                row_where = block.row_where or tuple(block.where for _ in block.rows)
                placed_rows = tuple(
                    add("\t".join(_one_line(c) for c in row), w) for row, w in zip(block.rows, row_where, strict=True)
                )
                first = placed_rows[0] if placed_rows else _at(block.where, len(lines) + 1)
                rendered.append(_replace(block, where=first, row_where=placed_rows))
            else:
                prefix = "#" * max(block.level, 1) + " " if block.kind == "heading" else ""
                if block.kind == "item":
                    prefix = "  " * block.level + (block.marker or "•") + " "
                placed = add(prefix + _one_line(block.text), block.where)
                rendered.append(_replace(block, where=placed))
        self.blocks = rendered
        self._lines = lines
        self._where = wheres

    @property
    def lines(self) -> list[Line]:
        """The rendered lines (1-based numbers); rendered on first use."""
        if self._lines is None:
            self.render()
        assert self._lines is not None
        return self._lines

    def where(self, line: int) -> Where:
        """Where rendered line `line` was printed (a bare line number for a separator line)."""
        if self._lines is None:
            self.render()
        return self._where.get(line, Where(line=line))


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _at(where: Where, line: int) -> Where:
    return Where(
        line, where.page, where.page_line, where.paragraph, where.sheet, where.row, where.source_line, where.table
    )


def _replace(block: Block, **changes: object) -> Block:
    values = {name: getattr(block, name) for name in Block.__slots__}
    values.update(changes)
    return Block(**values)  # type: ignore[arg-type]
