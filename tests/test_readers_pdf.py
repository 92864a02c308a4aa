"""The PDF reader: every bundled plan printed as a PDF and read back gives the records of its text; bad PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphkit.errors import DocumentError
from indexer.readers import pdf
from tests.conftest import DATA, DOCS, catalogue_plan
from tests.plan_files import FONT, RUNNING_TITLE, compare_with_text, register_font, write_pdf


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each bundled plan printed as a PDF and read back (printed once per test module)."""
    folder = tmp_path_factory.mktemp("pdf")
    models = {}
    for doc_id in DOCS.values():
        plan = catalogue_plan(doc_id)
        path = folder / f"{doc_id}.pdf"
        write_pdf((DATA / "plans" / plan.file).read_text(encoding="utf-8-sig"), path)
        models[doc_id] = pdf.read(path)
    return models


@pytest.mark.parametrize("doc_id", DOCS.values())
def test_printed_plan_gives_the_records_of_its_text(printed, doc_id):
    count, reordered = compare_with_text(doc_id, printed[doc_id].lines)
    assert count > 20
    assert len(reordered) <= 1  # only 000's fragment rows (line 81-82 of its text) at a page break


@pytest.mark.parametrize("doc_id", DOCS.values())
def test_running_title_and_page_numbers_are_skipped(printed, doc_id):
    model = printed[doc_id]
    pages = {where.page for where, _ in model.skipped}
    reasons = [reason for _, reason in model.skipped]
    assert sum(r == "page furniture: page number" for r in reasons) == len(pages - {None}) > 1
    assert any(r.startswith("page furniture: running title") for r in reasons)
    assert not any(RUNNING_TITLE in line.raw or re.fullmatch(r"Page \d+", line.raw) for line in model.lines)


def test_repeated_table_headers_are_skipped(printed):
    model = printed[DOCS["001"]]
    repeated = [where for where, reason in model.skipped if reason.startswith("table header repeated on page")]
    assert len(repeated) > 10
    assert all(where.page > 1 and where.page_line is not None for where in repeated)


def test_every_line_says_its_page_and_line(printed):
    model = printed[DOCS["003"]]
    wheres = [model.where(line.number) for line in model.lines if not line.blank]
    assert all(w.page is not None and w.page_line is not None for w in wheres)
    assert [w.page for w in wheres] == sorted(w.page for w in wheres)
    assert max(w.page for w in wheres) > 5


