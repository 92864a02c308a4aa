"""Blueprint "actions": one action with its source lines, related actions with evidence, its duplicates, its
lineage on a timeline of years, a graph picture of its neighbourhood; and two actions compared word by word."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from flask import Blueprint, render_template, request

from graphkit.compare import side, word_diff
from graphkit.errors import BadQuery
from graphkit.owners import OwnerRole, owner_parts
from graphkit.queries import Equivalent, Related, action_summary, related_actions, trace
from graphkit.records import SCOPES, Action
from web.params import choice_arg, int_arg, text_arg
from web.state import Site, SourceLine, current_site

bp = Blueprint("actions", __name__)

RELATED_SHOWN = 12
TRACE_SHOWN = 20


@dataclass(frozen=True, slots=True)
class LineageRow:
    """One council's row of the lineage table: its equivalents by year (None is the action itself)."""

    council: str
    own: bool
    by_year: dict[int, list[Any]]


@dataclass(frozen=True, slots=True)
class ActionView:
    """Everything the action page shows, and its JSON twin returns."""

    action: Action
    source_lines: tuple[SourceLine, ...]
    related: tuple[Related, ...]
    duplicates: tuple[Related, ...]
    lineage: tuple[Equivalent, ...]
    owners: tuple[OwnerRole, ...]

    def timeline(self) -> list[tuple[int, list[Any]]]:
        """(year, entries) in year order; the action itself is an entry of its own year (as None)."""
        entries: list[tuple[int, Any]] = [(e.action.year, e) for e in self.lineage] + [(self.action.year, None)]
        entries.sort(key=lambda ye: (ye[0], ye[1] is not None, -(ye[1].score if ye[1] else 0)))
        return [(year, [e for _, e in group]) for year, group in groupby(entries, key=lambda ye: ye[0])]

    def lineage_rows(self) -> tuple[list[int], list[LineageRow]]:
        """The lineage as a table: the years as columns, one row per council, the action's own council first (its
        row holds the action itself, as None), then the others by their best equivalent (strong first)."""
        timeline = self.timeline()
        years = [year for year, _ in timeline]
        cells: dict[str, dict[int, list[Any]]] = {self.action.council: {}}
        for year, entries in timeline:
            for e in entries:
                council = self.action.council if e is None else e.action.council
                cells.setdefault(council, {}).setdefault(year, []).append(e)

        def best(council: str) -> tuple:
            steps = [e for entries in cells[council].values() for e in entries if e is not None]
            return (min((e.strength != "strong" for e in steps), default=True), -max(e.score for e in steps), council)

        others = sorted((c for c in cells if c != self.action.council), key=best)
        rows = [LineageRow(self.action.council, True, cells[self.action.council])]
        rows += [LineageRow(c, False, cells[c]) for c in others]
        return years, rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.to_dict(),
            "source_lines": [{"line": s.number, "text": s.text, "raw": s.raw, "own": s.own} for s in self.source_lines],
            "related": [r.to_dict() for r in self.related],
            "duplicates": [r.to_dict() for r in self.duplicates],
            "trace": [e.to_dict() for e in self.lineage],
            "owners": [{"slug": o.slug, "label": o.label, "kind": o.kind} for o in self.owners],
        }


def action_view(site: Site, action_id: str) -> ActionView:
    """One action and all that relates to it (UnknownAction, a 404, when there is none)."""
    action = site.links.get(action_id)
    every = related_actions(site.links, action.id, limit=len(site.corpus.actions))  # best first
    return ActionView(
        action,
        tuple(site.source_lines(action)),
        tuple(every[:RELATED_SHOWN]),
        tuple(r for r in every if r.kind == "duplicate"),
        tuple(trace(site.links, action.id, limit=TRACE_SHOWN)),
        tuple({o.slug: o for printed in action.owners for o in owner_parts(printed, action.council)}.values()),
    )


def related_args(args: Mapping[str, str]) -> dict[str, Any]:
    scope = choice_arg(args, "scope", SCOPES)
    return {"limit": int_arg(args, "limit", 10, 1, 200), "scope": scope}


def trace_args(args: Mapping[str, str]) -> dict[str, Any]:
    return {"to_year": int_arg(args, "to", None, 1900, 2200), "limit": int_arg(args, "limit", 10, 1, 200)}


def compare_view(site: Site, args: Mapping[str, str]) -> dict[str, Any]:
    """Two actions (`a`, `b`) side by side with a word-level diff and the link between them, if any."""
    ids = [text_arg(args, "a", 200), text_arg(args, "b", 200)]
    if not all(ids):
        raise BadQuery("compare needs two actions: /compare?a=<id>&b=<id>")
    a, b = (site.links.get(i) for i in ids)
    link = next((link for other, link in site.links.neighbours(a.id) if other.id == b.id), None)
    diff = word_diff(a.text or a.outcome or "", b.text or b.outcome or "")
    return {
        "a": a,
        "b": b,
        "diff": diff,
        "sides": {"a": side(diff, "a"), "b": side(diff, "b")},
        "link": link,
    }


def compare_to_dict(view: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "a": action_summary(view["a"]),
        "b": action_summary(view["b"]),
        "diff": [
            {"op": p.op, "text": p.text, **({"text_b": p.text_b} if p.op == "same" else {})} for p in view["diff"]
        ],
        "link": view["link"].to_dict() if view["link"] else None,
    }


@bp.get("/actions/<action_id>")
def show(action_id):
    """One action: fields, source, related actions, duplicates, lineage and graph."""
    site = current_site()
    view = action_view(site, action_id)
    from web.graphview import picture

    return render_template(
        "actions/show.html", view=view, a=view.action, plan=site.plans.get(view.action.document), owners=view.owners,
        picture=picture(site, view.action.id),
    )  # fmt: skip


@bp.get("/compare")
def compare():
    """Two actions side by side with a word-level diff."""
    return render_template("actions/compare.html", **compare_view(current_site(), request.args))
