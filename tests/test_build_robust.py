"""Robust builds: a `graphkit index` killed at any point leaves the previous build serving and the store fit for the
next build; documents are parsed on both cores, in catalogue order, and a crash loses only its own document."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphkit.documents
import graphkit.store
from graphkit.build import build
from graphkit.catalogue import read_catalogue
from graphkit.cli import cli
from graphkit.documents import WORKER_DIED, parse_documents
from graphkit.store import PAUSE_AT_ENV, Corpus, build_lock, load_corpus, write_corpus
from tests.conftest import DATA, SMALL, copy_data
from tests.test_cli_index import EXPECTED_COUNTS
from web import create_app
from web.state import BUILD_HEADER

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120  # seconds a subprocess may take to reach a point (imports and a small build take a few)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A store holding a complete build of SMALL, and a second data folder (SMALL less Dundee) to re-index with."""
    root = tmp_path_factory.mktemp("good")
    first = copy_data(root / "first")
    build(first, root / "store")
    return root / "store", copy_data(root / "second", [d for d in SMALL if d != "dundee-promise-2021"])


@pytest.fixture
def store(good, tmp_path):
    return Path(shutil.copytree(good[0], tmp_path / "store", symlinks=True))


def start_index(data: Path, store: Path, pause: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop(PAUSE_AT_ENV, None)
    if pause:
        env[PAUSE_AT_ENV] = pause
    command = [sys.executable, "-m", "graphkit", "index", "--data", str(data), "--store", str(store)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_pause(process: subprocess.Popen, point: str) -> None:
    for line in process.stderr:
        if f"paused at {point}" in line:
            return
    pytest.fail(f"the build ended (status {process.wait()}) before reaching {point}")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    status = process.wait(WAIT)
    process.stderr.close()
    assert status == -signal.SIGKILL


def children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def assert_serves(store: Path, folder: Path) -> None:
    """`current` is `folder`, and the store and the web app answer from it."""
    assert (store / "current").resolve() == folder
    corpus = load_corpus(store)
    assert corpus.path == folder
    ids = {a.id for a in corpus.actions}
    assert {a.document for a in corpus.actions} == set(SMALL)
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)}).test_client()
    found = client.get("/api/search?q=advocacy")
    assert found.status_code == 200 and found.headers[BUILD_HEADER] == folder.name
    hits = [hit["id"] for hit in found.get_json()["hits"]]
    assert hits and set(hits) <= ids
    dundee = next(i for i in sorted(ids) if i.startswith("dundee-promise-2021:"))
    for url in (f"/actions/{dundee}", f"/api/actions/{dundee}", "/search?q=family+support", "/duplicates"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers[BUILD_HEADER] == folder.name


def assert_next_build_cleans_up(store: Path, data: Path, old: Path) -> None:
    with build_lock(store):  # the kernel released the killed build's flock
        pass
    result = CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)])
    assert result.exit_code == 0, result.output
    new = (store / "current").resolve()
    assert new != old and {a.document for a in load_corpus(store).actions} == set(SMALL) - {"dundee-promise-2021"}
    assert sorted(p.name for p in (store / "builds").iterdir()) == sorted([old.name, new.name])
    assert not list(store.glob(".current-*")) and not list((store / "cache").glob(".tmp-*"))


@pytest.mark.parametrize(
    ("point", "leftover"),
    [
        ("parsed", None),  # early: documents parsed (and cached), nothing of the build written
        ("written", "builds/.tmp-*"),  # the build folder written but for its manifest
        ("renamed", "builds/2*"),  # a complete build folder, just before the swap
        ("linked", ".current-*"),  # the new `current` link made beside the old one, not yet swapped in
    ],
)
def test_a_build_killed_at_any_point_leaves_the_old_build_serving(good, store, point, leftover):
    old = (store / "current").resolve()
    process = start_index(good[1], store, pause=point)
    wait_for_pause(process, point)
    kill(process)

    if leftover:
        left = [p for p in store.glob(leftover) if p.resolve() != old]
        assert left, f"no {leftover} left by a build killed at {point}"
    assert_serves(store, old)
    assert_next_build_cleans_up(store, good[1], old)


def test_a_build_killed_while_it_writes_its_folder_leaves_the_old_build_serving(good, store):
    old = (store / "current").resolve()
    process = start_index(good[1], store)
    deadline = time.monotonic() + WAIT
    while not list((store / "builds").glob(".tmp-*")):
        assert process.poll() is None, "the build finished before its folder was seen"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    kill(process)

    assert list((store / "builds").glob(".tmp-*"))
    assert_serves(store, old)
    assert_next_build_cleans_up(store, good[1], old)


