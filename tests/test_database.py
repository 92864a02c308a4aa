"""The build's SQLite database: every record and link as loading the whole build gives them, read by indexed
queries, and a damaged, foreign or missing database reported with the store and the fix."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.database import DATABASE_FILE, Database
from graphkit.errors import StoreError
from graphkit.queries import DatabaseIndex, LinkIndex, dropped, related_actions, trace
from graphkit.store import current_build


@pytest.fixture(scope="module")
def database(corpus_store):
    with Database(current_build(corpus_store), corpus_store) as db:
        yield db


def test_every_action_plan_and_link_reads_back_as_the_build_holds_it(corpus, database):
    assert list(database.iter_actions()) == corpus.actions
    assert database.plans() == corpus.plans
    stored = [link for action in corpus.actions for link in database.links_of(action.id) if link.source == action.id]
    assert sorted(stored, key=lambda k: (k.source, k.target)) == sorted(
        corpus.links, key=lambda k: (k.source, k.target)
    )


def test_problems_coverage_and_clusters_are_in_the_database(corpus, database):
    assert database.rows("SELECT count(*) FROM problems")[0][0] == len(corpus.problems)
    assert [r["document"] for r in database.rows("SELECT document FROM coverage")] == [p.id for p in corpus.plans]
    scopes = {r["scope"] for r in database.rows("SELECT DISTINCT scope FROM clusters")}
    assert scopes == {"all", "within_plan", "cross_plan", "cross_council"}


def test_every_column_of_every_table_is_described(database):
    described = {(r["table_name"], r["column_name"]) for r in database.rows("SELECT * FROM columns")}
    tables = [r["name"] for r in database.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table == "columns":
            continue
        for column in database.rows(f"PRAGMA table_info({table})"):
            assert (table, column["name"]) in described


def test_questions_are_answered_by_indexes_not_by_reading_every_row(database):
    for sql in (
        "SELECT * FROM links WHERE source = 'x' UNION ALL SELECT * FROM links WHERE target = 'x'",
        "SELECT * FROM actions WHERE code_key = 'x' OR local_key = 'x'",
        "SELECT * FROM actions WHERE line_key = 'x' ORDER BY position",
        "SELECT * FROM actions WHERE document IN ('x') ORDER BY position",
        "SELECT * FROM actions WHERE year = 2015 ORDER BY position",
    ):
        plan = " ".join(r["detail"] for r in database.rows("EXPLAIN QUERY PLAN " + sql))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (sql, plan)
        assert "SCAN actions" not in plan and "SCAN links" not in plan, (sql, plan)


@pytest.mark.parametrize(
    "probe", ["clackmannanshire-inspection-2015:SS_ICSAP_SUPP3", "GC-10", "dundee-promise-2021:L242-5", "CPC 4.4"]
)
def test_related_and_trace_answer_from_the_database_as_from_the_loaded_build(corpus, database, probe):
    loaded, queried = LinkIndex(corpus), DatabaseIndex(database)
    assert related_actions(queried, probe, 20) == related_actions(loaded, probe, 20)
    assert trace(queried, probe, limit=20) == trace(loaded, probe, limit=20)


@pytest.mark.parametrize("year", [None, 2021, 2023])
def test_dropped_answers_from_the_database_as_from_the_loaded_build(corpus, database, year):
    assert dropped(DatabaseIndex(database), year) == dropped(LinkIndex(corpus), year)


@pytest.fixture
def copied_store(corpus_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(corpus_store, store, symlinks=True)
    return store


def related_output(store, *args):
    return CliRunner().invoke(cli, ["related", "GC-10", "--store", str(store), *args])


def test_a_truncated_database_names_the_store_and_the_fix(copied_store):
    path = current_build(copied_store) / DATABASE_FILE
    path.write_bytes(path.read_bytes()[:5000])
    result = related_output(copied_store)
    assert result.exit_code == 1
    assert str(copied_store) in result.output and "graphkit index" in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_database_names_the_store_and_the_fix(copied_store):
    (current_build(copied_store) / DATABASE_FILE).write_text("not a database")
    result = related_output(copied_store)
    assert result.exit_code == 1 and "cannot be read" in result.output and "graphkit index" in result.output


def test_a_database_from_a_newer_graphkit_asks_for_a_new_index(copied_store):
    path = current_build(copied_store) / DATABASE_FILE
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'database_version'")
    result = related_output(copied_store)
    assert result.exit_code == 1 and "another graphkit version" in result.output


def test_a_build_without_a_database_asks_for_a_new_index(copied_store):
    (current_build(copied_store) / DATABASE_FILE).unlink()
    result = related_output(copied_store)
    assert result.exit_code == 1 and "no database" in result.output and "graphkit index" in result.output


def test_a_link_naming_a_missing_action_is_reported_as_damage(copied_store):
    path = current_build(copied_store) / DATABASE_FILE
    with sqlite3.connect(path) as db:
        (target,) = db.execute(
            "SELECT target FROM links WHERE source = 'clackmannanshire-promise-2023:GC-10'"
        ).fetchone()
        db.execute("DELETE FROM actions WHERE id = ?", (target,))
    result = related_output(copied_store)
    assert result.exit_code == 1 and "damaged" in result.output and "missing action" in result.output


def test_a_database_another_process_holds_locked_is_still_read(copied_store):
    path = current_build(copied_store) / DATABASE_FILE
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = related_output(copied_store, "--json")
    finally:
        holder.close()
    assert result.exit_code == 0, result.output


def test_opening_a_store_with_no_build_says_to_index(tmp_path):
    result = related_output(tmp_path / "empty")
    assert result.exit_code == 1 and "graphkit index" in result.output


def test_a_missing_database_raises_store_error_naming_the_store(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        Database(tmp_path, tmp_path / "store")
