"""Writing the graph: node-link JSON for the store, and GraphML (yEd, Cytoscape), GEXF (Gephi) or node-link
JSON for other tools. GraphML and GEXF hold scalar attributes only, so those get a flattened copy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.graph import _EXAMPLE_ACTIONS, _EXAMPLE_PLANS, build_graph  # noqa: F401 - used by the examples

EXPORT_FORMATS = ("graphml", "gexf", "json")
# XML 1.0 cannot hold these at all (PDF extractions carry form feeds); GraphML and GEXF writers do not drop them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def graph_to_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link data (`nodes`, `edges` with `key`), ready for `json.dumps`.

    >>> data = graph_to_json(build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS))
    >>> data["multigraph"], data["edges"][0]["key"]
    (True, 'of_council')
    """
    return nx.node_link_data(graph, edges="edges")


def graph_from_json(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The inverse of `graph_to_json`.

    >>> graph = build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS)
    >>> again = graph_from_json(graph_to_json(graph))
    >>> list(again.nodes(data=True)) == list(graph.nodes(data=True))
    True
    """
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists of words joined with "; ", structured data as JSON text."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub(" ", value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return _scalar("; ".join(str(v) for v in value))
    return _scalar(json.dumps(value, ensure_ascii=False, sort_keys=True))


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only scalar attributes (None dropped), as GraphML and GEXF require.

    >>> flat = flat_graph(build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS))
    >>> flat.nodes["owner:virtual-headteacher"]["printed"], "council" in flat.nodes["owner:virtual-headteacher"]
    ('Virtual HT; VHT', False)
    """

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        return {k: _scalar(v) for k, v in data.items() if v is not None}

    out = nx.MultiDiGraph(**flat(graph.graph))
    out.add_nodes_from((node, flat(data)) for node, data in graph.nodes(data=True))
    out.add_edges_from((u, v, key, flat(data)) for u, v, key, data in graph.edges(keys=True, data=True))
    return out


def export_graph(graph: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    """Write the graph for other tools: GraphML (yEd, Cytoscape), GEXF (Gephi) or node-link JSON.

    Parameters
    ----------
    graph
        A graph from `build_graph` (or `graph_from_json`).
    fmt
        "graphml", "gexf" or "json". GraphML and GEXF get scalar attributes only (see `flat_graph`).
    out
        The file to write; it is replaced if it exists.

    Raises
    ------
    ValueError
        For a format other than those in EXPORT_FORMATS.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     export_graph(build_graph(_EXAMPLE_PLANS, _EXAMPLE_ACTIONS), "graphml", Path(folder) / "g.graphml")
    ...     nx.read_graphml(Path(folder) / "g.graphml").nodes["action:d:A-1"]["kind"]
    'action'
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "json":
        out.write_text(json.dumps(graph_to_json(graph), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif fmt == "graphml":
        nx.write_graphml(flat_graph(graph), out, encoding="utf-8")
    else:
        nx.write_gexf(flat_graph(graph), out, encoding="utf-8")
