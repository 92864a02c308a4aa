"""Field normalisers: codes, due dates, status scale, foundations, owners, themes."""

from __future__ import annotations

import pytest

from indexer.fields import foundations_from_text, normalise_code, parse_due, split_owners, status_from_text
from indexer.themes import foundations_of_themes, tag_themes


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("SS_IC SAP_VIEW2", "SS_ICSAP_VIEW2"),
        ("SS_ICSAP_IMP1", "SS_ICSAP_IMP1"),
        ("SS_ICCAP_SUB3", "SS_ICSAP_SUB3"),
        ("GC 10", "GC 10"),
        ("WFS5", "WFS 5"),
        ("SAPP  1.1", "SAPP 1.1"),
        ("CPC 4.4", "CPC 4.4"),
    ],
)
def test_codes_have_one_spelling(printed, code):
    assert normalise_code(printed) == code


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("30-Apr-2015", "2015-04-30"),
        ("31- Dec-2024", "2024-12-31"),
        ("31 -Dec- 2023", "2023-12-31"),
        ("31-Mar 2024", "2024-03-31"),
        ("March 2021", "2021-03"),
        ("September 2021", "2021-09"),
        ("Sept 2023", "2023-09"),
        ("December 2015", "2015-12"),
        ("to be completed by December 2023", "2023-12"),
        ("2023 – 2024", "2024"),
        ("2023-25", "2025"),
        ("31/3/26", "2026-03-31"),
        ("Proposed alternative due date of 31/3/26", "2026-03-31"),
        ("22 nd September 2023", "2023-09-22"),
        ("Data tool to be created 2023 – 2024. Tool implemented by 2024", "2024"),
        ("October 14", "2014-10"),
        ("Ongoing", None),
        ("As required", None),
        ("Annually", None),
        ("", None),
        (None, None),
        ("Current", None),
    ],
)
def test_due_dates_become_iso_at_the_printed_precision(text, due):
    assert parse_due(text) == due


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("100%", "complete"),
        ("25%", "in_progress"),
        ("0%", "not_started"),
        ("COMPLETED", "complete"),
        ("Complete", "complete"),
        ("ON TARGET ", "on_track"),
        ("Ongoing", "in_progress"),
        ("As required", "in_progress"),
        ("Superseded by new Action Proposed change of date in line with", "superseded"),
        ("Partially achieved at 31/3/24 Proposed alternative due date of 31/3/26 to review progress.", "in_progress"),
        ("Not achieved at 31/1/24", "delayed"),
        ("Complete; Ongoing", "in_progress"),
        ("Complete; Complete", "complete"),
        ("PROGRESS DELAYED", "delayed"),
        ("", "unknown"),
        ("Lorem ipsum", "unknown"),
    ],
)
def test_status_lands_on_one_scale(text, status):
    assert status_from_text(text) == status


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("5", ["Scaffolding"]),
        ("4,5", ["People", "Scaffolding"]),
        ("2, 5", ["Family", "Scaffolding"]),
        ("1, 3, 4, 5", ["Voice", "Care", "People", "Scaffolding"]),
        ("1, 2, 3, 4,5", ["Voice", "Family", "Care", "People", "Scaffolding"]),
        ("Family Support to nurture love and overcome difficulties", ["Family"]),
        (
            "Children must stay with their brothers and sisters where it is safe to do so and belong to a loving home",
            ["Care"],
        ),
        (
            "Listening to care experienced children and young people and involving them in decision making",
            ["Voice"],
        ),
        ("Promise Foundation", []),
    ],
)
def test_foundations_from_numbers_names_and_phrases(text, names):
    assert foundations_from_text(text) == names


def test_owners_split_on_printed_separators():
    assert split_owners("Kimberley Keenan; Gayle Ferguson") == ["Kimberley Keenan", "Gayle Ferguson"]
    assert split_owners("Beth Maclean /") == ["Beth Maclean"]


@pytest.mark.parametrize(
    ("text", "theme", "word"),
    [
        ("All CECYP to be made aware of independent advocacy through Who Cares? Scotland", "advocacy", "advocacy"),
        (
            "We will ensure all Care Experienced Children and Young People are offered an advocate",
            "advocacy",
            "advocate",
        ),
        ("We will remind siblings about their right to family life", "brothers-and-sisters", "siblings"),
        ("Brothers and sisters live together where safe", "brothers-and-sisters", "brothers and sisters"),
        ("No formal or informal education exclusions", "school-inclusion", "exclusions"),
        ("600 hours for LAC 2 year olds", "early-years", "600 hours"),
        ("nursery place for care experienced 2-5 year-olds", "early-years", "nursery"),
        ("Review and ensure chronologies are fit for purpose", "chronologies", "chronologies"),
        ("Readiness for Practice trauma-informed training", "trauma-informed-practice", "trauma-informed"),
        ("traumainformed practice", "trauma-informed-practice", "traumainformed"),
        ("Language of Care Policy", "language-of-care", "language of care"),
        ("We will implement Functional Family Therapy", "whole-family-support", "functional family therapy"),
    ],
)
def test_themes_are_tagged_with_the_words_that_triggered_them(text, theme, word):
    tags = {t.theme: t.words for t in tag_themes(text)}
    assert theme in tags
    assert word in tags[theme]


@pytest.mark.parametrize(
    ("text", "not_theme"),
    [
        ("South Ayrshire's Parenting Promise will align with The Promise", "parenting-support"),
        ("Corporate parenting training for elected members", "parenting-support"),
        ("identified through the national Participation Database", "voice-and-participation"),
        ("mobile phone devices with data", "data-and-performance"),
    ],
)
def test_false_friends_do_not_trigger_their_lookalike_theme(text, not_theme):
    assert not_theme not in {t.theme for t in tag_themes(text)}


def test_foundations_inferred_from_themes_follow_the_care_review_order():
    assert foundations_of_themes(["youth-justice", "advocacy"]) == ["Voice", "Care"]


@pytest.mark.parametrize(
    ("text", "theme", "tagged"),
    [
        ("We will scale a PACE initiative to ensure children progress to permanence", "placement-stability", True),
        ("Work is progressing at pace across the service", "placement-stability", False),
        ("Work with Scottish Government INSIGHT advisor", "attainment-and-destinations", True),
        ("This gives us insight into what matters", "attainment-and-destinations", False),
        ("Staff attend training on chronologies", "school-inclusion", False),
        ("Monthly attendance tracking implemented", "school-inclusion", True),
    ],
)
def test_acronyms_match_only_in_capitals_and_words_only_in_context(text, theme, tagged):
    assert (theme in {t.theme for t in tag_themes(text)}) is tagged
