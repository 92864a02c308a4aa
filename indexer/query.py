"""Compiling a query as a person typed it into a query any search backend can run: `compile_query` cleans and
parses it (`indexer.query_parser`), expands synonyms and acronyms (`indexer.expansion`) unless `exact` is set, and
builds a small query tree over the searchable fields (`indexer.analysis`): `Term`, `Phrase`, `Fuzzy`, `Pattern`,
`AnyOf`, `AllOf`, `Without` and `Everything`, with field and synonym boosts in place. Each backend turns the tree
into its own query (`indexer.whoosh_backend`, `indexer.tantivy_backend`), so both search for the same terms with
the same weights. Every term searched for is kept (`QueryTerm`, typed or expanded) with a `Probe` per term and
field, so `CompiledQuery.explain` can tell which query terms a hit matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from graphkit.errors import BadQuery
from indexer.analysis import EXACT_FIELDS, STEMMED, STEMMED_FIELDS, SearchField, stem, tokens
from indexer.expansion import expand
from indexer.query_parser import (
    FUZZY_MIN_CHARS,
    MAX_QUERY_CHARS,
    Leaf,
    Node,
    QueryParser,
    clean_query,
)

FUZZY_PREFIX = 2  # fuzzy variants keep the first two letters, which bounds the terms they expand to
EXPANSION_BOOST = 0.9  # a synonym's match ranks just below the typed word's (a phrase counts as one word)


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One word, phrase or pattern the query searches for, as typed or as expanded.

    `kind` is word, phrase, prefix, wildcard or fuzzy; `field` is the one field it is limited to (None: all);
    `expanded_from` is the typed words it stands in for and `via` says how (synonym or acronym).
    """

    text: str
    kind: str
    field: str | None = None
    expanded_from: str | None = None
    via: str | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Probe:
    """The index terms one QueryTerm searches for in one field: a word or phrase (`tokens`, in order) or a
    wildcard or fuzzy `pattern`. Used to tell, from a hit's matched terms, which query terms it matched."""

    term: QueryTerm
    field: str
    tokens: tuple[str, ...] = ()
    pattern: str | None = None
    slop: int = 1

    def found_in(self, matched: set[str]) -> set[str]:
        """The matched index terms (of this field) this probe accounts for; a phrase needs all its words."""
        if self.pattern is None:
            return set(self.tokens) if set(self.tokens) <= matched else set()
        if self.term.kind == "fuzzy":
            return set(fuzzy_variants(self.pattern, matched))
        return {t for t in matched if fnmatchcase(t, self.pattern)}


