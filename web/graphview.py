"""Blueprint "graph": a picture of one action's neighbourhood, built with pyvis and drawn by vis-network.

The picture travels as JSON (a data island in the page, or /api/actions/<id>/graph), never as generated script:
document text is untrusted, so labels reach the browser only as JSON strings that vis-network paints on a canvas
and shows in tooltips as plain text. vis-network itself is served from the installed pyvis package, so the page
works offline and under the app's Content-Security-Policy (script and style from 'self' only).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from flask import Blueprint, abort, jsonify, render_template, request, send_from_directory, url_for
from pyvis.network import Network

from graphkit.graph import action_node, neighbourhood
from indexer.normalise import fit
from web.params import int_arg
from web.state import Site, current_site

bp = Blueprint("graph", __name__)

# pyvis 0.3.2 bundles vis-network 9.1.2; only these two files are served, by name.
VIS_VERSION = "9.1.2"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
VIS_FILES = frozenset({"vis-network.min.js", "vis-network.css"})

MAX_DEPTH = 2  # two action-to-action hops already fill the 40 nodes neighbourhood() allows
LINK_KINDS = ("duplicate", "overlap", "related")  # strongest first: a pair linked twice is drawn as its strongest
TITLE_CHARS = 700  # a tooltip is a glance, not the document
LINK_LENGTH = (160, 200)  # spring length of a link: shortest for score 1, plus this much for score 0
MEMBER_LENGTH = 130

# Colours and shapes per node kind; web/static/graph.css draws the legend with the same values.
# Shapes differ as well as colours, so the picture still reads for colour-blind people and in greyscale.
NODE_STYLES: dict[str, dict[str, Any]] = {
    "centre": {"shape": "box", "size": 30, "color": "#16325c", "border": "#f5b700"},
    "action": {"shape": "dot", "size": 13, "color": "#4a7bd0", "border": "#2456a6"},
    "theme": {"shape": "diamond", "size": 12, "color": "#2f9e44", "border": "#23773a"},
    "owner": {"shape": "triangle", "size": 12, "color": "#7048e8", "border": "#5135b0"},
    "plan": {"shape": "square", "size": 12, "color": "#0c8599", "border": "#086170"},
    "council": {"shape": "hexagon", "size": 13, "color": "#5b6676", "border": "#3c4450"},
    "pillar": {"shape": "triangleDown", "size": 12, "color": "#c2255c", "border": "#8f1b44"},
    "foundation": {"shape": "star", "size": 13, "color": "#e8890c", "border": "#b56a08"},
}
# Link colours are the duplicate/overlap/related colours of style.css; membership edges stay thin and grey.
EDGE_COLOURS = {"duplicate": "#b42318", "overlap": "#b54708", "related": "#3b5b8f", "member": "#b8c0cc"}
EDGE_WORDS = {
    "in_plan": "in the plan",
    "part_of": "part of the document",
    "of_council": "the plan's council",
    "has_theme": "theme",
    "owned_by": "owner",
    "has_pillar": "Promise pillar",
    "has_foundation": "Promise foundation",
}
KIND_WORDS = {
    "theme": "Theme",
    "owner": "Owner",
    "plan": "Plan",
    "council": "Council",
    "pillar": "Promise pillar",
    "foundation": "Promise foundation",
}

# vis-network options, handed to pyvis' set_options. pyvis strips every space from this text before parsing it,
# so no value here may contain a space (hence "system-ui" rather than a font list).
OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {"size": 18, "face": "system-ui", "color": "#1f2a37", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": 170},
    },
    "edges": {
        "smooth": False,
        "color": {"inherit": False},
        "selectionWidth": 2,
        "hoverWidth": 1,
        "font": {"size": 10, "face": "system-ui", "color": "#5b6676", "strokeWidth": 3, "strokeColor": "#ffffff"},
    },
    "physics": {
        "solver": "barnesHut",
        # Strong repulsion and long springs: neighbours spread in a ring around the fixed centre, labels apart.
        "barnesHut": {
            "gravitationalConstant": -9000,
            "centralGravity": 0.25,
            "springLength": 170,
            "springConstant": 0.03,
            "damping": 0.3,
            "avoidOverlap": 0.4,
        },
        "minVelocity": 1,
        "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 25, "fit": True},
    },
    "layout": {"randomSeed": 7, "improvedLayout": True},  # a fixed seed: the same action draws the same way
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
}


def _lines(lines: list[Any]) -> str:
    """A plain-text tooltip: each line's white space folded, empty lines dropped, the whole cut to TITLE_CHARS."""
    text = "\n".join(" ".join(str(line).split()) for line in lines if line and str(line).strip())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def _head(data: dict[str, Any]) -> str:
    """How an action is named in the picture: graphkit.records.action_label, as the graph node keeps it."""
    return data.get("name") or data.get("code") or f"line {data.get('line')}"


