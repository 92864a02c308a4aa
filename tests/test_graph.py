"""The graph: one node per record and vocabulary entry, edges that match the records, exports that round-trip."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import networkx as nx
import pytest

from graphkit.export import EXPORT_FORMATS, export_graph, graph_from_json, graph_to_json
from graphkit.graph import action_node, build_graph, graph_counts, graph_size, neighbourhood, plan_node
from graphkit.owners import owner_roles, slugify
from graphkit.records import Evidence, Link, Plan
from graphkit.vocab import PILLARS
from tests.conftest import DOCS


@pytest.fixture(scope="module")
def links(corpus):
    """Two hand-made links: a single-agency row of the 2015 report and the Covalent action it copies, and an
    advocacy action in one council with one in another."""
    report = [a for a in corpus.actions if a.document == DOCS["001"] and a.text]
    copy, original = next(
        (a, b) for a in report for b in report if a.plan != b.plan and a.text == b.text and a.code is None
    )
    advocacy = [a for a in corpus.actions if "advocacy" in a.themes]
    first = advocacy[0]
    other = next(a for a in advocacy if a.council != first.council)
    return [
        Link(copy.id, original.id, "duplicate", "cross_plan", 0.97, (Evidence("text", "same words", 0.97),)),
        Link(
            first.id,
            other.id,
            "related",
            "cross_council",
            0.42,
            (
                Evidence("theme", "both tagged advocacy", 0.3, ("advocacy",)),
                Evidence("text", 'shared words <b> & "rights"', 0.12, ("rights", "advocacy")),
            ),
        ),
    ]


@pytest.fixture(scope="module")
def graph(corpus, links):
    return build_graph(corpus.plans, corpus.actions, links)


def targets(graph, node, kind):
    return [v for _, v, k in graph.out_edges(node, keys=True) if k == kind]


def test_one_action_node_per_action(graph, corpus):
    actions = [n for n, kind in graph.nodes(data="kind") if kind == "action"]
    assert actions == [action_node(a.id) for a in corpus.actions]
    for action in corpus.actions:
        data = graph.nodes[action_node(action.id)]
        assert (data["code"], data["council"], data["document"]) == (action.code, action.council, action.document)
        assert (data["line"], data["year"], data["plan"]) == (action.source.line, action.year, action.plan)


def test_every_node_and_edge_has_its_kind(graph):
    for node, data in graph.nodes(data=True):
        assert node.split(":", 1)[0] == data["kind"]
        assert isinstance(data["label"], str) and data["label"]
    for _, _, key, data in graph.edges(keys=True, data=True):
        assert key == data["kind"]


def test_every_action_is_in_exactly_one_plan_of_its_document(graph, corpus):
    for action in corpus.actions:
        (plan,) = targets(graph, action_node(action.id), "in_plan")
        assert graph.nodes[plan]["kind"] == "plan"
        assert graph.nodes[plan]["document"] == action.document


def test_every_plan_is_of_exactly_one_council(graph, corpus):
    councils = {plan.id: plan.council for plan in corpus.plans}
    plans = [n for n, kind in graph.nodes(data="kind") if kind == "plan"]
    assert len(plans) >= len(corpus.plans)
    for plan in plans:
        up = targets(graph, plan, "part_of")
        document = up[0] if up else plan
        assert len(up) <= 1 and not targets(graph, document, "part_of")
        (council,) = targets(graph, document, "of_council")
        assert graph.nodes[council]["label"] == councils[graph.nodes[plan]["document"]]


def test_the_2015_report_holds_its_two_plans_as_parts(graph, corpus):
    document = DOCS["001"]
    names = Counter(a.plan for a in corpus.actions if a.document == document)
    assert set(names) == {"Covalent Joint Inspection Action Plan", "Single Agency Action Plan"}
    for name, count in names.items():
        part = plan_node(document, name)
        assert graph.nodes[part]["label"] == name
        assert targets(graph, part, "part_of") == [plan_node(document)]
        assert len([u for u, _, k in graph.in_edges(part, keys=True) if k == "in_plan"]) == count
    one_plan = DOCS["000"]
    assert [n for n in graph if n.startswith(f"plan:{one_plan}")] == [plan_node(one_plan)]


def test_theme_edges_match_the_actions_themes_with_their_words(graph, corpus):
    for action in corpus.actions:
        node = action_node(action.id)
        assert targets(graph, node, "has_theme") == [f"theme:{t}" for t in action.themes]
        for tag in action.theme_evidence:
            data = graph.edges[node, f"theme:{tag.theme}", "has_theme"]
            assert data["words"] == list(tag.words)
            assert all(word in data["evidence"] for word in tag.words)


def test_foundation_edges_say_whether_they_were_inferred(graph, corpus):
    inferred = Counter()
    for action in corpus.actions:
        node = action_node(action.id)
        assert targets(graph, node, "has_foundation") == [f"foundation:{slugify(f)}" for f in action.foundations]
        for foundation in action.foundations:
            data = graph.edges[node, f"foundation:{slugify(foundation)}", "has_foundation"]
            assert data["inferred"] is action.foundations_inferred
            inferred[data["inferred"]] += 1
    assert inferred[True] and inferred[False]


def test_pillar_edges_follow_the_code_prefix_of_the_promise_plan(graph, corpus):
    promise = [a for a in corpus.actions if a.document == DOCS["000"] and a.pillar]
    assert len(promise) > 20
    for action in promise:
        (pillar,) = targets(graph, action_node(action.id), "has_pillar")
        code = graph.nodes[pillar]["code"]
        assert PILLARS[code] == action.pillar
        assert action.code.split()[0] == code


def test_owner_edges_match_the_owner_roles(graph, corpus):
    for action in corpus.actions:
        roles = owner_roles(action)
        assert targets(graph, action_node(action.id), "owned_by") == [f"owner:{r.slug}" for r in roles]
    liam = graph.nodes["owner:clackmannanshire/liam-purdie"]
    assert liam["owner_kind"] == "person" and liam["council"] == "Clackmannanshire"
    assert "Liam Purdie" in liam["printed"] and any(p != "Liam Purdie" for p in liam["printed"])
    vht = [a for a, _, k in graph.in_edges("owner:virtual-headteacher", keys=True) if k == "owned_by"]
    assert len(vht) == sum(any(r.slug == "virtual-headteacher" for r in owner_roles(a)) for a in corpus.actions)


def test_links_become_edges_with_score_scope_and_evidence(graph, links):
    for link in links:
        data = graph.edges[action_node(link.source), action_node(link.target), link.kind]
        assert (data["kind"], data["scope"], data["score"]) == (link.kind, link.scope, link.score)
        assert all(e.detail in data["evidence"] for e in link.evidence)
        assert [Evidence(**dict(e, terms=tuple(e["terms"]))) for e in data["evidence_data"]] == list(link.evidence)


def test_a_repeated_link_keeps_the_higher_score_and_a_bad_link_is_refused(corpus, links):
    weaker = replace(links[0], score=0.5)
    graph = build_graph(corpus.plans, corpus.actions, [weaker, links[0]])
    assert graph.edges[action_node(links[0].source), action_node(links[0].target), "duplicate"]["score"] == 0.97
    with pytest.raises(ValueError, match="must join two different actions"):
        build_graph(corpus.plans, corpus.actions, [replace(links[0], target="no-such:action")])
    with pytest.raises(ValueError, match="must join two different actions"):
        build_graph(corpus.plans, corpus.actions, [replace(links[0], target=links[0].source)])
    with pytest.raises(ValueError, match="not in the plans"):
        build_graph(corpus.plans[1:], corpus.actions)


def test_counts_are_consistent_with_the_corpus(graph, corpus, links):
    counts = graph_counts(graph)
    assert counts["nodes"]["action"] == len(corpus.actions)
    assert counts["nodes"]["council"] == len({p.council for p in corpus.plans})
    assert counts["edges"]["in_plan"] == len(corpus.actions)
    assert counts["edges"]["of_council"] == len(corpus.plans)
    assert counts["edges"]["has_theme"] == sum(len(a.themes) for a in corpus.actions)
    assert counts["edges"]["owned_by"] == sum(len(owner_roles(a)) for a in corpus.actions)
    assert sum(counts["edges"].get(k, 0) for k in ("duplicate", "related")) == len(links)
    assert sum(counts["edges"].values()) == graph.number_of_edges()


def test_the_size_a_build_records_is_that_of_the_graph(corpus, links):
    graph = build_graph(corpus.plans, corpus.actions, corpus.links)
    size = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert corpus.manifest["graph"] == size == graph_size(corpus.plans, corpus.actions, corpus.links)
    assert graph_size(corpus.plans, corpus.actions, [*links, *links])["edges"] == (
        build_graph(corpus.plans, corpus.actions, [*links, *links]).number_of_edges()
    )
    with pytest.raises(ValueError, match="must join two different actions"):
        graph_size(corpus.plans, corpus.actions, [replace(links[0], target="no-such:action")])


def test_the_build_is_deterministic(corpus, links, graph):
    again = build_graph(list(corpus.plans), list(corpus.actions), list(reversed(links)))
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert json.dumps(graph_to_json(again)) == json.dumps(graph_to_json(graph))


def test_json_round_trip_keeps_every_attribute(graph):
    again = graph_from_json(json.loads(json.dumps(graph_to_json(graph), ensure_ascii=False)))
    assert isinstance(again, nx.MultiDiGraph)
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))


def read_back(fmt, path):
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return graph_from_json(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_exports_round_trip_through_networkx_readers(graph, fmt, tmp_path):
    path = tmp_path / f"graph.{fmt}"
    export_graph(graph, fmt, path)
    again = read_back(fmt, path)
    assert list(again) == list(graph)
    assert Counter(again.nodes[n]["kind"] for n in again) == Counter(k for _, k in graph.nodes(data="kind"))
    assert Counter(k for *_, k in again.edges(data="kind")) == Counter(k for *_, k in graph.edges(data="kind"))
    node = next(n for n, kind in graph.nodes(data="kind") if kind == "action")
    assert again.nodes[node]["line"] == graph.nodes[node]["line"]
    (link,) = [(u, v) for u, v, k in graph.edges(keys=True) if k == "related"]
    assert again.get_edge_data(*link)  # the link is there, whatever key the reader gives it
    edge = next(iter(again.get_edge_data(*link).values())) if again.is_multigraph() else again.edges[link]
    assert edge["score"] == 0.42 and "rights" in edge["evidence"]
    assert (json.loads(edge["evidence_data"]) if fmt != "json" else edge["evidence_data"])[1]["terms"] == [
        "rights",
        "advocacy",
    ]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_markup_quotes_and_non_ascii_survive_export(corpus, fmt, tmp_path):
    text = 'Review <b>policy</b> & "short breaks" for Zoë’s café'
    title = "Plan <1> & “2”\x0cAnnex"  # a form feed, as PDF extractions leave between pages
    plan = Plan("odd", "odd.txt", "Na h-Eileanan Siar", title, "promise", 2024, 2026)
    action = replace(corpus.actions[0], id="odd:A-1", document="odd", council=plan.council, text=text,
                     owners=("Zoë O'Brien", "Virtual HT"))  # fmt: skip
    path = tmp_path / f"odd.{fmt}"
    export_graph(build_graph([plan], [action]), fmt, path)
    again = read_back(fmt, path)
    assert again.nodes["action:odd:A-1"]["text"] == text
    assert again.nodes["plan:odd"]["label"] == (title if fmt == "json" else title.replace("\x0c", " "))
    assert again.nodes["owner:na-h-eileanan-siar/zoe-obrien"]["label"] == "Zoë O'Brien"


def test_an_unknown_export_format_is_refused(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown graph format 'dot'"):
        export_graph(graph, "dot", tmp_path / "graph.dot")
    assert not (tmp_path / "graph.dot").exists()


def test_neighbourhood_is_the_action_its_vocabulary_and_its_links(graph, links):
    link = links[1]
    around = neighbourhood(graph, link.source)
    start = action_node(link.source)
    assert start in around and action_node(link.target) in around
    assert set(graph.successors(start)) <= set(around)
    assert any(graph.nodes[n]["kind"] == "council" for n in around)
    actions = [n for n in around if graph.nodes[n]["kind"] == "action"]
    assert actions == [start, action_node(link.target)]  # and none that only share a theme or an owner
    assert (
        graph.edges[start, action_node(link.target), "related"]
        == around.edges[start, action_node(link.target), "related"]
    )
    farther = neighbourhood(graph, f"action:{link.source}", depth=2)
    assert set(around) < set(farther)
    assert list(neighbourhood(graph, link.source, depth=2)) == list(farther)
    assert len(neighbourhood(graph, link.source, depth=2, limit=3)) == 3


def test_neighbourhood_of_an_unknown_action_is_refused(graph):
    with pytest.raises(ValueError, match="no action"):
        neighbourhood(graph, "nowhere:1")
