"""The covalent parser on file 001: 50 Covalent actions plus 33 single-agency actions, every line accounted for."""

from __future__ import annotations

import re
from functools import cache

import pytest

from graphkit.records import Plan
from indexer.base import ActionDraft, ParseResult
from indexer.formats.covalent import COVALENT_PLAN, PARSER
from indexer.formats.single_agency import SINGLE_AGENCY_PLAN, split_leads
from tests.conftest import DOCS, FIXTURES, document_lines, lines_from_text, parse_with

DOC = DOCS["001"]
FIXTURE_PLAN = Plan("fixture", "fixture.txt", "Test", "fixture", "inspection", 2015, 2015, "covalent")

# (line, code as printed, start of description, owners, due date, progress value): read off the file.
COVALENT = [
    (181, "SS_ICSAP_IMP1", "Implement training on the impact of abus", ["Christine Sutton"], "30-Apr-2015", "70%"),
    (
        194,
        "SS_IC SAP_IMP2",
        "Raise staff awareness of escalation proc",
        ["Val DeSouza", "David Leng"],
        "31-Dec-2015",
        "100%",
    ),
    (203, "SS_IC SAP_PERS1", "Training modules updated to support staf", ["Christine Sutton"], "30-Apr-2015", "25%"),
    (
        212,
        "SS_IC SAP_PLAN1",
        "To increase the use of outcomes on the C",
        ["Val DeSouza", "David Leng"],
        "31-Mar-2015",
        "100%",
    ),
    (220, "SS_IC SAP_PLAN2", "Increased use and awareness of an outcom", ["Michael Grassom"], "31-Mar-2015", "76%"),
    (235, "SS_IC SAP_RESP1", "Comprehensive scoping of activity and de", ["Liam Purdie"], "28-Feb-2015", "100%"),
    (246, "SS_IC SAP_RESP2", "Establish a working group to analyse dat", ["Liam Purdie"], "31-Dec-2014", "100%"),
    (
        256,
        "SS_IC SAP_RESP3",
        "Establish a strategic steering group to ",
        ["Val DeSouza", "David Leng"],
        "31-Dec-2014",
        "100%",
    ),
    (265, "SS_IC SAP_RESP4", "Review processes in relation to de-regis", ["Michael Grassom"], "30-Sep-2014", "100%"),
    (274, "SS_IC SAP_RESP5", "Strengthen NHS management overview of Ch", [], "28-Feb-2015", "100%"),
    (285, "SS_IC SAP_RISK1", "Risk assessment and associated procedure", ["Liam Purdie"], "31-Jan-2015", "100%"),
    (296, "SS_IC SAP_RISK2", "Review the framework for Risk Assessment", ["Liam Purdie"], "31-Mar-2015", "100%"),
    (307, "SS_IC SAP_RISK3", "Develop a training Programme specific to", ["Liam Purdie"], "30-Nov-2014", "100%"),
    (319, "SS_IC SAP_RISK4", "Identify the consistent risk assessment ", ["Liam Purdie"], "30-Apr-2015", "100%"),
    (328, "SS_IC SAP_RISK5", "Complete multi-agency training in relati", ["Liam Purdie"], "30-Nov-2014", "100%"),
    (337, "SS_IC SAP_RISK6", "Review and ensure chronologies are fit f", ["Liam Purdie"], "31-Mar-2015", "100%"),
    (345, "SS_IC SAP_SE1", "Establish a programme of multi-agency se", ["Liam Purdie"], "31-Jan-2015", "100%"),
    (
        366,
        "SS_IC SAP_ARR1",
        "Implement a systematic approach to the r",
        ["Pat Preece", "Christine Sutton"],
        "31-Mar-2015",
        "75%",
    ),
    (379, "SS_IC SAP_ARR2", "Develop a process of sampling for qualit", ["Liam Purdie"], "31-Jan-2015", "100%"),
    (
        388,
        "SS_IC SAP_ARR3",
        "Review the process and procedures for th",
        ["Pat Preece", "Liam Purdie"],
        "31-Mar-2015",
        "91%",
    ),
    (401, "SS_IC SAP_ARR4", "Arrangements for involving children and ", ["Liam Purdie"], "31-Dec-2014", "100%"),
    (416, "SS_IC SAP_GIR1", "Embed consistent approaches to GIRFEC an", ["David Leng"], "31-Dec-2015", "60%"),
    (430, "SS_ICSAP_TRAN1", "Review model for Transitions moving to a", ["Liam Purdie"], "31-Oct-2014", "100%"),
    (
        440,
        "SS_ICSAP_TRAN2",
        "Develop an operational model following c",
        ["Maureen Dryden", "Liam Purdie"],
        "31-Mar-2015",
        "75%",
    ),
    (
        452,
        "SS_IC SAP_TRAN3",
        "Joint workshops for staff and stakeholde",
        ["Maureen Dryden", "Liam Purdie"],
        "28-Mar-2015",
        "66%",
    ),
    (462, "SS_IC SAP_VIEW1", "Improve staff understanding of the impor", ["Christine Sutton"], "28-Feb-2015", "100%"),
    (471, "SS_IC SAP_VIEW2", "Improve awareness of advocacy and childr", ["Christine Sutton"], "30-Apr-2015", "12%"),
    (494, "SS_IC SAP_VIEW3", "Review resource requirements for advocac", ["Christine Sutton"], "30-Apr-2015", "50%"),
    (511, "SS_IC SAP_COM1", "Develop a joint commissioning strategy", ["Val DeSouza"], "31-Dec-2015", "0%"),
    (522, "SS_IC SAP_CPC1", "CPC Development day to revisit role and ", ["Jane Menzies"], "31-Aug-2014", "100%"),
    (533, "SS_IC SAP_GOV1", "Review of the current number of children", ["David Leng"], "31-Aug-2015", "100%"),
    (542, "SS_IC SAP_GOV2", "Review and refine the membership and fun", ["Liam Purdie"], "30-Nov-2015", "100%"),
    (
        551,
        "SS_ICSAP_ICSP1",
        "Build on current scoping document to del",
        ["Val DeSouza", "David Leng"],
        "31-Mar-2015",
        "80%",
    ),
    (
        560,
        "SS_ICSAP_ICSP2",
        "Implement arrangements for engaging all ",
        ["Val DeSouza", "David Leng"],
        "31-Oct-2015",
        "100%",
    ),
    (
        569,
        "SS_IC SAP_ICSP3",
        "ICSP to set out methodology and mechanis",
        ["Val DeSouza", "David Leng"],
        "31-Dec-2015",
        "85%",
    ),
    (579, "SS_IC SAP_PAR1", "Develop a comprehensive participation st", ["David Leng"], "31-Mar-2015", "50%"),
    (
        587,
        "SS_IC SAP_PAR2",
        "Seek Young Persons Views in the developm",
        ["Val DeSouza", "David Leng"],
        "31-Mar-2015",
        "70%",
    ),
    (
        607,
        "SS_IC SAP_LEAD1",
        "Continue to support staff to benefit fro",
        ["Val DeSouza", "David Leng"],
        "30-Apr-2015",
        "66%",
    ),
    (
        624,
        "SS_ICSAP_MOR1",
        "Review and monitor the impact of morale,",
        ["Val DeSouza", "David Leng"],
        "31-Mar-2015",
        "45%",
    ),
    (
        634,
        "SS_IC SAP_VIS1",
        "Business case to be developed in relatio",
        ["Val DeSouza", "David Leng"],
        "31-Mar-2015",
        "50%",
    ),
    (
        643,
        "SS_IC SAP_VIS2",
        "Increase the visibility of leadership (b",
        ["Val DeSouza", "David Leng"],
        "30-Jun-2015",
        "45%",
    ),
    (
        651,
        "SS_IC SAP_VIS3",
        "Review and strengthen opportunities for ",
        ["Val DeSouza", "David Leng"],
        "31-Dec-2015",
        "50%",
    ),
    (
        679,
        "SS_IC SAP_INT1",
        "Develop a formal process to ensure named",
        ["Sheila Graham", "Elaine Murray"],
        "31-Mar-2015",
        "77%",
    ),
    (691, "SS_IC SAP_SUB1", "Programme of activities established to i", ["Christine Sutton"], "31-Dec-2015", "43%"),
    (705, "SS_IC SAP_SUB2", "Lead Officers for Public Protection prom", ["Christine Sutton"], "31-Jul-2015", "25%"),
    (717, "SS_ICCAP_SUB3", "Develop the use of appropriate tools tha", ["Christine Sutton"], "31-Dec-2015", "16%"),
    (736, "SS_IC SAP_SUPP1", "Review of commissioning Strategy and fun", ["Christine Sutton"], "31-Mar-2015", "100%"),
    (745, "SS_IC SAP_SUPP2", "Implementation of Early Years Collaborat", ["David Leng"], "30-Sep-2015", "40%"),
    (754, "SS_IC SAP_SUPP3", "Implementation of the 600 hours for LAC ", ["David Leng"], "30-Sep-2015", "70%"),
    (762, "SS_ICSAP_SUPP4", "Parenting Support to be rolled out and d", ["David Leng"], "31-Dec-2015", "75%"),
]

