"""we_will_table on Dundee's "Promise to You" 2021-2023 (62 actions) and on one fixture per trap."""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.formats.we_will_table import PARSER
from tests.conftest import DOCS, FIXTURES, catalogue_plan, document_lines, lines_from_text, parse_fixture_as, parse_with

DUNDEE = DOCS["002"]

SCAFFOLDING = "Scaffolding"
SUPPORT = "Providing support when it is needed"
FAMILY = "Family"
CARE = "Children must stay with their brothers and sisters where it is safe to do so and belong to a loving home"
VOICE = "Listening to care experienced children and young people and involving them in decision making"
# What the shared enrich makes of the printed names and phrases (PARSING-NOTES 002, trap 6).
FOUNDATION_OF = {
    SCAFFOLDING: "Scaffolding",
    SUPPORT: "Scaffolding",
    FAMILY: "Family",
    CARE: "Care",
    VOICE: "Voice",
}

ACTIONS_PER_LINE = {
    187: 1, 188: 1, 189: 2, 190: 4, 193: 5, 197: 5, 204: 2, 205: 4, 206: 1, 209: 8,
    212: 1, 213: 1, 214: 1, 215: 1, 216: 1,
    219: 1, 220: 1, 221: 1, 222: 1, 223: 1,
    226: 1, 227: 1, 228: 1, 229: 1, 230: 1, 231: 1,
    234: 1, 235: 1, 236: 1, 237: 1, 238: 1, 239: 1,
    242: 7,
}  # fmt: skip

