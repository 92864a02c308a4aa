"""The action_register parser on South Ayrshire's Parenting Promise July 2024 update (32 actions, SAPP n.m).

Expected values are read from data/plans/003_1fb9cd015575be65.txt (see PARSING-NOTES, "003").
"""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.formats.action_register import PARSER, looks_like_owner, split_owners, split_trailing_owner
from tests.conftest import (
    DOCS,
    accounted,
    document_lines,
    non_blank,
    parse_fixture_as,
    parse_text_as,
    parse_with,
)

SOUTH_AYRSHIRE = DOCS["003"]
CODES = [
    "SAPP 1.1",
    "SAPP 1.2",
    "SAPP 1.3",
    "SAPP 1.4",
    "SAPP 1.5",
    "SAPP 1.6",
    "SAPP 1.7",
    "SAPP 2.1",
    "SAPP 3.1",
    "SAPP 3.2",
    "SAPP 4.1",
    "SAPP 5.1",
    "SAPP 5.2",
    "SAPP 5.3",
    "SAPP 5.4",
    "SAPP 6.1",
    "SAPP 6.2",
    "SAPP 6.3",
    "SAPP 7.1",
    "SAPP 7.2",
    "SAPP 7.3",
    "SAPP 7.4",
    "SAPP 8.1",
    "SAPP 8.2",
    "SAPP 8.3",
    "SAPP 8.4",
    "SAPP 9.1",
    "SAPP 9.2",
    "SAPP 10.1",
    "SAPP 10.2",
    "SAPP 10.3",
    "SAPP 10.4",
]
ACTIONS_PER_AREA = {1: 7, 2: 1, 3: 2, 4: 1, 5: 4, 6: 3, 7: 4, 8: 4, 9: 2, 10: 4}

