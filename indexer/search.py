"""The full-text search index of every action and the one query function: the whoosh SCHEMA, `write_index`
(called by the store while it writes a build folder, so the index is swapped in with the rest of the build),
`open_index` (read-only), and `search`, which the CLI and the web UI both call: it runs a compiled query under a
time limit with the filters, ranks every match, pages the hits and counts the facets over every match. The query
language is in `indexer.query` (with `indexer.query_parser`, `indexer.expansion` and `indexer.analysis`), the
result types and snippets in `indexer.results`. Only whoosh API shared by PyPI ``whoosh`` 2.7.4 and the
``whoosh3`` fork is used, so swapping them is one line in ``pyproject.toml``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

import whoosh
from rapidfuzz import process as fuzzy
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from graphkit.errors import BadQuery, StoreError
from graphkit.records import Action, Plan
from graphkit.vocab import THEMES_BY_SLUG
from indexer.analysis import CODE, EXACT, STEMMED
from indexer.normalise import clean_text
from indexer.query import CompiledQuery, compile_query
from indexer.results import FacetValue, SearchResult, build_hit

FORMAT = 1
TIME_LIMIT = 5.0  # seconds of collection before a query is refused; the real corpus answers in milliseconds
MAX_LIMIT = 200
MAX_DEPTH = 10_000  # page * limit: deeper pages are refused rather than scored and thrown away
# Two writer processes (multisegment) halve index time from a few hundred actions up, and search the two segments
# about as fast as one (bench/README.md); below this size the saving is under a second, not worth a fork per build.
MULTIPROCESS_FROM = 1_000
FILTER_WEIGHT = 1e-6  # a filter term's share of the score: nothing a ranking can see

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
FACETS = ("council", "plan", "year", "pillar", "foundation", "theme", "owner", "status")


# --- writing -----------------------------------------------------------------------------------------------


def _document(action: Action, order: int) -> dict[str, Any]:
    """The index fields of one action. Text is cleaned again (markup, entities): document text is untrusted."""
    text, outcome, progress = (clean_text(v or "") for v in (action.text, action.outcome, action.progress))
    owners = [o for o in (clean_text(o) for o in action.owners) if o]
    codes = [c for c in dict.fromkeys((action.code, action.code_printed)) if c]
    themes = [t for t in action.themes if t in THEMES_BY_SLUG]
    record = {
        "id": action.id,
        "document": action.document,
        "plan": action.plan,
        "council": action.council,
        "year": action.year,
        "code": action.code,
        "status": action.status,
        "text": text,
        "outcome": outcome,
        "progress": progress,
        "owners": "; ".join(owners),
        "file": action.source.file,
        "line": action.source.line,
    }
    doc: dict[str, Any] = {
        "id": action.id,
        "record": record,
        "order": order,
        "council": action.council,
        "plan": action.document,
        "year": str(action.year),
        "status": action.status,
        "code": " ".join(codes),
        "text": text,
        "outcome": outcome,
        "progress": progress,
        "owners": record["owners"],
        "text_exact": text,
        "outcome_exact": outcome,
        "progress_exact": progress,
        "owners_exact": record["owners"],
    }
    for name, values in (("foundation", list(action.foundations)), ("theme", themes), ("owner", owners)):
        if values:
            doc[name] = values
    if action.pillar:
        doc["pillar"] = action.pillar
    return doc


def write_index(actions: Sequence[Action], plans: Iterable[Plan], folder: Path) -> Path:
    """Write the search index of these actions into a new folder (the store passes one inside its build folder).

    Parameters
    ----------
    actions
        The action records to index.
    plans
        The catalogue's plans, for facet labels (plan titles).
    folder
        A folder that does not exist yet; `meta.json` is written last, so a folder without it is incomplete.

    Returns
    -------
    Path
        The folder.

    Examples
    --------
    >>> import tempfile
    >>> from graphkit.records import Source
    >>> action = Action("d:A-1", "d", "A plan", "Anytown", 2024, (2024, 2026), "A 1", "A 1",
    ...     "Offer every child an advocate.", None, ("Lead",), "Lead", None, None, "unknown", None, None, None,
    ...     ("Voice",), None, False, ("advocacy",), (), Source("d", "d.txt", 3))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_index([action], [], Path(tmp) / "search")
    ...     print(search(folder, "advocacy").hits[0].snippet_text())
    Offer every child an «advocate».
    """
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    procs = 2 if len(actions) >= MULTIPROCESS_FROM else 1
    writer = ix.writer(procs=procs, multisegment=True, limitmb=128) if procs > 1 else ix.writer(limitmb=128)
    try:
        for order, action in enumerate(actions):
            writer.add_document(**_document(action, order))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    titles = {a.document: a.plan for a in actions} | {p.id: p.title for p in plans}  # the catalogue's title first
    values = {
        "council": {a.council for a in actions},
        "plan": {a.document for a in actions},
        "year": {str(a.year) for a in actions},
        "pillar": {a.pillar for a in actions if a.pillar},
        "foundation": {f for a in actions for f in a.foundations},
        "theme": {t for a in actions for t in a.themes if t in THEMES_BY_SLUG},
        "owner": {o for a in actions for o in (clean_text(o) for o in a.owners) if o},
        "status": {a.status for a in actions},
    }
    meta = {
        "format": FORMAT,
        "whoosh": whoosh.versionstring(),
        "actions": len(actions),
        "values": {name: sorted(v) for name, v in values.items()},
        "labels": {"plan": titles, "theme": {slug: t.label for slug, t in THEMES_BY_SLUG.items()}},
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


# --- reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """A search index opened read-only: `searcher()` gives a whoosh searcher to pass to `search` (the web UI
    keeps one per request); closing releases the files. `cache` holds each facet value's documents, read on the
    first search (an index in a build folder never changes, so its document numbers do not either)."""

    folder: Path
    index: Any
    meta: Mapping[str, Any]
    cache: dict[str, Any] = dataclass_field(default_factory=dict)

    def searcher(self) -> Any:
        return self.index.searcher()

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(folder: Path | str) -> SearchIndex:
    """Open a search index read-only.

    Raises
    ------
    StoreError
        When the folder holds no complete index of this format.
    """
    folder = Path(folder)
    again = "run `graphkit index` again"
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"no search index in {folder}: {again}") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"the search index in {folder} cannot be read ({exc}): {again}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StoreError(f"the search index in {folder} is from another graphkit version: {again}")
    try:
        ix = whoosh_index.open_dir(str(folder), readonly=True)
    except Exception as exc:  # whoosh raises its own errors, and unpickling errors, for a damaged index
        raise StoreError(f"the search index in {folder} cannot be opened ({type(exc).__name__}): {again}") from None
    return SearchIndex(folder, ix, meta)


# --- searching ---------------------------------------------------------------------------------------------


def search(
    index: SearchIndex | Path | str,
    query: str = "",
    *,
    council: str | None = None,
    year: int | str | None = None,
    theme: str | None = None,
    foundation: str | None = None,
    plan: str | None = None,
    pillar: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    limit: int = 20,
    page: int = 1,
    exact: bool = False,
    time_limit: float = TIME_LIMIT,
    searcher: Any = None,
) -> SearchResult:
    """Search the actions: ranked hits with snippets and reasons, and facet counts over every match.

    Parameters
    ----------
    index
        An open `SearchIndex`, or the folder of one (opened and closed here).
    query
        What a person typed, in the language of `indexer.query`; empty lists every action (in plan order).
    council, year, theme, foundation, plan, pillar, owner, status
        Filters, each one value, matched without regard to case; `plan` is a document id and `theme` a slug
        or a label. An unknown value is a `BadQuery` that lists the known ones.
    limit, page
        Page size (1-200) and 1-based page number.
    exact
        Exact words only: no stemming, synonyms or acronyms.
    time_limit
        Seconds of collection before the query is refused.
    searcher
        A whoosh searcher of `index` to reuse (it is not closed here).

    Returns
    -------
    SearchResult

    Raises
    ------
    BadQuery
        For a malformed or too costly query, an unknown filter value or a bad page; never a whoosh error.

    Examples
    --------
    >>> import tempfile
    >>> from graphkit.records import Source
    >>> def act(n, text, council):
    ...     return Action(f"d:A-{n}", "d", "A plan", council, 2024, (2024, 2026), f"A {n}", f"A {n}", text,
    ...         None, (), None, None, None, "unknown", None, None, None, (), None, False, (), (), Source("d", "d", n))
    >>> actions = [act(1, "Brothers and sisters stay together.", "Fife"), act(2, "Siblings live together.", "Ayr")]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = search(write_index(actions, [], Path(tmp) / "ix"), "siblings")
    >>> [(h.id, [str(m) for m in h.matched]) for h in result.hits]
    [('d:A-2', ['text: siblings']), ('d:A-1', ['text: brothers and sisters (synonym of siblings)'])]
    >>> [(v.value, v.count) for v in result.facets["council"]]
    [('Ayr', 1), ('Fife', 1)]
    """
    if not isinstance(index, SearchIndex):
        with open_index(index) as opened:
            return search(
                opened, query, council=council, year=year, theme=theme, foundation=foundation, plan=plan,
                pillar=pillar, owner=owner, status=status, limit=limit, page=page, exact=exact,
                time_limit=time_limit,
            )  # fmt: skip
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"the limit must be a whole number from 1 to {MAX_LIMIT}")
    if not isinstance(page, int) or page < 1 or page * limit > MAX_DEPTH:
        raise BadQuery(f"the page must be a whole number from 1 to {MAX_DEPTH // limit} at {limit} per page")
    compiled = compile_query(query, exact=exact)
    wanted = {
        "council": council, "plan": plan, "year": year, "pillar": pillar, "foundation": foundation,
        "theme": theme, "owner": owner, "status": status,
    }  # fmt: skip
    filters = {name: _known_value(index.meta, name, v) for name, v in wanted.items() if v is not None and v != ""}
    searcher_ = searcher or index.searcher()
    try:
        ranked, matching = _collect(searcher_, compiled, filters, time_limit)
        first = (page - 1) * limit
        page_hits = enumerate(ranked[first : first + limit], first + 1)
        hits = tuple(build_hit(h, compiled, rank) for rank, h in page_hits)
        facets = _facets(index, searcher_, matching)
    finally:
        if searcher is None:
            searcher_.close()
    total = len(matching)
    return SearchResult(
        query, exact, total, page, max(1, math.ceil(total / limit)), limit, hits, facets, compiled.terms, filters
    )


def _collect(
    searcher: Any, compiled: CompiledQuery, filters: Mapping[str, str], seconds: float
) -> tuple[Any, set[int]]:
    """Every match, ranked, in one pass under a time limit, and the numbers of the matching documents; whoosh's
    errors become BadQuery.

    One pass: a top-N collector skips documents that cannot make the page, but the facets need every match, and
    a second (unscored) pass for them costs more than scoring all, since phrases are checked twice. Facets are
    counted from the matching documents (`_facets`), not with whoosh's `groupedby=`, which categorises every
    match field by field: at 32,000 actions that took a search from 80 to 500 ms (bench/README.md)."""
    # Filters are terms of (almost) no weight ANDed to the query. Not the collector's `filter=`: whoosh's
    # FilterCollector filters in the loop that TimeLimitCollector replaces, so the two do not compose. Not
    # `Require`: whoosh 2.7.4 returns the complement (fixed in whoosh3). Not weight 0: the top-N optimisation
    # divides by it.
    terms = [wq.Term(name, value, boost=FILTER_WEIGHT) for name, value in filters.items()]
    q = wq.And([compiled.query, *terms]) if terms else compiled.query
    # No SIGALRM: the signal would interrupt whatever runs (and fails outside the main thread, as in Flask).
    # An empty query scores every action alike: list them in plan order (document numbers are not, with two
    # writer processes).
    order = "order" if isinstance(compiled.query, wq.Every) else None
    timed = TimeLimitCollector(searcher.collector(limit=None, sortedby=order), timelimit=seconds, use_alarm=False)
    try:
        searcher.search_with_collector(q, timed)
        ranked = timed.results()
        matching = {docnum for _, docnum in ranked.top_n}
    except TimeLimit:
        raise BadQuery(
            f"the query took longer than {seconds:g} s: make it more specific (fewer wildcards or fuzzy words)"
        ) from None
    except Exception as exc:  # whoosh must never show a traceback to a user
        raise BadQuery(f"the query could not be run ({type(exc).__name__}: {exc})") from None
    return ranked, matching


def _known_value(meta: Mapping[str, Any], name: str, value: object) -> str:
    """The indexed spelling of a filter value (any case; a theme also by its label), or a BadQuery."""
    known: list[str] = meta["values"][name]
    labels: Mapping[str, str] = meta["labels"].get(name, {})
    wanted = " ".join(str(value).split()).casefold()
    for v in known:
        if wanted in (v.casefold(), labels.get(v, "").casefold()):
            return v
    names = known + [labels[v] for v in known if v in labels]
    close = [c for c, score, _ in fuzzy.extract(wanted, names, limit=3) if score >= 60]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    listing = f"; known: {', '.join(known)}" if len(known) <= 12 else ""
    raise BadQuery(f"no {name} {str(value)!r} in the index{hint or listing}")


def _facets(index: SearchIndex, searcher: Any, matching: set[int]) -> dict[str, tuple[FacetValue, ...]]:
    """Counts per facet value over every matching document, from each value's documents (read once per index)."""
    docs = index.cache.get("facets")
    if docs is None:
        docs = {
            name: [(v, frozenset(searcher.docs_for_query(wq.Term(name, v)))) for v in index.meta["values"][name]]
            for name in FACETS
        }
        index.cache["facets"] = docs
    everything = len(matching) == searcher.doc_count_all()
    out = {}
    for name in FACETS:
        labels = index.meta["labels"].get(name, {})
        counts = [(v, len(d) if everything else len(d & matching)) for v, d in docs[name]]
        counts.sort(key=lambda vn: (-vn[1], vn[0].casefold()))
        out[name] = tuple(FacetValue(v, n, labels.get(v, v)) for v, n in counts if n)
    return out