# Covalent priority (outcome) by the first line of its block: 174, 356, 504, 600, 672.
PRIORITY_STARTS = [
    (174, "1. Risk Assessment Processes: Improve, as a matter of priority, the processes for assessing risks"),
    (356, "2. Children's Plans: Improve plans for individual children and young people to manage risk"),
    (504, "3. Joint Strategic Planning: Implement systematic and robust processes for the joint strategic"),
    (600, "4. Leadership: Provide the strong collaborative leadership needed to increase the pace of change"),
    (672, "5. Help when They Need It: Ensure that all vulnerable children, young people and their families"),
]

LIAM_SS = "Liam Purdie AHOS social services"
ANNE_BRIDGET = ["Anne Salter, Lead Officer Child Protection", "Bridget Stone, ASP Coordinator", "ADP Leads"]
CSPG = "Children's Strategic Partnership Group"
# (line, area, start of action text, owners (None = "As above"), timescale, status): read off the file.
SINGLE = [
    (
        812,
        1,
        "Review the use of Risk Assessments in Child Protection",
        ["Liam Purdie AHofS Social Services", "CPC"],
        "October 2014",
        "complete",
    ),
    (814, 1, "Develop a training Programme specific to Risk", None, "November 2014", "in_progress"),
    (815, 1, "Identify the consistent risk assessment tools", [], None, "in_progress"),
    (
        816,
        1,
        "Complete multi-agency training in relation to risk assessment and the use of chronologies",
        ["Liam Purdie AHOS Social Services", "CPC"],
        "November 2014",
        "complete",
    ),
    (
        819,
        1,
        "Review and ensure chronologies are fit for purpose.",
        ["Liam Purdie AHofS Social Services", "MACIG"],
        "March 2015",
        "complete",
    ),
    (
        820,
        1,
        "Risk assessment and associated procedures",
        ["Jane Menzies AHofS Social Services", "MACIG"],
        "August 2014",
        "complete",
    ),
    (824, 1, "Review processes in relation to de-registration", [LIAM_SS], "September 2014", "complete"),
    (825, 1, "Strengthen management overview of Child Protection", [LIAM_SS], "February 2015", "in_progress"),
    (
        828,
        1,
        "Implement training on the impact of abuse and neglect",
        ["Susanne Goetzold CP Training Coordinator"],
        "December 2014",
        "complete",
    ),
    (
        829,
        1,
        "Raise staff awareness of escalation processes",
        ["Anne Salter Lead Officer Child Protection"],
        "December 2015",
        "in_progress",
    ),
    (
        834,
        1,
        "To increase the use of the Childs plan",
        ["Anne Salter Lead Officer Child Protection"],
        "March 2015",
        "in_progress",
    ),
    (835, 1, "Increased use and awareness of an outcomes based approach", [LIAM_SS], "January 2015", "complete"),
    (
        836,
        1,
        "Training modules updated to support staff and to develop",
        ["GIRFEC Training Group", "Susanne Goetzold CP Training Coordinator"],
        "January 2015",
        "in_progress",
    ),
    (
        843,
        1,
        "Establish a programme of multi-agency self-evaluation",
        ["Jane Menzies AHofS Social Services", "MACIG", "Michael Grassom"],
        "December 2014",
        "in_progress",
    ),
    (
        849,
        2,
        "Implement a systematic approach to the review",
        ["Pat Preece, Review Manager"],
        "October 14",
        "in_progress",
    ),
    (850, 2, "Develop a process of sampling for quality.", None, "October 14", "in_progress"),
    (
        851,
        2,
        "Review the process and procedures for the reviews",
        ["Pat Preece, Review Manager Social Services"],
        "December 2014",
        "in_progress",
    ),
    (
        853,
        2,
        "Arrangements for involving children and young people in pathway",
        ["Mark Howie TM, TCAC Social Services", "Corporate Parenting Group"],
        None,
        "complete",
    ),
    (
        856,
        2,
        "Review model for Transitions",
        ["Sandy Sneddon, Service Manager, Social Services"],
        "October 2014",
        "in_progress",
    ),
    (
        857,
        2,
        "Develop an operational model following committee approval",
        ["Liam Purdie", "Phillip Gillespie"],
        "March 2015",
        "unknown",
    ),
    (
        858,
        2,
        "Joint workshops for staff and stakeholders to ensure full",
        ["Phillip Gillespie"],
        "February 2015",
        "unknown",
    ),
    (
        865,
        2,
        "Improve staff understanding of the importance",
        ["Chris Sutton, Service Manager, Social Services"],
        "February 2015",
        "complete",
    ),
    (866, 2, "Improve awareness of advocacy", None, "April 2015", "unknown"),
    (867, 2, "Review resource requirements for advocacy", None, "October 2014", "unknown"),
    (873, 3, "Review of commission Strategy", ["Val de Souza Head of Social Services", CSPG], "March 2015", "complete"),
    (878, 3, "Programme of activities established", ANNE_BRIDGET, "December 2014", "in_progress"),
    (879, 3, "Lead Officers for Public Protection", ANNE_BRIDGET, "March 2015", "unknown"),
    (880, 3, "Develop the use of appropriate tools that measure", ANNE_BRIDGET, "December 2015", "unknown"),
    (
        889,
        4,
        "Review and refine the membership",
        ["Jane Menzies AHofS for Social Services"],
        "November 2014",
        "complete",
    ),
    (890, 4, "Develop a joint commissioning strategy", ["Val de Souza", CSPG], "March 2015", "in_progress"),
    (
        891,
        4,
        "CPC Development day to revisit role",
        ["Jane Menzies AHOS for Social Services"],
        "August 2014",
        "complete",
    ),
    (900, 5, "Review and monitor the impact of morale", ["Val de Souza"], "March 2015", "in_progress"),
    (903, 5, "Continue to support staff to benefit", ["Val de Souza", CSPG], "April 2015", "in_progress"),
]
AREAS = {
    1: "1. Improve, as a matter of priority, the processes for assessing risks",
    2: "2. Improve plans for individual children and young people",
    3: "3. Ensure that all vulnerable children, young people and their families",
    4: "4. Implement systematic and robust processes for the joint strategic planning",
    5: "5. Provide the strong collaborative leadership",
}