DP, MI, KK_GF = ["Dawn Parker"], ["Mark Inglis"], ["Kimberley Keenan", "Gayle Ferguson"]
A1, A2, A3 = "1. South Ayrshire's workforce", "2. Services and provision", "3. Decisions made across"
A4, A5, A6 = "4. Trauma informed, and", "5. South Ayrshire recognises", "6. The ten principles"
A7, A8, A9 = "7. There must be", "8. South Ayrshire must", "9. A framework of"
A10 = "10. Care experienced children"
SUPERSEDED = "Superseded by new Action Proposed change of date in line with"
PARTIAL = "Partially achieved at 31/3/24 Proposed alternative due date of 31/3/26 to review progress."
NOT_ACHIEVED = "Not achieved at 31/1/24 Proposed alternative due date of 31/1/25 to review progress"
# (line, code, start of text or None, owners, due_text, status_text, start of outcome)
EXPECTED = [
    (15, "SAPP 1.1", "South Ayrshire will recruit 3 new promise", DP, "31-Dec-2022", "COMPLETED", A1),
    (
        16,
        "SAPP 1.2",
        "6-monthly elected members' briefings will be delivered",
        DP,
        "31-Mar-2026",
        "ON TARGET",
        A1,
    ),
    (
        17,
        "SAPP 1.3",
        "Promise information sessions and bespoke workshops",
        DP,
        "31-Mar-2026",
        "ON TARGET",
        A1,
    ),
    (
        18,
        "SAPP 1.4",
        "All Promise resources including local publications workshop",
        DP + ["Sheila Tyeson"],
        "31-Dec-2022",
        "COMPLETED",
        A1,
    ),
    (21, "SAPP 1.5", "The workforce will be updated on our", DP, "31-Mar-2026", "ON TARGET", A1),
    (
        22,
        "SAPP 1.6",
        "The Promise branding will be adopted across",
        ["Sara Burdon"],
        "31-Mar-2026",
        "ON TARGET",
        A1,
    ),
    (23, "SAPP 1.7", "South Ayrshires Parenting Promise will align with", DP, "31-Mar-2026", "COMPLETED", A1),
    (
        32,
        "SAPP 2.1",
        "South Ayrshire will improve the quality and",
        ["Sheila Tyeson"],
        "31-Mar-2026",
        "ON TARGET",
        A2,
    ),
    (
        40,
        "SAPP 3.1",
        "Introduce Children's Rights training as essential",
        ["Tom Penman"],
        "31-Dec-2023",
        "COMPLETED",
        A3,
    ),
    (
        41,
        "SAPP 3.2",
        "South Ayrshire will recognise that children's rights",
        DP,
        "31-Mar-2026",
        "ON TARGET",
        A3,
    ),
    (
        62,
        "SAPP 4.1",
        "Expand existing nurture and trauma informed",
        ["Angela Pinkerton"],
        "31-Dec-2023",
        "COMPLETED",
        A4,
    ),
    (71, "SAPP 5.1", None, MI, "31- Dec-2024", "ON TARGET", A5),
    (74, "SAPP 5.2", "When there are times when statutory language", MI, "31-Dec-2024", "ON TARGET", A5),
    (75, "SAPP 5.3", "South Ayrshire will stop using the word 'respite'", MI, "31-Dec-2024", "COMPLETED", A5),
    (78, "SAPP 5.4", "Simple, caring language will be used in", MI, "31-Dec-2024", "ON TARGET", A5),
    (85, "SAPP 6.1", None, MI, "31-Dec-2024", "ON TARGET", A6),
    (
        87,
        "SAPP 6.2",
        "South Ayrshire will incorporate 'quality of relationships'",
        ["Claire Jarman"],
        "31-Dec-2022",
        "COMPLETED",
        A6,
    ),
    (
        88,
        "SAPP 6.3",
        "We will build on whole family support",
        ["Faye Murfet"],
        "31 -Dec- 2023",
        "COMPLETED",
        A6,
    ),
    (
        98,
        "SAPP 7.1",
        "We will recognise 'Care' as a protected",
        ["Kevin Anderson"],
        "31-Mar-2023",
        SUPERSEDED,
        A7,
    ),
    (99, "SAPP 7.2", "We will aim to secure free travel", DP, "31-Dec-2023", "COMPLETED", A7),
    (100, "SAPP 7.3", "Explore free community-based Wi-Fi for Ayr North", DP, "31-Mar-2024", "COMPLETED", A7),
    (
        101,
        "SAPP 7.4",
        "We will strengthen the relationship between South",
        MI,
        "31-Mar-2024",
        "COMPLETED",
        A7,
    ),
    (113, "SAPP 8.1", None, MI, "31-Mar-2026", "COMPLETED", A8),
    (114, "SAPP 8.2", None, ["Beth Maclean"], "31-Mar-2024", PARTIAL, A8),
    (117, "SAPP 8.3", "There will be no blanket policies or", MI, "31-Dec-2023", "COMPLETED", A8),
    (118, "SAPP 8.4", "Settings of care will be able to", MI, "31-Mar-2026", "ON TARGET", A8),
    (
        124,
        "SAPP 9.1",
        "South Ayrshire Health and Social Care partnership",
        ["Meg Williams"],
        "31-Dec-2022",
        "COMPLETED",
        A9,
    ),
    (
        125,
        "SAPP 9.2",
        "Supervision approaches will nurture our workforce to",
        ["Meg Williams", "Gayle Fergusson"],
        "31-Dec-2024",
        "ON TARGET",
        A9,
    ),
    (
        141,
        "SAPP 10.1",
        "All South Ayrshire School Improvement Plans will",
        KK_GF,
        "31-Mar 2024",
        "COMPLETED",
        A10,
    ),
    (
        144,
        "SAPP 10.2",
        "Care experienced young people actively participate in",
        KK_GF,
        "31-Mar-2026",
        "ON TARGET",
        A10,
    ),
    (145, "SAPP 10.3", "The formal and informal exclusion of care", KK_GF, "31-Jan-2024", NOT_ACHIEVED, A10),
    (
        146,
        "SAPP 10.4",
        "South Ayrshire Schools will support and ensure",
        KK_GF,
        "31-Mar-2026",
        "ON TARGET",
        A10,
    ),
]

# (code, start of narrative, end of narrative): continuations after a blank line are joined in order.
NARRATIVES = [
    ("SAPP 1.1", "All posts were recruited to in September 2021", "South Ayrshire Champions Board"),
    (
        "SAPP 1.4",
        "A Promise page was developed within the target timeframe on South Ayrshire H&SCP website",
        "https://hscp.south-ayrshire.gov.uk/article/60050/The-Promise-in-South-Ayrshire",
    ),
    (
        "SAPP 1.7",
        "South Ayrshire's Parenting Promise 2021-2030 also has a range of supporting documents",
        "to make the key messages as accessible as possible",
    ),
    (
        "SAPP 2.1",
        "A comprehensive Parenting Promise Performance Framework",
        "This is an incredibly complex process.",
    ),
    (
        "SAPP 4.1",
        "Accredited training calendar in place",
        "Plans to review wording of the Improvement Action and align benefits 24-30",
    ),
    ("SAPP 5.3", 'The use of the term "respite" has been removed', "the Council and HSCP have supported."),
    ("SAPP 8.2", "Of 31, 041 courses completed through Coast modules", "as this work progresses."),
    (
        "SAPP 10.1",
        "Care experience leads have been identified",
        "support young people achieve their potential",
    ),
]

