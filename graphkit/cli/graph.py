"""Commands over the links: related, trace, dropped, duplicates and export. Text for people, --json for programs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphkit.cli.common import count, open_corpus, open_database, reports_errors, store_option
from graphkit.queries import DatabaseIndex, LinkIndex, action_summary, copies_of, dropped, related_actions, trace
from graphkit.records import SCOPES, Action, Evidence
from graphkit.reviews import Reviews
from graphkit.store import default_store
from indexer.normalise import fit

# graphkit.export.EXPORT_FORMATS and graphkit.handover.HANDOVER_FORMATS, named here so that the command line starts
# without networkx (tests/test_cli_graph.py checks they agree)
FILE_FORMATS = ("graphml", "gexf", "json")
FOLDER_FORMATS = ("neo4j", "opensearch")
SCOPE_CHOICE = click.Choice([s.replace("_", "-") for s in SCOPES] + list(SCOPES))


def _heading(action: Action) -> str:
    return f"{action.id}  ({action.council} {action.year})\n  {fit(action.text or action.progress or '', 110)}"


def _evidence_lines(evidence: tuple[Evidence, ...], indent: str = "       ") -> list[str]:
    return [f"{indent}{fit(e.detail, 110)}" for e in evidence]


def _copies(n: int) -> str:
    return f"{n} {'copy' if n == 1 else 'copies'}"


def _index(store) -> LinkIndex:
    """The whole build's links as the store's review decisions make them (graphkit.reviews)."""
    with Reviews(store or default_store(), create=False) as reviews:
        decisions = reviews.by_pair()
    return LinkIndex(open_corpus(store), decisions)


def _database_index(store) -> DatabaseIndex:
    """The build's database, its links as the store's review decisions make them."""
    return DatabaseIndex(open_database(store), Reviews(store or default_store(), create=False))


def _rejected_lines(index: DatabaseIndex, action_id: str) -> list[str]:
    lines = []
    for decision, _ in index.rejected.get(action_id, ()):
        other = decision.b if decision.a == action_id else decision.a
        lines.append(f"  rejected: {other}  ({decision.summary()})")
    return lines


@click.command()
@click.argument("action_id")
@store_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500), help="At most N results.")
@click.option("--scope", type=SCOPE_CHOICE, default=None, help="Only links within a plan, across plans or councils.")
@click.option("--json", "as_json", is_flag=True, help="JSON: the action and its related actions.")
@reports_errors
def related(action_id, store, limit, scope, as_json):
    """Actions related to ACTION_ID in any plan, council or year, best first, each with score and evidence."""
    index = _database_index(store)
    action = index.get(action_id)
    found = related_actions(index, action.id, limit, scope.replace("-", "_") if scope else None)
    if as_json:
        click.echo(json.dumps({"related": [r.to_dict() for r in found], "action": action_summary(action)}))
        return
    click.echo(_heading(action))
    if not found:
        click.echo("no related actions")
    for rank, r in enumerate(found, start=1):
        where = f"{r.action.council} {r.action.year}"
        click.echo(f"{rank:>3}. {r.score:.2f} {r.kind:<9} {r.scope:<13} {r.action.id}  ({where})")
        click.echo(f"       {fit(r.action.text or r.action.progress or '', 100)}")
        for line in _evidence_lines(r.evidence):
            click.echo(line)
    for line in _rejected_lines(index, action.id):
        click.echo(line)


@click.command("trace")
@click.argument("action_id")
@store_option
@click.option("--to", "to_year", type=int, default=None, help="Only plans up to this year.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500), help="At most N equivalents.")
@click.option("--json", "as_json", is_flag=True, help="JSON: the action and its equivalents.")
@reports_errors
def trace_command(action_id, store, to_year, limit, as_json):
    """Equivalents of ACTION_ID in later plans (strong first, its own council a little ahead), then its ancestors."""
    index = _database_index(store)
    action = index.get(action_id)
    steps = trace(index, action.id, to_year, limit)
    if as_json:
        click.echo(json.dumps({"equivalents": [s.to_dict() for s in steps], "action": action_summary(action)}))
        return
    click.echo(_heading(action))
    if not steps:
        click.echo("no equivalent in another year's plan")
    for direction in ("later", "earlier"):
        part = [s for s in steps if s.direction == direction]
        if part:
            click.echo(f"{direction} equivalents:")
        for step in part:
            council = "same council" if step.same_council else step.action.council
            click.echo(f"  {step.strength:<7} {step.score:.2f}  {step.action.year}  {step.action.id}  ({council})")
            click.echo(f"       {fit(step.action.text or step.action.progress or '', 100)}")
            for line in _evidence_lines(step.evidence):
                click.echo(line)


@click.command("dropped")
@store_option
@click.option("--year", type=int, default=None, help="Commitments of this year's plans [default: the earliest year].")
@click.option("--json", "as_json", is_flag=True, help="JSON: the commitments with no later equivalent.")
@reports_errors
def dropped_command(store, year, as_json):
    """Commitments with no equivalent in any later plan (by default those of the earliest plans)."""
    index = _database_index(store)
    gone = [(a, [c.id for c in copies_of(index, a.id)]) for a in dropped(index, year)]
    if as_json:
        rows = [dict(action_summary(a), score=0.0, evidence=[], copies=copies) for a, copies in gone]
        click.echo(json.dumps({"dropped": rows}))
        return
    for action, copies in gone:
        click.echo(f"{action.id}  {fit(action.text or action.progress or '', 100)}")
        if copies:
            click.echo(f"       also printed word for word as {', '.join(copies)}")
    click.echo(f"{count(len(gone), 'commitment')} with no later equivalent")


@click.command("duplicates")
@store_option
@click.option(
    "--scope", type=SCOPE_CHOICE, default=None, help="within-plan, cross-plan (same council) or cross-council."
)
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, help="Only links scoring at least this.")
@click.option("--council", default=None, help="Only clusters with a member from this council.")
@click.option(
    "--list-copies", is_flag=True,
    help="List word-for-word copies between the parts of one document as clusters (last) instead of one group.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON: the clusters with their members and links.")
@reports_errors
def duplicates(store, scope, min_score, council, list_copies, as_json):
    """Clusters of duplicate (same commitment) or overlapping (shared aim) commitments, with evidence: across
    councils first, then across one council's plans, then within a plan."""
    from graphkit.duplicates import duplicate_clusters, part_copies

    index = _index(store)
    clusters = duplicate_clusters(index, min_score, scope.replace("-", "_") if scope else None, council)
    copies = [] if list_copies else part_copies(clusters)
    if copies:
        clusters = [c for c in clusters if not c.copy_between_parts]
    if as_json:
        click.echo(json.dumps({"clusters": [c.to_dict() for c in clusters], "copies": [g.to_dict() for g in copies]}))
        return
    for number, cluster in enumerate(clusters, start=1):
        click.echo(
            f"{number:>3}. {cluster.kind:<9} {cluster.scope:<13} {cluster.score:.2f}  {len(cluster.members)} actions"
        )
        for member in cluster.members:
            click.echo(f"       {member.id}  {fit(member.text or member.progress or '', 80)}")
        for line in _evidence_lines(cluster.links[0].evidence[:3], "         "):
            click.echo(line)
    for group in copies:
        pairs = ", ".join(" = ".join(m.label for m in c.members) for c in group.clusters)
        click.echo(
            f"word-for-word copies between the parts of {group.document} ({' and '.join(group.parts)}): "
            f"{_copies(len(group.clusters))}, not listed (--list-copies lists them)"
        )
        click.echo(f"       {fit(pairs, 200)}")
    kinds = [c.kind for c in clusters]
    click.echo(
        f"{count(kinds.count('duplicate'), 'duplicate cluster')}, {count(kinds.count('overlap'), 'overlap cluster')}"
        + (f", {_copies(sum(len(g.clusters) for g in copies))} between document parts" if copies else "")
    )