@cache
def parsed() -> ParseResult:
    return parse_with(PARSER, DOC)


def by_line(result: ParseResult) -> dict[int, ActionDraft]:
    return {a.line: a for a in result.actions}


def parse_fixture(name: str) -> ParseResult:
    return PARSER.parse(FIXTURE_PLAN, lines_from_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8")))


def assert_accounted(lines, result: ParseResult) -> None:
    placed = result.used | set(result.skipped) | {p.line for p in result.problems}
    missing = [line.number for line in lines if not line.blank and line.number not in placed]
    assert not missing


# --- the whole document ------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_key", sorted(DOCS))
def test_sniff_accepts_only_the_covalent_report(doc_key):
    assert PARSER.sniff(document_lines(DOCS[doc_key])) is (doc_key == "001")


def test_counts_83_actions_50_covalent_33_single_agency():
    plans = [a.plan for a in parsed().actions]
    assert len(plans) == 83
    assert plans.count(COVALENT_PLAN) == 50
    assert plans.count(SINGLE_AGENCY_PLAN) == 33


def test_every_code_exactly_once_and_only_on_covalent_actions():
    codes = [a.code for a in parsed().actions if a.code]
    assert len(codes) == len(set(codes)) == 50
    assert all(re.fullmatch(r"SS_ICSAP_[A-Z]+\d", c) for c in codes)
    assert all(a.code is None and a.key is None for a in parsed().actions if a.plan == SINGLE_AGENCY_PLAN)


def test_every_non_blank_line_is_used_skipped_or_a_problem():
    assert_accounted(document_lines(DOC), parsed())


def test_no_problems_on_the_seed_document():
    assert [str(p) for p in parsed().problems] == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (2, "report body"),
        (142, "report body"),
        (146, "key to symbols"),
        (149, "key to symbols"),
        (156, "high level summary"),
        (180, "table header"),
        (185, "table separator"),
        (188, "priority line"),
        (322, "priority line"),
        (726, "priority line"),
        (785, "list of improvement areas"),
        (800, "findings table"),
        (811, "table header"),
        (845, "area heading"),
        (885, "DRAFT watermark"),
        (905, "version control table"),
        (914, "DRAFT watermark"),
    ],
)
def test_furniture_lines_are_skipped_with_a_reason(line, reason):
    assert parsed().skipped.get(line) == reason


