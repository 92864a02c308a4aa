"""The store: one build folder per `graphkit index`, swapped in atomically, read by every other command.

Layout::

    <store>/index.lock          held (flock) while a build runs; a second build fails fast
    <store>/current -> builds/<stamp>   symlink, replaced atomically once a build is complete
    <store>/builds/<stamp>/     manifest.json, plans.json, actions.jsonl, problems.jsonl, coverage.json, links.jsonl,
                                graph.json (node-link), search/ (whoosh)

A reader resolves `current` once and reads that folder, so it never sees a half-written build, and a crash
mid-build leaves the previous build in place.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import StoreError
from graphkit.records import Action, Link, Plan
from indexer.base import ParseProblem

FORMAT_VERSION = 2
DEFAULT_STORE = ".graphkit"
KEEP_BUILDS = 2


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


@contextlib.contextmanager
def build_lock(store: Path) -> Iterator[None]:
    """Hold the store's build lock, or fail fast when another build holds it."""
    store.mkdir(parents=True, exist_ok=True)
    handle = open(store / "index.lock", "w")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another `graphkit index` is already building into {store}; wait for it to finish"
            ) from None
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_corpus(store: Path, corpus: Corpus, writers: Sequence[Callable[[Path], None]] = ()) -> Path:
    """Write a build folder, then point `current` at it atomically. The caller holds `build_lock`.

    Each of `writers` adds its files (the graph, the search index) to the build folder before the swap.
    """
    builds = store / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    tmp = builds / f".tmp-{stamp}"
    tmp.mkdir()
    manifest = dict(corpus.manifest, format_version=FORMAT_VERSION, build=stamp)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    (tmp / "plans.json").write_text(
        json.dumps([asdict(p) for p in corpus.plans], indent=2, ensure_ascii=False), encoding="utf-8"
    )
    _write_jsonl(tmp / "actions.jsonl", [a.to_dict() for a in corpus.actions])
    _write_jsonl(tmp / "problems.jsonl", [asdict(p) for p in corpus.problems])
    _write_jsonl(tmp / "links.jsonl", [link.to_dict() for link in corpus.links])
    (tmp / "coverage.json").write_text(json.dumps(corpus.coverage, indent=2, ensure_ascii=False), encoding="utf-8")
    for write in writers:
        write(tmp)
    final = builds / stamp
    tmp.rename(final)
    link = store / f".current-{stamp}"
    link.symlink_to(Path("builds") / stamp)
    os.replace(link, store / "current")
    _prune(builds, keep=final)
    return final


def _prune(builds: Path, keep: Path) -> None:
    """Remove old builds (keeping the newest few) and leftovers of crashed builds."""
    finished = sorted((p for p in builds.iterdir() if not p.name.startswith(".tmp-")), key=lambda p: p.name)
    for old in finished[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in builds.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def load_corpus(store: Path) -> Corpus:
    """Read the current build of a store.

    Raises
    ------
    StoreError
        When there is no build yet, or it cannot be read.
    """
    current = store / "current"
    if not current.exists():
        raise StoreError(f"no index in {store}: run `graphkit index` first")
    folder = current.resolve()
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(f"the index in {store} is from another graphkit version: run `graphkit index` again")
        plans = [Plan(**p) for p in json.loads((folder / "plans.json").read_text(encoding="utf-8"))]
        with (folder / "actions.jsonl").open(encoding="utf-8") as rows:
            actions = [Action.from_dict(json.loads(row)) for row in rows if row.strip()]
        with (folder / "problems.jsonl").open(encoding="utf-8") as rows:
            problems = [ParseProblem(**json.loads(row)) for row in rows if row.strip()]
        coverage = json.loads((folder / "coverage.json").read_text(encoding="utf-8"))
        with (folder / "links.jsonl").open(encoding="utf-8") as rows:
            links = [Link.from_dict(json.loads(row)) for row in rows if row.strip()]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the index in {store} cannot be read ({exc}): run `graphkit index` again") from None
    return Corpus(plans, actions, problems, coverage, manifest, folder, links)
