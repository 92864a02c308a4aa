"""Commands over the records: index (build the store), actions (list them), coverage (what each parser placed)."""

from __future__ import annotations

import json
import shutil
import sys
import time
from typing import TYPE_CHECKING

import click

from graphkit.catalogue import read_catalogue
from graphkit.cli.common import (
    count,
    data_option,
    default_data,
    open_corpus,
    open_database,
    ranges,
    reports_errors,
    store_option,
)
from graphkit.store import default_store
from indexer.normalise import fit

if TYPE_CHECKING:
    from graphkit.build import DocumentOutcome


@click.command()
@store_option
@data_option
@click.option("-v", "--verbose", is_flag=True, help="Also print each problem and which parser read each document.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any document has a problem.")
@click.option(
    "--full",
    is_flag=True,
    help="Parse every document and link every action again, even those unchanged since the last index.",
)
@reports_errors
def index(store, data, verbose, strict, full):
    """Parse every document of the catalogue and write the store."""
    run_index(store or default_store(), data or default_data(), verbose, strict, full)


def run_index(store, data, verbose: bool = False, strict: bool = False, full: bool = False) -> None:
    """Build the store from a data folder, printing per document what was read (`index`, and `serve` on a fresh
    store)."""
    from graphkit.build import build  # linking's libraries (scikit-learn, networkx, the search engines) load here

    outcomes: list[DocumentOutcome] = []
    show_bar = sys.stderr.isatty() and not verbose
    plans = read_catalogue(data)
    with click.progressbar(length=len(plans), label="indexing", file=sys.stderr, hidden=not show_bar) as bar:

        def on_document(outcome: DocumentOutcome) -> None:
            outcomes.append(outcome)
            bar.update(1)

        started = time.perf_counter()
        corpus = build(data, store, on_document=on_document, plans=plans, full=full)
        seconds = time.perf_counter() - started
    for outcome in outcomes:
        _print_outcome(outcome, verbose)
    indexed = sum(o.indexed for o in outcomes)
    links = corpus.manifest.get("links", {})
    graph = corpus.manifest.get("graph", {})
    click.echo(
        f"links: {', '.join(f'{n} {kind}' for kind, n in links.items()) or 'none'}; "
        f"graph: {graph.get('nodes', 0)} nodes, {graph.get('edges', 0)} edges"
    )
    click.echo(_linking_line(corpus.manifest.get("linking") or {}))
    timings = corpus.manifest.get("timings", {})
    click.echo(
        f"re-used {corpus.manifest.get('reused', 0)} of {len(outcomes)} documents (unchanged since they were last "
        "parsed); seconds: " + ", ".join(f"{phase} {value:.1f}" for phase, value in timings.items())
    )
    click.echo(
        f"{len(corpus.actions)} actions from {indexed} of {len(outcomes)} documents, "
        f"{count(len(corpus.problems), 'problem')}; store {store} ({seconds:.1f} s)"
    )
    if not indexed:
        raise click.ClickException("no document could be indexed")
    if strict and corpus.problems:
        raise click.ClickException(f"--strict: {count(len(corpus.problems), 'problem')}")


def _linking_line(linking: dict) -> str:
    """How the links were worked out (graphkit.relink), in a line."""
    mode, reason = linking.get("mode"), linking.get("reason", "")
    if mode == "reused":
        since = f"; {linking['share']:.1%} of the actions linked incrementally" if linking.get("share") else ""
        return f"linking: the last build's links re-used (no document changed{since})"
    if mode == "incremental":
        return (
            f"linking: incremental, {reason}: only their actions linked again, the others' links kept "
            f"({linking.get('share', 0):.1%} of the actions linked this way since a full linking; "
            "`--full` links every action)"
        )
    return f"linking: every action ({reason})"


