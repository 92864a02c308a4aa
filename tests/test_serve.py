"""`graphkit serve`: indexes a new store first, serves with waitress, follows a re-index without a restart, and
says so when the port is taken."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from web import create_app

CATALOGUE_HEAD = "id,file,council,title,plan_type,start_year,end_year,format,source,published\n"


def tiny_data(root: Path, plans: dict[str, str]) -> Path:
    """A data folder of prose plans: {document id: text}, one council each."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    rows = []
    for doc, text in plans.items():
        (root / "plans" / f"{doc}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{doc},{doc}.txt,{doc.split('-')[0].title()},Plan of {doc},promise,2024,2026,,Council,2024\n")
    (root / "catalogue.csv").write_text(CATALOGUE_HEAD + "".join(rows), encoding="utf-8")
    return root


def test_a_running_app_serves_a_new_build_without_a_restart(tmp_path):
    data = tiny_data(tmp_path / "data", {"anytown-2024": "We will offer advocacy to every child.\n"})
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)]).exit_code == 0
    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)}).test_client()
    assert client.get("/api/search?q=advocacy").get_json()["total"] == 1

    tiny_data(data, {"anytown-2024": "We will offer advocacy to every child.\n",
                     "elsewhere-2024": "We will fund independent advocacy for families.\n"})  # fmt: skip
    assert CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)]).exit_code == 0
    found = client.get("/api/search?q=advocacy").get_json()
    assert found["total"] == 2
    assert {p["id"] for p in client.get("/api/plans").get_json()["plans"]} == {"anytown-2024", "elsewhere-2024"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_indexes_a_new_store_then_serves_the_ui(tmp_path):
    data = tiny_data(tmp_path / "data", {"anytown-2024": "We will offer advocacy to every child.\n"})
    port = free_port()
    command = [sys.executable, "-m", "graphkit", "serve", "--data", str(data), "--store", str(tmp_path / "store"),
               "--port", str(port)]  # fmt: skip
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env) as server:
        try:
            lines = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                line = server.stdout.readline()
                lines.append(line)
                if "serving" in line or not line:
                    break
            output = "".join(lines)
            assert "indexing" in output and "1 actions from 1 of 1 documents" in output.replace(
                "1 action ", "1 actions "
            )
            assert re.search(rf"serving .* at http://localhost:{port}/", output), output
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=advocacy") as response:
                html = response.read().decode()
                assert response.headers["Content-Security-Policy"]
            assert "offer <mark>advocacy</mark>" in html
        finally:
            server.terminate()
            server.wait(10)


def test_serve_says_when_the_port_is_taken(corpus_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--store", str(corpus_store), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output


@pytest.mark.parametrize("port", ["-1", "70000", "http"])
def test_serve_refuses_a_bad_port(corpus_store, port):
    result = CliRunner().invoke(cli, ["serve", "--store", str(corpus_store), "--port", port])
    assert result.exit_code == 2
    assert "--port" in result.output


class _StoppedServer:
    """Stands in for waitress: closes the socket it is given, and stops at once as if Ctrl+C was pressed."""

    effective_port = 0

    def __init__(self, app, sockets, threads):
        for sock in sockets:
            sock.close()

    def run(self):
        raise KeyboardInterrupt


def test_serve_says_it_keeps_an_existing_build_when_given_data(corpus_store, tmp_path, monkeypatch):
    import waitress

    monkeypatch.setattr(waitress, "create_server", _StoppedServer)
    result = CliRunner().invoke(cli, ["serve", "--store", str(corpus_store), "--data", str(tmp_path), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "already holds a build: serving it (add --reindex" in result.output
    assert "stopped" in result.output


def test_the_build_is_opened_ahead_of_the_first_request(tmp_path):
    """`graphkit serve` starts opening the build before anyone asks (`open_ahead`): the app holds the opened build
    without a request, and the first request is answered from it. A store without a build has nothing to open."""
    from web.state import open_ahead

    data = tiny_data(tmp_path / "data", {"anytown-2024": "We will offer advocacy to every child.\n"})
    store = tmp_path / "store"
    app = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)})
    assert open_ahead(app) is None
    assert CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)]).exit_code == 0
    opening = open_ahead(app)
    site = opening.result(timeout=30)
    assert app.extensions["graphkit"]["site"] is site and site.folder == (store / "current").resolve()
    response = app.test_client().get("/api/search?q=advocacy")
    assert response.get_json()["total"] == 1 and response.headers["X-Graphkit-Build"] == site.folder.name


def test_serve_opens_the_build_before_it_serves(corpus_store, monkeypatch):
    import waitress

    import web.state

    opened = []
    monkeypatch.setattr(waitress, "create_server", _StoppedServer)
    monkeypatch.setattr(web.state, "open_ahead", lambda app: opened.append(app))
    result = CliRunner().invoke(cli, ["serve", "--store", str(corpus_store), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1 and opened[0].extensions["graphkit"]["store"] == corpus_store