AREA_SUMMARY_LINES = [26, 35, 46, 48, 50, 65, 79, 89, 104, 119, 127, 131, 133, 147, 149]
BENEFIT_LIST_LINES = [53, 54, 55, 107, 108, 135, 136, *range(151, 158)]
AREA_HEADING_LINES = [13, 29, 37, 58, 68, 82, 91, 110, 121, 138]
COLUMN_HEADER_LINES = [14, 31, 39, 61, 70, 84, 93, 97, 112, 123, 140]
CONTINUATION_LINES = [20, 25, 34, 43, 64, 73, 77, 103, 116, 143]


@pytest.fixture(scope="module")
def result():
    return parse_with(PARSER, SOUTH_AYRSHIRE)


@pytest.fixture(scope="module")
def by_code(result):
    return {a.code: a for a in result.actions}


def parse_fixture(name: str):
    return parse_fixture_as(PARSER, SOUTH_AYRSHIRE, f"action_register_{name}.txt")


def parse_text(text: str):
    return parse_text_as(PARSER, SOUTH_AYRSHIRE, text)


# -- the whole document


@pytest.mark.parametrize("key", sorted(DOCS))
def test_sniff_accepts_only_south_ayrshire(key):
    assert PARSER.sniff(document_lines(DOCS[key])) is (key == "003")


def test_parser_name_and_result_identity(result):
    assert PARSER.name == "action_register"
    assert result.parser == "action_register"
    assert result.document == SOUTH_AYRSHIRE
    assert result.file == "003_1fb9cd015575be65.txt"


def test_reads_32_actions_each_code_once_in_order(result):
    codes = [a.code for a in result.actions]
    assert codes == CODES
    assert all(count == 1 for count in Counter(codes).values())


def test_actions_per_improvement_area(result):
    per_area = Counter(int(a.code.split()[1].split(".")[0]) for a in result.actions)
    assert dict(per_area) == ACTIONS_PER_AREA


def test_no_problems_on_the_real_document(result):
    assert result.problems == []


def test_every_non_blank_line_is_accounted_for(result):
    assert non_blank(document_lines(SOUTH_AYRSHIRE)) <= accounted(result)


def test_no_line_is_both_used_and_skipped(result):
    assert not result.used & set(result.skipped)


@pytest.mark.parametrize(("line", "code", "text", "owners", "due", "status", "outcome"), EXPECTED)
def test_action_fields(by_code, line, code, text, owners, due, status, outcome):
    action = by_code[code]
    assert action.line == line
    assert action.code_printed == code
    assert action.plan is None
    if text is None:
        assert action.text is None
    else:
        assert action.text.startswith(text)
    assert action.owners == owners
    assert action.due_text == due
    assert action.status_text == status
    assert action.outcome.startswith(outcome)
    assert action.foundations_text is None


@pytest.mark.parametrize(("line", "code"), [(e[0], e[1]) for e in EXPECTED])
def test_source_line_holds_the_code(line, code):
    lines = document_lines(SOUTH_AYRSHIRE)
    assert lines[line - 1].cell(0) == code


@pytest.mark.parametrize(("code", "start", "end"), NARRATIVES)
def test_narrative_is_progress_with_continuations(by_code, code, start, end):
    progress = by_code[code].progress
    assert progress.startswith(start)
    assert progress.endswith(end)


@pytest.mark.parametrize("field", ["text", "outcome", "progress", "owners_text", "status_text", "due_text"])
def test_fields_are_clean_text(result, field):
    for action in result.actions:
        value = getattr(action, field)
        if value is not None:
            assert "<" not in value and "&amp;" not in value, (action.code, value[:80])
            assert value == " ".join(value.split()), (action.code, value[:80])


@pytest.mark.parametrize("line", AREA_SUMMARY_LINES)
def test_area_summaries_are_skipped_not_actions(result, line):
    assert result.skipped[line] == "area summary"


@pytest.mark.parametrize("line", BENEFIT_LIST_LINES)
def test_benefit_lists_are_skipped(result, line):
    assert result.skipped[line] == "benefit list"


@pytest.mark.parametrize("line", AREA_HEADING_LINES)
def test_area_headings_are_used_as_outcomes(result, line):
    assert line in result.used


