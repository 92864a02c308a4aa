"""The store: one build folder per `graphkit index`, swapped in atomically, read by every other command.

Layout::

    <store>/index.lock          held (flock) while a build runs; a second build fails fast
    <store>/current -> builds/<stamp>   symlink, replaced atomically once a build is complete
    <store>/builds/<stamp>/     manifest.json (written last), plans.json, actions.jsonl, problems.jsonl,
                                coverage.json, links.jsonl, clusters.json, graphkit.sqlite (the same records,
                                `graphkit.database`), search/, readers.lock
    <store>/cache/              parsed documents, re-used by the next build (`graphkit.parsecache`)

A reader resolves `current` once and reads that folder, so it never sees a half-written build, and a crash
mid-build leaves the previous build in place; the next build removes what the crash left. A replaced build stays
on disk while a long-lived reader holds it (`hold_build`: the web app, for as long as it serves that build), and
in any case for PRUNE_GRACE seconds, so a command still reading it can finish.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from graphkit.errors import StoreError
from graphkit.records import Action, Link, Plan
from graphkit.workers import collector_paused
from indexer.base import ParseProblem

FORMAT_VERSION = 2
DEFAULT_STORE = ".graphkit"
KEEP_BUILDS = 2  # the current build and the one before it always stay
# A replaced build is removed only once it has been replaced for this long, even beyond KEEP_BUILDS: a server's
# request that began on it, or a command that resolved `current` just before the swap, may still be reading it.
# Requests take milliseconds (searches stop at indexer.search.TIME_LIMIT); opening a large build takes seconds.
PRUNE_GRACE = 120.0
BUILDS_DIR = "builds"
SEARCH_DIR = "search"  # the full-text index of a build (indexer.search)
MANIFEST = "manifest.json"
READERS_LOCK = "readers.lock"  # flock: readers hold it shared, pruning takes it exclusive to remove the build
TEMPORARY_PREFIX = ".tmp-"
LINK_PREFIX = ".current-"
# Test-only: a build that reaches the named `checkpoint` waits there PAUSE_SECONDS, so a test can kill it at that
# point (tests/test_build_robust.py). Unset, a checkpoint costs one dictionary lookup.
PAUSE_AT_ENV = "GRAPHKIT_TEST_PAUSE_AT"
PAUSE_SECONDS = 60.0


@dataclass(slots=True)
class Corpus:
    """Everything one build produced: plans, action records, problems and per-document coverage."""

    plans: list[Plan]
    actions: list[Action]
    problems: list[ParseProblem]
    coverage: list[dict[str, Any]]
    manifest: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    links: list[Link] = field(default_factory=list)

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)


def default_store() -> Path:
    return Path(os.environ.get("GRAPHKIT_STORE") or DEFAULT_STORE)


def checkpoint(name: str) -> None:
    """A named point of a build; with PAUSE_AT_ENV set to that name the build says so on stderr and waits there."""
    if os.environ.get(PAUSE_AT_ENV) == name:
        print(f"graphkit: paused at {name}", file=sys.stderr, flush=True)
        time.sleep(PAUSE_SECONDS)


@contextlib.contextmanager
def build_lock(store: Path) -> Iterator[None]:
    """Hold the store's build lock, or fail fast when another build holds it.

    The lock is an flock, so the kernel releases it when the holder dies, even by SIGKILL.
    """
    store.mkdir(parents=True, exist_ok=True)
    # held for the whole build; opened to append, as "w" would wipe the pid of a build that holds it
    handle = open(store / "index.lock", "a+")  # noqa: SIM115
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another `graphkit index` is already building into {store}; wait for it to finish"
            ) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    """One JSON object per line. orjson writes a record (a dataclass) field by field, nested records as objects and
    tuples as lists: what its `to_dict` gives, some ten times faster (links.jsonl of 290,000 links: 2.6 s, not 21)."""
    option = orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY
    with path.open("wb") as out:
        for row in rows:
            out.write(orjson.dumps(row, option=option))


def new_stamp() -> str:
    """A build's name: its UTC start to the microsecond, then the process id, so names sort in time order."""
    now = time.time_ns()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now // 1000 % 10**6:06d}Z-{os.getpid()}"


