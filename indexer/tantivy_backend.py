"""The tantivy search backend, for large corpora (`indexer.search` chooses): the tantivy SCHEMA, the writer, the
translation of a compiled query tree (`indexer.query`) into a tantivy query, and the search: one ranked page
(BM25 with the same field and synonym boosts as whoosh), the total, and facet counts over every match from one
terms aggregation over fast fields.

Analysis stays ours: each searched field holds the terms `indexer.analysis` makes (stemmed with our recoding
step, exact, codes), joined by spaces and split again by a whitespace tokenizer, so positions line up for
phrases and a query's terms are the index's. The analysis runs in two forked processes from `PARALLEL_FROM`
actions, while tantivy writes; tantivy keeps its own ``meta.json``, so its files live in a subfolder of the index
folder.

tantivy cannot stop a search part way, so the time limit is checked between the stages of a search (patterns
expanded, page ranked, facets counted); what bounds a query's cost is the query language's limits
(`indexer.query_parser`) and tantivy's speed: at 300,000 actions its ranking and aggregation take about 10 ms of a
search (p50 19 ms, p95 48 ms in all, bench/README.md).
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from itertools import accumulate, product
from pathlib import Path
from time import monotonic
from typing import Any

import tantivy
from tantivy import Occur, Order
from tantivy import Query as Q

from graphkit.errors import BadQuery
from graphkit.records import Action
from indexer.analysis import CODE, EXACT_FIELDS, STEMMED_FIELDS, index_terms, tokens
from indexer.query import (
    FUZZY_PREFIX,
    AllOf,
    AnyOf,
    CompiledQuery,
    Constant,
    Everything,
    Fuzzy,
    Maybe,
    Pattern,
    Phrase,
    QueryNode,
    Term,
    Without,
    fuzzy_variants,
)
from indexer.search_backend import (
    FACETS,
    OWN_THEME,
    SEARCHED_TEXTS,
    Found,
    add_values,
    cannot_run,
    index_action,
    no_values,
    too_slow,
)

VERSION = f"tantivy {tantivy.__version__}"
SUBFOLDER = "tantivy"
ANALYZER = "terms"  # the whitespace tokenizer, registered under this name on every open index
WRITER_HEAP = 200_000_000  # bytes of tantivy's writer buffer: 300,000 actions make two segments, 32,000 one
PARALLEL_FROM = 2_000  # actions from which two processes analyse: 1.3-1.7 s against 1.6-2.0 s at 2,000
CHUNK = 1_000  # actions per piece of work for an analysing process
AHEAD = 4  # pieces of work in flight at once, which bounds the memory of documents waiting to be written
REPEATED_TEXTS = ("outcome", "owners")  # texts many actions share, analysed once per process (codes too)
REPEATS = 4_096  # distinct such texts remembered
FACET_VALUES = 10_000  # values counted per facet at most (the most frequent); tantivy refuses 65,000 buckets
# Exact phrases a sloppy phrase may be asked as: each costs a pass over its words' positions (36 of them, for
# "children and young people"~5, took 1.9 s at 300,000 actions); past this, one looser tantivy phrase. Every
# two-word phrase (~10 at most: 11) and three-word phrases up to ~3 stay exact.
SPACINGS = 16
REGEX_SYNTAX = frozenset(r"\.+*?()|[]{}^$#&-~")  # what a tantivy regular expression would read as syntax


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_bytes_field("record", stored=True)  # what a hit shows, as JSON: the whoosh backend's record
    builder.add_unsigned_field("order", fast=True)  # the action's place in the corpus: an empty query lists by it
    for name in FACETS:  # facets and filters: exact values, counted from fast fields
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_text_field(OWN_THEME, tokenizer_name="raw")
    for field in dict.fromkeys(f.name for f in STEMMED_FIELDS + EXACT_FIELDS):  # searched, with positions
        builder.add_text_field(field, tokenizer_name=ANALYZER)
    return builder.build()


SCHEMA = _schema()


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


# --- writing -----------------------------------------------------------------------------------------------


def document_fields(action: Action, order: int) -> dict[str, Any]:
    """The tantivy fields of one action (`index_action`): searched fields as analysed terms joined by spaces.

    >>> from graphkit.records import Source
    >>> action = Action("d:A-1", "d", "A plan", "Anytown", 2024, (2024, 2026), "GC 10", "GC10",
    ...     "Brothers and sisters", None, ("Head teachers",), None, None, None, "unknown", None, None, None,
    ...     (), None, False, (), (), Source("d", "d.txt", 3))
    >>> fields = document_fields(action, 7)
    >>> fields["text"], fields["text_exact"], fields["owners"], fields["code"], fields["order"], "outcome" in fields
    ('brother sister', 'brothers and sisters', 'head teacher', 'gc 10 gc 10', 7, False)
    """
    indexed = index_action(action, order)
    record = indexed.record
    fields: dict[str, Any] = {"record": json.dumps(record, ensure_ascii=False).encode(), "order": order}
    code = _code_terms(" ".join(indexed.codes))
    if code:
        fields["code"] = code
    for label in SEARCHED_TEXTS:
        text = record[label] or ""
        exact, stemmed = _repeated_terms(text) if label in REPEATED_TEXTS else _joined_terms(text)
        if stemmed:
            fields[label] = stemmed
        if exact:
            fields[f"{label}_exact"] = exact
    for name in FACETS:
        values = list(dict.fromkeys(indexed.facets[name]))  # a value counts once per action
        if values:
            fields[name] = values
    if indexed.own_themes:
        fields[OWN_THEME] = list(indexed.own_themes)
    return fields


def _joined_terms(text: str) -> tuple[str, str]:
    """A text's exact and stemmed terms, each joined by spaces."""
    exact, stemmed = index_terms(text)
    return " ".join(exact), " ".join(stemmed)


