"""The prose fallback: commitments in plain text, a warning for the unknown layout, every line placed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.base import ParseResult
from indexer.formats.prose import PARSER, SKIP_PROSE
from tests.conftest import (
    DOCS,
    FIXTURES,
    document_lines,
    generic_plan,
    lines_from_text,
    parse_with,
)

PROSE_PIECES = st.sampled_from(
    [
        "We will ",
        "we will ",
        "Develop ",
        "Support is ",
        "Work with ",
        "- ",
        "1) ",
        "a. ",
        "• ",
        "(Lead: ",
        "by March 2025",
        ")",
        "(",
        ". ",
        "\n",
        "\n\n",
        "\t",
        "<p>",
        "</p>",
        "<li",
        "families ",
        "x",
    ]
)


def read_fixture(name: str):
    return lines_from_text((FIXTURES / name).read_text(encoding="utf-8"))


def parse_fixture(name: str) -> ParseResult:
    return PARSER.parse(generic_plan(name), read_fixture(name))


def summary(result: ParseResult):
    """The one 'unknown layout' warning at line 1."""
    found = [p for p in result.problems if p.reason.startswith("unknown layout")]
    assert len(found) == 1
    return found[0]


def assert_accounts_for_every_line(result: ParseResult, lines) -> None:
    # The summary warning sits on line 1 whatever line 1 holds, so it does not count as placing it.
    placed = result.used | set(result.skipped)
    placed |= {p.line for p in result.problems if not p.reason.startswith("unknown layout")}
    assert {line.number for line in lines if not line.blank} - placed == set()
    assert not result.used & set(result.skipped), "a line is both used and skipped"


def test_prose_plan_finds_we_will_sentences_and_bullets() -> None:
    result = parse_fixture("generic_prose_plan.txt")
    assert [(a.line, a.key, a.text) for a in result.actions] == [
        (5, "L5-1", "We will make sure every care experienced young person has a trusted adult."),
        (5, "L5-2", "We will publish our progress each year"),
        (8, None, "Develop a new kinship care support service"),
        (9, None, "Ensure brothers and sisters can stay together"),
        (10, None, "Work with schools to reduce exclusions of care experienced pupils"),
        (11, None, "We are going to review how we record the views of children at their reviews"),
        (14, None, "We commit to Hearing every voice"),
    ]


def test_trailing_lead_and_date_are_read_when_plain() -> None:
    actions = parse_fixture("generic_prose_plan.txt").actions
    publish, kinship = actions[1], actions[2]
    assert (publish.owners_text, publish.owners, publish.due_text) == (
        "Corporate Parenting Board",
        ["Corporate Parenting Board"],
        "March 2025",
    )
    assert (kinship.owners_text, kinship.owners, kinship.due_text) == (None, [], "December 2025")
    assert all(a.owners == [] and a.due_text is None for a in actions[3:])


def test_wrapped_line_continues_the_commitment_above() -> None:
    result = parse_fixture("generic_prose_plan.txt")
    assert 12 in result.used
    assert 12 not in result.skipped


def test_lines_without_commitments_are_skipped_with_the_prose_reason() -> None:
    result = parse_fixture("generic_prose_plan.txt")
    # Lower-case "we will" inside a sentence (line 4) is prose; so are "Review of ..." (13),
    # the one-word heading "Review" (15) and the closing line.
    assert {n for n, reason in result.skipped.items() if reason == SKIP_PROSE} == {1, 3, 4, 7, 13, 15, 16}


def test_summary_warning_counts_commitments() -> None:
    result = parse_fixture("generic_prose_plan.txt")
    warning = summary(result)
    assert (warning.line, warning.severity, warning.file) == (1, "warning", "generic_prose_plan.txt")
    assert warning.reason == "unknown layout: read as prose, 7 commitments found; check them"
    assert result.parser == "prose"


def test_headings_only_document_warns_with_zero_commitments() -> None:
    result = parse_fixture("generic_headings_only.txt")
    assert result.actions == []
    assert summary(result).reason == "unknown layout: read as prose, 0 commitments found; check them"
    assert set(result.skipped.values()) == {SKIP_PROSE}
    assert_accounts_for_every_line(result, read_fixture("generic_headings_only.txt"))


def test_run_together_we_will_statements_get_one_key_each() -> None:
    text = "Intro\n\tWe will listen to families We will act on what they say\tManager"
    actions = PARSER.parse(generic_plan(), lines_from_text(text)).actions
    assert [(a.line, a.key, a.text) for a in actions] == [
        (2, "L2-1", "We will listen to families"),
        (2, "L2-2", "We will act on what they say"),
    ]


def test_paragraph_tags_separate_imperatives() -> None:
    text = "<p>Re-establish a weekly drop-in</p> <p>Establish a quarterly forum</p>"
    actions = PARSER.parse(generic_plan(), lines_from_text(text)).actions
    assert [a.text for a in actions] == ["Re-establish a weekly drop-in", "Establish a quarterly forum"]


@pytest.mark.parametrize(
    "line",
    [
        "Support is available from the team.",
        "Review of the year",
        "Develop training",
        "This is why we will keep going.",
        "REVIEW AND IMPROVE",
    ],
)
def test_noun_phrases_headings_and_lower_case_we_will_are_not_commitments(line: str) -> None:
    assert PARSER.parse(generic_plan(), lines_from_text(line)).actions == []


def test_unclear_parenthesis_stays_in_the_text() -> None:
    text = "We will hold a summit (subject to funding)"
    action = PARSER.parse(generic_plan(), lines_from_text(text)).actions[0]
    assert (action.text, action.owners, action.due_text) == (text, [], None)


def test_sniff_accepts_any_text_and_rejects_only_blank_input() -> None:
    assert PARSER.sniff(read_fixture("generic_headings_only.txt"))
    assert PARSER.sniff(lines_from_text("x"))
    assert not PARSER.sniff(lines_from_text(" \n\t\n<p></p>"))
    assert not PARSER.sniff([])


def test_empty_input_still_warns() -> None:
    result = PARSER.parse(generic_plan(), [])
    assert result.actions == []
    assert summary(result).line == 1


def test_hostile_text_never_raises() -> None:
    lines = read_fixture("generic_hostile.txt")
    result = PARSER.parse(generic_plan(), lines)
    assert all(p.severity == "warning" for p in result.problems)
    assert_accounts_for_every_line(result, lines)
    assert any(a.text.startswith("We will survive") for a in result.actions)


def test_huge_line_is_read_quickly() -> None:
    text = "We will " + "(Lead: " * 20_000 + "x" * 50_000 + " We will" * 5_000
    lines = lines_from_text(text)
    result = PARSER.parse(generic_plan(), lines)
    assert_accounts_for_every_line(result, lines)


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_bundled_documents_parse_without_raising_and_account_for_every_line(doc_id: str) -> None:
    result = parse_with(PARSER, DOCS[doc_id])
    assert all(p.severity == "warning" for p in result.problems)
    assert summary(result).reason.endswith(f"{len(result.actions)} commitments found; check them")
    assert_accounts_for_every_line(result, document_lines(DOCS[doc_id]))


def test_keys_are_unique_per_document() -> None:
    result = parse_with(PARSER, DOCS["002"])
    ids = [a.key or f"L{a.line}" for a in result.actions]
    assert len(ids) == len(set(ids))


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises_and_is_accounted_for(text: str) -> None:
    lines = lines_from_text(text)
    result = PARSER.parse(generic_plan(), lines)
    assert [p.severity for p in result.problems] == ["warning"]
    assert_accounts_for_every_line(result, lines)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PROSE_PIECES, max_size=60).map("".join))
def test_prose_like_text_never_raises_and_is_accounted_for(text: str) -> None:
    lines = lines_from_text(text)
    result = PARSER.parse(generic_plan(), lines)
    assert [p.severity for p in result.problems] == ["warning"]
    assert_accounts_for_every_line(result, lines)
    ids = [a.key or f"L{a.line}" for a in result.actions]
    assert len(ids) == len(set(ids))
    assert all(a.text for a in result.actions)
