"""Full-text search on the real bundled plans: recall of actions found by reading the plans, ranking, stemming,
synonyms and acronyms, exact words, operators, filters and facets, snippets, the CLI, and atomic index builds.
Every test that searches runs on both backends, whoosh and tantivy (`tests.search_fixtures`).

Expected actions are named by code, or by a quote from the plan for plans without codes; they were found by
reading data/plans/*.txt (and grepping them), not by running the search.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.build import artefact_writers
from graphkit.cli import cli
from graphkit.errors import BadQuery, StoreError
from graphkit.store import build_lock, load_corpus, write_corpus
from indexer.analysis import stem
from indexer.normalise import clean_text
from indexer.results import MARKS
from indexer.search import BACKEND_VARIABLE, open_index, search, write_index
from tests import search_fixtures
from tests.conftest import DOCS

# fixtures: each test using one runs on whoosh and on tantivy
search_index, search_store = search_fixtures.search_index, search_fixtures.search_store
BACKENDS = search_fixtures.BACKENDS

TEXT_FIELDS = ("text", "outcome", "progress", "status_text", "due_text")


@pytest.fixture
def index(search_index):
    return search_index


def norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


def find(corpus, doc: str, ref: str) -> str:
    """The id of the action of document `doc` ("000".."004") with code `ref`, else the one action whose text
    (or outcome, progress, status, timescale, notes) holds the quote `ref`."""
    document = DOCS[doc]
    actions = [a for a in corpus.actions if a.document == document]
    coded = [a for a in actions if a.code and norm(a.code) == norm(ref)]
    if coded:
        return coded[0].id
    quoted = [
        a for a in actions if norm(ref) in norm(" ".join([*(getattr(a, f) or "" for f in TEXT_FIELDS), *a.notes]))
    ]
    assert len(quoted) == 1, f"{doc} {ref!r} names {len(quoted)} actions"
    return quoted[0].id


def ids(index, query: str, limit: int = 20, **filters) -> list[str]:
    return [h.id for h in search(index, query, limit=limit, **filters).hits]


def everything(index, query: str, **options) -> set[str]:
    """The actions holding every part of the query (the first tier: the query language's own matches)."""
    result = search(index, query, limit=200, **options)
    assert result.total <= 200
    return {h.id for h in result.hits if h.kind == "all"}


# --- recall: what a person reading the plans expects a search to find (top 20) -----------------------------

QUERIES = [
    ("advocacy", [("000", "GC 10"), ("001", "SS_ICSAP_VIEW2"), ("001", "SS_ICSAP_VIEW3"),
                  ("001", "Bi-annual reporting to the MACIG on progress"),
                  ("001", "A report on recommendations to go to the MACIG"),
                  ("002", "are offered an advocate")]),
    ("chronologies", [("001", "SS_ICSAP_RISK5"), ("001", "SS_ICSAP_RISK6"), ("004", "CPC 4.4"),
                      ("001", "NRAF Training completed for managers December 2014"),
                      ("001", "2 x audits of CP cases pre and post New Year")]),
    ("chronology", [("001", "SS_ICSAP_RISK6"), ("004", "CPC 4.4")]),
    ("Council Tax", [("002", "exempt from Council Tax until aged 26")]),
    ("continuing care", [("002", "remain in Continuing Care")]),
    ("respite", [("002", "Safe Families to provide targeted respite support"),
                 ("002", "respite arrangements for families with children with a disability"), ("003", "SAPP 5.3")]),
    ("short breaks", [("003", "SAPP 5.3"), ("002", "Safe Families to provide targeted respite support"),
                      ("002", "respite arrangements for families with children with a disability")]),
    ("Safe and Together", [("002", "impact of Safe and Together"), ("004", "CPC 4.5")]),
    ("kinship", [("000", "STW 1"), ("002", "Kinship Hub"), ("002", "Kinship Panel"),
                 ("002", "sufficient house space to care for sibling groups")]),
    ("foster carers", [("000", "STW 1"), ("000", "GC 7"), ("002", "increase the capacity of foster carers"),
                       ("002", "sufficient house space to care for sibling groups")]),
    ("nursery", [("002", "offered a nursery place")]),
    ("600 hours", [("001", "SS_ICSAP_SUPP3")]),
    ("Early Years Collaborative", [("001", "SS_ICSAP_SUPP2")]),
    ("parenting strategy", [("001", "SS_ICSAP_SUPP4"), ("002", "Tayside Parenting Strategy")]),
    ("secure care", [("002", "new Secure Care Standards"), ("000", "GC 9")]),
    ("Functional Family Therapy", [("002", "Functional Family Therapy")]),
    ("MAASH", [("001", "SS_ICSAP_RESP1")]),
    ("UNCRC", [("000", "P 4")]),
    ("elected members", [("003", "SAPP 1.2")]),
    ("Champions Board", [("003", "SAPP 1.1")]),
    ("free travel", [("003", "SAPP 7.2")]),
    ("Wi-Fi", [("003", "SAPP 7.3")]),
    ("protected characteristic", [("003", "SAPP 7.1")]),
    ("learning reviews", [("004", "CPC 1.3"), ("004", "CPC 1.4"), ("004", "CPC 2.3"), ("004", "CPC 4.6")]),
    ("pre birth", [("004", "CPC 3.3")]),
    ("e-safety", [("004", "CPC 8.2")]),
    ("Vardy Foundation", [("000", "WFS 4"), ("000", "BC 1")]),
    ("Youth in Iceland", [("002", "Youth in Iceland model")]),
    ("guaranteed interview scheme", [("000", "GC 11")]),
    ("youth justice", [("000", "GC 8")]),
    ("named person", [("002", "revised arrangements for Named Person"), ("001", "SS_ICSAP_INT1")]),
    ("housing", [("002", "outright priority for housing options"), ("000", "P 2")]),
    ("employability", [("002", "monthly multi-agency Employability Support drop-in"),
                       ("002", "quarterly multi-agency employability support forum"),
                       ("002", "transition and employability needs")]),
    ("apprenticeship", [("002", "career and apprenticeship opportunities")]),
    ("Pause", [("002", "Pause Programme")]),
    ("self-evaluation", [("002", "annual multi-agency self-evaluation of practice"),
                         ("002", "larger quarterly single service self-evaluation"),
                         ("002", "new Secure Care Standards"), ("001", "SS_ICSAP_SE1")]),
    ("domestic abuse", [("002", "domestic abuse is problematic"), ("002", "victims of domestic abuse")]),
    # stemming: one word form finds the others
    ("exclude", [("000", "GC 1"), ("003", "SAPP 10.3"), ("002", "children at risk of exclusion")]),
    ("excluded", [("000", "GC 1"), ("003", "SAPP 10.3"), ("002", "children at risk of exclusion")]),
    # synonyms and acronyms, both ways
    ("siblings", [("000", "GC 7"), ("002", "sufficient house space to care for sibling groups"),
                  ("002", "remind siblings about their right to family life"), ("002", "including siblings")]),
    ("brothers and sisters", [("000", "GC 7"), ("002", "remind siblings about their right to family life")]),
    ("substance misuse", [("001", "SS_ICSAP_SUB3"), ("002", "carers with substance use problems")]),
    ("looked after children", [("001", "SS_ICSAP_SUPP3")]),
    ("CECYP", [("002", "are offered an advocate"), ("000", "GC 10")]),
    ("VHT", [("000", "GC 1"), ("000", "STW 6")]),
    ("virtual headteacher", [("000", "GC 1"), ("000", "GC 4")]),
    # codes
    ("GC 10", [("000", "GC 10")]),
    ("SAPP 10.3", [("003", "SAPP 10.3")]),
    ("SS_ICSAP_VIEW2", [("001", "SS_ICSAP_VIEW2")]),
]  # fmt: skip


@pytest.mark.parametrize(("query", "refs"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_the_actions_a_reader_expects(corpus, index, query, refs):
    got = ids(index, query)
    missing = [ref for ref in refs if find(corpus, *ref) not in got]
    assert not missing, f"{query!r} misses {missing} in its top 20: {got}"


def examples():
    """The worked examples (tests/cases/examples.json, a copy of ../shared/examples.json)."""
    path = Path(__file__).parent / "cases" / "examples.json"
    return [pytest.param(e, id=e["query"]) for e in json.loads(path.read_text(encoding="utf-8"))["queries"]]


@pytest.mark.parametrize("example", examples())
def test_shared_examples_return_every_must_item_in_the_top_20(corpus, index, example):
    got = ids(index, example["query"])
    for must in example["must"]:
        doc = must["file"][:3]
        ref = must.get("code") or must.get("unique_quote") or must["quote"]
        assert find(corpus, doc, ref) in got, (example["query"], must)


def test_advocacy_finds_every_advocacy_action_of_every_plan_best_first(corpus, index):
    result = search(index, "advocacy", limit=50)
    got = [h.id for h in result.hits]
    about = re.compile(r"\badvoca(?:cy|te|tes)\b", re.I)
    expected = {a.id for a in corpus.actions if about.search(" ".join(getattr(a, f) or "" for f in TEXT_FIELDS))}
    assert expected <= set(got)
    assert len({corpus.action(i).document for i in expected}) >= 3  # the 2015, 2023 and Dundee plans at least
    # best first: actions whose own text is about advocacy come before those that mention it in passing
    in_text = [i for i in got if about.search(corpus.action(i).text or "")]
    passing = [i for i in got if i not in in_text]
    assert max(got.index(i) for i in in_text) < min(got.index(i) for i in passing)
    assert got[0] == find(corpus, "000", "GC 10")
    # every action holding the word, best first; then those tagged with the advocacy theme alone
    kinds = [h.kind for h in result.hits]
    assert kinds == sorted(kinds, key=["all", "some", "theme"].index) and kinds.count("all") == result.total
    first = [h.score for h in result.hits if h.kind == "all"]
    assert first == sorted(first, reverse=True)


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("advocacy", r"\badvoca(?:cy|te|tes)\b"),
        ("exclusion", r"\bexclu(?:de|ded|des|ding|sion|sions)\b"),
        ("chronologies", r"\bchronolog(?:y|ies)\b"),
        ("siblings", r"\bsiblings?\b|\bbrothers? (?:and|or) sisters?\b"),
        ("respite", r"\brespite\b|\bshort breaks?\b"),
        ("kinship", r"\bkinship\b"),
    ],
)
def test_every_action_holding_a_word_form_is_found(corpus, index, query, pattern):
    fields = ("text", "outcome", "progress")
    holds = re.compile(pattern, re.I)
    expected = {a.id for a in corpus.actions if holds.search(" ".join(getattr(a, f) or "" for f in fields))}
    assert expected and expected <= everything(index, query)


# --- analysis: stemming, synonyms, acronyms, exact words ---------------------------------------------------


def test_stemming_joins_exclude_exclusion_and_excluded():
    assert len({stem(w) for w in ("exclude", "excluded", "excludes", "exclusion", "exclusions")}) == 1
    assert stem("commission") != stem("commit")  # the recoding step must not join commissioning and commitment


def test_word_forms_find_the_same_actions(index):
    assert everything(index, "exclude") == everything(index, "exclusion") == everything(index, "excluded")


def test_synonym_hits_say_which_expanded_term_matched(corpus, index):
    result = search(index, "siblings")
    gc7 = next(h for h in result.hits if h.id == find(corpus, "000", "GC 7"))
    assert any(
        m.term == "brothers and sisters" and m.expanded_from == "siblings" and m.via == "synonym" for m in gc7.matched
    )
    assert ("brothers and sisters", "siblings") in {(t.text, t.expanded_from) for t in result.terms}
    direct = next(h for h in result.hits if h.id == find(corpus, "002", "remind siblings about their right"))
    assert any(m.term == "siblings" and m.expanded_from is None and m.field == "text" for m in direct.matched)


def test_acronym_expansion_matches_the_spelled_out_words(corpus, index):
    result = search(index, "CECYP")
    dundee = next(h for h in result.hits if h.id == find(corpus, "002", "are offered an advocate"))
    assert "cecyp" not in norm(corpus.action(dundee.id).text)
    assert any(m.via == "acronym" and m.expanded_from == "CECYP" for m in dundee.matched)
    assert any(f.match and norm(f.text) == "care experienced children and young people" for f in dundee.snippet)


@pytest.mark.parametrize("word", ["exclusion", "advocacy", "siblings", "respite", "chronologies", "kinship", "Pause"])
def test_exact_finds_exactly_the_actions_holding_the_word(corpus, index, word):
    """--exact: no stemming, no synonyms; compared with a regular expression over the indexed fields."""
    holds = re.compile(rf"(?<![\w.])(?<!\w\.){re.escape(word)}(?!\.?\w)", re.I)

    def indexed_text(a):
        return " ".join(clean_text(v or "") for v in (a.text, a.outcome, a.progress, *a.owners, a.code))

    expected = {a.id for a in corpus.actions if holds.search(indexed_text(a))}
    result = search(index, word, exact=True, limit=200)
    assert {h.id for h in result.hits} == expected
    assert all(t.expanded_from is None for t in result.terms)


def test_exact_drops_the_synonyms_that_the_default_search_adds(corpus, index):
    advocate = find(corpus, "002", "are offered an advocate")
    assert advocate in everything(index, "advocacy")
    assert advocate not in everything(index, "advocacy", exact=True)


# --- the query language ------------------------------------------------------------------------------------


def test_or_is_the_union_and_and_the_intersection(index):
    assert everything(index, "chronologies OR kinship") == everything(index, "chronologies") | everything(
        index, "kinship"
    )
    assert everything(index, "trauma training") == everything(index, "trauma") & everything(index, "training")
    assert everything(index, "trauma AND training") == everything(index, "trauma training")


def test_not_removes_every_action_holding_the_word(corpus, index):
    kept = everything(index, "advocacy NOT rights")
    assert kept and kept < everything(index, "advocacy")
    rights = re.compile(r"\brights?\b", re.I)
    assert not any(rights.search(" ".join(getattr(corpus.action(i), f) or "" for f in TEXT_FIELDS)) for i in kept)
    assert everything(index, "advocacy -rights") == kept
    assert search(index, "NOT advocacy").total == len(corpus.actions) - len(everything(index, "advocacy"))


@pytest.mark.parametrize("word", ["housing", "advocacy", "training", "care leavers"])
def test_not_subtracts_exactly_the_actions_holding_the_word(index, word):
    """whoosh's own AndNot matcher kept the first match when the excluded word's first action came earlier
    ("housing -rights" kept an action about rights); both backends must subtract exactly."""
    expected = everything(index, word) - everything(index, "rights")
    assert everything(index, f"{word} -rights") == everything(index, f"-rights {word}") == expected


def test_phrase_needs_the_words_together(corpus, index):
    loose = everything(index, "care plan")
    phrase = everything(index, '"care plan"')
    assert phrase and phrase < loose
    assert find(corpus, "002", "have an understanding of their Care Plan") in phrase


def test_prefix_and_fuzzy_words(corpus, index):
    assert everything(index, "chronologies") <= everything(index, "chronolog*")
    assert find(corpus, "002", "are offered an advocate") in everything(index, "advoc*")
    assert find(corpus, "001", "SS_ICSAP_VIEW2") in everything(index, "advocasy~")  # one letter off


def test_field_queries_search_one_field(corpus, index):
    owned = everything(index, "owners:Purdie")
    assert owned and all("purdie" in norm(" ".join(corpus.action(i).owners)) for i in owned)
    assert ids(index, "code:VIEW2")[0] == find(corpus, "001", "SS_ICSAP_VIEW2")
    assert everything(index, "outcome:siblings") < everything(index, "siblings")


def test_a_code_ranks_its_action_first_and_shows_its_text(corpus, index):
    assert ids(index, "GC 10")[0] == find(corpus, "000", "GC 10")
    hit = search(index, "SAPP 10.3").hits[0]
    assert hit.id == find(corpus, "003", "SAPP 10.3")
    assert hit.snippet_field == "text" and {m.field for m in hit.matched} == {"code"}


def test_an_empty_query_lists_every_action_in_plan_order_and_filters_still_apply(corpus, index):
    assert search(index, "").total == len(corpus.actions)
    listing = search(index, "", limit=200)
    assert [h.id for h in listing.hits] == [a.id for a in corpus.actions][:200]
    assert {h.score for h in listing.hits} == {0.0}  # no relevance to show
    dundee = search(index, "   ", council="Dundee", limit=200)
    assert dundee.total == sum(a.council == "Dundee" for a in corpus.actions)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("NOT OR x", "'NOT' needs a word"),
        ("advocacy NOT", "'NOT' needs a word"),
        ("OR advocacy", "'OR' needs"),
        ("advocacy OR", "'OR' needs"),
        ("AND advocacy", "'AND' needs"),
        ('"care leavers', "unbalanced quote"),
        ("(advocacy OR rights", "never closed"),
        ("advocacy)", "has no '('"),
        ("()", "empty parentheses"),
        ("year:", "is a filter"),
        ("council:Dundee", "is a filter"),
        ("text:", "needs a word"),
        ("*vocacy", "starts with a wildcard"),
        ("?dvocacy", "starts with a wildcard"),
        ("a*", "at least 2 letters"),
        ("trauma-inf*", "only letters, digits"),
        ("advocacy~2", "at most 1 letter"),
        ("car~", "at least 4 letters"),
        ("adv* chr* tra* kin*", "too many wildcard"),
        ("x" * 501, "characters long"),
        ("the and of", "nothing to search for"),
        ("(" * 9 + "x" + ")" * 9, "nested parentheses"),
        (" ".join(["care"] * 25), "too many words"),
    ],
)
def test_bad_queries_say_why(index, query, reason):
    with pytest.raises(BadQuery, match=re.escape(reason)):
        search(index, query)


