"""Records -> a networkx graph: nodes and edges with a `kind` (graphkit.export saves and exports it).

No scoring here: action-to-action edges come from the `Link` records of `graphkit.linking`. Node ids carry
their kind: `council:`, `plan:<document>` (and `plan:<document>/<part>` for each plan of a document holding
several), `action:`, `pillar:`, `foundation:`, `theme:`, `owner:` (see `graphkit.owners`).

A `MultiDiGraph` keyed by edge kind: two rules may link one pair of actions (`duplicate` and `related`), which
a DiGraph would collapse into one edge; kind keys keep both and read well (`graph.edges[a, b, "duplicate"]`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx

from graphkit.owners import OwnerRole, owner_parts, slugify
from graphkit.records import Action, Link, Plan, action_label
from graphkit.vocab import FOUNDATIONS, PILLARS, THEMES
from graphkit.workers import collector_paused
from indexer.normalise import fit

GRAPH_FORMAT = 1
TEXT_CHARS = 240  # an action node's `text`: enough to recognise it, small enough for a tooltip
LABEL_CHARS = 60
NEIGHBOURHOOD_LIMIT = 40


def action_node(action_id: str) -> str:
    """The node id of an action record.

    >>> action_node("clackmannanshire-promise-2023:GC-1")
    'action:clackmannanshire-promise-2023:GC-1'
    """
    return f"action:{action_id}"


def plan_node(document: str, part: str | None = None) -> str:
    """The node id of a document's plan, or of one plan inside a document that holds several.

    >>> plan_node("clackmannanshire-inspection-2015", "Single Agency Action Plan")
    'plan:clackmannanshire-inspection-2015/single-agency-action-plan'
    """
    return f"plan:{document}/{slugify(part)}" if part else f"plan:{document}"


def _plan_parts(actions: Sequence[Action]) -> dict[str, list[str]]:
    """Per document, the plan names its actions carry, in document order."""
    parts: dict[str, list[str]] = {}
    for action in actions:
        names = parts.setdefault(action.document, [])
        if action.plan not in names:
            names.append(action.plan)
    return parts


def _action_plan_node(action: Action, parts: dict[str, list[str]]) -> str:
    # A document gets part nodes only when it holds two or more plans (the 2015 report's Covalent and single
    # agency plans); a one-plan document's actions sit directly in `plan:<document>`.
    return plan_node(action.document, action.plan if len(parts[action.document]) > 1 else None)


def _add_plans(graph: nx.MultiDiGraph, plans: Sequence[Plan], parts: dict[str, list[str]]) -> None:
    for plan in plans:
        graph.add_node(f"council:{slugify(plan.council)}", kind="council", label=plan.council)
    for plan in plans:
        shared = dict(kind="plan", document=plan.id, council=plan.council, plan_type=plan.plan_type, file=plan.file)
        shared.update(start_year=plan.start_year, end_year=plan.end_year)
        graph.add_node(plan_node(plan.id), label=plan.title, title=plan.title, source=plan.source or None, **shared)
        _edge(graph, plan_node(plan.id), f"council:{slugify(plan.council)}", "of_council")
        names = parts.get(plan.id, [])
        for part in names if len(names) > 1 else []:
            graph.add_node(plan_node(plan.id, part), label=part, title=part, **shared)
            _edge(graph, plan_node(plan.id, part), plan_node(plan.id), "part_of")


def _add_vocabulary(graph: nx.MultiDiGraph, actions: Sequence[Action]) -> None:
    """Every pillar, foundation and theme of the vocabulary, then any value an action names that it lacks."""
    for code, name in PILLARS.items():
        graph.add_node(f"pillar:{slugify(name)}", kind="pillar", label=name, code=code)
    for number, name in enumerate(FOUNDATIONS, start=1):
        graph.add_node(f"foundation:{slugify(name)}", kind="foundation", label=name, number=number)
    for theme in THEMES:
        graph.add_node(f"theme:{theme.slug}", kind="theme", label=theme.label, foundation=theme.foundation)
    for action in actions:
        if action.pillar and f"pillar:{slugify(action.pillar)}" not in graph:
            graph.add_node(f"pillar:{slugify(action.pillar)}", kind="pillar", label=action.pillar)
        for name in action.foundations:
            if f"foundation:{slugify(name)}" not in graph:
                graph.add_node(f"foundation:{slugify(name)}", kind="foundation", label=name)
        for slug in action.themes:
            if f"theme:{slug}" not in graph:
                graph.add_node(f"theme:{slug}", kind="theme", label=slug)


_Owners = dict[str, tuple[OwnerRole, list[str]]]  # owner slug -> (owner, the printed owners that name it)


def _owners_of(action: Action) -> _Owners:
    """Owner slug -> (owner, the printed owners that name it), in printed order."""
    found: _Owners = {}
    for printed in action.owners:
        for part in owner_parts(printed, action.council):
            found.setdefault(part.slug, (part, []))[1].append(printed)
    return found


def _add_owners(graph: nx.MultiDiGraph, actions: Sequence[Action], owners: list[_Owners]) -> None:
    """One node per owner slug, in slug order, with every spelling printed for it."""
    nodes: dict[str, tuple[OwnerRole, str, list[str]]] = {}
    for action, found in zip(actions, owners, strict=True):
        for slug, (role, names) in found.items():
            seen = nodes.setdefault(slug, (role, action.council, []))[2]
            seen.extend(name for name in dict.fromkeys(names) if name not in seen)
    for slug, (role, council, printed) in sorted(nodes.items()):
        # A person's council is part of who they are (see graphkit.owners); a role's is not.
        where = council if role.kind == "person" else None
        graph.add_node(
            f"owner:{slug}", kind="owner", label=role.label, owner_kind=role.kind, council=where, printed=printed
        )


def _edge(graph: nx.MultiDiGraph, source: str, target: str, kind: str, **data: Any) -> None:
    graph.add_edge(source, target, key=kind, kind=kind, **data)


def _add_action(graph: nx.MultiDiGraph, action: Action) -> None:
    short = fit(action.text or action.outcome or "", LABEL_CHARS) or "(no action text)"
    label = f"{action.code}: {short}" if action.code else short
    attrs = dict(kind="action", label=label, name=action_label(action), record_id=action.id, code=action.code)
    attrs.update(council=action.council)
    attrs.update(document=action.document, plan=action.plan, year=action.year, status=action.status, due=action.due)
    attrs.update(period_start=action.period[0], period_end=action.period[1], file=action.source.file)
    attrs.update(line=action.source.line, owners_text=action.owners_text)
    graph.add_node(action_node(action.id), **attrs, text=fit(action.text or action.outcome or "", TEXT_CHARS) or None)


def _add_action_edges(graph: nx.MultiDiGraph, action: Action, in_plan: str, owners: _Owners) -> None:
    node = action_node(action.id)
    _edge(graph, node, in_plan, "in_plan")
    if action.pillar:
        _edge(graph, node, f"pillar:{slugify(action.pillar)}", "has_pillar")
    printed = "inferred from the action's themes" if action.foundations_inferred else action.foundations_text
    for name in action.foundations:
        foundation = f"foundation:{slugify(name)}"
        _edge(graph, node, foundation, "has_foundation", inferred=action.foundations_inferred, evidence=printed)
    words = {tag.theme: list(tag.words) for tag in action.theme_evidence}
    for slug in action.themes:
        found = words.get(slug, [])
        _edge(graph, node, f"theme:{slug}", "has_theme", words=found, evidence="; ".join(found))
    for slug, (_, names) in owners.items():
        _edge(graph, node, f"owner:{slug}", "owned_by", printed=names, evidence="; ".join(names))


def _add_links(graph: nx.MultiDiGraph, links: Iterable[Link]) -> None:
    # sorted, so the edge order does not depend on how the linker happened to collect its links (and of a pair and
    # kind the link with the higher score comes first); added in one call, as 30,000 actions have some 300,000 links
    edges = []
    for source, target, link in _link_edges(graph, sorted(links, key=lambda x: (x.source, x.target, x.kind, -x.score))):
        evidence = link.evidence
        text = "; ".join([f"{e.kind}: {e.detail} ({e.weight:.2f})" for e in evidence])
        data = [{"kind": e.kind, "detail": e.detail, "weight": e.weight, "terms": list(e.terms)} for e in evidence]
        attrs = {"kind": link.kind, "scope": link.scope, "score": float(link.score), "evidence": text}
        attrs["evidence_data"] = data
        edges.append((source, target, link.kind, attrs))
    graph.add_edges_from(edges)


def _link_edges(graph: nx.MultiDiGraph, links: Iterable[Link]) -> Iterator[tuple[str, str, Link]]:
    """The links that become edges, in the order given, with their end nodes: one per pair and kind (the first)."""
    actions = {node for node, kind in graph.nodes(data="kind") if kind == "action"}
    seen: set[tuple[str, str, str]] = set()
    for link in links:
        source, target = "action:" + link.source, "action:" + link.target
        if source == target or source not in actions or target not in actions:
            raise ValueError(f"link {link.source} -> {link.target} must join two different actions of the graph")
        key = (source, target, link.kind)
        if key not in seen:
            seen.add(key)
            yield source, target, link


def build_graph(plans: Sequence[Plan], actions: Sequence[Action], links: Iterable[Link] = ()) -> nx.MultiDiGraph:
    """The graph of plans, actions, their vocabulary and owners, and the links between actions.

    Parameters
    ----------
    plans
        The catalogue's plans (documents), in catalogue order.
    actions
        Every action record, in document order; each must belong to one of `plans`.
    links
        Scored action-to-action links; each becomes an edge keyed by its kind.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges each carry `kind`; the same input always gives the same node and edge order. Edges:
        `of_council`, `part_of`, `in_plan`, `has_pillar`, `has_foundation` (`inferred`), `has_theme` (`words`),
        `owned_by` (`printed`), and the link kinds (`score`, `scope`, `evidence`, `evidence_data`).

    Raises
    ------
    ValueError
        When an action's document is not among `plans`, or a link names an action that is not in `actions`.

    Examples
    --------
    >>> from graphkit.records import Evidence
    >>> graph = build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS, [Link("d:A-1", "d:A-2", "related", "within_plan", 0.5,
    ...     (Evidence("theme", "both about advocacy", 0.5, ("advocacy",)),))])
    >>> [n for n in graph if n.startswith(("action:", "owner:", "plan:", "council:"))]
    ['council:anytown', 'plan:d', 'owner:virtual-headteacher', 'action:d:A-1', 'action:d:A-2']
    >>> graph.edges["action:d:A-1", "action:d:A-2", "related"]["evidence"]
    'theme: both about advocacy (0.50)'
    """
    known = {plan.id for plan in plans}
    for action in actions:
        if action.document not in known:
            raise ValueError(f"action {action.id} belongs to document {action.document}, which is not in the plans")
    with collector_paused():
        return _build(plans, actions, links)


def _build(plans: Sequence[Plan], actions: Sequence[Action], links: Iterable[Link]) -> nx.MultiDiGraph:
    parts = _plan_parts(actions)
    graph = nx.MultiDiGraph(name="graphkit", format=GRAPH_FORMAT)
    _add_plans(graph, plans, parts)
    _add_vocabulary(graph, actions)
    owners = [_owners_of(action) for action in actions]
    _add_owners(graph, actions, owners)
    for action in actions:
        _add_action(graph, action)
    for action, found in zip(actions, owners, strict=True):
        _add_action_edges(graph, action, _action_plan_node(action, parts), found)
    _add_links(graph, links)
    return graph


def graph_size(plans: Sequence[Plan], actions: Sequence[Action], links: Iterable[Link] = ()) -> dict[str, int]:
    """The nodes and edges `build_graph` would make, without making the link edges (at 32,000 actions, most of its
    time is wording their evidence); raises as it does.

    >>> links = [Link("d:A-1", "d:A-2", "related", "within_plan", 0.5, ())] * 2
    >>> graph = build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS, links)
    >>> graph_size(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS, links) == {"nodes": 45, "edges": 6} == {
    ...     "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    True
    """
    graph = build_graph(plans, actions)
    edges = graph.number_of_edges() + sum(1 for _ in _link_edges(graph, links))
    return {"nodes": graph.number_of_nodes(), "edges": edges}


def graph_counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """How many nodes and edges of each kind, for `graphkit index` and reports.

    >>> graph_counts(build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS))["edges"]
    {'of_council': 1, 'in_plan': 2, 'owned_by': 1, 'has_theme': 1}
    """
    nodes: dict[str, int] = {}
    edges: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        nodes[data["kind"]] = nodes.get(data["kind"], 0) + 1
    for _, _, data in graph.edges(data=True):
        edges[data["kind"]] = edges.get(data["kind"], 0) + 1
    return {"nodes": nodes, "edges": edges}


def _ranked_neighbours(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """An action's plan, vocabulary and owners in edge order, then linked actions, best score first."""
    others: dict[str, None] = {}
    scores: dict[str, float] = {}
    for u, v, data in [*graph.out_edges(node, data=True), *graph.in_edges(node, data=True)]:
        other = v if u == node else u
        if graph.nodes[other]["kind"] == "action":
            scores[other] = max(scores.get(other, 0.0), data.get("score", 0.0))
        else:
            others[other] = None
    return [*others, *sorted(scores, key=lambda other: (-scores[other], other))]


