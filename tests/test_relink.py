"""Linking after a few documents changed (graphkit.relink): `graphkit index` keeps the links of the unchanged
documents, and works out only those of the changed ones; exact when nothing changed, measured against a full build
when something did.

Incremental linking is only used on a corpus of more than LARGE_CORPUS actions; these tests lower that bound (the
`incremental` fixture) so that it runs on the real plans, where one plan is a fifth of the corpus, far more than
the 5% it is allowed in use. The drift at real sizes is measured by bench/relink.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import graphkit.relink
from graphkit.build import build
from graphkit.candidates import candidate_pairs, candidate_pairs_of
from graphkit.catalogue import read_catalogue
from graphkit.cli import cli
from graphkit.linking import LinkModel
from graphkit.queries import LinkIndex, related_actions, trace
from graphkit.relink import BARS_FILE, choose_linking
from graphkit.store import current_build, load_corpus
from tests.conftest import DATA, write_catalogue

ADDED = "clackmannanshire-promise-2023"
TRACES = json.loads((Path(__file__).parent / "cases" / "traces.json").read_text())


def leave_out(data: Path, *documents: str) -> None:
    """Write `data`'s catalogue as the bundled one without `documents` (their files stay)."""
    write_catalogue(data, {p.id for p in read_catalogue(DATA)} - set(documents))


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """Every bundled plan, indexed from scratch: (data folder, corpus)."""
    root = tmp_path_factory.mktemp("full")
    data = Path(shutil.copytree(DATA, root / "data"))
    return data, build(data, root / "store")


@pytest.fixture(scope="module")
def without_added(full, tmp_path_factory):
    """A store whose current build holds every bundled plan but ADDED."""
    root = tmp_path_factory.mktemp("without")
    data = Path(shutil.copytree(full[0], root / "data"))
    leave_out(data, ADDED)
    build(data, root / "store")
    return data, root / "store"


@pytest.fixture
def incremental(monkeypatch):
    """Incremental linking allowed from two actions, for any share of the corpus."""
    monkeypatch.setattr(graphkit.relink, "INCREMENTAL_FROM", 2)
    monkeypatch.setattr(graphkit.relink, "INCREMENTAL_SHARE", 1.0)


@pytest.fixture
def store(without_added, tmp_path):
    return Path(shutil.copytree(without_added[1], tmp_path / "store", symlinks=True))


@pytest.fixture
def data(full, tmp_path):
    return Path(shutil.copytree(full[0], tmp_path / "data"))


def pairs(links) -> dict[frozenset, object]:
    return {frozenset((link.source, link.target)): link for link in links}


def in_full_build_order(corpus) -> bool:
    """Links come smaller action index first, by pair, as a full build writes them."""
    index = {a.id: i for i, a in enumerate(corpus.actions)}
    keys = [(index[x.source], index[x.target]) for x in corpus.links]
    return all(i < j for i, j in keys) and keys == sorted(keys)


# -- the candidate search for a few actions -------------------------------------------------------------------


@pytest.mark.parametrize("per_action", [5, 20])
def test_searching_for_one_plan_finds_the_pairs_a_whole_search_finds(corpus, per_action):
    model = LinkModel(corpus.actions)
    n = len(corpus.actions)
    left, right = candidate_pairs(model, per_action)
    bars = model.candidate_bars.copy()
    assert (bars > 0).all()  # every action has more partners than it keeps: the search is used, not every pair
    for document in (ADDED, "dundee-promise-2021"):
        rows = np.array([i for i, a in enumerate(corpus.actions) if a.document == document])
        touching = np.isin(left, rows) | np.isin(right, rows)

        found = candidate_pairs_of(model, rows, per_action, bars)

        assert set(zip(*found, strict=True)) == set(zip(left[touching], right[touching], strict=True))
        assert (model.candidate_bars == bars).all()  # the rows' own bars are found again
    assert len(left) < n * (n - 1) / 2


# -- nothing changed: the links are re-used, exactly ------------------------------------------------------------


def test_an_unchanged_corpus_reuses_its_links_and_equals_a_full_build(full, tmp_path):
    data, first = full
    store = Path(shutil.copytree(first.path.parent.parent, tmp_path / "store", symlinks=True))

    again = build(data, store)

    assert again.manifest["linking"]["mode"] == "reused"
    assert [x.to_dict() for x in again.links] == [x.to_dict() for x in first.links]
    assert again.manifest["links"] == first.manifest["links"]


