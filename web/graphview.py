"""Blueprint "graph": a picture of one action's links on a time axis, built with pyvis and drawn by vis-network.

The actions linked to one action stand in a grid: a column per plan year, a row per council (the action's own
council first), so a link reads as "this council, this year, made the same or a like commitment". Every link
among the actions is drawn, its line style telling its kind (duplicate solid and thick, overlap dashed, related
dotted) as well as its colour. The layout is computed here, so the picture is the same on every load and no
label lands on another.

The picture travels as JSON (a data island in the page, or /api/actions/<id>/graph), never as generated script:
document text is untrusted, so labels reach the browser only as JSON strings that vis-network paints on a canvas
and shows in tooltips as plain text. vis-network itself is served from the installed pyvis package, so the page
works offline and under the app's Content-Security-Policy (script and style from 'self' only).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pyvis
from flask import Blueprint, abort, jsonify, render_template, request, send_from_directory, url_for
from pyvis.network import Network

from graphkit.graph import action_node
from graphkit.queries import linked_actions
from graphkit.records import Action, Link, action_label, short_title
from graphkit.vocab import theme_label
from web.params import int_arg
from web.state import Site, current_site

bp = Blueprint("graph", __name__)

# pyvis 0.3.2 bundles vis-network 9.1.2; only these two files are served, by name.
VIS_VERSION = "9.1.2"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
VIS_FILES = frozenset({"vis-network.min.js", "vis-network.css"})

MAX_DEPTH = 2
PICTURE_LIMIT = 40  # actions in one picture; a second hop gets the room the first leaves
LINK_KINDS = ("duplicate", "overlap", "related")  # strongest first
TITLE_CHARS = 700  # a tooltip is a glance, not the document

# The grid, in canvas pixels at zoom 1: a cell per council and year holds its actions in sub-columns of at most
# so many boxes, chosen (from CELL_ROWS) so that the whole fits a frame of FRAME_ASPECT as large as it can.
CELL_ROWS = range(3, 13)
FRAME_ASPECT = 1.5  # width / height of the picture's frame on a laptop
COLUMN_WIDTH = 200
ROW_HEIGHT = 86
BOX_WIDTH = 170
AXIS_WIDTH = 190  # the council names on the left
HEADER = 60  # the years along the top

# Colours per node kind; web/static/graph.css draws the legend with the same values.
NODE_STYLES: dict[str, dict[str, Any]] = {
    "centre": {"shape": "box", "color": "#16325c", "border": "#f5b700", "font": "#ffffff"},
    "action": {"shape": "box", "color": "#e8effb", "border": "#4a7bd0", "font": "#1f2a37"},
    "axis": {"shape": "text", "font": "#5b6676"},
}
# Link colours are the duplicate/overlap/related colours of style.css; the line style tells the kind as well.
EDGE_COLOURS = {"duplicate": "#b42318", "overlap": "#b54708", "related": "#3b5b8f"}
EDGE_LINES: dict[str, dict[str, Any]] = {
    "duplicate": {"width": 5, "dashes": False},
    "overlap": {"width": 3, "dashes": [10, 6]},
    "related": {"width": 2, "dashes": [2, 5]},
}
SECONDARY_OPACITY = 0.45  # links among the other actions, fainter than the centre's own

# vis-network options, handed to pyvis' set_options. pyvis strips every space from this text before parsing it,
# so no value here may contain a space (hence "system-ui" rather than a font list).
OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {"size": 15, "face": "system-ui", "color": "#1f2a37"},
        "widthConstraint": {"minimum": BOX_WIDTH, "maximum": BOX_WIDTH},
        "margin": 8,
    },
    "edges": {
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
        "color": {"inherit": False},
        "selectionWidth": 2,
        "hoverWidth": 1,
    },
    "physics": {"enabled": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
        "dragNodes": False,
    },
}


def _lines(lines: list[Any]) -> str:
    """A plain-text tooltip: each line's white space folded, empty lines dropped, the whole cut to TITLE_CHARS."""
    text = "\n".join(" ".join(str(line).split()) for line in lines if line and str(line).strip())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def _node_label(action: Action) -> str:
    """A box's words: the code and the first words of the text, or (no code) the short title alone."""
    if action.code:
        words = short_title(action.text or action.outcome or action.progress, 40)
        return f"{action.code}\n{words}" if words else action.code
    return action_label(action)