def _node_label(data: dict[str, Any], centre: bool) -> str:
    if data["kind"] != "action":
        return fit(str(data.get("label") or ""), 34)
    text = data.get("text") or data.get("label") or ""
    return f"{_head(data)}\n{fit(str(text), 70 if centre else 34)}"


def _node_title(data: dict[str, Any], centre: bool) -> str:
    """A plain-text tooltip (vis-network 9 sets a string title with innerText, so markup stays text)."""
    kind = data["kind"]
    if kind == "action":
        lines = [f"{_head(data)} · {data.get('council')} {data.get('year')}", data.get("text") or data.get("label")]
        lines.append(f"{data.get('plan') or data.get('document')} ({data.get('document')}, line {data.get('line')})")
        lines.append("This action" if centre else "Double-click to open this action")
    elif kind == "plan":
        years = f"{data.get('start_year')}–{data.get('end_year')}" if data.get("start_year") else ""
        lines = [f"Plan: {data.get('label')}", f"{data.get('council') or ''} {years}".strip()]
    elif kind == "owner":
        printed = [p for p in data.get("printed") or [] if p != data.get("label")]
        lines = [f"Owner: {data.get('label')}"] + ([f"printed as: {'; '.join(printed)}"] if printed else [])
    else:
        lines = [f"{KIND_WORDS.get(kind, kind.capitalize())}: {data.get('label')}"]
    return _lines(lines)


def _distances(graph: nx.MultiDiGraph, centre: str) -> dict[str, int]:
    """Hops from the centre, walking the way neighbourhood() does: on from actions, and up a plan's chain."""
    distance = {centre: 0}
    frontier = [centre]
    while frontier:
        following = []
        for node in frontier:
            kind = graph.nodes[node]["kind"]
            if kind == "action":
                ends = [*graph.successors(node), *graph.predecessors(node)]
            elif kind == "plan":
                ends = list(graph.successors(node))  # part_of and of_council point up the chain
            else:
                continue
            for other in ends:
                if other not in distance:
                    distance[other] = distance[node] + 1
                    following.append(other)
        frontier = following
    return distance


def _merged_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """One entry per pair of nodes, holding every edge between them, in the graph's edge order."""
    pairs: dict[frozenset[str], tuple[str, str, list[dict[str, Any]]]] = {}
    for u, v, data in graph.edges(data=True):
        pairs.setdefault(frozenset((u, v)), (u, v, []))[2].append(data)
    return list(pairs.values())


def _outward(graph: nx.MultiDiGraph, pairs: list[tuple[str, str, list[dict[str, Any]]]], centre: str) -> set[int]:
    """The pairs drawn from the start: every edge of the centre, then for each other node its one best edge
    to an action or plan one hop nearer (the way the walk reached it). The picture is then a tree around the
    centre; the other edges (links among the neighbours) are hidden until asked for.
    """
    distance = _distances(graph, centre)
    shown: set[int] = set()
    best: dict[str, tuple[float, int]] = {}
    for number, (u, v, edges) in enumerate(pairs):
        if centre in (u, v):
            shown.add(number)
            continue
        near, far = sorted((u, v), key=lambda n: distance.get(n, len(graph)))
        outward = near in distance and distance.get(far) == distance[near] + 1
        if outward and graph.nodes[near]["kind"] in ("action", "plan"):
            score = max(float(e.get("score") or 0) for e in edges)
            if far not in best or score > best[far][0]:
                best[far] = (score, number)
    return shown | {number for _, number in best.values()}


def _edge_colour(colour: str, opacity: float) -> dict[str, Any]:
    # vis-network turns a selected or hovered edge grey unless told otherwise, which would hide its kind.
    return {"color": colour, "highlight": colour, "hover": colour, "opacity": opacity}


def _edge_style(edges: list[dict[str, Any]], primary: bool) -> dict[str, Any]:
    """pyvis edge options for the edges of one pair: its strongest link, or its membership.

    Hidden (secondary) edges get a short title: their evidence would triple the page, and the action pages
    show it anyway.
    """
    links = sorted((e for e in edges if e["kind"] in LINK_KINDS), key=lambda e: LINK_KINDS.index(e["kind"]))
    if links:
        kind, score = links[0]["kind"], max(float(e.get("score") or 0) for e in links)
        lines = [f"{e['kind']} link, score {float(e.get('score') or 0):.2f}" for e in links]
        if primary:
            lines += [piece for e in links for piece in str(e.get("evidence") or "").split("; ")]
        style = {"kind": kind, "score": round(score, 4), "width": round(1 + 5 * min(score, 1.0), 2)}
        style["color"] = _edge_colour(EDGE_COLOURS[kind], 1.0 if primary else 0.35)
        # The closer the link, the shorter its spring: near-copies sit next to the centre, loose links far out.
        style["length"] = round(LINK_LENGTH[0] + LINK_LENGTH[1] * (1 - min(score, 1.0)))
    else:
        kind = edges[0]["kind"]
        evidence = edges[0].get("evidence")
        lines = [EDGE_WORDS.get(kind, kind.replace("_", " "))]
        if evidence and primary:
            lines.append(f"{'words' if kind == 'has_theme' else 'as printed'}: {evidence}")
        style = {"kind": kind, "width": 1, "length": MEMBER_LENGTH}
        style["color"] = _edge_colour(EDGE_COLOURS["member"], 1.0 if primary else 0.5)
    style["title"] = _lines(lines)
    return style