_repeated_terms = lru_cache(maxsize=REPEATS)(_joined_terms)  # outcomes and owners recur from action to action


@lru_cache(maxsize=REPEATS)
def _code_terms(codes: str) -> str:
    return " ".join(tokens(CODE, codes))


def _chunk_fields(piece: tuple[int, Sequence[Action]]) -> tuple[list[dict[str, Any]], dict[str, set[str]]]:
    """The fields of a piece of the actions (the first at `start`), and their facet values."""
    start, actions = piece
    fields = [document_fields(a, order) for order, a in enumerate(actions, start)]
    values = no_values()
    for one in fields:
        add_values(values, one)
    return fields, values


class _Analysis:
    """Every action's fields, in order, and (once read) every facet's values: for a large corpus made by two
    worker processes, `AHEAD` pieces of `CHUNK` actions in flight, while this process writes; else here. The
    workers are forked when the analysis starts, before tantivy's writer starts its threads, and only from a
    process running no other thread (a forked child can inherit a lock another thread holds)."""

    def __init__(self, actions: Sequence[Action]) -> None:
        self.actions = actions
        self.values = no_values()
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[Future[tuple[list[dict[str, Any]], dict[str, set[str]]]]] = deque()
        self.pieces = ((i, actions[i : i + CHUNK]) for i in range(0, len(actions), CHUNK))
        forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        if len(actions) >= PARALLEL_FROM and forkable:
            self.pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
            for _ in range(AHEAD):  # the first submission forks both workers
                self._submit()

    def _submit(self) -> None:
        piece = next(self.pieces, None)
        if piece is not None and self.pool is not None:
            self.pending.append(self.pool.submit(_chunk_fields, piece))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self.pool is None:
            for order, action in enumerate(self.actions):
                fields = document_fields(action, order)
                add_values(self.values, fields)
                yield fields
            return
        while self.pending:
            done = self.pending.popleft()
            self._submit()
            fields, values = done.result()
            for name, held in values.items():
                self.values[name] |= held
            yield from fields

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def write_documents(actions: Sequence[Action], folder: Path) -> dict[str, set[str]]:
    """Write the tantivy index of these actions into `folder` (which exists and is empty), in one commit; each
    facet's values."""
    path = folder / SUBFOLDER
    path.mkdir()
    analysis = _Analysis(actions)
    try:
        index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
        index.register_tokenizer(ANALYZER, _analyzer())
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)  # one thread: documents stay in plan order
        try:
            for fields in analysis:
                writer.add_document(tantivy.Document.from_dict(fields, SCHEMA))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        writer.wait_merging_threads()
    finally:
        analysis.close()
    return analysis.values