@click.command("export")
@click.argument("out", type=click.Path(writable=True, path_type=Path))
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(FILE_FORMATS + FOLDER_FORMATS), default=None,
    help="File format [default: from OUT's extension]; neo4j and opensearch write a folder of bulk-load files.",
)  # fmt: skip
@reports_errors
def export(out, store, fmt):
    """Write the knowledge graph (plans, actions, themes, owners, links) to OUT for Gephi, yEd, networkx, or for
    loading into Neo4j (`--format neo4j`: CSVs for neo4j-admin import) or OpenSearch (`--format opensearch`)."""
    from graphkit.export import export_graph
    from graphkit.graph import build_graph
    from graphkit.handover import write_neo4j, write_opensearch

    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in FILE_FORMATS + FOLDER_FORMATS:
        raise click.UsageError(
            f"cannot tell the format from {out.name!r}: give --format graphml, gexf, json, neo4j or opensearch"
        )
    if fmt in FOLDER_FORMATS and out.exists() and not out.is_dir():
        raise click.UsageError(f"{out} is a file: --format {fmt} writes a folder")
    if fmt not in FOLDER_FORMATS and out.is_dir():
        raise click.UsageError(f"{out} is a folder: --format {fmt} writes one file")
    index = _index(store)  # the links as review decisions make them
    corpus = index.corpus
    if fmt == "opensearch":
        written = write_opensearch(corpus.actions, out)
        click.echo(f"{out}: {written} actions (mapping.json, actions.ndjson for the _bulk API)")
        return
    graph = build_graph(corpus.plans, corpus.actions, index.links)
    if fmt == "neo4j":
        nodes, edges = write_neo4j(graph, out)
        click.echo(f"{out}: {nodes} nodes, {edges} relationships (nodes.csv, relationships.csv for neo4j-admin import)")
        return
    export_graph(graph, fmt, out)
    click.echo(f"{out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({fmt})")
