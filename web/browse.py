"""Blueprint "browse": the plans (actions grouped by pillar or outcome, with the coverage report), the themes and
the owners, each with its actions across councils and years."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from graphkit.browse import (
    find_plan,
    owned,
    owner_entries,
    plan_counts,
    plan_groups,
    plan_reading,
    tagged,
    theme_entries,
)
from graphkit.records import Action
from web.state import Site, current_site

bp = Blueprint("browse", __name__)


def plan_view(site: Site, document: str) -> dict[str, Any]:
    """A plan, its actions in groups, its coverage row and its problems."""
    plan = find_plan(site.corpus, document)
    actions = [a for a in site.corpus.actions if a.document == plan.id]
    coverage = next((row for row in site.corpus.coverage if row["document"] == plan.id), {})
    problems = [p for p in site.corpus.problems if p.document == plan.id]
    return {
        "plan": plan, "count": len(actions), "groups": plan_groups(actions), "coverage": coverage,
        "problems": problems,
        # a plan with no status column and no status in its notes: said once, not "Status unknown" on every row
        "statuses_printed": any(a.status != "unknown" for a in actions),
        "reading": plan_reading(actions, coverage, problems),
    }  # fmt: skip


def by_council_and_year(actions: list[Action]) -> list[tuple[str, list[Action]]]:
    """("Council year", actions) in the order given."""
    groups: dict[str, list[Action]] = {}
    for action in actions:
        groups.setdefault(f"{action.council} {action.year}", []).append(action)
    return list(groups.items())


@bp.get("/plans")
def plans():
    """Every plan with its council, years and number of actions."""
    site = current_site()
    return render_template(
        "browse/plans.html", plans=site.corpus.plans, counts=plan_counts(site.corpus), coverage=site.corpus.coverage
    )


@bp.get("/plans/<document>")
def plan(document):
    """One plan: its actions grouped by pillar or outcome, and its coverage report."""
    return render_template("browse/plan.html", **plan_view(current_site(), document))


@bp.get("/themes")
def themes():
    """Every theme with its number of actions."""
    return render_template("browse/entries.html", kind="theme", entries=theme_entries(current_site().corpus))


@bp.get("/themes/<theme>")
def theme(theme):
    """Every action tagged with a theme, across councils and years."""
    entry, actions = tagged(current_site().corpus, theme)
    return render_template("browse/listing.html", kind="theme", entry=entry, groups=by_council_and_year(actions),
                           actions=actions, printed=[])  # fmt: skip


@bp.get("/owners")
def owners():
    """Every owner (role, organisation or person) with its number of actions."""
    return render_template("browse/entries.html", kind="owner", entries=owner_entries(current_site().graph))


@bp.get("/owners/<path:owner>")
def owner(owner):
    """Every action an owner holds, across councils and years."""
    site = current_site()
    entry, actions, printed = owned(site.graph, site.links.actions, owner)
    return render_template("browse/listing.html", kind="owner", entry=entry, groups=by_council_and_year(actions),
                           actions=actions, printed=printed)  # fmt: skip
