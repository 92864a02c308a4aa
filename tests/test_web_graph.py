"""The graph picture of an action's neighbourhood: its JSON, its pages, its safety and the vendored vis-network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import render_template

from graphkit.cli import cli
from tests.conftest import DATA
from web import create_app
from web.graphview import EDGE_COLOURS, EDGE_LINES, NODE_STYLES, picture
from web.state import current_site

VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
L219 = "dundee-promise-2021:L219"
HOSTILE_TITLE = "</script><script>alert(1)</script>"
# The indexer strips well-formed tags from plan text, but not this: `</script/` still ends a script element.
HOSTILE_ID = "hostile-plan:L2"  # the tabular parser names a codeless action by its line
HOSTILE_TEXT = "We will publish </script/x><script/x>alert(2)</script/x> & 'quotes' \"too\""


class Page(HTMLParser):
    """The parts of a page these tests look at: script elements, style attributes and the data island."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styled: list[str] = []
        self.style_elements = 0
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.styled.append(tag)
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def island(self) -> dict:
        (text,) = [text for attrs, text in self.scripts if attrs.get("id") == "graph-data"]
        return json.loads(text)


def build_hostile_store(tmp_path_factory) -> Path:
    """A one-plan store whose catalogue title and action text carry markup that tries to end a script."""
    data = tmp_path_factory.mktemp("hostile-data")
    (data / "plans").mkdir()
    header = (DATA / "catalogue.csv").read_text(encoding="utf-8").splitlines()[0]
    row = {"id": "hostile-plan", "file": "hostile.txt", "council": "Anytown", "title": HOSTILE_TITLE}
    row.update(plan_type="promise", start_year="2024", end_year="2026", format="tabular", source="", published="")
    quoted = ['"' + row.get(column, "").replace('"', '""') + '"' for column in header.split(",")]
    (data / "catalogue.csv").write_text(f"{header}\n{','.join(quoted)}\n", encoding="utf-8")
    plan = [
        "Actions\tLead\tTimescale",
        f"{HOSTILE_TEXT}\tHead of Children's Services\tMarch 2025",
        "We will publish an advocacy leaflet for every family\tHead of Children's Services\tMarch 2025",
    ]
    (data / "plans" / "hostile.txt").write_text("\n".join(plan) + "\n", encoding="utf-8")
    store = tmp_path_factory.mktemp("hostile-store")
    result = CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    return create_app({"TESTING": True, "GRAPHKIT_STORE": str(build_hostile_store(tmp_path_factory))}).test_client()


@pytest.mark.parametrize("action_id", [VIEW2, L219])
@pytest.mark.parametrize("depth", [1, 2])
def test_api_returns_the_neighbourhood_with_the_centre_and_consistent_edges(client, action_id, depth):
    response = client.get(f"/api/actions/{action_id}/graph", query_string={"depth": depth})
    assert response.status_code == 200
    data = response.get_json()
    ids = [node["id"] for node in data["nodes"]]
    assert data["centre"] == f"action:{action_id}" and data["centre"] in ids
    actions = [node for node in data["nodes"] if node["kind"] == "action"]
    assert len(ids) == len(set(ids)) and 1 < len(actions) <= 40
    assert data["edges"] and all(edge["from"] in ids and edge["to"] in ids for edge in data["edges"])
    assert data["depth"] == depth and data["options"]["physics"] == {"enabled": False}
    for node in actions:
        assert node["url"] == f"/actions/{node['record_id']}"
        assert node["id"] == f"action:{node['record_id']}"
        assert node["fixed"] is True and isinstance(node["x"], int) and isinstance(node["y"], int)
    assert all(isinstance(node["label"], str) and isinstance(node["title"], str) for node in data["nodes"])


def test_depth_two_brings_more_actions_and_shows_links_among_them(client):
    one, two = (client.get(f"/api/actions/{VIEW2}/graph?depth={d}").get_json() for d in (1, 2))
    actions = [{n["id"] for n in data["nodes"] if n["kind"] == "action"} for data in (one, two)]
    assert actions[0] < actions[1]
    among = [[e for e in data["edges"] if e.get("secondary") and not e["hidden"]] for data in (one, two)]
    assert among[0] == [] and len(among[1]) >= len(actions[1] - actions[0])
    # every action a second hop away is drawn joined to the actions that brought it in
    ends = {end for edge in among[1] for end in (edge["from"], edge["to"])}
    assert actions[1] - actions[0] <= ends


