"""`graphkit add FILE`: read a plan, show what was found, copy it into the data folder with a catalogue row, index."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import click

from graphkit.catalogue import CATALOGUE_FILE, DOCUMENT_ID, PLANS_DIR, read_catalogue
from graphkit.cli.common import count, data_option, default_data, reports_errors, store_option
from graphkit.documents import DocumentOutcome, index_file
from graphkit.errors import DocumentError
from graphkit.records import Plan
from graphkit.store import default_store
from indexer.normalise import fit
from indexer.readers import check_size, file_kind

YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)?\d\d)\b")
CATALOGUE_COLUMNS = ("id", "file", "council", "title", "plan_type", "start_year", "end_year", "format", "source",
                     "published")  # fmt: skip
SHOW = 5  # actions shown
SHOW_WARNINGS = 10
READ_BY = "read by: "


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _years(value: str | None, *texts: str) -> tuple[int, int] | None:
    for text in (value, *texts):
        if not text:
            continue
        match = YEARS.search(text) or re.search(r"\b((?:19|20)\d\d)\b", text)
        if match:
            start = int(match.group(1))
            end = match.group(2) if match.lastindex and match.lastindex >= 2 else str(start)
            end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
            if start <= end_year <= start + 20:
                return start, end_year
    return None


def _rules(outcome: DocumentOutcome) -> Counter[str]:
    return Counter(n[len(READ_BY) :] for a in outcome.actions for n in a.notes if n.startswith(READ_BY))


def show(outcome: DocumentOutcome, kind: str) -> None:
    """What reading found: the reader and parser, the actions, coverage, the rules and the warnings to check."""
    row = outcome.coverage
    if not outcome.indexed:
        reasons = "; ".join(p.reason for p in outcome.problems if p.severity == "error")
        click.echo(f"could not read {outcome.plan.file}: {reasons}")
        return
    click.echo(f"read as {kind}; parser: {row['parser']} ({row['parser_reason']})")
    click.echo(f"{count(len(outcome.actions), 'action')} found, for example:")
    for action in outcome.actions[:SHOW]:
        owner = "; ".join(action.owners) or "no owner"
        due = action.due_text or "no date"
        where = action.source.where or f"line {action.source.line}"
        click.echo(f"  - {fit(action.text or '(no text)', 90)}")
        click.echo(f"      owner: {fit(owner, 50)}; due: {fit(due, 30)}; status: {action.status}; {where}")
    if len(outcome.actions) > SHOW:
        click.echo(f"  ... and {len(outcome.actions) - SHOW} more")
    accounted = row["used"] + row["skipped"] + row["blank"]
    click.echo(
        f"coverage: {accounted}/{row['lines']} lines ({row['used']} in actions, {row['skipped']} skipped, "
        f"{row['unplaced']} not placed)"
    )
    rules = _rules(outcome)
    if rules:
        click.echo("rules used: " + ", ".join(f"{rule} x{n}" for rule, n in rules.most_common()))
    warnings = [p for p in outcome.problems if p.line > 0 or p.severity != "error"]
    if warnings:
        click.echo(f"to check ({count(len(warnings), 'warning')}):")
        for problem in warnings[:SHOW_WARNINGS]:
            click.echo(f"  line {problem.line}: {fit(problem.reason, 100)}" + (f": {fit(problem.text, 60)!r}"
                       if problem.text else ""))  # fmt: skip
        if len(warnings) > SHOW_WARNINGS:
            click.echo(f"  ... and {len(warnings) - SHOW_WARNINGS} more (`graphkit coverage --lines` lists them all)")


def _append_row(data: Path, values: dict[str, str]) -> None:
    path = data / CATALOGUE_FILE
    text = path.read_text(encoding="utf-8-sig")
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as out:
        if text and not text.endswith("\n"):
            out.write("\n")
        csv.writer(out, lineterminator="\n").writerow([values.get(c, "") for c in columns])


@click.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--council", help="The council (or partnership) whose plan this is, e.g. 'Fife'. Needed unless --dry-run."
)
@click.option("--title", help="The plan's title [default: from the file name].")
@click.option("--years", help="The plan's period, e.g. 2023-2026 [default: from the title or file name].")
@click.option("--id", "doc_id", help="Document id: lower-case letters, digits, dashes [default: from the file name].")
@click.option("--type", "plan_type", default="plan", show_default=True, help="Plan type for the catalogue.")
@data_option
@store_option
@click.option("--dry-run", is_flag=True, help="Only read the file and show what was found; change nothing.")
@reports_errors
def add(file, council, title, years, doc_id, plan_type, data, store, dry_run):
    """Add a plan (PDF, Word .docx, Excel .xlsx, web page .html, text or markdown): read it, show what was found,
    copy it into the data folder's plans/ with a catalogue row, and index the data folder again.

    The data folder is the one `graphkit index` and `graphkit serve` read by default ($GRAPHKIT_DATA, else the
    bundled data/ of this installation), so the plan is searchable at once; pass --data to keep your plans in a
    folder of your own (it needs a catalogue.csv: copy the bundled one to start from the five bundled plans)."""
    if not file.is_file():
        raise click.ClickException(f"{file}: file not found")
    data = data or default_data()
    plans = read_catalogue(data)
    try:
        kind = file_kind(file)
        check_size(file, kind)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    title = title or re.sub(r"[-_]+", " ", file.stem).strip().capitalize()
    doc_id = doc_id or _slug(file.stem)
    if not DOCUMENT_ID.match(doc_id or ""):
        raise click.ClickException(f"--id {doc_id!r} must be lower-case letters, digits and dashes")
    if any(p.id == doc_id for p in plans):
        raise click.ClickException(f"a document with id {doc_id!r} is already in {data / CATALOGUE_FILE}; "
                                   "choose another with --id")  # fmt: skip
    period = _years(years, title, file.stem)
    if years and period is None:
        raise click.ClickException(f"--years {years!r}: give the plan's years as 2023-2026 (or one year)")
    start, end = period or (0, 0)
    target = f"{doc_id}{file.suffix.lower()}"
    plan = Plan(doc_id, target, council or "", title, plan_type, start, end)
    outcome = index_file(file, plan)
    show(outcome, kind)
    if dry_run:
        click.echo("dry run: nothing was copied or indexed")
        return
    if not outcome.indexed:
        raise click.ClickException(f"{file.name} was not added: it could not be read")
    if not outcome.actions:
        raise click.ClickException(f"{file.name} was not added: no actions were found in it")
    if not council:
        raise click.ClickException("--council is needed to add a plan (e.g. --council Fife)")
    if period is None:
        raise click.ClickException("no years in the title or file name: give the plan's period with --years 2023-2026")
    plans_dir = data / PLANS_DIR
    if (plans_dir / target).exists():
        raise click.ClickException(f"{plans_dir / target} already exists; choose another --id")
    plans_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, plans_dir / target)
    values = {"id": doc_id, "file": target, "council": council, "title": title, "plan_type": plan_type,
              "start_year": str(start), "end_year": str(end), "format": "", "source": file.name}  # fmt: skip
    _append_row(data, values)
    click.echo(f"added {doc_id}: {plans_dir / target} and a row in {data / CATALOGUE_FILE}; indexing")
    from graphkit.cli.corpus import run_index

    run_index(store or default_store(), data)
