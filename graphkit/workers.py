"""Linking's work spread over the usable cores: forked processes that read one shared object (the actions, the
term model) copy-on-write, so nothing large is sent to them, and send back only their results; and the cycle
collector paused while many small objects are made.

Forking is only safe in a process that runs no other threads (a forked child can inherit a lock another thread
holds, and wait forever); elsewhere, and on one core, the work runs in this process. Either way the results come
back in the order of the tasks, so they do not depend on how many processes did them.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

_shared: Any = None  # what the forked workers read: set just before they are forked


def usable_workers(workers: int | None = None) -> int:
    """`workers` when given, else the cores this process may run on (its CPU affinity).

    >>> usable_workers(3)
    3
    """
    if workers is not None:
        return max(1, workers)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True when worker processes may be forked from this one: fork exists and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(
    function: Callable[[Any, Task], Result], tasks: Sequence[Task], workers: int, shared: Any = None
) -> list[Result]:
    """`[function(shared, task) for task in tasks]`, by up to `workers` forked processes when that is possible.

    Parameters
    ----------
    function
        A module-level function (workers find it by name) of the shared object and one task.
    tasks
        Small descriptions of the work (ranges of rows, say), sent to the workers one at a time.
    workers
        At most this many processes; 1, one task, or a process that cannot fork (see `can_fork`) runs the
        tasks here, one after the other.
    shared
        The object every task reads; workers inherit it when they are forked, so it is never pickled.

    Examples
    --------
    >>> def double(factor, task):
    ...     return factor * task
    >>> fork_map(double, [1, 2, 3], workers=1, shared=2)
    [2, 4, 6]
    """
    global _shared
    workers = min(workers, len(tasks))
    if workers < 2 or not can_fork():
        return [function(shared, task) for task in tasks]
    _shared = shared
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run, [(function, task) for task in tasks]))
    finally:
        _shared = None


def _run(job: tuple[Callable[[Any, Task], Result], Task]) -> Result:
    function, task = job
    return function(_shared, task)


@contextlib.contextmanager
def frozen_for_the_collector() -> Iterator[None]:
    """Move every object made so far out of the cycle collector's sight (`gc.freeze`) until the block ends, and
    let the block freeze more (call `gc.freeze()` again) as it makes objects that live as long. For a build: its
    records and links live to its end, and each full pass of the collector over those millions of objects found
    nothing while doubling the time to write the search index. Forked workers then also leave the frozen pages
    unwritten. Objects frozen are still freed when no longer referenced; only cycles among them wait.

    >>> with frozen_for_the_collector():
    ...     gc.get_freeze_count() > 0
    True
    >>> gc.get_freeze_count()
    0
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a phase makes millions of small objects that hold no cycles (links,
    their evidence, graph edges): each of its full passes walks every object made so far, which doubled the
    time to build a large graph. Objects freed meanwhile are freed as usual; a cycle waits for the next pass.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
