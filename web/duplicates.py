"""Blueprint "duplicates": clusters of duplicate and overlapping commitments, filterable by scope, council and
kind, each with its members side by side and the words they share highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request

from graphkit.compare import Marked, mark_shared, shared_stems
from graphkit.duplicates import Cluster, PartCopies, duplicate_clusters, part_copies
from graphkit.errors import BadQuery
from graphkit.records import SCOPES
from web.params import choice_arg, float_arg, int_arg, text_arg
from web.state import Site, current_site

bp = Blueprint("duplicates", __name__)

PAGE_SIZE = 25
KINDS = ("duplicate", "overlap")
COPIES = ("fold", "list")  # copies between the parts of one document: one folded group, or listed as clusters


@dataclass(frozen=True, slots=True)
class ClusterPage:
    """A page of clusters and what was asked for."""

    clusters: tuple[Cluster, ...]
    total: int
    page: int
    pages: int
    filters: Mapping[str, Any]
    copies: tuple[PartCopies, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "filters": dict(self.filters),
            "clusters": [c.to_dict() for c in self.clusters],
            "copies": [group.to_dict() for group in self.copies],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per member, for CSV: the cluster's id, kind, scope and score, then the action."""
        return [
            {"cluster": c.to_dict()["id"], "kind": c.kind, "scope": c.scope, "score": c.score, **member}
            for c in self.clusters
            for member in c.to_dict()["members"]
        ]


def find_clusters(site: Site, args: Mapping[str, str]) -> ClusterPage:
    """The clusters a page or API request asks for (`scope`, `council`, `kind`, `min_score`, `page`, `limit`), across
    councils first; copies between the parts of one document folded into one group each (or listed last, with
    `copies=list`)."""
    scope = choice_arg(args, "scope", SCOPES)
    kind = choice_arg(args, "kind", KINDS)
    council = text_arg(args, "council", 200)
    if council is not None:
        council = _known_council(site, council)
    min_score = float_arg(args, "min_score", 0.0, 0.0, 1.0)
    limit = int_arg(args, "limit", PAGE_SIZE, 1, 500) or PAGE_SIZE
    page = int_arg(args, "page", 1, 1, 10_000) or 1
    copies = choice_arg(args, "copies", COPIES) or "fold"
    clusters = [
        c for c in duplicate_clusters(site.links, min_score=min_score, scope=scope, council=council)
        if kind is None or c.kind == kind
    ]  # fmt: skip
    folded = part_copies(clusters) if copies == "fold" else []
    if folded:
        clusters = [c for c in clusters if not c.copy_between_parts]
    pages = max(1, -(-len(clusters) // limit))
    filters = {"scope": scope, "council": council, "kind": kind, "min_score": min_score}
    if copies != "fold":
        filters["copies"] = copies
    shown = clusters[(page - 1) * limit : page * limit]
    return ClusterPage(tuple(shown), len(clusters), page, pages, {k: v for k, v in filters.items() if v}, tuple(folded))


def _known_council(site: Site, council: str) -> str:
    """The council's name as the plans spell it (any case), or a BadQuery listing the known ones."""
    for known in site.councils:
        if known.casefold() == council.casefold():
            return known
    raise BadQuery(f"no council {council!r} in the index; known: {', '.join(site.councils)}")


def marked_members(cluster: Cluster) -> list[tuple[Any, tuple[Marked, ...]]]:
    """Each member with its text marked where it holds words every member shares."""
    texts = [m.text or m.outcome or "" for m in cluster.members]
    stems = shared_stems(texts)
    return [(m, mark_shared(text, stems)) for m, text in zip(cluster.members, texts, strict=True)]


@bp.get("/duplicates")
def clusters():
    """Duplicate and overlapping commitments, within a plan and across plans and councils."""
    site = current_site()
    found = find_clusters(site, request.args)
    return render_template(
        "duplicates/index.html", found=found, councils=site.councils, scopes=SCOPES, kinds=KINDS, marked=marked_members
    )