def write_corpus(store: Path, corpus: Corpus, writers: Sequence[Callable[[Path], None]] = ()) -> Path:
    """Write a build folder, then point `current` at it atomically. The caller holds `build_lock`.

    Each of `writers` adds its files (the graph, the search index) to the build folder before the swap. The
    manifest is written last. When the manifest has a "timings" mapping, the seconds spent writing the records
    ("write") and in each writer (its name without the `write_` prefix, e.g. "search") are added to it.
    """
    started = time.perf_counter()
    builds = store / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    stamp = new_stamp()
    tmp = builds / f"{TEMPORARY_PREFIX}{stamp}"
    tmp.mkdir()
    (tmp / "plans.json").write_text(
        json.dumps([asdict(p) for p in corpus.plans], indent=2, ensure_ascii=False), encoding="utf-8"
    )
    _write_jsonl(tmp / "actions.jsonl", corpus.actions)
    _write_jsonl(tmp / "problems.jsonl", corpus.problems)
    _write_jsonl(tmp / "links.jsonl", (link.stored() for link in corpus.links))
    (tmp / "coverage.json").write_text(json.dumps(corpus.coverage, indent=2, ensure_ascii=False), encoding="utf-8")
    (tmp / READERS_LOCK).touch()
    timings = corpus.manifest.get("timings")
    in_writers = 0.0
    for write in writers:
        begun = time.perf_counter()
        write(tmp)
        seconds = time.perf_counter() - begun
        in_writers += seconds
        if isinstance(timings, dict):
            name = getattr(write, "__name__", "writers").removeprefix("write_")
            timings[name] = round(timings.get(name, 0.0) + seconds, 3)
    checkpoint("written")
    manifest = dict(corpus.manifest, format_version=FORMAT_VERSION, build=stamp)
    if isinstance(timings, dict):
        timings["write"] = round(time.perf_counter() - started - in_writers, 3)
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    final = builds / stamp
    tmp.rename(final)
    checkpoint("renamed")
    current = store / "current"
    previous = current.resolve() if current.exists() else None
    link = store / f"{LINK_PREFIX}{stamp}"
    link.symlink_to(Path(BUILDS_DIR) / stamp)
    checkpoint("linked")
    os.replace(link, current)
    _prune(store, final, previous)
    return final


def _prune(store: Path, final: Path, previous: Path | None) -> None:
    """Remove what crashed builds left, builds that were never served, and old builds past their grace period.

    `final` was just swapped in, replacing `previous`. A finished build newer than `previous` other than `final`
    was left by a build killed between its rename and its swap: nobody ever read it. Of the served builds, the
    newest KEEP_BUILDS stay, an older one stays until PRUNE_GRACE seconds after the build that replaced it was
    written (a build is swapped in as soon as its manifest is written), and one a reader holds stays.
    """
    builds = store / BUILDS_DIR
    for leftover in [*builds.glob(f"{TEMPORARY_PREFIX}*"), *store.glob(f"{LINK_PREFIX}*")]:
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    finished = sorted((p for p in builds.iterdir() if not p.name.startswith(TEMPORARY_PREFIX)), key=lambda p: p.name)
    served = []
    for folder in finished:
        never_served = folder != final and (previous is None or folder.name > previous.name)
        if never_served:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            served.append(folder)
    now = time.time()
    for older, newer in zip(served[:-KEEP_BUILDS], served[1:], strict=False):
        if older in (final, previous):  # only when the clock went back between two builds
            continue
        try:
            replaced = (newer / MANIFEST).stat().st_mtime
        except OSError:
            replaced = now
        if now - replaced >= PRUNE_GRACE:
            _remove_unless_held(older)


def _remove_unless_held(folder: Path) -> bool:
    """Remove a build folder unless a reader holds it (`hold_build`); True when removed."""
    try:
        handle = open(folder / READERS_LOCK, "rb")  # noqa: SIM115 - closed below, after the removal
    except OSError:  # a build from before readers held builds: the grace period is all it had
        shutil.rmtree(folder, ignore_errors=True)
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(folder, ignore_errors=True)  # locked: a reader arriving now is told it is going
    return True


