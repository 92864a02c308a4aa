"""build(data_dir, store) -> Corpus: parse every document (re-using the unchanged ones), link, write the store.

One bad document never stops the others: its problems land in `Corpus.problems` with file and line. Documents
are parsed on every usable core (`graphkit.documents`); a document whose file, catalogue row and parser code are
those of a document parsed before is taken from the store's parse cache (`graphkit.parsecache`) instead.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from graphkit import database
from graphkit.catalogue import read_catalogue
from graphkit.documents import DocumentOutcome, index_document, parse_documents
from graphkit.duplicates import write_stored_clusters
from graphkit.graph import graph_size
from graphkit.parsecache import ParseCache, document_key
from graphkit.records import Plan
from graphkit.relink import Linking, choose_linking, link, write_bars
from graphkit.store import SEARCH_DIR, Corpus, StoreError, build_lock, checkpoint, finished_builds, write_corpus
from graphkit.workers import frozen_for_the_collector
from indexer.search import write_index

__all__ = ["DocumentOutcome", "artefact_writers", "build", "index_document"]


def artefact_writers(corpus: Corpus, bars: np.ndarray | None = None) -> list[Callable[[Path], None]]:
    """What a build adds to its folder besides the records: the duplicate clusters
    (`graphkit.duplicates.stored_clusters`), the records, links and clusters in one SQLite database
    (`graphkit.database`, which the command line reads), the search index, and the actions' candidate bars when
    they are given (`graphkit.relink.write_bars`, for the next build to link incrementally).

    The graph is not stored: `build_graph` makes it from the records in a third of the time reading it back from
    node-link JSON took (32,000 actions: 11 s against 29 s, and 27 s to write it), so readers build it.
    """

    clusters: dict[str, list] = {}

    def write_clusters(folder: Path) -> None:
        clusters.update(write_stored_clusters(corpus.actions, corpus.links, folder))

    def write_database(folder: Path) -> None:
        database.write_database(
            folder, corpus.plans, corpus.actions, corpus.links, corpus.problems, corpus.coverage, clusters
        )

    def write_search(folder: Path) -> None:
        write_index(corpus.actions, corpus.plans, folder / SEARCH_DIR)

    def write_links(folder: Path) -> None:  # the candidate bars: their time counts as linking's
        if bars is not None:
            write_bars(folder, corpus.actions, bars)

    return [write_clusters, write_database, write_search, write_links]


def build(
    data_dir: Path,
    store: Path,
    on_document: Callable[[DocumentOutcome], None] | None = None,
    plans: list[Plan] | None = None,
    full: bool = False,
) -> Corpus:
    """Index every document of the catalogue into a new build of the store.

    Parameters
    ----------
    data_dir
        Folder holding `catalogue.csv` and `plans/`.
    store
        Store folder; the new build replaces the current one atomically when complete.
    on_document
        Called after each document, in catalogue order (for progress display).
    plans
        The catalogue, when the caller has already read it; read from `data_dir` otherwise.
    full
        Parse every document, ignoring the parse cache (which is still refreshed).

    Returns
    -------
    Corpus
        The records, problems and coverage that were written. Its manifest says how many documents were
        `reused` from the cache and how long each phase took (`timings`, seconds).

    Raises
    ------
    CatalogueError
        For a missing data folder or an invalid catalogue (nothing is written).
    StoreError
        When another build holds the store's lock.
    """
    started = time.perf_counter()
    plans = read_catalogue(data_dir) if plans is None else plans
    with build_lock(store):
        cache = ParseCache(store)
        keys: dict[str, str] = {}
        reused: list[str] = []
        outcomes = []
        for outcome in _outcomes(data_dir, plans, cache, keys, reused, full):
            outcomes.append(outcome)
            if on_document:
                on_document(outcome)
        parsed = time.perf_counter()
        checkpoint("parsed")
        actions = [a for o in outcomes for a in o.actions]
        linking = choose_linking(store, keys, actions, full)
        with frozen_for_the_collector():  # the records and links live to the end of the build
            try:
                links, bars = link(actions, linking)
            except StoreError as exc:
                linking = Linking("full", str(exc))
                links, bars = link(actions, linking)
            gc.freeze()
            linked = time.perf_counter()
            size = graph_size(plans, actions, links)
            graphed = time.perf_counter()
            corpus = Corpus(
                plans=plans,
                actions=actions,
                problems=[p for o in outcomes for p in o.problems],
                coverage=[o.coverage for o in outcomes],
                manifest={
                    "data": str(data_dir),
                    "documents": len(plans),
                    "indexed": sum(o.indexed for o in outcomes),
                    "actions": len(actions),
                    "reused": len(reused),
                    "parse_keys": keys,
                    "linking": linking.manifest(),
                    "timings": {
                        "parse": round(parsed - started, 3),
                        "links": round(linked - parsed, 3),
                        "graph": round(graphed - linked, 3),
                    },
                },
                links=links,
            )
            corpus.manifest["links"] = dict(Counter(link.kind for link in links).most_common())
            corpus.manifest["graph"] = size  # readers build the graph (see artefact_writers)
            corpus.manifest["seconds"] = round(time.perf_counter() - started, 3)  # before writing the store
            corpus.path = write_corpus(store, corpus, writers=artefact_writers(corpus, bars))
        in_use = {key for _, manifest in finished_builds(store) for key in manifest.get("parse_keys", {}).values()}
        cache.prune(in_use | set(keys.values()))
    return corpus


def _outcomes(
    data_dir: Path, plans: list[Plan], cache: ParseCache, keys: dict[str, str], reused: list[str], full: bool
) -> Iterator[DocumentOutcome]:
    """Every document's outcome in catalogue order: from the cache when it holds this very document (unless
    `full`), parsed otherwise (and then cached). Fills `keys` (document id -> cache key) and `reused`."""
    cached: dict[str, DocumentOutcome] = {}
    for plan in plans:
        key = document_key(data_dir, plan)
        if key is not None:
            keys[plan.id] = key
            found = None if full else cache.get(key, plan)
            if found is not None:
                cached[plan.id] = found
    fresh = parse_documents(data_dir, [p for p in plans if p.id not in cached])
    for plan in plans:
        if plan.id in cached:
            reused.append(plan.id)
            yield cached[plan.id]
            continue
        outcome = next(fresh)
        key = keys.get(plan.id)
        # a document that failed is not kept: its failure may not be the document's (a worker killed for memory)
        if key is not None and not (outcome.indexed and cache.put(key, outcome)):
            del keys[plan.id]
        yield outcome
    fresh.close()  # the worker processes end now, not when the generator is collected