# --- the query tree every backend runs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One index term in one field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Index terms in order in one field; `slop` 1 means next to each other, n allows n - 1 words between each."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Fuzzy:
    """Every index term of a field one edit from `text` that keeps its first `FUZZY_PREFIX` letters (scored as
    the terms themselves)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Pattern:
    """Every index term of a field that `pattern` matches (``*`` any letters, ``?`` one); `prefix` when the one
    ``*`` ends it. Every match scores the same."""

    field: str
    pattern: str
    prefix: bool
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Documents matching any child, scored by the sum of the children they match."""

    children: tuple[QueryNode, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """Documents matching every child, scored by the sum."""

    children: tuple[QueryNode, ...]


@dataclass(frozen=True, slots=True)
class Without:
    """Documents matching `base` but not `excluded`, scored by `base`."""

    base: QueryNode
    excluded: QueryNode


@dataclass(frozen=True, slots=True)
class Everything:
    """Every document, all scored alike (an empty query lists them in plan order)."""


@dataclass(frozen=True, slots=True)
class Constant:
    """Documents matching `child`, each scored `score` whatever its terms weigh (a filter term inside scores too)."""

    child: QueryNode
    score: float


@dataclass(frozen=True, slots=True)
class Maybe:
    """Documents matching `required`, scored by it plus `optional` where they match that too."""

    required: QueryNode
    optional: QueryNode


QueryNode = Term | Phrase | Fuzzy | Pattern | AnyOf | AllOf | Without | Everything | Constant | Maybe


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A parsed query: the query tree to run, the terms it searches for, and probes to explain matches."""

    query: QueryNode
    terms: tuple[QueryTerm, ...]
    probes: tuple[Probe, ...]
    # The parts every match must hold, as typed and as built (the words, phrases or bracketed groups of a query
    # whose top is AND; the whole query otherwise), and what it excludes (NOT): what `indexer.broaden` loosens.
    groups: tuple[tuple[str, QueryNode], ...] = ()
    excluded: QueryNode | None = None
    # The typed words in order, when the query is words and phrases in any field (and NOTs): a first-tier match
    # holding them next to each other ranks higher (`indexer.broaden`).
    words: tuple[str, ...] = ()

    def explain(self, matched: dict[str, set[str]]) -> list[tuple[Probe, set[str]]]:
        """The probes that a hit's matched index terms (field -> terms) account for, with the terms of each."""
        found = [(p, p.found_in(matched.get(p.field, set()))) for p in self.probes if not p.term.negated]
        return [(p, terms) for p, terms in found if terms]


def fuzzy_variants(text: str, words: Iterable[str]) -> list[str]:
    """The words that a fuzzy query term matches: at most one letter added, dropped or changed (no swaps, as in
    whoosh's automaton), with the first `FUZZY_PREFIX` letters kept.

    >>> fuzzy_variants("advocasy", ["advocacy", "advocates", "adovcacy", "bdvocasy", "advocasy"])
    ['advocacy', 'advocasy']
    """
    head = text[:FUZZY_PREFIX]
    return [w for w in words if w[:FUZZY_PREFIX] == head and _within_one_edit(w, text)]


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- building the query tree ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, exact: bool) -> None:
        self.fields = EXACT_FIELDS if exact else STEMMED_FIELDS
        self.exact = exact
        self.terms: list[QueryTerm] = []
        self.probes: list[Probe] = []

    def build(self, node, negated: bool = False) -> QueryNode | None:
        if isinstance(node, Leaf):
            return self.leaf(node, QueryTerm(node.text, node.kind, node.field, negated=negated))
        if node.op == "not":
            inner = self.build(node.children[0], not negated)
            return None if inner is None else Without(Everything(), inner)
        if node.op == "synonym":
            typed = self.build(node.children[0], negated)
            if typed is None:
                return None
            expanded_from = _typed_text(node.children[0])
            options = [typed]
            for text, via in node.alternatives:
                kind = "phrase" if len(text.split()) > 1 else "word"
                term = QueryTerm(text, kind, node.field, expanded_from, via, negated)
                alternative = self.leaf(Leaf("phrase", text, node.field), term, EXPANSION_BOOST)
                if alternative is not None:
                    options.append(alternative)
            return AnyOf(tuple(options))
        parts = [(c, self.build(c, negated)) for c in node.children]
        if node.op == "or":
            kept = [q for _, q in parts if q is not None]
            return AnyOf(tuple(kept)) if len(kept) > 1 else (kept[0] if kept else None)
        return _conjunction(parts)[0]

    def leaf(self, leaf: Leaf, term: QueryTerm, boost: float = 1.0) -> QueryNode | None:
        fields = [f for f in self.fields if leaf.field is None or f.label == leaf.field]
        clauses: list[QueryNode] = []
        for field in fields:
            clause = self.clause(field, leaf, term, boost * field.boost)
            if clause is not None:
                clauses.append(clause)
        if not clauses:
            return None
        self.terms.append(term)
        return clauses[0] if len(clauses) == 1 else AnyOf(tuple(clauses))

    def clause(self, field: SearchField, leaf: Leaf, term: QueryTerm, boost: float) -> QueryNode | None:
        name = field.name
        if leaf.kind in ("word", "phrase"):
            words = tokens(field.analyzer, leaf.text)
            if not words:
                return None
            if term.expanded_from:  # a phrase scores about the sum of its words: "who cares scotland" must not
                boost /= len(words)  # outrank "advocacy"
            self.probes.append(Probe(term, name, tuple(words), slop=leaf.slop))
            if len(words) == 1:
                return Term(name, words[0], boost)
            return Phrase(name, tuple(words), leaf.slop, boost)
        if leaf.kind == "fuzzy":
            if not field.fuzzy:
                return None
            words = tokens(field.analyzer, leaf.text)
            if len(words) != 1 or len(words[0]) < FUZZY_MIN_CHARS:
                return None
            self.probes.append(Probe(term, name, pattern=words[0]))
            return Fuzzy(name, words[0], boost)
        patterns = {leaf.text}
        if leaf.kind == "prefix" and field.analyzer is STEMMED:  # "advocacy*" must reach the stem "advocaci"
            patterns.add(stem(leaf.text[:-1]) + "*")
        options: list[QueryNode] = []
        for pattern in sorted(patterns):
            self.probes.append(Probe(term, name, pattern=pattern))
            options.append(Pattern(name, pattern, leaf.kind == "prefix", boost))
        return options[0] if len(options) == 1 else AnyOf(tuple(options))