@pytest.mark.parametrize("line", COLUMN_HEADER_LINES)
def test_column_headers_are_skipped(result, line):
    assert result.skipped[line] == "column header"


@pytest.mark.parametrize("line", CONTINUATION_LINES)
def test_continuation_rows_are_used(result, line):
    assert line in result.used


def test_outcome_is_the_whole_numbered_area_statement(by_code):
    assert by_code["SAPP 3.2"].outcome == (
        "3. Decisions made across South Ayrshire are underpinned by Children's rights and there will be well "
        "communicated and understood guidance in place that upholds children's rights and reflects equal "
        "protection legislation."
    )


def test_benefit_count_is_kept_in_notes(by_code):
    assert "benefits identified: 6" in by_code["SAPP 4.1"].notes


# -- traps, on the real document and on fixtures


@pytest.mark.parametrize("code", ["SAPP 5.1", "SAPP 6.1", "SAPP 8.1", "SAPP 8.2"])
def test_owner_in_action_column_leaves_text_empty(by_code, code):
    action = by_code[code]
    assert action.text is None
    assert any("no action text" in note for note in action.notes)


def test_owner_in_action_column_shifts_later_cells_back_into_place():
    result = parse_fixture("no_action_text")
    first = result.actions[0]
    assert (first.code, first.text, first.owners, first.due_text, first.status_text) == (
        "SAPP 8.1",
        None,
        ["Mark Inglis"],
        "31-Mar-2026",
        "COMPLETED",
    )
    assert first.progress.startswith("The Signs of Safety has been adopted")


def test_status_continued_after_blank_line_is_joined():
    result = parse_fixture("no_action_text")
    assert result.actions[1].status_text == PARTIAL
    assert 7 in result.used


def test_trailing_owner_separator_is_dropped_with_a_note():
    action = parse_fixture("no_action_text").actions[1]
    assert action.owners_text == "Beth Maclean"
    assert action.owners == ["Beth Maclean"]
    assert any("further owner" in note for note in action.notes)


@pytest.mark.parametrize(
    ("index", "text_end", "owners_text", "owners"),
    [
        (0, "rather than inputs alone.", "Sheila Tyeson", ["Sheila Tyeson"]),
        (1, "action learning sets and peer mentoring", "Meg Williams", ["Meg Williams"]),
        (
            2,
            "procedural and process driven.",
            "Meg Williams Gayle Fergusson",
            ["Meg Williams", "Gayle Fergusson"],
        ),
    ],
)
def test_owner_inside_action_text_is_moved_to_owners(index, text_end, owners_text, owners):
    action = parse_fixture("owner_in_action_text").actions[index]
    assert action.text.endswith(text_end)
    assert action.owners_text == owners_text
    assert action.owners == owners
    assert action.due_text and action.status_text in {"ON TARGET", "COMPLETED"}


def test_owner_inserted_mid_sentence_is_moved_and_sentence_rejoined():
    action = parse_fixture("owner_mid_sentence").actions[0]
    assert action.text.endswith("with robust tracking of attendance and attainment so that support can be given early.")
    assert "Keenan" not in action.text
    assert action.owners_text == "Kimberley Keenan; Gayle Ferguson"
    assert action.owners == KK_GF
    assert action.progress.startswith("Care experience leads have been identified")
    assert "attendance as a priority" in action.progress


def test_continuation_after_blank_line_adds_text_owner_and_narrative():
    result = parse_fixture("continuation_after_blank")
    action = result.actions[0]
    assert action.text == (
        "All Promise resources including local publications workshop materials and briefing notes will be "
        "readily accessible on South Ayrshires intranet."
    )
    assert action.owners == ["Dawn Parker", "Sheila Tyeson"]
    assert action.progress.startswith("A Promise page was developed within the target timeframe on South Ayrshire")
    assert result.actions[-1].text.endswith("monitor the impact of all of South Ayrshire's Promise actions.")


def test_eight_field_rows_keep_narrative_and_benefits():
    action = parse_fixture("continuation_after_blank").actions[1]
    assert action.code == "SAPP 1.5"
    assert action.status_text == "ON TARGET"
    assert "benefits identified: 2" in action.notes
    assert action.progress.startswith("The Promise has been promoted")


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("SAPP 5.1", "31- Dec-2024"),
        ("SAPP 6.3", "31 -Dec- 2023"),
        ("SAPP 10.1", "31-Mar 2024"),
        ("SAPP 1.1", "31-Dec-2022"),
    ],
)
def test_due_date_formats_are_kept_as_printed(code, due):
    actions = {a.code: a for a in parse_fixture("due_date_formats").actions}
    assert actions[code].due_text == due


