"""The objectives_table parser on Clackmannanshire CPC's Strategic Improvement Plan 2023-25 (26 objectives).

Expected values are read from data/plans/004_549bb12720774952.txt (see PARSING-NOTES, "004").
"""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.formats.objective_cells import cell_items, join_without_repeat, split_leads
from indexer.formats.objectives_table import PARSER, contained
from tests.conftest import (
    DOCS,
    accounted,
    document_lines,
    non_blank,
    parse_fixture_as,
    parse_text_as,
    parse_with,
)

CPC = DOCS["004"]
CODES = [
    "CPC 1.1",
    "CPC 1.2",
    "CPC 1.3",
    "CPC 1.4",
    "CPC 1.5",
    "CPC 1.6",
    "CPC 1.7",
    "CPC 2.1",
    "CPC 2.2",
    "CPC 2.3",
    "CPC 3.1",
    "CPC 3.2",
    "CPC 3.3",
    "CPC 4.1",
    "CPC 4.2",
    "CPC 4.3",
    "CPC 4.4",
    "CPC 4.5",
    "CPC 4.6",
    "CPC 5.1",
    "CPC 5.2",
    "CPC 6.1",
    "CPC 7.1",
    "CPC 8.1",
    "CPC 8.2",
    "CPC 8.3",
]
OBJECTIVES_PER_OUTCOME = {1: 7, 2: 3, 3: 3, 4: 6, 5: 2, 6: 1, 7: 1, 8: 3}
ACTION_ITEMS = 57