@pytest.mark.parametrize(("line", "printed", "text", "owners", "due", "value"), COVALENT)
def test_covalent_action_fields(line, printed, text, owners, due, value):
    action = by_line(parsed())[line]
    assert action.plan == COVALENT_PLAN
    assert action.code_printed == printed
    assert action.code == re.sub(r"^SS_IC ?[SC]AP_", "SS_ICSAP_", printed)
    assert action.text.startswith(text)
    assert action.owners == owners
    assert action.due_text == due
    assert action.status_text == value
    assert action.foundations_text is None


@pytest.mark.parametrize(("line", "printed", "text", "owners", "due", "value"), COVALENT)
def test_covalent_outcome_is_numbered_priority_with_statement(line, printed, text, owners, due, value):
    start = max(s for s, _ in PRIORITY_STARTS if s < line)
    assert by_line(parsed())[line].outcome.startswith(dict(PRIORITY_STARTS)[start])


@pytest.mark.parametrize(
    ("code", "title"),
    [("SS_ICSAP_IMP1", "Training"), ("SS_ICSAP_MOR1", "Morale & workload"), ("SS_ICSAP_INT1", "VPD")],
)
def test_code_cell_title_goes_into_notes(code, title):
    action = next(a for a in parsed().actions if a.code == code)
    assert f"title: {title}" in action.notes


