"""The promise_table parser on Clackmannanshire's Keeping The Promise plan (000) and on one fixture per trap.

Expected values are read from data/plans/000_bef5206c75d2434a.txt and shared/PARSING-NOTES.md section 000.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from indexer.base import ParseResult
from indexer.formats.promise_cells import normalise_pillar, split_owners, status_from_progress
from indexer.formats.promise_table import PARSER
from tests.conftest import DOCS, FIXTURES, catalogue_plan, document_lines, lines_from_text, parse_fixture_as, parse_with

DOC = DOCS["000"]
CODES = (
    "GC 1 GC 2 GC 3 GC 4 GC 5 GC 6 GC 7 GC 8 GC 9 GC 10 GC 11 WFS 1 WFS 2 WFS 3 WFS 4 WFS 5 "
    "STW 1 STW 2 STW 3 STW 4 STW 5 STW 6 STW 7 P 1 P 2 P 3 P 4 BC 1 BC 2 BC 3 BC 4"
)
GC, WFS, STW, P, BC = (
    "A Good Childhood",
    "Whole Family Support",
    "Supporting the Workforce",
    "Planning",
    "Building Capacity",
)
VHT = "Virtual Headteacher"
SM_PERM = "Senior Manager Permanence"
SM_SEC = "Senior Manager Secondary & Communities"

# code, line, start of text, owners, start of due_text, status, foundations_text, start of outcome, pillar
# fmt: off
ACTIONS = [
    ("GC 1", 9, "Ensure there are no formal or informal education exclusions", ["Headteachers"],
     "0% care experienced Children", "in_progress", "5", "No Care Experienced Children or Young People", GC),
    ("GC 2", 10, "1. All CECYP to have appropriate educational planning",
     ["Senior Manager: Inclusion and Partnerships", VHT], "Audit of CECYP's GIRFEC paperwork", "delayed",
     "1, 4, 5", "Young people have access to the appropriate support", GC),
    ("GC 3", 19, "Creation of a Data Gathering tool from age 2+",
     ["Senior Manager: ELC, Primary & Libraries", "Virtual Headteacher (Primary)",
      "ELC and Primary Leadership Teams"],
     "Data Gathering Tool to be created 2023", "in_progress", "1, 4,5",
     "Clearer understanding of the impact of Care Experience", GC),
    ("GC 4", 20, "Tracking discussions with a key focus on care experienced group",
     ["Senior Manager: Secondary and Communities", VHT, "Improvement Analyst"],
     "Termly discussions with DHTs", "in_progress", "1, 4,5", "Improved educational outcomes (SCQF)", GC),
    ("GC 5", 36, "1. Creation of Clackmannanshire Virtual Academy",
     [VHT, "Headteachers", "Depute Headteacher"], "Virtual Headteacher to forge 15 additional",
     "in_progress", "1, 4,5", "Care Experienced Young People to have access", GC),
    ("GC 6", 37, "1. Collaborate with families to develop flexible", ["Senior Manager: Permanence"],
     "Families will be able to access a range", "in_progress", "4,5",
     "Children are supported to have safe, quality time", GC),
    ("GC 7", 46, "Brothers and sisters to be supported to stay together", ["Senior Manager: Permanence"],
     "Bespoke tracker implemented that monitors", "delayed", "4,5", "Brothers and sisters live together", GC),
    ("GC 8", 54, "Review approaches to how CECYP access Youth Justice", ["Senior Manager: Justice"],
     "Children referred to the Children's Reporter", "in_progress", "1, 2, 3, 4,5",
     "Transformation in youth justice", GC),
    ("GC 9", 55, "1. All appropriate staff to be traumainformed", ["Senior Manager: Permanence"],
     "Whole workforce engaging with care experienced children", "in_progress", "4,5",
     "Children and young people in care are receiving trauma-informed", GC),
    ("GC 10", 64, "1. All CECYP to be made aware", ["Senior Manager: Permanence"],
     "Increased numbers of children and young people receiving advocacy", "in_progress", None,
     "CECYP and families have access to independent advocacy", GC),
    ("GC 11", 65, "1. Care Leavers' Guaranteed Interview Scheme to be extended",
     ["Senior Manager (HR)", "Senior Manager: Secondary and Communities", VHT],
     "1. 100% of Care Experienced Leavers", "in_progress", "4, 5",
     "Clackmannanshire Care Leavers' Guaranteed Interview Scheme", GC),
    ("WFS 1", 76, "1. Clackmannanshire Alliance to continue to forge",
     [SM_SEC, VHT, "Senior Manager: Early Intervention"], "Commissioning Consortium to be developed",
     "in_progress", "1,4,5", "High quality family support", WFS),
    ("WFS 2", 83, "1. Communities that Care will work to break down stigma",
     [VHT, "Senior Manager Early Intervention"], "1. Development and Implementation of new communication",
     "in_progress", None, "Support to families and communities will be non-stigmatising", WFS),
    ("WFS 3", 85, "Language of Care Policy to be implemented", [SM_PERM, VHT],
     "Evidence of increased support to care giving families", "in_progress", "1,4,5",
     "Care Community will experience high quality support", WFS),
    ("WFS 4", 94, "Invest in home and community opportunities", ["Senior Managers", VHT],
     "1. 100% young people transitioning out of care", "in_progress", "1, 3, 4, 5",
     "Improved support for young people leaving care", WFS),
    ("WFS 5", 101, "1. Monthly attendance tracking of CECYP", [VHT, "Improvement Analyst"],
     "1. Monthly attendance tracking to be implemented by VHT", "in_progress", None,
     "School leaders to be aware of attendance concerns", WFS),
    ("STW 1", 113, "Develop and deliver trauma informed training 'Readiness for Caring'", [SM_PERM],
     "All foster carers to complete this suite", "delayed", "1,2", "Enhanced Support for Foster carers", STW),
    ("STW 2", 115, "Develop and deliver a trauma informed suite of staff training",
     [SM_PERM, "Principle Educational Psychologist"], "To be developed in partnership with Psychological",
     "delayed", "4, 5", "Enhanced knowledge and skills of staff", STW),
    ("STW 3", 124, "Identify Trauma Champions", [SM_PERM], "Increased reporting of practitioners",
     "not_started", "4, 5", "Improved support for practitioners", STW),
    ("STW 4", 125, "Develop and Implement a 'Language of Care", [SM_PERM],
     "Policy to be implemented through communication", "in_progress", "1,2,4,5",
     "Improved policy and guidance to support staff", STW),
    ("STW 5", 155, "p and deliver", [VHT, "Senior Manager (Permanence)"],
     "1. Virtual Headteacher to present", "in_progress", "4, 5", "Increased staff awareness", STW),
    ("STW 6", 175, "1. Clackmannanshire Council to sign up to", [VHT, SM_SEC],
     "1. KTPA to be launched to all HTs", "on_track", "5",
     "Clackmannanshire Council to be the first local authority", STW),
    ("STW 7", 179, "1. Who Cares? Scotland training to all Primaries",
     [VHT, "Senior Manager (ELC, Primary, Libraries)", "Senior Manager (Secondary & Communities)"],
     "1. KTPA Self Evaluation throughout 2023", "delayed", "4, 5",
     "All establishments provide excellent support", STW),
    ("P 1", 200, "Undertake redesign exercise of People Service", ["Senior Manager Early Intervention"],
     "Increased numbers of children and families will be supported", "in_progress", "4,5",
     "Improved delivery of relationship based services", P),
    ("P 2", 201, "1. Review of housing and recruitment policies", [SM_PERM, VHT],
     "Audit of existing housing/recruitment policies", "in_progress", "2,5",
     "Improved policies which positively reflect", P),
    ("P 3", 210, "Expand the work of the participation network", [SM_PERM, SM_SEC, VHT],
     "Who Cares?/Virtual HT to train 100% of Secondary", "in_progress", "5",
     "Improved service delivery incorporating", P),
    ("P 4", 218, "1. Ensure implementation of UNCRC", [SM_SEC], "Timeline to be reviewed", "in_progress",
     "2, 5", "Improved understanding of UNCRC", P),
    ("BC 1", 229, "Work to develop a portfolio of accommodation", [SM_PERM],
     "Decrease in number of external placements", "delayed", "5",
     "Improved local care provision and housing options", BC),
    ("BC 2", 238, "1. Strengthening Pathway Planning", ["Senior Manager Secondary and Communities", VHT],
     "1. 100% of young people in Virtual Headteacher caseload", "in_progress", "5",
     "Integrated support from Skills Development Scotland", BC),
    ("BC 3", 247, "1. Develop a robust tracking mechanism", [SM_SEC, VHT],
     "All young people on bespoke packages", "in_progress", "4, 5",
     "Robust tracking, monitoring and intervention", BC),
    ("BC 4", 248, "1. Develop a data map", ["Programme Manager Family Wellbeing Partnership"],
     "Data Map to be developed by December 2023", "in_progress", None,
     "Improved data collection and analysis", BC),
]
# fmt: on


class Expected(NamedTuple):
    code: str
    line: int
    text: str  # start of the Actions cell
    owners: list[str]
    due: str  # start of Target and Timescales
    status: str
    foundations: str | None
    outcome: str  # start of Outcome
    pillar: str


EXPECTED = [Expected(*a) for a in ACTIONS]
IDS = [e.code for e in EXPECTED]


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_with(PARSER, DOC)


@pytest.fixture(scope="module")
def by_code(result):
    return {a.code: a for a in result.actions}


def parse_fixture(name: str) -> ParseResult:
    return parse_fixture_as(PARSER, DOC, f"promise_table_{name}.txt")


# --- sniffing and counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_sniff_accepts_only_the_promise_table(doc_id):
    assert PARSER.sniff(document_lines(DOCS[doc_id])) is (doc_id == "000")


def test_sniff_rejects_empty_and_odd_input():
    assert PARSER.sniff([]) is False
    assert PARSER.sniff(lines_from_text("GC 1\tx\nGC 2\ty\nGC 3\tz")) is False


def test_thirty_one_actions_in_printed_order(result):
    assert [a.code for a in result.actions] == re.findall(r"[A-Z]+ \d+", CODES)


def test_every_code_exactly_once(result):
    codes = [a.code for a in result.actions]
    assert sorted(codes) == sorted(set(codes)) and len(codes) == 31


def test_parser_name_recorded(result):
    assert result.parser == "promise_table" == PARSER.name


def test_every_non_blank_line_is_accounted_for(result):
    non_blank = {line.number for line in document_lines(DOC) if not line.blank}
    accounted = result.used | set(result.skipped) | {p.line for p in result.problems}
    assert non_blank <= accounted


def test_no_problems_on_the_real_document(result):
    assert result.problems == []


def test_skips_have_named_reasons(result):
    assert result.skipped[5] == "document title"
    assert result.skipped[7] == "column header"
    assert set(result.skipped.values()) == {
        "document title",
        "column header",
        "repeated column header",
        "duplicate text layer of the row on line 179",
    }


# Every repeated header line listed in PARSING-NOTES 000 trap 1 (rows with content excluded).
HEADER_LINES = [
    8,
    16,
    17,
    26,
    27,
    34,
    35,
    43,
    44,
    52,
    53,
    61,
    62,
    71,
    74,
    75,
    82,
    91,
    92,
    100,
    109,
    112,
    122,
    131,
    132,
    174,
    185,
    191,
    192,
    198,
    199,
    207,
    216,
    224,
    227,
    228,
    235,
    236,
    245,
]


@pytest.mark.parametrize("number", HEADER_LINES)
def test_repeated_header_lines_are_skipped(result, number):
    assert result.skipped[number] == "repeated column header"


# --- every action, field by field ----------------------------------------------------------------------


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_line(by_code, exp):
    assert by_code[exp.code].line == exp.line


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_text_start(by_code, exp):
    assert by_code[exp.code].text.startswith(exp.text)


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_owners(by_code, exp):
    assert by_code[exp.code].owners == exp.owners


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_due_text_start(by_code, exp):
    assert by_code[exp.code].due_text.startswith(exp.due)


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_status(by_code, exp):
    assert by_code[exp.code].status == exp.status


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_foundations_text_as_printed(by_code, exp):
    assert by_code[exp.code].foundations_text == exp.foundations


@pytest.mark.parametrize("exp", EXPECTED, ids=IDS)
def test_action_outcome_and_pillar(by_code, exp):
    action = by_code[exp.code]
    assert action.outcome.startswith(exp.outcome)
    assert action.pillar == exp.pillar


@pytest.mark.parametrize("code", IDS)
def test_fields_are_clean_text(by_code, code):
    action = by_code[code]
    for value in (action.text, action.outcome, action.due_text, action.progress, action.owners_text):
        assert value and "<" not in value and "\t" not in value and "  " not in value
        assert not re.search(r"\b(?:Promise Pillar|Promise Foundation|Progress Update)\b", value)
    assert action.status_text == action.progress
    assert action.plan is None


@pytest.mark.parametrize("code", IDS)
def test_line_points_at_the_row(by_code, code):
    """The cited line holds the start of the action's text (or its code)."""
    action = by_code[code]
    raw = {line.number: line.text for line in document_lines(DOC)}[action.line]
    assert action.text.split()[0] in raw


