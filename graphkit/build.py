"""build(data_dir, store) -> Corpus: parse every document, account for every line, write the store.

One bad document never stops the others: its problems land in `Corpus.problems` with file and line.
"""

from __future__ import annotations

import json
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.catalogue import plan_path, read_catalogue
from graphkit.errors import DocumentError
from graphkit.export import graph_to_json
from graphkit.graph import build_graph
from graphkit.linking import find_links
from graphkit.records import Action, Plan
from graphkit.store import Corpus, build_lock, write_corpus
from indexer.base import NOT_PLACED, Line, ParseProblem, ParseResult
from indexer.enrich import enrich
from indexer.normalise import read_document
from indexer.registry import parser_for
from indexer.search import write_index

GRAPH_FILE = "graph.json"
SEARCH_DIR = "search"


@dataclass(slots=True)
class DocumentOutcome:
    """What indexing one document gave: its records, problems and coverage row."""

    plan: Plan
    actions: list[Action]
    problems: list[ParseProblem]
    coverage: dict[str, Any]

    @property
    def indexed(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def coverage_row(plan: Plan, result: ParseResult, lines: list[Line], records: int, why: str) -> dict[str, Any]:
    blank = sum(1 for line in lines if line.blank)
    skipped_lines = sorted((n, r) for n, r in result.skipped.items() if n not in result.used)
    unplaced = sorted({p.line for p in result.problems if p.reason == NOT_PLACED})
    return {
        "document": plan.id,
        "file": plan.file,
        "parser": result.parser,
        "parser_reason": why,
        "records": records,
        "lines": len(lines),
        "blank": blank,
        "used": len(result.used),
        "skipped": len(skipped_lines),
        "skipped_by_reason": dict(Counter(r for _, r in skipped_lines).most_common()),
        "skipped_lines": [[n, r] for n, r in skipped_lines],
        "unplaced": len(unplaced),
        "unplaced_lines": unplaced,
        "problems": len(result.problems),
    }


def index_document(data_dir: Path, plan: Plan) -> DocumentOutcome:
    """Read, parse and normalise one document; never raises for a bad document."""
    try:
        lines = read_document(plan_path(data_dir, plan))
    except DocumentError as exc:
        problem = ParseProblem(plan.id, plan.file, 0, str(exc), severity="error")
        row = {"document": plan.id, "file": plan.file, "parser": None, "records": 0, "lines": 0, "error": str(exc)}
        return DocumentOutcome(plan, [], [problem], row)
    parser, why = parser_for(plan, lines)
    try:
        result = parser.parse(plan, lines)
        result.parser = parser.name
        actions = enrich(plan, result)
    except Exception as exc:  # a parser bug must not stop the other documents
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"parser {parser.name} failed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
        problem = ParseProblem(plan.id, plan.file, 0, message, severity="error")
        row = {"document": plan.id, "file": plan.file, "parser": parser.name, "records": 0, "lines": len(lines)}
        return DocumentOutcome(plan, [], [problem], dict(row, error=message))
    result.account_for(lines)  # a safety net: every parser already does this
    if not actions:
        result.problem(0, "no actions found in this document")
    row = coverage_row(plan, result, lines, len(actions), why)
    return DocumentOutcome(plan, actions, sorted(result.problems, key=lambda p: p.line), row)


def artefact_writers(corpus: Corpus, graph: nx.MultiDiGraph | None = None) -> list[Callable[[Path], None]]:
    """What a build adds to its folder besides the records: the graph (node-link JSON) and the search index."""
    graph = graph if graph is not None else build_graph(corpus.plans, corpus.actions, corpus.links)

    def write_graph(folder: Path) -> None:
        (folder / GRAPH_FILE).write_text(json.dumps(graph_to_json(graph), ensure_ascii=False), encoding="utf-8")

    def write_search(folder: Path) -> None:
        write_index(corpus.actions, corpus.plans, folder / SEARCH_DIR)

    return [write_graph, write_search]


def build(
    data_dir: Path,
    store: Path,
    on_document: Callable[[DocumentOutcome], None] | None = None,
    plans: list[Plan] | None = None,
) -> Corpus:
    """Index every document of the catalogue into a new build of the store.

    Parameters
    ----------
    data_dir
        Folder holding `catalogue.csv` and `plans/`.
    store
        Store folder; the new build replaces the current one atomically when complete.
    on_document
        Called after each document (for progress display).
    plans
        The catalogue, when the caller has already read it; read from `data_dir` otherwise.

    Returns
    -------
    Corpus
        The records, problems and coverage that were written.

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
        outcomes = []
        for plan in plans:
            outcome = index_document(data_dir, plan)
            outcomes.append(outcome)
            if on_document:
                on_document(outcome)
        actions = [a for o in outcomes for a in o.actions]
        corpus = Corpus(
            plans=plans,
            actions=actions,
            problems=[p for o in outcomes for p in o.problems],
            coverage=[o.coverage for o in outcomes],
            manifest={
                "data": str(data_dir),
                "documents": len(plans),
                "indexed": sum(o.indexed for o in outcomes),
                "actions": sum(len(o.actions) for o in outcomes),
            },
            links=find_links(actions),
        )
        graph = build_graph(plans, actions, corpus.links)
        corpus.manifest["links"] = dict(Counter(link.kind for link in corpus.links).most_common())
        corpus.manifest["graph"] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
        corpus.manifest["seconds"] = round(time.perf_counter() - started, 3)  # before writing the store
        corpus.path = write_corpus(store, corpus, writers=artefact_writers(corpus, graph))
    return corpus