def test_empty_owner_cell_gives_no_owners():
    resp5 = next(a for a in parsed().actions if a.code == "SS_ICSAP_RESP5")
    assert resp5.owners == [] and resp5.owners_text is None


@pytest.mark.parametrize(
    ("code", "pieces"),
    [
        (
            "SS_ICSAP_IMP1",
            [
                "Sub-action: Implement training on the impact",
                "(25-Feb-2015)",
                "Sub-action: Undertake risk assessment audit - Multi-agency audit",
                "Latest note on overall progress (25-Feb-2015): Interagency training",
            ],
        ),
        ("SS_ICSAP_PLAN2", ["Latest note on overall progress (05-Mar-2015): Outcome Framework has been uploaded"]),
        ("SS_ICSAP_TRAN3", ["Latest note on overall progress (05-Mar-2015): This is led by Sandy Sneddon"]),
        ("SS_ICSAP_ICSP3", ["Sub-action: Complete and report submitted to CYPSPG Feb 2015 (LP) (24-Mar-2015)"]),
        ("SS_ICSAP_VIS3", ["This will be evidenced by; Clear message of intent", "Monthly Head of Service"]),
    ],
)
def test_progress_holds_sub_actions_and_latest_note(code, pieces):
    progress = next(a for a in parsed().actions if a.code == code).progress
    assert "<" not in progress and "  " not in progress
    for piece in pieces:
        assert piece in progress


