"""Search facets in people's words, on the bundled plans and on both backends: owners folded as /owners folds them,
statuses as the badges say them, plans by their full titles; and every facet value still filters (round trip).
"""

from __future__ import annotations

import html
import re

import pytest

from graphkit.records import STATUS_LABELS
from indexer.search import search
from tests import search_fixtures

search_index = search_fixtures.search_index  # each test using it runs on whoosh and on tantivy

PERMANENCE = ("Senior Manager (Permanence)", "Senior Manager: Permanence", "Senior Manager Permanence")


@pytest.fixture
def index(search_index):
    return search_index


def test_the_owner_facet_folds_the_spellings_of_one_role(corpus, index):
    printed = {a.id for a in corpus.actions if set(a.owners) & set(PERMANENCE)}
    spellings = {o for a in corpus.actions for o in a.owners if o in PERMANENCE}
    assert len(spellings) >= 2  # the plans print it more than one way
    owners = search(index, "", limit=1).facets["owner"]
    permanence = [v for v in owners if "permanence" in v.label.casefold()]
    assert len(permanence) == 1 and permanence[0].count == len(printed)
    assert permanence[0].label in PERMANENCE
    # and a person printed two ways within one council ("Chris Sutton, Service Manager ..." and "Christine Sutton")
    sutton = [v for v in owners if "sutton" in v.label.casefold()]
    assert [v.label for v in sutton] == ["Christine Sutton"]
    assert sutton[0].count == len({a.id for a in corpus.actions if any("Sutton" in o for o in a.owners)})


def test_an_owner_filters_by_its_facet_value_its_label_or_any_printed_spelling(corpus, index):
    owners = search(index, "", limit=1).facets["owner"]
    value = next(v for v in owners if "permanence" in v.label.casefold())
    expected = {a.id for a in corpus.actions if set(a.owners) & set(PERMANENCE)}
    for typed in (value.value, value.label, *PERMANENCE):
        result = search(index, "", owner=typed, limit=50)
        assert {h.id for h in result.hits} == expected, typed
    assert search(index, "", owner="Chris Sutton", limit=1).total == next(
        v.count for v in owners if "Sutton" in v.label
    )


def test_every_facet_value_filters_to_its_count(index):
    """The round trip a click makes: the facet's value as the filter gives as many actions as it counted."""
    result = search(index, "training", limit=1)
    for name in ("owner", "status", "plan"):
        for value in result.facets[name]:
            filtered = search(index, "training", limit=1, **{name: value.value})
            assert filtered.total + filtered.partial_total == value.count, (name, value)


def test_statuses_are_named_as_the_badges_name_them(index):
    result = search(index, "", limit=1)
    labels = {v.value: v.label for v in result.facets["status"]}
    assert labels == {v: STATUS_LABELS[v] for v in labels}
    assert {"In progress", "Status unknown"} <= set(labels.values())
    assert search(index, "", status="Status unknown", limit=1).total == search(index, "", status="unknown").total


def test_plans_are_named_by_their_full_titles(corpus, index):
    labels = {v.value: v.label for v in search(index, "", limit=1).facets["plan"]}
    assert labels == {p.id: p.title for p in corpus.plans if p.id in labels}
    assert max(len(t) for t in labels.values()) > 60  # long titles are kept whole


def test_the_web_facets_show_full_names_and_filter_when_clicked(client, corpus):
    page = html.unescape(client.get("/search", query_string={"q": "training"}).get_data(as_text=True))
    longest = max((p.title for p in corpus.plans), key=len)
    assert f'<span class="facet-label">{longest}</span>' in page
    assert '<span class="facet-label">In progress</span>' in page and ">in_progress<" not in page
    link = re.search(r'<a href="([^"]*owner=[^"]*)" title="Senior Manager \(Permanence\)">', page)
    assert link
    filtered = html.unescape(client.get(link.group(1)).get_data(as_text=True))
    assert "Owner: Senior Manager (Permanence) ✕" in filtered