def neighbourhood(
    graph: nx.MultiDiGraph, action_id: str, depth: int = 1, limit: int = NEIGHBOURHOOD_LIMIT
) -> nx.MultiDiGraph:
    """The part of the graph around one action, small enough to draw.

    The walk goes on only from actions: passing through a theme, owner or council would bring in every action
    that shares it. A plan brings its council along.

    Parameters
    ----------
    graph
        A graph from `build_graph`.
    action_id
        The action's record id (`action:` prefix optional).
    depth
        How many action-to-action hops to follow (1: the action's own neighbours only).
    limit
        At most this many nodes; nearer nodes first, linked actions by descending score, ties by id.

    Returns
    -------
    networkx.MultiDiGraph
        A copy holding the chosen nodes, every edge among them, and their attributes.

    Raises
    ------
    ValueError
        When there is no such action in the graph.

    Examples
    --------
    >>> graph = build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS)
    >>> sorted(neighbourhood(graph, "d:A-2"))
    ['action:d:A-2', 'council:anytown', 'plan:d', 'theme:advocacy']
    """
    start = action_id if action_id.startswith("action:") else action_node(action_id)
    if graph.nodes.get(start, {}).get("kind") != "action":
        raise ValueError(f"no action {action_id} in the graph")
    kept: list[str] = [start]
    frontier = [start]
    for _ in range(depth):
        following: list[str] = []
        for node in frontier:
            for other in _ranked_neighbours(graph, node):
                # A plan's part_of / of_council chain comes along with it (walked only from plans: from an action
                # the walk would cross most of the graph).
                chain = [other]
                if graph.nodes[other]["kind"] == "plan":
                    chain += [n for n in nx.dfs_preorder_nodes(graph, other) if n != other]
                for member in chain:
                    if member not in kept and len(kept) < limit:
                        kept.append(member)
                        if graph.nodes[member]["kind"] == "action":
                            following.append(member)
        frontier = following
    # Built by hand: networkx's subgraph views iterate a set, so their node order would change from run to run.
    picture = nx.MultiDiGraph(**graph.graph)
    picture.add_nodes_from((node, dict(graph.nodes[node])) for node in kept)
    chosen = set(kept)
    for node in kept:
        edges = graph.out_edges(node, keys=True, data=True)
        picture.add_edges_from((u, v, k, dict(d)) for u, v, k, d in edges if v in chosen)
    return picture


# fmt: off
def _example() -> tuple[list[Plan], list[Action]]:
    """A one-plan, two-action corpus for the examples in this module's docstrings."""
    from graphkit.records import Source, ThemeTag

    def action(code: str, line: int, text: str, owners: tuple[str, ...], themes: tuple[str, ...]) -> Action:
        return Action(f"d:{code.replace(' ', '-')}", "d", "Plan", "Anytown", 2024, (2024, 2026), code, None, text,
                      None, owners, None, None, None, "unknown", None, None, None, (), None, False, themes,
                      tuple(ThemeTag(t, (t,)) for t in themes), Source("d", "d.txt", line))

    plan = Plan("d", "d.txt", "Anytown", "Plan", "promise", 2024, 2026)
    return [plan], [action("A 1", 3, "Train staff.", ("Virtual HT", "VHT"), ()),
                    action("A 2", 4, "Offer advocacy.", (), ("advocacy",))]
# fmt: on


_EXAMPLE_PLANS, _EXAMPLE_ACTIONS = _example()