def test_code_printed_is_none_only_for_lost_code_cells(result):
    assert {a.code for a in result.actions if a.code_printed is None} == {"WFS 2", "WFS 5"}
    assert all(a.code_printed == a.code for a in result.actions if a.code_printed)


def test_twelve_foundation_spellings_kept_as_printed(result):
    spellings = {a.foundations_text for a in result.actions if a.foundations_text}
    assert spellings == {
        "5",
        "4,5",
        "4, 5",
        "2,5",
        "2, 5",
        "1,2",
        "1,4,5",
        "1, 4, 5",
        "1, 4,5",
        "1,2,4,5",
        "1, 3, 4, 5",
        "1, 2, 3, 4,5",
    }


# --- text continued across page breaks -----------------------------------------------------------------

# code, field, how the joined value ends (the end sits on a later page)
ENDINGS = [
    ("GC 2", "text", "educated outwith Clackmannanshire"),
    ("GC 4", "outcome", "Care Experienced Children and Young People"),
    ("GC 4", "owners_text", "Virtual Headteacher Improvement Analyst"),
    ("GC 6", "due_text", "experiences of contact and areas for improvement."),
    ("GC 9", "text", "out with authority or in health and educational settings."),
    ("GC 11", "progress", "allowing access to additional support"),
    ("WFS 1", "progress", "This came into affect in October 2023"),
    ("WFS 3", "outcome", "high quality support – with measurable improvement"),
    ("WFS 4", "text", "quality pathway planning and reviews for young people"),
    ("WFS 4", "due_text", "3. 100% of care leavers will have an allocated pathway coordinator"),
    ("WFS 4", "progress", "the number of young people with pathway plans is increasing."),
    ("WFS 5", "progress", "educational package adjustments to be made by school staff"),
    ("STW 1", "due_text", "more placement moves – target 3.8% by 2026"),
    ("STW 2", "owners_text", "Senior Manager Permanence Principle Educational Psychologist."),
    ("STW 4", "outcome", "effective practice and engagement with children/young people."),
    ("STW 5", "text", "national context and Clackmannanshire's plan/commitment"),
    ("STW 5", "due_text", "The Promise and Corporate Parenting Responsibilities."),
    ("STW 5", "progress", "This will likely be first quarter of 2024."),
    ("STW 7", "progress", "to look at expanding to a 2 nd secondary in early 2024"),
    (
        "STW 7",
        "owners_text",
        "Senior Manager (ELC, Primary, Libraries) Senior Manager (Secondary & Communities)",
    ),
    ("P 2", "text", "2. Creation of Youth Voice (ASN Inc. CECYP) strategy to be created"),
    ("P 2", "progress", "specifically for care experienced young people e.g OCV."),
    ("P 3", "text", "8. All Council policies and procedures designed to be cognisant of The Promise by 2028"),
    ("P 4", "progress", "regarding the implementation of UNCRC."),
    ("BC 1", "text", "are given priority access to housing"),
    ("BC 2", "due_text", "recorded on bespoke tracker."),
    ("BC 2", "progress", "in consultation with PTs Guidance"),
]