def test_odd_but_harmless_queries_run(index):
    for query in (">R", "«x»", "a:b", "http://example.org", "x" * 500):
        assert search(index, query).total >= 0
    for query in ("Who Cares?", "children's rights", "year", "--care", "advocacy^2", "advocacy~0"):
        assert search(index, query).total > 0, query
    for query in ("-", "~", "??", "!!!", '""'):
        with pytest.raises(BadQuery, match="nothing to search for"):
            search(index, query)


# --- filters and facets ------------------------------------------------------------------------------------


def test_filters_narrow_the_hits(corpus, index):
    for hit in search(index, "training", council="dundee", limit=50).hits:
        assert corpus.action(hit.id).council == "Dundee"
    for hit in search(index, "training", year=2015, foundation="voice", limit=50).hits:
        action = corpus.action(hit.id)
        assert action.year == 2015 and "Voice" in action.foundations
    by_label = everything(index, "", theme="Brothers and sisters")
    assert by_label == everything(index, "", theme="brothers-and-sisters")
    assert by_label == {a.id for a in corpus.actions if "brothers-and-sisters" in a.themes}


def test_an_unknown_filter_value_lists_the_known_ones(index):
    with pytest.raises(BadQuery, match="known: Clackmannanshire, Dundee, South Ayrshire"):
        search(index, "care", council="Fife")
    with pytest.raises(BadQuery, match="did you mean 'advocacy'"):
        search(index, "care", theme="advocasy")