def test_covalent_progress_is_never_empty():
    assert all(a.progress for a in parsed().actions if a.plan == COVALENT_PLAN)


@pytest.mark.parametrize(
    ("line", "area", "text", "owners", "due", "status"), SINGLE, ids=[str(row[0]) for row in SINGLE]
)
def test_single_agency_action_fields(line, area, text, owners, due, status):
    action = by_line(parsed())[line]
    assert action.plan == SINGLE_AGENCY_PLAN
    assert action.text.startswith(text)
    assert action.outcome.startswith(AREAS[area])
    assert action.owners == owners
    assert action.due_text == due
    assert action.status == status


@pytest.mark.parametrize("line", [814, 850, 866, 867])
def test_as_above_lead_left_for_enrich(line):
    action = by_line(parsed())[line]
    assert action.owners_text == "As above" and action.owners is None


@pytest.mark.parametrize(
    ("line", "evidence"),
    [
        (812, "All cases inspected through the inspection have been re-audited"),
        (816, "NRAF Training completed for managers December 2014.(Complete)"),
        (900, "Management and front line capacity ongoing through SMT meetings."),
        (903, "Leadership programmes in both Local Authority areas"),
    ],
)
def test_single_agency_status_text_is_the_evidence_on_the_row(line, evidence):
    assert evidence in by_line(parsed())[line].status_text


@pytest.mark.parametrize(
    ("line", "key_issue"),
    [
        (812, "The quality of risk assessments and chronologies require to improve"),
        (820, "The quality of risk assessments and chronologies require to improve"),
        (836, "More persistence required with parents who fail to engage"),
        (853, "Arrangements for the review of the child's plan are not satisfactory"),
        (891, "Ensure that Child Protection Committee fulfils all of its functions"),
    ],
)
def test_key_issue_carried_down_its_group(line, key_issue):
    assert any(n.startswith(f"key issue: {key_issue}") for n in by_line(parsed())[line].notes)


@pytest.mark.parametrize(
    ("line", "twin"),
    [
        (850, "SS_ICSAP_ARR2"),
        (890, "SS_ICSAP_COM1"),
        (891, "SS_ICSAP_CPC1"),
        (866, "SS_ICSAP_VIEW2"),
        (814, "SS_ICSAP_RISK3"),
        (825, "SS_ICSAP_RESP5"),
    ],
)
def test_single_agency_text_names_its_covalent_twin(line, twin):
    assert any(n.endswith(f"Covalent {twin}") or f"Covalent {twin} (" in n for n in by_line(parsed())[line].notes)


def test_24_single_agency_texts_repeat_a_covalent_description_after_normalising():
    notes = [n for a in parsed().actions for n in a.notes]
    assert sum(n.startswith("text repeats Covalent") for n in notes) == 24


@pytest.mark.parametrize("line", [813, 818, 831, 838, 860, 882, 893, 902])
def test_continuation_rows_are_used_but_start_no_action(line):
    assert line in parsed().used
    assert line not in by_line(parsed())


# --- one fixture per oddity ----------------------------------------------------------------------------


def test_progress_value_only_in_input_attribute():
    (action,) = parse_fixture("covalent_input_value").actions
    assert action.status_text == "66%"


def test_progress_value_after_divs_ignores_bar_widths():
    pers1, imp1 = parse_fixture("covalent_nested_bar").actions
    assert (pers1.code, pers1.status_text) == ("SS_ICSAP_PERS1", "25%")  # outer div 25%, inner bar 100%
    assert (imp1.code, imp1.status_text) == ("SS_ICSAP_IMP1", "70%")  # bar 80px wide


def test_ocr_code_form_is_normalised_and_printed_form_kept():
    (action,) = parse_fixture("covalent_ocr_code").actions
    assert (action.code, action.code_printed) == ("SS_ICSAP_SUB3", "SS_ICCAP_SUB3")
    assert action.outcome.startswith("1. Risk Assessment Processes: Improve")


