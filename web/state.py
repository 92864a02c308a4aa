"""What the web app reads: the store's current build (corpus, links, graph, search index), opened read-only.

A `Site` is one build. `current_site()` checks the store's `current` symlink once per request (the request keeps
its `Site` on `flask.g`) and opens the new build when `graphkit index` has swapped one in, so a running server
follows re-indexing without a restart. The new build opens on a thread of its own; a request waits up to
OPEN_WAIT seconds for it, then is answered from the build already open. A request that holds the old
`Site` finishes on it, as a `Site` holds its build folder against pruning for as long as it lives. Every response
names its build in `BUILD_HEADER`.
"""

from __future__ import annotations

import logging
import threading
import weakref
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO

import networkx as nx
from flask import Flask, Response, current_app, g

from graphkit.documents import read_lines
from graphkit.errors import GraphkitError, StoreError
from graphkit.graph import build_graph
from graphkit.queries import LinkIndex
from graphkit.records import Action
from graphkit.reviews import read_decisions, reviews_signature
from graphkit.store import Corpus, current_build, hold_build, load_build
from indexer.base import Line
from indexer.search import SearchIndex, open_index

SOURCE_CONTEXT = 3  # lines shown before and after an action's first line
BUILD_HEADER = "X-Graphkit-Build"


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a document: as printed (`raw`, markup and all) and as the parser read it (`text`, clean)."""

    number: int
    raw: str
    text: str
    own: bool  # the action's first line


@dataclass
class Site:
    """One build of the store, opened for reading."""

    corpus: Corpus
    links: LinkIndex
    graph: nx.MultiDiGraph
    search_index: SearchIndex
    folder: Path
    _lines: dict[str, list[Line]] = field(default_factory=dict)
    hold: IO[bytes] | None = field(default=None, repr=False, compare=False)  # keeps `folder` from being pruned
    reviews: int = 0  # the store's review decisions `links` applies (graphkit.reviews.reviews_signature)

    @classmethod
    def open(cls, folder: Path, store: Path | None = None) -> Site:
        """Open one build folder, and hold it for as long as this Site lives (`graphkit.store.hold_build`)."""
        hold = hold_build(folder)
        try:
            corpus = load_build(folder, store)
            try:
                graph = build_graph(corpus.plans, corpus.actions, corpus.links)
            except ValueError as exc:
                raise StoreError(f"the index in {folder} is inconsistent ({exc}): run `graphkit index` again") from None
            site = cls(corpus, LinkIndex(corpus), graph, open_index(folder / "search"), folder, hold=hold)
            site.apply_reviews(store if store is not None else folder.parent.parent)
        except BaseException:
            if hold is not None:
                hold.close()
            raise
        if hold is not None:
            weakref.finalize(site, hold.close)  # let go of the build once no request or app refers to this Site
        return site

    def apply_reviews(self, store: Path) -> None:
        """Make `links` the build's links as the store's review decisions make them, when they changed since."""
        seen = reviews_signature(store)
        if seen != self.reviews:
            self.links = LinkIndex(self.corpus, read_decisions(store))  # requests under way keep the index they hold
            self.reviews = seen

    @cached_property
    def plans(self) -> dict:
        return {p.id: p for p in self.corpus.plans}

    @cached_property
    def councils(self) -> list[str]:
        return sorted({p.council for p in self.corpus.plans})

    @cached_property
    def data_dir(self) -> Path | None:
        data = self.corpus.manifest.get("data")
        return Path(data) if data else None

    def source_lines(self, action: Action, context: int = SOURCE_CONTEXT) -> list[SourceLine]:
        """The lines around an action's first line in its document (empty when the file is gone or unreadable)."""
        lines = self._lines.get(action.source.file)
        if lines is None:
            lines = []
            if self.data_dir is not None:
                try:
                    # a PDF, Word, Excel or HTML plan's lines are its rendered text, as its parser read them
                    lines = read_lines(self.data_dir / "plans" / action.source.file)[0]
                except (OSError, GraphkitError):
                    lines = []
            self._lines[action.source.file] = lines
        first = max(1, action.source.line - context)
        last = min(len(lines), action.source.line + context)
        return [
            SourceLine(n, lines[n - 1].raw, lines[n - 1].text, n == action.source.line) for n in range(first, last + 1)
        ]


