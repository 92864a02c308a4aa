"""Clusters of duplicate commitments (the same commitment, possibly reworded) and of overlapping ones (a shared
aim), within a plan, across one council's plans and across councils, from the corpus's links."""

from __future__ import annotations

from dataclasses import dataclass

from graphkit.queries import LinkIndex, action_summary
from graphkit.records import SCOPES, Action, Link

CLUSTER_SCOPE_ORDER = {scope: rank for rank, scope in enumerate(SCOPES)}


@dataclass(frozen=True, slots=True)
class Cluster:
    """Duplicate or overlapping commitments: members, the links between them and the widest scope."""

    kind: str
    scope: str
    score: float
    members: tuple[Action, ...]
    links: tuple[Link, ...]

    def to_dict(self) -> dict:
        return {
            # a cluster is named after its first member (the earliest), stable from build to build
            "id": f"{self.kind}:{self.members[0].id}",
            "kind": self.kind,
            "scope": self.scope,
            "score": self.score,
            "members": [action_summary(a) for a in self.members],
            "evidence": [e.to_dict() for e in self.links[0].evidence],
            "links": [link.to_dict() for link in self.links],
        }


def duplicate_clusters(
    index: LinkIndex, min_score: float = 0.0, scope: str | None = None, council: str | None = None
) -> list[Cluster]:
    """Clusters of duplicate commitments, then clusters of overlapping ones.

    Complete linkage, greedily from the strongest link: two clusters merge only when every pair of their
    members is itself linked, so a chain of loose likenesses never becomes one cluster. Duplicate clusters use
    duplicate links only; overlap clusters use duplicate and overlap links and are kept when they hold at
    least one overlap, so two duplicates can also sit inside a wider cluster that shares their aim.

    Examples
    --------
    >>> from graphkit.queries import _example_index
    >>> [(c.kind, [a.id for a in c.members]) for c in duplicate_clusters(_example_index())]
    [('overlap', ['old:A-1', 'new:B-1'])]
    """

    def wanted(link: Link) -> bool:
        councils = {index.actions[x].council.lower() for x in (link.source, link.target)}
        return (
            link.score >= min_score
            and (scope is None or link.scope == scope)
            and (council is None or council.lower() in councils)
        )

    chosen = [link for link in index.corpus.links if link.kind in ("duplicate", "overlap") and wanted(link)]
    result = _complete_linkage(index, [link for link in chosen if link.kind == "duplicate"])
    result += [c for c in _complete_linkage(index, chosen) if c.kind == "overlap"]
    result.sort(key=lambda c: (c.kind != "duplicate", -c.score, c.members[0].id))
    return result


def _complete_linkage(index: LinkIndex, links: list[Link]) -> list[Cluster]:
    links = sorted(links, key=lambda link: (-link.score, link.source, link.target))
    pair = {frozenset((link.source, link.target)): link for link in links}
    cluster_of: dict[str, int] = {}
    clusters: dict[int, list[str]] = {}
    for number, link in enumerate(links):
        a, b = cluster_of.get(link.source), cluster_of.get(link.target)
        if a is not None and a == b:
            continue
        members_a = clusters[a] if a is not None else [link.source]
        members_b = clusters[b] if b is not None else [link.target]
        if not all(frozenset((x, y)) in pair for x in members_a for y in members_b):
            continue
        key = a if a is not None else b if b is not None else number
        for old in (a, b):
            if old is not None and old != key:
                del clusters[old]
        clusters[key] = members_a + members_b
        for member in clusters[key]:
            cluster_of[member] = key
    result = []
    for members in clusters.values():
        inner = [pair[frozenset((x, y))] for i, x in enumerate(members) for y in members[i + 1 :]]
        kind = "duplicate" if all(link.kind == "duplicate" for link in inner) else "overlap"
        widest = max((link.scope for link in inner), key=CLUSTER_SCOPE_ORDER.__getitem__)
        ordered = tuple(sorted((index.actions[m] for m in members), key=lambda a: (a.year, a.document, a.source.line)))
        score = round(min(link.score for link in inner), 4)
        result.append(Cluster(kind, widest, score, ordered, tuple(sorted(inner, key=lambda x: -x.score))))
    return result
