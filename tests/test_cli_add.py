"""`graphkit add FILE`: what it shows, what it copies and catalogues, and its errors."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.store import load_corpus
from tests.conftest import FIXTURES, copy_data

TABLE = FIXTURES / "layouts" / "space_aligned_table.txt"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data(tmp_path):
    return copy_data(tmp_path / "data", documents=("dundee-promise-2021",))


def add(runner, data, *args):
    return runner.invoke(cli, ["add", *map(str, args), "--data", str(data), "--store", str(data.parent / "store")])


def catalogue_ids(data):
    with (data / "catalogue.csv").open(encoding="utf-8") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_dry_run_shows_what_was_found_and_changes_nothing(runner, data):
    before = (data / "catalogue.csv").read_bytes()
    result = add(runner, data, TABLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "parser: layout" in result.output
    assert "5 actions found" in result.output
    assert "owner: Head of Education; due: March 2025; status: on_track; line 5" in result.output
    assert "rules used: table row (confidence high) x5" in result.output
    assert "coverage: " in result.output and "0 not placed" in result.output
    assert "dry run: nothing was copied or indexed" in result.output
    assert (data / "catalogue.csv").read_bytes() == before
    assert not (data.parent / "store").exists()


def test_add_copies_the_file_writes_a_catalogue_row_and_indexes(runner, data):
    result = add(runner, data, TABLE, "--council", "Anyshire", "--title", "Corporate Parenting Plan 2023-2026")
    assert result.exit_code == 0, result.output
    assert catalogue_ids(data) == ["dundee-promise-2021", "space-aligned-table"]
    assert (data / "plans" / "space-aligned-table.txt").read_bytes() == TABLE.read_bytes()
    corpus = load_corpus(data.parent / "store")
    added = [a for a in corpus.actions if a.document == "space-aligned-table"]
    assert len(added) == 5 and added[0].council == "Anyshire" and added[0].period == (2023, 2026)
    assert len(corpus.actions) == 62 + 5


def test_a_duplicate_id_is_refused(runner, data):
    result = add(runner, data, TABLE, "--council", "Dundee", "--years", "2021-2023", "--id", "dundee-promise-2021")
    assert result.exit_code == 1
    assert "a document with id 'dundee-promise-2021' is already in" in result.output


def test_a_missing_file_is_refused(runner, data, tmp_path):
    result = add(runner, data, tmp_path / "nowhere.pdf", "--council", "Fife")
    assert result.exit_code == 1
    assert "nowhere.pdf: file not found" in result.output


def test_an_unsupported_type_is_refused_naming_the_fix(runner, data, tmp_path):
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    result = add(runner, data, old, "--council", "Fife", "--years", "2024-2026")
    assert result.exit_code == 1
    assert "plan.doc: unsupported file type (an old Word file: save it as .docx" in result.output
    assert catalogue_ids(data) == ["dundee-promise-2021"]


def test_without_a_council_nothing_is_added(runner, data):
    result = add(runner, data, TABLE, "--years", "2023-2026")
    assert result.exit_code == 1
    assert "--council is needed" in result.output
    assert catalogue_ids(data) == ["dundee-promise-2021"]


def test_a_file_with_no_actions_is_not_added(runner, data, tmp_path):
    empty = tmp_path / "notes-2024.txt"
    empty.write_text("Minutes of the meeting\n\nThe group met on Tuesday.\n")
    result = add(runner, data, empty, "--council", "Fife")
    assert result.exit_code == 1
    assert "notes-2024.txt was not added: no actions were found in it" in result.output
