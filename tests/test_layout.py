"""The layout reader of commitments and the text reader's blocks, on small plans in the layouts councils print."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.records import Plan
from indexer.enrich import enrich
from indexer.formats.layout import PARSER
from indexer.readers import read_model
from indexer.readers.text import model_of_lines
from tests.conftest import DOCS, FIXTURES, accounted, document_lines, lines_from_text, non_blank

LAYOUTS = FIXTURES / "layouts"


def plan_for(name: str) -> Plan:
    return Plan("anyshire-plan-2023", name, "Anyshire", "Plan", "promise", 2023, 2026)


def read(name: str):
    model = read_model(LAYOUTS / name)
    result = PARSER.parse_model(plan_for(name), model)
    return enrich(plan_for(name), result), result, model


def test_space_aligned_table_joins_wrapped_cells_and_skips_page_headers() -> None:
    actions, result, model = read("space_aligned_table.txt")
    assert [a.text for a in actions] == [
        "Ensure every care experienced young person has a personal education plan.",
        "Offer tutoring to care experienced pupils at risk of exclusion.",
        "Give every care leaver a named health visitor, and make sure their health records are shared with consent.",
        "Provide supported lodgings for young people leaving care.",
        "Review the throughcare policy.",
    ]
    health = actions[2]
    assert health.owners == ("Health and Social Care Partnership",)
    assert health.source.line == 10
    assert (health.due, health.status, health.status_text) == ("2024-12", "delayed", "Red")
    assert [a.status for a in actions] == ["on_track", "delayed", "delayed", "complete", "not_started"]
    assert [a.outcome for a in actions] == ["1. Education"] * 2 + ["2. Health"] + ["3. Housing"] * 2
    assert result.skipped[15] == "repeated header"
    assert result.skipped[13] == "page number" and result.skipped[14] == "running title"
    assert all("read by: table row (confidence high)" in a.notes for a in actions)
    assert non_blank(model.lines) <= accounted(result)


def test_bullets_under_a_lead_in_take_the_pillar_heading_as_outcome() -> None:
    actions, result, _ = read("bullets_lead_in.txt")
    assert len(actions) == 5
    assert actions[0].outcome == "Pillar 1: A Good Childhood"
    assert actions[-1].outcome == "Pillar 2: Whole Family Support"
    forum = actions[2]
    assert forum.text == "Set up a care experienced young people's forum"
    assert forum.owners == ("Participation Officer",)
    assert (actions[1].due, actions[1].due_text) == ("2026-03", "by March 2026")
    assert (actions[4].due, actions[4].due_text) == ("2025", "by the end of 2025")
    assert result.skipped[5] == "prose, no commitment found"  # the statistic
    assert result.skipped[18] == "prose, no commitment found"  # the quotation


def test_owner_of_a_lead_in_goes_to_every_item_under_it() -> None:
    actions, _, _ = read("alternating_owner_lead_ins.txt")
    owners = [a.owners for a in actions]
    assert owners == [
        ("Local authorities",),
        ("Children's Hearings Scotland",),
        ("The Scottish Government",),
        ("The Scottish Government",),
        ("Health boards",),
        ("The Scottish Government",),
    ]
    assert [a.outcome for a in actions][-1] == "Foundation: Family"
    assert actions[3].due == "2026"


def test_two_column_table_flattened_into_paragraphs_keeps_each_label_as_outcome() -> None:
    actions, _, _ = read("flattened_two_column.txt")
    assert [a.outcome for a in actions] == ["Children are safe"] * 2 + ["Young people are heard"] * 2
    assert actions[1].due == "2024-09"
    assert actions[3].owners == ("The Children's Rights Officer",)


def test_numbered_actions_take_their_own_lead_by_and_status_lines() -> None:
    actions, result, _ = read("numbered_lead_lines.txt")
    assert [(a.text, a.owners, a.due, a.status) for a in actions] == [
        ("Recruit two additional kinship support workers.", ("Service Manager, Family Support",), "2025-03",
         "in_progress"),
        ("Publish a kinship carers' handbook.", ("Communications Team",), "2024-12", "complete"),
    ]  # fmt: skip
    assert {4, 5, 6, 9, 10, 11} <= result.used
    assert result.skipped[13] == "prose, no commitment found"


def test_tab_table_with_who_column_and_wrapped_rows_gives_one_action_per_row() -> None:
    text = (
        "Action\tWho\tWhen\tRAG\n"
        "Offer every care leaver a mentor\tThroughcare Team\tMarch 2025\tGreen\n"
        "and a named worker until 26\t\t\t\n"
        "Publish the corporate parenting report\tChief Social Work Officer\t2024\tAmber\n"
    )
    lines = lines_from_text(text)
    result = PARSER.parse(plan_for("tab.txt"), lines)
    actions = enrich(plan_for("tab.txt"), result)
    assert [a.text for a in actions] == [
        "Offer every care leaver a mentor and a named worker until 26",
        "Publish the corporate parenting report",
    ]
    assert actions[0].owners == ("Throughcare Team",) and actions[1].status == "delayed"


def test_two_line_header_is_read_as_one() -> None:
    text = (
        "Ref   What we        Lead              By          Status\n"
        "      will do                          when\n"
        "1     Open a kinship  Family Support    Dec 2024    Complete\n"
        "      hub\n"
    )
    result = PARSER.parse(plan_for("two.txt"), lines_from_text(text))
    actions = enrich(plan_for("two.txt"), result)
    assert [(a.text, a.owners, a.due, a.status) for a in actions] == [
        ("Open a kinship hub", ("Family Support",), "2024-12", "complete")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Progress will be reported to the board.",
        "In 2023, 145 children lived in kinship care.",
        '"We will never give up on you," said the Chief Executive.',
        "This will help families stay together.",
    ],
)
def test_narrative_statistics_and_quotations_are_not_actions(line: str) -> None:
    result = PARSER.parse(plan_for("prose.txt"), lines_from_text(f"Our plan\n\n{line}\n"))
    assert result.actions == []


def test_we_expect_names_the_owner() -> None:
    result = PARSER.parse(plan_for("x.txt"), lines_from_text("We expect headteachers to review exclusions.\n"))
    actions = enrich(plan_for("x.txt"), result)
    assert actions[0].owners == ("headteachers",)


def test_text_reader_finds_headings_items_and_levels() -> None:
    text = "# Plan\n\nACTIONS\n\n- one thing to do\n  - a sub point\n1. Numbered item here\n"
    model = model_of_lines("x.md", lines_from_text(text))
    kinds = [(b.kind, b.level) for b in model.blocks]
    assert kinds == [("heading", 1), ("heading", 2), ("item", 0), ("item", 1), ("item", 0)]


@pytest.mark.parametrize("doc_id", sorted(DOCS.values()))
def test_bundled_documents_read_by_layout_account_for_every_line(doc_id: str) -> None:
    lines = document_lines(doc_id)
    result = PARSER.parse(plan_for("bundled.txt"), lines)
    assert non_blank(lines) <= accounted(result)
    assert result.actions, "the layout reader finds commitments in every bundled plan"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab Z:\t|-•1.\n  ") + ["We will ", "Lead: ", "Who", "Action", "   "])))
def test_arbitrary_text_never_raises_and_is_accounted_for(pieces: list[str]) -> None:
    text = "".join(pieces)
    lines = lines_from_text(text)
    result = PARSER.parse(plan_for("h.txt"), lines)
    assert not [p for p in result.problems if p.severity == "error"]
    assert non_blank(lines) <= accounted(result)


def test_merged_and_labelled_section_rows_give_the_outcome_of_the_rows_below() -> None:
    text = (
        "Ref\tKey actions\tResponsible\tTimescale\n"
        "Outcome 1: Children are safe\tOutcome 1: Children are safe\tOutcome 1: Children are safe\t"
        "Outcome 1: Children are safe\n"
        "1.1\tTrain 120 practitioners in Safe and Together\tLead Officer\tMarch 2022\n"
        "Priority 2: Family support\t\t\t\n"
        "2.1\tOpen a family hub on Islay\tHead of Service\t2023\n"
    )
    result = PARSER.parse(plan_for("s.txt"), lines_from_text(text))
    actions = enrich(plan_for("s.txt"), result)
    assert [(a.text, a.outcome) for a in actions] == [
        ("Train 120 practitioners in Safe and Together", "Outcome 1: Children are safe"),
        ("Open a family hub on Islay", "Priority 2: Family support"),
    ]
    assert result.skipped[2].startswith("table section heading")


def test_a_row_with_only_a_second_owner_adds_that_owner_to_the_row_above() -> None:
    text = (
        "Objective\tAction\tBy whom\tTarget date\tStatus\n"
        "Family\tExpand the Family Wellbeing Hubs\tHead of Children's Services\tMarch 2025\tAmber\n"
        "\t\tChief Officer, HSCP\t\t\n"
        "\tProvide Family Group Decision Making\tFGDM Service Manager\tDecember 2025\tAmber\n"
    )
    result = PARSER.parse(plan_for("x.txt"), lines_from_text(text))
    actions = enrich(plan_for("x.txt"), result)
    assert actions[0].owners == ("Head of Children's Services", "Chief Officer, HSCP")
    assert [a.outcome for a in actions] == ["Family", "Family"]
    assert 3 in result.used


def test_title_rows_above_the_header_are_not_read_as_half_a_header() -> None:
    text = (
        "Keeping The Promise Action Plan 2024-2026\n"
        "Progress at 31 December 2024\n"
        "Objective\tAction\tBy whom\tTarget date\tStatus\n"
        "Voice: children are heard\tOffer independent advocacy to every child\tChildren's Rights Officer\t"
        "March 2025\tGreen\n"
    )
    result = PARSER.parse(plan_for("t.txt"), lines_from_text(text))
    [action] = enrich(plan_for("t.txt"), result)
    assert (action.outcome, action.status, action.due) == ("Voice: children are heard", "on_track", "2025-03")


def test_deadlines_without_a_date_are_kept_as_printed() -> None:
    text = "The Partnership will:\n- respond to the inspection with a plan within three months of the report\n"
    result = PARSER.parse(plan_for("d.txt"), lines_from_text(text))
    [action] = enrich(plan_for("d.txt"), result)
    assert (action.owners, action.due_text, action.due) == (
        ("The Partnership",),
        "within three months of the report",
        None,
    )


def test_a_line_repeated_away_from_page_breaks_is_not_a_running_title() -> None:
    text = "".join(f"{n}. Publish guidance number {n} for carers.\nLead: Communications Team\n\n" for n in (1, 2, 3))
    result = PARSER.parse(plan_for("r.txt"), lines_from_text(text))
    actions = enrich(plan_for("r.txt"), result)
    assert [a.owners for a in actions] == [("Communications Team",)] * 3


def test_action_label_lines_and_tables_of_labels_and_values() -> None:
    text = (
        "Action: Open a kinship hub in every locality.\n"
        "Lead: Family Support Manager\n"
        "Timescale: March 2026\n"
        "\n"
        "Action\tTrain every foster carer in trauma-informed practice\n"
        "Lead officer\tLearning and Development Manager\n"
        "Target date\tDecember 2025\n"
        "RAG\tAmber\n"
    )
    result = PARSER.parse(plan_for("kv.txt"), lines_from_text(text))
    actions = enrich(plan_for("kv.txt"), result)
    assert [(a.text, a.owners, a.due, a.status) for a in actions] == [
        ("Open a kinship hub in every locality.", ("Family Support Manager",), "2026-03", "unknown"),
        ("Train every foster carer in trauma-informed practice", ("Learning and Development Manager",), "2025-12",
         "delayed"),
    ]  # fmt: skip
    assert set(range(1, 4)) | set(range(5, 9)) <= result.used


def test_a_heading_naming_actions_leads_in_its_list_and_a_bracket_gives_owner_and_date() -> None:
    text = (
        "Priority 2: Family support\n\n"
        "## What we will do\n\n"
        "- A single point of contact for kinship carers (Lead: Kinship Team Leader; by June 2025)\n"
        "- Respite for disabled children\n"
    )
    result = PARSER.parse(plan_for("h.md"), lines_from_text(text))
    actions = enrich(plan_for("h.md"), result)
    assert [(a.text, a.owners, a.due, a.outcome) for a in actions] == [
        ("A single point of contact for kinship carers", ("Kinship Team Leader",), "2025-06",
         "Priority 2: Family support"),
        ("Respite for disabled children", (), None, "Priority 2: Family support"),
    ]  # fmt: skip


def test_in_a_text_file_a_tab_line_without_code_or_date_continues_the_row_above() -> None:
    text = (
        "Ref\tAction\tLead\tBy when\n"
        "A1\tOffer every care leaver a mentor and\tThroughcare\tMarch 2025\n"
        "\tSupported Lodgings until they are 21\t\t\n"
        "A2\tPublish the annual report\tChief Officer\t2024\n"
    )
    result = PARSER.parse(plan_for("c.txt"), lines_from_text(text))
    actions = enrich(plan_for("c.txt"), result)
    assert [a.text for a in actions] == [
        "Offer every care leaver a mentor and Supported Lodgings until they are 21",
        "Publish the annual report",
    ]


def test_a_page_title_above_the_repeated_header_is_not_part_of_a_row() -> None:
    actions, result, _ = read("continued_page_title.txt")
    assert [a.text for a in actions][2:] == ["Recruit ten new foster carers",
                                             "Review the use of secure care with the Care Inspectorate"]  # fmt: skip
    assert actions[2].owners == ("Family Placement Manager",) and actions[2].due_text == "Ongoing"
    assert (result.skipped[10], result.skipped[11], result.skipped[12]) == (
        "page number",
        "running title",
        "repeated header",
    )


def test_prose_commitments_name_their_subject_but_not_a_vision_of_children() -> None:
    actions, result, _ = read("prose_commitments.txt")
    assert [(a.text[:25], a.owners) for a in actions] == [
        ("The Council will continue", ("The Council",)),
        ("We will open two family h", ()),
        ("NHS Tayside will provide ", ("NHS Tayside",)),
        ("We expect all schools to ", ("all schools",)),
    ]
    assert result.skipped[9] == "prose, no commitment found"  # the quotation


def test_lettered_items_of_a_running_list_lose_their_joining_words() -> None:
    actions, _, _ = read("lettered_items_running_list.txt")
    assert [a.text for a in actions][:2] == [
        "offer every care leaver a health check by 2025",
        "publish a mental health pathway for young people",
    ]
    assert {a.owners for a in actions} == {("The Health Board",), ("Partners",)}


def test_below_a_flattened_header_each_label_and_its_paragraph_is_an_outcome_and_action() -> None:
    actions, result, _ = read("flattened_noun_phrases.txt")
    assert [(a.outcome, a.text) for a in actions] == [
        ("Children are safe", "A new child protection training programme for all school staff."),
        ("Children are safe", "Multi-agency chronology guidance reviewed by September 2024."),
    ]
    assert actions[1].due == "2024-09"
    assert result.skipped[3] == result.skipped[4] == "table header"
    assert result.skipped[14] == "prose, no commitment found"  # after "Next steps", not a label


def test_each_commitment_of_a_paragraph_keeps_the_line_it_starts_on() -> None:
    text = "Our plan for every child\nWe will offer advocacy to every child.\nWe will train staff in advocacy.\n"
    result = PARSER.parse(plan_for("p.txt"), lines_from_text(text))
    actions = enrich(plan_for("p.txt"), result)
    assert [(a.source.line, a.id.split(":")[1], a.text) for a in actions] == [
        (2, "L2", "We will offer advocacy to every child."),
        (3, "L3", "We will train staff in advocacy."),
    ]


def test_short_numbered_actions_between_blank_lines_are_actions_not_headings() -> None:
    actions, result, _ = read("short_numbered_actions.txt")
    assert [a.text for a in actions] == [
        "Review respite provision",
        "Open a family hub in Alloa",
        "We will open two family hubs",
    ]
    assert result.skipped[1] == result.skipped[9] == "heading"


def test_registry_reads_a_document_without_a_parser_of_its_own_by_its_layout() -> None:
    from indexer.registry import parser_for

    tab = lines_from_text((FIXTURES / "generic_tab_table.txt").read_text(encoding="utf-8"))
    parser, why = parser_for(plan_for("generic_tab_table.txt"), tab)
    assert (parser.name, why) == ("layout", "no parser of its own; read by its layout")
    named = Plan("p", "generic_tab_table.txt", "C", "T", "promise", 2023, 2026, format="tabular")
    assert parser_for(named, tab)[0].name == "tabular"  # the older parsers by catalogue format only


def test_a_row_split_by_a_page_break_and_a_repeated_header_is_joined() -> None:
    lines = lines_from_text((FIXTURES / "generic_repeated_header.txt").read_text(encoding="utf-8"))
    result = PARSER.parse(plan_for("generic_repeated_header.txt"), lines)
    actions = enrich(plan_for("generic_repeated_header.txt"), result)
    assert [a.text for a in actions] == [
        "Create a single point of contact for families",
        "Improve transitions to adult services for young people leaving care",
        "Extend advocacy to all children in care",
    ]
    assert actions[1].progress == "Recruitment is taking longer than planned."


def test_a_table_printed_one_cell_a_line_is_read_in_its_headers_order() -> None:
    actions, result, _ = read("stacked_cells.txt")
    assert [(a.text, a.owners, a.due_text, a.status) for a in actions] == [
        ("Introduce a kinship care support group in each locality", ("Kinship Team Leader",), "April 2024",
         "complete"),
        ("Develop a transitions protocol for disabled young people moving to adult services",
         ("Head of Additional Support Needs",), "December 2024", "in_progress"),
        ("Recruit ten new foster carers", ("Family Placement Manager",), "Ongoing", "delayed"),
        ("We will report progress to the Partnership each year.", (), None, "unknown"),
    ]  # fmt: skip
    assert "read by: table printed one cell a line (confidence medium)" in actions[0].notes
    assert all(result.skipped[n] == "table header" for n in (3, 4, 5, 6))


def test_indented_field_lines_under_an_item_are_its_fields_not_its_text() -> None:
    text = (
        "Priority 1: Early help\n"
        "Lead officer: Head of Children's Services\n"
        "\n"
        "a) Open a family support hub in each locality, with drop-in advice\n"
        "   and parenting groups\n"
        "   Timescale: March 2025\n"
        "   Update: Two hubs opened in January; the third is being fitted\n"
        "           out and opens in April.\n"
        "   RAG: Amber\n"
        "\n"
        "b) Offer Family Group Decision Making to every family before a child\n"
        "   is looked after away from home\n"
        "   Lead: Family Group Decision Making Co-ordinator\n"
        "   By: December 2024\n"
        "   Status: Complete\n"
    )
    result = PARSER.parse(plan_for("fields.txt"), lines_from_text(text))
    actions = enrich(plan_for("fields.txt"), result)
    assert [(a.text, a.owners_text, a.due, a.status) for a in actions] == [
        ("Open a family support hub in each locality, with drop-in advice and parenting groups",
         "Head of Children's Services", "2025-03", "delayed"),
        ("Offer Family Group Decision Making to every family before a child is looked after away from home",
         "Family Group Decision Making Co-ordinator", "2024-12", "complete"),
    ]  # fmt: skip
    assert actions[0].progress.startswith("Two hubs opened in January")
    assert result.skipped[2] == "owner of the actions below"
