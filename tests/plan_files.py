"""Write a bundled plan text as the files councils publish: PDF, Word, Excel and HTML (test-only libraries).

Each line of a plan text with tabs is one table row (its cells the tab-separated pieces); a run of such lines is one
table; any other non-blank line is one paragraph. `plan_blocks` gives that reading, and `expected_model` the
document model a perfect reader of any of the files below would give, so a test can compare the records parsed
from a reader's lines with the records parsed from the text.

The PDF is printed as a council's plan is: A4 landscape, tables with ruling lines and wrapped cells, the header
row repeated on every page, rows allowed to split across a page break, a running title at the top and a page
number at the bottom of every page.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from graphkit.records import Action, Plan
from indexer.base import Line
from indexer.document import Block, DocumentModel
from indexer.enrich import enrich
from indexer.registry import parser_for
from tests.conftest import DATA, catalogue_plan, document_lines

RUNNING_TITLE = "Children's Services Plan: progress report"
FONT = "Vera"  # a TrueType font reportlab ships: embedded with its Unicode map, as a council's PDF fonts are


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))


def plan_blocks(text: str) -> list[tuple[str, object]]:
    """("table", [row cells, ...]) for each run of tabbed lines, ("paragraph", text) for other non-blank lines."""
    blocks: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for raw in text.splitlines():
        if "\t" in raw:
            rows.append([" ".join(c.split()) for c in raw.split("\t")])
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        if raw.strip():
            blocks.append(("paragraph", " ".join(raw.split())))
    if rows:
        blocks.append(("table", rows))
    return [(kind, _padded(value) if kind == "table" else value) for kind, value in blocks]


def _padded(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def expected_model(text: str) -> DocumentModel:
    """The model of `plan_blocks`, with no file in between."""
    blocks = [
        Block("table", rows=tuple(tuple(r) for r in value)) if kind == "table" else Block("paragraph", str(value))
        for kind, value in plan_blocks(text)
    ]
    return DocumentModel("expected", "test", blocks)


def write_pdf(text: str, path: Path) -> None:
    """The plan as a PDF: ruled tables with wrapped cells, repeated header rows, rows split across pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    register_font()
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("body", fontName=FONT)
    cell = body.clone("cell", fontSize=8, leading=9.5, spaceBefore=0, spaceAfter=0)
    page_width, page_height = landscape(A4)
    margin = 40

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(margin, page_height - 24, RUNNING_TITLE)
        canvas.drawRightString(page_width - margin, 18, f"Page {doc.page}")
        canvas.restoreState()

    story: list[object] = []
    for kind, value in plan_blocks(text):
        if kind == "paragraph":
            story.append(Paragraph(escape(str(value)), body))
            continue
        rows = value  # type: ignore[assignment]
        widths = _column_widths(rows, page_width - 2 * margin)
        data = [[Paragraph(escape(c), cell) if c else "" for c in row] for row in rows]
        table = LongTable(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 6), table, Spacer(1, 6)]
    doc = SimpleDocTemplate(
        str(path), pagesize=landscape(A4), leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def _column_widths(rows: list[list[str]], total: float) -> list[float]:
    """Each column as wide as its longest word (a word is never broken), the rest shared in proportion to the square
    root of its longest cell, so that one long column does not starve the others."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    columns = range(len(rows[0]))
    least = [max([stringWidth(w, FONT, 8) for r in rows for w in r[i].split()] + [10.0]) + 14 for i in columns]
    weights = [max(4.0, max(len(r[i]) for r in rows) ** 0.5) for i in columns]
    spare = max(0.0, total - sum(least))
    return [low + spare * w / sum(weights) for low, w in zip(least, weights, strict=True)]


def write_docx(text: str, path: Path) -> None:
    """The plan as a Word document: one paragraph per line, one table per run of rows."""
    import docx

    document = docx.Document()
    for kind, value in plan_blocks(text):
        if kind == "paragraph":
            document.add_paragraph(str(value))
            continue
        rows = value  # type: ignore[assignment]
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell_text in enumerate(row):
                table.cell(r, c).text = cell_text
    document.save(str(path))


def write_xlsx(text: str, path: Path) -> None:
    """The plan as a workbook: one sheet, one row per line (paragraphs in column A), a blank row between blocks."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    for kind, value in plan_blocks(text):
        if kind == "paragraph":
            sheet.append([str(value)])
        else:
            for row in value:  # type: ignore[attr-defined]
                sheet.append(list(row))
        sheet.append([])
    book.save(str(path))


def write_html(text: str, path: Path) -> None:
    """The plan as a web page, inside the navigation, header and footer of a council site."""
    parts = [
        "<!doctype html><html><head><title>Plan</title><style>td { color: red }</style>",
        "<script>document.title = 'ran'</script></head><body>",
        "<header><p>Council site header</p></header>",
        "<nav><ul><li>Site menu: Home</li><li>Site menu: Bins and recycling</li></ul></nav><main>",
    ]
    for kind, value in plan_blocks(text):
        if kind == "paragraph":
            parts.append(f"<p>{escape(str(value))}</p>")
            continue
        parts.append("<table>")
        for row in value:  # type: ignore[attr-defined]
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    parts.append("</main><footer><p>Copyright the council</p></footer></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def records(plan: Plan, lines: list[Line]) -> list[Action]:
    """The records the bundled parser for `plan` gives for `lines`, as graphkit.documents.index_document makes them."""
    parser, _ = parser_for(plan, lines)
    result = parser.parse(plan, lines)
    result.parser = parser.name
    return enrich(plan, result)


def facts(action: Action) -> dict[str, object]:
    """What a reader must not change about a record: everything the document says (its line numbers excepted)."""
    return {
        "id": re.sub(r":L\d+(-\d+)?$", ":L", action.id),  # an uncoded action's id is its line
        "code": action.code,
        "text": action.text,
        "outcome": action.outcome,
        "owners": action.owners,
        "due": action.due,
        "due_text": action.due_text,
        "status": action.status,
        "status_text": action.status_text,
        "pillar": action.pillar,
        "foundations": action.foundations,
    }


def loose(text: str | None) -> str | None:
    """Text with the two differences no reader of a printed page can avoid (see compare_with_text)."""
    if text is None:
        return None
    text = text.replace(" | ", " ")
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def without_ghost(action) -> dict[str, object]:
    """The facts of a record without what its parser recovered from an OCR ghost line (its notes say what)."""
    values = facts(action)
    for note in action.notes:
        if match := re.match(r"from OCR ghost line \d+: (.*)$", note):
            for field, piece in re.findall(r"(\w+) '(.*?)'(?:; |$)", match[1]):
                key = {"progress": "status_text"}.get(field, field)
                values[key] = str(values[key]).replace(" " + piece, "")
    return values


def compare_with_text(doc_id: str, lines) -> tuple[int, list[str]]:
    """Compare the records parsed from `lines` with those of the plan's text: (records, word-order differences).

    Every field must be equal, but for two things a printed page cannot say:
    - the objectives_table parser parts the pieces of a cell where the extracted text shows two spaces (joining
      actions with " | ", splitting owners); a printed cell folds its spaces, so its pieces are one;
    - a word broken at its hyphen at the end of a printed line ("co-" / "developed") is read whole ("co-developed"),
      where the text file kept the space it had ("co- developed").
    The text of an action may hold the same words in another order when the text file's table split one printed row
    into fragment rows: a reader joins the fragments of a row split by a page break cell by cell (tested exactly in
    tests/test_readers_pdf.py::test_split_row_is_joined_cell_by_cell); those ids are returned.
    """
    plan = catalogue_plan(doc_id)
    text_lines = document_lines(doc_id)
    expected = records(plan, text_lines)
    got = records(plan, lines)
    # 000's text has a row narrower than its table (line 84, "MEC 2": an OCR ghost of the row above, which its
    # parser knows by its missing cells and folds into that row); printed in a table, every row has every cell, so
    # it is a row like any other, and the row above keeps its own cells only
    ideal = records(plan, expected_model((DATA / "plans" / plan.file).read_text(encoding="utf-8-sig")).lines)
    printed_only = {facts(a)["id"] for a in ideal} - {facts(a)["id"] for a in expected}
    assert len(printed_only) <= 1
    got = [a for a in got if facts(a)["id"] not in printed_only]
    assert [facts(a)["id"] for a in got] == [facts(a)["id"] for a in expected]
    reordered = []
    for want, have in zip(expected, got, strict=True):
        want_facts, have_facts = without_ghost(want), facts(have)
        want_text, have_text = loose(want_facts.pop("text")), loose(have_facts.pop("text"))
        if "  " in text_lines[want.source.line - 1].raw:  # owners parted by runs of spaces, which print as one
            have_words, want_words = (set(" ".join(f.pop("owners")).split()) for f in (have_facts, want_facts))
            assert have_words == want_words, want.id
        want_facts = {k: loose(v) if isinstance(v, str) else v for k, v in want_facts.items()}
        have_facts = {k: loose(v) if isinstance(v, str) else v for k, v in have_facts.items()}
        assert have_facts == want_facts, want.id
        if have_text != want_text:
            assert sorted(have_text.split()) == sorted(want_text.split()), want.id
            reordered.append(want.id)
    return len(got), reordered
