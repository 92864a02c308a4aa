"""Re-using unchanged documents: `graphkit index` takes a document from the store's parse cache when its file, its
catalogue row and the parser code are unchanged, parses it otherwise, and the build equals a fresh full build."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphkit.documents
import graphkit.parsecache
import graphkit.store
from graphkit.build import build
from graphkit.cli import cli
from graphkit.parsecache import CACHE_DIR, ParseCache, document_key
from graphkit.store import load_corpus
from tests.conftest import SMALL, copy_data

PHASES = {"parse", "links", "graph", "clusters", "database", "search", "write"}


def plan_file(data: Path, document: str) -> Path:
    with (data / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        return data / "plans" / next(r["file"] for r in csv.DictReader(handle) if r["id"] == document)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """SMALL indexed once from scratch: (data folder, store); tests work on copies."""
    root = tmp_path_factory.mktemp("base")
    data = copy_data(root / "data")
    build(data, root / "store")
    return data, root / "store"


@pytest.fixture
def data(base, tmp_path):
    return Path(shutil.copytree(base[0], tmp_path / "data"))


@pytest.fixture
def store(base, tmp_path):
    """A copy of the store that already holds a build of SMALL (and their cache entries)."""
    return Path(shutil.copytree(base[1], tmp_path / "store", symlinks=True))


@pytest.fixture
def parsed(monkeypatch):
    """The ids of the documents parsed from here on (the parser is chosen once per parsed document)."""
    seen: list[str] = []
    choose = graphkit.documents.parser_for

    def counting(plan, lines):
        seen.append(plan.id)
        return choose(plan, lines)

    monkeypatch.setattr(graphkit.documents, "parser_for", counting)
    return seen


def contents(store: Path) -> dict:
    """What a build holds, in comparable form."""
    corpus = load_corpus(store)
    return {
        "plans": corpus.plans,
        "actions": [a.to_dict() for a in corpus.actions],
        "problems": corpus.problems,
        "coverage": corpus.coverage,
        "links": [link.to_dict() for link in corpus.links],
    }


def assert_same_as_a_full_build(data: Path, store: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh-store"
    build(data, fresh, full=True)
    assert contents(store) == contents(fresh)


def test_a_second_index_parses_only_the_changed_document(data, store, tmp_path, parsed):
    dundee = plan_file(data, "dundee-promise-2021")
    dundee.write_text(dundee.read_text(encoding="utf-8") + "\nWe will also review this plan every year.\n")

    corpus = build(data, store)

    assert parsed == ["dundee-promise-2021"]
    assert corpus.manifest["reused"] == 2
    assert_same_as_a_full_build(data, store, tmp_path)


def test_a_new_plan_in_the_catalogue_is_the_only_one_parsed(data, store, tmp_path, parsed):
    new = "clackmannanshire-cpc-2023"
    extra = copy_data(tmp_path / "extra", (new,))
    with (extra / "catalogue.csv").open(encoding="utf-8") as rows, (data / "catalogue.csv").open("a") as out:
        out.write(rows.read().splitlines()[1] + "\n")
    shutil.copytree(extra / "plans", data / "plans", dirs_exist_ok=True)

    corpus = build(data, store)

    assert parsed == [new]
    assert corpus.manifest["reused"] == 3 and {p.id for p in corpus.plans} == {*SMALL, new}
    assert_same_as_a_full_build(data, store, tmp_path)


def test_a_changed_catalogue_row_parses_that_document_again(data, store, tmp_path, parsed):
    catalogue = data / "catalogue.csv"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(",Dundee,", ",Dundee City,", 1), encoding="utf-8"
    )

    corpus = build(data, store)

    assert parsed == ["dundee-promise-2021"]
    assert {a.council for a in corpus.actions if a.document == "dundee-promise-2021"} == {"Dundee City"}
    assert_same_as_a_full_build(data, store, tmp_path)


def test_changed_parser_code_parses_everything_again(data, store, parsed, monkeypatch):
    monkeypatch.setattr(graphkit.parsecache, "parser_fingerprint", lambda: "a parser module changed")

    assert build(data, store).manifest["reused"] == 0
    assert sorted(parsed) == sorted(SMALL)


def test_the_parser_fingerprint_covers_the_parsers_and_not_the_linking():
    modules = graphkit.parsecache.parse_modules()
    needed = {"graphkit.documents", "indexer.registry", "indexer.enrich", "indexer.normalise", "graphkit.vocab",
              "graphkit.records", "indexer.formats.we_will_table", "indexer.formats.tabular"}  # fmt: skip
    assert needed <= set(modules)
    for unrelated in ("graphkit.linking", "graphkit.features", "graphkit.graph", "graphkit.store", "indexer.search"):
        assert unrelated not in modules


def test_bad_cache_entries_are_parsed_again_not_fatal(base, data, store, parsed):
    keys = load_corpus(store).manifest["parse_keys"]
    cache = store / CACHE_DIR
    (cache / f"{keys['clackmannanshire-promise-2023']}.json").write_text('{"format": 1, "actions": [', "utf-8")
    # a readable entry that holds another document's parse
    shutil.copy(cache / f"{keys['south-ayrshire-promise-2024']}.json", cache / f"{keys['dundee-promise-2021']}.json")

    corpus = build(data, store)

    assert sorted(parsed) == ["clackmannanshire-promise-2023", "dundee-promise-2021"]
    assert corpus.manifest["reused"] == 1
    assert contents(store) == contents(base[1])  # what the first, full build of the same data holds
    dundee = next(p for p in corpus.plans if p.id == "dundee-promise-2021")
    assert len(ParseCache(store).get(keys["dundee-promise-2021"], dundee).actions) == 62  # written again


def test_an_unreadable_or_unwritable_cache_entry_does_not_stop_the_build(base, data, store, parsed):
    key = load_corpus(store).manifest["parse_keys"]["dundee-promise-2021"]
    entry = store / CACHE_DIR / f"{key}.json"
    entry.unlink()
    entry.mkdir()  # neither readable as an entry nor replaceable by one

    corpus = build(data, store)

    assert parsed == ["dundee-promise-2021"]
    assert "dundee-promise-2021" not in corpus.manifest["parse_keys"]  # not cached, so not claimed
    assert contents(store) == contents(base[1])


def test_index_says_how_many_documents_it_reused_and_full_parses_all(data, store, parsed):
    runner = CliRunner()
    again = runner.invoke(cli, ["index", "--data", str(data), "--store", str(store)])
    assert again.exit_code == 0, again.output
    assert "re-used 3 of 3 documents (unchanged" in again.output and not parsed
    timings = again.output.split("seconds:")[1].splitlines()[0]
    assert all(f"{phase} " in timings for phase in PHASES)

    full = runner.invoke(cli, ["index", "--full", "--data", str(data), "--store", str(store)])
    assert full.exit_code == 0, full.output
    assert "re-used 0 of 3 documents (unchanged" in full.output and sorted(parsed) == sorted(SMALL)


def test_the_manifest_records_phase_timings_and_reuse(data, store):
    build(data, store)
    manifest = json.loads((store / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["timings"]) == PHASES
    assert all(isinstance(s, float) and s >= 0 for s in manifest["timings"].values())
    assert manifest["reused"] == 3
    assert set(manifest["parse_keys"]) == set(SMALL)
    dundee = next(p for p in load_corpus(store).plans if p.id == "dundee-promise-2021")
    assert manifest["parse_keys"]["dundee-promise-2021"] == document_key(data, dundee)


def test_cache_entries_no_kept_build_uses_are_removed(data, store, monkeypatch):
    monkeypatch.setattr(graphkit.store, "PRUNE_GRACE", 0.0)  # keep only the newest two builds
    keys = [load_corpus(store).manifest["parse_keys"]["dundee-promise-2021"]]
    dundee = plan_file(data, "dundee-promise-2021")
    for version in range(2):
        dundee.write_text(dundee.read_text(encoding="utf-8") + f"\nReviewed {version}.\n", encoding="utf-8")
        keys.append(build(data, store).manifest["parse_keys"]["dundee-promise-2021"])
    entries = {p.stem for p in (store / CACHE_DIR).glob("*.json")}
    assert len(list((store / "builds").iterdir())) == 2
    assert keys[0] not in entries and {keys[1], keys[2]} <= entries
    assert len(entries) == 2 + 2  # the two unchanged documents, and dundee as the two kept builds read it
