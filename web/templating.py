"""Template filters and globals: labels for stored values, URLs that change one argument, and download links."""

from __future__ import annotations

from flask import Flask, request, url_for

from graphkit.owners import slugify
from graphkit.records import STATUS_LABELS
from graphkit.vocab import theme_label
from indexer.fields import timescale_is_target

SCOPE_LABELS = {
    "within_plan": "within a plan",
    "cross_plan": "across one council's plans",
    "cross_council": "across councils",
}


def url_with(**changes) -> str:
    """This page's URL with some arguments changed (None removes one); any change but the page goes to page 1."""
    args = request.args.to_dict()
    if "page" not in changes:
        args.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            args.pop(name, None)
        else:
            args[name] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def download_url(endpoint: str, fmt: str) -> str:
    """The /api/ twin of this page (`endpoint`) with the same arguments, as a CSV or JSON download."""
    return url_for(endpoint, **(request.view_args or {}), **dict(request.args.to_dict(), format=fmt))


def register_templating(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(lambda s: STATUS_LABELS.get(s, s), "status_label")
    app.add_template_filter(lambda s: SCOPE_LABELS.get(s, s), "scope_label")
    app.add_template_filter(lambda x: f"{x:.2f}", "score")
    app.add_template_filter(theme_label, "theme_label")
    app.add_template_filter(slugify, "slug")
    app.add_template_test(timescale_is_target, "timescale_target")
    app.add_template_global(url_with, "url_with")
    app.add_template_global(download_url, "download_url")
