"""What the web app reads: the store's current build (corpus, links, graph, search index), opened read-only.

A `Site` is one build. `current_site()` checks the store's `current` symlink on every request and opens the new
build when `graphkit index` has swapped one in, so a running server follows re-indexing without a restart; a
request that already holds the old `Site` finishes on it (old builds are pruned only after the next swap).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
from flask import current_app, g

from graphkit.errors import GraphkitError, StoreError
from graphkit.export import graph_from_json
from graphkit.queries import LinkIndex
from graphkit.records import Action
from graphkit.store import Corpus, load_corpus
from indexer.base import Line
from indexer.normalise import read_document
from indexer.search import SearchIndex, open_index

SOURCE_CONTEXT = 3  # lines shown before and after an action's first line


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

    @classmethod
    def open(cls, store: Path) -> Site:
        corpus = load_corpus(store)
        folder = corpus.path
        assert folder is not None
        try:
            graph = graph_from_json(json.loads((folder / "graph.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise StoreError(f"the graph in {folder} cannot be read ({exc}): run `graphkit index` again") from None
        return cls(corpus, LinkIndex(corpus), graph, open_index(folder / "search"), folder)

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
                    lines = read_document(self.data_dir / "plans" / action.source.file)
                except (OSError, GraphkitError):
                    lines = []
            self._lines[action.source.file] = lines
        first = max(1, action.source.line - context)
        last = min(len(lines), action.source.line + context)
        return [
            SourceLine(n, lines[n - 1].raw, lines[n - 1].text, n == action.source.line) for n in range(first, last + 1)
        ]


_LOCK = threading.Lock()


def current_site() -> Site:
    """The store's current build, reopened when `graphkit index` has swapped in a new one.

    Raises
    ------
    StoreError
        When the store has no build (the app shows this as a 503 page naming the fix).
    """
    if "graphkit_site" in g:
        return g.graphkit_site
    state = current_app.extensions["graphkit"]
    store = Path(state["store"])
    current = store / "current"
    folder = current.resolve() if current.exists() else None
    site = state.get("site")
    if site is None or site.folder != folder:
        with _LOCK:
            site = state.get("site")
            if site is None or site.folder != folder:
                site = Site.open(store)
                state["site"] = site
    g.graphkit_site = site
    return site


def get_searcher():
    """A whoosh searcher of the current build, one per request, closed at teardown."""
    if "graphkit_searcher" not in g:
        g.graphkit_searcher = current_site().search_index.searcher()
    return g.graphkit_searcher


def close_searcher(_exc: BaseException | None = None) -> None:
    searcher = g.pop("graphkit_searcher", None)
    if searcher is not None:
        searcher.close()
