"""Two texts compared word by word, and the words several texts share, for showing duplicates side by side.

Words are compared case-blind and without their punctuation, so "Children's" and "children's," are one word;
the pieces keep the words and spaces as printed, so joining one side's pieces gives that text back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from graphkit.terms import STOP_WORDS, stem

_TOKEN = re.compile(r"\S+\s*")
_KEY = re.compile(r"[^\w']+")


@dataclass(frozen=True, slots=True)
class DiffPiece:
    """A run of words: in both texts (`same`), only in the first (`only_a`) or only in the second (`only_b`).

    A `same` run may be printed differently in the two ("Support" and "support,"): `text` is as the first text
    prints it and `text_b` as the second does.
    """

    op: str
    text: str
    text_b: str | None = None

    def in_b(self) -> str:
        return self.text if self.text_b is None else self.text_b


@dataclass(frozen=True, slots=True)
class Marked:
    """A run of a text: `shared` when its word is one the other texts share."""

    text: str
    shared: bool = False


def _tokens(text: str) -> list[str]:
    lead = text[: len(text) - len(text.lstrip())]
    tokens = _TOKEN.findall(text)
    if lead and tokens:
        tokens[0] = lead + tokens[0]
    return tokens


def _key(token: str) -> str:
    return _KEY.sub("", token.casefold())


def word_diff(a: str, b: str) -> tuple[DiffPiece, ...]:
    """The pieces of `a` and `b` in order: shared runs once, then what only `a` has, then what only `b` has.

    >>> [(p.op, p.text) for p in word_diff("Offer advocacy to children.", "offer independent advocacy to young people")]
    [('same', 'Offer '), ('only_b', 'independent '), ('same', 'advocacy to '), ('only_a', 'children.'), \
('only_b', 'young people')]
    """
    ta, tb = _tokens(a), _tokens(b)
    matcher = SequenceMatcher(None, [_key(t) for t in ta], [_key(t) for t in tb], autojunk=False)
    pieces: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("same", "".join(ta[i1:i2]), "".join(tb[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(DiffPiece("only_a", "".join(ta[i1:i2])))
        if j2 > j1:
            pieces.append(DiffPiece("only_b", "".join(tb[j1:j2])))
    return tuple(pieces)


def side(pieces: Iterable[DiffPiece], which: str) -> list[tuple[str, str]]:
    """One text's runs as (op, text), as that text prints them (`which` is "a" or "b"); joined, they give it back.

    >>> "".join(text for _, text in side(word_diff("Offer advocacy.", "offer more advocacy"), "b"))
    'offer more advocacy'
    """
    if which == "a":
        return [(p.op, p.text) for p in pieces if p.op in ("same", "only_a")]
    return [(p.op, p.in_b()) for p in pieces if p.op in ("same", "only_b")]


def _stems(text: str) -> set[str]:
    return {stem(k) for k in (_key(t) for t in _tokens(text)) if k and k not in STOP_WORDS and not k.isdigit()}


def shared_stems(texts: Sequence[str]) -> frozenset[str]:
    """The stems of the content words every text holds (stop words and numbers left out).

    >>> sorted(shared_stems(["Offer advocacy to children", "Advocacy offered for all children and families"]))
    ['advocaci', 'children', 'offer']
    """
    if not texts:
        return frozenset()
    common = _stems(texts[0])
    for text in texts[1:]:
        common &= _stems(text)
    return frozenset(common)


def mark_shared(text: str, stems: frozenset[str]) -> tuple[Marked, ...]:
    """`text` in runs, each word whose stem is in `stems` marked as shared.

    >>> [(m.text, m.shared) for m in mark_shared("Offer advocacy now", frozenset({"advocaci"}))]
    [('Offer ', False), ('advocacy', True), (' now', False)]
    """
    out: list[Marked] = []
    for token in _tokens(text):
        word = token.rstrip()
        key = _key(word)
        if key and stem(key) in stems:
            # the mark covers the word, not its trailing space or punctuation
            core = re.match(r"^(\W*)(.*?)(\W*)$", word)
            assert core is not None
            before, middle, after = core.groups()
            out += [Marked(before), Marked(middle, True), Marked(after + token[len(word) :])]
        else:
            out.append(Marked(token))
    merged: list[Marked] = []
    for piece in out:
        if not piece.text:
            continue
        if merged and merged[-1].shared == piece.shared and not piece.shared:
            merged[-1] = Marked(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return tuple(merged)
