"""The Excel reader: a bundled plan as a workbook gives the records of its text; titles, headers, limits."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from graphkit.errors import DocumentError
from indexer.fields import parse_due
from indexer.readers import xlsx as reader
from tests.conftest import DATA, DOCS, catalogue_plan
from tests.plan_files import compare_with_text, write_xlsx


@pytest.mark.parametrize("doc_id", DOCS.values())
def test_workbook_plan_gives_the_records_of_its_text(tmp_path, doc_id):
    path = tmp_path / f"{doc_id}.xlsx"
    write_xlsx((DATA / "plans" / catalogue_plan(doc_id).file).read_text(encoding="utf-8-sig"), path)
    model = reader.read(path)
    count, reordered = compare_with_text(doc_id, model.lines)
    assert count > 20
    assert reordered == []


def plan_book(path, empty_rows: int = 0) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(["Keeping The Promise: Plan 2024-2026"])
    sheet.append(["Update for the Children's Services Committee, June 2025"])
    sheet.append(["Priority", "What we will do", "Who", "By when", "RAG"])
    sheet.append(
        ["Voice", "Offer independent advocacy to every child", "Head of Service", dt.date(2025, 3, 31), "Green"]
    )
    sheet.append([None, "Review the kinship allowance", "Finance Manager", dt.datetime(2026, 3, 1), "Amber"])
    sheet.append([None, "Publish a report each year", "Lead Officer", 2026.0, "Red"])
    for row in range(7, 7 + empty_rows):  # formatted but empty, as a sheet copied from a template often is
        sheet.cell(row=row, column=1).number_format = "0.00"
        sheet.cell(row=row, column=3).fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    book.save(path)


def test_title_rows_become_headings_above_the_header_row(tmp_path):
    plan_book(tmp_path / "plan.xlsx")
    model = reader.read(tmp_path / "plan.xlsx")
    assert [(b.kind, b.text) for b in model.blocks[:2]] == [
        ("heading", "Keeping The Promise: Plan 2024-2026"),
        ("heading", "Update for the Children's Services Committee, June 2025"),
    ]
    table = model.blocks[2]
    assert table.kind == "table"
    assert table.rows == (
        ("Priority", "What we will do", "Who", "By when", "RAG"),
        ("Voice", "Offer independent advocacy to every child", "Head of Service", "31 March 2025", "Green"),
        ("", "Review the kinship allowance", "Finance Manager", "1 March 2026", "Amber"),
        ("", "Publish a report each year", "Lead Officer", "2026", "Red"),
    )
    assert [w.label for w in table.row_where] == [f"sheet 'Action plan', row {r}" for r in range(3, 7)]
    assert [parse_due(row[3]) for row in table.rows[1:]] == ["2025-03-31", "2026-03-01", "2026"]
    header = next(line for line in model.lines if line.raw.startswith("Priority"))
    assert header.raw == "Priority\tWhat we will do\tWho\tBy when\tRAG"
    assert model.where(header.number).label == "sheet 'Action plan', row 3"


def test_ten_thousand_empty_rows_give_no_blocks_and_stop_reading(tmp_path):
    plan_book(tmp_path / "long.xlsx", empty_rows=10_000)
    model = reader.read(tmp_path / "long.xlsx")
    assert [b.kind for b in model.blocks] == ["heading", "heading", "table"]
    assert len(model.blocks[2].rows) == 4
    assert model.lines[-1].raw.startswith("\tPublish a report each year")
    stopped = [(where.row, reason) for where, reason in model.skipped]
    assert stopped == [
        (7 + reader.EMPTY_RUN - 1, "reading stopped after 1000 empty rows in a row (the sheet is taken to end there)")
    ]


def test_every_sheet_is_read_under_its_name(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Voice"
    book.active.append(["Action", "Lead"])
    book.active.append(["Hear children at every review", "Reviewing Officers"])
    notes = book.create_sheet("Notes")
    notes.append(["All actions are reviewed each quarter."])
    notes.append([])
    notes.append(["- Report to the committee"])
    lookups = book.create_sheet("Lists")
    lookups.append(["Green", "Amber", "Red"])
    lookups.sheet_state = "hidden"
    book.save(tmp_path / "two.xlsx")
    model = reader.read(tmp_path / "two.xlsx")
    assert [(b.kind, b.text or b.rows, b.where.label) for b in model.blocks] == [
        ("heading", "Voice", "sheet 'Voice', row 1"),
        (
            "table",
            (("Action", "Lead"), ("Hear children at every review", "Reviewing Officers")),
            "sheet 'Voice', row 1",
        ),
        ("heading", "Notes", "sheet 'Notes', row 1"),
        ("paragraph", "All actions are reviewed each quarter.", "sheet 'Notes', row 1"),
        ("item", "Report to the committee", "sheet 'Notes', row 3"),
    ]
    assert [(where.sheet, reason) for where, reason in model.skipped] == [("Lists", "hidden sheet not read")]


def test_formulas_are_read_as_their_last_values_never_run(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Action", "Lead", "Due"])
    book.active.append(["Recruit carers", '=HYPERLINK("http://example.invalid","Fostering")', "=1+1"])
    book.save(tmp_path / "formula.xlsx")  # openpyxl saves no calculated values: a reader sees none
    model = reader.read(tmp_path / "formula.xlsx")
    assert model.blocks[0].rows == (("Action", "Lead", "Due"), ("Recruit carers", "", ""))
    assert "HYPERLINK" not in "\n".join(line.raw for line in model.lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"^plan\.xlsx: the file is empty$"),
        (b"Action,Lead\n", r"^plan\.xlsx: not a readable Excel file \(not a zip archive"),
        (None, r"^plan\.xlsx: not a readable Excel workbook"),
    ],
    ids=["empty", "csv", "zip-without-workbook"],
)
def test_bad_workbook_is_refused_naming_the_file(tmp_path, content, message):
    if content is None:
        with zipfile.ZipFile(tmp_path / "plan.xlsx", "w") as out:
            out.writestr("notes.txt", "not a workbook")
    else:
        (tmp_path / "plan.xlsx").write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        reader.read(tmp_path / "plan.xlsx")


def test_workbook_zip_bomb_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 2**20))
    with pytest.raises(DocumentError, match=r"^bomb\.xlsx: refused: part 'xl/worksheets/sheet1\.xml' inflates"):
        reader.read(tmp_path / "bomb.xlsx")
