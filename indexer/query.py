"""The search query language: analysis shared by index and query, parsing, synonym and acronym expansion.

A query is parsed here, by a small parser of our own, into a whoosh query object. whoosh's own parser is not
used: it raises IndexError on inputs such as ``NOT OR x`` or ``>R``, silently drops what it cannot read (an
unbalanced quote, ``year:``), accepts leading wildcards and unbounded fuzzy terms, and hides which typed word a
matched term came from. Every problem becomes a `BadQuery` whose
message says what to change. The language (also in the README's "Search" section)::

    trauma informed          every word must match (in any searchable field); words are stemmed
    "language of care"       a phrase; "care leavers"~2 allows up to 2 words in between
    a OR b   a AND b   NOT a   -a   (a OR b) c      operators are upper case
    text:  outcome:  progress:  owners: (owner:)  code:      one field only
    advoc*   chronolog?       wildcards, with at least 2 letters before the first * or ?
    advocasy~                one letter off (words of 4 letters or more, at most 3 such terms)

Unless `exact` is set, words and phrases that belong to a synonym group (`graphkit.vocab.SYNONYMS`) or an
acronym (`graphkit.vocab.ACRONYMS`) also match the other members of the group, as phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache

from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter2

from graphkit.errors import BadQuery
from graphkit.vocab import ACRONYMS, SYNONYMS

MAX_QUERY_CHARS = 500
MAX_TERMS = 24  # words and phrases in one query, before expansion
MAX_PATTERNS = 3  # wildcard and fuzzy words in one query: each is expanded over the whole vocabulary
MAX_DEPTH = 8  # nested parentheses
MIN_PATTERN_PREFIX = 2  # letters before the first wildcard, so a pattern never scans the whole vocabulary
FUZZY_MIN_CHARS = 4  # "care~" would match "core", "cars", "card": too loose below this
FUZZY_MAX_DISTANCE = 1
FUZZY_PREFIX = 2  # fuzzy variants keep the first two letters, which bounds the terms they expand to
MAX_SLOP = 10
EXPANSION_BOOST = 0.9  # a synonym's match ranks just below the typed word's (a phrase counts as one word)

OPERATORS = {"AND", "OR", "NOT"}
# What a person may put before a colon, and the field label it means.
FIELD_NAMES = {"text": "text", "outcome": "outcome", "progress": "progress", "owners": "owners", "owner": "owners"}
FIELD_NAMES |= {"code": "code"}
FILTER_NAMES = ("council", "year", "theme", "foundation", "plan", "pillar", "status", "document")

# Porter2 leaves some word families apart that these plans use interchangeably: exclusion/exclude,
# inclusion/include, decision/decide, provision/provide, experienced/experience. One recoding step after it,
# in the spirit of Lovins' recoding rules, joins them (whoosh's Lovins stemmer fails on some words).
STEM_RECODE = (("clus", "clud"), ("cis", "cid"), ("vis", "vid"), ("ienc", "i"))


def stem(word: str) -> str:
    """Porter2, then a recoding step that joins the -clusion/-clude style families.

    >>> [stem(w) for w in ("exclude", "exclusion", "excluded", "exclusions")]
    ['exclud', 'exclud', 'exclud', 'exclud']
    >>> stem("experienced") == stem("experience"), stem("decision") == stem("decide")
    (True, True)
    """
    root = porter2(word)
    for ending, replacement in STEM_RECODE:
        if root.endswith(ending) and len(root) - len(ending) >= 2:
            return root[: -len(ending)] + replacement
    return root


# Words: lower case, common words dropped, stemmed. Exact: lower case only. Codes: letters and numbers apart,
# so "SS_ICSAP_VIEW2" is the phrase ss icsap view 2 and "SAPP 10.3" keeps 10.3 whole; common words go, or
# "brothers and sisters" would need an "and" in the code, but one-letter codes ("P 1") stay.
STEMMED = RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=stem)
EXACT = RegexTokenizer() | LowercaseFilter()
CODE = RegexTokenizer(r"[^\W\d_]+|\d+(?:\.\d+)*") | LowercaseFilter() | StopFilter(minsize=1)


@dataclass(frozen=True, slots=True)
class SearchField:
    """A field a query searches: the index field, the name people use for it, its analyzer and ranking weight."""

    name: str
    label: str
    analyzer: object
    boost: float
    fuzzy: bool = False


# The action text counts most, then the outcome it serves; progress narratives are long and mention much in
# passing, so they count least. A code match is nearly always what was meant ("GC 10").
STEMMED_FIELDS = (
    SearchField("text", "text", STEMMED, 3.0, fuzzy=True),
    SearchField("outcome", "outcome", STEMMED, 1.5, fuzzy=True),
    SearchField("progress", "progress", STEMMED, 0.6, fuzzy=True),
    SearchField("owners", "owners", STEMMED, 1.0),
    SearchField("code", "code", CODE, 4.0),
)
EXACT_FIELDS = (
    SearchField("text_exact", "text", EXACT, 3.0, fuzzy=True),
    SearchField("outcome_exact", "outcome", EXACT, 1.5, fuzzy=True),
    SearchField("progress_exact", "progress", EXACT, 0.6, fuzzy=True),
    SearchField("owners_exact", "owners", EXACT, 1.0),
    SearchField("code", "code", CODE, 4.0),
)
FIELDS_BY_NAME = {f.name: f for f in STEMMED_FIELDS + EXACT_FIELDS}


def tokens(analyzer, text: str) -> list[str]:
    """The terms an analyzer makes of a text, in order.

    >>> tokens(STEMMED, "Brothers and Sisters"), tokens(CODE, "SS_IC SAP_VIEW2")
    (['brother', 'sister'], ['ss', 'ic', 'sap', 'view', '2'])
    """
    return [t.text for t in analyzer(text)]


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
            head = self.pattern[:FUZZY_PREFIX]
            return {t for t in matched if t[:FUZZY_PREFIX] == head and _within_one_edit(t, self.pattern)}
        return {t for t in matched if fnmatchcase(t, self.pattern)}


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A parsed query: the whoosh query to run, the terms it searches for, and probes to explain matches."""

    query: wq.Query
    terms: tuple[QueryTerm, ...]
    probes: tuple[Probe, ...]

    def explain(self, matched: dict[str, set[str]]) -> list[tuple[Probe, set[str]]]:
        """The probes that a hit's matched index terms (field -> terms) account for, with the terms of each."""
        found = [(p, p.found_in(matched.get(p.field, set()))) for p in self.probes if not p.term.negated]
        return [(p, terms) for p, terms in found if terms]


