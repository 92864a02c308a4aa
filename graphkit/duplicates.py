"""Clusters of duplicate commitments (the same commitment, possibly reworded) and of overlapping ones (a shared
aim), within a plan, across one council's plans and across councils, from the corpus's links.

A build stores the clusters of every link and of each scope (`stored_clusters`, in CLUSTERS_FILE), so the first
listing of a large corpus reads them instead of clustering hundreds of thousands of links; the other filters (a
council, a lowest score) are clustered when asked, and kept for the index's life.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graphkit.queries import LinkIndex, action_summary
from graphkit.records import SCOPES, Action, Link
from graphkit.reviews import link_verdict
from graphkit.workers import collector_paused

CLUSTER_SCOPE_ORDER = {scope: rank for rank, scope in enumerate(SCOPES)}
READING_ORDER = {"cross_council": 0, "cross_plan": 1, "within_plan": 2}  # what a strategist came for, first
CLUSTERS_FILE = "clusters.json"
STORED_SCOPES: tuple[str | None, ...] = (None, *SCOPES)  # every link, then the links of each scope


@dataclass(frozen=True, slots=True)
class Cluster:
    """Duplicate or overlapping commitments: members, the links between them and the widest scope."""

    kind: str
    scope: str
    score: float
    members: tuple[Action, ...]
    links: tuple[Link, ...]

    @property
    def copy_between_parts(self) -> bool:
        """True for word-for-word copies between two parts of one document (a report holding two plans that
        repeat each other): duplicates, every member in the same document, in two or more of its plans, and
        every link inside a near-verbatim copy."""
        return (
            self.kind == "duplicate"
            and len({m.document for m in self.members}) == 1
            and len({m.plan for m in self.members}) > 1
            and all(any(e.kind == "verbatim" for e in link.evidence) for link in self.links)
        )

    def to_dict(self) -> dict:
        return {
            # a cluster is named after its first member (the earliest), stable from build to build
            "id": f"{self.kind}:{self.members[0].id}",
            "kind": self.kind,
            "scope": self.scope,
            "score": self.score,
            "copy_between_parts": self.copy_between_parts,
            "members": [action_summary(a) for a in self.members],
            "evidence": [e.to_dict() for e in self.links[0].evidence],
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(frozen=True, slots=True)
class PartCopies:
    """The clusters that are word-for-word copies between the parts (plans) of one document, as one group."""

    document: str
    parts: tuple[str, ...]
    clusters: tuple[Cluster, ...]

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "parts": list(self.parts),
            "copies": len(self.clusters),
            "clusters": [c.to_dict() for c in self.clusters],
        }


def reading_order(clusters: Sequence[Cluster]) -> list[Cluster]:
    """Clusters across councils first, then across one council's plans, then within a plan; duplicates before
    overlaps, best first, within each; copies between the parts of one document last.

    >>> from graphkit.queries import _example_index
    >>> [c.scope for c in reading_order(duplicate_clusters(_example_index()))]
    ['cross_plan']
    """
    return sorted(
        clusters,
        key=lambda c: (c.copy_between_parts, READING_ORDER.get(c.scope, 3), c.kind != "duplicate", -c.score,
                       c.members[0].id),
    )  # fmt: skip


def part_copies(clusters: Sequence[Cluster]) -> list[PartCopies]:
    """The copies between the parts of one document among `clusters`, one group per document."""
    groups: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.copy_between_parts:
            groups.setdefault(cluster.members[0].document, []).append(cluster)
    return [
        PartCopies(document, tuple(dict.fromkeys(m.plan for c in found for m in c.members)), tuple(found))
        for document, found in groups.items()
    ]


def duplicate_clusters(
    index: LinkIndex, min_score: float = 0.0, scope: str | None = None, council: str | None = None
) -> list[Cluster]:
    """Clusters of duplicate commitments and clusters of overlapping ones, in `reading_order`.

    Complete linkage, greedily from the strongest link: two clusters merge only when every pair of their
    members is itself linked, so a chain of loose likenesses never becomes one cluster. Duplicate clusters use
    duplicate links only; overlap clusters use duplicate and overlap links and are kept when they hold at
    least one overlap, so two duplicates can also sit inside a wider cluster that shares their aim.

    The clusters are worked out once per index and filter (a large corpus takes a few seconds), then reused.

    Examples
    --------
    >>> from graphkit.queries import _example_index
    >>> [(c.kind, [a.id for a in c.members]) for c in duplicate_clusters(_example_index())]
    [('overlap', ['old:A-1', 'new:B-1'])]
    """
    key = ("duplicate_clusters", min_score, scope, council)
    found = index.memo.get(key)
    if found is None:
        with collector_paused():  # many small sets and records, no cycles: the collector's passes tripled the time
            if min_score <= 0 and council is None and not index.reviewed:  # stored: the build's links as linked
                found = _read_stored(index, scope)
            if found is None:
                found = _clusters(index.actions, index.links, min_score, scope, council)
        found = reading_order(found)
        index.memo[key] = found
    return list(found)


def stored_clusters(actions: Sequence[Action], links: Sequence[Link]) -> dict[str, Any]:
    """What a build keeps in CLUSTERS_FILE: the clusters of every link ("all") and of each scope, each as
    [kind, scope, score, member ids, link numbers] (a link's number is its place in `links`, as stored).

    >>> from graphkit.queries import _example_index
    >>> index = _example_index()
    >>> stored_clusters(index.corpus.actions, index.corpus.links)["all"]
    [['overlap', 'cross_plan', 0.4, ['old:A-1', 'new:B-1'], [0]]]
    """
    by_id = {a.id: a for a in actions}
    number = {id(link): k for k, link in enumerate(links)}
    with collector_paused():
        return {
            scope or "all": [
                [c.kind, c.scope, c.score, [a.id for a in c.members], [number[id(link)] for link in c.links]]
                for c in _clusters(by_id, links, 0.0, scope, None)
            ]
            for scope in STORED_SCOPES
        }


def write_stored_clusters(actions: Sequence[Action], links: Sequence[Link], folder: Path) -> dict[str, list]:
    """Write `stored_clusters` into a build folder, and return them."""
    stored = stored_clusters(actions, links)
    (folder / CLUSTERS_FILE).write_text(json.dumps(stored, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return stored


def _read_stored(index: LinkIndex, scope: str | None) -> list[Cluster] | None:
    """The clusters the build stored for `scope`, or None when it stored none (a build from before builds stored
    them, or an index that was not loaded from a build) or they do not fit its records."""
    folder = index.corpus.path
    if folder is None:
        return None
    stored = index.memo.get("stored_clusters")
    if stored is None:
        try:
            stored = json.loads((folder / CLUSTERS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        index.memo["stored_clusters"] = stored
    rows = stored.get(scope or "all") if isinstance(stored, dict) else None
    if not isinstance(rows, list):
        return None
    links, actions = index.corpus.links, index.actions
    try:
        return [
            Cluster(kind, widest, score, tuple(actions[m] for m in members), tuple(links[k] for k in numbers))
            for kind, widest, score, members, numbers in rows
        ]
    except (KeyError, IndexError, TypeError, ValueError):
        return None  # not this build's records: cluster them again


def _clusters(
    actions: Mapping[str, Action], links: Sequence[Link], min_score: float, scope: str | None, council: str | None
) -> list[Cluster]:

    def wanted(link: Link) -> bool:
        councils = {actions[x].council.lower() for x in (link.source, link.target)}
        return (
            link.score >= min_score
            and (scope is None or link.scope == scope)
            and (council is None or council.lower() in councils)
        )

    chosen = [link for link in links if link.kind in ("duplicate", "overlap")]
    if min_score > 0 or scope is not None or council is not None:
        chosen = [link for link in chosen if wanted(link)]
    result = _complete_linkage(actions, [link for link in chosen if link.kind == "duplicate"])
    result += [c for c in _complete_linkage(actions, chosen) if c.kind == "overlap"]
    return reading_order(result)


def _complete_linkage(by_id: Mapping[str, Action], links: list[Link]) -> list[Cluster]:
    # Actions by number and links best first, with array sorts and sets of numbers: the 300,000 links of a
    # 32,000-action corpus are clustered in about a second (bench/links_scale.py).
    if not links:
        return []
    ids = sorted({x for link in links for x in (link.source, link.target)})
    number = {action_id: k for k, action_id in enumerate(ids)}  # in id order, so numbers sort as the ids do
    n = len(ids)
    source = np.array([number[link.source] for link in links], dtype=np.int64)
    target = np.array([number[link.target] for link in links], dtype=np.int64)
    unreviewed = np.array([link_verdict(link) is None for link in links])  # a person's decision goes first
    order = np.lexsort((target, source, -np.array([link.score for link in links]), unreviewed))
    low, high = np.minimum(source, target), np.maximum(source, target)
    # the last link of a pair, best first, stands for the pair (as a dict built in that order keeps it)
    pair = dict(zip((low[order] * n + high[order]).tolist(), order.tolist(), strict=True))
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for x, y in zip(source.tolist(), target.tolist(), strict=True):
        neighbours[x].add(y)
        neighbours[y].add(x)
    cluster_of: list[int] = [-1] * n
    clusters: dict[int, list[int]] = {}
    common: dict[int, set[int]] = {}  # the actions linked to every member of a cluster
    for k, a_end, b_end in zip(order.tolist(), source[order].tolist(), target[order].tolist(), strict=True):
        a, b = cluster_of[a_end], cluster_of[b_end]
        if a >= 0 and a == b:
            continue
        members_b = clusters[b] if b >= 0 else [b_end]
        common_a = common[a] if a >= 0 else neighbours[a_end]
        if not common_a.issuperset(members_b):
            continue  # some pair of the two clusters is not linked
        members_a = clusters[a] if a >= 0 else [a_end]
        common_b = common[b] if b >= 0 else neighbours[b_end]
        key = a if a >= 0 else b if b >= 0 else k
        for old in (a, b):
            if old >= 0 and old != key:
                del clusters[old], common[old]
        clusters[key] = members_a + members_b
        common[key] = common_a & common_b
        for member in clusters[key]:
            cluster_of[member] = key
    result = []
    for members in clusters.values():
        inner = [links[pair[min(x, y) * n + max(x, y)]] for i, x in enumerate(members) for y in members[i + 1 :]]
        kind = "duplicate" if all(link.kind == "duplicate" for link in inner) else "overlap"
        widest = max((link.scope for link in inner), key=CLUSTER_SCOPE_ORDER.__getitem__)
        actions = (by_id[ids[m]] for m in members)
        ordered = tuple(sorted(actions, key=lambda a: (a.year, a.document, a.source.line)))
        score = round(min(link.score for link in inner), 4)
        result.append(Cluster(kind, widest, score, ordered, tuple(sorted(inner, key=lambda x: -x.score))))
    return result