def _conjunction(parts: list[tuple[object, QueryNode | None]]) -> tuple[QueryNode | None, QueryNode | None]:
    """The query of an AND of built parts (parse node, built query), and what it excludes. Negated parts are
    subtracted, so "a NOT b" does not score every document without b."""
    wanted = [q for c, q in parts if q is not None and not _is_not(c)]
    unwanted = [q.excluded for c, q in parts if isinstance(q, Without) and _is_not(c)]
    base = AllOf(tuple(wanted)) if len(wanted) > 1 else (wanted[0] if wanted else None)
    if unwanted:
        excluded = AnyOf(tuple(unwanted)) if len(unwanted) > 1 else unwanted[0]
        return Without(base or Everything(), excluded), excluded
    return base, None


def _is_not(node) -> bool:
    return isinstance(node, Node) and node.op == "not"


def _typed_text(node) -> str:
    return " ".join(leaf.text for leaf in _leaves(node))


def _leaves(node) -> Iterator[Leaf]:
    if isinstance(node, Leaf):
        yield node
    else:
        for child in node.children:
            yield from _leaves(child)


def compile_query(text: str, *, exact: bool = False) -> CompiledQuery:
    """Parse a query as a person typed it into a query tree; an empty query matches every action.

    Parameters
    ----------
    text
        The query, any string at all.
    exact
        Search the exact words only: no stemming, no synonyms or acronyms.

    Returns
    -------
    CompiledQuery
        The query tree, the terms searched for (typed and expanded) and probes to explain matches.

    Raises
    ------
    BadQuery
        With the reason, for a query that is too long, malformed, too costly or has nothing to search for.

    Examples
    --------
    >>> [(t.text, t.expanded_from) for t in compile_query("siblings").terms]
    [('siblings', None), ('brothers and sisters', 'siblings')]
    >>> compile_query("code:gc -code:x").query
    Without(base=Term(field='code', text='gc', boost=4.0), excluded=Term(field='code', text='x', boost=4.0))
    >>> compile_query("NOT OR x")
    Traceback (most recent call last):
    ...
    graphkit.errors.BadQuery: 'NOT' needs a word or phrase after it
    """
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed")
    cleaned = clean_query(text)
    if not cleaned:
        return CompiledQuery(Everything(), (), ())
    tree = expand(QueryParser(cleaned).parse(), exact)
    builder = _Builder(exact)
    words: tuple[str, ...] = ()
    if isinstance(tree, Node) and tree.op == "and":
        parts = [(c, builder.build(c)) for c in tree.children]
        built, excluded = _conjunction(parts)
        groups = tuple((_typed_text(c), q) for c, q in parts if q is not None and not _is_not(c))
        wanted = [c for c in tree.children if not _is_not(c)]
        if all(leaf.kind in ("word", "phrase") and leaf.field is None for c in wanted for leaf in _leaves(c)):
            words = tuple(w for c in wanted for leaf in _leaves(c) for w in leaf.text.split())
    else:
        built, excluded = builder.build(tree), None
        groups = () if built is None or _is_not(tree) else ((_typed_text(tree), built),)
    if built is None:
        raise BadQuery(
            f"nothing to search for in {cleaned[:60]!r}: it holds only common words (and, the, of, ...) or punctuation"
        )
    return CompiledQuery(built, tuple(builder.terms), tuple(builder.probes), groups, excluded, words)