# --- parsing -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Leaf:
    kind: str  # word, phrase, prefix, wildcard, fuzzy
    text: str
    field: str | None = None
    slop: int = 1


@dataclass(frozen=True, slots=True)
class _Node:
    op: str  # and, or, not, synonym
    children: tuple
    alternatives: tuple[tuple[str, str], ...] = ()  # for synonym nodes: (text, via)
    field: str | None = None  # for synonym nodes: the field the typed words were limited to


TOKEN = re.compile(r'(?P<lp>\()|(?P<rp>\))|(?P<phrase>"[^"]*"(?:~\d*)?)|(?P<quote>")|(?P<word>[^\s()"]+)')
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2018": "'", "\u2019": "'"})


def clean_query(text: str) -> str:
    """Make any string safe to parse: no lone surrogates or control characters, curly quotes made straight.

    >>> clean_query("\u201cbrothers\\x00 and sis\\xadters\u201d\\u2028\\udcff")
    '"brothers and sisters" ?'
    """
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate (from undecodable argv) -> ?
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    # Format characters (soft hyphen, zero-width space) vanish; other controls and separators become spaces.
    text = "".join(
        "" if unicodedata.category(ch) == "Cf" else " " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text
    )
    return " ".join(text.split())


class _Parser:
    """Recursive descent over the tokens of one query: or-list of and-lists of (NOT) atoms."""

    def __init__(self, text: str) -> None:
        self.items: list[tuple[str, str, bool]] = []  # (kind, text, glued to the previous token)
        end = -1
        for m in TOKEN.finditer(text):
            kind = m.lastgroup or ""
            if kind == "quote":
                raise BadQuery('unbalanced quote: a phrase opened with " is never closed')
            self.items.append((kind, m.group(), m.start() == end))
            end = m.end()
        self.at = 0
        self.depth = 0
        self.leaves = 0
        self.patterns = 0

    def peek(self) -> tuple[str, str, bool] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def peek_op(self) -> str | None:
        item = self.peek()
        if item is None:
            return None
        if item[0] == "word" and item[1] in OPERATORS:
            return item[1]
        return item[0] if item[0] == "rp" else "term"

    def parse(self) -> _Node:
        node = self.or_list()
        if self.peek() is not None:  # only a ")" can stop the top-level list early
            raise BadQuery("unbalanced parenthesis: a ')' has no '(' before it")
        return node

    def or_list(self) -> _Node:
        branches = [self.and_list()]
        while self.peek_op() == "OR":
            self.at += 1
            if self.peek_op() in (None, "rp", "OR", "AND"):
                raise BadQuery("'OR' needs a word or phrase on both sides")
            branches.append(self.and_list())
        return branches[0] if len(branches) == 1 else _Node("or", tuple(branches))

    def and_list(self) -> _Node:
        parts: list = []
        while (op := self.peek_op()) not in (None, "rp", "OR"):
            if op == "AND":
                self.at += 1
                if not parts or self.peek_op() in (None, "rp", "OR", "AND"):
                    raise BadQuery("'AND' needs a word or phrase on both sides")
                continue
            parts.append(self.unary())
        if not parts:
            op = self.peek_op()
            raise BadQuery(
                "'OR' needs a word or phrase on both sides" if op == "OR" else "empty parentheses: put words inside"
            )
        return _Node("and", tuple(parts))

    def unary(self):
        if self.peek_op() == "NOT":
            self.at += 1
            if self.peek_op() in (None, "rp", "OR", "AND", "NOT"):
                raise BadQuery("'NOT' needs a word or phrase after it")
            return _Node("not", (self.atom(),))
        return self.atom()

    def atom(self, field: str | None = None):
        kind, text, _ = self.items[self.at]
        self.at += 1
        if kind == "lp":
            return self.group(field)
        if kind == "rp":  # pragma: no cover - and_list stops at ")"
            raise BadQuery("unbalanced parenthesis: a ')' has no '(' before it")
        if kind == "phrase":
            return self.phrase(text, field)
        return self.word(text, field)

    def group(self, field: str | None):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise BadQuery(f"too many nested parentheses (at most {MAX_DEPTH})")
        if self.peek_op() == "rp":
            raise BadQuery("empty parentheses: put words inside")
        node = self.or_list()
        if self.peek_op() != "rp":
            raise BadQuery("unbalanced parenthesis: a '(' is never closed")
        self.at += 1
        self.depth -= 1
        return node if field is None else _with_field(node, field)

    def count(self, leaf: _Leaf) -> _Leaf:
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            raise BadQuery(f"too many words: at most {MAX_TERMS} words and phrases in one query")
        if leaf.kind in ("prefix", "wildcard", "fuzzy"):
            self.patterns += 1
            if self.patterns > MAX_PATTERNS:
                raise BadQuery(f"too many wildcard or fuzzy words: at most {MAX_PATTERNS} in one query")
        return leaf

    def phrase(self, text: str, field: str | None) -> _Leaf:
        body, _, distance = text[1:].partition('"')
        slop = 1
        if distance[1:]:
            if int(distance[1:]) > MAX_SLOP:
                raise BadQuery(f'a phrase can allow at most {MAX_SLOP} words in between ("..."~{MAX_SLOP})')
            slop += int(distance[1:])
        return self.count(_Leaf("phrase", body.strip(), field, slop))

    def word(self, text: str, field: str | None):
        signs = len(text) - len(text.lstrip("-+"))
        if signs and signs < len(text):  # "-word" excludes, "+word" is a plain word; a run of signs counts once
            leaf = self.word(text[signs:], field)
            return _Node("not", (leaf,)) if text[0] == "-" else leaf
        name, colon, rest = text.partition(":")
        if colon and field is None and name.lower() in FIELD_NAMES:
            return self.fielded(FIELD_NAMES[name.lower()], name, rest)
        if colon and name.lower() in FILTER_NAMES:
            raise BadQuery(
                f"'{name}' is a filter, not a field to search: use the {name.lower()} filter "
                f"(--{name.lower()} on the command line)"
            )
        return self.pattern(text, field)

    def fielded(self, field: str, name: str, rest: str):
        if rest:
            return self.word(rest, field)
        nxt = self.peek()
        if nxt is None or not nxt[2] or nxt[0] not in ("phrase", "lp"):
            raise BadQuery(f"'{name}:' needs a word, a \"phrase\" or a (group) right after the colon")
        return self.atom(field)

    def pattern(self, text: str, field: str | None) -> _Leaf:
        text = text.rstrip("?")  # "Who Cares?" asks no wildcard: a trailing ? is punctuation
        if not text:
            return self.count(_Leaf("word", "", field))
        head, tilde, distance = text.rpartition("~")
        if tilde and head and (distance == "" or distance.isdigit()):
            if distance and int(distance) > FUZZY_MAX_DISTANCE:
                raise BadQuery(f"a fuzzy word can be at most {FUZZY_MAX_DISTANCE} letter off ('{head}~')")
            if distance == "0":
                return self.count(_Leaf("word", head, field))
            if "*" in head or "?" in head:
                raise BadQuery(f"'{text}' is both a wildcard and fuzzy: use one or the other")
            if not re.fullmatch(r"\w+", head):
                raise BadQuery(f"a fuzzy word can hold only letters and digits ('{text}')")
            if len(re.sub(r"\W", "", head)) < FUZZY_MIN_CHARS:
                raise BadQuery(f"a fuzzy word needs at least {FUZZY_MIN_CHARS} letters ('{text}')")
            return self.count(_Leaf("fuzzy", head, field))
        first = min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=-1)
        if first < 0:
            return self.count(_Leaf("word", text, field))
        if first == 0:
            raise BadQuery(
                f"'{text}' starts with a wildcard, which would scan every word: put at least "
                f"{MIN_PATTERN_PREFIX} letters first (or leave the query empty to list every action)"
            )
        if not re.fullmatch(r"[\w*?]+", text):
            raise BadQuery(f"a wildcard word can hold only letters, digits, * and ? ('{text}')")
        if first < MIN_PATTERN_PREFIX:
            raise BadQuery(f"put at least {MIN_PATTERN_PREFIX} letters before a wildcard ('{text}')")
        kind = "prefix" if text.endswith("*") and text.count("*") == 1 and "?" not in text else "wildcard"
        return self.count(_Leaf(kind, text.lower(), field))