@pytest.mark.parametrize("code, name, ending", ENDINGS, ids=[f"{c}-{n}" for c, n, _ in ENDINGS])
def test_continued_text_joined_across_pages(by_code, code, name, ending):
    assert getattr(by_code[code], name).endswith(ending)


@pytest.mark.parametrize(
    "code, name, start",
    [
        ("WFS 2", "progress", "Communities that Care have delivered training"),
        ("WFS 5", "text", "1. Monthly attendance tracking"),
        ("WFS 5", "due_text", "1. Monthly attendance tracking"),
        ("WFS 5", "progress", "WFS 5 (1) Monthly attendance tracking implemented"),
        ("STW 6", "text", "1. Clackmannanshire Council to sign up to"),
        ("STW 6", "due_text", "1. KTPA to be launched"),
        ("STW 6", "progress", "There are only two local authorities in Scotland"),
    ],
)
def test_rows_lose_the_tail_of_the_row_above(by_code, code, name, start):
    assert getattr(by_code[code], name).startswith(start)


def test_code_references_in_progress_are_not_rows(by_code):
    assert "GC5 (2)" in by_code["GC 5"].progress
    assert "P4 (8)" in by_code["P 3"].progress
    assert "BC & GC 4 (3)" in by_code["BC 3"].progress
    assert by_code["STW 4"].progress.startswith("See also WFS 3.")


