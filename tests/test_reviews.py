"""Review decisions: taken with a clear refusal for bad input, kept across builds, applied everywhere a link is
shown (related, trace, dropped, duplicates, export), stale when a text changes, and never lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.reviews import REVIEWS_FILE, ReviewError, Reviews
from graphkit.store import load_corpus
from tests.conftest import DATA, copy_data

GC10 = "clackmannanshire-promise-2023:GC-10"
VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
DUNDEE_CARE_PLAN = "dundee-promise-2021:L242-7"  # related to GC 10 in the bundled build


def run(store, *args):
    result = CliRunner().invoke(cli, [*args, "--store", str(store)])
    return result


@pytest.fixture
def store(corpus_store, tmp_path):
    copied = tmp_path / "store"
    shutil.copytree(corpus_store, copied, symlinks=True)
    return copied


def related_json(store, action=GC10, limit=60):
    result = run(store, "related", action, "--json", "--limit", str(limit))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["related"]


def test_a_confirmed_link_ranks_first_and_says_who_decided(store):
    before = [r["id"] for r in related_json(store)]
    third = before[2]
    assert (
        run(store, "review", GC10, third, "--verdict", "strong", "--note", "same aim", "--by", "A Reviewer").exit_code
        == 0
    )
    after = related_json(store)
    assert after[0]["id"] == third
    first = after[0]["evidence"][0]
    assert first["kind"] == "review" and "A Reviewer" in first["detail"] and "same aim" in first["detail"]
    assert [r["id"] for r in after[1:]] == [i for i in before if i != third][: len(after) - 1]


def test_a_rejected_link_is_gone_from_related_trace_and_duplicates_and_listed_as_rejected(store):
    assert DUNDEE_CARE_PLAN in [r["id"] for r in related_json(store)]
    assert run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "R").exit_code == 0
    assert DUNDEE_CARE_PLAN not in [r["id"] for r in related_json(store)]
    text = run(store, "related", GC10, "--limit", "60").output
    assert f"rejected: {DUNDEE_CARE_PLAN}" in text
    trace = json.loads(run(store, "trace", GC10, "--json", "--limit", "100").output)["equivalents"]
    assert DUNDEE_CARE_PLAN not in [e["id"] for e in trace]
    clusters = json.loads(run(store, "duplicates", "--json").output)["clusters"]
    for cluster in clusters:
        members = {m["id"] for m in cluster["members"]}
        assert not {GC10, DUNDEE_CARE_PLAN} <= members


def test_a_duplicate_verdict_makes_the_link_a_duplicate_in_clusters_and_exports(store, tmp_path):
    assert run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "duplicate", "--by", "R").exit_code == 0
    clusters = json.loads(run(store, "duplicates", "--json").output)["clusters"]
    assert any(
        c["kind"] == "duplicate" and {m["id"] for m in c["members"]} >= {GC10, DUNDEE_CARE_PLAN} for c in clusters
    )
    out = tmp_path / "graph.json"
    assert run(store, "export", str(out)).exit_code == 0
    edges = json.loads(out.read_text())["edges"]
    pair = [e for e in edges if {e["source"], e["target"]} == {f"action:{GC10}", f"action:{DUNDEE_CARE_PLAN}"}]
    assert pair and all(
        e.get("kind") == "duplicate" for e in pair if e.get("kind") in ("duplicate", "overlap", "related")
    )


def test_a_partial_verdict_labels_the_lineage_step_and_a_pair_never_linked_gets_a_link(store):
    corpus = load_corpus(store)
    linked = {frozenset((k.source, k.target)) for k in corpus.links}
    later = next(a.id for a in corpus.actions if a.year > 2015 and frozenset((VIEW2, a.id)) not in linked)
    assert run(store, "review", VIEW2, later, "--verdict", "partial", "--by", "R").exit_code == 0
    steps = json.loads(run(store, "trace", VIEW2, "--json", "--limit", "100").output)["equivalents"]
    step = next(s for s in steps if s["id"] == later)
    assert step["strength"] == "partial" and step["evidence"][0]["kind"] == "review"
    assert steps[0]["id"] == later  # a reviewed step comes first


def test_a_dropped_commitment_confirmed_to_a_later_one_is_no_longer_dropped(store):
    gone = json.loads(run(store, "dropped", "--json").output)["dropped"]
    probe = gone[0]["id"]
    later = next(a.id for a in load_corpus(store).actions if a.year == 2023)
    assert run(store, "review", probe, later, "--verdict", "strong", "--by", "R").exit_code == 0
    assert probe not in [a["id"] for a in json.loads(run(store, "dropped", "--json").output)["dropped"]]


def test_decisions_survive_every_index_and_full_index(store, tmp_path):
    data = copy_data(tmp_path / "data", documents=("clackmannanshire-promise-2023", "dundee-promise-2021"))
    assert run(store, "index", "--data", str(data)).exit_code == 0
    assert run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "R").exit_code == 0
    for extra in ([], ["--full"]):
        assert run(store, "index", "--data", str(data), *extra).exit_code == 0
        assert DUNDEE_CARE_PLAN not in [r["id"] for r in related_json(store)]
    assert (store / REVIEWS_FILE).is_file()


def test_a_changed_text_shows_the_decision_as_stale_instead_of_applying_it(store, tmp_path):
    data = copy_data(tmp_path / "data", documents=("clackmannanshire-promise-2023", "dundee-promise-2021"))
    assert run(store, "index", "--data", str(data)).exit_code == 0
    assert run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "R").exit_code == 0
    plan = data / "plans" / "002_777b33d28a4d4b4e.txt"
    text = plan.read_text(encoding="utf-8")
    old = "have an understanding of their Care Plan"
    assert old in text
    plan.write_text(text.replace(old, "have an understanding of their Care Plan and their Pathway Plan"), "utf-8")
    assert run(store, "index", "--data", str(data)).exit_code == 0
    after = related_json(store)
    step = next(r for r in after if r["id"] == DUNDEE_CARE_PLAN)  # back: the rejection was of other words
    assert (
        step["evidence"][0]["kind"] == "review-stale" and "text changed since review" in step["evidence"][0]["detail"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([GC10, "nope", "--verdict", "strong"], "no action 'nope'"),
        ([GC10, GC10, "--verdict", "strong"], "same action twice"),
        ([GC10, VIEW2, "--verdict", "strong", "--note", "x" * 100_000], "at most 2,000"),
        ([GC10, VIEW2, "--verdict", "strong", "--by", " "], "reviewer's name"),
        ([GC10, VIEW2, "--verdict", "maybe"], "is not one of"),
        ([GC10, VIEW2], "give --verdict, or --clear"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(store, args, message):
    result = run(store, "review", *args)
    assert result.exit_code != 0 and message in result.output
    assert json.loads(run(store, "reviews", "--json").output)["reviews"] == []


def test_markup_in_a_note_is_kept_as_text(store):
    note = '<script>alert(1)</script> & "quotes"'
    assert run(store, "review", GC10, VIEW2, "--verdict", "strong", "--note", note, "--by", "R").exit_code == 0
    assert json.loads(run(store, "reviews", "--json").output)["reviews"][0]["note"] == note


def test_clear_removes_a_decision_and_keeps_it_in_the_history(store):
    run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "R")
    assert "cleared" in run(store, "review", GC10, DUNDEE_CARE_PLAN, "--clear").output
    assert DUNDEE_CARE_PLAN in [r["id"] for r in related_json(store)]
    with sqlite3.connect(store / REVIEWS_FILE) as db:
        assert [r[0] for r in db.execute("SELECT action FROM history")] == ["decide", "clear"]


def test_the_json_listing_is_a_complete_backup_that_imports_into_another_store(store, corpus_store, tmp_path):
    run(store, "review", GC10, VIEW2, "--verdict", "strong", "--note", "n1", "--by", "A")
    run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "B")
    backup = tmp_path / "reviews.json"
    backup.write_text(run(store, "reviews", "--json").output)
    other = tmp_path / "other"
    shutil.copytree(corpus_store, other, symlinks=True)
    result = run(other, "reviews", "--import", str(backup))
    assert result.exit_code == 0 and "2 decisions taken" in result.output
    mine = json.loads(run(store, "reviews", "--json").output)["reviews"]
    theirs = json.loads(run(other, "reviews", "--json").output)["reviews"]
    keep = ("a", "b", "verdict", "note", "by", "at", "fingerprint")
    assert [{k: d[k] for k in keep} for d in theirs] == [{k: d[k] for k in keep} for d in mine]


def test_an_import_names_the_rows_it_refuses(store, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(f"a,b,verdict,note,by\n{GC10},{VIEW2},strong,,A\n{GC10},nope,strong,,A\n{GC10},{VIEW2},meh,,A\n")
    result = run(store, "reviews", "--import", str(rows))
    assert result.exit_code == 0 and "1 decision taken" in result.output and "2 refused" in result.output
    assert "row 2: no action 'nope'" in result.output and "row 3: verdict 'meh'" in result.output


def test_two_reviewers_never_overwrite_each_other_unseen(store):
    corpus = load_corpus(store)
    actions = {a.id: a for a in corpus.actions}
    first, second = Reviews(store), Reviews(store)
    seen = 0  # both loaded the page before any decision
    first.decide(actions[GC10], actions[VIEW2], "strong", "", "A", seen_revision=seen)
    with pytest.raises(ReviewError, match="reviewed again by A"):
        second.decide(actions[GC10], actions[VIEW2], "unrelated", "", "B", seen_revision=seen)
    assert second.get(GC10, VIEW2).verdict == "strong"


def test_writers_at_once_each_save_their_decision(store):
    corpus = load_corpus(store)
    actions = {a.id: a for a in corpus.actions}
    others = [a.id for a in corpus.actions if a.id != GC10][:16]
    errors = []

    def write(other):
        try:
            with Reviews(store) as reviews:
                reviews.decide(actions[GC10], actions[other], "partial", "", "T")
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(o,)) for o in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(Reviews(store).all()) == len(others)


def test_a_process_killed_mid_write_loses_nothing_saved(store):
    run(store, "review", GC10, VIEW2, "--verdict", "strong", "--by", "A")
    script = (
        "import os, sqlite3, sys\n"
        f"db = sqlite3.connect({str(store / REVIEWS_FILE)!r}, isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        'db.execute("DELETE FROM decisions")\n'
        "db.execute(\"INSERT INTO decisions VALUES ('x', 'y', 'strong', '', 'Z', '', '', 1)\")\n"
        "os._exit(9)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], check=False)
    assert killed.returncode == 9
    kept = json.loads(run(store, "reviews", "--json").output)["reviews"]
    assert [(d["a"], d["b"], d["verdict"]) for d in kept] == [(VIEW2, GC10, "strong")]


def test_the_queue_lists_unreviewed_links_nearest_a_label_line_first(store):
    result = run(store, "reviews", "--next", "5", "--json")
    queued = json.loads(result.output)["next"]
    assert len(queued) == 5 and all(q["margin"] <= 0.06 for q in queued)
    assert [q["margin"] for q in queued] == sorted(q["margin"] for q in queued)
    top = queued[0]
    assert run(store, "review", top["source"], top["target"], "--verdict", "partial", "--by", "R").exit_code == 0
    again = json.loads(run(store, "reviews", "--next", "5", "--json").output)["next"]
    assert (top["source"], top["target"]) not in [(q["source"], q["target"]) for q in again]


def test_the_queue_lines_are_the_linkers():
    from graphkit.cli.review import KIND_LINES
    from graphkit.linking import DUPLICATE_SCORE, OVERLAP_SCORE

    assert KIND_LINES == (OVERLAP_SCORE, DUPLICATE_SCORE)


def test_bundled_data_is_untouched_by_reviews():
    assert not (DATA / REVIEWS_FILE).exists()


def test_a_running_web_app_applies_a_decision_at_its_next_request(store):
    from web import create_app

    client = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)}).test_client()

    def related_ids():
        response = client.get(f"/api/actions/{GC10}/related?limit=60")
        assert response.status_code == 200
        return [r["id"] for r in response.get_json()["related"]]

    assert DUNDEE_CARE_PLAN in related_ids()
    assert run(store, "review", GC10, DUNDEE_CARE_PLAN, "--verdict", "unrelated", "--by", "R").exit_code == 0
    assert DUNDEE_CARE_PLAN not in related_ids()
    assert run(store, "review", GC10, VIEW2, "--verdict", "strong", "--note", "<b>same</b>", "--by", "R").exit_code == 0
    first = client.get(f"/api/actions/{GC10}/related").get_json()["related"][0]
    assert first["id"] == VIEW2 and first["evidence"][0]["kind"] == "review"
    page = client.get(f"/actions/{GC10}").get_data(as_text=True)
    assert "reviewed: strong, by R" in page and "&lt;b&gt;same&lt;/b&gt;" in page and "<b>same</b>" not in page


def test_a_reviewed_link_is_told_from_its_stored_evidence_without_reading_it(store):
    from graphkit.queries import LinkIndex
    from graphkit.reviews import link_verdict, read_decisions

    assert run(store, "review", GC10, VIEW2, "--verdict", "duplicate", "--by", "R").exit_code == 0
    corpus = load_corpus(store)
    reviewed = LinkIndex(corpus, read_decisions(store)).links
    verdicts = {frozenset((k.source, k.target)): link_verdict(k) for k in reviewed}
    assert verdicts[frozenset((GC10, VIEW2))] == "duplicate"
    assert sum(v is not None for v in verdicts.values()) == 1
    assert all(link_verdict(k) is None for k in corpus.links)