def _node_title(action: Action, centre: bool) -> str:
    """A plain-text tooltip (vis-network 9 sets a string title with innerText, so markup stays text)."""
    return _lines(
        [
            f"{action_label(action)} · {action.council} {action.year}",
            action.text or action.outcome,
            f"{action.plan} ({action.document}, line {action.source.line})",
            "themes: " + ", ".join(theme_label(t) for t in action.themes) if action.themes else "",
            "This action" if centre else "Double-click to open this action",
        ]
    )


def _link_title(link: Link, primary: bool) -> str:
    lines = [f"{link.kind} link, score {link.score:.2f}"]
    if primary:  # the evidence of every link would triple the page; the action pages show it anyway
        lines += [e.detail for e in link.evidence]
    return _lines(lines)


def time_axis(actions: list[Action], links: list[Link]) -> tuple[dict[str, tuple[int, int]], dict[str, Any]]:
    """Positions for a picture of actions by plan year (columns) and council (rows, the first action's first).

    Returns the position of every action id, and the axes: ``{"years": [(year, x)], "councils": [(name, y)],
    "width", "height"}``. In a cell, the first action comes first, then the others by their link to it.

    >>> from graphkit.records import _example_action
    >>> positions, axes = time_axis([_example_action("A 1")], [])
    >>> positions, axes["years"], axes["councils"]
    ({'p:L7': (290, 0)}, [(2021, 290)], [('Anytown', 0)])
    """
    centre = actions[0]
    to_centre = {link.target if link.source == centre.id else link.source: link.score for link in links
                 if centre.id in (link.source, link.target)}  # fmt: skip
    best_council: dict[str, float] = {}
    for a in actions[1:]:
        best_council[a.council] = max(best_council.get(a.council, 0.0), to_centre.get(a.id, 0.0))
    councils = [centre.council] + sorted(
        (c for c in best_council if c != centre.council), key=lambda c: (-best_council[c], c)
    )
    years = sorted({a.year for a in actions})
    cells: dict[tuple[str, int], list[Action]] = {}
    for a in actions:
        cells.setdefault((a.council, a.year), []).append(a)
    for members in cells.values():
        members.sort(key=lambda a: (a is not centre, -to_centre.get(a.id, 0.0), a.id))

    def grid(most: int) -> tuple[dict[int, int], dict[str, int]]:
        columns = {y: max(math.ceil(len(cells.get((c, y), [])) / most) for c in councils) for y in years}
        rows = {c: min(most, max(len(cells.get((c, y), [])) for y in years)) for c in councils}
        return columns, rows

    def scale(most: int) -> float:
        columns, rows = grid(most)
        width = AXIS_WIDTH + sum(columns.values()) * COLUMN_WIDTH + len(years) * COLUMN_WIDTH // 4
        height = HEADER + sum(rows.values()) * ROW_HEIGHT + len(councils) * ROW_HEIGHT // 3
        return min(FRAME_ASPECT / width, 1 / height)

    most = max(CELL_ROWS, key=lambda n: (round(scale(n), 9), n))  # the largest picture; ties go to fewer columns
    columns, rows = grid(most)
    x_of, x = {}, AXIS_WIDTH + COLUMN_WIDTH // 2
    for y in years:
        x_of[y] = x
        x += columns[y] * COLUMN_WIDTH + COLUMN_WIDTH // 4
    y_of, top = {}, 0
    for c in councils:
        y_of[c] = top
        top += rows[c] * ROW_HEIGHT + ROW_HEIGHT // 3
    positions = {}
    for (council, year), members in cells.items():
        for n, a in enumerate(members):
            positions[a.id] = (x_of[year] + (n // most) * COLUMN_WIDTH, y_of[council] + (n % most) * ROW_HEIGHT)
    axes = {
        "years": [(y, x_of[y] + (columns[y] - 1) * COLUMN_WIDTH // 2) for y in years],
        "councils": [(c, y_of[c]) for c in councils],
        "width": x,
        "height": top + HEADER,
    }
    return positions, axes


def _shown_links(centre: str, links: list[Link]) -> set[int]:
    """Which links among the other actions a depth-2 picture shows from the start (by position in `links`): the
    duplicates and overlaps among the centre's neighbours, and for each action a second hop away the link that
    reached it. The rest wait behind the switch; all of them at once would hide the picture."""
    first = {
        link.source if link.target == centre else link.target for link in links if centre in (link.source, link.target)
    }
    shown: set[int] = set()
    reached: dict[str, tuple[float, int]] = {}
    for number, link in enumerate(links):
        ends = {link.source, link.target}
        if centre in ends:
            continue
        if ends <= first:
            if link.kind != "related":
                shown.add(number)
            continue
        far = (ends - first).pop() if len(ends - first) == 1 else None
        if far is not None and ends & first and link.score > reached.get(far, (-1.0, 0))[0]:
            reached[far] = (link.score, number)
    return shown | {number for _, number in reached.values()}


def _node_colour(style: dict[str, Any]) -> dict[str, Any]:
    return {
        "background": style["color"],
        "border": style["border"],
        "highlight": {"background": style["color"], "border": "#f5b700"},
        "hover": {"background": style["color"], "border": "#1f2a37"},
    }


def picture(site: Site, action_id: str, depth: int = 1) -> dict[str, Any]:
    """The drawable links of one action, as JSON-ready data for vis-network.

    Built with pyvis from `graphkit.queries.linked_actions`, laid out by `time_axis`: the action itself is a dark
    box, the others light boxes, year and council names are text on the axes. Links are coloured by kind, with a
    line style of their own (duplicate solid and thick, overlap dashed, related dotted). The action's own links
    are drawn in full; the links among the others are fainter, and at depth 1 hidden until asked for
    (static/graph.js offers a switch), while depth 2 shows them.

    Parameters
    ----------
    site
        The current build (`web.state.current_site()`).
    action_id
        An action's record id, or a code only one plan uses (as `LinkIndex.get` accepts).
    depth
        Link hops to follow, 1 or 2.

    Returns
    -------
    dict
        ``{"nodes", "edges", "options", "centre", "depth", "height"}``. Action nodes carry vis-network fields (id,
        label, title, shape, x, y, color, font) plus `kind`, `record_id` and `url`; axis labels have kind `axis`;
        edges carry from, to, id, title, width, dashes, color, `kind`, `score`, `secondary` for the links among
        the other actions and `hidden` for those not shown at first. `height` is the picture's height in pixels
        at zoom 1. Labels and titles are plain text. Needs an app or request context for the action URLs.

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
    actions, links = linked_actions(site.links, action.id, depth=depth, limit=PICTURE_LIMIT)
    positions, axes = time_axis(actions, links)

    # Undirected: pyvis then adds no arrows. Every node is placed here and fixed: no physics, no overlap.
    net = Network(directed=False)
    for a in actions:
        is_centre = a.id == action.id
        style = NODE_STYLES["centre" if is_centre else "action"]
        x, y = positions[a.id]
        net.add_node(
            action_node(a.id), label=_node_label(a), shape=style["shape"], title=_node_title(a, is_centre),
            kind="action", record_id=a.id, url=url_for("actions.show", action_id=a.id), council=a.council,
            year=a.year, x=x, y=y, fixed=True, color=_node_colour(style),
            font={"color": style["font"], "bold": is_centre}, borderWidth=3 if is_centre else 1.5,
        )  # fmt: skip
    axis = NODE_STYLES["axis"]
    for year, x in axes["years"]:
        net.add_node(f"axis:year:{year}", label=str(year), shape="text", kind="axis", x=x, y=-HEADER, fixed=True,
                     title=f"Plans of {year}", font={"size": 20, "color": axis["font"], "bold": True})  # fmt: skip
    for council, y in axes["councils"]:
        net.add_node(f"axis:council:{council}", label=council, shape="text", kind="axis", x=AXIS_WIDTH // 2 - 20,
                     y=y, fixed=True, title=council, font={"size": 17, "color": axis["font"], "bold": True},
                     widthConstraint={"maximum": AXIS_WIDTH - 20})  # fmt: skip

    shown = _shown_links(action.id, links) if depth > 1 else set()
    for number, link in enumerate(links):
        primary = action.id in (link.source, link.target)
        colour = EDGE_COLOURS[link.kind]
        opacity = 1.0 if primary else SECONDARY_OPACITY
        style = dict(
            EDGE_LINES[link.kind], kind=link.kind, score=round(link.score, 4), title=_link_title(link, primary)
        )
        style["color"] = {"color": colour, "highlight": colour, "hover": colour, "opacity": opacity}
        if not primary:
            hidden = number not in shown
            style.update(secondary=True, hidden=hidden, start_hidden=hidden, width=max(1, style["width"] - 1))
        (x1, y1), (x2, y2) = positions[link.source], positions[link.target]
        if x1 == x2:
            # one above the other in a column: bow the line out to the side, clear of the boxes between them
            rows = abs(y1 - y2) / ROW_HEIGHT
            style["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": 1.0 if rows < 1.5 else 0.7 if rows < 2.5 else 0.5,
            }
        net.add_edge(action_node(link.source), action_node(link.target), id=f"e{number}", **style)

    net.set_options(json.dumps(OPTIONS))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options), "centre": centre, "depth": depth,
            "height": axes["height"], "width": axes["width"]}  # fmt: skip


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