SDCC = "Senior Manager, DCC"
EDCC = "Education Manager, DCC"
# foundations_text -> start of the PRIORITY (outcome) -> (line, key, start of text, owners, due_text),
# read from the file; priorities printed empty are carried down (PARSING-NOTES 002, trap 7).
# fmt: off
EXPECTED_BY_PAGE = {
    SCAFFOLDING: {
        "Building the capacity of universal": [
            (187, None, "We will implement revised arrangements for Named",
             ["Chief Education Officer, Dundee City Council"], "January 2022"),
        ],
        "Listening to families": [
            (188, None, "We will scale a What Matters 2 U initiative",
             ["Head of Children's Service, DCC"], "January 2022"),
        ],
        "Providing accessible and flexible": [
            (189, "L189-1", "We will develop clear and flexible family support",
             ["Assistant Director of Barnardo's"], "March 2021"),
            (189, "L189-2", "We will ensure support is accessible via the Fast-Online",
             ["Assistant Director of Barnardo's"], "March 2021"),
        ],
        "Supporting vulnerable children in school": [
            (190, "L190-1", "We will implement a counselling service in schools", [EDCC], "March 2021"),
            (190, "L190-2", "We will implement our Care Experienced Charter", [EDCC], "March 2021"),
            (190, "L190-3", "We will implement revised Team Around the Child", [EDCC], "March 2021"),
            (190, "L190-4", "We will provide targeted support to children at risk", [EDCC], "March 2021"),
            (193, "L193-1", "We will provide targeted support to children not attending",
             [EDCC], "March 2021"),
            (193, "L193-2", "We will explore the delivery of the Youth in Iceland", [EDCC], "March 2021"),
            (193, "L193-3", "Re-establish a monthly multi-agency Employability",
             ["Senior Manager DCC"], "May 2021"),
            (193, "L193-4", "Establish a quarterly multi-agency employability support forum",
             ["Senior Manager DCC"], "April 2021"),
            (193, "L193-5", "Re-establish a weekly support and guidance drop-in",
             ["Senior Manager DCC"], "April 2021"),
        ],
    },
    SUPPORT: {
        "Supporting vulnerable children in school": [
            (197, "L197-1", "Continue to facilitate bi-monthly review meetings", [], "Current"),
            (197, "L197-2", "We will Work with Care Leavers", [], "September 2021"),
            (197, "L197-3", "We will Implement enhanced transition process", [], "September 2021"),
            (197, "L197-4", "We will ensure targeted outreach and engagement", [], "September 2021"),
            (197, "L197-5", "We will develop an integrated vocational training", [], "March 2022"),
            (204, "L204-1", "We will work with employers to develop an employment",
             ["Youth Employability Service"], "March 2021"),
            (204, "L204-2", "We will develop Supported Pathways for Care Leavers",
             ["Youth Employability Service"], "March 2021"),
        ],
        "Supporting vulnerable women and families": [
            (205, "L205-1", "We will sustain a Pause Programme", [SDCC], "May 2021"),
            (205, "L205-2", "We will report on the impact of targeted support to pregnant",
             [SDCC], "May 2021"),
            (205, "L205-3", "We will report on targeted gender-informed support", [SDCC], "May 2021"),
            (205, "L205-4", "We will report on the impact of Safe and Together", [SDCC], "May 2021"),
        ],
        "Consistent and defensible decisions": [
            (206, None, "We will review the terms of reference", [SDCC], "March 2021"),
        ],
    },
    FAMILY: {
        "Promoting the stability of families": [
            (209, "L209-1", "We will explore implementation of Safe Families", [], "March 2021"),
            (209, "L209-2", "We will provide and measure the impact of voluntary", [], "March 2021"),
            (209, "L209-3", "We will implement a Kinship Hub", [], "March 2021"),
            (209, "L209-4", "We will report on the impact of targeted support to parents", [], "May 2021"),
            (209, "L209-5", "We will increase the capacity of foster carers", [], "May 2021"),
            (209, "L209-6", "We will deliver trauma informed training", [], "May 2021"),
            (209, "L209-7", "We will deliver targeted parenting programmes", [], "May 2021"),
            (209, "L209-8", "We will progress a test of change", [], "May 2021"),
        ],
    },
    None: {
        "Developing a trauma informed workforce": [
            (212, None, "We will roll out trauma informed training",
             ["Protecting People Team, DCC"], "May 2021"),
        ],
        "Improving assessment and engagement": [
            (213, None, "We will deliver bespoke training", [SDCC], "May 2021"),
            (214, None, "We will ensure all care experienced children and young people have an up-to-date",
             [SDCC], "May 2021"),
        ],
        "Developing a culture of reflective practice": [
            (215, None, "We will carry out an annual multi-agency self-evaluation",
             [], "Monthly and quarterly"),
            (216, None, "We will carry out small monthly and larger quarterly", [], None),
        ],
    },
    CARE: {
        "Supporting children to attend early learning": [
            (219, None, "We will ensure all eligible care experienced 2-5", [EDCC], "May 2021"),
        ],
        "Building capacity to allow siblings": [
            (220, None, "We will scale a PACE initiative", ["Improvement Manager, DCC"], "August 2021"),
            (221, None, "We will support family, kinship and foster carers",
             ["Head of Service, Neighbourhood Services, DCC"], "May 2021"),
            (222, None, "We will remind siblings about their right to family life", [], "April 2021"),
        ],
        "Ensuring care experienced teenagers remain": [
            (223, None, "We will implement Functional Family Therapy", [SDCC], "March 2021"),
            (226, None, "We will implement the Tayside Parenting Strategy", [EDCC], "March 2021"),
        ],
        "Supporting families with children with a disability": [
            (227, None, "We will implement new assessment, planning and respite", [SDCC], "March 2021"),
        ],
        "Preventing unnecessary escalation": [
            (228, None, "We will report on Whole Systems Approach", [SDCC], "March 2021"),
            (229, None, "We will carry out a self-evaluation of practice in relation to new Secure",
             [SDCC], "October 2021"),
            (230, None, "We will hold regular multi-agency meetings", [SDCC], "March 2021"),
            (231, None, "We will pro-actively support all young people to remain", [SDCC], "March 2021"),
        ],
        "Providing high quality residential care": [
            (234, None, "We will ensure all Children's Houses are graded", [SDCC], "March 2021"),
        ],
        "Meeting all health needs": [
            (235, None, "We will ensure all care experienced children and young people have a full health",
             ["Senior Manager, NHST"], "March 2021"),
            (236, None, "We will provide physical and mental healthcare support",
             ["Senior Manager, NHST"], "March 2021"),
        ],
        "Ensuring supported transitions into adulthood": [
            (237, None, "We will develop and implement a new Transitions Pathway", [SDCC], "March 2021"),
        ],
        "Supporting care leavers well into adulthood": [
            (238, None, "We will ensure all care leavers are exempt from Council Tax", [SDCC], None),
            (239, None, "We will ensure care leavers are an outright priority for housing", [SDCC], None),
        ],
    },
    VOICE: {
        "Meaningful engagement and participation": [
            (242, "L242-1", "We will develop a multi-disciplinary Care Experienced", [], None),
            (242, "L242-2", "Voice Team will develop an Action Plan", [], None),
            (242, "L242-3", "We will ensure care experienced children and young people are included in plans",
             [], None),
            (242, "L242-4", "We will support care experienced children and young people to be active",
             [], None),
            (242, "L242-5", "We will ensure all Care Experienced Children and Young People are offered",
             [], None),
            (242, "L242-6", "We will ensure Care Experienced Young People are involved in recruitment",
             [], None),
            (242, "L242-7", "We will ensure all care experienced children and young people are involved",
             [], None),
        ],
    },
}
# fmt: on
EXPECTED = [
    (*action, outcome, foundation)
    for foundation, priorities in EXPECTED_BY_PAGE.items()
    for outcome, actions in priorities.items()
    for action in actions
]