def test_a_reordered_catalogue_does_not_reuse_links(full, tmp_path):
    data = Path(shutil.copytree(full[0], tmp_path / "data"))
    store = Path(shutil.copytree(full[1].path.parent.parent, tmp_path / "store", symlinks=True))
    lines = (data / "catalogue.csv").read_text(encoding="utf-8").splitlines()
    (data / "catalogue.csv").write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")

    corpus = build(data, store)

    assert corpus.manifest["linking"]["mode"] == "full"  # a small corpus: linked in full
    assert in_full_build_order(corpus)


# -- one plan added, edited or removed ---------------------------------------------------------------------------


def test_an_added_plan_is_linked_and_the_other_links_are_kept(incremental, without_added, store, data, full):
    before = load_corpus(store)

    corpus = build(data, store)

    linking = corpus.manifest["linking"]
    assert (linking["mode"], linking["changed"]) == ("incremental", [ADDED])
    assert linking["base"] == before.path.name
    ids = {a.id for a in corpus.actions}
    assert all(x.source in ids and x.target in ids for x in corpus.links)
    added = {a.id for a in corpus.actions if a.document == ADDED}
    old = [x.to_dict() for x in corpus.links if not {x.source, x.target} & added]
    assert old == [x.to_dict() for x in before.links]  # kept as they were
    assert in_full_build_order(corpus)
    # measured against a full build of the same plans: the same 1,140 links of the added plan's actions, same kinds
    mine = pairs(x for x in corpus.links if {x.source, x.target} & added)
    theirs = pairs(x for x in full[1].links if {x.source, x.target} & added)
    found = mine.keys() & theirs.keys()
    assert len(found) / len(theirs) >= 0.97 and len(found) / len(mine) >= 0.97
    assert sum(mine[k].kind == theirs[k].kind for k in found) / len(found) >= 0.97


def test_an_added_plan_is_traced_from_the_2015_plan_as_in_a_full_build(incremental, store, data, full):
    index, full_index = LinkIndex(build(data, store)), LinkIndex(full[1])

    def hits(index: LinkIndex) -> int:
        probes = [t for t in TRACES["traces"] if any(e["strength"] == "strong" for e in t["equivalents"])]
        return sum(
            bool({e["id"] for e in t["equivalents"] if e["strength"] == "strong"}
                 & {s.action.id for s in trace(index, t["probe"]["id"])[:3]})
            for t in probes
        )  # fmt: skip

    assert hits(index) >= hits(full_index) - 1  # measured: 26 of 29 probes in both
    added = [a.id for a in full[1].actions if a.document == ADDED]
    shared = [
        len(
            {r.action.id for r in related_actions(index, a, 5)}
            & {r.action.id for r in related_actions(full_index, a, 5)}
        )
        for a in added
    ]
    assert sum(shared) / (5 * len(added)) >= 0.8  # measured: 1.0


def test_an_edited_plan_has_its_links_worked_out_again(incremental, data, tmp_path):
    store = tmp_path / "store"
    first = build(data, store)
    dundee = data / "plans" / next(p.file for p in first.plans if p.id == "dundee-promise-2021")
    text = dundee.read_text(encoding="utf-8")
    dundee.write_text(text.replace("young people", "young people and their families"), encoding="utf-8")

    corpus = build(data, store)

    assert corpus.manifest["linking"]["changed"] == ["dundee-promise-2021"]
    dundee_ids = {a.id for a in corpus.actions if a.document == "dundee-promise-2021"}
    kept = [x.to_dict() for x in corpus.links if not {x.source, x.target} & dundee_ids]
    assert kept == [x.to_dict() for x in first.links if not {x.source, x.target} & dundee_ids]
    assert any({x.source, x.target} & dundee_ids for x in corpus.links)


def test_a_removed_plan_takes_its_links_with_it(incremental, full, data, tmp_path):
    store = Path(shutil.copytree(full[1].path.parent.parent, tmp_path / "store", symlinks=True))
    leave_out(data, "dundee-promise-2021")

    corpus = build(data, store)

    linking = corpus.manifest["linking"]
    assert (linking["mode"], linking["changed"]) == ("incremental", ["dundee-promise-2021"])
    ids = {a.id for a in corpus.actions}
    assert all(a.document != "dundee-promise-2021" for a in corpus.actions)
    assert [x.to_dict() for x in corpus.links] == [
        x.to_dict() for x in full[1].links if x.source in ids and x.target in ids
    ]


