"""The generic table fallback: header synonyms, continuation rows, repeated headers, honest sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.base import ParseResult
from indexer.formats.tabular import COLUMN_SYNONYMS, PARSER, column_role
from tests.conftest import (
    DOCS,
    FIXTURES,
    accounted,
    document_lines,
    generic_plan,
    lines_from_text,
    non_blank,
    parse_with,
)

# Pieces that make the parser's branches fire: header words, cell and row breaks, markup.
TABLE_PIECES = st.sampled_from(
    [
        "Actions",
        "Lead",
        "Timescale",
        "Status",
        "Ref",
        "Progress Update",
        "| ",
        " |",
        "|---|---|",
        "\t",
        "\n",
        "\n\n",
        "<p>",
        "</p>",
        "We will act",
        "As above",
        "A1",
        "x",
        " ",
        "&amp;",
    ]
)


def parse_fixture(name: str) -> ParseResult:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return PARSER.parse(generic_plan(name), lines_from_text(text))


def unaccounted(result: ParseResult, lines) -> set[int]:
    return non_blank(lines) - accounted(result)


def assert_accounts_for_every_line(result: ParseResult, lines) -> None:
    assert unaccounted(result, lines) == set()
    assert not result.used & set(result.skipped), "a line is both used and skipped"


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("Actions", "action"),
        ("ACTIONS What we are going to do", "action"),
        ("What we will do", "action"),
        ("Objectives", "action"),
        ("By Whom", "owner"),
        ("Lead Officer", "owner"),
        ("Assigned To", "owner"),
        ("Target", "due"),
        ("Target Date", "due"),
        ("TIMESCALE When we will do this", "due"),
        ("RAG Status", "status"),
        ("Progress", "status"),
        ("Progress Update", "progress"),
        ("Action Code", "code"),
        ("Action No.", "code"),
        ("Ref", "code"),
        ("Theme", "outcome"),
        ("Comments", "progress"),
        ("No of Benefits Identified", None),
        ("Description", None),
        ("", None),
    ],
)
def test_column_role_prefers_the_most_specific_synonym(cell: str, role: str | None) -> None:
    assert column_role(cell) == role


def test_every_synonym_names_its_own_role() -> None:
    for role, names in COLUMN_SYNONYMS.items():
        for name in names:
            assert column_role(name.title()) == role, name


def test_tab_table_reads_one_action_per_row() -> None:
    result = parse_fixture("generic_tab_table.txt")
    assert [a.text for a in result.actions] == [
        "Develop a family support hub in every locality",
        "Review kinship care allowances",
        "Train all staff in trauma-informed practice",
    ]
    first, second, third = result.actions
    assert (first.line, first.code, first.key) == (4, None, None)
    assert first.owners_text == "Head of Children's Services; Third Sector Forum"
    assert first.owners == ["Head of Children's Services", "Third Sector Forum"]
    assert (first.due_text, first.status_text) == ("March 2025", "On track")
    assert second.owners == ["Finance Manager", "Kinship Team"]
    assert second.status_text == "Complete"
    assert result.problems == []


def test_as_above_owner_keeps_text_and_leaves_owners_open() -> None:
    third = parse_fixture("generic_tab_table.txt").actions[2]
    # The next row (no action) continues this one, so its lead and status are appended.
    assert third.owners_text == "As above Learning and Development"
    assert third.status_text == "Not started Delayed"
    assert third.owners == ["As above Learning and Development"]


def test_as_above_alone_sets_owners_none() -> None:
    text = "Action\tLead\tWhen\nAudit case files\tAs above\t2025"
    action = PARSER.parse(generic_plan(), lines_from_text(text)).actions[0]
    assert (action.owners_text, action.owners) == ("As above", None)


def test_tab_table_skips_title_and_page_furniture_with_reasons() -> None:
    result = parse_fixture("generic_tab_table.txt")
    assert result.skipped == {1: "text outside a table", 3: "table header", 8: "text outside a table"}
    assert result.used == {4, 5, 6, 7}


def test_markdown_table_maps_what_we_will_do_by_whom_target() -> None:
    result = parse_fixture("generic_markdown_table.txt")
    assert [(a.line, a.text, a.owners, a.due_text) for a in result.actions] == [
        (5, "Listen to care experienced young people", ["Champions Board"], "June 2025"),
        (6, "Reduce exclusions of care experienced pupils", ["Education Service"], "2026"),
    ]
    assert result.skipped[3] == "table header"
    assert result.skipped[4] == "table separator"
    assert result.skipped[7] == "empty table row"
    assert result.skipped[9] == "text outside a table"
    assert result.actions[0].status_text is None


def test_markdown_rows_without_outer_pipes() -> None:
    text = "Action | Owner | Deadline\n--- | --- | ---\nMap advocacy services | Advocacy Lead | 2025"
    result = PARSER.parse(generic_plan(), lines_from_text(text))
    assert [(a.text, a.owners, a.due_text) for a in result.actions] == [
        ("Map advocacy services", ["Advocacy Lead"], "2025")
    ]


def test_repeated_header_after_page_break_keeps_continuation_row() -> None:
    result = parse_fixture("generic_repeated_header.txt")
    assert [a.code for a in result.actions] == ["P1", "P2", "P3"]
    p2 = result.actions[1]
    assert p2.line == 3
    assert p2.text == "Improve transitions to adult services for young people leaving care"
    assert p2.progress == "Recruitment is taking longer than planned."
    assert p2.status_text == "Delayed"
    assert result.skipped[6] == "repeated header"
    assert result.skipped[4] == "text outside a table"
    assert 7 in result.used


def test_progress_and_progress_update_columns_are_kept_apart() -> None:
    p1 = parse_fixture("generic_repeated_header.txt").actions[0]
    assert (p1.status_text, p1.progress, p1.due_text) == ("On track", "A post has been", "May 2025")
    assert p1.owners == ["Chief Social Work Officer"]


def test_row_without_code_continues_coded_row_above() -> None:
    text = "Ref\tAction\tLead\nA1\tReview the policy on\tHead of Service\n\tsibling contact\t"
    result = PARSER.parse(generic_plan(), lines_from_text(text))
    assert [(a.code, a.text) for a in result.actions] == [("A1", "Review the policy on sibling contact")]


def test_row_with_code_but_no_action_text_is_an_action_with_a_note() -> None:
    text = "Ref\tAction\tLead\nA1\t\tHead of Service"
    action = PARSER.parse(generic_plan(), lines_from_text(text)).actions[0]
    assert (action.code, action.text, action.owners) == ("A1", None, ["Head of Service"])
    assert "no action text printed in this row" in action.notes


def test_unknown_columns_go_to_notes_with_their_label() -> None:
    text = "Action\tLead\tIndicators\nHold a summit\tCPC\tAttendance"
    action = PARSER.parse(generic_plan(), lines_from_text(text)).actions[0]
    assert action.notes == ["Indicators: Attendance"]


def test_row_with_no_action_and_nothing_above_is_a_problem_with_line() -> None:
    text = "Action\tLead\tTimescale\n\tOrphan Lead\tMay 2025"
    result = PARSER.parse(generic_plan("orphan.txt"), lines_from_text(text))
    assert result.actions == []
    assert [(p.file, p.line) for p in result.problems] == [("orphan.txt", 2)]
    assert "no action" in result.problems[0].reason


def test_row_wider_than_header_is_used_and_reported() -> None:
    text = "Action\tLead\nAudit plans\tCPC\tstray cell"
    result = PARSER.parse(generic_plan(), lines_from_text(text))
    assert result.actions[0].notes == ["column 3: stray cell"]
    assert "more cells than its header" in result.problems[0].reason
    assert PARSER.sniff(lines_from_text(text)) is False


def test_table_rows_before_any_header_are_skipped() -> None:
    text = "Area\tGrade\nCare\tGood\nAction\tLead\nAct now\tMe"
    result = PARSER.parse(generic_plan(), lines_from_text(text))
    assert result.skipped[1] == result.skipped[2] == "table row before any recognised header"
    assert [a.text for a in result.actions] == ["Act now"]


def test_sniff_accepts_generic_tables() -> None:
    for name in ("generic_tab_table.txt", "generic_markdown_table.txt", "generic_repeated_header.txt"):
        assert PARSER.sniff(lines_from_text((FIXTURES / name).read_text(encoding="utf-8"))), name


@pytest.mark.parametrize("name", ["generic_prose_plan.txt", "generic_headings_only.txt", "generic_hostile.txt"])
def test_sniff_rejects_text_without_a_regular_table(name: str) -> None:
    assert PARSER.sniff(lines_from_text((FIXTURES / name).read_text(encoding="utf-8"))) is False


def test_sniff_rejects_two_action_columns() -> None:
    # "Objectives | Actions" (the CPC plan's layout): which column is the action is a guess.
    text = "Objectives\tActions\tLead\n1.1 Members understand their role\tInduction\tChair"
    assert PARSER.sniff(lines_from_text(text)) is False


def test_sniff_rejects_several_we_will_statements_in_one_cell() -> None:
    text = "Actions\tLead\nWe will listen We will act\tManager"
    assert PARSER.sniff(lines_from_text(text)) is False


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_sniff_is_false_for_each_bundled_document(doc_id: str) -> None:
    # All five print a matching header; each breaks a regularity rule (see TabularParser.sniff).
    assert PARSER.sniff(document_lines(DOCS[doc_id])) is False


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_bundled_documents_parse_without_raising_and_account_for_every_line(doc_id: str) -> None:
    result = parse_with(PARSER, DOCS[doc_id])
    assert result.parser == "tabular"
    assert all(p.severity == "warning" for p in result.problems)
    assert_accounts_for_every_line(result, document_lines(DOCS[doc_id]))


def test_hostile_text_never_raises() -> None:
    result = parse_fixture("generic_hostile.txt")
    lines = lines_from_text((FIXTURES / "generic_hostile.txt").read_text(encoding="utf-8"))
    assert all(p.severity == "warning" for p in result.problems)
    assert_accounts_for_every_line(result, lines)


def test_huge_line_is_read_quickly() -> None:
    text = "Action\tLead\n" + ("<p " * 20_000) + "\t" + ("| " * 20_000)
    result = PARSER.parse(generic_plan(), lines_from_text(text))
    assert_accounts_for_every_line(result, lines_from_text(text))


def test_fixture_files_exist() -> None:
    assert {p.name for p in Path(FIXTURES).glob("generic_*.txt")} >= {
        "generic_tab_table.txt",
        "generic_markdown_table.txt",
        "generic_repeated_header.txt",
    }


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises_and_is_accounted_for(text: str) -> None:
    lines = lines_from_text(text)
    result = PARSER.parse(generic_plan(), lines)
    assert not [p for p in result.problems if p.severity == "error"]
    assert_accounts_for_every_line(result, lines)
    PARSER.sniff(lines)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TABLE_PIECES, max_size=60).map("".join))
def test_table_like_text_never_raises_and_is_accounted_for(text: str) -> None:
    lines = lines_from_text(text)
    result = PARSER.parse(generic_plan(), lines)
    assert not [p for p in result.problems if p.severity == "error"]
    assert_accounts_for_every_line(result, lines)
    for action in result.actions:
        assert action.text or action.code
        assert action.owners is None or isinstance(action.owners, list)