def _with_field(node, field: str):
    if isinstance(node, _Leaf):
        return _Leaf(node.kind, node.text, field, node.slop)
    return _Node(node.op, tuple(_with_field(c, field) for c in node.children))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- synonyms and acronyms ----------------------------------------------------------------------------------


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


def _expand(node, exact: bool):
    """Replace runs of plain words (and whole phrases) that spell a synonym or acronym with synonym nodes."""
    if exact:
        return node
    if isinstance(node, _Leaf):
        if node.kind == "phrase":
            members = equivalents().get(tuple(tokens(STEMMED, node.text)))
            if members:
                return _Node("synonym", (node,), _others(members, node.text), node.field)
            return node
        return _synonym_runs((node,))[0]  # a lone word, as under NOT or OR
    if node.op == "and":
        return _Node("and", _synonym_runs(tuple(c if _plain(c) else _expand(c, exact) for c in node.children)))
    return _Node(node.op, tuple(_expand(c, exact) for c in node.children))


def _synonym_runs(children: tuple) -> tuple:
    out: list = []
    i = 0
    while i < len(children):
        span, members = _longest_run(children, i)
        if members:
            run = children[i : i + span]
            typed = " ".join(leaf.text for leaf in run)
            out.append(_Node("synonym", (_Node("and", run),), _others(members, typed), run[0].field))
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
    return isinstance(node, _Leaf) and node.kind == "word"


