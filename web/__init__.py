"""The Flask app factory. The pages come with the web UI; for now it serves a health check."""

from __future__ import annotations

from flask import Flask, jsonify


def create_app(test_config: dict | None = None) -> Flask:
    """Create the graphkit web app; `test_config` overrides the defaults (tests pass a mapping)."""
    app = Flask(__name__)
    app.config.from_mapping(GRAPHKIT_STORE=None)
    if test_config:
        app.config.from_mapping(test_config)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
