"""The second tier of a search, so a query with few or no complete matches does not dead-end: the actions that
hold some of the query's parts (its words, phrases or synonym groups: `CompiledQuery.groups`), or that are tagged
with a theme the query names (`indexer.themes.theme_spans`: "participation" names Voice and participation,
"foster carers" Foster, kinship and adoptive carers), and not every part.

`broaden` builds that tier as one query tree any backend runs: each part scores `PART_WEIGHT` when an action
holds it, or holds a theme the part names, plus BM25 over the part's words the action holds and over the words
that tagged it with a named theme, so the actions holding more parts rank first and, among those, the words that
do match order them. The actions holding every part (the first tier) and anything the query excludes (NOT) are
left out. It also ranks the first tier: a match tagged with a named theme, or holding the typed words near each
other, ranks higher. `--exact` has neither: exact words only, every one of them, ranked by BM25.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis import STEMMED_FIELDS, tokens
from indexer.query import AllOf, AnyOf, CompiledQuery, Constant, Everything, Maybe, Phrase, QueryNode, Term, Without
from indexer.search_backend import OWN_THEME
from indexer.themes import theme_spans

# What holding one part of the query adds to a second-tier score: more than any BM25 sum of a short query, so the
# number of parts held ranks first. `part_score` takes it off again for the score shown.
PART_WEIGHT = 1000.0
# The weight of BM25 over the words that tagged an action with a theme the query names (those of its own text
# counting double: `indexer.search_backend.IndexedAction.own_themes`): among the actions holding as many parts,
# those most about the theme rank first.
THEME_WORDS_BOOST = 2.0
# What an action holding every part adds when it is tagged with a theme the query names: among the first tier,
# "participation" in a participation action ranks above the word in passing.
THEME_AGREEMENT = 3.0
# How near the typed words must be, in a first-tier match, to rank it higher: at most NEAR - 1 words between each
# two ("children and young people's plans" for "child's plan").
NEAR = 4


@dataclass(frozen=True, slots=True)
class Broadened:
    """The second tier of a query: its query tree, how many parts the query has, and the themes it names (slugs,
    in the taxonomy's order)."""

    query: QueryNode
    parts: int
    themes: tuple[str, ...]
    first: QueryNode  # the first tier's query: every part, higher for a named theme or the words near each other


def named_themes(compiled: CompiledQuery) -> list[list[str]]:
    """The themes each part of the query names, part by part: a theme's term or label that overlaps the part's
    words in the query as typed (so "positive destinations", two parts, names attainment and destinations in
    both)."""
    starts, at = [], 0
    for text, _ in compiled.groups:
        starts.append(at)
        at += len(text) + 1
    typed = " ".join(text for text, _ in compiled.groups)
    named: list[list[str]] = [[] for _ in compiled.groups]
    for slug, start, end in theme_spans(typed):
        for i, (text, _) in enumerate(compiled.groups):
            if starts[i] < end and start < starts[i] + len(text) and slug not in named[i]:
                named[i].append(slug)
    return named


def broaden(compiled: CompiledQuery, exact: bool = False) -> Broadened | None:
    """The second tier of a compiled query, or None when it has none: with `exact`, for an empty query, and for a
    one-part query that names no theme (its matches are all in the first tier).

    >>> from indexer.query import compile_query
    >>> broad = broaden(compile_query("care leavers housing"))
    >>> broad.parts, broad.themes
    (2, ('leaving-care', 'housing'))
    >>> broaden(compile_query("chronologies")).themes, broaden(compile_query("advocacy"), exact=True)
    (('chronologies',), None)
    """
    if exact or isinstance(compiled.query, Everything) or not compiled.groups:
        return None
    named = named_themes(compiled)
    if len(compiled.groups) < 2 and not any(named):
        return None
    held: list[QueryNode] = []  # what a second-tier match holds: a part, or a theme it names
    ranking: list[QueryNode] = []  # what orders the matches holding as many parts
    for (_, built), themes in zip(compiled.groups, named, strict=True):
        tagged = [Term("theme", slug) for slug in themes]
        held.append(Constant(AnyOf((built, *tagged)) if tagged else built, PART_WEIGHT))
        ranking += [loosen(built), *(Term(OWN_THEME, slug, THEME_WORDS_BOOST) for slug in themes)]
    excluded = compiled.query if compiled.excluded is None else AnyOf((compiled.query, compiled.excluded))
    themes = tuple(dict.fromkeys(slug for slugs in named for slug in slugs))
    second = Maybe(AnyOf(tuple(held)), AnyOf(tuple(ranking)))
    agree: list[QueryNode] = [Constant(Term("theme", slug), THEME_AGREEMENT) for slug in themes]
    agree += adjacent(compiled.words)
    agree += [Term(OWN_THEME, slug, THEME_WORDS_BOOST) for slug in themes]
    first = Maybe(compiled.query, AnyOf(tuple(agree))) if agree else compiled.query
    return Broadened(Without(second, excluded), len(compiled.groups), themes, first)


def loosen(node: QueryNode) -> QueryNode:
    """A part's query with its phrases and ANDs opened up: an action holding some of the part's words scores BM25
    over those ("continuing care" for "care leavers" scores for care).

    >>> loosen(Phrase("text", ("care", "leaver"), 1, 3.0))
    AnyOf(children=(Term(field='text', text='care', boost=1.5), Term(field='text', text='leaver', boost=1.5)))
    """
    match node:
        case Phrase(field, words, _, boost):
            return AnyOf(tuple(Term(field, w, boost / len(words)) for w in words))
        case AllOf(children) | AnyOf(children):
            return AnyOf(tuple(loosen(c) for c in children))
        case Without(base, _):
            return loosen(base)
    return node


def adjacent(words: tuple[str, ...]) -> list[QueryNode]:
    """The typed words near each other (`NEAR`) in a text field, as a phrase scored as one (none for one word).

    >>> adjacent(("family", "support"))[0]
    Phrase(field='text', words=('famili', 'support'), slop=4, boost=3.0)
    """
    found: list[QueryNode] = []
    for field in STEMMED_FIELDS:
        terms = tokens(field.analyzer, " ".join(words))
        if field.fuzzy and len(terms) > 1:  # the fields of prose (not owners or codes)
            found.append(Phrase(field.name, tuple(terms), NEAR, field.boost))
    return found


def part_score(score: float) -> tuple[int, float]:
    """A second-tier score as (parts held, BM25 over the words held).

    >>> part_score(2012.5)
    (2, 12.5)
    """
    held = int(score // PART_WEIGHT)
    return held, score - held * PART_WEIGHT
