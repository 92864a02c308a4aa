"""Reads data/catalogue.csv into Plan entries; a bad row gives a CatalogueError naming the row."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from graphkit.errors import CatalogueError
from graphkit.records import Plan

CATALOGUE_FILE = "catalogue.csv"
PLANS_DIR = "plans"
REQUIRED = ("id", "file", "council", "title", "plan_type", "start_year", "end_year")
OPTIONAL = ("format", "source", "published")
DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
YEARS = range(1990, 2101)


def _year(value: str, column: str, where: str) -> int:
    value = value.strip()
    if not value.isdigit() or int(value) not in YEARS:
        raise CatalogueError(f"{where}: {column} must be a year between 1990 and 2100, got {value!r}")
    return int(value)


def read_catalogue(data_dir: Path) -> list[Plan]:
    """Read `<data_dir>/catalogue.csv` into plans.

    Raises
    ------
    CatalogueError
        When the data folder or catalogue is missing, a column is missing, or a row is invalid.
    """
    if not data_dir.is_dir():
        raise CatalogueError(f"data folder not found: {data_dir}")
    path = data_dir / CATALOGUE_FILE
    if not path.is_file():
        raise CatalogueError(f"no {CATALOGUE_FILE} in {data_dir}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError(f"{path.name}: missing column(s) {', '.join(missing)}")
        plans: list[Plan] = []
        seen: set[str] = set()
        for row in reader:
            where = f"{path.name} line {reader.line_num}"
            values = {k: (row.get(k) or "").strip() for k in REQUIRED + OPTIONAL}
            for column in ("id", "file", "council", "title"):
                if not values[column]:
                    raise CatalogueError(f"{where}: empty {column}")
            if not DOCUMENT_ID.match(values["id"]):
                raise CatalogueError(f"{where}: id {values['id']!r} must be lower-case letters, digits and dashes")
            if values["id"] in seen:
                raise CatalogueError(f"{where}: duplicate id {values['id']!r}")
            seen.add(values["id"])
            start = _year(values["start_year"], "start_year", where)
            end = _year(values["end_year"], "end_year", where)
            if end < start:
                raise CatalogueError(f"{where}: end_year {end} is before start_year {start}")
            if Path(values["file"]).name != values["file"]:
                raise CatalogueError(f"{where}: file must be a plain file name, got {values['file']!r}")
            plans.append(
                Plan(
                    id=values["id"],
                    file=values["file"],
                    council=values["council"],
                    title=values["title"],
                    plan_type=values["plan_type"],
                    start_year=start,
                    end_year=end,
                    format=values["format"],
                    source=values["source"],
                    published=values["published"],
                )
            )
    if not plans:
        raise CatalogueError(f"{path.name}: no documents listed")
    return plans


def plan_path(data_dir: Path, plan: Plan) -> Path:
    return data_dir / PLANS_DIR / plan.file
