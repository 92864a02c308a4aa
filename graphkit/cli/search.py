"""The `search` command: full-text search over every action, ranked, with snippets, reasons and facets."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import click

from graphkit.cli.common import count, reports_errors, store_option
from graphkit.errors import BadQuery
from graphkit.store import SEARCH_DIR, current_build, default_store
from indexer.normalise import fit
from indexer.search_backend import MAX_LIMIT

if TYPE_CHECKING:
    from indexer.results import Hit, SearchResult

FACETS_SHOWN = 5  # values per facet in the text footer; --json has them all
_SOME = "matching some of your words or a theme they name"  # the label of the second tier (`indexer.broaden`)


@click.command()
@click.argument("query", required=False, default="")
@store_option
@click.option("--council", help="Only this council (e.g. Dundee).")
@click.option("--year", type=int, help="Only plans whose period starts in this year (e.g. 2023).")
@click.option("--theme", help="Only this theme (slug or label, e.g. advocacy).")
@click.option("--foundation", help="Only this Promise foundation (Voice, Family, Care, People, Scaffolding).")
@click.option("--plan", help="Only this plan (a document id).")
@click.option("--pillar", help="Only this Promise pillar (e.g. 'A Good Childhood').")
@click.option("--owner", help="Only actions with this owner (a role or person, as printed or as /owners names it).")
@click.option("--status", help="Only this status (Complete, On track, In progress, Delayed, ...).")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of hits.")
@click.option(
    "--exact", is_flag=True, help="Exact words, every one: no stemming, synonyms, acronyms, themes or partial matches."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: hits, facets, expanded terms.")
@reports_errors
def search(query, store, council, year, theme, foundation, plan, pillar, owner, status, limit, page, exact, as_json):
    """Search every action (words, "phrases", AND/OR/NOT, field:word, prefix*); an empty QUERY lists all."""
    from indexer.search import search as run_search  # the search engines load only for a search

    folder = current_build(store or default_store())  # the search index holds what a hit shows: no records to read
    try:
        result = run_search(
            folder / SEARCH_DIR,
            query,
            council=council,
            year=year,
            theme=theme,
            foundation=foundation,
            plan=plan,
            pillar=pillar,
            owner=owner,
            status=status,
            limit=limit,
            page=page,
            exact=exact,
        )
    except BadQuery as exc:
        click.echo(f"bad query: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    _print_result(result)


def _print_result(result: SearchResult) -> None:
    width = shutil.get_terminal_size((120, 20)).columns
    expanded = [f"{t.text} ({t.via} of {t.expanded_from})" for t in result.terms if t.expanded_from]
    expanded += [f"theme {label}" for label in result.themes]
    shown = f"; also searched: {', '.join(expanded)}" if expanded else ""
    suggested = f"; did you mean {' or '.join(repr(s) for s in result.suggestions)}?" if result.suggestions else ""
    more = result.partial_total
    if not result.total and not more:
        click.echo(f"no action matches {result.query!r}{shown}{suggested}")
        return
    filters = ", ".join(f"{name} {result.filter_label(name)}" for name in result.filters)
    verb = "matches" if result.total == 1 else "match"
    if not result.query.strip():
        what = f"{count(result.total, 'action')} in all"
    elif result.total:
        what = f"{count(result.total, 'action')} {verb} {result.query!r}"
    else:
        what = f"no action holds every word of {result.query!r}"
    what += f" ({filters})" if filters else ""
    what += f"; {more} more {_SOME}" if more else ""
    if not result.hits:
        click.echo(f"{what}{shown}; page {result.page} is past the last page ({result.pages})")
        return
    first = (result.page - 1) * result.limit + 1
    click.echo(f"{what}{shown}{suggested}; showing {first}-{first + len(result.hits) - 1}")
    for hit, before in zip(result.hits, (None, *result.hits), strict=False):
        if hit.kind != "all" and (before is None or before.kind == "all"):
            click.echo(f"  -- {_SOME}:")
        _print_hit(hit, width)
    if result.page < result.pages:
        click.echo(f"more: --page {result.page + 1} (of {result.pages})")
    for name, values in result.facets.items():
        if values:
            top = ", ".join(f"{v.label} {v.count}" for v in values[:FACETS_SHOWN])
            more_values = f", +{len(values) - FACETS_SHOWN} more" if len(values) > FACETS_SHOWN else ""
            click.echo("  " + fit(f"{name}: {top}{more_values}", width - 2))


def _print_hit(hit: Hit, width: int) -> None:
    where = f"{hit.council} {hit.year}, {hit.plan}"
    click.echo(f"{hit.rank:>3}. " + fit(f"{hit.id}  score {hit.score:.1f}  ({where})", width - 5))
    # matches stay visible without colour (« »); on a terminal they are bold too
    snippet = "".join(click.style(f"«{f.text}»", bold=True) if f.match else f.text for f in hit.snippet)
    click.echo(f"     {snippet}")
    reasons = "; ".join(str(m) for m in hit.matched)
    if reasons:
        click.echo("     " + fit(f"matched {reasons}", width - 5))
