"""PARSERS and parser_for(plan, lines): the catalogue's format first, sniffing second, fallback last."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

from graphkit.records import Plan
from indexer.base import Line, Parser

# Order matters for sniffing: the specific formats first, then the layout reader, which reads any document from
# its blocks and so takes every document no specific format claims. The older generic `tabular` and `prose`
# parsers stay, chosen only when a catalogue row names them.
FORMAT_MODULES = (
    "promise_table",
    "covalent",
    "we_will_table",
    "action_register",
    "objectives_table",
    "layout",
    "tabular",
    "prose",
)


def _load() -> list[Parser]:
    return [import_module(f"indexer.formats.{name}").PARSER for name in FORMAT_MODULES]


PARSERS: list[Parser] = _load()
FALLBACK = "layout"
BY_CATALOGUE_ONLY = ("tabular", "prose")


def parser_names() -> list[str]:
    return [p.name for p in PARSERS]


def parser_for(plan: Plan, lines: Sequence[Line]) -> tuple[Parser, str]:
    """The parser for a document and why it was chosen.

    The catalogue's `format` wins when it names a known parser; otherwise the first parser whose
    `sniff` accepts the lines; otherwise the layout reader, which finds commitments in any document.
    """
    by_name = {p.name: p for p in PARSERS}
    if plan.format and plan.format in by_name:
        return by_name[plan.format], f"catalogue format {plan.format!r}"
    for parser in PARSERS:
        if parser.name != FALLBACK and parser.name not in BY_CATALOGUE_ONLY and parser.sniff(lines):
            why = f"sniffed as {parser.name!r}"
            if plan.format:
                why += f" (catalogue format {plan.format!r} is unknown)"
            return parser, why
    return by_name[FALLBACK], "no parser of its own; read by its layout"