# --- reading -----------------------------------------------------------------------------------------------


class Searcher:
    """A tantivy searcher of one open index, shaped like whoosh's: a context manager with `close` (tantivy frees
    its searchers itself)."""

    __slots__ = ("searcher",)

    def __init__(self, index: tantivy.Index) -> None:
        self.searcher = index.searcher()

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_folder(folder: Path) -> tantivy.Index:
    """The tantivy index in `folder`, read as it was written (a build folder's index never changes)."""
    path = folder / SUBFOLDER
    if not path.is_dir():
        raise FileNotFoundError(f"no tantivy index in {folder}")
    index = tantivy.Index.open(str(path))
    index.register_tokenizer(ANALYZER, _analyzer())
    index.config_reader(reload_policy="manual")  # no thread watching for commits that never come
    return index


def close_folder(handle: tantivy.Index) -> None:
    """Nothing to release: tantivy frees an index when it is no longer used."""


def new_searcher(handle: tantivy.Index) -> Searcher:
    return Searcher(handle)


def to_tantivy(node: QueryNode, searcher: tantivy.Searcher) -> tantivy.Query:
    """The tantivy query of a compiled query tree. A fuzzy word becomes the index terms one edit from it (read
    from the searcher's term dictionary), each scored as a word, as in whoosh; a pattern becomes a regular
    expression over the terms, every match scoring its boost."""
    match node:
        case Term(field, text, boost):
            return Q.boost_query(Q.term_query(SCHEMA, field, text), boost)
        case Phrase(field, words, slop, boost):
            return Q.boost_query(_phrase(field, words, slop), boost)
        case Fuzzy(field, text, boost):
            near = fuzzy_variants(text, (t for t, _ in searcher.terms_with_prefix(field, text[:FUZZY_PREFIX])))
            terms = [(Occur.Should, Q.boost_query(Q.term_query(SCHEMA, field, t), boost)) for t in near]
            return Q.boolean_query(terms) if terms else Q.empty_query()
        case Pattern(field, pattern, _, boost):
            return Q.boost_query(Q.const_score_query(Q.regex_query(SCHEMA, field, _regex(pattern)), 1.0), boost)
        case AnyOf(children):
            return Q.boolean_query([(Occur.Should, to_tantivy(c, searcher)) for c in children])
        case AllOf(children):
            return Q.boolean_query([(Occur.Must, to_tantivy(c, searcher)) for c in children])
        case Without(base, excluded):
            return Q.boolean_query(
                [(Occur.Must, to_tantivy(base, searcher)), (Occur.MustNot, to_tantivy(excluded, searcher))]
            )
        case Everything():
            return Q.all_query()
        case Constant(child, score):
            return Q.const_score_query(to_tantivy(child, searcher), score)
        case Maybe(required, optional):
            return Q.boolean_query(
                [(Occur.Must, to_tantivy(required, searcher)), (Occur.Should, to_tantivy(optional, searcher))]
            )
    raise TypeError(f"not a query node: {node!r}")  # pragma: no cover


def _phrase(field: str, words: Sequence[str], slop: int) -> tantivy.Query:
    """Words in order with at most `slop` - 1 others between each two, as whoosh reads a sloppy phrase. tantivy's
    own slop counts the moves of the whole phrase and lets words swap, so a sloppy phrase is asked as every spacing
    it allows, each an exact phrase, up to `SPACINGS` of them; a longer or looser one, as tantivy's sloppy phrase
    with room for every spacing, which also finds the words further apart or out of order (its cost is one
    phrase's, where the spacings' would grow with the power of its length)."""
    if slop <= 1:
        return Q.phrase_query(SCHEMA, field, list(words))
    if slop ** (len(words) - 1) <= SPACINGS:
        return Q.boolean_query(
            [
                (Occur.Should, Q.phrase_query(SCHEMA, field, list(zip(at, words, strict=True))))
                for at in spacings(len(words), slop)
            ]
        )
    return Q.phrase_query(SCHEMA, field, list(words), slop=(len(words) - 1) * (slop - 1))


