"""Column meaning: which field a table's header cells name (action, owner, due, status, outcome, measure, ...).

Shared by the text reader (to find a space-aligned table's header) and the layout reader of commitments (to map a
table's cells). Names come from `graphkit.vocab.COLUMN_SYNONYMS`.

>>> column_roles(["Priority", "What we will do", "Who", "By when", "RAG"])
['outcome', 'action', 'owner', 'due', 'status']
>>> column_roles(["Objective", "Key actions", "Lead officer"])
['outcome', 'action', 'owner']
>>> column_roles(["Key improvement actions", "Named lead", "Target completion date", "Current RAG status"])
['action', 'owner', 'due', 'status']
>>> is_header(column_roles(["Priority", "What we will do", "Who", "By when", "RAG"]))
True
>>> is_header(column_roles(["Education", "Ensure every child has a plan", "Head of Education"]))
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from graphkit.vocab import COLUMN_SYNONYMS

# A line giving one field of the action above it ("Lead: ...", "By: March 2025", "Update: ..."), as numbered
# actions and progress reports print them; the label's role as the table column of that name would have it.
FIELD_LABEL = re.compile(
    r"(?:^|(?<=\s))(?P<label>lead officer|lead|owner|responsible|who|by whom|by when|by|when|timescale|target date|"
    r"target|deadline|due|status|progress update|progress|update|rag|rag status|measure|how we will know|action|"
    r"key action|what we will do|commitment)\s*:\s*",
    re.I,
)
FIELD_ROLE = {
    "action": "action",
    "key action": "action",
    "what we will do": "action",
    "commitment": "action",
    "lead officer": "owner",
    "lead": "owner",
    "owner": "owner",
    "responsible": "owner",
    "who": "owner",
    "by whom": "owner",
    "by when": "due",
    "by": "due",
    "when": "due",
    "timescale": "due",
    "target date": "due",
    "target": "due",
    "deadline": "due",
    "due": "due",
    "status": "status",
    "progress": "status",
    "update": "progress",
    "progress update": "progress",
    "rag": "status",
    "rag status": "status",
    "measure": "measure",
    "how we will know": "measure",
}
HEADER_CELL_MAX = 60
HEAD_NOUN_WORDS = 4
WHOLE_CELL_ONLY = 3  # "No", "Who", "ID" count only as the whole cell
HEADER_NEEDS_ONE_OF = ("owner", "due", "status", "measure")
NON_WORD = re.compile(r"[^a-z0-9]+")
OBJECTIVE_WORDS = ("objective", "objectives")


def _words(text: str) -> list[str]:
    return NON_WORD.sub(" ", text.lower()).split()


SYNONYM_WORDS: list[tuple[list[str], str]] = sorted(
    ((_words(s), role) for role, names in COLUMN_SYNONYMS.items() for s in names),
    key=lambda item: -len(item[0]),
)


@lru_cache(maxsize=65536)
def column_role(cell: str) -> str | None:
    """The field one header cell names, or None (a long cell is row text, not a header)."""
    if not cell or len(cell) > HEADER_CELL_MAX:
        return None
    words = _words(cell)
    if len(words) > 8:
        return None
    for synonym, role in SYNONYM_WORDS:
        if words[: len(synonym)] != synonym:
            continue
        if len(synonym) == 1 and len(synonym[0]) <= WHOLE_CELL_ONLY and len(words) > 1:
            continue
        return role
    # A short name ends with its head noun: "Key improvement actions", "Target completion date", "Named lead".
    if 1 < len(words) <= HEAD_NOUN_WORDS:
        for synonym, role in SYNONYM_WORDS:
            if len(synonym) == 1 and len(synonym[0]) > WHOLE_CELL_ONLY and words[-1] == synonym[0]:
                return role
    return None


EXACT = {" ".join(_words(s)): role for role, names in COLUMN_SYNONYMS.items() for s in names}


def bare_column_name(text: str) -> str | None:
    """The role of a line that is nothing but a column name ("What we will do", "Lead officer"), else None.

    >>> bare_column_name("What we will do"), bare_column_name("Foundation: Voice"), bare_column_name("Actions:")
    ('action', None, None)
    """
    if ":" in text or len(text.split()) > 5:
        return None
    return EXACT.get(" ".join(_words(text)))


def column_roles(cells: Sequence[str]) -> list[str | None]:
    """The role of every header cell; an "Objective" column beside another action column is the outcome."""
    roles = [column_role(c) for c in cells]
    actions = [i for i, r in enumerate(roles) if r == "action"]
    if len(actions) > 1:
        for i in actions:
            if _words(cells[i])[:1] and _words(cells[i])[0] in OBJECTIVE_WORDS and "outcome" not in roles:
                roles[i] = "outcome"
    return roles


def is_header(roles: Sequence[str | None]) -> bool:
    """A header row: an action column, an owner, due, status or measure column, and mostly known names."""
    found = {r for r in roles if r}
    if "action" not in found or not found.intersection(HEADER_NEEDS_ONE_OF):
        return False
    return 2 * sum(1 for r in roles if r) >= len(roles)
