"""The full-text search of every action, behind one interface whatever backend holds the index: `write_index`
(called by the store while it writes a build folder, so the index is swapped in with the rest of the build),
`open_index` (read-only) and `search`, which the CLI and the web UI both call: it runs a compiled query
(`indexer.query`) with the filters, ranks every match, pages the hits, counts the facets over every match and
shows each hit with a snippet and the reasons it matched (`indexer.results`).

Two backends hold the same documents (`indexer.search_backend`) and run the same query tree with the same
analysis, field and synonym boosts, so they find the same actions; only the scores differ a little (whoosh's
BM25F and tantivy's BM25 weigh term rarity differently):

- whoosh (`indexer.whoosh_backend`), pure Python: the default for small corpora, where it answers in
  milliseconds and every result of the bundled plans was tuned;
- tantivy (`indexer.tantivy_backend`), Rust: from `TANTIVY_FROM` actions, where whoosh grows too slow
  (bench/README.md, "Search", on a busy machine: search p95 112 ms at 1,000 actions and 476 ms at 32,000 for
  whoosh; 29 ms, 18 ms and, at 300,000 actions, 48 ms for tantivy, which also indexes about 10 times faster).

The backend is chosen when the index is written and recorded in its ``meta.json``, which `open_index` and
`search` follow: `write_index`'s `backend` argument (whoosh, tantivy or auto), else the environment variable
``GRAPHKIT_SEARCH_BACKEND`` (the same values), else auto, which picks whoosh below `TANTIVY_FROM` actions and
tantivy from it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from types import ModuleType
from typing import Any

from rapidfuzz import process as fuzzy

from graphkit.errors import BadQuery, StoreError
from graphkit.records import STATUS_LABELS, Action, Plan
from graphkit.vocab import THEMES_BY_SLUG
from graphkit.workers import collector_paused
from indexer import tantivy_backend, whoosh_backend
from indexer.analysis import EXACT_FIELDS
from indexer.broaden import broaden, part_score
from indexer.normalise import clean_text
from indexer.query import compile_query
from indexer.results import FacetValue, SearchResult, build_hit
from indexer.search_backend import FACETS, MAX_DEPTH, MAX_LIMIT, owner_facet
from indexer.suggest import suggest

__all__ = ["FACETS", "MAX_DEPTH", "MAX_LIMIT", "SearchIndex", "choose_backend", "open_index", "search", "write_index"]

FORMAT = 1
TIME_LIMIT = 5.0  # seconds of collection before a query is refused; the real corpus answers in milliseconds
BACKENDS: dict[str, ModuleType] = {"whoosh": whoosh_backend, "tantivy": tantivy_backend}
BACKEND_VARIABLE = "GRAPHKIT_SEARCH_BACKEND"
# From this many actions "auto" writes a tantivy index. Measured with bench/search.py on the synthetic corpus
# (other work kept 2 cores at load 4): whoosh's search p95 was 92 ms on the 234 bundled actions, 112 ms at
# 1,000 and 133 ms at 3,000, tantivy's 30, 29 and 38 ms. Below this size whoosh stays, fast enough, with the
# results tuned on the five bundled plans.
TANTIVY_FROM = 1_000


# --- writing -----------------------------------------------------------------------------------------------


def choose_backend(actions: int, backend: str | None = None) -> str:
    """The backend an index of this many actions is written with: `backend` (whoosh, tantivy or auto), else the
    environment variable ``GRAPHKIT_SEARCH_BACKEND``, else auto (tantivy from `TANTIVY_FROM` actions).

    >>> choose_backend(234, "auto"), choose_backend(300_000, "auto"), choose_backend(234, "Tantivy")
    ('whoosh', 'tantivy', 'tantivy')

    Raises
    ------
    StoreError
        For a name that is not whoosh, tantivy or auto.
    """
    wanted = backend if backend is not None else os.environ.get(BACKEND_VARIABLE, "auto")
    name = wanted.strip().lower() or "auto"
    if name == "auto":
        return "tantivy" if actions >= TANTIVY_FROM else "whoosh"
    if name not in BACKENDS:
        told = "the search backend" if backend is not None else BACKEND_VARIABLE
        raise StoreError(f"{told} must be whoosh, tantivy or auto, not {wanted!r}")
    return name


def write_index(actions: Sequence[Action], plans: Iterable[Plan], folder: Path, backend: str | None = None) -> Path:
    """Write the search index of these actions into a new folder (the store passes one inside its build folder).

    Parameters
    ----------
    actions
        The action records to index.
    plans
        The catalogue's plans, for facet labels (plan titles).
    folder
        A folder that does not exist yet; `meta.json` is written last, so a folder without it is incomplete.
    backend
        whoosh, tantivy or auto; None: the environment variable ``GRAPHKIT_SEARCH_BACKEND``, else auto
        (`choose_backend`).

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
    ...     for name in ("whoosh", "tantivy"):
    ...         folder = write_index([action], [], Path(tmp) / name, backend=name)
    ...         print(name, search(folder, "advocacy").hits[0].snippet_text())
    whoosh Offer every child an «advocate».
    tantivy Offer every child an «advocate».
    """
    name = choose_backend(len(actions), backend)
    folder.mkdir(parents=True)
    with collector_paused():  # a document's fields are many small objects and no cycles (32,000 actions: 8 s less)
        values = BACKENDS[name].write_documents(actions, folder)
    titles = {a.document: a.plan for a in actions} | {p.id: p.title for p in plans}  # the catalogue's title first
    owners = {  # the owner facet's labels, from the owners as the index holds them (cleaned of markup)
        r.slug: r.label for a in actions for printed in a.owners for r in owner_facet(clean_text(printed), a.council)
    }
    meta = {
        "format": FORMAT,
        "backend": name,
        "version": BACKENDS[name].VERSION,
        "actions": len(actions),
        "values": {facet: sorted(values[facet]) for facet in FACETS},
        "labels": {
            "plan": titles,
            "theme": {slug: t.label for slug, t in THEMES_BY_SLUG.items()},
            "owner": owners,
            "status": dict(STATUS_LABELS),
        },
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


# --- reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """A search index opened read-only: `backend` names what holds it, `searcher()` gives a searcher to pass to
    `search` (the web UI keeps one per request; close it, or use it as a context manager); closing the index
    releases its files. `cache` holds what a backend reads once per index (each facet value's documents, the
    unfiltered facet counts): an index in a build folder never changes."""

    folder: Path
    index: Any = dataclass_field(repr=False)
    meta: Mapping[str, Any] = dataclass_field(repr=False)
    cache: dict[str, Any] = dataclass_field(default_factory=dict, repr=False)

    @property
    def backend(self) -> str:
        return self.meta.get("backend", "whoosh")  # indexes written before tantivy came are whoosh's

    def searcher(self) -> Any:
        return BACKENDS[self.backend].new_searcher(self.index)

    def close(self) -> None:
        BACKENDS[self.backend].close_folder(self.index)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(folder: Path | str) -> SearchIndex:
    """Open a search index read-only, with the backend that wrote it.

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
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("backend", "whoosh") not in BACKENDS:
        raise StoreError(f"the search index in {folder} is from another graphkit version: {again}")
    backend = BACKENDS[meta.get("backend", "whoosh")]
    try:
        handle = backend.open_folder(folder)
    except Exception as exc:  # whoosh raises its own errors, and unpickling errors, tantivy ValueError, for damage
        raise StoreError(f"the search index in {folder} cannot be opened ({type(exc).__name__}): {again}") from None
    return SearchIndex(folder, handle, meta)


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
        A searcher of `index` (`SearchIndex.searcher`) to reuse; it is not closed here.

    Returns
    -------
    SearchResult

    Raises
    ------
    BadQuery
        For a malformed or too costly query, an unknown filter value or a bad page; never a backend's error.

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
    first = (page - 1) * limit
    broad = broaden(compiled, exact)
    backend = BACKENDS[index.backend]
    searcher_ = searcher or index.searcher()
    suggestions: tuple[str, ...] = ()
    try:
        ranked = compiled if broad is None else replace(compiled, query=broad.first)
        found = backend.run_query(
            index.index, searcher_, ranked, filters, first, limit, time_limit, index.meta["values"], index.cache
        )
        more = None
        if broad is not None:  # the second tier, after every first-tier match: its page starts where they end
            room = limit - len(found.hits)
            more = backend.run_query(
                index.index, searcher_, replace(compiled, query=broad.query), filters, max(0, first - found.total),
                max(1, room), time_limit, index.meta["values"], index.cache,
            )  # fmt: skip
        if not found.total and query.strip():  # did you mean: the index's own words, read once per open index
            if "vocabulary" not in index.cache:
                fields = [f.name for f in EXACT_FIELDS if f.fuzzy or f.label == "owners"]
                index.cache["vocabulary"] = backend.vocabulary(searcher_, fields)
            suggestions = suggest(query, index.cache["vocabulary"])
    finally:
        if searcher is None:
            searcher_.close()
    rank = first + 1
    themes = broad.themes if broad else ()
    hits = [build_hit(record, score, compiled, n, themes=themes) for n, (record, score) in enumerate(found.hits, rank)]
    counts = found.counts
    if more is not None:
        extra = more.hits[: limit - len(hits)]
        hits += [
            build_hit(record, part_score(score)[1], compiled, n, second=True, themes=themes)
            for n, (record, score) in enumerate(extra, rank + len(hits))
        ]
        counts = {name: _added(found.counts[name], more.counts[name]) for name in FACETS}
    partial = more.total if more is not None else 0
    facets = _facets(index.meta, counts)
    labels = tuple(THEMES_BY_SLUG[slug].label for slug in (broad.themes if broad else ()))
    return SearchResult(
        query, exact, found.total, page, max(1, math.ceil((found.total + partial) / limit)), limit, tuple(hits),
        facets, compiled.terms, filters, partial, labels, suggestions,
    )  # fmt: skip