def test_ocr_ghost_line_is_not_a_row(result, by_code):
    assert all(a.line != 84 for a in result.actions)
    assert by_code["WFS 2"].text.endswith("3. Approaches within the Family Wellbeing Partnership will be aligned.")
    assert by_code["WFS 2"].progress.endswith("This includes care experienced young people.")
    assert "Carra" not in " ".join(filter(None, (by_code["WFS 2"].outcome, by_code["WFS 2"].owners_text)))


def test_duplicate_text_layer_not_appended(by_code):
    progress = by_code["STW 7"].progress
    assert progress.count("capacity building") == 1
    assert progress.count("University of Strathclyde") == 1
    assert by_code["STW 7"].text.count("Virtual HT to facilitate") == 1


def test_lost_codes_carry_notes(by_code):
    assert any("sequence between WFS 1 and WFS 3" in n for n in by_code["WFS 2"].notes)
    assert any("'WFS 5 (1)'" in n for n in by_code["WFS 5"].notes)


def test_item_printed_twice_at_page_break_kept_once(by_code):
    assert by_code["WFS 5"].text.count("4. Tracking, monitoring") == 1
    assert "4. Tracking, monitoring and interventions around attendance" in by_code["WFS 5"].text


def test_ten_column_stretch_reads_split_cells(by_code):
    stw5 = by_code["STW 5"]
    assert stw5.pillar == STW
    assert stw5.owners_text == "Virtual Headteacher Senior Manager (Permanence)"
    assert "2. Who Cares will deliver Corporate Parenting Training by March 2024" in stw5.due_text
    assert "•" not in stw5.text and " - " not in stw5.text
    assert "langua ge used to" in by_code["STW 4"].text
    assert "5. All care experienced children will have permanent plans" in by_code["STW 4"].due_text