_LOCK = threading.Lock()
# How long a request waits for a new build to open before it is answered from the build already open: a small
# store opens in well under a second, so its next request sees the new build; a large one takes a minute, during
# which requests are answered from the previous build (their X-Graphkit-Build header says which) instead of waiting.
OPEN_WAIT = 3.0
LOG = logging.getLogger(__name__)


def current_site() -> Site:
    """The store's current build, reopened when `graphkit index` has swapped in a new one; one per request.

    Raises
    ------
    StoreError
        When the store has no build (the app shows this as a 503 page naming the fix), or the first build the app
        opens cannot be read.
    """
    if "graphkit_site" in g:
        return g.graphkit_site
    state = current_app.extensions["graphkit"]
    store = Path(state["store"])
    folder = current_build(store)
    site = state.get("site")
    if site is None or site.folder != folder:
        opening = _opening(state, store, folder, retry=site is None)
        try:
            site = opening.result(timeout=None if site is None else OPEN_WAIT)
        except FutureTimeout:
            pass  # still opening: this request is answered from the build already open
        except StoreError:
            if site is None:
                raise
    with _LOCK:
        site.apply_reviews(store)  # a decision saved since (by `graphkit review`) shows at the next request
    g.graphkit_site = site
    return site


def open_ahead(app: Flask) -> Future | None:
    """Start opening the store's current build now, on its thread, instead of at the first request (None when the
    store has no build yet). `graphkit serve` calls it once it has its port, before it serves: a large build takes
    tens of seconds to open (32,000 actions: about 27 s), which the first visitor would otherwise wait."""
    state = app.extensions["graphkit"]
    store = Path(state["store"])
    try:
        folder = current_build(store)
    except StoreError:
        return None
    return _opening(state, store, folder, retry=True)


def _opening(state: dict, store: Path, folder: Path, retry: bool) -> Future:
    """The opening of `folder`, started on a thread of its own by the first request that finds it current; started
    again after a failure when `retry` (when no build is open, each request tries, as the first one did)."""
    with _LOCK:
        opening = state.get("opening")
        failed = opening is not None and opening[1].done() and opening[1].exception() is not None
        if opening is None or opening[0] != folder or (failed and retry):
            opening = (folder, Future())
            state["opening"] = opening
            worker = threading.Thread(target=_open_into, args=(state, store, *opening), name="graphkit-open")
            worker.daemon = True
            worker.start()
        return opening[1]


def _open_into(state: dict, store: Path, folder: Path, future: Future) -> None:
    try:
        site = _open_newest(store, folder)
    except BaseException as exc:
        if state.get("site") is not None:
            LOG.error("cannot open the build %s (%s); still serving %s", folder.name, exc, state["site"].folder.name)
        future.set_exception(exc)
        return
    with _LOCK:
        if state.get("opening", (None,))[0] == folder:  # not overtaken by a newer build
            state["site"] = site
    future.set_result(site)


def _open_newest(store: Path, folder: Path) -> Site:
    """Open the build `current` pointed at; if it went while being opened (replaced, then pruned), the new one."""
    try:
        return Site.open(folder, store)
    except StoreError:
        newer = current_build(store)
        if newer == folder:
            raise
        return Site.open(newer, store)


def build_header(response: Response) -> Response:
    """Name the build a response was answered from (`X-Graphkit-Build`), so a client can tell two builds apart."""
    site = g.get("graphkit_site")
    if site is not None:
        response.headers[BUILD_HEADER] = site.folder.name
    return response


def get_searcher():
    """A searcher of the current build's search index (whoosh or tantivy), one per request, closed at teardown."""
    if "graphkit_searcher" not in g:
        g.graphkit_searcher = current_site().search_index.searcher()
    return g.graphkit_searcher


def close_searcher(_exc: BaseException | None = None) -> None:
    searcher = g.pop("graphkit_searcher", None)
    if searcher is not None:
        searcher.close()
