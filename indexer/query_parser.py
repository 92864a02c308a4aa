"""The query language's parser: `clean_query` makes any string safe to read, and `QueryParser` reads it into
a tree of `Leaf` (word, phrase, prefix, wildcard, fuzzy) and `Node` (and, or, not, synonym) by recursive descent,
enforcing the limits that keep a query cheap (`MAX_TERMS`, `MAX_PATTERNS`, `MAX_DEPTH`, ...); synonym expansion
of the tree is in `indexer.expansion`, and turning it into a whoosh query in `indexer.query`. whoosh's own parser
is not used: it raises IndexError on inputs such as ``NOT OR x`` or ``>R``, silently drops what it cannot read
(an unbalanced quote, ``year:``), accepts leading wildcards and unbounded fuzzy terms, and hides which typed word
a matched term came from. Every problem becomes a `BadQuery` whose message says what to change. The language
(also in the README's "Search" section)::

    trauma informed          every word must match (in any searchable field); words are stemmed
    "language of care"       a phrase; "care leavers"~2 allows up to 2 words in between
    a OR b   a AND b   NOT a   -a   (a OR b) c      operators are upper case
    text:  outcome:  progress:  owners: (owner:)  code:      one field only
    advoc*   chronolog?       wildcards, with at least 2 letters before the first * or ?
    advocasy~                one letter off (words of 4 letters or more, at most 3 such terms)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graphkit.errors import BadQuery

MAX_QUERY_CHARS = 500
MAX_TERMS = 24  # words and phrases in one query, before expansion
MAX_PATTERNS = 3  # wildcard and fuzzy words in one query: each is expanded over the whole vocabulary
MAX_DEPTH = 8  # nested parentheses
MIN_PATTERN_PREFIX = 2  # letters before the first wildcard, so a pattern never scans the whole vocabulary
FUZZY_MIN_CHARS = 4  # "care~" would match "core", "cars", "card": too loose below this
FUZZY_MAX_DISTANCE = 1
MAX_SLOP = 10

OPERATORS = {"AND", "OR", "NOT"}
# What a person may put before a colon, and the field label it means.
FIELD_NAMES = {"text": "text", "outcome": "outcome", "progress": "progress", "owners": "owners", "owner": "owners"}
FIELD_NAMES |= {"code": "code"}
FILTER_NAMES = ("council", "year", "theme", "foundation", "plan", "pillar", "status", "document")


@dataclass(frozen=True, slots=True)
class Leaf:
    kind: str  # word, phrase, prefix, wildcard, fuzzy
    text: str
    field: str | None = None
    slop: int = 1


@dataclass(frozen=True, slots=True)
class Node:
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


class QueryParser:
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

    def parse(self) -> Node:
        node = self.or_list()
        if self.peek() is not None:  # only a ")" can stop the top-level list early
            raise BadQuery("unbalanced parenthesis: a ')' has no '(' before it")
        return node

    def or_list(self) -> Node:
        branches = [self.and_list()]
        while self.peek_op() == "OR":
            self.at += 1
            if self.peek_op() in (None, "rp", "OR", "AND"):
                raise BadQuery("'OR' needs a word or phrase on both sides")
            branches.append(self.and_list())
        return branches[0] if len(branches) == 1 else Node("or", tuple(branches))

    def and_list(self) -> Node:
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
        return Node("and", tuple(parts))

    def unary(self):
        if self.peek_op() == "NOT":
            self.at += 1
            if self.peek_op() in (None, "rp", "OR", "AND", "NOT"):
                raise BadQuery("'NOT' needs a word or phrase after it")
            return Node("not", (self.atom(),))
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

    def count(self, leaf: Leaf) -> Leaf:
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            raise BadQuery(f"too many words: at most {MAX_TERMS} words and phrases in one query")
        if leaf.kind in ("prefix", "wildcard", "fuzzy"):
            self.patterns += 1
            if self.patterns > MAX_PATTERNS:
                raise BadQuery(f"too many wildcard or fuzzy words: at most {MAX_PATTERNS} in one query")
        return leaf

    def phrase(self, text: str, field: str | None) -> Leaf:
        body, _, distance = text[1:].partition('"')
        slop = 1
        if distance[1:]:
            if int(distance[1:]) > MAX_SLOP:
                raise BadQuery(f'a phrase can allow at most {MAX_SLOP} words in between ("..."~{MAX_SLOP})')
            slop += int(distance[1:])
        return self.count(Leaf("phrase", body.strip(), field, slop))

    def word(self, text: str, field: str | None):
        signs = len(text) - len(text.lstrip("-+"))
        if signs and signs < len(text):  # "-word" excludes, "+word" is a plain word; a run of signs counts once
            leaf = self.word(text[signs:], field)
            return Node("not", (leaf,)) if text[0] == "-" else leaf
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

    def pattern(self, text: str, field: str | None) -> Leaf:
        text = text.rstrip("?")  # "Who Cares?" asks no wildcard: a trailing ? is punctuation
        if not text:
            return self.count(Leaf("word", "", field))
        head, tilde, distance = text.rpartition("~")
        if tilde and head and (distance == "" or distance.isdigit()):
            if distance and int(distance) > FUZZY_MAX_DISTANCE:
                raise BadQuery(f"a fuzzy word can be at most {FUZZY_MAX_DISTANCE} letter off ('{head}~')")
            if distance == "0":
                return self.count(Leaf("word", head, field))
            if "*" in head or "?" in head:
                raise BadQuery(f"'{text}' is both a wildcard and fuzzy: use one or the other")
            if not re.fullmatch(r"\w+", head):
                raise BadQuery(f"a fuzzy word can hold only letters and digits ('{text}')")
            if len(re.sub(r"\W", "", head)) < FUZZY_MIN_CHARS:
                raise BadQuery(f"a fuzzy word needs at least {FUZZY_MIN_CHARS} letters ('{text}')")
            return self.count(Leaf("fuzzy", head, field))
        first = min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=-1)
        if first < 0:
            return self.count(Leaf("word", text, field))
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
        return self.count(Leaf(kind, text.lower(), field))


def _with_field(node, field: str):
    if isinstance(node, Leaf):
        return Leaf(node.kind, node.text, field, node.slop)
    return Node(node.op, tuple(_with_field(c, field) for c in node.children))