def spacings(words: int, slop: int) -> list[tuple[int, ...]]:
    """The positions `words` words can take in a phrase that allows `slop` - 1 others between each two.

    >>> spacings(3, 2)
    [(0, 1, 2), (0, 1, 3), (0, 2, 3), (0, 2, 4)]
    """
    return [(0, *accumulate(1 + gap for gap in gaps)) for gaps in product(range(slop), repeat=words - 1)]


def _regex(pattern: str) -> str:
    """A wildcard pattern (``*`` any letters, ``?`` one) as a regular expression over whole terms.

    >>> _regex("chronolog*"), _regex("ex?lu*on")
    ('chronolog.*', 'ex.lu.*on')
    """
    wild = {"*": ".*", "?": "."}
    return "".join(wild.get(c) or (f"\\{c}" if c in REGEX_SYNTAX else c) for c in pattern)


def run_query(
    handle: tantivy.Index,
    searcher: Searcher,
    compiled: CompiledQuery,
    filters: Mapping[str, str],
    first: int,
    limit: int,
    seconds: float,
    values: Mapping[str, Sequence[str]],
    cache: dict[str, Any],
) -> Found:
    """One ranked page (tantivy skips what cannot make it), then the total and the facet counts over every match
    from one aggregation; the time limit is checked between the stages, and tantivy's errors become BadQuery."""
    started = monotonic()
    found = searcher.searcher
    try:
        query = to_tantivy(compiled.query, found)
        if filters:  # filters must match and add nothing to the score
            wanted = [(Occur.Must, Q.const_score_query(Q.term_query(SCHEMA, n, v), 0.0)) for n, v in filters.items()]
            query = Q.boolean_query([(Occur.Must, query), *wanted])
        _in_time(started, seconds)
        listing = isinstance(compiled.query, Everything)
        if listing:  # every action scores alike: list them in plan order
            page = found.search(query, limit, count=False, order_by_field="order", offset=first, order=Order.Asc)
        else:
            page = found.search(query, limit, count=False, offset=first)
        hits = [(json.loads(found.doc(address).get_first("record")), 0.0 if listing else float(score))
                for score, address in page.hits]  # fmt: skip
        _in_time(started, seconds)
        if not hits and not first:
            total, counts = 0, {name: {} for name in FACETS}
        elif listing and not filters:  # every action: counted once per open index
            if "everything" not in cache:
                cache["everything"] = _counts(found, query, values)
            total, counts = found.num_docs, cache["everything"][1]
        else:
            total, counts = _counts(found, query, values)
    except BadQuery:
        raise
    except Exception as exc:  # tantivy must never show a traceback to a user
        raise cannot_run(exc) from None
    return Found(total, hits, counts)


def _in_time(started: float, seconds: float) -> None:
    if monotonic() - started > seconds:
        raise too_slow(seconds)


def _counts(
    searcher: tantivy.Searcher, query: tantivy.Query, values: Mapping[str, Sequence[str]]
) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of matching actions and, per facet value, how many hold it: in one pass over the matches, a
    count of the plan-order field and a terms aggregation per facet over the fast fields."""
    request: dict[str, Any] = {
        name: {"terms": {"field": name, "size": max(1, min(FACET_VALUES, len(values[name])))}} for name in FACETS
    }
    request["total"] = {"value_count": {"field": "order"}}
    answer = searcher.aggregate(query, request)
    counts = {name: {b["key"]: b["doc_count"] for b in answer[name]["buckets"]} for name in FACETS}
    return int(answer["total"]["value"]), counts


def vocabulary(searcher: Searcher, fields: Sequence[str]) -> dict[str, int]:
    """Every term of these fields, with the number of documents holding it (summed over the fields)."""
    counts: dict[str, int] = {}
    for field in fields:
        for term, n in searcher.searcher.terms_with_prefix(field, ""):
            counts[term] = counts.get(term, 0) + n
    return counts