@pytest.mark.parametrize("query", ["advocacy", "training", ""])
def test_facet_counts_cover_every_match_not_just_the_page(index, query):
    result = search(index, query, limit=3)
    shown = result.total + result.partial_total  # both tiers: every action the pages list
    assert sum(v.count for v in result.facets["council"]) == shown
    assert sum(v.count for v in result.facets["plan"]) == shown
    assert sum(v.count for v in result.facets["status"]) == shown
    # each count is what the filter for that value gives, for one- and many-valued facets alike
    for name in ("council", "year", "theme", "foundation", "owner"):
        for value in result.facets[name][:3]:
            filtered = search(index, query, limit=1, **{name: value.value})
            assert filtered.total + filtered.partial_total == value.count


def test_facets_carry_labels(index):
    result = search(index, "siblings")
    assert {v.label for v in result.facets["theme"]} >= {"Brothers and sisters"}
    assert {v.label for v in result.facets["plan"]} >= {"Promise to You 2021 - 2023"}


def test_pages_split_the_ranking(index):
    whole = ids(index, "training", limit=10)
    assert ids(index, "training", limit=5) + ids(index, "training", limit=5, page=2) == whole
    result = search(index, "training", limit=5, page=3)
    assert result.page == 3 and result.pages == -(-(result.total + result.partial_total) // 5)
    with pytest.raises(BadQuery, match="limit"):
        search(index, "training", limit=0)


# --- snippets and reasons ----------------------------------------------------------------------------------

MARKUP = re.compile(r"<[a-z/!][^>]*>|&[a-z]+;|&#\d+;", re.I)


@pytest.mark.parametrize("query", ["advocacy", "trauma informed", "respite", "employability", "CECYP"])
def test_snippets_show_matches_and_no_markup(index, query):
    result = search(index, query)
    assert result.hits
    for hit in result.hits:
        text = hit.snippet_text()
        assert not MARKUP.search(text), text
        assert "".join(f.text for f in hit.snippet) == hit.snippet_text(("", ""))
        if any(m.field == hit.snippet_field for m in hit.matched):
            assert any(f.match for f in hit.snippet), (hit.id, text)
        assert hit.matched, hit.id


def test_markup_in_document_text_never_reaches_a_snippet(tmp_path, corpus, index):
    action = corpus.actions[0]
    hostile = type(action).from_dict(
        action.to_dict()
        | {"text": '<p onclick="x()">We will &lt;b&gt;advocate&lt;/b&gt; <script>alert(1)</script></p>'}
    )
    result = search(write_index([hostile], corpus.plans, tmp_path / "ix", index.backend), "advocate")
    (hit,) = result.hits
    assert not MARKUP.search(hit.snippet_text()) and "<" not in hit.snippet_text()
    assert [f.text for f in hit.snippet if f.match] == ["advocate"]


def test_hits_say_where_they_come_from(corpus, index):
    hit = search(index, "Functional Family Therapy").hits[0]
    action = corpus.action(hit.id)
    assert (hit.document, hit.council, hit.year, hit.code) == (action.document, action.council, action.year, None)
    assert hit.source == action.source
    assert MARKS[0] in hit.snippet_text()


# --- the CLI -----------------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, ["search", *args])


def test_cli_json_carries_hits_with_reasons_and_facets(search_store, corpus):
    result = run("siblings", "--json", "--limit", "20", "--store", str(search_store))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == len(data["hits"]) > 0
    first_list = next(v for v in data.values() if isinstance(v, list))
    assert first_list is data["hits"]  # tools read the first list of the object as its rows
    for hit in data["hits"]:
        assert {"id", "score", "snippet", "document", "code", "council", "year", "matched"} <= hit.keys()
    assert find(corpus, "000", "GC 7") in [h["id"] for h in data["hits"]]
    assert {"council", "plan", "year", "pillar", "foundation", "theme", "owner", "status"} <= data["facets"].keys()


def test_cli_text_shows_rank_id_snippet_and_plan(search_store, corpus):
    result = run("Council Tax", "--store", str(search_store))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].strip().startswith(f"1. {find(corpus, '002', 'exempt from Council Tax')}")
    assert "Dundee 2021" in lines[1]
    assert "«Council Tax»" in result.output or "«Council» «Tax»" in result.output


