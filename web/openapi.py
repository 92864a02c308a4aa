"""The OpenAPI 3.0.3 description of /api/, written by hand: every route of the "api" blueprint (and the graph of an
action's neighbourhood), its arguments with their bounds, and the shapes it answers with. tests/test_api.py checks
that the paths here and the app's routes cannot drift; tests/test_api_schema.py checks the app against it."""

from __future__ import annotations

import importlib.metadata
from typing import Any

from graphkit.records import LINK_KINDS, SCOPES
from indexer.results import KINDS
from indexer.search import FACETS, MAX_DEPTH, MAX_LIMIT
from web.params import FORMATS, MAX_TEXT

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
TRUE_FALSE = ("true", "false", "1", "0", "on", "off")
# Real names from the bundled documents, so the explicit examples reach the answers a person gets, not just 404s.
EXAMPLE_ACTION = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
EXAMPLE_OTHER_ACTION = "clackmannanshire-promise-2023:GC-10"


def _version() -> str:
    try:
        return importlib.metadata.version("graphkit")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"


# --- schemas ----------------------------------------------------------------------------------------------------


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    # OpenAPI 3.0 ignores keys next to a $ref, so a nullable reference goes through allOf
    return {"allOf": [schema], "nullable": True} if "$ref" in schema else {**schema, "nullable": True}


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _enum(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values)}


def _object(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with these keys always present, maybe others (additional properties are allowed)."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _summary_and(extra: dict[str, Schema]) -> Schema:
    """An action summary with more keys, as related actions and trace steps are."""
    return {"allOf": [_ref("ActionSummary"), _object(extra)]}


def _schemas() -> dict[str, Schema]:
    text = _nullable(STRING)
    evidence_list = _list(_ref("Evidence"))
    summaries = _list(_ref("ActionSummary"))
    # two tables (schemas here, paths below), kept one entry per item rather than one key per line
    # fmt: off
    return {
        "Error": _object({"error": STRING, "message": STRING, "status": INTEGER}),
        "Source": _object({"document": STRING, "file": STRING, "line": {"type": "integer", "minimum": 1}}),
        "ActionSummary": _object(
            {"id": STRING, "document": STRING, "code": text, "label": STRING, "council": STRING, "year": INTEGER,
             "text": text, "source": _ref("Source")}
        ),
        "Action": _object(
            {"id": STRING, "document": STRING, "plan": STRING, "council": STRING, "year": INTEGER,
             "period": {**_list(INTEGER), "minItems": 2, "maxItems": 2}, "code": text, "text": text, "outcome": text,
             "owners": _list(STRING), "status": STRING, "pillar": text, "foundations": _list(STRING),
             "themes": _list(STRING), "source": _ref("Source")},
            {"due": text, "progress": text, "notes": _list(STRING), "theme_evidence": _list(ANY_OBJECT)},
        ),
        "Evidence": _object({"kind": STRING, "detail": STRING, "weight": NUMBER, "terms": _list(STRING)}),
        "Link": _object(
            {"source": STRING, "target": STRING, "kind": _enum(LINK_KINDS), "scope": _enum(SCOPES), "score": NUMBER,
             "evidence": evidence_list}
        ),
        "Related": _summary_and(
            {"score": NUMBER, "kind": _enum(LINK_KINDS), "scope": _enum(SCOPES), "evidence": evidence_list}
        ),
        "TraceStep": _summary_and(
            {"strength": _enum(("strong", "partial")), "score": NUMBER, "direction": _enum(("earlier", "later")),
             "same_council": BOOLEAN, "evidence": evidence_list}
        ),
        "Hit": _object(
            {"rank": {"type": "integer", "minimum": 1}, "id": STRING, "score": NUMBER, "snippet": STRING,
             "fragments": _list(_object({"text": STRING, "match": BOOLEAN})), "snippet_field": STRING,
             "document": STRING, "plan": STRING, "code": text, "label": STRING, "council": STRING, "year": INTEGER,
             "status": STRING, "text": STRING, "matched": _list(_object({"field": STRING, "term": STRING})),
             "source": _ref("Source"), "kind": _enum(KINDS)}
        ),
        "FacetValue": _object({"value": STRING, "count": {"type": "integer", "minimum": 0}, "label": STRING}),
        "Facets": {
            "type": "object",
            "properties": {name: _list(_ref("FacetValue")) for name in FACETS},
            "additionalProperties": _list(_ref("FacetValue")),
        },
        "SearchResult": _object(
            {"query": STRING, "exact": BOOLEAN, "total": INTEGER, "page": INTEGER, "pages": INTEGER,
             "limit": INTEGER, "hits": _list(_ref("Hit")), "terms": _list(ANY_OBJECT), "filters": ANY_OBJECT,
             "facets": _ref("Facets"), "partial_total": INTEGER, "themes": _list(STRING),
             "suggestions": _list(STRING)}
        ),
        "ActionView": _object(
            {"action": _ref("Action"),
             "source_lines": _list(_object({"line": INTEGER, "text": STRING, "own": BOOLEAN})),
             "related": _list(_ref("Related")), "duplicates": _list(_ref("Related")),
             "trace": _list(_ref("TraceStep")), "owners": _list(_object({"slug": STRING, "label": STRING}))}
        ),
        "RelatedList": _object({"action": _ref("ActionSummary"), "related": _list(_ref("Related"))}),
        "Trace": _object({"action": _ref("ActionSummary"), "trace": _list(_ref("TraceStep"))}),
        "Graph": _object(
            {"nodes": _list(ANY_OBJECT), "edges": _list(ANY_OBJECT), "options": ANY_OBJECT, "centre": STRING}
        ),
        "Cluster": _object(
            {"id": STRING, "kind": _enum(("duplicate", "overlap")), "scope": _enum(SCOPES), "score": NUMBER,
             "copy_between_parts": BOOLEAN, "members": {**summaries, "minItems": 2}, "evidence": evidence_list,
             "links": _list(_ref("Link"))}
        ),
        "PartCopies": _object(
            {"document": STRING, "parts": _list(STRING), "copies": INTEGER, "clusters": _list(_ref("Cluster"))}
        ),
        "ClusterPage": _object(
            {"total": INTEGER, "page": INTEGER, "pages": INTEGER, "filters": ANY_OBJECT,
             "clusters": _list(_ref("Cluster")), "copies": _list(_ref("PartCopies"))}
        ),
        "Comparison": _object(
            {"a": _ref("ActionSummary"), "b": _ref("ActionSummary"),
             "diff": _list(_object({"op": _enum(("same", "only_a", "only_b")), "text": STRING})),
             "link": _nullable(_ref("Link"))}
        ),
        "Plan": _object(
            {"id": STRING, "file": STRING, "council": STRING, "title": STRING, "plan_type": STRING,
             "start_year": INTEGER, "end_year": INTEGER},
            {"format": STRING, "source": STRING, "published": STRING},
        ),
        "PlanList": _object({"plans": _list({"allOf": [_ref("Plan"), _object({"actions": INTEGER})]})}),
        "PlanView": _object(
            {"plan": _ref("Plan"),
             "groups": _list(_object({"heading": text, "outcome": STRING, "actions": summaries})),
             "coverage": ANY_OBJECT,
             "problems": _list(_object({"document": STRING, "line": INTEGER, "reason": STRING})),
             "statuses_printed": BOOLEAN,
             "reading": ANY_OBJECT}
        ),
        "Entry": _object({"slug": STRING, "label": STRING, "count": INTEGER, "detail": STRING}),
        "ThemeList": _object({"themes": _list(_ref("Entry"))}),
        "ThemeActions": _object({"theme": _ref("Entry"), "actions": summaries}),
        "OwnerList": _object({"owners": _list(_ref("Entry"))}),
        "OwnerActions": _object({"owner": _ref("Entry"), "printed": _list(STRING), "actions": summaries}),
    }
    # fmt: on


# --- parameters -------------------------------------------------------------------------------------------------


def _query(name: str, schema: Schema, description: str, required: bool = False) -> dict[str, Any]:
    # web.params reads a blank optional argument as an absent one (`?format=` is JSON): allowEmptyValue says so
    empty = {} if required else {"allowEmptyValue": True}
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema, **empty}