@pytest.fixture(scope="module")
def dundee():
    return parse_with(PARSER, DUNDEE)


def parse_fixture(name: str):
    return parse_fixture_as(PARSER, DUNDEE, f"we_will_table_{name}.txt")


def by_key(result) -> dict[str, object]:
    return {a.key or f"L{a.line}": a for a in result.actions}


def unaccounted(result, lines) -> list[int]:
    problem_lines = {p.line for p in result.problems}
    placed = result.used | set(result.skipped) | problem_lines
    return [line.number for line in lines if not line.blank and line.number not in placed]


# --- sniffing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_sniff_accepts_only_the_dundee_plan(doc_id):
    assert PARSER.sniff(document_lines(DOCS[doc_id])) is (doc_id == "002")


@pytest.mark.parametrize("text", ["", "We will do things", "FOUNDATIONS\tPRIORITY\tACTIONS\tLEAD\tTIMESCALES"])
def test_sniff_needs_both_the_header_and_a_we_will_action(text):
    assert PARSER.sniff(lines_from_text(text)) is False


def test_name_is_the_catalogue_format():
    assert PARSER.name == "we_will_table" == catalogue_plan(DUNDEE).format


# --- the whole document ---------------------------------------------------------------------------


def test_dundee_has_62_actions(dundee):
    assert len(dundee.actions) == 62


def test_actions_start_on_the_printed_lines(dundee):
    assert Counter(a.line for a in dundee.actions) == ACTIONS_PER_LINE


def test_record_ids_are_unique(dundee):
    assert len(by_key(dundee)) == 62


@pytest.mark.parametrize("line,count", [(n, c) for n, c in ACTIONS_PER_LINE.items()])
def test_shared_lines_give_numbered_keys_in_printed_order(dundee, line, count):
    keys = [a.key for a in dundee.actions if a.line == line]
    assert keys == ([None] if count == 1 else [f"L{line}-{i}" for i in range(1, count + 1)])


@pytest.mark.parametrize("line,key,text,owners,due,outcome,foundation", EXPECTED)
def test_action_fields_match_the_source(dundee, line, key, text, owners, due, outcome, foundation):
    action = by_key(dundee)[key or f"L{line}"]
    assert action.line == line
    assert action.text.startswith(text)
    assert action.owners == owners
    assert action.owners_text == (owners[0] if owners else None)
    assert action.due_text == due
    assert action.outcome.startswith(outcome)
    assert action.foundations_text == foundation


def test_expected_table_covers_every_action(dundee):
    assert len(EXPECTED) == 62


@pytest.mark.parametrize("action_index", range(62))
def test_action_text_is_on_its_line(dundee, action_index):
    action = dundee.actions[action_index]
    source = next(line for line in document_lines(DUNDEE) if line.number == action.line)
    assert action.text.split(". ")[0][:60] in source.text


def test_foundation_counts(dundee):
    counts = Counter(FOUNDATION_OF.get(a.foundations_text) for a in dundee.actions)
    assert counts == {"Scaffolding": 25, "Family": 8, None: 5, "Care": 17, "Voice": 7}


def test_page_without_a_foundation_does_not_inherit_family(dundee):
    assert [a.foundations_text for a in dundee.actions if 211 < a.line < 217] == [None] * 5


