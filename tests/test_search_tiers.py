"""Search that does not dead-end, on the bundled plans and on both backends: the actions holding every word first,
then those holding some of them or tagged with a theme the query names (`indexer.broaden`), each saying why;
snippets from the action's own text; `--exact` keeping to complete matches.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from indexer.search import search
from tests import search_fixtures

search_index, search_store = search_fixtures.search_index, search_fixtures.search_store  # whoosh, then tantivy

ORDER = ("all", "some", "theme")


@pytest.fixture
def index(search_index):
    return search_index


def holds(action, *patterns: str) -> bool:
    said = " ".join(f or "" for f in (action.text, action.outcome, action.progress, " ".join(action.owners)))
    return all(re.search(p, said, re.I) for p in patterns)


def test_care_leavers_housing_lists_the_complete_match_then_the_partial_ones(corpus, index):
    result = search(index, "care leavers housing", limit=20)
    kinds = [h.kind for h in result.hits]
    assert result.total >= 1 and kinds[: result.total] == ["all"] * result.total
    assert set(kinds[result.total :]) <= {"some", "theme"} and result.partial_total >= 10
    for hit in result.hits[: result.total]:
        assert holds(corpus.action(hit.id), r"\bcare\b", r"\bleavers?\b", r"\bhousing\b")
    # the actions about both leaving care and housing (by their themes) come first among the rest
    both = {a.id for a in corpus.actions if {"leaving-care", "housing"} <= set(a.themes)}
    assert len(both) >= 3 and both <= {h.id for h in result.hits[: len(both) + 2]}
    # every partial hit says what it holds: some of the words, or a theme the query names
    for hit in result.hits[result.total :]:
        assert hit.matched and all(m.field == "theme" for m in hit.matched) == (hit.kind == "theme")


def test_partial_matches_holding_more_parts_come_first(index):
    result = search(index, "kinship carers housing", limit=60)
    rest = [h for h in result.hits if h.kind != "all"]
    held = [len({m.term for m in h.matched if m.field != "theme"}) for h in rest]
    assert rest and held[0] >= held[-1]


def test_participation_also_finds_the_actions_tagged_with_its_theme_saying_so(corpus, index):
    result = search(index, "participation", limit=100)
    tagged = {a.id for a in corpus.actions if "voice-and-participation" in a.themes}
    found = {h.id for h in result.hits}
    assert tagged <= found
    themed = [h for h in result.hits if h.kind == "theme"]
    assert len(themed) >= 5
    for hit in themed:
        assert "voice-and-participation" in corpus.action(hit.id).themes
        assert "theme: Voice and participation" in [str(m) for m in hit.matched]
        assert not holds(corpus.action(hit.id), r"\bparticipa")
    kinds = [h.kind for h in result.hits]
    assert kinds == sorted(kinds, key=ORDER.index)  # the literal matches first
    assert result.themes == ("Voice and participation",)


def test_a_synonym_of_a_theme_finds_its_actions(corpus, index):
    """ "foster carers" names the theme of foster, kinship and adoptive carers: its kinship actions follow."""
    result = search(index, "foster carers", limit=100)
    kinship = {a.id for a in corpus.actions if "carers" in a.themes and holds(a, r"\bkinship\b")}
    assert kinship and kinship <= {h.id for h in result.hits}


def test_snippets_come_from_the_actions_own_text_when_it_matches(corpus, index):
    result = search(index, "participation", limit=20)
    for hit in result.hits:
        if any(m.field == "text" for m in hit.matched):
            assert hit.snippet_field == "text" and any(f.match for f in hit.snippet), hit.id
    # hits sharing one outcome ("Meaningful engagement and participation") are told apart by their own words
    texts = {corpus.action(h.id).text for h in result.hits if corpus.action(h.id).text}
    snippets = {h.snippet_text() for h in result.hits if corpus.action(h.id).text}
    assert len(snippets) == len(texts)


def test_exact_keeps_to_actions_holding_every_word(index):
    result = search(index, "participation", exact=True, limit=100)
    assert result.partial_total == 0 and result.themes == ()
    assert {h.kind for h in result.hits} == {"all"} and len(result.hits) == result.total
    assert search(index, "care leavers housing", exact=True).partial_total == 0


def test_a_second_tier_keeps_what_the_query_excludes_out(corpus, index):
    result = search(index, "care leavers housing -tax", limit=100)
    assert result.partial_total and not any(holds(corpus.action(h.id), r"\btax\b") for h in result.hits)


def test_pages_run_on_from_the_complete_matches_into_the_partial_ones(index):
    whole = [h.id for h in search(index, "care leavers housing", limit=8).hits]
    pages = [h.id for p in (1, 2) for h in search(index, "care leavers housing", limit=4, page=p).hits]
    assert pages == whole and len(whole) == 8
    result = search(index, "care leavers housing", limit=4, page=2)
    assert [h.rank for h in result.hits] == [5, 6, 7, 8]
    assert result.pages == -(-(result.total + result.partial_total) // 4)


def test_the_cli_labels_the_partial_matches_and_says_why(search_store):
    result = CliRunner().invoke(cli, ["search", "care leavers housing", "--limit", "6", "--store", str(search_store)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1 action matches 'care leavers housing'; ")
    assert "more matching some of your words or a theme they name" in lines[0]
    assert "theme Housing and accommodation" in lines[0]
    label = lines.index("  -- matching some of your words or a theme they name:")
    assert lines[label - 3].strip().startswith("1. ") and lines[label + 1].strip().startswith("2. ")
    assert "theme: Leaving care, continuing care and aftercare" in result.output
    data = json.loads(
        CliRunner().invoke(cli, ["search", "participation", "--json", "--store", str(search_store)]).output
    )
    assert data["themes"] == ["Voice and participation"] and data["partial_total"] > 0
    assert {h["kind"] for h in data["hits"]} <= {"all", "some", "theme"}


def test_the_web_page_lists_the_partial_matches_under_their_own_heading(client):
    page = client.get("/search", query_string={"q": "care leavers housing"})
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    complete, _, partial = text.partition('<h2 class="tier" id="partial">Matching some of your words or a theme they')
    assert partial and complete.count('data-kind="all"') == 1 and 'data-kind="all"' not in partial
    assert "theme: Housing and accommodation" in partial
    assert "more match some of your words or a theme they name" in complete


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("chronolgies", "chronologies"), ("kinshp carers", "kinship carers"), ("advocasy", "advocacy")],
)
def test_a_misspelt_query_suggests_the_closest_words_the_plans_hold(index, typed, meant):
    result = search(index, typed)
    assert result.total == 0 and result.suggestions == (meant,)
    assert search(index, meant).total > 0


@pytest.mark.parametrize("query", ["chronologies", "knife crime", "school bullying", "advocacy OR kinshp"])
def test_no_suggestion_for_known_words_or_nothing_close(index, query):
    assert search(index, query).suggestions == ()


def test_the_web_page_and_the_cli_offer_the_suggestion(client, search_store):
    text = html.unescape(client.get("/search", query_string={"q": "chronolgies"}).get_data(as_text=True))
    assert re.search(r'Did you mean <a href="[^"]*q=chronologies[^"]*">chronologies</a>\?', text)
    result = CliRunner().invoke(cli, ["search", "chronolgies", "--store", str(search_store)])
    assert result.output.startswith("no action matches 'chronolgies'; did you mean 'chronologies'?")