def test_cli_filters_and_exact(search_store):
    result = run("advocacy", "--council", "Dundee", "--json", "--store", str(search_store))
    assert {h["council"] for h in json.loads(result.output)["hits"]} == {"Dundee"}
    result = run("advocacy", "--exact", "--json", "--store", str(search_store))
    assert json.loads(result.output)["exact"] is True


@pytest.mark.parametrize(("query", "reason"), [("NOT OR x", "'NOT' needs"), ('"care', "unbalanced quote")])
def test_cli_bad_query_exits_1_with_the_reason(search_store, query, reason):
    result = run(query, "--store", str(search_store))
    assert result.exit_code == 1
    assert result.stderr.startswith("bad query: ") and reason in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_cli_without_an_index_says_what_to_do(tmp_path):
    result = run("advocacy", "--store", str(tmp_path))
    assert result.exit_code == 1 and "graphkit index" in result.stderr


# --- the index lives in the build folder and is swapped in with it -----------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request, monkeypatch):
    """Builds in this test write their search index with each backend in turn."""
    monkeypatch.setenv(BACKEND_VARIABLE, request.param)
    return request.param


def test_a_reader_of_the_old_build_keeps_working_while_a_new_build_is_swapped_in(tmp_path, corpus, backend):
    store = tmp_path / "store"
    first = write_corpus(store, corpus, artefact_writers(corpus))
    with open_index(first / "search") as old:
        assert old.backend == backend
        before = ids(old, "advocacy")
        second = write_corpus(store, corpus, artefact_writers(corpus))
        assert load_corpus(store).path == second != first
        assert ids(old, "advocacy") == before  # the old files are untouched by the new build
    assert ids(second / "search", "advocacy") == before


