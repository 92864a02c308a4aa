"""The bulk-load exports for Neo4j and OpenSearch, on the real plans: every node, relationship and action is
written once, the files follow each importer's format, and nothing is lost or invented on the way."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.export import graph_to_json
from graphkit.graph import build_graph
from graphkit.handover import NODE_LABELS, OPENSEARCH_MAPPING, opensearch_document


@pytest.fixture(scope="module")
def run(corpus_store):
    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--store", str(corpus_store)])

    return invoke


@pytest.fixture(scope="module")
def graph_json(corpus):
    return graph_to_json(build_graph(corpus.plans, corpus.actions, corpus.links))


def test_neo4j_export_writes_every_node_and_relationship_in_the_import_header_format(run, graph_json, tmp_path):
    out = tmp_path / "neo4j"
    result = run("export", str(out), "--format", "neo4j")
    assert result.exit_code == 0, result.output
    with (out / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with (out / "relationships.csv").open(newline="", encoding="utf-8") as handle:
        relationships = list(csv.DictReader(handle))
    assert [n["id:ID"] for n in nodes] == [n["id"] for n in graph_json["nodes"]]
    assert len(relationships) == len(graph_json["edges"])
    ids = {n["id:ID"] for n in nodes}
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in relationships)
    assert {n[":LABEL"] for n in nodes} == set(NODE_LABELS.values())
    wanted = {e["key"].upper() for e in graph_json["edges"]}
    assert {r[":TYPE"] for r in relationships} == wanted >= {"DUPLICATE", "OVERLAP", "RELATED", "IN_PLAN"}
    scores = [float(r["score:float"]) for r in relationships if r[":TYPE"] in ("DUPLICATE", "OVERLAP", "RELATED")]
    assert scores and all(0 < s <= 1 for s in scores)
    # one record per line: the importer reads multi-line fields only when told to
    raw = (out / "nodes.csv").read_text(encoding="utf-8")
    assert raw.count("\n") == len(nodes) + 1


def test_opensearch_export_is_a_bulk_body_of_every_action_matching_its_mapping(run, corpus, tmp_path):
    out = tmp_path / "opensearch"
    result = run("export", str(out), "--format", "opensearch")
    assert result.exit_code == 0, result.output
    lines = (out / "actions.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * len(corpus.actions)
    actions, documents = [json.loads(x) for x in lines[::2]], [json.loads(x) for x in lines[1::2]]
    assert [a["index"]["_id"] for a in actions] == [a.id for a in corpus.actions]
    mapping = json.loads((out / "mapping.json").read_text(encoding="utf-8"))
    assert mapping == OPENSEARCH_MAPPING
    fields = set(mapping["mappings"]["properties"])
    assert all(set(d) == fields for d in documents)  # the mapping is strict: an unmapped field would be refused
    by_id = {d["id"]: d for d in documents}
    sample = next(a for a in corpus.actions if a.source.line and a.owners)
    assert by_id[sample.id]["source"]["line"] == sample.source.line


def test_export_refuses_a_folder_format_onto_a_file(run, tmp_path):
    target = tmp_path / "taken.csv"
    target.write_text("x", encoding="utf-8")
    result = run("export", str(target), "--format", "neo4j")
    assert result.exit_code != 0
    assert "writes a folder" in result.output


def test_opensearch_documents_carry_no_markup_from_the_plans(corpus):
    hostile = replace(corpus.actions[0], text="<p>Offer <b>advocacy</b> &amp; support</p>", owners=("<i>Lead</i>",))
    document = opensearch_document(hostile)
    assert document["text"] == "Offer advocacy & support"
    assert document["owners"] == ["Lead"]
