"""Blueprint "search": the home page and ranked results with highlighted snippets, facets and pages."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, render_template, request

from graphkit.errors import BadQuery
from indexer.results import SearchResult
from indexer.search import FACETS, MAX_DEPTH, MAX_LIMIT, search
from web.params import choice_arg, int_arg, text_arg
from web.state import current_site, get_searcher

bp = Blueprint("search", __name__)

PAGE_SIZE = 20
FACET_LABELS = {
    "council": "Council",
    "plan": "Plan",
    "year": "Year",
    "pillar": "Promise pillar",
    "foundation": "Promise foundation",
    "theme": "Theme",
    "owner": "Owner",
    "status": "Status",
}
EXAMPLES = ("advocacy", "brothers and sisters", "CECYP", "mental health", "kinship care", '"corporate parent"')


def find(args: Mapping[str, str]) -> SearchResult:
    """The search a page or API request asks for (`q`, the facet filters, `limit`, `page`, `exact`)."""
    filters = {name: text_arg(args, name, 200) for name in FACETS}
    limit = int_arg(args, "limit", PAGE_SIZE, 1, MAX_LIMIT)
    page = int_arg(args, "page", 1, 1, MAX_DEPTH)
    exact = choice_arg(args, "exact", ("true", "false", "1", "0", "on", "off"), "false") in ("true", "1", "on")
    site = current_site()
    return search(
        site.search_index, text_arg(args, "q") or "", **filters, limit=limit, page=page, exact=exact,
        searcher=get_searcher(),
    )  # fmt: skip


@bp.get("/")
def home():
    """A search box, example searches and what the corpus holds."""
    site = current_site()
    counts = site.corpus.manifest.get("links", {})
    return render_template(
        "search/home.html", plans=site.corpus.plans, actions=len(site.corpus.actions), links=counts,
        linking=site.corpus.manifest.get("linking") or {}, examples=EXAMPLES,
    )  # fmt: skip


@bp.get("/search")
def results():
    """Ranked actions for a query, with facets that filter and pages."""
    try:
        result = find(request.args)
    except BadQuery as exc:
        # The search page itself, with the reason above the box holding what was typed, so it can be mended there.
        return render_template("search/error.html", error=str(exc), query=request.args.get("q", "")[:500],
                               examples=EXAMPLES), 400  # fmt: skip
    return render_template("search/results.html", result=result, facet_labels=FACET_LABELS, examples=EXAMPLES)