def _print_outcome(outcome: DocumentOutcome, verbose: bool) -> None:
    row = outcome.coverage
    if not outcome.indexed:
        reason = "; ".join(p.reason for p in outcome.problems if p.severity == "error")
        click.echo(f"FAILED {outcome.plan.id}: {reason}", err=True)
        return
    accounted = row["used"] + row["skipped"] + row["blank"]
    click.echo(
        f"{outcome.plan.id}: {count(row['records'], 'action')}, {count(row['problems'], 'problem')}, "
        f"coverage {accounted}/{row['lines']} lines ({row['used']} in records, {row['skipped']} skipped, "
        f"{row['blank']} blank, {row['unplaced']} unplaced)"
    )
    if verbose:
        reader = f"; read as {row['reader']}" if row.get("reader") else ""
        click.echo(f"  parser: {row['parser']} ({row['parser_reason']}){reader}")
        for problem in outcome.problems:
            click.echo(f"  {problem}")


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one action per line.")
@click.option("--document", "documents", multiple=True, help="Only this document id (repeatable).")
@reports_errors
def actions(store, as_json, documents):
    """List every action record (a table, or JSON Lines with --json)."""
    with open_database(store) as database:
        known = {p.id for p in database.plans()}
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise click.ClickException(f"unknown document {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if as_json:
            for action in database.actions_of(documents) if documents else database.iter_actions():
                click.echo(json.dumps(action.to_dict(), ensure_ascii=False))
            return
        rows = database.actions_of(documents)
    width = shutil.get_terminal_size((160, 20)).columns
    id_width = max((len(a.id) for a in rows), default=10)
    owner_width = 28
    text_width = max(30, width - id_width - owner_width - 29)
    click.echo(f"{'id':<{id_width}}  {'status':<11}  {'due':<10}  {'owners':<{owner_width}}  text")
    for action in rows:
        owners = fit("; ".join(action.owners) or "-", owner_width)
        text = fit(action.text or action.outcome or "(no action text)", text_width)
        click.echo(
            f"{action.id:<{id_width}}  {action.status:<11}  {action.due or '-':<10}  {owners:<{owner_width}}  {text}"
        )
    click.echo(f"{len(rows)} actions")


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="The coverage report as JSON.")
@click.option("--lines", "show_lines", is_flag=True, help="Also list every skipped line with its reason.")
@reports_errors
def coverage(store, as_json, show_lines):
    """Per document: lines in records, lines skipped (with reasons), lines not placed, and every problem."""
    corpus = open_corpus(store)
    if as_json:
        problems = [
            {
                "document": p.document,
                "file": p.file,
                "line": p.line,
                "severity": p.severity,
                "reason": p.reason,
                "text": p.text,
            }
            for p in corpus.problems
        ]
        click.echo(json.dumps({"documents": corpus.coverage, "problems": problems}, indent=2, ensure_ascii=False))
        return
    for row in corpus.coverage:
        click.echo(f"{row['document']} ({row['file']})")
        if row.get("error"):
            click.echo(f"  FAILED: {row['error']}")
            continue
        click.echo(f"  parser        {row['parser']} ({row['parser_reason']})")
        click.echo(f"  records       {row['records']}")
        click.echo(f"  lines         {row['lines']} ({row['blank']} blank)")
        click.echo(f"  in records    {row['used']}")
        click.echo(f"  skipped       {row['skipped']}")
        for reason, n in row["skipped_by_reason"].items():
            click.echo(f"    {n:>4}  {reason}")
        click.echo(
            f"  not placed    {row['unplaced']}"
            + (f" (lines {ranges(row['unplaced_lines'])})" if row["unplaced"] else "")
        )
        if show_lines:
            for number, reason in row["skipped_lines"]:
                click.echo(f"    {row['file']}:{number}: skipped: {reason}")
        doc_problems = [p for p in corpus.problems if p.document == row["document"]]
        if doc_problems:
            click.echo(f"  problems      {len(doc_problems)}")
            for problem in doc_problems:
                click.echo(f"    {problem}")