def split_row_pdf(path: Path) -> list[list[str]]:
    """A three-row table whose middle row is too tall for the first page, with its header repeated."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    long_text = " ".join(f"step {i} of the review is done with families." for i in range(40))
    rows = [
        ["Action", "What we will do", "Lead"],
        ["A1", "Recruit two advocacy workers", "Head of Service"],
        ["A2", long_text, "Chief Social Work Officer"],
        ["A3", "Publish the annual report", "Lead Officer"],
    ]
    table = LongTable(
        [[Paragraph(c, style) for c in row] for row in rows], colWidths=[40, 250, 90], repeatRows=1, splitInRow=1
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path), pagesize=A5).build([Spacer(1, 200), table])
    return rows


def test_split_row_is_joined_cell_by_cell(tmp_path):
    rows = split_row_pdf(tmp_path / "split.pdf")
    model = pdf.read(tmp_path / "split.pdf")
    tables = [b for b in model.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert [list(r) for r in tables[0].rows] == rows
    pages = [w.page for w in tables[0].row_where]
    assert pages[0] == pages[1] == pages[2] < pages[3]  # A2 starts on page 1 and ends on page 2
    assert "table header repeated on page 2" in [reason for _, reason in model.skipped]


def test_headings_paragraphs_and_list_items(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    register_font()
    styles = {name: style.clone(name, fontName=FONT) for name, style in getSampleStyleSheet().byName.items()}
    body = styles["BodyText"]
    story = [
        Paragraph("Our Promise to children", styles["Heading1"]),
        Paragraph("Keeping families together", styles["Heading2"]),
        Paragraph(
            "Over the term of this plan we will work with families and carers across the whole of the area to "
            "make sure that every child who needs support is offered it early, close to home and for as long "
            "as it is needed. We will:",
            body,
        ),
        Paragraph("• Offer independent advocacy to every child", body),
        Paragraph("- Review the kinship care allowance", body),
        Paragraph("2. Publish a progress report each year", body),
    ]
    SimpleDocTemplate(str(tmp_path / "plan.pdf"), pagesize=A4).build(story)
    model = pdf.read(tmp_path / "plan.pdf")
    got = [(b.kind, b.level, b.marker, b.text[:40]) for b in model.blocks]
    assert got == [
        ("heading", 1, "", "Our Promise to children"),
        ("heading", 2, "", "Keeping families together"),
        ("paragraph", 0, "", "Over the term of this plan we will work "),
        ("item", 0, "•", "Offer independent advocacy to every chil"),
        ("item", 0, "-", "Review the kinship care allowance"),
        ("item", 0, "2.", "Publish a progress report each year"),
    ]
    assert model.blocks[2].text.endswith("as long as it is needed. We will:")
    assert [b.where.page_line for b in model.blocks] == [1, 2, 3, 6, 7, 8]


def test_page_without_text_is_a_problem_naming_the_page(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    Image.new("RGB", (200, 100), "white").save(tmp_path / "scan.png")
    page = canvas.Canvas(str(tmp_path / "plan.pdf"))
    page.drawString(72, 720, "Action plan 2024: the actions are on the scanned pages")
    page.showPage()
    page.drawImage(str(tmp_path / "scan.png"), 72, 400, 400, 200)
    page.showPage()
    page.save()
    model = pdf.read(tmp_path / "plan.pdf")
    assert [(p.where.page, p.reason) for p in model.problems] == [(2, "page 2 has no text: run OCR first")]
    assert [line.raw for line in model.lines] == ["Action plan 2024: the actions are on the scanned pages"]


def test_scan_with_no_text_at_all_is_an_error(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    Image.new("RGB", (200, 100), "white").save(tmp_path / "scan.png")
    page = canvas.Canvas(str(tmp_path / "scan.pdf"))
    page.drawImage(str(tmp_path / "scan.png"), 72, 400, 400, 200)
    page.showPage()
    page.save()
    model = pdf.read(tmp_path / "scan.pdf")
    assert [p.reason for p in model.problems] == [
        "page 1 has no text: run OCR first",
        "no page has text: run OCR first",
    ]
    assert model.problems[-1].severity == "error"
    assert model.lines == []


def test_encrypted_pdf_is_refused_naming_the_file(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(tmp_path / "locked.pdf"), encrypt=StandardEncryption("secret", canModify=0))
    page.drawString(72, 720, "We will keep the promise")
    page.save()
    with pytest.raises(DocumentError, match=r"^locked\.pdf: the PDF is encrypted"):
        pdf.read(tmp_path / "locked.pdf")


def test_pdf_locked_only_against_editing_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(tmp_path / "protected.pdf"), encrypt=StandardEncryption("", "owner", canModify=0))
    page.drawString(72, 720, "We will keep the promise")
    page.save()
    assert [line.raw for line in pdf.read(tmp_path / "protected.pdf").lines] == ["We will keep the promise"]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nthis is not a PDF body\n%%EOF", b"PK\x03\x04 a zip file named .pdf", b"\x00" * 1000],
    ids=["garbage", "zip", "zeros"],
)
def test_corrupt_pdf_is_refused_naming_the_file(tmp_path, content):
    (tmp_path / "broken.pdf").write_bytes(content)
    with pytest.raises(DocumentError, match=r"^broken\.pdf: not a readable PDF"):
        pdf.read(tmp_path / "broken.pdf")


def test_truncated_pdf_is_refused_or_read_in_part(tmp_path):
    write_pdf(
        (DATA / "plans" / catalogue_plan(DOCS["003"]).file).read_text(encoding="utf-8-sig"), tmp_path / "whole.pdf"
    )
    data = (tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    try:
        model = pdf.read(tmp_path / "cut.pdf")
    except DocumentError as exc:
        assert str(exc).startswith("cut.pdf: ")
    else:
        assert model.lines or model.problems


def test_empty_pdf_is_refused(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(DocumentError, match=r"^empty\.pdf: the file is empty$"):
        pdf.read(tmp_path / "empty.pdf")