def test_actions_stand_by_year_and_council_with_the_own_council_first(client, corpus):
    data = client.get(f"/api/actions/{L219}/graph").get_json()
    actions = [node for node in data["nodes"] if node["kind"] == "action"]
    centre = next(node for node in actions if node["id"] == data["centre"])
    years = {node["label"]: node["x"] for node in data["nodes"] if node["id"].startswith("axis:year:")}
    councils = {node["label"]: node["y"] for node in data["nodes"] if node["id"].startswith("axis:council:")}
    assert min(councils, key=councils.get) == "Dundee" == centre["council"]
    for node in actions:
        action = corpus.action(node["record_id"])
        # in its year's column (a busy year has sub-columns to the right of the year's first)...
        assert node["x"] >= years[str(action.year)] - 200 * 4 and node["year"] == action.year
        later = [y for y in years.values() if y > years[str(action.year)]]
        assert all(node["x"] < x for x in later)
        # ...and at or below its council's name, above the next council's
        below = [y for y in councils.values() if y > councils[action.council]]
        assert councils[action.council] <= node["y"] < min(below, default=10**6)
    boxes = {(node["x"], node["y"]) for node in actions}
    assert len(boxes) == len(actions), "no two boxes in one place"


def test_centre_is_highlighted_and_labels_are_short(client):
    data = client.get(f"/api/actions/{VIEW2}/graph").get_json()
    centre = next(node for node in data["nodes"] if node["id"] == data["centre"])
    assert centre["shape"] == "box" and centre["color"]["background"] == NODE_STYLES["centre"]["color"]
    assert centre["label"].startswith("SS_ICSAP_VIEW2\nImprove awareness of advocacy")
    assert "Clackmannanshire 2015" in centre["title"] and "\n" in centre["title"]
    for node in data["nodes"]:
        if node["kind"] == "action" and node["id"] != data["centre"]:
            assert node["color"]["background"] == NODE_STYLES["action"]["color"]
            assert len(node["label"]) <= 60 and not node["label"].startswith("line ")


def test_link_edges_differ_in_line_style_as_well_as_colour(client):
    data = client.get(f"/api/actions/{VIEW2}/graph?depth=2").get_json()
    links = data["edges"]
    assert {"duplicate", "overlap", "related"} <= {edge["kind"] for edge in links}
    for edge in links:
        assert 0 < edge["score"] <= 1
        assert edge["color"]["color"] == EDGE_COLOURS[edge["kind"]]
        assert edge["dashes"] == EDGE_LINES[edge["kind"]]["dashes"]
        assert edge["title"].startswith(f"{edge['kind']} link, score ")
    dashes = {edge["kind"]: json.dumps(edge["dashes"]) for edge in links}
    assert len(set(dashes.values())) == 3, "solid, dashed and dotted"
    shown = [edge for edge in links if data["centre"] in (edge["from"], edge["to"])]
    assert shown and not any(edge.get("hidden") for edge in shown)
    assert any("shared" in edge["title"] for edge in shown), "the centre's links explain themselves"


@pytest.mark.parametrize("url", ["/graph/nope:X-1", "/graph/nothing"])
def test_unknown_action_page_is_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_action_api_is_a_json_404(client):
    response = client.get("/api/actions/nope:X-1/graph")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("depth", ["0", "3", "x", "1.5", "-1", "99999999999999999999"])
@pytest.mark.parametrize("prefix", ["/graph/", "/api/actions/"])
def test_bad_depth_is_a_400(client, prefix, depth):
    url = f"{prefix}{VIEW2}" + ("/graph" if prefix.startswith("/api") else "")
    response = client.get(url, query_string={"depth": depth})
    assert response.status_code == 400
    assert "depth" in response.get_data(as_text=True)