def test_a_build_killed_while_parsing_takes_its_worker_processes_with_it(tmp_path):
    data = copy_data(tmp_path / "data", ("clackmannanshire-inspection-2015",))  # the slowest plan to parse
    with (data / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    copies = graphkit.documents.PARALLEL_FROM * 2  # enough documents to need workers
    with (data / "catalogue.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        for n in range(copies):
            shutil.copy(data / "plans" / row["file"], data / "plans" / f"copy{n}.txt")
            writer.writerow(dict(row, id=f"copy-{n}", file=f"copy{n}.txt"))
    assert len(read_catalogue(data)) == copies
    process = start_index(data, tmp_path / "store")
    deadline = time.monotonic() + WAIT
    while len(workers := children(process.pid)) < 2:
        assert process.poll() is None, "the build finished before its workers were seen"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    kill(process)

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # not to leave them running when this fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived their killed build"
    with build_lock(tmp_path / "store"):
        pass


# --- parsing on both cores --------------------------------------------------------------------------------------


def comparable(outcomes):
    return [(o.plan.id, [a.to_dict() for a in o.actions], o.problems, o.coverage) for o in outcomes]


def test_workers_parse_the_documents_as_one_process_does_in_catalogue_order(monkeypatch):
    monkeypatch.setattr(graphkit.documents, "PARALLEL_FROM", 2)
    plans = read_catalogue(DATA)
    alone = list(parse_documents(DATA, plans, workers=1))
    together = list(parse_documents(DATA, plans, workers=2))
    assert [o.plan.id for o in together] == [p.id for p in plans]
    assert comparable(together) == comparable(alone)


def test_build_reports_documents_in_catalogue_order_when_parsed_in_workers(monkeypatch, tmp_path):
    monkeypatch.setattr(graphkit.documents, "PARALLEL_FROM", 2)
    seen = []
    corpus = build(DATA, tmp_path / "store", on_document=lambda outcome: seen.append(outcome.plan.id))
    assert seen == [p.id for p in read_catalogue(DATA)]
    assert {d: sum(a.document == d for a in corpus.actions) for d in EXPECTED_COUNTS} == EXPECTED_COUNTS


def test_a_worker_that_dies_loses_only_its_document(monkeypatch):
    monkeypatch.setattr(graphkit.documents, "PARALLEL_FROM", 2)
    monkeypatch.setattr(graphkit.documents, "_start_method", lambda: "fork")  # the workers see the patch below
    tests = os.getpid()
    choose = graphkit.documents.parser_for

    def dies_on_dundee(plan, lines):
        if plan.id == "dundee-promise-2021":
            if os.getpid() == tests:
                raise AssertionError("parsed in the test process, not in a worker")
            os._exit(9)  # as a segfault or the out-of-memory killer would end it
        return choose(plan, lines)

    monkeypatch.setattr(graphkit.documents, "parser_for", dies_on_dundee)
    outcomes = list(parse_documents(DATA, read_catalogue(DATA), workers=2))

    counts = {o.plan.id: len(o.actions) for o in outcomes}
    assert counts == dict(EXPECTED_COUNTS, **{"dundee-promise-2021": 0})
    dundee = next(o for o in outcomes if o.plan.id == "dundee-promise-2021")
    assert not dundee.indexed
    assert [(p.file, p.line, p.reason) for p in dundee.problems] == [(dundee.plan.file, 0, WORKER_DIED)]


def test_a_parser_exception_in_a_worker_loses_only_its_document(monkeypatch):
    from indexer.formats import we_will_table

    monkeypatch.setattr(graphkit.documents, "PARALLEL_FROM", 2)
    monkeypatch.setattr(graphkit.documents, "_start_method", lambda: "fork")

    def boom(plan, lines):
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(we_will_table.PARSER, "parse", boom)
    outcomes = {o.plan.id: o for o in parse_documents(DATA, read_catalogue(DATA), workers=2)}
    assert {d: len(o.actions) for d, o in outcomes.items()} == dict(EXPECTED_COUNTS, **{"dundee-promise-2021": 0})
    (problem,) = outcomes["dundee-promise-2021"].problems
    assert problem.reason.startswith("parser we_will_table failed: RuntimeError: simulated parser bug (at ")
    assert problem.file == "002_777b33d28a4d4b4e.txt" and problem.severity == "error"


# --- pruning ---------------------------------------------------------------------------------------------------


def empty_build(store: Path) -> Path:
    with build_lock(store):
        return write_corpus(store, Corpus([], [], [], []))


def age(build_folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(build_folder / "manifest.json", (then, then))


def test_a_replaced_build_is_kept_for_the_grace_period_then_removed(tmp_path):
    store = tmp_path / "store"
    first, second, third = (empty_build(store) for _ in range(3))
    assert all(p.is_dir() for p in (first, second, third))  # the first was replaced moments ago: still kept

    age(second, graphkit.store.PRUNE_GRACE + 1)  # the build that replaced the first went live long ago
    fourth = empty_build(store)
    assert not first.exists()
    assert all(p.is_dir() for p in (second, third, fourth))  # the second was replaced just now, by the third
    assert (store / "current").resolve() == fourth


def test_the_newest_two_builds_stay_however_old(tmp_path):
    store = tmp_path / "store"
    first = empty_build(store)
    age(first, 10 * graphkit.store.PRUNE_GRACE)
    second = empty_build(store)
    age(second, 10 * graphkit.store.PRUNE_GRACE)
    assert first.is_dir() and second.is_dir()


def test_build_names_sort_in_the_order_the_builds_were_made(tmp_path):
    store = tmp_path / "store"
    made = [empty_build(store).name for _ in range(5)]
    assert made == sorted(made) and len(set(made)) == 5
