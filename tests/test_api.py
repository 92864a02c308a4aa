"""The JSON API (/api/) on the real bundled documents: what each endpoint answers, checked against facts a person can
find in the plans, its CSV downloads, its 404s and 400s, and its OpenAPI description kept in step with its routes."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from graphkit.catalogue import read_catalogue
from web.openapi import openapi_spec

DATA = Path(__file__).resolve().parent.parent / "data"
VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"  # "Improve awareness of advocacy and children's rights..."
GC10 = "clackmannanshire-promise-2023:GC-10"  # "All CECYP to be made aware ... independent advocacy ..."
GC2 = "clackmannanshire-promise-2023:GC-2"  # its text holds "... Additional Support for Learning - Staged ..."
STW2 = "clackmannanshire-promise-2023:STW-2"


def get_json(client, url, status=200, **args):
    response = client.get(url, query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# --- the description --------------------------------------------------------------------------------------------


def _spec_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /api/actions/<action_id> -> /api/actions/{action_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_is_described_and_every_described_path_is_a_route(app):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            methods = {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
            routes.setdefault(_spec_path(rule.rule), set()).update(methods)
    described = {path: set(operations) for path, operations in openapi_spec()["paths"].items()}
    assert described == routes


def test_openapi_json_serves_the_description(client):
    served = get_json(client, "/api/openapi.json")
    assert served == openapi_spec()
    assert served["openapi"] == "3.0.3"
    assert served["info"]["title"] == "graphkit"
    assert served["info"]["version"] == importlib.metadata.version("graphkit")
    assert {"ActionSummary", "Evidence", "Hit", "Facets", "Error"} <= set(served["components"]["schemas"])


def test_examples_in_the_description_name_real_things(client):
    """Schemathesis's examples phase sends these: they must reach real answers, not 404s."""
    for path, operations in openapi_spec()["paths"].items():
        parameters = operations["get"].get("parameters", [])
        url = path
        for p in parameters:
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", quote(p["example"], safe=":"))
        args = {p["name"]: p["example"] for p in parameters if p["in"] == "query" and "example" in p}
        assert client.get(url, query_string=args).status_code == 200, url


# --- search -----------------------------------------------------------------------------------------------------


def test_search_advocacy_returns_marked_fragments_and_facets(client):
    result = get_json(client, "/api/search", q="advocacy", limit=50)
    hits = result["hits"]
    assert result["total"] + result["partial_total"] == len(hits) and result["total"] > 5
    assert [h["kind"] for h in hits[: result["total"]]] == ["all"] * result["total"]
    for hit in hits[:5]:  # the best hits are about advocacy (Who Cares? Scotland is the advocacy service)
        assert "advoca" in hit["text"].lower() or "who cares" in hit["text"].lower(), hit["id"]
    assert {VIEW2, GC10} <= {h["id"] for h in hits[:5]}
    for hit in hits:
        if hit["kind"] == "all":  # an action tagged with the advocacy theme alone may not say the word
            assert any(f["match"] for f in hit["fragments"]), hit["id"]
        assert "".join(f["text"] for f in hit["fragments"]) == hit["snippet"].replace("«", "").replace("»", "")
    councils = {v["value"]: v["count"] for v in result["facets"]["council"]}
    assert sum(councils.values()) == result["total"] + result["partial_total"]  # one council per action
    assert councils["Clackmannanshire"] > councils["Dundee"] >= 1


def test_search_council_filter_keeps_only_that_council(client):
    everything = get_json(client, "/api/search", q="advocacy", limit=50)
    dundee = get_json(client, "/api/search", q="advocacy", council="dundee", limit=50)
    assert 0 < dundee["total"] < everything["total"]
    assert {h["council"] for h in dundee["hits"]} == {"Dundee"}
    assert [v["value"] for v in dundee["facets"]["council"]] == ["Dundee"]
    # Dundee's "Children and Young People are offered an advocate" (Promise to You 2021, line 242)
    assert "dundee-promise-2021:L242-5" in {h["id"] for h in dundee["hits"]}


