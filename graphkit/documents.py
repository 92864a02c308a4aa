"""One document -> DocumentOutcome (its records, problems and coverage row), and many documents on every usable core.

`index_document` reads, parses and normalises one document and never raises for a bad one. `parse_documents` runs
it over many documents, in worker processes when there are enough of them to pay for the processes, and gives the
outcomes back in the order of the plans it was given. A parser exception, or a worker process that dies (a crash in
a C extension, the kernel's out-of-memory killer), loses only that document, reported with its file.

This module imports only what parsing needs: the parse cache (`graphkit.parsecache`) hashes the source of every
module it imports, so a change to linking or search does not throw the cached parses away.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
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
from graphkit.records import Action, Plan, PrintedSource
from graphkit.workers import can_fork, usable_workers
from indexer.base import NOT_PLACED, Line, ParseProblem, ParseResult
from indexer.document import DocumentModel
from indexer.enrich import enrich
from indexer.normalise import read_document
from indexer.readers import TEXT_KINDS, file_kind, read_model
from indexer.registry import parser_for

# Below this many documents to parse, one process parses them: a document takes 50-350 ms, and forking the
# workers and sending the records back costs about one document's time. Above it, two workers parsed 320 generated
# plans (32,000 actions, bench/corpus.py) for 6% more CPU time than one process (40 vs 38 s): on an idle 2-core
# machine, about half the wall time.
PARALLEL_FROM = 8
WORKER_DIED = "the process parsing this document stopped abruptly (a crash, or out of memory)"
PR_SET_PDEATHSIG = 1  # Linux prctl(2): the signal a process gets when its parent dies
# Seconds one document may take to read and parse (stated in the README). The bundled plans take 50-350 ms and a
# 100-page PDF a few seconds; a document over this is a problem naming its file, and the others are still indexed.
TIME_LIMIT = 120


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
    printed = {line.number for line in lines if not line.blank}  # a blank line counts as blank, whoever claims it
    used = result.used & printed
    skipped_lines = sorted((n, r) for n, r in result.skipped.items() if n not in used and n in printed)
    unplaced = sorted({p.line for p in result.problems if p.reason == NOT_PLACED})
    return {
        "document": plan.id,
        "file": plan.file,
        "parser": result.parser,
        "parser_reason": why,
        "records": records,
        "lines": len(lines),
        "blank": blank,
        "used": len(used),
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


class TimeLimit(BaseException):
    """A document took longer than TIME_LIMIT to read and parse (a BaseException, so that no parser's own
    `except Exception` mistakes it for a bug of its own and carries on)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in this block after `seconds` (SIGALRM, so only in a process's main thread on POSIX; where
    there is no alarm, as in a web server's thread, the block runs without a limit)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_lines(path: Path) -> tuple[list[Line], DocumentModel | None]:
    """A document's lines, and its model when it is not a text file (PDF, Word, Excel, HTML).

    A text or markdown file is read as its own lines, as before readers existed, so the bundled plans' parsers see
    exactly what they always did; the layout reader finds a text file's blocks from those lines itself.
    """
    if file_kind(path) in TEXT_KINDS:
        return read_document(path), None
    model = read_model(path)
    return model.lines, model


def index_document(data_dir: Path, plan: Plan) -> DocumentOutcome:
    """Read, parse and normalise one document of a data folder; never raises for a bad document."""
    return index_file(plan_path(data_dir, plan), plan)


def index_file(path: Path, plan: Plan) -> DocumentOutcome:
    """Read, parse and normalise the file at `path` as the document `plan`; never raises for a bad document."""
    try:
        with time_limit(TIME_LIMIT):
            return _index_file(path, plan)
    except TimeLimit:
        return failed_document(plan, f"{plan.file}: reading took longer than the {TIME_LIMIT} s limit; not indexed")


def _index_file(path: Path, plan: Plan) -> DocumentOutcome:
    try:
        lines, model = read_lines(path)
    except DocumentError as exc:
        return failed_document(plan, str(exc))
    if not any(not line.blank for line in lines):
        return failed_document(plan, f"{plan.file}: no text could be read from this file")
    parser, why = parser_for(plan, lines)
    try:
        parse_model = getattr(parser, "parse_model", None)
        result = parse_model(plan, model) if model is not None and parse_model else parser.parse(plan, lines)
        result.parser = parser.name
        actions = enrich(plan, result)
    except Exception as exc:  # a parser bug must not stop the other documents
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"parser {parser.name} failed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
        return failed_document(plan, message, parser.name, len(lines))
    result.account_for(lines)  # a safety net: every parser already does this
    if model is not None:
        actions = [_printed(action, model) for action in actions]
        for problem in model.problems:
            result.problem(problem.where.line, f"{problem.where.label}: {problem.reason}", severity="warning")
    if not actions:
        result.problem(0, "no actions found in this document")
    row = coverage_row(plan, result, lines, len(actions), why)
    if model is not None:
        row["reader"] = model.reader
    return DocumentOutcome(plan, actions, sorted(result.problems, key=lambda p: p.line), row)


def _printed(action: Action, model: DocumentModel) -> Action:
    """The action with where it was printed in its file (page and line, sheet and row...)."""
    source = action.source
    where = model.where(source.line).label
    return dataclasses.replace(action, source=PrintedSource(source.document, source.file, source.line, where))


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