def test_graph_page_has_title_legend_back_link_and_picture(client):
    response = client.get(f"/graph/{VIEW2}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Graph of SS_ICSAP_VIEW2" in html
    assert f'href="/actions/{VIEW2}"' in html
    assert 'id="graph"' in html and 'class="graph-canvas graph-large"' in html
    for words in ("this action", "linked action", "duplicate (solid)", "overlap (dashed)", "related (dotted)"):
        assert f"</span>{words}" in html
    page = Page(html)
    assert page.island()["centre"] == f"action:{VIEW2}"


def test_graph_page_has_no_inline_script_or_style(client):
    for url in (f"/graph/{VIEW2}", f"/graph/{L219}?depth=2"):
        page = Page(client.get(url).get_data(as_text=True))
        sources = [attrs["src"] for attrs, _ in page.scripts if attrs.get("src")]
        assert sources == ["/vendor/vis-network/vis-network.min.js", "/static/graph.js"]
        for attrs, text in page.scripts:
            assert attrs.get("src") or attrs.get("type") == "application/json", attrs
            assert not attrs.get("src") or not text.strip()
        assert page.styled == [] and page.style_elements == 0


def test_graph_page_links_its_styles_once_in_the_head(client):
    html = client.get(f"/graph/{VIEW2}").get_data(as_text=True)
    head, body = html.split("</head>", 1)
    assert 'href="/vendor/vis-network/vis-network.css"' in head and 'href="/static/graph.css"' in head
    assert "vis-network.css" not in body and body.count("vis-network.min.js") == 1


def test_picture_partial_brings_its_own_scripts_and_styles(app):
    # The action page includes the partial without linking anything itself.
    with app.test_request_context("/"):
        html = render_template("graph/picture.html", picture=picture(current_site(), L219))
    page = Page(html)
    assert [attrs.get("src") for attrs, _ in page.scripts if attrs.get("src")] == [
        "/vendor/vis-network/vis-network.min.js",
        "/static/graph.js",
    ]
    assert 'href="/vendor/vis-network/vis-network.css"' in html and 'href="/static/graph.css"' in html
    assert page.island()["centre"] == f"action:{L219}"
    assert page.styled == [] and page.style_elements == 0
    assert "<noscript>" in html and 'href="/actions/' in html.split("<noscript>", 1)[1]


def test_action_page_shows_the_picture(client):
    html = client.get(f"/actions/{L219}").get_data(as_text=True)
    assert Page(html).island()["centre"] == f"action:{L219}"
    assert f'href="/graph/{L219}"' in html


def test_hostile_labels_stay_text(hostile_client):
    response = hostile_client.get(f"/api/actions/{HOSTILE_ID}/graph")
    assert response.status_code == 200
    data = response.get_json()
    texts = [text for node in data["nodes"] for text in (node["label"], node["title"])]
    assert any(HOSTILE_TITLE in text for text in texts), "the plan title reaches the picture unchanged"
    assert any("</script/x><script/x>alert(2)" in text for text in texts), "the action text reaches it unchanged"

    html = hostile_client.get(f"/graph/{HOSTILE_ID}").get_data(as_text=True)
    assert "<script>alert" not in html and "<script/x>" not in html
    assert "</script><script>" not in html and "</script/x>" not in html
    page = Page(html)
    assert len(page.scripts) == 3, "no label ended the data island or added a script"
    island = page.island()
    centre = next(node for node in island["nodes"] if node["id"] == island["centre"])
    assert HOSTILE_TEXT in centre["title"]
    assert f"\n{HOSTILE_TITLE} (hostile-plan, line 2)\n" in centre["title"], "the plan title, as text"
    assert "&lt;/script/x&gt;" in html, "the page prints the action text escaped"


def test_vendored_script_and_stylesheet_are_served(client):
    # Closed explicitly: send_from_directory streams the file, and an unclosed response leaves it open.
    with client.get("/vendor/vis-network/vis-network.min.js") as script:
        assert script.status_code == 200
        assert script.mimetype in ("text/javascript", "application/javascript")
        assert b"vis-network" in script.data[:400] and len(script.data) > 100_000
    with client.get("/vendor/vis-network/vis-network.css") as style:
        assert style.status_code == 200 and style.mimetype == "text/css"


@pytest.mark.parametrize(
    "name",
    ["vis-network.js", "vis-network.min.js.map", "../network.py", "..%2Fnetwork.py", "%2e%2e%2fnetwork.py", "x"],
)
def test_vendor_route_refuses_other_names(client, name):
    assert client.get(f"/vendor/vis-network/{name}").status_code == 404


def test_legend_colours_match_the_picture():
    css = (DATA.parent / "web" / "static" / "graph.css").read_text(encoding="utf-8")

    def rule(selector: str) -> str:
        match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
        assert match, selector
        return match.group(1)

    for kind in ("centre", "action"):
        assert NODE_STYLES[kind]["color"] in rule(f".swatch-{kind}") and NODE_STYLES[kind]["border"] in rule(
            f".swatch-{kind}"
        ), kind
    line_words = {False: "solid", (10, 6): "dashed", (2, 5): "dotted"}
    for kind, colour in EDGE_COLOURS.items():
        dashes = EDGE_LINES[kind]["dashes"]
        assert colour in rule(f".line-{kind}"), kind
        assert line_words[tuple(dashes) if dashes else False] in rule(f".line-{kind}"), kind
