"""A build's records in one SQLite database (`graphkit.sqlite` in the build folder), read only as far as a question
needs.

`write_database` writes it beside the build's other files, before the build is swapped in; `Database` opens it
read-only and answers the command line's questions with indexed queries: one action by id or code, its links, one
plan's actions, one year's actions. A build never changes once written, so the database is opened `immutable`: no
locks, no journal, and any SQLite tool can read it (`datasette`, `sqlite-utils`, `sqlite3`). The `columns` table
describes every column of every table.

Tables (lists, tuples and nested records as JSON text):

- `actions`: one row per action, the record's fields as columns (`source_document`, `source_file`, `source_line`
  for its provenance), `position` its place in the build's order; `code_key` the folded code `graphkit related`
  accepts in place of an id.
- `links`: `id` (the link's number in the build, which `clusters` names), `source`, `target`, `kind`, `scope`,
  `score`, `evidence`.
- `plans`, `problems` (every parse problem with its file and line), `coverage` (per document), `clusters` (the
  duplicate clusters of each scope: kind, widest scope, score, member ids, link numbers), `meta` (format version,
  build stamp).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from graphkit.errors import StoreError
from graphkit.records import Action, Link, Plan, PrintedSource
from indexer.base import ParseProblem
from indexer.fields import code_key

DATABASE_FILE = "graphkit.sqlite"
DATABASE_VERSION = 1
INSERT_BATCH = 10_000

ACTION_LISTS = ("period", "owners", "foundations", "themes", "theme_evidence", "notes")
SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(PrintedSource))  # a text file's records have no `where`
ACTION_COLUMNS = (
    ("position", "INTEGER NOT NULL", "the action's place in the build (catalogue order, then the plan's order)"),
    ("id", "TEXT PRIMARY KEY", "<document>:<code>, or <document>:L<line> for an action printed without a code"),
    ("document", "TEXT NOT NULL", "the plan's document id (plans.id)"),
    ("plan", "TEXT", "the plan's title"),
    ("council", "TEXT", "the council"),
    ("year", "INTEGER", "the first year of the plan's period"),
    ("period", "TEXT", "[start, end] years, JSON"),
    ("code", "TEXT", "the action's code, normalised"),
    ("code_printed", "TEXT", "the code as printed"),
    ("code_key", "TEXT", "the code folded as graphkit matches a typed code (GC 10, GC-10 -> GC10)"),
    ("local_key", "TEXT", "the id's part after the document (L219, GC-10) folded the same way"),
    ("line_key", "TEXT", "for an action printed without a code, the line part of that (L242 for L242-3)"),
    ("text", "TEXT", "what the action commits to"),
    ("outcome", "TEXT", "the outcome, priority or inspection area it serves"),
    ("owners", "TEXT", "owners as a JSON list of people or groups"),
    ("owners_text", "TEXT", "the owners as printed"),
    ("due", "TEXT", "the deadline, ISO 8601 at the precision printed"),
    ("due_text", "TEXT", "the deadline as printed"),
    ("status", "TEXT", "complete, on_track, in_progress, delayed, not_started, superseded or unknown"),
    ("status_text", "TEXT", "the status as printed"),
    ("progress", "TEXT", "progress notes"),
    ("pillar", "TEXT", "the Promise pillar"),
    ("foundations", "TEXT", "Promise foundations, JSON list"),
    ("foundations_text", "TEXT", "the foundations as printed"),
    ("foundations_inferred", "INTEGER", "1 when the foundations were inferred from the themes"),
    ("themes", "TEXT", "theme slugs, JSON list"),
    ("theme_evidence", "TEXT", "the words that gave each theme, JSON"),
    ("source_document", "TEXT", "provenance: the document id"),
    ("source_file", "TEXT", "provenance: the file in data/plans"),
    ("source_line", "INTEGER", "provenance: the 1-based line where the action starts"),
    ("source_where", "TEXT", "provenance in a PDF, Word, Excel or HTML file: where it was printed (page 3, line 12)"),
    ("notes", "TEXT", "what normalising the record noted, JSON list"),
)
LINK_COLUMNS = (
    ("id", "INTEGER PRIMARY KEY", "the link's number in the build (clusters.links names it)"),
    ("source", "TEXT NOT NULL", "one action's id"),
    ("target", "TEXT NOT NULL", "the other action's id"),
    ("kind", "TEXT NOT NULL", "duplicate, overlap or related"),
    ("scope", "TEXT NOT NULL", "within_plan, cross_plan or cross_council"),
    ("score", "REAL NOT NULL", "0 to 1"),
    ("evidence", "TEXT NOT NULL", "the reasons, JSON: kind, detail, weight, terms"),
)
OTHER_COLUMNS = {
    "plans": [
        (f.name, "INTEGER" if f.type == "int" else "TEXT", f"the catalogue's {f.name}")
        for f in dataclasses.fields(Plan)
    ],
    "problems": [
        ("document", "TEXT", "the document id"),
        ("file", "TEXT", "its file"),
        ("line", "INTEGER", "the 1-based line (0: the whole document)"),
        ("reason", "TEXT", "what could not be placed or had to be guessed"),
        ("text", "TEXT", "the line's text"),
        ("severity", "TEXT", "warning, or error when the document was lost"),
    ],
    "coverage": [("document", "TEXT", "the document id"), ("data", "TEXT", "its coverage row, JSON")],
    "clusters": [
        ("scope", "TEXT", "all, within_plan, cross_plan or cross_council: the listing it belongs to"),
        ("position", "INTEGER", "its place in that listing"),
        ("data", "TEXT", "kind, widest scope, score, member ids, link numbers (links.id), JSON"),
    ],
    "meta": [("key", "TEXT PRIMARY KEY", "what"), ("value", "TEXT", "its value")],
}
INDEXES = (
    "CREATE INDEX links_source ON links(source)",
    "CREATE INDEX links_target ON links(target)",
    "CREATE INDEX actions_document ON actions(document, position)",
    "CREATE INDEX actions_year ON actions(year, position)",
    "CREATE INDEX actions_code_key ON actions(code_key)",
    "CREATE INDEX actions_local_key ON actions(local_key)",
    "CREATE INDEX actions_line_key ON actions(line_key)",
    "CREATE INDEX problems_document ON problems(document)",
    "CREATE INDEX clusters_scope ON clusters(scope, position)",
)


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _action_row(position: int, action: Action) -> tuple:
    data = action.to_dict()
    source = data.pop("source")
    local = action.id.partition(":")[2]
    values = {
        "position": position,
        "code_key": code_key(action.code) or None,
        "local_key": code_key(local),
        "line_key": None if action.code else code_key(local.partition("-")[0]),
        **data,
    }
    for name in ACTION_LISTS:
        values[name] = _json(values[name])
    values["foundations_inferred"] = int(values["foundations_inferred"])
    for name in SOURCE_FIELDS:
        values[f"source_{name}"] = source.get(name)
    return tuple(values[name] for name, _, _ in _action_columns())


def _action_columns() -> tuple[tuple[str, str, str], ...]:
    """ACTION_COLUMNS, and a column for any field of Source the list does not name yet."""
    named = {name for name, _, _ in ACTION_COLUMNS}
    extra = tuple((f"source_{f}", "TEXT", f"provenance: {f}") for f in SOURCE_FIELDS if f"source_{f}" not in named)
    return ACTION_COLUMNS + extra


def write_database(
    folder: Path,
    plans: Sequence[Plan],
    actions: Iterable[Action],
    links: Iterable[Link],
    problems: Iterable[ParseProblem],
    coverage: Iterable[dict[str, Any]],
    clusters: dict[str, list] | None = None,
    meta: dict[str, Any] | None = None,
) -> Path:
    """Write `graphkit.sqlite` into a build folder (which must not hold one yet) and return its path."""
    path = folder / DATABASE_FILE
    tables = {"actions": _action_columns(), "links": LINK_COLUMNS, **OTHER_COLUMNS}
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a new file in a build folder nobody reads yet
        db.execute("PRAGMA synchronous = OFF")  # the build is swapped in only once written and closed
        db.execute("BEGIN")
        db.execute("CREATE TABLE columns (table_name TEXT, column_name TEXT, description TEXT)")
        for table, columns in tables.items():
            db.execute(f"CREATE TABLE {table} ({', '.join(f'{n} {t}' for n, t, _ in columns)})")
            db.executemany("INSERT INTO columns VALUES (?, ?, ?)", [(table, n, d) for n, _, d in columns])

        def insert(table: str, rows: Iterable[tuple]) -> None:
            sql = f"INSERT INTO {table} VALUES ({', '.join('?' * len(tables[table]))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == INSERT_BATCH:
                    db.executemany(sql, batch)
                    batch.clear()
            db.executemany(sql, batch)

        insert("plans", (tuple(getattr(p, n) for n, _, _ in OTHER_COLUMNS["plans"]) for p in plans))
        insert("actions", (_action_row(i, a) for i, a in enumerate(actions)))
        insert(
            "links",
            ((i, k.source, k.target, k.kind, k.scope, k.score, k.evidence_json.decode()) for i, k in enumerate(links)),
        )
        insert("problems", ((p.document, p.file, p.line, p.reason, p.text, p.severity) for p in problems))
        insert("coverage", ((row.get("document"), _json(row)) for row in coverage))
        insert(
            "clusters",
            ((scope, i, _json(row)) for scope, rows in (clusters or {}).items() for i, row in enumerate(rows)),
        )
        insert("meta", ((k, _json(v)) for k, v in {"database_version": DATABASE_VERSION, **(meta or {})}.items()))
        for statement in INDEXES:
            db.execute(statement)
        db.execute("COMMIT")
    finally:
        db.close()
    return path


class Database:
    """A build's database, opened read-only; every question is an indexed query.

    `where` names the store in error messages. Every read error (a truncated or foreign file, a database from a
    newer graphkit) is a StoreError that names the store and says to run `graphkit index`.
    """

    def __init__(self, folder: Path, where: Path | None = None) -> None:
        self.folder = folder
        self.where = where if where is not None else folder
        path = folder / DATABASE_FILE
        if not path.is_file():
            raise self._error("it has no database (a build from an older graphkit)")
        try:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            self.db.row_factory = sqlite3.Row
            version = self.db.execute("SELECT value FROM meta WHERE key = 'database_version'").fetchone()
        except sqlite3.Error as exc:
            raise self._error(f"its database cannot be read ({exc})") from None
        if version is None or json.loads(version[0]) != DATABASE_VERSION:
            raise self._error("its database is from another graphkit version")
        self._actions: dict[str, Action] = {}

    def _error(self, what: str) -> StoreError:
        return StoreError(f"the index in {self.where} cannot be used: {what}: run `graphkit index` again")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise self._error(f"its database cannot be read ({exc})") from None

    # -- actions -----------------------------------------------------------------------------------------------

    def action(self, action_id: str) -> Action | None:
        if action_id not in self._actions:
            found = self._read_actions("WHERE id = ?", (action_id,))
            if not found:
                return None
        return self._actions[action_id]

    def actions_by_id(self, ids: Iterable[str]) -> dict[str, Action]:
        """The actions with these ids (each read once per Database)."""
        ids = list(dict.fromkeys(ids))
        wanted = [i for i in ids if i not in self._actions]
        for start in range(0, len(wanted), 900):  # SQLite's limit on parameters
            chunk = wanted[start : start + 900]
            self._read_actions(f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
        return {i: self._actions[i] for i in ids if i in self._actions}

    def actions_with_key(self, key: str) -> list[Action]:
        """The actions whose code or local id (after the document) folds to `key` (`indexer.fields.code_key`)."""
        return self._read_actions("WHERE code_key = ?1 OR local_key = ?1 ORDER BY position", (key,))

    def actions_of_line(self, key: str) -> list[Action]:
        """The actions printed without a code on the line `key` names ("L242": L242-1, L242-2...)."""
        return self._read_actions("WHERE line_key = ? ORDER BY position", (key,))

    def actions_of(self, documents: Sequence[str] = (), year: int | None = None) -> list[Action]:
        """The actions of these documents (default: every one) and of one year's plans, in the build's order."""
        clauses: list[str] = []
        parameters: list[Any] = []
        if documents:
            clauses.append(f"document IN ({', '.join('?' * len(documents))})")
            parameters.extend(documents)
        if year is not None:
            clauses.append("year = ?")
            parameters.append(year)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        return self._read_actions(where + "ORDER BY position", parameters)

    def iter_actions(self) -> Iterator[Action]:
        """Every action in the build's order, read as it goes (nothing kept)."""
        try:
            for row in self.db.execute("SELECT * FROM actions ORDER BY position"):
                yield action_from_row(row)
        except sqlite3.Error as exc:
            raise self._error(f"its database cannot be read ({exc})") from None

    def first_year(self) -> int | None:
        row = self.rows("SELECT min(year) FROM actions")[0]
        return row[0]

    def _read_actions(self, where: str, parameters: Sequence[Any]) -> list[Action]:
        found = [action_from_row(row) for row in self.rows(f"SELECT * FROM actions {where}", parameters)]
        for action in found:
            self._actions.setdefault(action.id, action)
        return found

    # -- links --------------------------------------------------------------------------------------------------

    def links_of(self, action_id: str) -> list[Link]:
        """Every link of one action, in the build's order."""
        rows = self.rows(
            "SELECT * FROM links WHERE source = ? UNION ALL SELECT * FROM links WHERE target = ? ORDER BY id",
            (action_id, action_id),
        )
        return [link_from_row(row) for row in rows]

    def plans(self) -> list[Plan]:
        return [Plan(**dict(row)) for row in self.rows("SELECT * FROM plans")]


def action_from_row(row: sqlite3.Row) -> Action:
    values = dict(row)
    values.pop("position")
    values.pop("code_key")
    values.pop("local_key")
    values.pop("line_key")
    source = {name: values.pop(f"source_{name}") for name in SOURCE_FIELDS}
    for name in ACTION_LISTS:
        values[name] = orjson.loads(values[name])
    values["foundations_inferred"] = bool(values["foundations_inferred"])
    values["source"] = source
    return Action.from_dict(values)


def link_from_row(row: sqlite3.Row) -> Link:
    return Link(row["source"], row["target"], row["kind"], row["scope"], row["score"], row["evidence"].encode())
