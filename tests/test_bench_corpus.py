"""bench/corpus.py writes plans in the five real layouts that the real parsers read back whole, with the injected
duplicates and successors where truth.json says they are, and the same files for the same seed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from graphkit.build import build, index_document
from graphkit.catalogue import read_catalogue
from graphkit.records import Plan
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import corpus as synthetic  # noqa: E402
from corpus_layouts import LAYOUTS  # noqa: E402
from corpus_text import load_material  # noqa: E402

SIZE = 150
PLAN_SIZE = 30
PAIR_SHARE = 0.12  # more pairs than a benchmark corpus, so that every kind occurs in a small one
SEED = 10  # a seed whose 150 actions hold every layout and every kind of pair


@pytest.fixture(scope="module")
def material():
    return load_material(ROOT / "data")


@pytest.fixture(scope="module")
def written(tmp_path_factory, material):
    data = tmp_path_factory.mktemp("synthetic")
    truth = synthetic.generate(data, SIZE, SEED, PLAN_SIZE, PAIR_SHARE, material=material)
    corpus = build(data, tmp_path_factory.mktemp("store"))
    return data, truth, corpus


def test_every_written_action_is_parsed_back_by_its_document(written):
    data, truth, corpus = written
    parsed: dict[str, int] = {}
    for action in corpus.actions:
        parsed[action.document] = parsed.get(action.document, 0) + 1
    assert {doc: entry["actions"] for doc, entry in truth["documents"].items()} == parsed
    assert len(corpus.actions) == truth["actions"] == SIZE
    assert [p.id for p in read_catalogue(data)] == list(truth["documents"])


def test_no_document_fails_or_reports_a_problem(written):
    _, _, corpus = written
    assert corpus.manifest["indexed"] == corpus.manifest["documents"]
    assert [str(p) for p in corpus.problems] == []


def test_every_line_is_used_skipped_or_blank(written):
    _, _, corpus = written
    for row in corpus.coverage:
        assert row["used"] + row["skipped"] + row["blank"] == row["lines"], row["document"]
        assert row["unplaced"] == 0, row["document"]


def test_each_plan_is_read_by_the_parser_its_catalogue_names(written):
    data, _, corpus = written
    formats = {p.id: p.format for p in read_catalogue(data)}
    assert {row["document"]: row["parser"] for row in corpus.coverage} == formats
    assert set(formats.values()) == set(LAYOUTS)


def test_injected_pairs_are_found_by_document_code_and_line(written):
    _, truth, corpus = written
    actions = {a.id: a for a in corpus.actions}
    assert truth["pairs"]
    for pair in truth["pairs"]:
        for side in ("a", "b"):
            where = pair[side]
            action = actions[where["id"]]
            assert action.document == where["document"]
            assert action.code == where["code"]
            assert (action.source.file, action.source.line) == (where["file"], where["line"])
            assert action.text == " ".join(where["text"].split())


def test_pairs_are_the_kinds_truth_names(written):
    _, truth, _ = written
    kinds = {(p["kind"], p["scope"]) for p in truth["pairs"]}
    assert kinds == {("duplicate", "within_plan"), ("duplicate", "cross_council"), ("successor", "cross_plan")}
    for pair in truth["pairs"]:
        a, b = pair["a"], pair["b"]
        assert a["text"] != b["text"] and pair["edits"]
        if pair["scope"] == "within_plan":
            assert a["document"] == b["document"] and a["id"] != b["id"]
        elif pair["scope"] == "cross_council":
            assert a["council"] != b["council"]
        else:
            assert a["council"] == b["council"] and b["year"] > a["year"]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("fmt", sorted(LAYOUTS))
def test_each_layout_is_parsed_back_whole(fmt, seed, tmp_path, material):
    rng = random.Random(seed)
    specs = [synthetic.new_spec(material, rng, 2024) for _ in range(60)]
    plan = Plan("anytown-2024", "plan.txt", "Anytown", "A plan", "promise", 2024, 2026, format=fmt)
    page, placed = LAYOUTS[fmt](plan, specs, material, rng)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / plan.file).write_text("\n".join(page.lines), encoding="utf-8")
    outcome = index_document(tmp_path, plan)
    assert outcome.problems == []
    parsed = sorted((a.id, a.source.line, a.text) for a in outcome.actions)
    assert parsed == sorted((f"{plan.id}:{p.suffix}", p.line, " ".join(p.text.split())) for p in placed)
    assert len(parsed) == len(specs)


def test_one_seed_writes_the_same_files(tmp_path, material):
    for name in ("one", "two"):
        synthetic.generate(tmp_path / name, 120, SEED, 40, PAIR_SHARE, material=material)
    synthetic.generate(tmp_path / "other", 120, SEED + 1, 40, PAIR_SHARE, material=material)

    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert files(tmp_path / "one") != files(tmp_path / "other")