# -- when a build links in full ----------------------------------------------------------------------------------


def test_a_small_corpus_links_in_full(store, data):
    corpus = build(data, store)

    assert corpus.manifest["linking"]["mode"] == "full"
    assert "linked in full" in corpus.manifest["linking"]["reason"]


def test_full_links_every_action(incremental, store, data):
    linking = build(data, store, full=True).manifest["linking"]

    assert (linking["mode"], linking["reason"], linking["changed"], linking["share"]) == ("full", "--full", [], 0)


def test_the_share_linked_incrementally_adds_up_and_its_limit_links_in_full(incremental, store, data, monkeypatch):
    first = build(data, store).manifest["linking"]
    added = sum(1 for a in load_corpus(store).actions if a.document == ADDED)
    assert first["share"] == pytest.approx(added / len(load_corpus(store).actions), abs=1e-6)
    leave_out(data, "dundee-promise-2021")
    monkeypatch.setattr(graphkit.relink, "INCREMENTAL_SHARE", first["share"] + 0.01)

    second = build(data, store).manifest["linking"]

    assert second["mode"] == "full" and "since a full linking" in second["reason"]
    assert second["share"] == 0.0


def test_links_from_other_linking_code_are_not_kept(incremental, store, data, monkeypatch):
    monkeypatch.setattr(graphkit.relink, "linking_fingerprint", lambda: "linking changed")

    linking = build(data, store).manifest["linking"]

    assert (linking["mode"], linking["reason"]) == ("full", "the last build was linked by other code")


def test_unreadable_links_of_the_last_build_mean_a_full_linking(incremental, store, data, tmp_path):
    (current_build(store) / "links.jsonl").write_text('{"source": "x"\n', encoding="utf-8")

    corpus = build(data, store)

    assert corpus.manifest["linking"]["mode"] == "full"
    assert "cannot be read" in corpus.manifest["linking"]["reason"]
    fresh = build(data, tmp_path / "fresh")
    assert [x.to_dict() for x in corpus.links] == [x.to_dict() for x in fresh.links]


def test_a_last_build_without_candidate_bars_means_a_full_linking(incremental, store, data):
    (current_build(store) / BARS_FILE).unlink()

    linking = build(data, store).manifest["linking"]

    assert (linking["mode"], linking["reason"]) == ("full", "the last build kept no candidate bars")
    assert (current_build(store) / BARS_FILE).is_file()  # kept again, for the next build


def test_unreadable_candidate_bars_mean_a_full_linking(incremental, store, data):
    (current_build(store) / BARS_FILE).write_text("{", encoding="utf-8")

    linking = build(data, store).manifest["linking"]

    assert linking["mode"] == "full" and "candidate bars" in linking["reason"]


def test_no_earlier_build_links_in_full(tmp_path):
    assert choose_linking(tmp_path / "empty", {}, []).mode == "full"


# -- what `graphkit index` says ----------------------------------------------------------------------------------


def test_index_says_how_the_links_were_worked_out(incremental, store, data):
    runner = CliRunner()
    args = ["index", "--data", str(data), "--store", str(store)]

    first = runner.invoke(cli, args)
    share = load_corpus(store).manifest["linking"]["share"]  # the added plan's actions: 31 of 234
    again = runner.invoke(cli, args)
    full = runner.invoke(cli, [*args, "--full"])

    assert first.exit_code == 0, first.output
    assert "linking: incremental, 1 of 5 documents changed: only their actions linked again" in first.output
    assert f"the others' links kept ({share:.1%} of the actions linked this way" in first.output
    assert "`--full` links every action" in first.output
    assert (
        f"linking: the last build's links re-used (no document changed; {share:.1%} of the actions linked"
        in again.output
    )
    assert "linking: every action (--full)" in full.output


def test_the_home_page_says_when_links_were_worked_out_incrementally(incremental, store, data):
    from web import create_app

    def home() -> str:
        return " ".join(create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)}).test_client().get("/").text.split())

    assert "incrementally" not in home()
    share = build(data, store).manifest["linking"]["share"]
    assert f"since the last full linking, {share * 100:.1f}% of the actions were linked again" in home()
    assert build(data, store).manifest["linking"]["mode"] == "reused"
    assert f"{share * 100:.1f}% of the actions were linked again" in home()  # still the patched links
    build(data, store, full=True)
    assert "incrementally" not in home()