def test_search_csv_is_an_attachment_with_the_json_hits(client):
    hits = get_json(client, "/api/search", q="advocacy", limit=50)["hits"]
    response = client.get("/api/search", query_string={"q": "advocacy", "limit": 50, "format": "csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-advocacy.csv"'
    rows = csv_rows(response)
    assert [r["id"] for r in rows] == [h["id"] for h in hits]
    assert rows[0]["source.line"] == str(hits[0]["source"]["line"])


def test_json_format_asked_for_is_an_attachment(client):
    response = client.get("/api/plans", query_string={"format": "json"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="plans.json"'
    assert "Content-Disposition" not in client.get("/api/plans").headers


def test_csv_defuses_a_cell_a_spreadsheet_would_run(client):
    # GC 2 prints "... Additional Support for Learning - Staged Intervention Guidance ..."; STW 2 has no dash
    # there, so the diff's first piece only in GC 2 starts with "- Staged", which a spreadsheet reads as a formula
    diff = get_json(client, "/api/compare", a=GC2, b=STW2)["diff"]
    dashed = [p["text"] for p in diff if p["text"].startswith("- Staged")]
    assert dashed
    rows = csv_rows(client.get("/api/compare", query_string={"a": GC2, "b": STW2, "format": "csv"}))
    assert [r["text"] for r in rows if "Staged Intervention" in r["text"]][0] == "'" + dashed[0]
    assert not any(r["text"].startswith(("=", "+", "-", "@")) for r in rows)


# --- one action -------------------------------------------------------------------------------------------------


def test_action_carries_its_source_line_related_actions_and_trace(client):
    view = get_json(client, f"/api/actions/{VIEW2}")
    action = view["action"]
    assert action["code"] == "SS_ICSAP_VIEW2" and action["owners"] == ["Christine Sutton"]
    own = [s for s in view["source_lines"] if s["own"]]
    assert [s["line"] for s in own] == [action["source"]["line"]] == [471]
    assert "Improve awareness of advocacy and children's rights services" in own[0]["text"]
    printed = (DATA / "plans" / action["source"]["file"]).read_text(encoding="utf-8").splitlines()
    assert printed[470].startswith("SS_IC SAP_VIEW2 Advocacy\tImprove awareness of advocacy and children's rights")
    assert [s["line"] for s in view["source_lines"]] == list(range(468, 475))  # three lines either side
    assert view["related"] and all(r["evidence"] for r in view["related"])
    # the 2015 inspection plan prints this action twice (line 866 repeats it): a duplicate of score 1
    assert "clackmannanshire-inspection-2015:L866" in {d["id"] for d in view["duplicates"]}
    later = [step for step in view["trace"] if step["direction"] == "later"]
    assert GC10 in {step["id"] for step in later}  # the 2023 Promise plan's advocacy action carries it forward


def test_related_cross_council_only_links_other_councils(client):
    found = get_json(client, f"/api/actions/{GC10}/related", scope="cross_council", limit=200)
    assert found["action"]["id"] == GC10
    related = found["related"]
    assert related
    assert {r["scope"] for r in related} == {"cross_council"}
    assert "Clackmannanshire" not in {r["council"] for r in related}
    assert all(r["evidence"] for r in related)


def test_trace_to_a_year_leaves_out_later_plans(client):
    unbounded = get_json(client, f"/api/actions/{VIEW2}/trace", limit=200)["trace"]
    assert max(step["year"] for step in unbounded) > 2021
    bounded = get_json(client, f"/api/actions/{VIEW2}/trace", to=2021, limit=200)["trace"]
    assert bounded
    assert all(step["year"] <= 2021 for step in bounded)


def test_action_graph_is_centred_on_the_action(client):
    graph = get_json(client, f"/api/actions/{VIEW2}/graph")
    assert graph["nodes"] and graph["edges"]
    assert VIEW2 in graph["centre"]


# --- duplicates and compare -------------------------------------------------------------------------------------


def test_duplicates_cross_council_are_only_cross_council_clusters(client):
    found = get_json(client, "/api/duplicates", scope="cross_council", limit=500)
    assert found["total"] == len(found["clusters"]) > 0
    for cluster in found["clusters"]:
        assert cluster["scope"] == "cross_council"
        assert len({m["council"] for m in cluster["members"]}) > 1, cluster["id"]


def test_duplicates_kind_filter_splits_the_clusters(client):
    total = get_json(client, "/api/duplicates")["total"]
    counts = {}
    for kind in ("duplicate", "overlap"):
        found = get_json(client, "/api/duplicates", kind=kind, limit=500)
        assert {c["kind"] for c in found["clusters"]} == {kind}
        counts[kind] = found["total"]
    assert counts["duplicate"] + counts["overlap"] == total


def _words(text: str) -> list[str]:
    """Words as the diff compares them: case-blind, without their punctuation."""
    return [w for w in (re.sub(r"[^\w']+", "", t.casefold()) for t in text.split()) if w]


@pytest.mark.parametrize(("a", "b"), [(VIEW2, GC10), (GC2, STW2)])
def test_compare_diff_joins_back_to_each_text(client, a, b):
    view = get_json(client, "/api/compare", a=a, b=b)
    assert {p["op"] for p in view["diff"]} == {"same", "only_a", "only_b"}
    assert "".join(p["text"] for p in view["diff"] if p["op"] in ("same", "only_a")) == view["a"]["text"]
    b_side = "".join(p["text"] for p in view["diff"] if p["op"] in ("same", "only_b"))
    assert _words(b_side) == _words(view["b"]["text"])


def test_compare_b_side_keeps_b_as_printed(client):
    # GC 2 prints "Support", STW 2 "support": a shared run carries each side's own spelling
    view = get_json(client, "/api/compare", a=GC2, b=STW2)
    b_side = [p.get("text_b", p["text"]) for p in view["diff"] if p["op"] in ("same", "only_b")]
    assert "".join(b_side) == view["b"]["text"]


# --- plans, themes, owners --------------------------------------------------------------------------------------


def test_plans_are_the_catalogue_with_every_action_counted(client, corpus):
    plans = get_json(client, "/api/plans")["plans"]
    assert [p["id"] for p in plans] == [p.id for p in read_catalogue(DATA)]
    assert sum(p["actions"] for p in plans) == len(corpus.actions)
    dundee = next(p for p in plans if p["id"] == "dundee-promise-2021")
    assert (dundee["council"], dundee["start_year"], dundee["end_year"]) == ("Dundee", 2021, 2023)


@pytest.mark.parametrize("document", [p.id for p in read_catalogue(DATA)])
def test_plan_groups_account_for_every_action(client, document):
    count = next(p["actions"] for p in get_json(client, "/api/plans")["plans"] if p["id"] == document)
    view = get_json(client, f"/api/plans/{document}")
    ids = [a["id"] for g in view["groups"] for a in g["actions"]]
    assert len(ids) == len(set(ids)) == count == view["coverage"]["records"]
    assert {a["document"] for g in view["groups"] for a in g["actions"]} == {document}


def test_theme_advocacy_lists_its_actions(client):
    found = get_json(client, "/api/themes/advocacy")
    assert found["theme"]["label"] == "Advocacy and legal advice"
    assert found["theme"]["count"] == len(found["actions"])
    assert {VIEW2, GC10, "dundee-promise-2021:L242-5"} <= {a["id"] for a in found["actions"]}
    listed = {t["slug"]: t["count"] for t in get_json(client, "/api/themes")["themes"]}
    assert listed["advocacy"] == found["theme"]["count"]


def test_owner_headteachers_holds_the_actions_that_name_them(client):
    owners = {o["slug"]: o for o in get_json(client, "/api/owners")["owners"]}
    found = get_json(client, "/api/owners/headteachers")
    assert found["owner"]["count"] == owners["headteachers"]["count"] == len(found["actions"])
    assert found["printed"] == ["Headteachers"]
    # Promise plan 2023, GC 1 (line 9): "Ensure there are no formal or informal education exclusions..."
    assert "clackmannanshire-promise-2023:GC-1" in {a["id"] for a in found["actions"]}
    for action in found["actions"]:
        assert "Headteachers" in get_json(client, f"/api/actions/{action['id']}")["action"]["owners"]


def test_every_listed_owner_can_be_opened_with_its_count(client):
    # people's slugs carry their council (clackmannanshire/liam-purdie): the route must take the slash
    owners = get_json(client, "/api/owners")["owners"]
    assert any("/" in o["slug"] for o in owners)
    for owner in owners:
        found = get_json(client, f"/api/owners/{owner['slug']}")
        assert found["owner"]["count"] == owner["count"] == len(found["actions"]), owner["slug"]


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "args", "name"),
    [
        ("/api/actions/no-such-plan:X1", {}, "no-such-plan:X1"),
        ("/api/actions/no-such-plan:X1/related", {}, "no-such-plan:X1"),
        ("/api/actions/no-such-plan:X1/trace", {}, "no-such-plan:X1"),
        ("/api/actions/no-such-plan:X1/graph", {}, "no-such-plan:X1"),
        ("/api/compare", {"a": VIEW2, "b": "no-such-plan:X1"}, "no-such-plan:X1"),
        ("/api/plans/no-such-plan", {}, "no-such-plan"),
        ("/api/themes/no-such-theme", {}, "no-such-theme"),
        ("/api/owners/no-such-owner", {}, "no-such-owner"),
        ("/api/owners/dundee/no-such-person", {}, "dundee/no-such-person"),
    ],
)
def test_unknown_names_are_a_json_404_naming_them(client, url, args, name):
    error = get_json(client, url, status=404, **args)
    assert error["status"] == 404 and error["error"]
    assert name in error["message"]


LONG = "advocacy " * 67  # 603 characters


@pytest.mark.parametrize(
    ("url", "args", "name"),
    [
        ("/api/search", {"q": "advocacy", "limit": "0"}, "limit"),
        ("/api/search", {"q": "advocacy", "limit": "abc"}, "limit"),
        ("/api/search", {"q": "advocacy", "page": "-1"}, "page"),
        ("/api/search", {"q": "advocacy", "page": "600", "limit": "20"}, "page"),
        ("/api/search", {"q": LONG}, "q"),
        ("/api/search", {"q": "advo\x00cacy"}, "q"),
        ("/api/search", {"q": "advocacy", "exact": "maybe"}, "exact"),
        ("/api/search", {"council": "Atlantis"}, "council"),
        ("/api/search", {"q": "advocacy", "format": "xml"}, "format"),
        (f"/api/actions/{VIEW2}/related", {"scope": "nope"}, "scope"),
        (f"/api/actions/{VIEW2}/related", {"limit": "201"}, "limit"),
        (f"/api/actions/{VIEW2}/trace", {"to": "twenty"}, "to"),
        (f"/api/actions/{VIEW2}/graph", {"depth": "3"}, "depth"),
        (f"/api/actions/{VIEW2}", {"format": "xml"}, "format"),
        ("/api/duplicates", {"scope": "nope"}, "scope"),
        ("/api/duplicates", {"kind": "twins"}, "kind"),
        ("/api/duplicates", {"min_score": "2"}, "min_score"),
        ("/api/duplicates", {"min_score": "nan"}, "min_score"),
        ("/api/duplicates", {"council": "Atlantis"}, "council"),
        ("/api/compare", {"a": VIEW2}, "b"),
        ("/api/plans", {"format": "xml"}, "format"),
    ],
)
def test_bad_arguments_are_a_json_400_naming_them(client, url, args, name):
    error = get_json(client, url, status=400, **args)
    assert error["status"] == 400 and error["error"] == "Bad request"
    assert re.search(rf"\b{name}\b", error["message"]), error["message"]