def test_no_codes_plans_progress_or_status(dundee):
    for action in dundee.actions:
        assert (action.code, action.plan, action.progress, action.status_text) == (None, None, None, None)


def test_every_non_blank_line_is_accounted_for(dundee):
    assert unaccounted(dundee, document_lines(DUNDEE)) == []


def test_the_real_document_has_no_problems(dundee):
    assert dundee.problems == []


def test_actions_come_only_from_the_tables(dundee):
    assert {a.line for a in dundee.actions} <= set(range(186, 243))


@pytest.mark.parametrize(
    "lines,reason",
    [
        (range(20, 24), "intro: promise bullets, not actions"),
        (range(41, 70, 2), "past achievements, not actions"),
        ([35, 143], "intro prose"),
        ([186, 192, 195, 202, 208, 211, 218, 225, 233, 241], "column header"),
        ([184], "foundation heading"),
        ([8, 12, 31, 277], "title banner"),
    ],
)
def test_text_outside_the_tables_is_skipped_with_a_reason(dundee, lines, reason):
    assert {dundee.skipped.get(n) for n in lines} == {reason}


def test_appendix_corporate_parents_is_skipped(dundee):
    reasons = {dundee.skipped.get(n) for n in range(250, 274)}
    assert len(reasons) == 1 and reasons.pop().startswith("appendix: Children and Young Person's")


def test_foundation_heading_and_table_lines_are_used(dundee):
    assert {182, 196, 198, 199, 200, 203} <= dundee.used


@pytest.mark.parametrize(
    "key,note",
    [
        ("L209-1", "lead not paired: 8 actions, 3 leads"),
        ("L197-3", "lead not paired: 5 actions, 4 leads"),
        ("L242-2", "lead not paired: 7 actions, 6 leads"),
        ("L242-2", "timescale not paired: 7 actions, 6 timescales"),
        ("L187", "indicators: Number of Health Visitors and Primary Schools delivering ANEW"),
        ("L205-4", "indicators: Report on Safe and Together"),
        ("L215", "no lead printed"),
        ("L238", "no timescale printed"),
    ],
)
def test_notes_explain_unpaired_and_missing_values(dundee, key, note):
    assert any(n.startswith(note) for n in by_key(dundee)[key].notes)


def test_indicators_that_cannot_be_paired_stay_with_the_row(dundee):
    note = next(n for n in by_key(dundee)["L242-7"].notes if n.startswith("indicators"))
    assert note.startswith("indicators for the row: Engagement action plan") and "offered and accepting" in note


@pytest.mark.parametrize("key", ["L193-4", "L209-8"])
def test_multi_sentence_actions_in_the_document_stay_whole(dundee, key):
    text = by_key(dundee)[key].text
    assert " This will " in text and text.endswith(".")


# --- one fixture per trap -------------------------------------------------------------------------


def test_run_together_we_will_sentences_split_with_their_leads():
    result = parse_fixture("run_together")
    on_line = {n: [a for a in result.actions if a.line == n] for n in (6, 7, 8)}
    assert [len(v) for v in on_line.values()] == [2, 3, 2]
    assert [a.text for a in on_line[6]] == [
        "We will develop clear and flexible family support services with the Third Sector",
        "We will ensure support is accessible via the Fast-Online Referral Tracking (FORT) system",
    ]
    assert [(a.owners_text, a.due_text) for a in on_line[6]] == [("Assistant Director of Barnardo's", "March 2021")] * 2
    assert [(a.owners, a.due_text) for a in on_line[7]] == [(["Education Manager, DCC"], "March 2021")] * 3


def test_run_together_leads_that_are_not_a_repetition_are_left_unpaired():
    second_row = [a for a in parse_fixture("run_together").actions if a.line == 8]
    for action in second_row:
        assert (action.owners, action.owners_text, action.due_text) == ([], None, None)
        assert "lead not paired: 2 actions, 1 leads" in action.notes
        assert "timescale not paired: 2 actions, 1 timescales" in action.notes


def test_foundation_heading_above_the_first_table_is_read():
    result = parse_fixture("run_together")
    assert {a.foundations_text for a in result.actions} == {"Scaffolding"}
    assert 1 in result.used and result.skipped[3] == "foundation heading"