def hold_build(folder: Path) -> IO[bytes] | None:
    """Keep a build folder from being pruned while the returned file stays open (close it, or let it be collected
    with what holds it, to let go). None for a build written before builds could be held.

    Raises
    ------
    StoreError
        When the build is gone or being removed (read the new `current` instead).
    """
    gone = StoreError(f"the build {folder.name} has been replaced and removed: run `graphkit index` if this lasts")
    try:
        handle = open(folder / READERS_LOCK, "rb")  # noqa: SIM115 - the caller keeps it open
    except FileNotFoundError:
        if (folder / MANIFEST).exists():
            return None
        raise gone from None
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise gone from None
    if not (folder / MANIFEST).exists():  # removed between the open and the lock
        handle.close()
        raise gone
    return handle


def finished_builds(store: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every build folder of a store with its manifest, oldest first (a build whose manifest is unreadable is left
    out)."""
    builds = store / BUILDS_DIR
    found = []
    if builds.is_dir():
        for folder in sorted(builds.iterdir(), key=lambda p: p.name):
            if folder.name.startswith(TEMPORARY_PREFIX):
                continue
            try:
                found.append((folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue
    return found


def current_build(store: Path) -> Path:
    """The folder `current` points at, resolved once.

    Raises
    ------
    StoreError
        When there is no build yet.
    """
    current = store / "current"
    if not current.exists():
        raise StoreError(f"no index in {store}: run `graphkit index` first")
    return current.resolve()


def load_corpus(store: Path) -> Corpus:
    """Read the current build of a store: `current` is resolved once and every file read from that folder.

    Raises
    ------
    StoreError
        When there is no build yet, or it cannot be read.
    """
    folder = current_build(store)
    try:
        return load_build(folder, store)
    except StoreError:
        if current_build(store) == folder:
            raise
        return load_build(current_build(store), store)  # replaced and removed while being read: read the new one


def load_build(folder: Path, store: Path | None = None) -> Corpus:
    """Read one build folder (`load_corpus` reads the current one).

    Raises
    ------
    StoreError
        When it cannot be read, or is from another graphkit version.
    """
    where = store if store is not None else folder
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(f"the index in {where} is from another graphkit version: run `graphkit index` again")
        plans = [Plan(**p) for p in json.loads((folder / "plans.json").read_text(encoding="utf-8"))]
        coverage = json.loads((folder / "coverage.json").read_text(encoding="utf-8"))
        # millions of small objects and no cycles: the collector's passes over them were half the time to load
        with collector_paused():
            actions = [Action.from_dict(row) for row in _read_jsonl(folder / "actions.jsonl")]
            problems = [ParseProblem(**row) for row in _read_jsonl(folder / "problems.jsonl")]
            links = list(_read_links(folder / "links.jsonl"))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the index in {where} cannot be read ({exc}): run `graphkit index` again") from None
    return Corpus(plans, actions, problems, coverage, manifest, folder, links)


def read_links(folder: Path) -> list[Link]:
    """The links of one build folder.

    Raises
    ------
    StoreError
        When they cannot be read.
    """
    try:
        with collector_paused():
            return list(_read_links(folder / "links.jsonl"))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the links of {folder} cannot be read ({exc})") from None


EVIDENCE_KEY = b',"evidence":'  # the last field of a stored link (Link.stored)


def _read_links(path: Path) -> Iterator[Link]:
    """The links of links.jsonl, each holding its evidence as the bytes of its line (Link.evidence_json), and the
    ids, kind and scope each read once: a third of the memory of parsing the evidence and writing it again."""
    intern = sys.intern
    with path.open("rb") as rows:
        for row in rows:
            if not row.strip():
                continue
            cut = row.index(EVIDENCE_KEY)
            head = orjson.loads(row[:cut] + b"}")
            evidence = row[cut + len(EVIDENCE_KEY) : row.rindex(b"}")]
            source, target, kind, scope = (intern(head[k]) for k in ("source", "target", "kind", "scope"))
            yield Link(source, target, kind, scope, head["score"], evidence)


def _read_jsonl(path: Path) -> Iterator[Any]:
    with path.open("rb") as rows:
        for row in rows:
            if row.strip():
                yield orjson.loads(row)
