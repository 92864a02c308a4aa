"""Synonym and acronym expansion of a parsed query: `equivalents()` merges `graphkit.vocab.SYNONYMS` and
`graphkit.vocab.ACRONYMS` into groups keyed by their stemmed words, and `expand` replaces each run of plain
words, or whole phrase, that spells a member of a group with a synonym node listing the group's other members
(each marked synonym or acronym), so the query also matches them, as phrases. Not used for `exact` queries.
"""

from __future__ import annotations

from functools import cache

from graphkit.vocab import ACRONYMS, SYNONYMS
from indexer.analysis import STEMMED, tokens
from indexer.query_parser import Leaf, Node


@cache
def equivalents() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Stemmed key of every synonym or acronym -> the members of its group. Groups that share a member are
    merged, so VHT = virtual head teacher (an acronym) = virtual headteacher = virtual HT (synonyms).

    >>> equivalents()[("sibl",)]
    ('siblings', 'brothers and sisters')
    >>> "care experienced children and young people" in equivalents()[("cecyp",)]
    True
    """
    groups: list[set[str]] = []
    pairs = [(a, (e,)) for a, e in ACRONYMS.items()] + list(SYNONYMS.items())
    for head, members in pairs:
        group = {head, *members}
        keys = {tuple(tokens(STEMMED, m)) for m in group}
        for other in [g for g in groups if keys & {tuple(tokens(STEMMED, m)) for m in g}]:
            group |= other
            groups.remove(other)
        groups.append(group)
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in groups:
        by_key: dict[tuple[str, ...], str] = {}
        for member in sorted(group, key=lambda m: (len(m), m)):  # the shortest spelling stands for its key
            by_key.setdefault(tuple(tokens(STEMMED, member)), member)
        by_key.pop((), None)
        for key in by_key:
            table[key] = tuple(by_key.values())
    return table


@cache
def _acronym_keys() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(tokens(STEMMED, a)) for a in ACRONYMS) | {
        tuple(tokens(STEMMED, m)) for k, v in SYNONYMS.items() for m in (k, *v) if m.isupper()
    }


def expand(node, exact: bool):
    """Replace runs of plain words (and whole phrases) that spell a synonym or acronym with synonym nodes."""
    if exact:
        return node
    if isinstance(node, Leaf):
        if node.kind == "phrase":
            members = equivalents().get(tuple(tokens(STEMMED, node.text)))
            if members:
                return Node("synonym", (node,), _others(members, node.text), node.field)
            return node
        return _synonym_runs((node,))[0]  # a lone word, as under NOT or OR
    if node.op == "and":
        return Node("and", _synonym_runs(tuple(c if _plain(c) else expand(c, exact) for c in node.children)))
    return Node(node.op, tuple(expand(c, exact) for c in node.children))


def _synonym_runs(children: tuple) -> tuple:
    out: list = []
    i = 0
    while i < len(children):
        span, members = _longest_run(children, i)
        if members:
            run = children[i : i + span]
            typed = " ".join(leaf.text for leaf in run)
            out.append(Node("synonym", (Node("and", run),), _others(members, typed), run[0].field))
            i += span
        else:
            out.append(children[i])
            i += 1
    return tuple(out)


def _longest_run(children: tuple, start: int) -> tuple[int, tuple[str, ...]]:
    """The longest run of plain words from `start` (in one field) whose stems are a synonym key, and its group."""
    first = children[start]
    if not _plain(first) or not tokens(STEMMED, first.text):
        return 0, ()
    stems: list[str] = []
    best: tuple[int, tuple[str, ...]] = (0, ())
    for end in range(start, min(len(children), start + 8)):
        leaf = children[end]
        if not _plain(leaf) or leaf.field != first.field:
            break
        words = tokens(STEMMED, leaf.text)
        stems += words
        members = equivalents().get(tuple(stems))
        if members and words:
            best = (end - start + 1, members)
    return best


def _plain(node) -> bool:
    return isinstance(node, Leaf) and node.kind == "word"


def _others(members: tuple[str, ...], typed: str) -> tuple[tuple[str, str], ...]:
    """The group's other members, each with how it relates to what was typed (acronym or synonym)."""
    key = tuple(tokens(STEMMED, typed))
    acronyms = _acronym_keys()
    return tuple(
        (text, "acronym" if key in acronyms or tuple(tokens(STEMMED, text)) in acronyms else "synonym")
        for text in members
        if tuple(tokens(STEMMED, text)) != key
    )
