"""The whoosh search backend, the default for small corpora (`indexer.search` chooses): the whoosh SCHEMA, the
writer (two processes from `MULTIPROCESS_FROM` actions), the translation of a compiled query tree
(`indexer.query`) into a whoosh query, and the search: every match ranked (BM25F) in one pass under a time
limit, one page of records, and facet counts from each facet value's documents. Only whoosh API shared by PyPI
``whoosh`` 2.7.4 and the ``whoosh3`` fork is used, so swapping them is one line in ``pyproject.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import whoosh
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import AndNotMatcher

from graphkit.errors import BadQuery
from graphkit.records import Action
from indexer.analysis import CODE, EXACT, STEMMED
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
)
from indexer.query_parser import FUZZY_MAX_DISTANCE
from indexer.search_backend import (
    FACETS,
    OWN_THEME,
    Found,
    IndexedAction,
    add_values,
    cannot_run,
    index_action,
    no_values,
    too_slow,
)

VERSION = f"whoosh {whoosh.versionstring()}"
# Two writer processes (multisegment) halve index time from a few hundred actions up, and search the two segments
# about as fast as one (bench/README.md); below this size the saving is under a second, not worth a fork per build.
MULTIPROCESS_FROM = 1_000
FILTER_WEIGHT = 1e-6  # a filter term's share of the score: nothing a ranking can see
WRITER_MB = 128  # memory for each writer process's buffer

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    record=STORED(),  # what a hit shows: ids, names, the cleaned texts (for snippets), source line
    order=NUMERIC(sortable=True),  # the action's place in the corpus: an empty query lists in plan order
    # facets and filters: exact values; the multi-valued ones are indexed from lists, one term per value
    council=ID(),
    plan=ID(),
    year=ID(),
    pillar=ID(),
    status=ID(),
    foundation=KEYWORD(),
    theme=KEYWORD(),
    owner=KEYWORD(),
    theme_own=KEYWORD(scorable=True),
    # searched: stemmed words, exact words (for --exact), codes
    code=TEXT(analyzer=CODE),
    text=TEXT(analyzer=STEMMED),
    outcome=TEXT(analyzer=STEMMED),
    progress=TEXT(analyzer=STEMMED),
    owners=TEXT(analyzer=STEMMED),
    text_exact=TEXT(analyzer=EXACT),
    outcome_exact=TEXT(analyzer=EXACT),
    progress_exact=TEXT(analyzer=EXACT),
    owners_exact=TEXT(analyzer=EXACT),
)
SINGLE_VALUED = ("council", "plan", "year", "pillar", "status")


# --- writing -----------------------------------------------------------------------------------------------


def _document(action: IndexedAction) -> dict[str, Any]:
    """The whoosh fields of one action."""
    record = action.record
    doc: dict[str, Any] = {"id": record["id"], "record": record, "order": action.order, "code": " ".join(action.codes)}
    for label in ("text", "outcome", "progress", "owners"):
        doc[label] = doc[f"{label}_exact"] = record[label]
    for name in FACETS:
        values = action.facets[name]
        if values:
            doc[name] = values[0] if name in SINGLE_VALUED else list(values)
    if action.own_themes:
        doc[OWN_THEME] = list(action.own_themes)
    return doc


def write_documents(actions: Sequence[Action], folder: Path) -> dict[str, set[str]]:
    """Write the whoosh index of these actions into `folder` (which exists and is empty); each facet's values."""
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    procs = 2 if len(actions) >= MULTIPROCESS_FROM else 1
    writer = ix.writer(procs=procs, multisegment=True, limitmb=WRITER_MB) if procs > 1 else ix.writer(limitmb=WRITER_MB)
    values = no_values()
    try:
        for order, action in enumerate(actions):
            indexed = index_action(action, order)
            add_values(values, indexed.facets)
            writer.add_document(**_document(indexed))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return values


# --- reading -----------------------------------------------------------------------------------------------


def open_folder(folder: Path) -> Any:
    """The whoosh index in `folder`, read-only."""
    return whoosh_index.open_dir(str(folder), readonly=True)


def close_folder(handle: Any) -> None:
    handle.close()


def new_searcher(handle: Any) -> Any:
    """A whoosh searcher (close it when done; it is a context manager)."""
    return handle.searcher()


