"""Cells of the CPC objectives table: action items, leads, `<sup>` marks, and joins that drop repeated words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.normalise import clean_text

# Items inside one cell are separated only by runs of two or more spaces in the extraction.
ITEM_GAP = re.compile(r"\s{2,}")
SUPERSCRIPT = re.compile(r"\s*<sup>\s*(.*?)\s*</sup>", re.IGNORECASE)

# Leads: role and group words that end one lead. Two leads run together with no separator
# (`CPC members Lead Officer`) are split after SPLIT_AFTER words when the rest ends with a role word too.
ROLE_END_WORDS = frozenset(
    {"officer", "officers", "chair", "advisor", "member", "members", "lead", "leads", "group", "subgroup"}
    | {"sub-group", "partnership", "partnerships", "committee", "forums", "carers", "manager", "managers"}
)
SPLIT_AFTER = frozenset({"officer", "members", "leads", "advisor", "chair", "subgroup", "partnership"})
GROUP_END_WORDS = frozenset({"subgroup", "group", "partnership", "partnerships", "committee"})
# A comma inside a group's own name: `Forth Valley Policies, Procedures and Protocols Subgroup`.
LIST_IN_NAME = re.compile(r"\s(?:and|&)\s", re.IGNORECASE)
MIN_REPEAT_WORDS = 2


def cell_items(raw_cell: str) -> list[str]:
    """Split a raw cell into its items on runs of two or more spaces, then clean each item.

    >>> cell_items("Embed changes in CP training  7 minute briefings developed")
    ['Embed changes in CP training', '7 minute briefings developed']
    >>> cell_items("reports from 3 <sup>rd</sup> sector")
    ['reports from 3rd sector']
    """
    text = SUPERSCRIPT.sub(r"\1", raw_cell).strip()
    return [item for item in (clean_text(p) for p in ITEM_GAP.split(text)) if item]


def split_leads(raw_cell: str) -> list[str]:
    """Split a lead cell into leads, in printed order.

    Leads are separated by commas, by runs of spaces, or not at all; a comma inside a group's name is kept.

    >>> split_leads("CPC members Lead Officer")
    ['CPC members', 'Lead Officer']
    >>> split_leads("Lead Officer, Forth Valley Policies, Procedures and Protocols Subgroup")
    ['Lead Officer', 'Forth Valley Policies, Procedures and Protocols Subgroup']
    """
    return leads_of_items(cell_items(raw_cell))


def leads_of_items(items: Sequence[str]) -> list[str]:
    """Split lead cell items (already apart where the cell had runs of spaces) at commas and role words."""
    leads: list[str] = []
    for item in items:
        for piece in _comma_pieces(item):
            leads.extend(_split_run_together(piece))
    return leads


def _comma_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        if pieces and _continues_group_name(pieces[-1], piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    return pieces


def _continues_group_name(before: str, piece: str) -> bool:
    last_word = piece.split()[-1].lower()
    before_last = before.split()[-1].lower().strip("()?.")
    return bool(LIST_IN_NAME.search(f" {piece}")) and last_word in GROUP_END_WORDS and before_last not in ROLE_END_WORDS


def _split_run_together(piece: str) -> list[str]:
    words = piece.split()
    for i, word in enumerate(words[:-1]):
        rest = words[i + 1 :]
        if word.lower() in SPLIT_AFTER and rest[0][:1].isupper() and rest[-1].lower().strip("()?.") in ROLE_END_WORDS:
            return [" ".join(words[: i + 1]), *_split_run_together(" ".join(rest))]
    return [piece]


def join_without_repeat(text: str, piece: str) -> tuple[str, str]:
    """Append piece to text, dropping words printed at both the end of text and the start of piece.

    >>> join_without_repeat("to deliver effective responses", "effective responses to risks")
    ('to deliver effective responses to risks', 'effective responses')
    """
    a, b = text.split(), piece.split()
    for k in range(min(len(a), len(b)), MIN_REPEAT_WORDS - 1, -1):
        if [w.lower() for w in a[-k:]] == [w.lower() for w in b[:k]]:
            return " ".join(a + b[k:]), " ".join(b[:k])
    return (f"{text} {piece}".strip(), "")


def join_cut(before: str, after: str) -> str:
    """Join a value cut by a row break; a word cut after its hyphen (`multi-` / `agency`) is rejoined."""
    if not before:
        return after
    if not after:
        return before
    return f"{before}{after}" if before.endswith("-") else f"{before} {after}"


def join_items(items: list[str], more: list[str]) -> None:
    """Extend items with more, in place; the first of more continues the last item (a row cut mid-phrase)."""
    if items and more:
        items[-1] = join_cut(items[-1], more[0])
        items.extend(more[1:])
    else:
        items.extend(more)


def distinct(values: Sequence[str]) -> list[str]:
    """The non-empty values, each once, in first-seen order."""
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen
