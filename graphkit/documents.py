"""One document -> DocumentOutcome (its records, problems and coverage row), and many documents on every usable core.

`index_document` reads, parses and normalises one document and never raises for a bad one. `parse_documents` runs
it over many documents, in worker processes when there are enough of them to pay for the processes, and gives the
outcomes back in the order of the plans it was given. A parser exception, or a worker process that dies (a crash in
a C extension, the kernel's out-of-memory killer), loses only that document, reported with its file.

This module imports only what parsing needs: the parse cache (`graphkit.parsecache`) hashes the source of every
module it imports, so a change to linking or search does not throw the cached parses away.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.catalogue import plan_path
from graphkit.errors import DocumentError
from graphkit.records import Action, Plan
from graphkit.workers import can_fork, usable_workers
from indexer.base import NOT_PLACED, Line, ParseProblem, ParseResult
from indexer.enrich import enrich
from indexer.normalise import read_document
from indexer.registry import parser_for

# Below this many documents to parse, one process parses them: a document takes 50-350 ms, and forking the
# workers and sending the records back costs about one document's time. Above it, two workers parsed 320 generated
# plans (32,000 actions, bench/corpus.py) for 6% more CPU time than one process (40 vs 38 s): on an idle 2-core
# machine, about half the wall time.
PARALLEL_FROM = 8
WORKER_DIED = "the process parsing this document stopped abruptly (a crash, or out of memory)"
PR_SET_PDEATHSIG = 1  # Linux prctl(2): the signal a process gets when its parent dies


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


def failed_document(plan: Plan, message: str, parser: str | None = None, lines: int = 0) -> DocumentOutcome:
    """The outcome of a document that could not be indexed: no records, one error naming the file."""
    problem = ParseProblem(plan.id, plan.file, 0, message, severity="error")
    row = {"document": plan.id, "file": plan.file, "parser": parser, "records": 0, "lines": lines, "error": message}
    return DocumentOutcome(plan, [], [problem], row)


def index_document(data_dir: Path, plan: Plan) -> DocumentOutcome:
    """Read, parse and normalise one document; never raises for a bad document."""
    try:
        lines = read_document(plan_path(data_dir, plan))
    except DocumentError as exc:
        return failed_document(plan, str(exc))
    parser, why = parser_for(plan, lines)
    try:
        result = parser.parse(plan, lines)
        result.parser = parser.name
        actions = enrich(plan, result)
    except Exception as exc:  # a parser bug must not stop the other documents
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"parser {parser.name} failed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
        return failed_document(plan, message, parser.name, len(lines))
    result.account_for(lines)  # a safety net: every parser already does this
    if not actions:
        result.problem(0, "no actions found in this document")
    row = coverage_row(plan, result, lines, len(actions), why)
    return DocumentOutcome(plan, actions, sorted(result.problems, key=lambda p: p.line), row)


def parse_documents(data_dir: Path, plans: Sequence[Plan], workers: int | None = None) -> Iterator[DocumentOutcome]:
    """Index documents, on every usable core when there are at least PARALLEL_FROM of them.

    Parameters
    ----------
    data_dir
        Folder holding `plans/`.
    plans
        The documents to index.
    workers
        Processes to use; default: the usable cores. 1 parses in this process.

    Yields
    ------
    DocumentOutcome
        One per plan, in the order of `plans`, each as soon as it and the ones before it are done.

    Examples
    --------
    >>> from graphkit.catalogue import read_catalogue
    >>> from graphkit.cli.common import BUNDLED_DATA
    >>> plans = read_catalogue(BUNDLED_DATA)
    >>> [len(o.actions) for o in parse_documents(BUNDLED_DATA, plans[:2], workers=1)]
    [31, 83]
    """
    workers = min(usable_workers(workers), len(plans))
    if workers < 2 or len(plans) < PARALLEL_FROM:
        yield from (index_document(data_dir, plan) for plan in plans)
        return
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent) as pool:
        futures = [pool.submit(index_document, data_dir, plan) for plan in plans]
        try:
            for plan, future in zip(plans, futures, strict=True):
                try:
                    yield future.result()
                except BrokenProcessPool:  # some document killed a worker: find which by parsing each alone
                    yield _parse_alone(data_dir, plan, context)
        finally:
            pool.shutdown(cancel_futures=True)


def _start_method() -> str:
    # fork starts a worker in milliseconds, but forking a process that runs other threads (a test's server, say)
    # can copy a lock another thread holds, and the child then waits forever: those processes start clean workers.
    if can_fork():
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _die_with_parent() -> None:
    """Worker start: end this worker when its parent dies. An idle worker waits for work forever, so a build killed
    by SIGKILL (which no handler sees) would otherwise leave its workers running."""
    if not sys.platform.startswith("linux"):  # prctl is Linux's; elsewhere a killed build's workers may linger
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _parse_alone(data_dir: Path, plan: Plan, context: Any) -> DocumentOutcome:
    """Parse one document in a process of its own, so that if it kills the process it loses only itself."""
    with ProcessPoolExecutor(1, mp_context=context, initializer=_die_with_parent) as pool:
        try:
            return pool.submit(index_document, data_dir, plan).result()
        except BrokenProcessPool:
            return failed_document(plan, WORKER_DIED)