def _added(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """Two tiers' counts per facet value, added (no action is in both)."""
    return {v: a.get(v, 0) + b.get(v, 0) for v in a.keys() | b.keys()}


def _known_value(meta: Mapping[str, Any], name: str, value: object) -> str:
    """The indexed spelling of a filter value (any case; a theme also by its label), or a BadQuery."""
    known: list[str] = meta["values"][name]
    labels: Mapping[str, str] = meta["labels"].get(name, {})
    wanted = " ".join(str(value).split()).casefold()
    for v in known:
        if wanted in (v.casefold(), labels.get(v, "").casefold()):
            return v
    if name == "owner":  # an owner as printed ("Senior Manager: Permanence"), folded as the index folds owners
        folded = _folded_owner(known, str(value))
        if folded:
            return folded
    names = known + [labels[v] for v in known if v in labels]
    close = [c for c, score, _ in fuzzy.extract(wanted, names, limit=3) if score >= 60]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    listing = f"; known: {', '.join(known)}" if len(known) <= 12 else ""
    raise BadQuery(f"no {name} {str(value)!r} in the index{hint or listing}")


def _folded_owner(known: Sequence[str], printed: str) -> str | None:
    """The owner facet value a printed owner folds to: its role's slug, or the one person of that name (a person's
    slug carries the council, which a typed name does not say)."""
    text = " ".join(printed.split())
    for council in ("", *sorted({v.partition("/")[0] for v in known if "/" in v})):  # a person's alias is a council's
        for part in owner_facet(text, council):
            if part.slug in known:
                return part.slug
            people = [v for v in known if v.endswith(f"/{part.slug}")]
            if len(people) == 1:
                return people[0]
    return None


def _facets(meta: Mapping[str, Any], counts: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[FacetValue, ...]]:
    """Each facet's values held by a match, most matches first, with their labels."""
    out = {}
    for name in FACETS:
        labels = meta["labels"].get(name, {})
        held = sorted(((v, n) for v, n in counts[name].items() if n), key=lambda vn: (-vn[1], vn[0].casefold(), vn[0]))
        out[name] = tuple(FacetValue(v, n, labels.get(v, v)) for v, n in held)
    return out