def test_header_residue_rows_keep_their_text(by_code):
    assert "2. Continue to implement Readiness for Learning (R4L)" in by_code["STW 2"].text
    assert by_code["P 4"].progress.count("Peer Support Network holds an online meeting") == 1
    assert "rilldi" not in by_code["STW 2"].pillar and by_code["STW 2"].foundations_text == "4, 5"


# --- fixtures, one per trap ---------------------------------------------------------------------------


def test_repeated_header_variants_are_skipped():
    result = parse_fixture("repeated_header")
    assert [a.code for a in result.actions] == ["GC 1", "GC 2", "GC 5", "WFS 1"]
    assert sorted(result.skipped) == [1, 2, 5, 6, 8, 9, 11, 12]
    assert result.actions[1].text.endswith("educated outwith Clackmannanshire")
    assert result.problems == []


def test_header_residue_row_keeps_its_text():
    result = parse_fixture("header_residue_row")
    stw2 = result.actions[1]
    assert stw2.code == "STW 2"
    assert "3. Programme of training, development and support" in stw2.text
    assert stw2.owners == ["Senior Manager Permanence", "Principle Educational Psychologist"]
    assert stw2.pillar == STW and stw2.foundations_text == "4, 5"
    assert any("'rilldi'" in n for n in stw2.notes)
    assert 6 in result.used


def test_lost_code_recovered_by_sequence():
    result = parse_fixture("lost_code_cell")
    assert [(a.code, a.code_printed, a.line) for a in result.actions] == [
        ("WFS 1", "WFS 1", 1),
        ("WFS 2", None, 3),
        ("WFS 3", "WFS 3", 5),
    ]
    assert result.actions[1].foundations_text is None
    assert result.actions[1].pillar == WFS


