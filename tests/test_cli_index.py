"""`graphkit index`, `actions` and `coverage` end to end on the bundled plans, and on bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.store import load_corpus

EXPECTED_COUNTS = {
    "clackmannanshire-promise-2023": 31,
    "clackmannanshire-inspection-2015": 83,
    "dundee-promise-2021": 62,
    "south-ayrshire-promise-2024": 32,
    "clackmannanshire-cpc-2023": 26,
}


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path, data_dir):
    """A copy of the bundled data folder that a test may add bad documents to."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def add_document(data, doc_id, name, content: bytes | None, fmt=""):
    if content is not None:
        (data / "plans" / name).write_bytes(content)
    with (data / "catalogue.csv").open("a", encoding="utf-8") as out:
        out.write(f"{doc_id},{name},Fife,A test plan,promise,2022,2024,{fmt},,\n")


def index(runner, data, store):
    return runner.invoke(cli, ["index", "--data", str(data), "--store", str(store)])


def test_index_reports_every_document_and_writes_the_store(runner, corpus_store, built_output):
    for doc_id, count in EXPECTED_COUNTS.items():
        assert f"{doc_id}: {count} actions" in built_output
    corpus = load_corpus(corpus_store)
    assert len(corpus.actions) == sum(EXPECTED_COUNTS.values()) == 234