ICLO = ["Independent Chair", "Lead Officer"]
PPLD = "Public Protection L and D Advisor"
LDS = "Learning and Development Subgroup"
LPDS = "Learning and Practice Development Subgroup"
PMQA = "Performance Management and Quality Assurance Sub Group"
PPIE = "FV Public Info, Engagement & Participation Subgroup"
# (line, code, printed, start of outcome (the objective), start of text, items, due_text, status_text)
EXPECTED = [
    (
        49,
        "CPC 1.1",
        "1.1",
        "Committee members understand their role and",
        "A flexible induction to the CPC",
        3,
        "As required; When planning CPC meetings",
        "Ongoing",
    ),
    (
        62,
        "CPC 1.2",
        "1.2",
        "The Committee demonstrates its strategic direction",
        "Produce and implement a biennial",
        3,
        "Annually; Ongoing",
        "Complete; Ongoing",
    ),
    (
        75,
        "CPC 1.3",
        "1.3",
        "The Committee undertakes Learning Reviews as",
        "Learning Reviews are conducted",
        1,
        "As required",
        "As required",
    ),
    (
        76,
        "CPC 1.4",
        "1.4",
        "The Committee takes opportunities to engage",
        "Involvement to include: - Sub-group",
        1,
        "As required",
        "As required",
    ),
    (
        87,
        "CPC 1.5",
        "1.5",
        "The Committee monitors current and anticipated",
        "Address key local and national",
        2,
        "Ongoing",
        "Ongoing",
    ),
    (
        99,
        "CPC 1.6",
        "1.6",
        "The Committee reports to the Chief",
        "Reliable communication established",
        1,
        "COG report submitted prior to each COG",
        "Ongoing",
    ),
    (
        100,
        "CPC 1.7",
        "1.7",
        "The Committee monitors its own processes",
        "Risk Register agreed by CPC",
        1,
        "Risk Register is reviewed and reported at quarterly CPC / COG.",
        "Ongoing",
    ),
    (
        116,
        "CPC 2.1",
        "2.1",
        "CPC has robust systems to monitor,",
        "Receive, evaluate and act on Performance",
        2,
        "Quarterly subgroup meetings prior to CPC",
        "Ongoing",
    ),
    (
        117,
        "CPC 2.2",
        "2.2",
        "CPC continues to develop its approach",
        "CPC agree multi-agency audit proposal",
        3,
        "March, 2024; As required",
        "Ongoing",
    ),
    (
        134,
        "CPC 2.3",
        "2.3",
        "Reflective Learning through sharing of practice",
        "Information is shared to make",
        2,
        "As required; Training Calendar",
        "Ongoing",
    ),
    (
        145,
        "CPC 3.1",
        "3.1",
        "Policies and procedures are reviewed and",
        "Ensure FV Policies, Procedures",
        2,
        "Ongoing; December, 2024",
        "Ongoing",
    ),
    (
        158,
        "CPC 3.2",
        "3.2",
        "Children are kept safe from harm",
        "Review, evaluate and quality assure",
        2,
        "5 dip-sample reviews carried out monthly; Quarterly subgroup meetings",
        "Ongoing",
    ),
    (
        160,
        "CPC 3.3",
        "3.3",
        "A robust, multi- agency response to",
        "Multi agency pre birth pathway",
        1,
        "Complete",
        "Complete",
    ),
    (
        174,
        "CPC 4.1",
        "4.1",
        "National CP Guidance and GIRFEC Guidance",
        "Embed changes in multi-agency CP",
        2,
        "December, 2023",
        "Ongoing",
    ),
    (
        175,
        "CPC 4.2",
        "4.2",
        "A multi-agency training programme develops a",
        "Review & identify new training",
        4,
        "Annually",
        "Ongoing",
    ),
    (
        187,
        "CPC 4.3",
        "4.3",
        "Staff make use of agreed assessment",
        "Identify, agree and review use of",
        3,
        "Complete",
        "Complete",
    ),
    (
        188,
        "CPC 4.4",
        "4.4",
        "Staff working with children and families",
        "Agree a consistent format and content",
        3,
        "Ongoing",
        "Ongoing",
    ),
    (
        200,
        "CPC 4.5",
        "4.5",
        "The CPC makes tackling Neglect, Parental",
        "Multi-agency Neglect Toolkit, IPSU",
        1,
        "Ongoing",
        "Ongoing",
    ),
    (
        201,
        "CPC 4.6",
        "4.6",
        "The CPC ensure the learning from",
        "Learning from local Learning Reviews",
        2,
        "As required",
        "Ongoing",
    ),
    (
        217,
        "CPC 5.1",
        "5.1",
        "Protection of children is a key",
        "CPC develops stronger links",
        1,
        "Ongoing",
        "Ongoing",
    ),
    (
        218,
        "CPC 5.2",
        "5.2",
        "Adult services have awareness to identify",
        "Multi-agency CP training is delivered",
        3,
        "Ongoing",
        "Ongoing",
    ),
    (
        234,
        "CPC 6.1",
        "6.1",
        "Children and families experience the CP",
        "Seek & monitor feedback from children",
        1,
        "Ongoing",
        "Ongoing",
    ),
    (
        242,
        "CPC 7.1",
        "7.1",
        "Effective methods are used to gather",
        "Promote principle of meaningful involvement",
        6,
        "Ongoing",
        "Ongoing",
    ),
    (
        257,
        "CPC 8.1",
        "3.1",
        "Basic awareness of how to keep children safe from narm",
        "Promote the key message",
        4,
        "Ongoing",
        "Ongoing",
    ),
    (
        264,
        "CPC 8.2",
        "8.2",
        "Children, parents, carers and staff are",
        "Information and awareness raising",
        2,
        "Ongoing",
        "Ongoing",
    ),
    (
        265,
        "CPC 8.3",
        "8.3",
        "Children tell us they feel safe.",
        "Results from Schools surveys etc.",
        1,
        "Ongoing",
        "Ongoing",
    ),
]

