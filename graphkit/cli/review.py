"""The `review` and `reviews` commands: a person's decisions on links, kept in the store across every build."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import click

from graphkit.cli.common import open_database, reports_errors, store_option
from graphkit.database import Database
from graphkit.queries import DatabaseIndex
from graphkit.reviews import VERDICTS, Reviews, read_rows, write_csv
from graphkit.store import default_store
from indexer.normalise import fit

REVIEWER_VARIABLE = "GRAPHKIT_REVIEWER"
# A link is least certain when its score is near a line that changes its kind: overlap (0.28) and duplicate (0.5)
# in graphkit.linking, named here rather than imported: importing linking loads its libraries (scikit-learn) for a
# command that only reads (tests/test_reviews.py checks they agree).
KIND_LINES = (0.28, 0.5)
QUEUE_MARGIN = 0.06  # links this close to a line are queued
QUEUE_DEFAULT = 20


def default_reviewer() -> str:
    name = os.environ.get(REVIEWER_VARIABLE)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@click.command()
@click.argument("first")
@click.argument("second")
@store_option
@click.option("--verdict", type=click.Choice(VERDICTS), default=None, help="Your decision on the link.")
@click.option("--note", default="", help="Why (shown beside the decision everywhere).")
@click.option("--by", default=None, help="Who decides [default: $GRAPHKIT_REVIEWER, else your user name].")
@click.option("--clear", is_flag=True, help="Remove the decision on this pair.")
@reports_errors
def review(first, second, store, verdict, note, by, clear):
    """Confirm, relabel or reject the link between actions FIRST and SECOND (ids or codes).

    duplicate: the same commitment; strong: the same commitment or its direct successor in another year;
    partial: shares part of the aim; unrelated: not linked (the link disappears from every list). The decision
    holds across every `graphkit index` until cleared; when either action's text changes, it is shown as "text
    changed since review" instead of applied.
    """
    if clear == (verdict is not None):
        raise click.UsageError("give --verdict, or --clear to remove a decision")
    store = store or default_store()
    with open_database(store) as database:
        index = DatabaseIndex(database)
        a, b = index.get(first), index.get(second)
    with Reviews(store) as reviews:
        if clear:
            removed = reviews.clear(a.id, b.id, by or default_reviewer())
            click.echo(f"cleared the decision on {a.id} - {b.id}" if removed else f"no decision on {a.id} - {b.id}")
            return
        decision = reviews.decide(a, b, verdict, note, by if by is not None else default_reviewer())
    click.echo(f"{decision.a} - {decision.b}: {decision.summary()} (revision {decision.revision})")


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Every decision as JSON (a complete backup).")
@click.option("--csv", "as_csv", is_flag=True, help="Every decision as CSV.")
@click.option(
    "--import", "import_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Take the decisions of a file written by --json or --csv (or made elsewhere with the same columns).",
)  # fmt: skip
@click.option(
    "--next", "next_count", type=click.IntRange(1, 500), default=None, is_flag=False, flag_value=QUEUE_DEFAULT,
    help=f"The links most worth a reviewer's time (default {QUEUE_DEFAULT}): not yet reviewed, scored near a line "
    "that changes their label.",
)  # fmt: skip
@reports_errors
def reviews(store, as_json, as_csv, import_file, next_count):
    """List the review decisions (or import some, or show the links to review next)."""
    store = store or default_store()
    if import_file is not None:
        _import(store, import_file)
        return
    if next_count is not None:
        _queue(store, next_count, as_json)
        return
    with Reviews(store, create=False) as kept:
        decisions = kept.all()
    if as_json:
        click.echo(json.dumps({"reviews": [d.to_dict() for d in decisions]}, ensure_ascii=False, indent=1))
        return
    if as_csv:
        click.echo(write_csv(decisions), nl=False)
        return
    for d in decisions:
        click.echo(f"{d.a} - {d.b}: {d.summary()}")
    click.echo(f"{len(decisions)} decision{'' if len(decisions) == 1 else 's'}")


def _import(store: Path, path: Path) -> None:
    rows = read_rows(path.read_text(encoding="utf-8-sig"))
    with open_database(store) as database:
        wanted = {str(r.get(k, "")) for r in rows for k in ("a", "b")}
        actions = database.actions_by_id(wanted)
    with Reviews(store) as kept:
        taken, refused = kept.import_decisions(rows, actions)
    for reason in refused:
        click.echo(f"not taken: {reason}", err=True)
    click.echo(f"{taken} decision{'' if taken == 1 else 's'} taken from {path.name}, {len(refused)} refused")
    if refused and not taken:
        raise click.exceptions.Exit(1)


def _queue(store: Path, count: int, as_json: bool) -> None:
    with open_database(store) as database, Reviews(store, create=False) as kept:
        done = set(kept.by_pair())
        found = review_queue(database, done, count)
        actions = database.actions_by_id(i for link, _ in found for i in (link["source"], link["target"]))
    if as_json:
        click.echo(json.dumps({"next": [dict(row, margin=round(m, 4)) for row, m in found]}, ensure_ascii=False))
        return
    for row, _ in found:
        a, b = actions[row["source"]], actions[row["target"]]
        click.echo(f"{row['score']:.2f} {row['kind']:<9} {row['scope']:<13} {a.id}  -  {b.id}")
        click.echo(f"       {fit(a.text or a.progress or '', 100)}")
        click.echo(f"       {fit(b.text or b.progress or '', 100)}")
    click.echo(f"{len(found)} link{'' if len(found) == 1 else 's'} to review next: `graphkit review A B --verdict ...`")


def review_queue(database: Database, done: set[tuple[str, str]], count: int) -> list[tuple[dict, float]]:
    """Unreviewed links scored within QUEUE_MARGIN of a label line, nearest first (ties: the higher score)."""
    margin = f"min({', '.join(f'abs(score - {line})' for line in KIND_LINES)})"
    rows = database.rows(
        f"SELECT id, source, target, kind, scope, score, {margin} AS margin FROM links "
        "WHERE margin <= ? ORDER BY margin, score DESC, id",
        (QUEUE_MARGIN,),
    )
    found = []
    for row in rows:
        pair = (row["source"], row["target"]) if row["source"] <= row["target"] else (row["target"], row["source"])
        if pair in done:
            continue
        found.append(({k: row[k] for k in ("id", "source", "target", "kind", "scope", "score")}, row["margin"]))
        if len(found) == count:
            break
    return found
