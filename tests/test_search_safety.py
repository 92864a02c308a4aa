"""No query breaks search: random and hostile strings (thousands, by hypothesis) give results or a BadQuery with
a reason, never another exception, on both backends (whoosh and tantivy). Each search runs under a time limit
(whoosh's collection limit; tantivy's checked between stages), and the query language caps what is costly before
collection (length, words, wildcards, fuzzy words); timing itself is in bench/."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.errors import BadQuery
from indexer.expansion import equivalents
from indexer.query import compile_query
from indexer.query_parser import MAX_QUERY_CHARS, MAX_TERMS
from indexer.search import search
from tests import search_fixtures

search_index = search_fixtures.search_index  # a fixture: each test using it runs on whoosh and on tantivy

TIME_LIMIT = 3.0  # seconds of collection per query; the real corpus answers in milliseconds

TOKENS = [
    "AND", "OR", "NOT", "and", "or", "not", "(", ")", '"', "'", "*", "?", "~", "~2", "~1", "^2", ":", "::",
    "text:", "code:", "owners:", "owner:", "outcome:", "progress:", "year:", "council:", "theme:", "foo:", "-", "+",
    "--", "\\", "/", "[", "]", "{", "}", "[a TO z]", ">R", "<p>", "</p>", "&lt;p&gt;", "&amp;", "<script>",
    "advocacy", "siblings", "brothers", "sisters", "CECYP", "VHT", "care", "trauma", "informed", "exclusion",
    "a*", "co*", "ex*ion", "advoc?cy", "advocasy~", "*care", "?are", "aaaaaaaaaaaaaaaaaaaaaaaa~", "ca~",
    "GC 10", "SAPP 10.3", "SS_ICSAP_VIEW2", "10.3", "\x00", "\udcff", "\u202e", "\u00ad", "é", "ß", "ﬁ", "𝔞",
    "٣", "中文", "\n", "\t", "“", "”", "x" * 60,
]  # fmt: skip

any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=MAX_QUERY_CHARS + 20)
words = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=40)
hostile = st.tuples(words, st.sampled_from([" ", "", "  ", " ) ", " (", '"'])).map(lambda p: p[1].join(p[0]))
queries = st.one_of(any_text, hostile)


@pytest.fixture(scope="session")
def index(search_index):
    with search_index.searcher() as searcher:
        yield search_index, searcher


def run(index, query: str, **options):
    """Search, and check what came back: a well-formed page of results, or a BadQuery that says why."""
    opened, searcher = index
    try:
        result = search(opened, query, searcher=searcher, time_limit=TIME_LIMIT, **options)
    except BadQuery as exc:
        assert str(exc).strip()
        return None
    shown = result.total + result.partial_total  # both tiers: every word, then some (or a theme they name)
    assert shown >= len(result.hits) and len(result.hits) <= result.limit
    for hit in result.hits:
        assert hit.snippet_text().count("«") == sum(f.match for f in hit.snippet)
    assert sum(v.count for v in result.facets["plan"]) == shown
    return result


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries)
def test_any_query_string_gives_results_or_a_bad_query(index, query):
    run(index, query)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=hostile, exact=st.booleans(), page=st.integers(-2, 600), limit=st.integers(-1, 300))
def test_hostile_queries_with_any_options(index, query, exact, page, limit):
    run(index, query, exact=exact, page=page, limit=limit)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["council", "year", "theme", "foundation", "plan", "pillar", "owner", "status"]),
    value=st.one_of(st.text(max_size=40), st.integers(), st.sampled_from(["Dundee", "advocacy", "VOICE", "2015"])),
)
def test_any_filter_value_gives_results_or_a_bad_query(index, name, value):
    run(index, "care", **{name: value})


@settings(max_examples=1500, deadline=None)
@given(query=queries)
def test_parsing_never_raises_anything_but_bad_query_and_stays_bounded(query):
    try:
        compiled = compile_query(query)
    except BadQuery:
        return
    largest_group = max(len(group) for group in equivalents().values())
    assert len(compiled.terms) <= MAX_TERMS * largest_group


KNOWN_BREAKERS = [
    "NOT OR x", ">R", "year:", '"unbalanced', 'text:"', "code:(", "(((", ")))", "NOT NOT NOT x", "*:*", "*", "?",
    "~", "x~999999999999999999999", '"a b"~99999999999999999999', "a" * 10_000, "\\", "[a TO z]", "{a TO z}",
    "advocacy^999", "^", "AND AND", "OR", "( )", "(" * 50 + ")" * 50, "te?t:x", "\x00\x01\x02", "\udcff\udcfe",
    "-" * 495 + "care", "+-" * 247 + "care", "text:" * 100 + "care", '"' + "care " * 99 + '"', "(care) " * 70,
]  # fmt: skip


@pytest.mark.parametrize("query", KNOWN_BREAKERS)
def test_inputs_that_break_whoosh_s_own_parser(index, query):
    run(index, query)


def test_a_query_over_the_time_limit_is_refused_with_a_reason(index, monkeypatch):
    """whoosh raises TimeLimit from collection, tantivy's search checks the clock between stages; search turns
    either into a BadQuery that says what to change."""
    if index[0].backend == "whoosh":
        from whoosh.collectors import TimeLimit, TimeLimitCollector

        class Expired(TimeLimitCollector):
            def collect_matches(self):
                raise TimeLimit

        monkeypatch.setattr("indexer.whoosh_backend.TimeLimitCollector", Expired)
    else:
        clock = itertools.count(0, 2)  # every look at the clock finds two more seconds gone
        monkeypatch.setattr("indexer.tantivy_backend.monotonic", lambda: next(clock))
    with pytest.raises(BadQuery, match="took longer than 3 s: make it more specific"):
        search(index[0], "care", time_limit=3)
    monkeypatch.undo()
    assert search(index[0], "care", time_limit=3).total > 0
