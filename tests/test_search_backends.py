"""The two search backends behind one interface: which one an index is written with (argument, environment
variable, size), that they find the same actions with the same facets for every query of the tests and the
worked examples, that their rankings agree closely, and that tantivy's index holds exactly the terms the whoosh
analyzers make (it is written from our analysis, not its own), also when two processes analyse, and that the
fast paths of `indexer.analysis` give what the analyzers give."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import indexer.search as search_module
from graphkit.build import artefact_writers
from graphkit.cli import cli
from graphkit.errors import BadQuery, StoreError
from graphkit.records import Action, Source
from graphkit.store import load_corpus, write_corpus
from indexer.analysis import CODE, EXACT, STEMMED, index_terms, term_spans, tokens
from indexer.search import BACKEND_VARIABLE, TANTIVY_FROM, choose_backend, open_index, search, write_index
from indexer.tantivy_backend import SPACINGS
from tests.test_search import QUERIES
from web import create_app

CASES = json.loads((Path(__file__).parent / "cases" / "queries.json").read_text(encoding="utf-8"))
# Queries of every kind: the recall tests', the independent reader's, and each operator and pattern.
ALL_QUERIES = sorted(
    {q for q, _ in QUERIES}
    | {q["query"] for q in CASES["queries"]}
    | {
        "", "NOT advocacy", "advocacy -rights", "chronologies OR kinship", "(kinship OR foster) carers",
        '"care plan"', '"care leavers"~2', "chronolog*", "advoc*", "chronolog?", "ex*ion", "advocasy~",
        "code:VIEW2", "owners:Purdie", "outcome:siblings", "text:(respite OR breaks)",
    }
)  # fmt: skip

ACTION = Action("d:A-0", "d", "A plan", "Anytown", 2024, (2024, 2026), None, None, "", None, (), None, None, None,
    "unknown", None, None, None, (), None, False, (), (), Source("d", "d.txt", 1))  # fmt: skip


@pytest.fixture(scope="module")
def both(corpus, tmp_path_factory):
    """The bundled plans indexed by each backend."""
    folder = tmp_path_factory.mktemp("both")
    with (
        open_index(write_index(corpus.actions, corpus.plans, folder / "whoosh", "whoosh")) as whoosh,
        open_index(write_index(corpus.actions, corpus.plans, folder / "tantivy", "tantivy")) as tantivy,
    ):
        yield whoosh, tantivy


# --- choosing -----------------------------------------------------------------------------------------------


def test_auto_keeps_whoosh_for_the_bundled_plans_and_takes_tantivy_for_large_corpora(corpus, monkeypatch):
    monkeypatch.delenv(BACKEND_VARIABLE, raising=False)
    assert len(corpus.actions) < TANTIVY_FROM
    assert open_index(corpus.path / "search").backend == "whoosh"  # what `graphkit index` wrote
    assert choose_backend(TANTIVY_FROM - 1) == "whoosh" and choose_backend(TANTIVY_FROM) == "tantivy"


def test_the_argument_wins_over_the_environment_which_wins_over_the_size(monkeypatch):
    monkeypatch.setenv(BACKEND_VARIABLE, "tantivy")
    assert choose_backend(10) == "tantivy"
    assert choose_backend(10, "whoosh") == "whoosh"
    monkeypatch.setenv(BACKEND_VARIABLE, " Auto ")
    assert choose_backend(10) == "whoosh" and choose_backend(10**6) == "tantivy"


def test_an_unknown_backend_is_a_clear_error_before_anything_is_written(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv(BACKEND_VARIABLE, "lucene")
    with pytest.raises(StoreError, match="GRAPHKIT_SEARCH_BACKEND must be whoosh, tantivy or auto, not 'lucene'"):
        write_index(corpus.actions, corpus.plans, tmp_path / "ix")
    assert not (tmp_path / "ix").exists()
    with pytest.raises(StoreError, match="the search backend must be"):
        choose_backend(10, "elastic")


def test_the_index_records_its_backend_and_is_searched_with_it(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(search_module, "TANTIVY_FROM", 10)  # auto, at a size the bundled plans reach
    folder = write_index(corpus.actions, corpus.plans, tmp_path / "ix", "auto")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "tantivy" and meta["version"].startswith("tantivy ")
    with open_index(folder) as opened:
        assert opened.backend == "tantivy"
        with opened.searcher() as searcher:
            assert search(opened, "advocacy", searcher=searcher).total > 0


def test_the_cli_and_the_web_ui_search_a_store_written_with_tantivy(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv(BACKEND_VARIABLE, "tantivy")
    store = tmp_path / "store"
    write_corpus(store, corpus, artefact_writers(corpus))
    monkeypatch.delenv(BACKEND_VARIABLE)  # reading follows the index, not the environment
    assert open_index(load_corpus(store).path / "search").backend == "tantivy"
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)}).test_client()
    data = client.get("/api/search", query_string={"q": "advocacy", "council": "dundee"}).get_json()
    assert data["total"] > 0 and {h["council"] for h in data["hits"]} == {"Dundee"}
    page = client.get("/search", query_string={"q": "advocacy", "council": "dundee"})
    assert page.status_code == 200 and data["hits"][0]["id"].encode() in page.data
    assert client.get("/api/search", query_string={"q": "NOT OR x"}).status_code == 400
    cli_result = CliRunner().invoke(cli, ["search", "Council Tax", "--json", "--store", str(store)])
    assert json.loads(cli_result.output)["total"] > 0


def test_one_open_index_serves_searches_from_several_threads(both):
    """As the web server does: one open index, a searcher per request, requests on their own threads."""
    expected = {ix.backend: search(ix, "advocacy", council="Dundee").total for ix in both}
    got: list[tuple[str, int]] = []

    def request(index):
        with index.searcher() as searcher:
            got.append((index.backend, search(index, "advocacy", council="Dundee", searcher=searcher).total))

    threads = [threading.Thread(target=request, args=(ix,)) for ix in both for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == sorted((backend, n) for backend, n in expected.items() for _ in range(4))


# --- the same answers ---------------------------------------------------------------------------------------


def test_both_backends_find_the_same_actions_with_the_same_facets(both):
    whoosh, tantivy = both
    for query in ALL_QUERIES:
        for options in ({}, {"exact": True}, {"council": "Dundee"}):
            mine, theirs = search(whoosh, query, limit=200, **options), search(tantivy, query, limit=200, **options)
            assert (mine.total, mine.partial_total) == (theirs.total, theirs.partial_total), (query, options)
            if mine.total + mine.partial_total <= 200:  # else the ranking picks which 200 are shown
                assert {h.id for h in mine.hits} == {h.id for h in theirs.hits}, (query, options)
            assert mine.facets == theirs.facets, (query, options)
            assert mine.terms == theirs.terms


WORDS = [
    "advocacy", "care", "young", "people", "children", "trauma", "informed", "siblings", "kinship", "carers",
    "exclusion", "training", "CECYP", "VHT", "GC", "10", "family", "support", "housing", "rights", "plan",
    '"care plan"', '"young people"~2', '"family support"~3', "chronolog*", "advoc*", "tra?ning", "famil*", "suport~",
    "advocasy~", "text:care", "outcome:support", "owners:Purdie", "code:GC", "NOT", "OR", "AND", "-rights", "(", ")",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), exact=st.booleans())
def test_any_query_finds_the_same_actions_on_both(both, words, exact):
    whoosh, tantivy = both
    answers = []
    for index in both:
        try:
            found = search(index, " ".join(words), limit=200, exact=exact)
        except BadQuery as exc:
            answers.append(str(exc))
        else:
            shown = found.total + found.partial_total
            every = {h.id for h in found.hits} if shown <= 200 else None  # else the ranking picks the page
            answers.append((found.total, found.partial_total, every, found.facets))
    assert answers[0] == answers[1]


def test_an_empty_query_lists_in_plan_order_on_both_and_pages_alike(both, corpus):
    listings = [[h.id for p in (1, 2, 3) for h in search(ix, "", limit=100, page=p).hits] for ix in both]
    assert listings[0] == listings[1] == [a.id for a in corpus.actions]


SLOPPY = [
    "alpha beta gamma", "alpha delta beta delta gamma", "alpha delta delta beta gamma",
    "alpha delta delta delta beta gamma", "alpha beta delta delta delta gamma", "beta alpha gamma",
    "alpha delta delta beta delta delta gamma", "gamma beta alpha", "alpha gamma beta",
    "alpha alpha beta beta gamma gamma", "beta gamma alpha beta",
    "one two three four five six", "one pad two pad pad three four pad pad pad pad pad pad pad pad pad pad five six",
    "six five four three two one",
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"alpha beta gamma"', {0}),
        ('"alpha beta gamma"~1', {0, 1, 9}),  # at most one word between each two
        ('"alpha beta gamma"~2', {0, 1, 2, 6, 9}),
        ('"beta alpha"~2', {5, 7, 10}),  # in order: "alpha beta" is not "beta alpha" however loose
        ('"one two three four five six"~10', {11, 12}),
        ('"one two three four five six"~9', {11}),  # 10 words between four and five
    ],
)
def test_sloppy_phrases_keep_their_words_in_order_and_in_reach_on_both(tmp_path, query, expected):
    """Exactly so on whoosh, and on tantivy while a phrase has few spacings to ask (`SPACINGS`); a longer, looser
    phrase is asked there as tantivy's own sloppy phrase, which finds what whoosh finds and words further apart."""
    actions = [replace(ACTION, id=f"d:A-{n}", text=text) for n, text in enumerate(SLOPPY)]
    words, _, slop = query[1:].partition('"')
    exact = len(words.split()) == 2 or (int(slop[1:] or 0) + 1) ** (len(words.split()) - 1) <= SPACINGS
    found = {}
    for backend in ("whoosh", "tantivy"):
        hits = search(write_index(actions, [], tmp_path / backend, backend), query, limit=50).hits
        found[backend] = {int(h.id.rpartition("-")[2]) for h in hits}
    assert found["whoosh"] == expected
    assert found["tantivy"] == expected if exact else found["tantivy"] >= expected


