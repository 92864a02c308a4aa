"""Re-indexing while serving: a running `graphkit serve` answers every request during re-indexes, each answer from
one build only (named in its X-Graphkit-Build header), and a request that began on a build finishes on it."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

import graphkit.store
import web.state
from graphkit.build import build
from graphkit.store import load_corpus
from tests.conftest import SMALL, copy_data
from tests.test_serve import free_port
from web import create_app
from web.actions import action_view
from web.search import find
from web.state import BUILD_HEADER, Site, current_site

ROOT = Path(__file__).resolve().parent.parent
DROPPED = "dundee-promise-2021"  # in the first data folder only
KEPT = "south-ayrshire-promise-2024"
REINDEXES = 3
CLIENTS = 3
PAUSE = 0.01  # seconds between a client's requests, leaving the re-index some of the two cores
DOCUMENT = re.compile("|".join(map(re.escape, SMALL)))
LINKED_ACTION = re.compile(r'href="/actions/([^"?#/]+)"')
ID_KEYS = ("id", "source", "target")


@pytest.fixture(scope="module")
def two_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("two")
    return copy_data(root / "with"), copy_data(root / "without", [d for d in SMALL if d != DROPPED])


def action_ids(store: Path) -> tuple[str, set[str]]:
    corpus = load_corpus(store)
    return corpus.path.name, {a.id for a in corpus.actions}


def mentioned(body: str) -> tuple[set[str], set[str]]:
    """The documents a response names anywhere, and the actions it links to (HTML) or names by id (JSON)."""
    documents = set(DOCUMENT.findall(body))
    if body.startswith("{"):
        ids: set[str] = set()
        waiting = [json.loads(body)]
        while waiting:
            value = waiting.pop()
            if isinstance(value, dict):
                ids |= {v for k, v in value.items() if k in ID_KEYS and isinstance(v, str) and DOCUMENT.match(v)}
                waiting += value.values()
            elif isinstance(value, list):
                waiting += value
        return documents, ids
    return documents, {unquote(i) for i in LINKED_ACTION.findall(body)}


def ask(url: str) -> tuple[int, str | None, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers.get(BUILD_HEADER), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get(BUILD_HEADER), error.read().decode()


def test_reindexing_while_serving_answers_every_request_from_one_build(two_data, tmp_path):
    with_dropped, without = two_data
    store = tmp_path / "store"
    build(with_dropped, store)
    builds = dict([action_ids(store)])
    dropped = next(i for i in sorted(builds[next(iter(builds))]) if i.startswith(f"{DROPPED}:"))
    kept = next(i for i in sorted(builds[next(iter(builds))]) if i.startswith(f"{KEPT}:"))
    paths = ["/search?q=advocacy", "/api/search?q=advocacy", "/duplicates", "/api/duplicates",
             f"/actions/{dropped}", f"/api/actions/{dropped}", f"/actions/{kept}", f"/api/actions/{kept}"]  # fmt: skip

    port = free_port()
    command = [sys.executable, "-m", "graphkit", "serve", "--store", str(store), "--port", str(port)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = tmp_path / "server.log"
    with log.open("w") as out, subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out) as server:
        try:
            deadline = time.monotonic() + 60
            while "serving" not in log.read_text():
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
            answers: list[tuple[str, int, str | None, str]] = []
            stop = threading.Event()

            def client(offset: int) -> None:
                n = offset
                while not stop.is_set():
                    path = paths[n % len(paths)]
                    answers.append((path, *ask(f"http://127.0.0.1:{port}{path}")))
                    n += 1
                    time.sleep(PAUSE)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
            for thread in threads:
                thread.start()
            try:
                for n in range(REINDEXES):
                    data = without if n % 2 == 0 else with_dropped
                    index = [sys.executable, "-m", "graphkit", "index", "--data", str(data), "--store", str(store)]
                    done = subprocess.run(index, cwd=ROOT, capture_output=True, text=True, timeout=300)
                    assert done.returncode == 0, done.stderr
                    name, ids = action_ids(store)
                    builds[name] = ids
                    time.sleep(0.5)  # let the clients ask this build too
            finally:
                stop.set()
                for thread in threads:
                    thread.join(60)
        finally:
            server.terminate()
            server.wait(10)

    assert "Traceback" not in log.read_text() and "error serving" not in log.read_text()
    assert len(builds) == REINDEXES + 1
    mixed, errors = [], []
    for path, status, answered_by, body in answers:
        if status >= 500 or status not in (200, 404) or answered_by not in builds:
            errors.append((path, status, answered_by, body[:200]))
            continue
        ids = builds[answered_by]
        if path.startswith(("/actions/", "/api/actions/")):
            asked = path.rsplit("/", 1)[1]
            if (status == 200) != (asked in ids):
                errors.append((path, status, answered_by, body[:200]))
        if status == 404:
            continue  # the message names the action asked for
        documents, linked = mentioned(body)
        if not documents <= {i.split(":")[0] for i in ids} or not linked <= ids:
            mixed.append((path, answered_by, sorted(linked - ids)[:3], sorted(documents)))
    assert not errors, errors[:5]
    assert not mixed, mixed[:5]
    answered_by = {answer[2] for answer in answers}
    assert len(answered_by) >= 3, "the clients did not see the builds change"
    assert any(DROPPED in mentioned(body)[0] and mentioned(body)[1] for _, _, _, body in answers)  # something to catch


def test_a_request_that_began_on_a_build_finishes_on_it_after_two_reindexes(two_data, tmp_path, monkeypatch):
    monkeypatch.setattr(graphkit.store, "PRUNE_GRACE", 0.0)  # no time for readers: only holding the build keeps it
    with_dropped, without = two_data
    store = tmp_path / "store"
    build(with_dropped, store)
    app = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)})
    with app.test_request_context("/search?q=advocacy"):
        site = current_site()  # a slow request holds the build
        old = site.folder
        build(without, store)
        build(with_dropped, store)
        assert (store / "current").resolve() != old and old.is_dir()
        assert current_site() is site  # the request keeps its build
        found = find({"q": "advocacy"})  # what /search runs, on the request's build
        assert found.total > 0 and any(h.id.startswith(f"{DROPPED}:") for h in found.hits)
        view = action_view(site, found.hits[0].id)
        assert view.action.id == found.hits[0].id and view.source_lines
        del site, found, view
    with app.test_request_context("/"):
        assert current_site().folder == (store / "current").resolve()  # the next request opens the new build
    gc.collect()  # nothing refers to the old Site any more: it let go of its build
    build(without, store)
    assert not old.exists()


@pytest.fixture
def one_build(two_data, tmp_path_factory):
    store = tmp_path_factory.mktemp("one") / "store"
    build(two_data[1], store)
    return store


def swap_in_a_copy(store: Path) -> Path:
    """A new build that is a copy of the current one, swapped in as `graphkit index` would."""
    copy = Path(shutil.copytree((store / "current").resolve(), store / "builds" / graphkit.store.new_stamp()))
    link = store / ".current-new"
    link.symlink_to(Path("builds") / copy.name)
    os.replace(link, store / "current")
    return copy


def test_requests_are_answered_from_the_open_build_while_a_new_one_opens(one_build, monkeypatch):
    monkeypatch.setattr(web.state, "OPEN_WAIT", 0.05)
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(one_build)}).test_client()
    old = client.get("/api/search?q=advocacy").headers[BUILD_HEADER]
    opening = Site.open

    def slow(folder, store=None):
        time.sleep(1.0)  # as a build of 32,000 actions takes a minute
        return opening(folder, store)

    monkeypatch.setattr(Site, "open", slow)
    new = swap_in_a_copy(one_build).name
    started = time.monotonic()
    response = client.get("/api/search?q=advocacy")
    assert response.status_code == 200 and response.headers[BUILD_HEADER] == old
    assert time.monotonic() - started < 0.9
    deadline = time.monotonic() + 30
    while (answered := client.get("/api/search?q=advocacy").headers[BUILD_HEADER]) == old:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert answered == new


def test_a_new_build_that_cannot_be_read_leaves_the_old_one_serving(one_build):
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(one_build)}).test_client()
    old = client.get("/api/search?q=advocacy").headers[BUILD_HEADER]
    broken = swap_in_a_copy(one_build)
    (broken / "actions.jsonl").write_text("{not json\n", encoding="utf-8")
    for _ in range(3):
        response = client.get("/api/search?q=advocacy")
        assert response.status_code == 200 and response.headers[BUILD_HEADER] == old
    fresh = create_app({"TESTING": True, "GRAPHKIT_STORE": str(one_build)}).test_client()
    response = fresh.get("/api/search?q=advocacy")
    assert response.status_code == 503 and "cannot be read" in response.get_json()["message"]


def test_a_store_copied_elsewhere_still_serves(two_data, tmp_path):
    """`current` is a relative link, so a store can be moved or backed up whole."""
    store = tmp_path / "store"
    build(two_data[1], store)
    moved = Path(shutil.copytree(store, tmp_path / "moved", symlinks=True))
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(moved)}).test_client()
    response = client.get("/api/search?q=advocacy")
    assert response.status_code == 200 and response.headers[BUILD_HEADER] == load_corpus(store).path.name