def test_ocr_ghost_finishes_cut_cells_but_is_not_a_row():
    result = parse_fixture("lost_code_cell")
    wfs2 = result.actions[1]
    assert wfs2.text.endswith("Partnership will be aligned.")
    assert wfs2.owners_text == "Virtual Headteacher Senior Manager Early Intervention"
    assert any("OCR ghost line 4" in n for n in wfs2.notes)


def test_leading_progress_belongs_to_previous_row():
    wfs1, wfs2, _ = parse_fixture("lost_code_cell").actions
    assert wfs1.progress.endswith(
        "an increase in adoptive placements. As the development of services progresses "
        "the overall number is expected to reduce. Senior Management Team continue to "
        "links with national networks and communities of interest to ensure actions are "
        "aligned with best practice e.g Promise, UCAS, Celcis, Social Work Scotland, "
        "Education Scotland. For all YP working with VHT, bespoke curriculum making part "
        "of core process 'Sustain'- a new intensive support service has been commissioned "
        "from Aberlour. This came into affect in October 2023"
    )
    assert wfs2.progress.startswith("Communities that Care have delivered training in all Secondary schools.")


def test_lost_code_recovered_from_progress_reference():
    result = parse_fixture("code_from_progress")
    assert [a.code for a in result.actions] == ["WFS 4", "WFS 5"]
    wfs5 = result.actions[1]
    assert wfs5.line == 3 and wfs5.code_printed is None
    assert wfs5.pillar == WFS and wfs5.outcome.startswith("School leaders")
    assert wfs5.progress.endswith("adjustments to be made by school staff")
    assert sorted(result.skipped) == [2, 6]


def test_tail_of_previous_row_moved_back_at_page_break():
    wfs4, wfs5 = parse_fixture("code_from_progress").actions
    assert wfs4.text.endswith(
        "Dedicated Independent Reviewing Officer resource to support quality pathway "
        "planning and reviews for young people"
    )
    assert wfs4.due_text.endswith("3. 100% of care leavers will have an allocated pathway coordinator")
    assert wfs4.progress.endswith("pathway plans is increasing.")
    assert wfs5.text.startswith("1. Monthly attendance tracking of CECYP to be implemented")


def test_tail_in_next_row_found_by_sentence_end():
    stw5, stw6 = parse_fixture("tail_in_next_row").actions
    assert stw5.progress.endswith("This will likely be first quarter of 2024.")
    assert stw5.due_text.endswith("Promise and Corporate Parenting Responsibilities.")
    assert stw6.progress.startswith("There are only two local authorities in")
    assert any("belongs to the row on line 3" in n for n in stw6.notes)


def test_ten_column_layout_read_from_header():
    result = parse_fixture("ten_columns")
    (stw4,) = result.actions
    assert stw4.outcome.endswith("effective practice and engagement with children/young people.")
    assert stw4.text.startswith("Develop and Implement a 'Language of Care Policy' t the changes tice and")
    assert "2. Increase in number of children and young people" in stw4.due_text
    assert stw4.progress.endswith("Relaunch of View Point and training to")
    assert result.problems == [] and result.skipped == {2: "column header", 3: "repeated column header"}


def test_header_words_stripped_from_merged_cells():
    (stw7,) = parse_fixture("merged_header_words").actions
    assert "Secondaries (Term 1) Keeping The Promise Award" in stw7.text
    assert "Actions" not in stw7.text
    assert stw7.owners_text.endswith("(ELC, Primary, Libraries) Senior Manager (Secondary & Communities)")
    assert "took place in August 2023" in stw7.progress


def test_duplicate_text_layer_skipped():
    result = parse_fixture("merged_header_words")
    assert result.skipped[4].startswith("duplicate text layer") and result.skipped[5].startswith("duplicate")
    assert 6 in result.used


def test_code_like_references_do_not_start_rows():
    result = parse_fixture("code_references")
    assert [a.code for a in result.actions] == ["GC 5", "BC 3"]
    assert "WFS 5 (3) Implemented September 23" in result.actions[0].progress


def test_empty_table_between_headers_gives_no_row():
    result = parse_fixture("empty_table")
    assert [a.code for a in result.actions] == ["P 1", "P 2"]
    assert result.skipped[1] == "document title"
    assert all(result.skipped[n] for n in (2, 3, 4, 5, 6, 7))


