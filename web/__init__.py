"""The Flask app factory: configuration, the store's current build, one blueprint per area, security headers and
friendly error pages (HTML for pages, JSON under /api/)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graphkit.browse import UnknownName
from graphkit.errors import BadQuery, StoreError
from graphkit.queries import UnknownAction
from graphkit.store import default_store

# Document text is untrusted: no inline script or style anywhere, so even markup that slipped through could not run.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


def create_app(test_config: dict | None = None) -> Flask:
    """Create the graphkit web app.

    `GRAPHKIT_STORE` (default: $GRAPHKIT_STORE, else ./.graphkit) is the store whose current build is served;
    tests pass a mapping that overrides the defaults.
    """
    app = Flask(__name__)
    app.config.from_mapping(GRAPHKIT_STORE=None, JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=64 * 1024)
    if test_config:
        app.config.from_mapping(test_config)
    store = app.config["GRAPHKIT_STORE"] or os.environ.get("GRAPHKIT_STORE") or default_store()
    app.extensions["graphkit"] = {"store": Path(store), "site": None}
    app.json.sort_keys = False

    from web import actions, api, browse, duplicates, graphview, search
    from web.state import build_header, close_searcher
    from web.templating import register_templating

    for module in (search, actions, duplicates, browse, graphview, api):
        app.register_blueprint(module.bp)
    app.teardown_appcontext(close_searcher)
    app.after_request(build_header)
    register_templating(app)
    _register_errors(app)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


# Errors a user can cause, each with its status and the title of its page; the message is the exception's.
USER_ERRORS = (
    (BadQuery, 400, "Bad request"),
    (UnknownAction, 404, "No such action"),
    (UnknownName, 404, "Not found"),
    (StoreError, 503, "No index to serve"),
)


def _register_errors(app: Flask) -> None:
    for exc_type, status, title in USER_ERRORS:
        app.register_error_handler(
            exc_type, lambda exc, status=status, title=title: _error(status, title, getattr(exc, "message", str(exc)))
        )

    @app.errorhandler(HTTPException)
    def http_error(exc):
        messages = {404: "There is no page at this address.", 405: "This address does not take that method."}
        return _error(exc.code or 500, exc.name, messages.get(exc.code, exc.description or ""))

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("error serving %s", request.path)
        return _error(500, "Something went wrong", "The server could not answer this request; it has been logged.")