def picture(site: Site, action_id: str, depth: int = 1) -> dict[str, Any]:
    """The drawable neighbourhood of one action, as JSON-ready data for vis-network.

    Built with pyvis from `graphkit.graph.neighbourhood`: nodes are coloured and shaped by kind, the action
    itself is a large box pinned in the middle, link edges are coloured by kind and as wide as their score, and
    membership edges (plan, theme, owner...) are thin and grey. Edges that do not lead outward from the centre
    (links among the neighbours themselves) are included but hidden, so the picture is not a hairball;
    static/graph.js offers a switch to show them.

    Parameters
    ----------
    site
        The current build (`web.state.current_site()`).
    action_id
        An action's record id, or a code only one plan uses (as `LinkIndex.get` accepts).
    depth
        Action-to-action hops to follow, 1 or 2.

    Returns
    -------
    dict
        ``{"nodes", "edges", "options", "centre", "depth"}``. Nodes carry vis-network fields (id, label, title,
        shape, size, color, font) plus `kind`, and for actions `record_id` and `url`; edges carry from, to, id,
        title, width, color, `kind` (the strongest, for a pair linked twice), `score` for links, and `hidden`
        for the edges among neighbours. Labels and titles are plain text. Needs an app or request context for
        the action URLs.

    Raises
    ------
    graphkit.queries.UnknownAction
        When no action has this id (the app shows a 404).

    Examples
    --------
    >>> data = picture(current_site(), "dundee-promise-2021:L219")  # doctest: +SKIP
    >>> data["centre"], data["nodes"][0]["url"]  # doctest: +SKIP
    ('action:dundee-promise-2021:L219', '/actions/dundee-promise-2021:L219')
    """
    action = site.links.get(action_id)
    centre = action_node(action.id)
    graph = neighbourhood(site.graph, action.id, depth=depth)

    # Undirected: pyvis then adds no arrows. (Its undirected add_edge drops a second edge between a pair, so the
    # edges of each pair are merged into one below, keeping the strongest kind and every score in the title.)
    net = Network(directed=False)
    for node, data in graph.nodes(data=True):
        is_centre = node == centre
        style = NODE_STYLES["centre" if is_centre else data["kind"]] if data["kind"] in NODE_STYLES else {}
        extra: dict[str, Any] = {"kind": data["kind"], "title": _node_title(data, is_centre)}
        if style:
            extra["size"] = style["size"]
            extra["color"] = {
                "background": style["color"],
                "border": style["border"],
                "highlight": {"background": style["color"], "border": "#f5b700"},
                "hover": {"background": style["color"], "border": "#1f2a37"},
            }
        if data["kind"] == "action":
            extra["record_id"] = data.get("record_id")
            extra["url"] = url_for("actions.show", action_id=data.get("record_id"))
        if is_centre:
            # Pinned in the middle, its words inside a box no edge crosses; the neighbours settle around it.
            extra.update(x=0, y=0, fixed=True, borderWidth=3, margin=10)
            extra["font"] = {"size": 19, "color": "#ffffff", "strokeWidth": 0}
            extra["widthConstraint"] = {"maximum": 240}
        net.add_node(node, label=_node_label(data, is_centre), shape=style.get("shape", "dot"), **extra)

    pairs = _merged_edges(graph)
    shown = _outward(graph, pairs, centre)
    for number, (u, v, edges) in enumerate(pairs):
        style = _edge_style(edges, number in shown)
        if number not in shown:
            style.update(hidden=True, physics=False, secondary=True)
        net.add_edge(u, v, id=f"e{number}", **style)

    net.set_options(json.dumps(OPTIONS))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options), "centre": centre, "depth": depth}


def _depth() -> int:
    return int_arg(request.args, "depth", 1, 1, MAX_DEPTH) or 1


@bp.get("/graph/<action_id>")
def show(action_id):
    """The graph of one action's neighbourhood, on a page of its own."""
    depth = _depth()
    site = current_site()
    action = site.links.get(action_id)
    return render_template("graph/show.html", a=action, picture=picture(site, action.id, depth), depth=depth)


@bp.get("/api/actions/<action_id>/graph")
def as_json(action_id):
    """The graph of one action's neighbourhood as JSON (nodes, edges, vis-network options)."""
    depth = _depth()
    return jsonify(picture(current_site(), action_id, depth))


@bp.get("/vendor/vis-network/<name>")
def vendor(name):
    """vis-network's script or stylesheet, from the installed pyvis package (no CDN)."""
    if name not in VIS_FILES:
        abort(404)
    return send_from_directory(VIS_DIR, name)
