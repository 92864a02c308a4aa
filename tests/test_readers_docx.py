"""The Word reader: every bundled plan as a .docx read back gives the records of its text; lists, merges, bad files."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from graphkit.errors import DocumentError
from indexer.readers import archive
from indexer.readers import docx as reader
from tests.conftest import DATA, DOCS, catalogue_plan
from tests.plan_files import compare_with_text, write_docx


@pytest.mark.parametrize("doc_id", DOCS.values())
def test_word_plan_gives_the_records_of_its_text(tmp_path, doc_id):
    path = tmp_path / f"{doc_id}.docx"
    write_docx((DATA / "plans" / catalogue_plan(doc_id).file).read_text(encoding="utf-8-sig"), path)
    model = reader.read(path)
    count, reordered = compare_with_text(doc_id, model.lines)
    assert count > 20
    assert reordered == []  # Word has no page breaks inside rows: no fragments are joined


def numbered(paragraph, num_id: int, level: int) -> None:
    """Give a paragraph Word numbering (list `num_id`, nesting `level`), as Word's multi-level lists do."""
    num_pr = OxmlElement("w:numPr")
    ilvl, num = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), str(level))
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    paragraph._p.get_or_add_pPr().append(num_pr)


def test_headings_and_lists_keep_their_levels_and_markers(tmp_path):
    document = docx.Document()
    document.add_heading("Keeping The Promise", 0)
    document.add_heading("Pillar: A Good Childhood", 1)
    document.add_paragraph("Over the term of this plan, we will:")
    document.add_paragraph("Offer independent advocacy", style="List Bullet")
    numbered(document.add_paragraph("to every child in care"), 1, 1)
    document.add_paragraph("Review the kinship allowance", style="List Bullet")
    document.add_paragraph("for kinship carers", style="List Bullet 2")
    document.add_heading("Actions", 2)
    for text in ("Publish the plan", "Report each year", "Ask children what changed"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("")  # an empty paragraph is no block, but still counts as a paragraph
    document.add_paragraph("Lead: Head of Education")
    document.save(tmp_path / "plan.docx")

    model = reader.read(tmp_path / "plan.docx")
    got = [(b.kind, b.level, b.marker, b.text, b.where.paragraph) for b in model.blocks]
    assert got[:3] == [
        ("heading", 1, "", "Keeping The Promise", 1),
        ("heading", 1, "", "Pillar: A Good Childhood", 2),
        ("paragraph", 0, "", "Over the term of this plan, we will:", 3),
    ]
    assert [(kind, level, text) for kind, level, _, text, _ in got[3:7]] == [
        ("item", 0, "Offer independent advocacy"),
        ("item", 1, "to every child in care"),
        ("item", 0, "Review the kinship allowance"),
        ("item", 1, "for kinship carers"),
    ]
    assert {b[2] for b in got[3:7]} == {"•"}  # Word's Symbol and Courier New "o" bullets read as one bullet
    assert got[7] == ("heading", 2, "", "Actions", 8)
    assert [(b[2], b[3]) for b in got[8:11]] == [
        ("1.", "Publish the plan"),
        ("2.", "Report each year"),
        ("3.", "Ask children what changed"),
    ]
    assert got[11] == ("paragraph", 0, "", "Lead: Head of Education", 13)
    assert [line.raw for line in model.lines][-3:] == ["3. Ask children what changed", "", "Lead: Head of Education"]


def test_merged_cells_keep_every_row_on_the_column_grid(tmp_path):
    document = docx.Document()
    document.add_paragraph("Actions")
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate(
        [
            ["Outcome", "Action", "Lead"],
            ["Safe homes", "Recruit carers", "Fostering"],
            ["", "Review allowances", "Finance"],
            ["All actions are reviewed each year", "", ""],
        ]
    ):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # the outcome runs down two rows
    table.cell(3, 0).merge(table.cell(3, 2))  # a note across the whole row
    document.save(tmp_path / "merged.docx")

    model = reader.read(tmp_path / "merged.docx")
    model.render()
    block = model.blocks[1]
    assert block.kind == "table"
    assert block.rows == (
        ("Outcome", "Action", "Lead"),
        ("Safe homes", "Recruit carers", "Fostering"),
        ("", "Review allowances", "Finance"),
        ("All actions are reviewed each year", "", ""),
    )
    assert [w.label for w in model.blocks[1].row_where] == [f"table 1, row {r}" for r in range(1, 5)]
    assert model.where(model.blocks[1].where.line + 2).label == "table 1, row 3"


def bomb(path, size: int, members: int = 1) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        for i in range(members):
            out.writestr(f"word/document{i or ''}.xml", b"\0" * size)


def test_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    bomb(tmp_path / "bomb.docx", 40 * 2**20)  # 40 MB of zeros in a 40 KB file
    assert (tmp_path / "bomb.docx").stat().st_size < 100_000
    with pytest.raises(DocumentError, match=r"^bomb\.docx: refused: part 'word/document\.xml' inflates \d+-fold"):
        reader.read(tmp_path / "bomb.docx")


def test_archive_too_large_once_inflated_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 2**20)
    bomb(tmp_path / "big.docx", 2**19, members=3)
    with pytest.raises(DocumentError, match=r"^big\.docx: refused: the archive inflates to 1 MB \(the limit is 1 MB"):
        reader.read(tmp_path / "big.docx")


def test_archive_with_too_many_parts_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 50)
    bomb(tmp_path / "many.docx", 10, members=60)
    with pytest.raises(DocumentError, match=r"^many\.docx: refused: 61 parts in the archive \(the limit is 50\)"):
        reader.read(tmp_path / "many.docx")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"^plan\.docx: the file is empty$"),
        (b"We will keep the promise", r"^plan\.docx: not a readable Word file \(not a zip archive"),
        (None, r"^plan\.docx: not a readable Word document \(KeyError"),
    ],
    ids=["empty", "text", "zip-without-document"],
)
def test_bad_word_file_is_refused_naming_the_file(tmp_path, content, message):
    if content is None:
        with zipfile.ZipFile(tmp_path / "plan.docx", "w") as out:
            out.writestr("notes.txt", "not a Word package")
    else:
        (tmp_path / "plan.docx").write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        reader.read(tmp_path / "plan.docx")