def test_the_rankings_agree_closely(both):
    """BM25F (whoosh) and BM25 (tantivy) weigh rarity a little differently; on the bundled plans the first hit is
    the same for 106 of 108 queries and the top tens share 99% of their actions (measured)."""
    whoosh, tantivy = both
    same_first, shared = 0, []
    for query in ALL_QUERIES:
        mine = [h.id for h in search(whoosh, query, limit=10).hits]
        theirs = [h.id for h in search(tantivy, query, limit=10).hits]
        same_first += mine[:1] == theirs[:1]
        if mine:
            shared.append(len(set(mine) & set(theirs)) / len(mine))
    assert same_first >= 0.95 * len(ALL_QUERIES)
    assert sum(shared) / len(shared) >= 0.97


def test_tantivy_scores_keep_field_weights_and_ranks_by_them(both):
    _, tantivy = both
    result = search(tantivy, "advocacy", limit=50)
    first = [h.score for h in result.hits if h.kind == "all"]  # the second tier is ranked on its own
    assert len(first) == result.total and first == sorted(first, reverse=True)
    assert all(h.score > 0 for h in result.hits)
    assert {h.score for h in search(tantivy, "", limit=5).hits} == {0.0}


# --- tantivy holds our analysis -----------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200))
def test_index_terms_and_term_spans_are_the_analyzers_terms(text):
    assert index_terms(text) == (tokens(EXACT, text), tokens(STEMMED, text))
    for analyzer in (EXACT, STEMMED, CODE):
        assert term_spans(analyzer, text) == [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True)]


