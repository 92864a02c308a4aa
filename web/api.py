"""Blueprint "api": the JSON twin of every page, calling the same functions as the pages, and the OpenAPI
description. A list can be downloaded with `format=csv` (or `format=json`, as an attachment)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request

from graphkit.browse import owned, owner_entries, plan_counts, tagged, theme_entries
from graphkit.queries import action_summary, related_actions, trace
from web.actions import action_view, compare_to_dict, compare_view, related_args, trace_args
from web.browse import plan_view
from web.duplicates import find_clusters
from web.export import download
from web.openapi import openapi_spec
from web.params import format_arg
from web.search import find
from web.state import current_site

bp = Blueprint("api", __name__, url_prefix="/api")


def _send(payload, rows, name):
    return download(payload, rows, name, format_arg(request.args), explicit="format" in request.args)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_spec())


@bp.get("/search")
def search():
    """Ranked actions for a query, with facet counts."""
    result = find(request.args).to_dict()
    return _send(result, result["hits"], f"search-{request.args.get('q', '')}"[:60])


@bp.get("/actions/<action_id>")
def action(action_id):
    """One action with its source lines, related actions, duplicates and lineage."""
    view = action_view(current_site(), action_id).to_dict()
    return _send(view, [view["action"]], view["action"]["id"])


def _of_action(action_id: str, name: str, query, args: dict):
    """One action's list (`query(index, id, **args)`): the action's summary and the list, named `name`."""
    site = current_site()
    found = site.links.get(action_id)
    rows = [item.to_dict() for item in query(site.links, found.id, **args)]
    return _send({"action": action_summary(found), name: rows}, rows, f"{name}-{found.id}")


@bp.get("/actions/<action_id>/related")
def action_related(action_id):
    """The actions most related to one action, with evidence."""
    return _of_action(action_id, "related", related_actions, related_args(request.args))


@bp.get("/actions/<action_id>/trace")
def action_trace(action_id):
    """An action's earlier and later equivalents, strong or partial, with evidence."""
    return _of_action(action_id, "trace", trace, trace_args(request.args))


@bp.get("/duplicates")
def duplicates():
    """Clusters of duplicate and overlapping commitments."""
    found = find_clusters(current_site(), request.args)
    return _send(found.to_dict(), found.rows(), "duplicates")


@bp.get("/compare")
def compare():
    """Two actions with a word-level diff and the link between them."""
    view = compare_to_dict(compare_view(current_site(), request.args))
    return _send(view, view["diff"], f"compare-{view['a']['id']}-{view['b']['id']}")


@bp.get("/plans")
def plans():
    """Every plan with its number of actions."""
    site = current_site()
    counts = plan_counts(site.corpus)
    rows = [dict(asdict(p), actions=counts[p.id]) for p in site.corpus.plans]
    return _send({"plans": rows}, rows, "plans")


@bp.get("/plans/<document>")
def plan(document):
    """One plan: its actions grouped by pillar or outcome, its coverage report and its problems."""
    view = plan_view(current_site(), document)
    groups = [
        {"heading": g.heading, "outcome": g.outcome, "actions": [action_summary(a) for a in g.actions]}
        for g in view["groups"]
    ]
    coverage = {k: v for k, v in view["coverage"].items() if k != "skipped_lines"}
    payload = {
        "plan": asdict(view["plan"]),
        "groups": groups,
        "coverage": coverage,
        "problems": [asdict(p) for p in view["problems"]],
        "statuses_printed": view["statuses_printed"],
        "reading": asdict(view["reading"]),
    }
    rows = [dict(a, heading=g["heading"], outcome=g["outcome"]) for g in groups for a in g["actions"]]
    return _send(payload, rows, document)


@bp.get("/themes")
def themes():
    """Every theme with its number of actions."""
    rows = [asdict(e) for e in theme_entries(current_site().corpus)]
    return _send({"themes": rows}, rows, "themes")


@bp.get("/themes/<theme>")
def theme(theme):
    """Every action tagged with a theme."""
    entry, actions = tagged(current_site().corpus, theme)
    rows = [action_summary(a) for a in actions]
    return _send({"theme": asdict(entry), "actions": rows}, rows, f"theme-{entry.slug}")


@bp.get("/owners")
def owners():
    """Every owner with its number of actions."""
    rows = [asdict(e) for e in owner_entries(current_site().graph)]
    return _send({"owners": rows}, rows, "owners")


@bp.get("/owners/<path:owner>")
def owner(owner):
    """Every action an owner holds, and how the plans print the owner."""
    site = current_site()
    entry, actions, printed = owned(site.graph, site.links.actions, owner)
    rows = [action_summary(a) for a in actions]
    return _send({"owner": asdict(entry), "printed": printed, "actions": rows}, rows, f"owner-{entry.slug}")
