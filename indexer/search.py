"""The full-text search index of every action: the whoosh SCHEMA, `write_index` (called by the store while it
writes a build folder, so the index is swapped in with the rest of the build), `open_index` (read-only), and
`search`, the one query function that the CLI and the web UI both call.

The query language, the analysis and the synonym expansion live in `indexer.query`. Only whoosh API shared by
PyPI ``whoosh`` 2.7.4 and the ``whoosh3`` fork is used, so swapping them is one line in ``pyproject.toml``.
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
from graphkit.records import Action, Plan, Source
from graphkit.vocab import THEMES_BY_SLUG
from indexer.normalise import clean_text
from indexer.query import CODE, EXACT, FIELDS_BY_NAME, STEMMED, CompiledQuery, Probe, QueryTerm, compile_query

FORMAT = 1
TIME_LIMIT = 5.0  # seconds of collection before a query is refused; the real corpus answers in milliseconds
MAX_LIMIT = 200
MAX_DEPTH = 10_000  # page * limit: deeper pages are refused rather than scored and thrown away
# Two writer processes (multisegment) halve index time from a few hundred actions up, and search the two segments
# about as fast as one (bench/README.md); below this size the saving is under a second, not worth a fork per build.
MULTIPROCESS_FROM = 1_000
FILTER_WEIGHT = 1e-6  # a filter term's share of the score: nothing a ranking can see
SNIPPET_CHARS = 220
MARKS = ("«", "»")  # how `Hit.snippet_text` shows a match in plain text (the plans never print these)

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
# Fields a snippet can come from, in the order a hit's reasons are listed (then code: a matched code is in the
# hit's id and reasons already, so the snippet shows the action's text instead).
SNIPPET_FIELDS = ("text", "outcome", "progress", "owners")


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of a snippet: plain text, or (match=True) a word that matched. Never holds markup."""

    text: str
    match: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """Why a hit matched: in which field, which query term, and the typed words it was expanded from."""

    field: str
    term: str
    expanded_from: str | None = None
    via: str | None = None  # synonym or acronym, when expanded

    def __str__(self) -> str:
        told = f"{self.field}: {self.term}"
        return told + (f" ({self.via} of {self.expanded_from})" if self.expanded_from else "")


