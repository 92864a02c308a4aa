"""The files that move graphkit's data onto servers when one machine is outgrown: CSVs for Neo4j's bulk importer
(`neo4j-admin database import full`) and a bulk file with its index definition for OpenSearch (`_bulk`). These
are exports, not engines: the graph and the search index stay graphkit's own; the plan for moving is in
bench/README.md ("Beyond one machine").
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.export import flat_graph
from graphkit.records import Action
from indexer.search_backend import index_action

HANDOVER_FORMATS = ("neo4j", "opensearch")
OPENSEARCH_INDEX = "graphkit-actions"
# Neo4j labels and relationship types, by graphkit's node and edge kinds (Neo4j's naming conventions).
NODE_LABELS = {
    "council": "Council",
    "plan": "Plan",
    "action": "Action",
    "theme": "Theme",
    "owner": "Owner",
    "pillar": "Pillar",
    "foundation": "Foundation",
}
NUMBERS = {"score": "float", "line": "int", "year": "int", "start_year": "int", "end_year": "int"}
ARRAY_DELIMITER = ";"  # neo4j-admin's default; graphkit's list values are joined with "; " (export.flat_graph)
_SPACE = re.compile(r"\s+")

# Facets are exact values (keyword); the texts use OpenSearch's English analyzer (stemming, stop words): the
# nearest stock equivalent of graphkit's analysis. graphkit's synonyms would go in a synonym_graph filter.
OPENSEARCH_MAPPING: dict[str, Any] = {
    "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
    "mappings": {
        "dynamic": "strict",
        "properties": {
            **{name: {"type": "keyword"} for name in ("id", "document", "council", "code", "status", "pillar")},
            **{name: {"type": "keyword"} for name in ("foundations", "themes", "owners")},
            "plan": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
            "year": {"type": "integer"},
            **{name: {"type": "text", "analyzer": "english"} for name in ("text", "outcome", "progress")},
            "source": {
                "properties": {
                    "document": {"type": "keyword"},
                    "file": {"type": "keyword"},
                    "line": {"type": "integer"},
                }
            },
        },
    },
}


def _cell(value: Any) -> Any:
    """One CSV cell: text on one line (Neo4j's importer reads multi-line fields only when told to)."""
    return _SPACE.sub(" ", value).strip() if isinstance(value, str) else value


def write_neo4j(graph: nx.MultiDiGraph, folder: Path) -> tuple[int, int]:
    """Write `nodes.csv` and `relationships.csv` in the header format of `neo4j-admin database import full`.

    Nodes keep graphkit's ids (`id:ID`) and get a label per kind (Action, Plan, ...); relationships get a type per
    edge kind (IN_PLAN, HAS_THEME, DUPLICATE, OVERLAP, RELATED, ...) with their score, scope and evidence.

    Returns
    -------
    tuple[int, int]
        The numbers of nodes and relationships written.

    Examples
    --------
    >>> import tempfile
    >>> from graphkit.graph import _EXAMPLE_ACTIONS, _EXAMPLE_PLANS, build_graph
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     counts = write_neo4j(build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS), Path(tmp))
    ...     header = (Path(tmp) / "relationships.csv").read_text().splitlines()[0]
    >>> header.split(",")[:3]
    [':START_ID', ':END_ID', ':TYPE']
    """
    flat = flat_graph(graph)
    folder.mkdir(parents=True, exist_ok=True)
    node_keys = sorted({k for _, data in flat.nodes(data=True) for k in data} - {"id", "kind"})
    edge_keys = sorted({k for *_, data in flat.edges(keys=True, data=True) for k in data} - {"kind"})

    def header(keys: Iterable[str]) -> list[str]:
        return [f"{k}:{NUMBERS[k]}" if k in NUMBERS else k for k in keys]

    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id:ID", ":LABEL", *header(node_keys)])
        for node, data in flat.nodes(data=True):
            label = NODE_LABELS.get(data.get("kind", ""), "Node")
            writer.writerow([node, label, *(_cell(data.get(k, "")) for k in node_keys)])
    with (folder / "relationships.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", *header(edge_keys)])
        for source, target, key, data in flat.edges(keys=True, data=True):
            writer.writerow([source, target, str(key).upper(), *(_cell(data.get(k, "")) for k in edge_keys)])
    return flat.number_of_nodes(), flat.number_of_edges()


def opensearch_document(action: Action) -> dict[str, Any]:
    """One action as an OpenSearch document (the fields of OPENSEARCH_MAPPING), from what graphkit's own search
    index holds of it (`indexer.search_backend.index_action`: text cleaned of markup, owners cleaned)."""
    indexed = index_action(action, 0)
    record, facets = indexed.record, indexed.facets
    return {
        **{name: record[name] for name in ("id", "document", "plan", "council", "year", "code", "status")},
        "pillar": action.pillar,
        "foundations": list(facets["foundation"]),
        "themes": list(facets["theme"]),
        "owners": list(indexed.owners),
        **{name: record[name] for name in ("text", "outcome", "progress")},
        "source": {"document": action.source.document, "file": record["file"], "line": record["line"]},
    }


def write_opensearch(actions: Iterable[Action], folder: Path, index: str = OPENSEARCH_INDEX) -> int:
    """Write `mapping.json` (the index's settings and mappings) and `actions.ndjson` (a `_bulk` request body).

    Returns
    -------
    int
        The number of actions written.

    Examples
    --------
    >>> import tempfile
    >>> from graphkit.graph import _EXAMPLE_ACTIONS
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     count = write_opensearch(_EXAMPLE_ACTIONS, Path(tmp))
    ...     first = (Path(tmp) / "actions.ndjson").read_text().splitlines()[0]
    >>> count == len(_EXAMPLE_ACTIONS), json.loads(first)["index"]["_index"]
    (True, 'graphkit-actions')
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mapping.json").write_text(json.dumps(OPENSEARCH_MAPPING, indent=2) + "\n", encoding="utf-8")
    count = 0
    with (folder / "actions.ndjson").open("w", encoding="utf-8") as out:
        for action in actions:
            out.write(json.dumps({"index": {"_index": index, "_id": action.id}}) + "\n")
            out.write(json.dumps(opensearch_document(action), ensure_ascii=False) + "\n")
            count += 1
    return count
