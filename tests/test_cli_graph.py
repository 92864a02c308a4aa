"""The graph commands as a user runs them: related, trace, dropped, duplicates, export; text and --json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"


@pytest.fixture(scope="module")
def run(corpus_store):
    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--store", str(corpus_store)])

    return invoke


@pytest.mark.parametrize(
    ("command", "key"),
    [(["related", VIEW2], "related"), (["trace", VIEW2], "equivalents"), (["duplicates"], "clusters")],
)
def test_json_lists_results_with_id_score_and_evidence(run, command, key):
    result = run(*command, "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)[key]
    assert items
    for item in items:
        if key == "clusters":
            assert {"id", "kind", "scope", "score", "evidence", "members", "links"} <= item.keys()
            assert all("id" in m for m in item["members"]) and all(link["evidence"] for link in item["links"])
        else:
            assert {"id", "score", "evidence"} <= item.keys() and item["evidence"]


def test_related_text_shows_rank_score_kind_and_evidence(run):
    result = run("related", VIEW2, "--limit", "3")
    assert result.exit_code == 0
    assert result.output.startswith(VIEW2)
    assert re.search(r"^\s+1\. \d\.\d\d (duplicate|overlap|related)\s", result.output, re.M)
    assert "shared words:" in result.output


def test_related_scope_filter(run):
    result = run("related", VIEW2, "--scope", "cross-council", "--json")
    items = json.loads(result.output)["related"]
    assert items and {i["scope"] for i in items} == {"cross_council"}


def test_trace_labels_strong_and_partial(run):
    items = json.loads(run("trace", VIEW2, "--json").output)["equivalents"]
    assert items[0]["id"] == "clackmannanshire-promise-2023:GC-10"
    assert items[0]["strength"] == "strong" and items[0]["same_council"]
    assert {i["strength"] for i in items} <= {"strong", "partial"}
    assert all(i["direction"] == "later" for i in items)


def test_trace_to_year_stops_there(run):
    items = json.loads(run("trace", VIEW2, "--to", "2021", "--json").output)["equivalents"]
    assert items and all(i["year"] <= 2021 for i in items)


def test_readme_trace_example_is_what_the_command_prints(run):
    command = "graphkit trace clackmannanshire-inspection-2015:SS_ICSAP_SUPP3"
    text = README.read_text()
    assert command in text.replace("\n", " ").replace("`graphkit trace ", "`graphkit trace ")
    printed = run("trace", "clackmannanshire-inspection-2015:SS_ICSAP_SUPP3").output.splitlines()
    example = text.split("(`graphkit trace", 1)[1].split("```", 2)[1].strip("\n").splitlines()
    assert example == printed[: len(example)]


def test_dropped_lists_2015_commitments(run):
    result = run("dropped", "--json")
    items = json.loads(result.output)["dropped"]
    assert items and all(i["year"] == 2015 for i in items)
    assert "with no later equivalent" in run("dropped").output


def test_duplicates_scope_and_council_filters(run):
    clusters = json.loads(run("duplicates", "--scope", "within-plan", "--json").output)["clusters"]
    assert clusters and all(link["scope"] == "within_plan" for c in clusters for link in c["links"])
    dundee = json.loads(run("duplicates", "--council", "Dundee", "--json").output)["clusters"]
    assert dundee and all(any(m["council"] == "Dundee" for m in c["members"]) for c in dundee)
    text = run("duplicates", "--min-score", "0.9").output
    assert re.search(r"\d+ duplicate clusters?, \d+ overlap clusters?", text)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_writes_a_graph_networkx_reads_back(run, corpus, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        graph = nx.read_graphml(out, force_multigraph=True)
    elif fmt == "gexf":
        graph = nx.read_gexf(out)
    else:
        from graphkit.export import graph_from_json

        graph = graph_from_json(json.loads(out.read_text()))
    actions = [n for n, data in graph.nodes(data=True) if data.get("kind") == "action"]
    assert len(actions) == len(corpus.actions)
    assert f"{graph.number_of_nodes()} nodes" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["related", "no-such-action"], "no action 'no-such-action'"),
        (["trace", "no-such-action"], "no action 'no-such-action'"),
        (["export", "graph.txt"], "cannot tell the format"),
        (["duplicates", "--scope", "everywhere"], "Invalid value for '--scope'"),
    ],
)
def test_bad_input_is_a_clear_error(run, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_commands_need_an_index(tmp_path):
    result = CliRunner().invoke(cli, ["related", VIEW2, "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert "run `graphkit index` first" in result.output


def test_index_reports_links_and_graph(built_output, corpus):
    line = next(line for line in built_output.splitlines() if line.startswith("links: "))
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (duplicate|overlap|related)", line)}
    assert sum(counts.values()) == len(corpus.links)
    assert re.search(r"graph: \d+ nodes, \d+ edges", line)