def test_p_list_with_fewer_leads_pairs_timescales_but_not_owners():
    result = parse_fixture("p_list_counts")
    assert [(a.owners, a.due_text) for a in result.actions] == [
        ([], "March 2021"),
        ([], "March 2021"),
        ([], "May 2021"),
    ]
    assert all("lead not paired: 3 actions, 2 leads" in a.notes for a in result.actions)
    assert result.actions[2].notes[-1] == "indicators: Number of newly registered foster carers"
    assert {a.foundations_text for a in result.actions} == {"Family"}


def test_stacked_columns_are_read_in_header_order():
    result = parse_fixture("stacked_columns")
    assert [a.line for a in result.actions] == [3, 3, 3]
    assert [a.due_text for a in result.actions] == ["Current", "September 2021", "March 2022"]
    assert [a.owners for a in result.actions] == [[], [], []]  # 3 actions, 2 leads
    assert {a.foundations_text for a in result.actions} == {SUPPORT}
    assert result.used == {2, 3, 4, 5, 6}


def test_shifted_rows_are_read_by_content():
    result = parse_fixture("column_shift")
    left, left_with_priority, right = result.actions[:2], result.actions[2], result.actions[3]
    assert [(a.owners_text, a.due_text, a.outcome) for a in left] == [
        ("Youth Employability Service", "March 2021", None)
    ] * 2
    assert (left_with_priority.outcome, left_with_priority.owners_text) == (
        "Supporting vulnerable women and families",
        "Senior Manager, DCC",
    )
    assert right.text.startswith("We will implement Functional Family Therapy")
    assert (right.outcome, right.owners_text, right.due_text) == (
        "Ensuring care experienced teenagers remain in family homes",
        "Senior Manager, DCC",
        "March 2021",
    )
    assert {a.foundations_text for a in result.actions} == {SUPPORT}


def test_page_without_foundation_cell_gets_none_and_carries_priority_down():
    result = parse_fixture("page_without_foundation")
    assert [a.foundations_text for a in result.actions] == ["Family", None, None, None]
    assert [a.outcome for a in result.actions][1:] == ["Improving assessment and engagement"] * 3
    assert (result.actions[3].owners, result.actions[3].due_text) == ([], None)


def test_multi_sentence_p_items_are_one_action_each():
    result = parse_fixture("multi_sentence")
    assert len(result.actions) == 2
    assert result.actions[0].text.endswith("Contributing partners will identify the most appropriate opportunities.")
    assert result.actions[1].text.startswith("We will progress a test of change")
    assert result.actions[1].text.endswith("will focus on the whole family.")
    assert [a.owners_text for a in result.actions] == ["Senior Manager DCC", "Senior Manager, DCC"]


def test_prose_with_we_will_outside_the_table_is_not_an_action():
    result = parse_fixture("prose_we_will")
    assert [a.line for a in result.actions] == [17]
    assert result.skipped[6] == "intro prose" and result.skipped[14] == "intro prose"
    assert result.skipped[10] == "past achievements, not actions"
    assert result.skipped[23].startswith("appendix: Children and Young Person's")
    assert result.problems == []


def test_unrecognised_wording_in_the_actions_column_is_kept_with_a_note():
    header = "FOUNDATIONS\tPRIORITY\tACTIONS\tLEAD\tTIMESCALES\tSOME KEY INDICATORS"
    row = "\tA priority\t<p>Undertake a review of respite</p>\t<p>Senior Manager, DCC</p>\t<p>May 2021</p>\t"
    text = f"{header}\n{row}"
    result = PARSER.parse(catalogue_plan(DUNDEE), lines_from_text(text))
    [action] = result.actions
    assert (action.text, action.owners_text, action.due_text) == (
        "Undertake a review of respite",
        SDCC,
        "May 2021",
    )
    assert "action wording not recognised; read from the ACTIONS column" in action.notes


@pytest.mark.parametrize(
    "name",
    ["run_together", "p_list_counts", "stacked_columns", "column_shift", "page_without_foundation",
     "multi_sentence", "prose_we_will"],
)  # fmt: skip
def test_every_fixture_line_is_accounted_for(name):
    text = (FIXTURES / f"we_will_table_{name}.txt").read_text(encoding="utf-8")
    assert unaccounted(parse_fixture(name), lines_from_text(text)) == []
