"""CSV and JSON downloads of a result list. Every list the UI shows can be downloaded from its /api/ twin with
`format=csv` or `format=json`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, jsonify

# A spreadsheet runs a cell that starts with one of these as a formula: document text is untrusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = "; ".join(
                json.dumps(v, ensure_ascii=False) if isinstance(v, Mapping) else str(v) for v in value
            )
        else:
            out[name] = "" if value is None else str(value)
    return out


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows of nested dicts as CSV: nested keys joined with dots, lists with "; ", formulas defused.

    >>> print(csv_text([{"id": "a", "source": {"line": 3}, "themes": ["x", "y"], "text": "=1+1"}]).strip())
    id,source.line,themes,text
    a,3,x; y,'=1+1
    """
    flat = [_flat(row) for row in rows]
    columns = list(dict.fromkeys(key for row in flat for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in flat:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def download(
    payload: Mapping[str, Any], rows: list[Mapping[str, Any]], name: str, fmt: str, explicit: bool
) -> Response:
    """The JSON payload (an attachment when `format` was given), or its `rows` as a CSV attachment."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "graphkit"
    if fmt == "csv":
        response = Response(csv_text(rows), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = jsonify(payload)
    if explicit:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response