def test_the_store_holds_each_record_as_its_to_dict_and_reads_it_back_unchanged(corpus_store):
    """The build writes records with orjson (dataclasses field by field); each line must be the record's own
    `to_dict`, every problem its fields, and reading the build must give the records again."""
    from dataclasses import asdict

    corpus = load_corpus(corpus_store)
    folder = corpus.path
    for name, records, as_dict in (
        ("actions.jsonl", corpus.actions, lambda a: a.to_dict()),
        ("links.jsonl", corpus.links, lambda link: link.to_dict()),
        ("problems.jsonl", corpus.problems, asdict),
    ):
        rows = [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        assert rows == [as_dict(r) for r in records], name
    assert len(corpus.links) > 1000 and corpus.problems, "the real plans have links and problems to compare"
    again = load_corpus(corpus_store)
    assert (again.actions, again.links, again.problems) == (corpus.actions, corpus.links, corpus.problems)


def test_actions_json_lines_have_the_documented_keys(runner, corpus_store):
    result = runner.invoke(cli, ["actions", "--json", "--store", str(corpus_store)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 234
    keys = {
        "id",
        "document",
        "plan",
        "council",
        "year",
        "period",
        "code",
        "text",
        "outcome",
        "owners",
        "owners_text",
        "due",
        "due_text",
        "status",
        "status_text",
        "progress",
        "pillar",
        "foundations",
        "foundations_inferred",
        "themes",
        "source",
    }
    for row in rows:
        assert keys <= row.keys()
        assert row["source"]["line"] >= 1 and row["source"]["file"]
    assert len({r["id"] for r in rows}) == 234
    gc10 = next(r for r in rows if r["id"] == "clackmannanshire-promise-2023:GC-10")
    assert gc10["council"] == "Clackmannanshire" and gc10["year"] == 2023 and gc10["period"] == [2023, 2026]
    covalent = [r for r in rows if r["document"] == "clackmannanshire-inspection-2015"]
    assert {r["year"] for r in covalent} == {2015}
    assert {r["plan"] for r in covalent} == {"Covalent Joint Inspection Action Plan", "Single Agency Action Plan"}


def test_actions_table_is_readable(runner, corpus_store):
    result = runner.invoke(cli, ["actions", "--store", str(corpus_store), "--document", "clackmannanshire-cpc-2023"])
    assert result.exit_code == 0
    assert "clackmannanshire-cpc-2023:CPC-4.4" in result.output
    assert result.output.rstrip().endswith("26 actions")


def test_actions_unknown_document_is_a_clear_error(runner, corpus_store):
    result = runner.invoke(cli, ["actions", "--store", str(corpus_store), "--document", "nope"])
    assert result.exit_code == 1
    assert "unknown document nope" in result.output


def test_coverage_accounts_for_every_line(runner, corpus_store):
    result = runner.invoke(cli, ["coverage", "--json", "--store", str(corpus_store)])
    assert result.exit_code == 0
    report = json.loads(result.output)
    for row in report["documents"]:
        assert row["used"] + row["skipped"] + row["blank"] + row["unplaced"] >= row["lines"] - 1, row["document"]
    text = runner.invoke(cli, ["coverage", "--store", str(corpus_store)]).output
    assert "skipped" in text and "in records" in text


def test_commands_without_an_index_say_so(runner, tmp_path):
    result = runner.invoke(cli, ["actions", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "run `graphkit index` first" in result.output


def test_missing_data_folder_exits_non_zero_with_message(runner, tmp_path):
    result = index(runner, tmp_path / "missing", tmp_path / "store")
    assert result.exit_code == 1
    assert "data folder not found" in result.output


def test_catalogue_row_with_bad_year_is_fatal_and_named(runner, data_copy, tmp_path):
    with (data_copy / "catalogue.csv").open("a", encoding="utf-8") as out:
        out.write("fife-2022,x.txt,Fife,X,promise,twenty,2024,,,\n")
    result = index(runner, data_copy, tmp_path / "store")
    assert result.exit_code == 1
    assert "catalogue.csv line 7: start_year must be a year" in result.output
    assert not (tmp_path / "store" / "current").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: file not found"),
        ("empty.txt", b"   \n\n", "empty.txt: the file is empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary.txt: looks like a binary file"),
    ],
)
def test_bad_document_is_reported_and_the_others_still_indexed(runner, data_copy, tmp_path, name, content, message):
    add_document(data_copy, "fife-bad-2022", name, content)
    result = index(runner, data_copy, tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert f"FAILED fife-bad-2022: {message}" in result.output
    corpus = load_corpus(tmp_path / "store")
    assert len(corpus.actions) == 234
    assert any(p.document == "fife-bad-2022" and p.severity == "error" for p in corpus.problems)


def test_unknown_layout_yields_its_commitments_with_a_warning(runner, data_copy, tmp_path, fixtures_dir):
    text = (
        "Fife Council Corporate Parenting Plan 2022-2024\n\n"
        "Our commitments\n\n"
        "We will offer every care experienced young person an advocate.\n"
        "- Ensure brothers and sisters can live together where it is safe.\n"
        "Progress will be reported to the board.\n"
    )
    add_document(data_copy, "fife-prose-2022", "fife.txt", text.encode())
    result = runner.invoke(cli, ["index", "-v", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "fife-prose-2022: 2 actions" in result.output
    assert "unknown layout" in result.output
    corpus = load_corpus(tmp_path / "store")
    fife = [a for a in corpus.actions if a.document == "fife-prose-2022"]
    assert [a.source.line for a in fife] == [5, 6]
    assert "advocacy" in fife[0].themes
    assert len(corpus.actions) == 234 + 2


def test_a_parser_crash_loses_only_that_document(runner, data_copy, tmp_path, monkeypatch):
    from indexer.formats import we_will_table

    def boom(plan, lines):
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(we_will_table.PARSER, "parse", boom)
    result = index(runner, data_copy, tmp_path / "store")
    assert result.exit_code == 0
    assert (
        "FAILED dundee-promise-2021: parser we_will_table failed: RuntimeError: simulated parser bug" in result.output
    )
    assert len(load_corpus(tmp_path / "store").actions) == 234 - 62


def test_second_index_while_one_runs_fails_fast(runner, data_copy, tmp_path):
    from graphkit.store import build_lock

    store = tmp_path / "store"
    with build_lock(store):
        result = index(runner, data_copy, store)
    assert result.exit_code == 1
    assert "another `graphkit index` is already building" in result.output


def test_reindex_replaces_the_build_atomically(runner, data_copy, tmp_path):
    store = tmp_path / "store"
    assert index(runner, data_copy, store).exit_code == 0
    first = (store / "current").resolve()
    assert index(runner, data_copy, store).exit_code == 0
    second = (store / "current").resolve()
    assert first != second and second.is_dir()
    assert len(load_corpus(store).actions) == 234


def test_documents_without_a_catalogue_format_are_sniffed(runner, data_copy, tmp_path):
    catalogue = data_copy / "catalogue.csv"
    rows = catalogue.read_text(encoding="utf-8").splitlines()
    header, body = rows[0], [r.split(",") for r in rows[1:]]
    for row in body:
        row[7] = ""  # the format column
    catalogue.write_text("\n".join([header, *(",".join(r) for r in body)]) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["index", "-v", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    for doc_id, count in EXPECTED_COUNTS.items():
        assert f"{doc_id}: {count} actions" in result.output
    for name in ("promise_table", "covalent", "we_will_table", "action_register", "objectives_table"):
        assert f"parser: {name} (sniffed as '{name}')" in result.output


def test_strict_fails_on_any_problem(runner, data_copy, tmp_path):
    result = runner.invoke(cli, ["index", "--strict", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "--strict: 1 problem" in result.output  # CPC 8.1 printed as 3.1


def test_store_defaults_to_the_environment_variable(runner, corpus_store, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_STORE", str(corpus_store))
    result = runner.invoke(cli, ["actions", "--document", "dundee-promise-2021"])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("62 actions")