def _others(members: tuple[str, ...], typed: str) -> tuple[tuple[str, str], ...]:
    """The group's other members, each with how it relates to what was typed (acronym or synonym)."""
    key = tuple(tokens(STEMMED, typed))
    acronyms = _acronym_keys()
    return tuple(
        (text, "acronym" if key in acronyms or tuple(tokens(STEMMED, text)) in acronyms else "synonym")
        for text in members
        if tuple(tokens(STEMMED, text)) != key
    )


# --- building the whoosh query -----------------------------------------------------------------------------


class _Builder:
    def __init__(self, exact: bool) -> None:
        self.fields = EXACT_FIELDS if exact else STEMMED_FIELDS
        self.exact = exact
        self.terms: list[QueryTerm] = []
        self.probes: list[Probe] = []

    def build(self, node, negated: bool = False) -> wq.Query | None:
        if isinstance(node, _Leaf):
            return self.leaf(node, QueryTerm(node.text, node.kind, node.field, negated=negated))
        if node.op == "not":
            inner = self.build(node.children[0], not negated)
            return None if inner is None else wq.AndNot(wq.Every(), inner)
        if node.op == "synonym":
            typed = self.build(node.children[0], negated)
            if typed is None:
                return None
            expanded_from = _typed_text(node.children[0])
            options = [typed]
            for text, via in node.alternatives:
                kind = "phrase" if len(text.split()) > 1 else "word"
                term = QueryTerm(text, kind, node.field, expanded_from, via, negated)
                alternative = self.leaf(_Leaf("phrase", text, node.field), term, EXPANSION_BOOST)
                if alternative is not None:
                    options.append(alternative)
            return wq.Or(options)
        parts = [(c, self.build(c, negated)) for c in node.children]
        if node.op == "or":
            kept = [q for _, q in parts if q is not None]
            return wq.Or(kept) if len(kept) > 1 else (kept[0] if kept else None)
        # AND: negated children are subtracted, so "a NOT b" does not score every document without b
        wanted = [q for c, q in parts if q is not None and not _is_not(c)]
        unwanted = [q.b for c, q in parts if q is not None and _is_not(c)]
        base = wq.And(wanted) if len(wanted) > 1 else (wanted[0] if wanted else None)
        if unwanted:
            return wq.AndNot(base or wq.Every(), wq.Or(unwanted) if len(unwanted) > 1 else unwanted[0])
        return base

    def leaf(self, leaf: _Leaf, term: QueryTerm, boost: float = 1.0) -> wq.Query | None:
        fields = [f for f in self.fields if leaf.field is None or f.label == leaf.field]
        clauses: list[wq.Query] = []
        for field in fields:
            clause = self.clause(field, leaf, term, boost * field.boost)
            if clause is not None:
                clauses.append(clause)
        if not clauses:
            return None
        self.terms.append(term)
        return clauses[0] if len(clauses) == 1 else wq.Or(clauses)

    def clause(self, field: SearchField, leaf: _Leaf, term: QueryTerm, boost: float) -> wq.Query | None:
        name = field.name
        if leaf.kind in ("word", "phrase"):
            words = tokens(field.analyzer, leaf.text)
            if not words:
                return None
            if term.expanded_from:  # whoosh adds up a phrase's words: "who cares scotland" must not outrank "advocacy"
                boost /= len(words)
            self.probes.append(Probe(term, name, tuple(words), slop=leaf.slop))
            if len(words) == 1:
                return wq.Term(name, words[0], boost=boost)
            return wq.Phrase(name, words, slop=leaf.slop, boost=boost)
        if leaf.kind == "fuzzy":
            if not field.fuzzy:
                return None
            words = tokens(field.analyzer, leaf.text)
            if len(words) != 1 or len(words[0]) < FUZZY_MIN_CHARS:
                return None
            self.probes.append(Probe(term, name, pattern=words[0]))
            return wq.FuzzyTerm(
                name, words[0], boost=boost, maxdist=FUZZY_MAX_DISTANCE, prefixlength=FUZZY_PREFIX, constantscore=False
            )
        patterns = {leaf.text}
        if leaf.kind == "prefix" and field.analyzer is STEMMED:  # "advocacy*" must reach the stem "advocaci"
            patterns.add(stem(leaf.text[:-1]) + "*")
        options: list[wq.Query] = []
        for pattern in sorted(patterns):
            self.probes.append(Probe(term, name, pattern=pattern))
            if leaf.kind == "prefix":
                options.append(wq.Prefix(name, pattern[:-1], boost=boost))
            else:
                options.append(wq.Wildcard(name, pattern, boost=boost))
        return options[0] if len(options) == 1 else wq.Or(options)


