"""The `serve` command: the web UI on a production WSGI server (waitress), indexing the plans first on a new store."""

from __future__ import annotations

import socket

import click

from graphkit.cli.common import data_option, default_data, reports_errors, store_option
from graphkit.cli.corpus import run_index
from graphkit.store import default_store


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, made here rather than by waitress, which leaves its socket open when the bind fails."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror}): try another --port") from None
    return sock


@click.command()
@store_option
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Requests served at once.")
@click.option("--reindex", is_flag=True, help="Index the data folder again before serving, even when a build exists.")
@reports_errors
def serve(store, data, host, port, threads, reindex):
    """Serve the web UI and JSON API; on a store with no build yet, index the plans first."""
    import waitress

    from web import create_app
    from web.state import open_ahead

    store = store or default_store()
    if reindex or not (store / "current").exists():
        click.echo(f"indexing {data or default_data()} into {store} first")
        run_index(store, data or default_data())
    elif data:
        click.echo(f"{store} already holds a build: serving it (add --reindex to index {data} first)")
    app = create_app({"GRAPHKIT_STORE": str(store)})
    server = waitress.create_server(app, sockets=[_listen(host, port)], threads=threads)
    open_ahead(app)  # once the port is ours: the build opens while the server starts and the first visitor comes
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    click.echo(f"graphkit is serving {store} at http://{shown}:{server.effective_port}/  (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")