OWNERS = {
    "CPC 1.1": [*ICLO, "Committee Members"],
    "CPC 1.2": [
        *ICLO,
        "Committee Sub-Group Members",
        "Public Protection Learning and Development Advisor",
        "Committee Members",
        PPIE,
    ],
    "CPC 1.3": ["Independent Chair and Review Group", "Lead Officer"],
    "CPC 1.4": [*ICLO, "Committee Members"],
    "CPC 1.5": [*ICLO, "Committee members"],
    "CPC 1.6": ICLO,
    "CPC 1.7": [*ICLO, "CPC Members"],
    "CPC 2.1": ["Independent Chair", "CPC members", "Lead Officer"],
    "CPC 2.2": [
        "Lead Officer",
        "Performance Management and Quality Assurance subgroup",
        "Learning and Practice Development sub group",
    ],
    "CPC 2.3": ["Lead Officer", "Agency Leads", PPLD],
    "CPC 3.1": [
        "Lead Officer",
        "Forth Valley Policies, Procedures and Protocols Subgroup",
        "CPC members",
        "Forth Valley National CP guidance implementation group",
    ],
    "CPC 3.2": ["IRD Steering Group", PMQA],
    "CPC 3.3": ["NHS Lead", "Performance and Quality Assurance Sub Group"],
    "CPC 4.1": ["Lead Officer", PMQA, PPLD, LDS],
    "CPC 4.2": [PPLD, LDS],
    "CPC 4.3": [PPLD, LPDS, PMQA],
    "CPC 4.4": [PPLD, LPDS, PMQA],
    "CPC 4.5": [PPLD, LPDS, PMQA],
    "CPC 4.6": [PPLD, LPDS, PMQA],
    "CPC 5.1": ["CPC members", "Lead Officer"],
    "CPC 5.2": [PPLD, LDS],
    "CPC 6.1": [
        "Lead Officer",
        "Children's Rights Officer (Stirling)",
        "Who Cares? (Clacks)",
        "Corporate Parenting Leads",
    ],
    "CPC 7.1": [
        "Corporate Parenting Leads",
        "Lead Officer",
        "Who Cares?",
        "Youth Forums",
        "Young Carers",
        PPIE,
    ],
    "CPC 8.1": [
        "CPC Members",
        "Lead Officer Child Protection",
        "Forth Valley Public Information, Engagement and Participation Subgroup",
    ],
    "CPC 8.2": [
        "Lead Officer",
        PPLD,
        "Education Leads",
        "West Lothian and Forth Valley E- Safety Partnership",
    ],
    "CPC 8.3": ["Child Protection Education leads"],
}

OUTCOME_STATEMENTS = {
    2: "Processes are in place to support continuous improvement",
    3: "Staff in all partner agencies access and apply policy and practice guidance that is up to date and "
    "fit for purpose, to keep children safe",
    4: "Staff in partner agencies demonstrate the necessary skills, competences and knowledge to undertake "
    "their roles and responsibilities in relation to protection of children",
    5: "Collaboration across Public Protection raises awareness of cross-cutting challenges and "
    "opportunities for shared solutions in child protection",
    6: "Children, their carers and their families are supported to be fully involved in child protection "
    "decision making processes",
    7: "The views of children & families inform Child Protection planning",
}
PRIORITIES = {
    "CPC 1.1": "strategic priority: LEADERSHIP and GOVERNANCE",
    "CPC 2.1": "strategic priority: CONTINUOUS IMPROVEMENT",
    "CPC 5.1": "strategic priority: STRATEGIC PLANNING",
    "CPC 6.1": "strategic priority: PUBLIC INFORMATION and COMMUNICATION",
}
FURNITURE_LINES = [
    1,
    3,
    35,
    53,
    66,
    78,
    90,
    102,
    104,
    120,
    122,
    137,
    148,
    150,
    162,
    177,
    190,
    203,
    220,
    222,
    236,
    244,
    252,
    259,
]
FRAGMENT_LINES = [112, 132, 143, 156, 172, 198, 215]
PRIORITY_LINES = [44, 57, 70, 82, 94, 108, 126, 207, 226]
OUTCOME_HEADING_LINES = [46, 59, 72, 84, 96, 110, 128, 141, 154, 166, 181, 194, 209, 228, 240, 248]
HEADER_LINES = [48, 61, 74, 86, 98, 115, 133, 144, 157, 173, 186, 199, 216, 233, 241, 249, 256, 263]
ROW_LINES = [
    49,
    50,
    51,
    62,
    63,
    64,
    75,
    76,
    87,
    88,
    99,
    100,
    116,
    117,
    118,
    134,
    135,
    145,
    146,
    158,
    159,
    160,
    174,
    175,
    187,
    188,
    200,
    201,
    217,
    218,
    234,
    242,
    250,
    257,
    264,
    265,
]


@pytest.fixture(scope="module")
def result():
    return parse_with(PARSER, CPC)


@pytest.fixture(scope="module")
def by_code(result):
    return {a.code: a for a in result.actions}


def parse_fixture(name: str):
    return parse_fixture_as(PARSER, CPC, f"objectives_table_{name}.txt")


def parse_text(text: str):
    return parse_text_as(PARSER, CPC, text)


# -- the whole document


@pytest.mark.parametrize("key", sorted(DOCS))
def test_sniff_accepts_only_the_cpc_plan(key):
    assert PARSER.sniff(document_lines(DOCS[key])) is (key == "004")


