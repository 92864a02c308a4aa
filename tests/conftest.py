"""Shared fixtures: the bundled catalogue, parsed documents, a built store and a CLI runner."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graphkit.catalogue import plan_path, read_catalogue
from graphkit.records import Plan
from indexer.base import ParseResult
from indexer.normalise import read_document, to_lines

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

DOCS = {
    "000": "clackmannanshire-promise-2023",
    "001": "clackmannanshire-inspection-2015",
    "002": "dundee-promise-2021",
    "003": "south-ayrshire-promise-2024",
    "004": "clackmannanshire-cpc-2023",
}


# three of the bundled plans, each in a different format, so a build takes a second or two
SMALL = ("clackmannanshire-promise-2023", "dundee-promise-2021", "south-ayrshire-promise-2024")


def write_catalogue(target: Path, documents) -> list[dict[str, str]]:
    """Write `target`/catalogue.csv: the bundled catalogue's rows of `documents` (ids), in its order; returns them."""
    with (DATA / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["id"] in documents]
    with (target / "catalogue.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def copy_data(target: Path, documents=SMALL) -> Path:
    """A copy of the bundled data folder holding only `documents`."""
    (target / "plans").mkdir(parents=True)
    rows = write_catalogue(target, documents)
    for row in rows:
        shutil.copy(DATA / "plans" / row["file"], target / "plans" / row["file"])
    return target


def catalogue_plan(doc_id: str):
    return next(p for p in read_catalogue(DATA) if p.id == doc_id)


def document_lines(doc_id: str):
    return read_document(plan_path(DATA, catalogue_plan(doc_id)))


def parse_with(parser, doc_id: str) -> ParseResult:
    """Run one parser on one bundled document (no normalisation of fields)."""
    return parser.parse(catalogue_plan(doc_id), document_lines(doc_id))


def lines_from_text(text: str):
    return to_lines(text)


def parse_text_as(parser, doc_id: str, text: str) -> ParseResult:
    """Run one parser on made-up text, as if it were the bundled document `doc_id`."""
    return parser.parse(catalogue_plan(doc_id), lines_from_text(text))


def parse_fixture_as(parser, doc_id: str, file: str) -> ParseResult:
    """Run one parser on a file of tests/fixtures/, as if it were the bundled document `doc_id`."""
    return parse_text_as(parser, doc_id, (FIXTURES / file).read_text(encoding="utf-8"))


def generic_plan(file: str = "generic.txt") -> Plan:
    """A catalogue entry for a made-up plan, for parsers run on fixture text."""
    return Plan(
        id="generic-test",
        file=file,
        council="Anytown",
        title="Test plan",
        plan_type="promise",
        start_year=2024,
        end_year=2026,
    )


def non_blank(lines) -> set[int]:
    """Numbers of the lines that hold any text."""
    return {line.number for line in lines if not line.blank}


def accounted(result: ParseResult) -> set[int]:
    """Numbers of the lines a parser used, skipped or reported."""
    return result.used | set(result.skipped) | {p.line for p in result.problems}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The bundled documents indexed once per test run: (store path, `graphkit index` output)."""
    from click.testing import CliRunner

    from graphkit.cli import cli

    store = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(cli, ["index", "--data", str(DATA), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.output


@pytest.fixture(scope="session")
def corpus_store(built):
    return built[0]


@pytest.fixture(scope="session")
def built_output(built):
    return built[1]


@pytest.fixture(scope="session")
def corpus(corpus_store):
    from graphkit.store import load_corpus

    return load_corpus(corpus_store)


@pytest.fixture(scope="session")
def app(corpus_store):
    """The web app on the bundled plans."""
    from web import create_app

    return create_app({"TESTING": True, "GRAPHKIT_STORE": str(corpus_store)})


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()