# --- owners --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, owners",
    [
        ("Headteachers", ["Headteachers"]),
        (
            "Senior Manager: ELC, Primary & Libraries Virtual Headteacher (Primary) ELC and Primary Leadership Teams",
            [
                "Senior Manager: ELC, Primary & Libraries",
                "Virtual Headteacher (Primary)",
                "ELC and Primary Leadership Teams",
            ],
        ),
        ("Virtual Headteacher Headteachers Depute Headteacher", [VHT, "Headteachers", "Depute Headteacher"]),
        (
            "Senior Manager (HR) Senior Manager: Secondary and Communities Virtual Headteacher",
            ["Senior Manager (HR)", "Senior Manager: Secondary and Communities", VHT],
        ),
        ("Senior Managers Virtual Headteacher", ["Senior Managers", VHT]),
        (
            "Senior Manager Permanence Principle Educational Psychologist.",
            [SM_PERM, "Principle Educational Psychologist"],
        ),
        (
            "Head of Children's Services Team Manager Fostering",
            ["Head of Children's Services", "Team Manager Fostering"],
        ),
        (
            "Chief Education Officer Service Manager Justice",
            ["Chief Education Officer", "Service Manager Justice"],
        ),
        (
            "Programme Manager Family Wellbeing Partnership",
            ["Programme Manager Family Wellbeing Partnership"],
        ),
        ("", []),
        (None, []),
    ],
)
def test_run_together_owners_split_into_roles(printed, owners):
    assert split_owners(printed) == owners


def test_as_above_owner_left_for_enrich():
    result = PARSER.parse(
        catalogue_plan(DOC),
        lines_from_text(
            "Action Code\tOutcome\tPromise Pillar\tPromise Foundation\tActions\tTarget and Timescales"
            "\tResponsible\tProgress Update\nGC 1\tAn outcome\tA Good Childhood\t5\tDo it\tBy 2024"
            "\tAs above\tDone.\n"
        ),
    )
    (action,) = result.actions
    assert action.owners_text == "As above" and action.owners is None


# --- pillars and status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, pillar",
    [
        ("Supporting the workforce", STW),
        ("A Good Childhood", GC),
        ("Building Capacty", BC),
        ("rilldi", None),
        ("", None),
    ],
)
def test_pillar_normalised_to_plan_spelling(printed, pillar):
    assert normalise_pillar(printed) == pillar


@pytest.mark.parametrize(
    "narrative, status",
    [
        ("Tracker implemented and refined. Quality Assurance processes in place.", "complete"),
        ("Completed.", "complete"),
        ("Training in secondary schools achieved.", "complete"),
        ("This is a strategic area that has not been progressed yet.", "not_started"),
        ("Work has not yet started.", "not_started"),
        (
            "Audit has not been undertaken due to an ongoing staff absence. This will take place Early 2024.",
            "delayed",
        ),
        ("Brothers and sisters policy delayed until February 2024.", "delayed"),
        ("STW 7 (5) Paused currently due to absence", "delayed"),
        ("Bid to Corra Foundation for Promise Funding was unsuccessful.", "delayed"),
        ("Event postponed to spring.", "delayed"),
        ("Implementation plan is in place and on track to be second in Scotland.", "on_track"),
        ("Tracker implemented ahead of schedule (June 2023), further work planned.", "on_track"),
        ("Promise training underway in conjunction with Who Cares?", "in_progress"),
        ("Completed for primaries; secondary schools will follow in 2024.", "in_progress"),
        ("Draft data map developed for review by People SMT.", "in_progress"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_status_rule_over_progress_narrative(narrative, status):
    assert status_from_progress(narrative) == status


def test_narrow_row_with_a_known_prefix_is_a_row_not_a_ghost():
    text = (FIXTURES / "promise_table_lost_code_cell.txt").read_text(encoding="utf-8")
    text += "\nWFS 4\tImproved support\tWhole Family Support\t5\tInvest in homes"
    result = PARSER.parse(catalogue_plan(DOC), lines_from_text(text))
    assert [a.code for a in result.actions] == ["WFS 1", "WFS 2", "WFS 3", "WFS 4"]
    assert result.actions[-1].text == "Invest in homes"
    assert any("only 5 cells" in n for n in result.actions[-1].notes)