def test_parser_name_and_result_identity(result):
    assert PARSER.name == "objectives_table"
    assert (result.parser, result.document, result.file) == (
        "objectives_table",
        CPC,
        "004_549bb12720774952.txt",
    )


def test_reads_26_objectives_each_code_once_in_order(result):
    codes = [a.code for a in result.actions]
    assert codes == CODES
    assert all(count == 1 for count in Counter(codes).values())


def test_objectives_per_outcome(result):
    per_outcome = Counter(int(a.code.split()[1].split(".")[0]) for a in result.actions)
    assert dict(per_outcome) == OBJECTIVES_PER_OUTCOME


def test_57_action_items_in_all(result):
    assert sum(len(a.text.split(" | ")) for a in result.actions) == ACTION_ITEMS


def test_only_problem_is_the_renumbered_objective(result):
    assert [p.line for p in result.problems] == [257]


def test_every_non_blank_line_is_accounted_for(result):
    assert non_blank(document_lines(CPC)) <= accounted(result)


def test_no_line_is_both_used_and_skipped(result):
    assert not result.used & set(result.skipped)


@pytest.mark.parametrize(("line", "code", "printed", "outcome", "text", "items", "due", "status"), EXPECTED)
def test_objective_fields(by_code, line, code, printed, outcome, text, items, due, status):
    action = by_code[code]
    assert action.line == line
    assert action.code_printed == printed
    assert action.plan is None
    assert action.outcome.startswith(outcome)
    assert action.text.startswith(text)
    assert len(action.text.split(" | ")) == items
    assert action.due_text == due
    assert action.status_text == status
    assert action.foundations_text is None


@pytest.mark.parametrize(("code", "owners"), sorted(OWNERS.items()))
def test_owners_are_distinct_leads_in_printed_order(by_code, code, owners):
    assert by_code[code].owners == owners


@pytest.mark.parametrize(("line", "printed"), [(e[0], e[2]) for e in EXPECTED])
def test_source_line_starts_with_the_printed_number(line, printed):
    assert document_lines(CPC)[line - 1].cell(0).startswith(f"{printed} ")


@pytest.mark.parametrize(("number", "statement"), sorted(OUTCOME_STATEMENTS.items()))
def test_outcome_statement_is_in_notes(result, number, statement):
    actions = [a for a in result.actions if a.code.startswith(f"CPC {number}.")]
    assert actions
    for action in actions:
        assert f"outcome {number}: {statement}" in action.notes


@pytest.mark.parametrize(("code", "note"), sorted(PRIORITIES.items()))
def test_printed_strategic_priority_is_in_notes(by_code, code, note):
    assert note in by_code[code].notes


@pytest.mark.parametrize("code", ["CPC 3.1", "CPC 4.1", "CPC 7.1", "CPC 8.1"])
def test_priority_not_printed_for_outcome_is_marked_carried_over(by_code, code):
    assert any(note.startswith("strategic priority (not printed") for note in by_code[code].notes)


def test_outcome_1_has_no_statement(by_code):
    assert "outcome 1: (no outcome statement printed)" in by_code["CPC 1.1"].notes


@pytest.mark.parametrize("field", ["text", "outcome", "progress", "owners_text", "status_text", "due_text"])
def test_fields_are_clean_text(result, field):
    for action in result.actions:
        value = getattr(action, field)
        if value is not None:
            assert "<" not in value and "**" not in value, (action.code, value[:80])
            assert value == " ".join(value.split()), (action.code, value[:80])


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_page_furniture_is_skipped(result, line):
    assert result.skipped[line] == "page furniture"


@pytest.mark.parametrize("line", FRAGMENT_LINES)
def test_garbled_heading_fragments_are_skipped(result, line):
    assert result.skipped[line] == "garbled heading fragment"


@pytest.mark.parametrize("line", PRIORITY_LINES)
def test_strategic_priority_headings_are_skipped(result, line):
    assert result.skipped[line] == "strategic priority heading"


@pytest.mark.parametrize("line", OUTCOME_HEADING_LINES)
def test_outcome_headings_are_skipped(result, line):
    assert result.skipped[line] == "outcome heading"


@pytest.mark.parametrize("line", HEADER_LINES)
def test_column_headers_are_skipped(result, line):
    assert result.skipped[line] == "column header"


def test_table_rows_are_exactly_the_used_lines(result):
    assert sorted(result.used) == ROW_LINES