def test_index_terms_on_every_bundled_text(corpus):
    for action in corpus.actions:
        for text in (action.text, action.outcome, action.progress, *action.owners):
            assert index_terms(text or "") == (tokens(EXACT, text or ""), tokens(STEMMED, text or ""))


def test_tantivy_analysing_in_two_processes_answers_like_one_process(tmp_path, corpus, both, monkeypatch):
    monkeypatch.setattr("indexer.tantivy_backend.PARALLEL_FROM", 0)  # what large corpora get
    monkeypatch.setattr("indexer.tantivy_backend.CHUNK", 40)  # several pieces, more than are in flight at once
    # as `graphkit index` runs it: no other thread (earlier tests in this process may leave idle server threads,
    # which would make the backend analyse in one process rather than fork)
    monkeypatch.setattr("indexer.tantivy_backend.threading.active_count", lambda: 1)
    pools = []

    def pool(*args, **kwargs):
        pools.append(ProcessPoolExecutor(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr("indexer.tantivy_backend.ProcessPoolExecutor", pool)
    with open_index(write_index(corpus.actions, corpus.plans, tmp_path / "ix", "tantivy")) as two:
        for query, options in [("advocacy", {}), ("training", {"council": "Dundee"}), ("", {"theme": "advocacy"})]:
            mine, theirs = search(two, query, limit=200, **options), search(both[1], query, limit=200, **options)
            assert [(h.id, round(h.score, 4)) for h in mine.hits] == [(h.id, round(h.score, 4)) for h in theirs.hits]
            assert mine.facets == theirs.facets
    assert len(pools) == 1  # the work was done by worker processes