def _is_not(node) -> bool:
    return isinstance(node, _Node) and node.op == "not"


def _typed_text(node) -> str:
    return " ".join(leaf.text for leaf in _leaves(node))


def _leaves(node) -> Iterator[_Leaf]:
    if isinstance(node, _Leaf):
        yield node
    else:
        for child in node.children:
            yield from _leaves(child)


def compile_query(text: str, *, exact: bool = False) -> CompiledQuery:
    """Parse a query as a person typed it into a whoosh query; an empty query matches every action.

    Parameters
    ----------
    text
        The query, any string at all.
    exact
        Search the exact words only: no stemming, no synonyms or acronyms.

    Returns
    -------
    CompiledQuery
        The whoosh query, the terms searched for (typed and expanded) and probes to explain matches.

    Raises
    ------
    BadQuery
        With the reason, for a query that is too long, malformed, too costly or has nothing to search for.

    Examples
    --------
    >>> [(t.text, t.expanded_from) for t in compile_query("siblings").terms]
    [('siblings', None), ('brothers and sisters', 'siblings')]
    >>> compile_query("NOT OR x")
    Traceback (most recent call last):
    ...
    graphkit.errors.BadQuery: 'NOT' needs a word or phrase after it
    """
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed")
    cleaned = clean_query(text)
    if not cleaned:
        return CompiledQuery(wq.Every(), (), ())
    tree = _expand(_Parser(cleaned).parse(), exact)
    builder = _Builder(exact)
    built = builder.build(tree)
    if built is None:
        raise BadQuery(
            f"nothing to search for in {cleaned[:60]!r}: it holds only common words (and, the, of, ...) or punctuation"
        )
    return CompiledQuery(built, tuple(builder.terms), tuple(builder.probes))