def test_introduction_and_key_are_skipped(result):
    assert result.skipped[7] == "introduction"
    assert result.skipped[13] == "introduction"
    assert result.skipped[41] == result.skipped[42] == "traffic-light key"


def test_owners_text_joins_distinct_lead_cells(by_code):
    assert (
        by_code["CPC 2.3"].owners_text == "Lead Officer, Agency Leads; Public Protection L and D Advisor, Lead Officer"
    )
    assert by_code["CPC 1.1"].owners_text == "Independent Chair, Lead Officer, Committee Members"


def test_progress_is_the_evidence_text(by_code):
    assert by_code["CPC 1.1"].progress.startswith("All members have been consulted on the Clacks CPC TOR")
    assert by_code["CPC 4.3"].progress == "Implemented"
    assert by_code["CPC 8.3"].progress == "Developing multi-agency safeguarding group"


# -- traps, on fixtures


def test_misnumbered_objective_is_recovered_from_sequence_and_noted():
    result = parse_fixture("misnumbered_objective")
    assert [(a.code, a.code_printed) for a in result.actions] == [
        ("CPC 7.1", "7.1"),
        ("CPC 8.1", "3.1"),
        ("CPC 8.2", "8.2"),
        ("CPC 8.3", "8.3"),
    ]
    renumbered = result.actions[1]
    assert renumbered.line == 8
    assert any("printed as 3.1" in n and "CPC 8.1" in n for n in renumbered.notes)
    assert "outcome 8: no OUTCOME 8 heading or statement is printed" in renumbered.notes
    assert renumbered.outcome.startswith("Basic awareness of how to keep children safe from narm")
    assert [p.line for p in result.problems] == [8]


def test_out_of_sequence_number_without_a_next_objective_follows_the_previous():
    header = "OBJECTIVES\tACTIONS\tLEAD\tTIMESCALE\tEVIDENCE\tPROGRESS REPORT"
    rows = [
        "2.1 One\tDo\tLead Officer\tOngoing\tE\tOngoing",
        "1.1 Two\tDo\tLead Officer\tOngoing\tE\tOngoing",
    ]
    text = "\n".join([header, *rows])
    assert [a.code for a in parse_text(text).actions] == ["CPC 2.1", "CPC 2.2"]


def test_garbled_heading_row_supplies_the_end_of_the_statement():
    result = parse_fixture("garbled_heading")
    assert f"outcome 6: {OUTCOME_STATEMENTS[6]}" in result.actions[0].notes
    assert result.skipped[7] == "outcome heading (from a garbled heading row)"


def test_superscript_is_joined_to_its_number():
    action = parse_fixture("garbled_heading").actions[0]
    assert "reports from 3rd sector provider agencies" in action.text


def test_garbled_copies_of_the_heading_are_skipped():
    result = parse_fixture("heading_fragments")
    assert result.skipped[5] == "garbled heading fragment"
    assert f"outcome 2: {OUTCOME_STATEMENTS[2]}" in result.actions[0].notes


def test_near_duplicate_fragment_is_not_added_to_the_statement():
    result = parse_fixture("run_together_leads")
    assert result.skipped[7] == "garbled heading fragment"
    assert f"outcome 5: {OUTCOME_STATEMENTS[5]}" in result.actions[0].notes


def test_words_printed_twice_across_rows_are_dropped():
    action = parse_fixture("repeated_words").actions[0]
    assert action.outcome == (
        "Children are kept safe from harm by agencies working effectively together to deliver effective "
        "responses to risks and needs and to maximise opportunities for early intervention and sustainable "
        "change."
    )
    assert any("'effective responses' printed twice" in n for n in action.notes)


def test_row_cut_mid_phrase_continues_every_column():
    action = parse_fixture("cut_row").actions[0]
    items = action.text.split(" | ")
    assert items == [
        "Produce and implement a biennial Strategic Improvement Plan",
        "Produce and implement an annual multi-agency Learning and Development Workforce Strategy based on "
        "current and emerging learning needs of staff and agencies.",
        "Produce and implement a Communication Plan",
    ]
    assert action.progress.startswith(
        "2020 – 2023 Multi-agency Public Protection Learning and Practice Development Workforce Strategy"
    )
    assert action.due_text == "Annually; Ongoing"  # the stray `·` on the cut row is dropped
    assert action.outcome == (
        "The Committee demonstrates its strategic direction and activity through delivery of appropriate business plans"
    )


