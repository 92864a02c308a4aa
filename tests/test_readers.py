"""Choosing a reader by extension and content, the limits per file, and a non-text document through indexing."""

from __future__ import annotations

import json
import sys
import time
import types
import zipfile
from pathlib import Path

import pytest

import graphkit.documents
import indexer.readers
from graphkit.errors import DocumentError
from graphkit.records import Action, Plan
from indexer.document import Block, DocumentModel, Where
from indexer.readers import kind_of, read_model
from tests.conftest import FIXTURES


def test_kind_follows_the_content_before_the_name(tmp_path: Path) -> None:
    assert kind_of(tmp_path / "plan.txt", b"%PDF-1.4\n") == "pdf"
    assert kind_of(tmp_path / "plan.txt", b"<!DOCTYPE html><html>") == "html"
    assert kind_of(tmp_path / "plan.md", b"# Plan") == "markdown"
    assert kind_of(tmp_path / "plan", b"Plan") == "text"
    docx = tmp_path / "plan.bin"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert kind_of(docx, docx.read_bytes()[:2048]) == "docx"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.doc", b"\xd0\xcf\x11\xe0 old word", "unsupported file type (an old Word file: save it as .docx"),
        ("plan.pdf", b"just text", "named .pdf but its content is not a PDF file"),
        ("plan.zip", b"PK\x03\x04garbage", "a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file"),
        ("plan.pages", b"x", "unsupported file type '.pages'"),
    ],
)
def test_unsupported_files_are_errors_naming_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=name.replace(".", r"\.")) as info:
        read_model(path)
    assert message in str(info.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="gone.txt: file not found"):
        read_model(tmp_path / "gone.txt")


def test_file_over_its_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(indexer.readers.MAX_BYTES, "text", 10)
    path = tmp_path / "big.txt"
    path.write_text("We will do a great many things.\n")
    with pytest.raises(DocumentError, match="big.txt: .* over the 0 MB limit for text files"):
        read_model(path)


def test_a_reader_that_is_not_installed_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(indexer.readers.MODULES, "html", "no_such_reader")
    path = tmp_path / "plan.html"
    path.write_text("<html><body><p>We will act.</p></body></html>")
    with pytest.raises(DocumentError, match=r"plan\.html: no HTML reader is installed"):
        read_model(path)


def test_text_reader_gives_the_files_own_lines_and_blocks() -> None:
    model = read_model(FIXTURES / "layouts" / "bullets_lead_in.txt")
    assert model.reader == "text"
    assert model.lines[7].number == 8 and model.lines[7].raw.startswith("• Expand")
    assert model.where(8).label == "line 8"
    assert [b.kind for b in model.blocks][:4] == ["heading", "heading", "paragraph", "paragraph"]


def _fake_html_reader(path: Path) -> DocumentModel:
    blocks = [
        Block("heading", "Our promise", Where(page=1, page_line=1), level=1),
        Block("paragraph", "Over the term of this plan, we will:", Where(page=2, page_line=4)),
        Block("item", "Open a family hub in every town by March 2026", Where(page=2, page_line=5), marker="•"),
    ]
    return DocumentModel(path.name, "html", blocks)


def _plan(file: str) -> Plan:
    return Plan("anyshire-html-2024", file, "Anyshire", "Plan", "promise", 2024, 2026)


def test_a_non_text_document_is_read_by_its_model_and_keeps_where_it_was_printed(tmp_path: Path, monkeypatch) -> None:
    module = types.ModuleType("indexer.readers.html")
    module.read = _fake_html_reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "indexer.readers.html", module)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.html").write_text("<html><body>...</body></html>")
    outcome = graphkit.documents.index_document(tmp_path, _plan("plan.html"))
    assert outcome.indexed, outcome.problems
    [action] = outcome.actions
    assert action.text == "Open a family hub in every town by March 2026" and action.due == "2026-03"
    assert action.source.where == "page 2, line 5"
    assert action.source.line == 5  # the rendered line: heading, blank, lead-in, blank, item
    data = action.to_dict()
    assert data["source"]["where"] == "page 2, line 5"
    assert Action.from_dict(json.loads(json.dumps(data))) == action
    assert outcome.coverage["reader"] == "html" and outcome.coverage["parser"] == "layout"


def test_a_text_records_json_has_no_where(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.txt").write_text("Plan\n\nWe will open a family hub.\n")
    outcome = graphkit.documents.index_document(tmp_path, _plan("p.txt"))
    assert "where" not in outcome.actions[0].to_dict()["source"]


def test_a_document_over_the_time_limit_is_a_problem_naming_it(tmp_path: Path, monkeypatch) -> None:
    module = types.ModuleType("indexer.readers.html")

    def slow(path: Path) -> DocumentModel:
        time.sleep(5)
        return _fake_html_reader(path)

    module.read = slow  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "indexer.readers.html", module)
    monkeypatch.setattr(graphkit.documents, "TIME_LIMIT", 0.2)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "slow.html").write_text("<html></html>")
    outcome = graphkit.documents.index_document(tmp_path, _plan("slow.html"))
    assert not outcome.indexed
    assert "slow.html: reading took longer than the 0.2 s limit" in outcome.problems[0].reason


LAYOUT_FILES = sorted(p for p in (Path(__file__).parent / "cases" / "layouts").iterdir() if p.suffix != ".json")


@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: p.name)
def test_every_line_of_a_plan_of_any_type_is_counted_once(path, tmp_path) -> None:
    from graphkit.documents import index_document
    from graphkit.records import Plan

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / path.name).write_bytes(path.read_bytes())
    outcome = index_document(tmp_path, Plan("a-plan-2023", path.name, "Anyshire", "Plan", "promise", 2023, 2026))
    row = outcome.coverage
    assert row["used"] + row["skipped"] + row["blank"] + row["unplaced"] == row["lines"], row