def to_whoosh(node: QueryNode) -> wq.Query:
    """The whoosh query of a compiled query tree.

    >>> to_whoosh(AllOf((Term("text", "advoc", 3.0), Fuzzy("text", "right", 3.0))))
    And([Term('text', 'advoc', boost=3.0), FuzzyTerm('text', 'right', boost=3.000000, maxdist=1, prefixlength=2)])
    """
    match node:
        case Term(field, text, boost):
            return wq.Term(field, text, boost=boost)
        case Phrase(field, words, slop, boost):
            return wq.Phrase(field, list(words), slop=slop, boost=boost)
        case Fuzzy(field, text, boost):
            return wq.FuzzyTerm(
                field, text, boost=boost, maxdist=FUZZY_MAX_DISTANCE, prefixlength=FUZZY_PREFIX, constantscore=False
            )
        case Pattern(field, pattern, prefix, boost):
            return wq.Prefix(field, pattern[:-1], boost=boost) if prefix else wq.Wildcard(field, pattern, boost=boost)
        case AnyOf(children):
            return wq.Or([to_whoosh(c) for c in children])
        case AllOf(children):
            return wq.And([to_whoosh(c) for c in children])
        case Without(base, excluded):
            return _AndNot(to_whoosh(base), to_whoosh(excluded))
        case Everything():
            return wq.Every()
        case Constant(child, score):
            return wq.ConstantScoreQuery(to_whoosh(child), score)
        case Maybe(required, optional):
            return wq.AndMaybe(to_whoosh(required), to_whoosh(optional))
    raise TypeError(f"not a query node: {node!r}")  # pragma: no cover


class _AndNotMatcher(AndNotMatcher):
    """whoosh's AndNotMatcher keeps its first document when the excluded matcher starts on an earlier one that is
    not the same ("housing -rights" kept an action about rights and housing): this one skips first."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(wq.AndNot):
    """whoosh's AndNot query, with the matcher above."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


def run_query(
    handle: Any,
    searcher: Any,
    compiled: CompiledQuery,
    filters: Mapping[str, str],
    first: int,
    limit: int,
    seconds: float,
    values: Mapping[str, Sequence[str]],
    cache: dict[str, Any],
) -> Found:
    """Every match ranked in one pass under a time limit; one page of records; facet counts over every match."""
    ranked, matching = _collect(searcher, compiled, filters, seconds)
    listing = isinstance(compiled.query, Everything)
    # an empty query is sorted by plan order, and whoosh then reports the sort key as the score: there is none
    hits = [(h["record"], 0.0 if listing else float(h.score or 0.0)) for h in ranked[first : first + limit]]
    return Found(len(matching), hits, _counts(searcher, matching, values, cache))


def _collect(
    searcher: Any, compiled: CompiledQuery, filters: Mapping[str, str], seconds: float
) -> tuple[Any, set[int]]:
    """Every match, ranked, in one pass under a time limit, and the numbers of the matching documents; whoosh's
    errors become BadQuery.

    One pass: a top-N collector skips documents that cannot make the page, but the facets need every match, and
    a second (unscored) pass for them costs more than scoring all, since phrases are checked twice. Facets are
    counted from the matching documents (`_counts`), not with whoosh's `groupedby=`, which categorises every
    match field by field: at 32,000 actions that took a search from 80 to 500 ms (bench/README.md)."""
    # Filters are terms of (almost) no weight ANDed to the query. Not the collector's `filter=`: whoosh's
    # FilterCollector filters in the loop that TimeLimitCollector replaces, so the two do not compose. Not
    # `Require`: whoosh 2.7.4 returns the complement (fixed in whoosh3). Not weight 0: the top-N optimisation
    # divides by it.
    query = to_whoosh(compiled.query)
    terms = [wq.Term(name, value, boost=FILTER_WEIGHT) for name, value in filters.items()]
    q = wq.And([query, *terms]) if terms else query
    # No SIGALRM: the signal would interrupt whatever runs (and fails outside the main thread, as in Flask).
    # An empty query scores every action alike: list them in plan order (document numbers are not, with two
    # writer processes).
    order = "order" if isinstance(compiled.query, Everything) else None
    timed = TimeLimitCollector(searcher.collector(limit=None, sortedby=order), timelimit=seconds, use_alarm=False)
    try:
        searcher.search_with_collector(q, timed)
        ranked = timed.results()
        matching = {docnum for _, docnum in ranked.top_n}
    except TimeLimit:
        raise too_slow(seconds) from None
    except BadQuery:  # pragma: no cover - nothing above raises one today
        raise
    except Exception as exc:  # whoosh must never show a traceback to a user
        raise cannot_run(exc) from None
    return ranked, matching


def _counts(
    searcher: Any, matching: set[int], values: Mapping[str, Sequence[str]], cache: dict[str, Any]
) -> dict[str, dict[str, int]]:
    """Matching documents per facet value, from each value's documents (read once per index: an index in a build
    folder never changes, so its document numbers do not either)."""
    docs = cache.get("facets")
    if docs is None:
        docs = {
            name: [(v, frozenset(searcher.docs_for_query(wq.Term(name, v)))) for v in values[name]] for name in FACETS
        }
        cache["facets"] = docs
    everything = len(matching) == searcher.doc_count_all()
    return {name: {v: len(d) if everything else len(d & matching) for v, d in docs[name]} for name in FACETS}


def vocabulary(searcher: Any, fields: Sequence[str]) -> dict[str, int]:
    """Every term of these fields, with the number of documents holding it (summed over the fields)."""
    counts: dict[str, int] = {}
    reader = searcher.reader()
    for field in fields:
        for term, info in reader.iter_field(field):
            word = term.decode("utf-8")
            counts[word] = counts.get(word, 0) + info.doc_frequency()
    return counts