def test_run_together_leads_are_split():
    actions = parse_fixture("run_together_leads").actions
    assert actions[0].owners == ["CPC members", "Lead Officer"]
    assert actions[0].owners_text == "CPC members Lead Officer"
    assert actions[1].owners == OWNERS["CPC 8.2"]


def test_as_above_on_a_continuation_row_adds_no_value():
    action = parse_fixture("as_above").actions[0]
    assert action.due_text == "Ongoing"
    assert action.status_text == "Ongoing"
    assert "As above" not in action.progress
    assert any("'As above' on line 11" in n for n in action.notes)
    assert action.text.endswith("Monitor feedback from direct engagement with children and families")


def test_duplicated_outcome_row_gives_one_statement():
    action = parse_fixture("as_above").actions[0]
    assert f"outcome 7: {OUTCOME_STATEMENTS[7]}" in action.notes


def test_page_furniture_and_headings_are_skipped_with_reasons():
    result = parse_fixture("page_furniture")
    assert result.skipped == {
        1: "page furniture",
        3: "page furniture",
        5: "strategic priority heading",
        7: "outcome heading",
    }


def test_as_above_on_the_first_row_is_kept_as_printed():
    header = "OBJECTIVES\tACTIONS\tLEAD\tTIMESCALE\tEVIDENCE\tPROGRESS REPORT"
    action = parse_text(f"{header}\n1.1 One\tDo\tAs above\tAs above\tAs above\tAs above").actions[0]
    assert (action.owners_text, action.owners, action.due_text) == ("As above", None, "As above")


def test_row_without_an_objective_is_a_problem():
    header = "OBJECTIVES\tACTIONS\tLEAD\tTIMESCALE\tEVIDENCE\tPROGRESS REPORT"
    result = parse_text(f"{header}\n\tDo\tLead Officer\tOngoing\tE\tOngoing")
    assert result.actions == []
    assert [p.line for p in result.problems] == [2]


# -- helpers


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        (
            "Independent Chair, Lead Officer, Committee Members",
            ["Independent Chair", "Lead Officer", "Committee Members"],
        ),
        ("CPC members Lead Officer", ["CPC members", "Lead Officer"]),
        (
            "Lead Officer Corporate Parenting Leads  FV Public Info, Engagement & Participation Subgroup",
            ["Lead Officer", "Corporate Parenting Leads", PPIE],
        ),
        ("CPC Members  Lead Officer Child Protection", ["CPC Members", "Lead Officer Child Protection"]),
        (
            "Independent Chair and Review Group, Lead Officer",
            ["Independent Chair and Review Group", "Lead Officer"],
        ),
        (
            "NHS Lead, Performance and Quality Assurance Sub Group",
            ["NHS Lead", "Performance and Quality Assurance Sub Group"],
        ),
        (
            "Lead Officer, Performance Management and Quality Assurance subgroup, "
            "Learning and Practice Development sub group",
            [
                "Lead Officer",
                "Performance Management and Quality Assurance subgroup",
                "Learning and Practice Development sub group",
            ],
        ),
        ("", []),
    ],
)
def test_split_leads(cell, leads):
    assert split_leads(cell) == leads


@pytest.mark.parametrize(
    ("raw", "items"),
    [
        ("One thing  Another thing", ["One thing", "Another thing"]),
        ("One - with - dashes", ["One - with - dashes"]),
        ("3 <sup>rd</sup> sector", ["3rd sector"]),
        ("   ", []),
    ],
)
def test_cell_items(raw, items):
    assert cell_items(raw) == items


@pytest.mark.parametrize(
    ("piece", "known", "expected"),
    [
        ("children sate", "to keep children safe", True),
        ("in chila protection", "shared solutions in child protection", True),
        ("decision making processes", "fully involved in child protection", False),
        ("", "anything", False),
    ],
)
def test_contained(piece, known, expected):
    assert contained(piece, known) is expected


def test_join_without_repeat_keeps_single_words():
    assert join_without_repeat("the end", "end of it") == ("the end end of it", "")


def test_empty_document_gives_empty_result():
    result = parse_text("")
    assert result.actions == [] and result.problems == []


def test_superscript_in_the_real_document(by_code):
    assert "reports from 3rd sector provider agencies" in by_code["CPC 6.1"].text