def test_latest_note_date_printed_on_its_own_line():
    result = parse_fixture("covalent_note_date_on_own_line")
    (action,) = result.actions
    assert "Latest note on overall progress (08-Jan-2015): This is led by Anne Salter" in action.progress
    assert result.skipped[12] == result.skipped[17] == "priority line"  # `Priority`, then `High` alone


def test_shifted_sub_action_row_goes_into_progress():
    (action,) = parse_fixture("covalent_shifted_sub_action").actions
    assert "Sub-action: Undertake risk assessment audit - Multi-agency audit" in action.progress
    assert any("shifted (5 leading tabs" in n for n in action.notes)


def test_bare_paragraphs_continue_the_last_sub_action():
    (action,) = parse_fixture("covalent_bare_paragraph_continuation").actions
    assert "Pat Preece. To (18-Feb-2015) to inform next step involve children and young people" in action.progress


def test_split_row_joins_cells_and_keeps_first_line_number():
    result = parse_fixture("covalent_split_row")
    training, awareness = result.actions
    assert awareness.line == 7
    assert awareness.text == "Raise staff awareness of escalation processes for raising concerns across all agencies"
    assert awareness.owners_text == "Anne Salter Lead Officer Child Protection"
    assert awareness.due_text == "December 2015"
    assert {7, 9} <= result.used


def test_lone_actions_cell_continues_previous_row():
    result = parse_fixture("covalent_lone_action_fragment")
    assert [a.line for a in result.actions] == [6, 8, 9, 10]
    assert result.actions[0].text.endswith("national guidelines. 2 x audits pre and post new year.")


def test_ocr_area_number_read_from_statement():
    actions = parse_fixture("covalent_ocr_area_heading").actions
    assert [a.line for a in actions] == [14, 15]
    assert all(a.outcome.startswith("1. Improve, as a matter of priority") for a in actions)
    assert any("printed '11. ...' (OCR)" in n for n in actions[0].notes)


def test_evidence_one_column_right_is_still_the_evidence():
    morale, leadership = parse_fixture("covalent_evidence_shifted_right").actions
    assert morale.status_text.endswith("Management and front line capacity ongoing through SMT meetings.")
    assert leadership.status_text == "Leadership programmes in both Local Authority areas ongoing for Service Managers."
    assert "Evidence of Progress printed one column right of its column" in leadership.notes


def test_capitalised_row_after_page_break_is_a_new_action():
    actions = parse_fixture("covalent_new_row_after_page_break").actions
    assert [a.line for a in actions] == [6, 7, 8, 10]
    assert actions[-1].text.startswith("Arrangements for involving children")


def test_as_above_fixture_leaves_owners_for_enrich():
    first, *rest = parse_fixture("covalent_as_above").actions
    assert first.owners == ["Chris Sutton, Service Manager, Social Services"]
    assert [(a.owners_text, a.owners) for a in rest] == [("As above", None), ("As above", None)]


@pytest.mark.parametrize(
    ("cell", "owners"),
    [
        ("Liam Purdie & Phillip Gillespie", ["Liam Purdie", "Phillip Gillespie"]),
        (
            "Val de Souza Head of Social Services & Children's Strategic Partnership Group",
            ["Val de Souza Head of Social Services", "Children's Strategic Partnership Group"],
        ),
        (
            "GIRFEC Training Group Susanne Goetzold CP Training Coordinator",
            ["GIRFEC Training Group", "Susanne Goetzold CP Training Coordinator"],
        ),
        ("Pat Preece, Review Manager", ["Pat Preece, Review Manager"]),
        ("", []),
    ],
)
def test_split_leads_separates_run_together_people_and_groups(cell, owners):
    assert split_leads(cell) == owners


def test_100_percent_rows_match_the_high_level_summary_complete_total():
    # HIGH LEVEL SUMMARY (155-170), Complete column: 14 + 1 + 4 + 4 + 0.
    values = [a.status_text for a in parsed().actions if a.plan == COVALENT_PLAN]
    assert values.count("100%") == 23
