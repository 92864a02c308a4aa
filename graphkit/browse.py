"""Read-only listings for browsing: a plan's actions grouped by pillar and outcome, the themes and owners with
their actions across councils and years. Nothing here imports Flask or click; the web pages and their /api/
twins call these functions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.records import Action, Plan
from graphkit.store import Corpus
from graphkit.vocab import THEMES, theme_label

NO_OUTCOME = "Other actions"


class UnknownName(GraphkitError):
    """A plan, theme or owner that the corpus does not hold."""


@dataclass(frozen=True, slots=True)
class Group:
    """Actions under one heading (a pillar or a part of a plan) and one outcome."""

    heading: str | None
    outcome: str
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """A theme or an owner with the number of actions it has."""

    slug: str
    label: str
    count: int
    detail: str = ""


def find_plan(corpus: Corpus, document: str) -> Plan:
    """The plan with this document id (UnknownName when there is none)."""
    for plan in corpus.plans:
        if plan.id == document:
            return plan
    raise UnknownName(f"no plan {document!r}; the plans are {', '.join(p.id for p in corpus.plans)}")


def plan_counts(corpus: Corpus) -> Counter[str]:
    """How many actions each plan (document id) has."""
    return Counter(a.document for a in corpus.actions)


def plan_groups(actions: Sequence[Action]) -> list[Group]:
    """A plan's actions grouped, in the plan's order: by pillar (or by part, for a report holding several plans),
    then by outcome.

    >>> from graphkit.queries import _example_index
    >>> [(g.heading, g.outcome, len(g.actions)) for g in plan_groups(_example_index().corpus.actions[:2])]
    [(None, 'Other actions', 2)]
    """
    parts = len({a.plan for a in actions}) > 1
    groups: dict[tuple[str | None, str], list[Action]] = {}
    for action in sorted(actions, key=lambda a: a.source.line):
        heading = action.pillar or (action.plan if parts else None)
        groups.setdefault((heading, action.outcome or NO_OUTCOME), []).append(action)
    return [Group(heading, outcome, tuple(found)) for (heading, outcome), found in groups.items()]


READ_BY = re.compile(r"^read by: (?P<rule>.+) \(confidence (?P<confidence>\w+)\)$")
CHECK_LIMIT = 200  # lines to check shown on a plan's page


@dataclass(frozen=True, slots=True)
class Check:
    """A line of a plan that a person should check: its line, where it was printed, and why."""

    line: int
    where: str
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Reading:
    """How a plan was read: the reader (file type), the parser and why, the rules that found its actions with
    their confidence and counts, and the lines to check."""

    reader: str
    parser: str
    why: str
    rules: tuple[tuple[str, str, int], ...]
    to_check: tuple[Check, ...]
    more: int = 0  # lines to check beyond CHECK_LIMIT


def plan_reading(actions: Sequence[Action], coverage: dict[str, Any], problems: Sequence[Any]) -> Reading:
    """How one plan was read, from its actions' `read by` notes, its coverage row and its problems.

    >>> plan_reading([], {"parser": "promise_table", "parser_reason": "catalogue format"}, []).rules
    ()
    """
    rules: Counter[tuple[str, str]] = Counter()
    for action in actions:
        for note in action.notes:
            match = READ_BY.match(note)
            if match:
                rules[(match.group("rule"), match.group("confidence"))] += 1
    where = {a.source.line: a.source.where for a in actions if a.source.where}
    checks = [
        Check(p.line, where.get(p.line) or (f"line {p.line}" if p.line else "the whole file"), p.reason, p.text)
        for p in sorted(problems, key=lambda p: p.line)
    ]
    return Reading(
        reader=coverage.get("reader") or "text",
        parser=coverage.get("parser") or "",
        why=coverage.get("parser_reason") or "",
        rules=tuple((rule, confidence, n) for (rule, confidence), n in rules.most_common()),
        to_check=tuple(checks[:CHECK_LIMIT]),
        more=max(0, len(checks) - CHECK_LIMIT),
    )


def _in_order(actions: list[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: (a.year, a.council, a.document, a.source.line))


def theme_entries(corpus: Corpus) -> list[Entry]:
    """Every theme of the vocabulary with how many actions carry it, most first."""
    counts = {t.slug: 0 for t in THEMES}
    for action in corpus.actions:
        for slug in action.themes:
            counts[slug] = counts.get(slug, 0) + 1
    foundation = {t.slug: t.foundation for t in THEMES}
    entries = [Entry(slug, theme_label(slug), n, foundation.get(slug, "")) for slug, n in counts.items()]
    return sorted(entries, key=lambda e: (-e.count, e.label))


def tagged(corpus: Corpus, theme: str) -> tuple[Entry, list[Action]]:
    """A theme (slug or label, any case) and its actions by year, council and line."""
    wanted = theme.casefold()
    for entry in theme_entries(corpus):
        if wanted in (entry.slug.casefold(), entry.label.casefold()):
            return entry, _in_order([a for a in corpus.actions if entry.slug in a.themes])
    raise UnknownName(f"no theme {theme!r}; /themes lists them")


def _holders(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The record ids of the actions an owner node holds (one owned_by edge each)."""
    return [graph.nodes[u]["record_id"] for u, _, k in graph.in_edges(node, keys=True) if k == "owned_by"]


def _owner_entry(graph: nx.MultiDiGraph, node: str, count: int) -> Entry:
    data = graph.nodes[node]
    detail = data.get("owner_kind", "") + (f", {data['council']}" if data.get("council") else "")
    return Entry(node.removeprefix("owner:"), data.get("label", node), count, detail)


def owner_entries(graph: nx.MultiDiGraph) -> list[Entry]:
    """Every owner (role, organisation or person) named in the plans, with its number of actions, most first."""
    entries = [
        _owner_entry(graph, node, len(_holders(graph, node)))
        for node, kind in graph.nodes(data="kind")
        if kind == "owner"
    ]
    return sorted(entries, key=lambda e: (-e.count, e.label.casefold()))


def owned(graph: nx.MultiDiGraph, actions: dict[str, Action], owner: str) -> tuple[Entry, list[Action], list[str]]:
    """An owner (by slug), its actions by year, council and line, and every way the plans print it."""
    node = f"owner:{owner}"
    data = graph.nodes.get(node)
    if data is None or data.get("kind") != "owner":
        raise UnknownName(f"no owner {owner!r}; /owners lists them")
    found = _in_order([actions[i] for i in dict.fromkeys(_holders(graph, node))])
    return _owner_entry(graph, node, len(found)), found, list(data.get("printed", []))