def test_area_summary_row_mentioning_actions_is_not_an_action():
    result = parse_fixture("area_summary")
    assert [a.code for a in result.actions] == ["SAPP 6.1", "SAPP 6.2", "SAPP 6.3"]
    assert result.skipped[8] == "area summary"
    assert result.problems == []


def test_split_column_header_and_separator_are_skipped():
    result = parse_fixture("split_header")
    assert result.skipped == {3: "column header", 4: "table separator", 7: "column header"}
    assert [a.code for a in result.actions] == ["SAPP 7.1", "SAPP 7.2"]


def test_cut_off_status_sentence_is_kept_and_noted():
    action = parse_fixture("split_header").actions[0]
    assert action.status_text == SUPERSEDED
    assert "status text is cut off in the PDF" in action.notes


def test_benefit_lists_and_summary_prose_are_skipped_with_reasons():
    result = parse_fixture("benefit_list")
    assert result.actions == []
    assert result.problems == []
    assert set(result.skipped.values()) == {"outcome heading", "area summary", "benefit list"}
    assert result.skipped[15] == "benefit list"  # the broken `- (7.3)` bullet


def test_as_above_owner_is_left_for_enrich():
    text = (
        "1. An area.\n"
        "Action\tAssigned To\tDue Date\tStatus\tNo of Benefits Identified\tNarrative Detail\n"
        "SAPP 1.1\tDo a thing.\tDawn Parker\t31-Dec-2022\tCOMPLETED\t1\tDone.\n"
        "SAPP 1.2\tDo another thing.\tAs above\t31-Dec-2023\tON TARGET\t1\tGoing."
    )
    second = parse_text(text).actions[1]
    assert second.owners_text == "As above"
    assert second.owners is None


def test_no_owner_printed_gives_empty_owner_list():
    text = "SAPP 1.1\tDo a thing.\t\t31-Dec-2022\tCOMPLETED\t1\tDone."
    action = parse_text(text).actions[0]
    assert action.owners == []
    assert action.owners_text is None


def test_code_printed_twice_is_a_problem():
    row = "SAPP 1.1\tDo a thing.\tDawn Parker\t31-Dec-2022\tCOMPLETED\t1\tDone."
    result = parse_text(f"{row}\n{row}")
    assert len(result.actions) == 2
    assert [p.line for p in result.problems] == [2]


def test_orphan_continuation_row_is_a_problem():
    result = parse_text("\tsome text\t\t\t\t\tnarrative")
    assert result.actions == []
    assert [p.line for p in result.problems] == [1]


# -- helpers


@pytest.mark.parametrize(
    ("cell", "people"),
    [
        ("Dawn Parker", ["Dawn Parker"]),
        ("Kimberley Keenan; Gayle Ferguson", ["Kimberley Keenan", "Gayle Ferguson"]),
        ("Meg Williams Gayle Fergusson", ["Meg Williams", "Gayle Fergusson"]),
        ("Beth Maclean /", ["Beth Maclean"]),
        ("Beth Maclean / Mark Inglis", ["Beth Maclean", "Mark Inglis"]),
        ("Mary Ann Smith", ["Mary Ann Smith"]),
    ],
)
def test_split_owners(cell, people):
    assert split_owners(cell) == people


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Mark Inglis", True),
        ("Beth Maclean /", True),
        ("South Ayrshire will improve", False),
        ("The Promise", False),
        ("", False),
    ],
)
def test_looks_like_owner(cell, expected):
    assert looks_like_owner(cell) is expected


@pytest.mark.parametrize(
    ("cell", "text", "owner"),
    [
        ("inputs alone. Sheila Tyeson", "inputs alone.", "Sheila Tyeson"),
        ("process driven. Meg Williams Gayle Fergusson", "process driven.", "Meg Williams Gayle Fergusson"),
        ("across The Promise", "across The Promise", ""),
        ("with Dawn Parker", "with", "Dawn Parker"),
        ("Adopt Sheila Tyeson", "Adopt", "Sheila Tyeson"),
    ],
)
def test_split_trailing_owner(cell, text, owner):
    assert split_trailing_owner(cell) == (text, owner)


def test_empty_document_gives_empty_result():
    result = parse_text("")
    assert result.actions == [] and result.problems == []