def test_a_crash_while_writing_the_index_leaves_the_old_index_working(tmp_path, corpus, monkeypatch, backend):
    store = tmp_path / "store"
    first = write_corpus(store, corpus, artefact_writers(corpus))

    def crash(actions, plans, folder):
        write_index(actions[:5], plans, folder)  # half an index on disk, then the process "dies"
        raise RuntimeError("disk full")

    monkeypatch.setattr("graphkit.build.write_index", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        write_corpus(store, corpus, artefact_writers(corpus))
    assert load_corpus(store).path == first
    assert search(load_corpus(store).path / "search", "").total == len(corpus.actions)


def test_searching_works_while_a_build_holds_the_lock(search_store, corpus):
    with build_lock(search_store):
        assert search(load_corpus(search_store).path / "search", "advocacy").total > 0


def test_a_whoosh_index_written_by_two_processes_answers_like_one_written_by_one(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr("indexer.whoosh_backend.MULTIPROCESS_FROM", 0)  # the writer large corpora get: two segments
    index = open_index(corpus.path / "search")
    with index, open_index(write_index(corpus.actions, corpus.plans, tmp_path / "ix", "whoosh")) as two:
        assert len(two.index.reader().leaf_readers()) == 2
        for query, options in [("advocacy", {}), ("training", {"council": "Dundee"}), ("", {"theme": "advocacy"})]:
            mine, theirs = search(two, query, limit=200, **options), search(index, query, limit=200, **options)
            assert [(h.id, round(h.score, 3)) for h in mine.hits] == [(h.id, round(h.score, 3)) for h in theirs.hits]
            assert mine.facets == theirs.facets


def test_an_incomplete_or_missing_index_is_a_clear_store_error(tmp_path):
    with pytest.raises(StoreError, match="graphkit index"):
        search(tmp_path / "nothing", "advocacy")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "meta.json").write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(StoreError, match="cannot be opened"):
        open_index(tmp_path / "broken")
    (tmp_path / "broken" / "meta.json").write_text('{"format": 1, "backend": "tantivy"}', encoding="utf-8")
    with pytest.raises(StoreError, match="cannot be opened"):
        open_index(tmp_path / "broken")
    (tmp_path / "broken" / "meta.json").write_text('{"format": 1, "backend": "lucene"}', encoding="utf-8")
    with pytest.raises(StoreError, match="another graphkit version"):
        open_index(tmp_path / "broken")