@dataclass(frozen=True, slots=True)
class Hit:
    """One action found: its rank and score, a snippet with the matches marked, and why it matched."""

    rank: int
    id: str
    score: float
    document: str
    plan: str
    council: str
    year: int
    code: str | None
    status: str
    text: str
    snippet: tuple[Fragment, ...]
    snippet_field: str
    matched: tuple[Match, ...]
    source: Source

    def snippet_text(self, marks: tuple[str, str] = MARKS) -> str:
        """The snippet as one line of plain text, each match between `marks` (default « and »)."""
        return "".join(f"{marks[0]}{f.text}{marks[1]}" if f.match else f.text for f in self.snippet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "score": round(self.score, 4),
            "snippet": self.snippet_text(),
            "fragments": [{"text": f.text, "match": f.match} for f in self.snippet],
            "snippet_field": self.snippet_field,
            "document": self.document,
            "plan": self.plan,
            "code": self.code,
            "council": self.council,
            "year": self.year,
            "status": self.status,
            "text": self.text,
            "matched": [
                {"field": m.field, "term": m.term, "expanded_from": m.expanded_from, "via": m.via} for m in self.matched
            ],
            "source": {"document": self.source.document, "file": self.source.file, "line": self.source.line},
        }


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet with the number of matching actions; `label` is the name to show."""

    value: str
    count: int
    label: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, facet counts over all matches, and the query as it was understood."""

    query: str
    exact: bool
    total: int
    page: int
    pages: int
    limit: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[FacetValue, ...]]
    terms: tuple[QueryTerm, ...]
    filters: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; `hits` is the first list in it (tools take the first list of an object as its rows)."""
        return {
            "query": self.query,
            "exact": self.exact,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "hits": [h.to_dict() for h in self.hits],
            "terms": [
                {
                    "text": t.text,
                    "kind": t.kind,
                    "field": t.field,
                    "expanded_from": t.expanded_from,
                    "via": t.via,
                    "negated": t.negated,
                }
                for t in self.terms
            ],
            "filters": dict(self.filters),
            "facets": {
                name: [{"value": v.value, "count": v.count, "label": v.label} for v in values]
                for name, values in self.facets.items()
            },
        }


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
        hits = tuple(_hit(h, compiled, rank) for rank, h in page_hits)
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


def _hit(hit: Any, compiled: CompiledQuery, rank: int) -> Hit:
    record = hit["record"]
    # an empty query is sorted by plan order, and whoosh then reports the sort key as the score: there is none
    score = 0.0 if isinstance(compiled.query, wq.Every) else float(hit.score or 0.0)
    # Which query terms a hit holds, read from its stored text as the index analyzed it (cheaper than whoosh's
    # terms=True, which records terms for every match, and exact: whoosh reports the words of a phrase for a
    # document that matched some other way). A phrase counts where its words follow each other.
    analyzed = {name: _analyzed(record, name) for name in {p.field for p in compiled.probes}}
    explained = [
        (probe, terms)
        for probe, terms in compiled.explain({name: {t for _, _, t in toks} for name, toks in analyzed.items()})
        if len(probe.tokens) < 2 or probe.slop > 1 or _runs(analyzed[probe.field], probe.tokens)
    ]
    order = {label: i for i, label in enumerate((*SNIPPET_FIELDS, "code"))}
    matches = sorted(
        dict.fromkeys(
            Match(FIELDS_BY_NAME[p.field].label, p.term.text, p.term.expanded_from, p.term.via) for p, _ in explained
        ),
        key=lambda m: order.get(m.field, len(order)),
    )
    # The snippet comes from the field where the matches weigh most: query terms explained there times the
    # field's ranking weight, so the action text wins unless a long progress note holds far more of the query.
    by_field: dict[str, list[tuple[Probe, set[str]]]] = {}
    for probe, terms in explained:
        if FIELDS_BY_NAME[probe.field].label in SNIPPET_FIELDS:
            by_field.setdefault(probe.field, []).append((probe, terms))
    best = max(by_field, default="", key=lambda f: len(by_field[f]) * FIELDS_BY_NAME[f].boost)
    label = FIELDS_BY_NAME[best].label if best else ("text" if record["text"] else "outcome")
    words = {t for p, terms in by_field.get(best, []) if len(p.tokens) < 2 or p.slop > 1 for t in terms}
    phrases = [p.tokens for p, _ in by_field.get(best, []) if len(p.tokens) > 1 and p.slop == 1]
    analyzer = FIELDS_BY_NAME[best or "text"].analyzer
    return Hit(
        rank=rank,
        id=record["id"],
        score=score,
        document=record["document"],
        plan=record["plan"],
        council=record["council"],
        year=record["year"],
        code=record["code"],
        status=record["status"],
        text=record["text"],
        snippet=fragments(record[label] or "", analyzer, words, phrases),
        snippet_field=label,
        matched=tuple(matches),
        source=Source(record["document"], record["file"], record["line"]),
    )


def fragments(
    text: str,
    analyzer: Any,
    words: set[str],
    phrases: Sequence[tuple[str, ...]] = (),
    width: int = SNIPPET_CHARS,
) -> tuple[Fragment, ...]:
    """The part of `text` (at most about `width` characters) that holds the most matches, cut at spaces, with
    the matches marked: every token in `words`, and each run of tokens that spells one of `phrases` (all are
    analyzed terms, as the index holds them).

    >>> [(f.text, f.match) for f in fragments("Offer an advocate to all.", STEMMED, {"advoc"})]
    [('Offer an ', False), ('advocate', True), (' to all.', False)]
    >>> text = "Care for brothers and sisters; brothers care"
    >>> [f.text for f in fragments(text, STEMMED, set(), [("brother", "sister")])]
    ['Care for ', 'brothers and sisters', '; brothers care']
    """
    toks = [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True)]
    marked = {i for i, (_, _, t) in enumerate(toks) if t in words}
    joined: set[int] = set()  # tokens that continue a phrase run: shown as one match with the token before
    for phrase in phrases:
        n = len(phrase)
        for i in _runs(toks, phrase):
            marked.update(range(i, i + n))
            joined.update(range(i + 1, i + n))
    spans: list[tuple[int, int]] = []
    for i in sorted(marked):
        begin, end, _ = toks[i]
        if i in joined and spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    start = 0
    if spans:
        best = -1
        for i, (begin, _) in enumerate(spans):  # the window starting near a match that holds the most others
            held = sum(1 for _, e in spans[i:] if e <= begin + width - 40)
            if held > best:
                best, start = held, max(0, begin - 40)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    out: list[Fragment] = [Fragment("…")] if start else []
    at = start
    for begin, finish in spans:
        if begin >= at and finish <= end:
            if begin > at:
                out.append(Fragment(text[at:begin]))
            out.append(Fragment(text[begin:finish], True))
            at = finish
    if at < end:
        out.append(Fragment(text[at:end]))
    if end < len(text):
        out.append(Fragment("…"))
    return tuple(_merge(out))


def _analyzed(record: Mapping[str, Any], field: str) -> list[tuple[int, int, str]]:
    """The stored text of a field as the index analyzed it: (start, end, term) per token."""
    spec = FIELDS_BY_NAME[field]
    return [(t.startchar, t.endchar, t.text) for t in spec.analyzer(record[spec.label] or "", chars=True)]


def _runs(toks: Sequence[tuple[int, int, str]], phrase: tuple[str, ...]) -> list[int]:
    """Where the analyzed terms of `phrase` follow each other in `toks` (start, end, term)."""
    n = len(phrase)
    return [i for i in range(len(toks) - n + 1) if all(toks[i + k][2] == phrase[k] for k in range(n))]


def _merge(pieces: list[Fragment]) -> Iterable[Fragment]:
    """Join neighbouring plain pieces, so a snippet alternates plain text and matches."""
    merged: list[Fragment] = []
    for piece in pieces:
        if merged and not piece.match and not merged[-1].match:
            merged[-1] = Fragment(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