def _path(name: str, description: str, example: str) -> dict[str, Any]:
    return {**_query(name, STRING, description, required=True), "in": "path", "example": example}


def _integer(low: int, high: int, default: int | None = None) -> Schema:
    schema: Schema = {"type": "integer", "minimum": low, "maximum": high}
    return schema if default is None else {**schema, "default": default}


def _text(max_chars: int = 200) -> Schema:
    return {"type": "string", "maxLength": max_chars}


ACTION_ID = _path("action_id", "An action's id (`<document>:<code>`), or a code only one plan uses.", EXAMPLE_ACTION)
FORMAT = _query("format", {**_enum(FORMATS), "default": "json"}, "`csv`: the list as a CSV attachment.")


def _limit(default: int, high: int = MAX_LIMIT) -> dict[str, Any]:
    return _query("limit", _integer(1, high, default), "At most this many results.")


def _scope(what: str) -> dict[str, Any]:
    return _query("scope", _enum(SCOPES), f"Only {what} of this scope.")


def _search_parameters() -> list[dict[str, Any]]:
    filters = [_query(name, _text(), f"Only actions whose {name} is this (any case).") for name in FACETS]
    return [
        {**_query("q", _text(MAX_TEXT), 'The query: words, "phrases", -exclusions.'), "example": "advocacy"},
        *filters,
        _limit(20),
        _query("page", _integer(1, MAX_DEPTH, 1), f"The page of results (page times limit at most {MAX_DEPTH})."),
        _query("exact", {**_enum(TRUE_FALSE), "default": "false"}, "Match words as typed (no stems or synonyms)."),
        FORMAT,
    ]


# --- operations -------------------------------------------------------------------------------------------------


def _operation(name: str, summary: str, schema: str, parameters: list, csv: bool = True, named: bool = False) -> dict:
    """A GET: 200 with `schema` as JSON (and as CSV rows when `csv`), 400 for a bad argument, 404 when the request
    `named` an action, plan, theme or owner the corpus does not hold, 503 when the store has no build to serve."""
    ok: dict[str, Any] = {"application/json": {"schema": _ref(schema)}}
    if csv:
        ok["text/csv"] = {"schema": STRING}
    error = {"application/json": {"schema": _ref("Error")}}
    responses: dict[str, Any] = {"200": {"description": summary, "content": ok}}
    responses["400"] = {"description": "A bad argument, named in the message.", "content": error}
    if named:
        responses["404"] = {"description": "No such action, plan, theme or owner.", "content": error}
    responses["503"] = {"description": "The store has no build to serve (run `graphkit index`).", "content": error}
    return {"get": {"operationId": name, "summary": summary, "parameters": parameters, "responses": responses}}


def _paths() -> dict[str, Any]:
    document = _path("document", "A plan's document id.", "dundee-promise-2021")
    theme = _path("theme", "A theme's slug or label (any case).", "advocacy")
    owner = _path(
        "owner", "An owner's slug as /api/owners lists it; a person's holds a slash (dundee/jo-bloggs).", "headteachers"
    )
    # fmt: off
    return {
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description.",
                "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {}}}}},
            }
        },
        "/api/search": _operation("search", "Ranked actions with snippets and facets.", "SearchResult",
                                  _search_parameters()),
        "/api/actions/{action_id}": _operation("action", "One action, its source lines, related actions and trace.",
                                               "ActionView", [ACTION_ID, FORMAT], named=True),
        "/api/actions/{action_id}/related": _operation(
            "related", "The actions most related to one, with evidence.", "RelatedList",
            [ACTION_ID, _limit(10), _scope("links"), FORMAT], named=True,
        ),
        "/api/actions/{action_id}/trace": _operation(
            "trace", "An action's earlier and later equivalents, strong or partial.", "Trace",
            [ACTION_ID, _query("to", _integer(1900, 2200), "Leave out plans after this year."), _limit(10), FORMAT],
            named=True,
        ),
        "/api/actions/{action_id}/graph": _operation(
            "graph", "The graph of an action's neighbourhood, as vis-network draws it.", "Graph",
            [ACTION_ID, _query("depth", _integer(1, 2, 1), "How many links away from the action.")], csv=False,
            named=True,
        ),
        "/api/duplicates": _operation(
            "duplicates", "Clusters of duplicate and overlapping commitments.", "ClusterPage",
            [_scope("clusters"), _query("council", _text(), "Only clusters with a member of this council."),
             _query("kind", _enum(("duplicate", "overlap")), "Only clusters of this kind."),
             _query("min_score", {**NUMBER, "minimum": 0, "maximum": 1, "default": 0}, "Only links scoring this."),
             _query("copies", _enum(("fold", "list")),
                    "fold (default): word-for-word copies between the parts of one document as one group each, in"
                    " `copies`; list: among the clusters, last."),
             _query("page", _integer(1, 10_000, 1), "The page of clusters."), _limit(25, 500), FORMAT],
        ),
        "/api/compare": _operation(
            "compare", "Two actions with a word-level diff and the link between them.", "Comparison",
            [{**_query("a", _text(), "The first action's id.", required=True), "example": EXAMPLE_ACTION},
             {**_query("b", _text(), "The second action's id.", required=True), "example": EXAMPLE_OTHER_ACTION},
             FORMAT],
            named=True,
        ),
        "/api/plans": _operation("plans", "Every plan with its number of actions.", "PlanList", [FORMAT]),
        "/api/plans/{document}": _operation("plan", "One plan's actions in groups, its coverage and problems.",
                                            "PlanView", [document, FORMAT], named=True),
        "/api/themes": _operation("themes", "Every theme with its number of actions.", "ThemeList", [FORMAT]),
        "/api/themes/{theme}": _operation("theme", "Every action tagged with a theme.", "ThemeActions",
                                          [theme, FORMAT], named=True),
        "/api/owners": _operation("owners", "Every owner with its number of actions.", "OwnerList", [FORMAT]),
        "/api/owners/{owner}": _operation("owner", "Every action an owner holds.", "OwnerActions", [owner, FORMAT],
                                          named=True),
    }
    # fmt: on


def openapi_spec() -> dict:
    """The OpenAPI 3.0.3 document /api/openapi.json serves."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "graphkit",
            "version": _version(),
            "description": "Search, browse and compare the actions of Scottish councils' children's services plans.",
        },
        "paths": _paths(),
        "components": {"schemas": _schemas()},
    }
