"""Terms for comparing actions: acronyms expanded, synonyms folded into one concept, words stemmed.

Two plans rarely say a thing in the same words: "600 hours for LAC 2 year olds" (2015) and "a nursery place for
care experienced 2-5 year-olds" (2021) are one commitment. `terms` turns a text into comparable terms so that a
weighted term model (graphkit.linking) can see that; `surface` turns a term back into words a person reads.
"""

from __future__ import annotations

import itertools
import re
import threading
from functools import cache

# the standard library's own regular-expression parser (re's, since Python 3.11): `_opening_pattern` reads
# the concepts' patterns with it, so that what it derives cannot disagree with them
from re._constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT
from re._parser import parse

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from graphkit.vocab import ACRONYMS

# Paraphrases that mean one thing in these plans, each folded into one concept term (written `~name`). A
# pattern is a regular expression over lower-cased text with acronyms already expanded; the first word of the
# label is what a person sees as the shared term. Only meanings the plans actually use: "pathway" alone has
# five senses (DOMAIN.md), so only the aftercare "pathway plan" is folded.
CONCEPTS: tuple[tuple[str, str, str], ...] = (
    ("care-experienced", "care experienced", r"care[\s-]*experienced?|looked[\s-]+after(?:\s+and\s+accommodated)?"),
    ("siblings", "siblings / brothers and sisters", r"siblings?|brothers?\s+(?:and|or|&)\s+sisters?"),
    (
        "early-learning",
        "nursery / early learning",
        r"nurser(?:y|ies)|early\s+learning(?:\s+and\s+childcare)?|600\s+hours|pre-?school",
    ),
    ("toddlers", "2 year olds", r"(?:age\s+)?2\s*(?:-\s*5\s*)?(?:\+|year[\s-]*olds?)"),
    ("advocacy", "advocacy / advocate", r"advoca\w*|who\s+cares\??(?:\s+scotland)?|children'?s\s+rights\s+officer"),
    ("exclusion", "exclusion", r"exclu(?:sion|sions|ded|de|des|ding)"),
    (
        "trauma-informed",
        "trauma informed",
        r"trauma[\s-]*informed|readiness\s+for\s+(?:practice|caring|learning)|R4[LP]",
    ),
    ("pathway-planning", "pathway planning", r"pathway\s+(?:plan\w*|co-?ordinat\w*)"),
    (
        "leaving-care",
        "leaving care / care leavers",
        r"care\s+leavers?|leaving\s+care|throughcare|aftercare|continuing\s+care",
    ),
    ("childs-plan", "child's plan", r"child'?s'?\s+plans?|single\s+plan|children\s+and\s+young\s+peoples?'?\s+plans?"),
    (
        "views",
        "children's views",
        r"(?:children'?s|young\s+persons?'?|young\s+people'?s)\s+views|views\s+of\s+children",
    ),
    ("virtual-headteacher", "virtual headteacher", r"virtual\s+(?:school\s+)?h(?:ead\s*)?t(?:eacher)?s?"),
    ("respite", "respite / short breaks", r"respite|short\s+breaks?"),
    ("risk-assessment", "risk assessment", r"risk\s+assessments?|national\s+risk\s+assessment\s+framework|nr(?:af|fa)"),
    (
        "self-evaluation",
        "self-evaluation / audit",
        r"self[\s-]*evaluat\w*|audits?|dip\s+sampl\w*|sampling\s+for\s+quality",
    ),
    ("substance-use", "substance use", r"substance\s+(?:mis)?use|alcohol\s+and\s+drugs?"),
    ("domestic-abuse", "domestic abuse", r"domestic\s+abuse|safe\s+(?:and|&)\s+together|violence\s+against\s+women"),
    (
        "employability",
        "employability / jobs",
        r"employab\w*|employment|apprenticeships?|job\s+ready|guaranteed\s+interview",
    ),
    (
        "destinations",
        "positive destinations",
        r"positive\s+(?:leaver\s+)?destinations?|school\s+leaver\s+destination\s+return",
    ),
    ("corporate-parenting", "corporate parenting", r"corporate\s+parent\w*|parenting\s+promise"),
    (
        "learning-review",
        "learning reviews",
        r"learning\s+reviews?|significant\s+case\s+reviews?|initial\s+case\s+reviews?|ICRs?|SCRs?",
    ),
    ("named-person", "named person", r"named\s+persons?'?s?"),
    ("kinship", "kinship carers", r"kinship"),
    ("viewpoint", "Viewpoint", r"view\s?point"),  # the children's views tool, also printed "View Point"
    ("foster", "foster carers", r"foster(?:ing|\s+carers?)?"),
)

# Plan boilerplate that says nothing about what a commitment is about.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "ensure", "will", "continue", "e.g", "eg", "etc", "including", "include", "new", "use", "used", "using",
    "appropriate", "relevant", "key", "clear", "place", "within", "across", "areas", "area", "level", "levels",
}  # fmt: skip

_WORD = re.compile(r"~[a-z-]+|[a-z0-9]+(?:'[a-z]+)?")  # "children's" is one word; a quote mark is not
# A snowball stemmer keeps the word it is stemming in itself, so one shared by the web server's threads mixed two
# words up (an IndexError under concurrent requests): each thread has its own.
_STEMMERS = threading.local()


@cache
def _concept_pattern() -> re.Pattern[str]:
    alternatives = (f"(?P<c{i}>{pattern})" for i, (_, _, pattern) in enumerate(CONCEPTS))
    return re.compile(r"(?<![\w~])(?:" + "|".join(alternatives) + r")(?!\w)", re.I)


@cache
def _opening_pattern() -> re.Pattern[str] | None:
    """Where a concept may start: a word start followed by a lower-case word one of which every match of some
    concept starts with (None: some concept has no such words).

    The words are read from the parsed patterns, so they cannot disagree with them ("siblings?|brothers?..."
    opens with "sibling" or "brother"). `fold_concepts` then tries the concepts only where a word opens like one,
    instead of at every character: that halves the time `terms` takes.
    """
    openings = [_openings(list(parse(pattern, re.I))) for _, _, pattern in CONCEPTS]
    if any(o is None for o in openings):
        return None
    words = sorted({w for found in openings for w in found}, key=lambda w: (-len(w), w))
    return re.compile(r"(?<![\w~])(?:" + "|".join(re.escape(w) for w in words) + ")")


def _openings(items: list) -> tuple[str, ...] | None:
    if not items:
        return None
    op, value = items[0]
    if op is LITERAL:
        prefix = "".join(chr(v) for _, v in itertools.takewhile(lambda item: item[0] is LITERAL, items))
        return (prefix.lower(),) if re.fullmatch(r"\w+", prefix) else None
    if op is BRANCH:
        found = [_openings(list(alternative)) for alternative in value[1]]
        return None if any(f is None for f in found) else tuple(o for f in found for o in f)
    if op in (MAX_REPEAT, MIN_REPEAT):
        least, _, repeated = value
        first = _openings(list(repeated))
        if least:
            return first
        rest = _openings(items[1:])  # the repeated part may be missing: the match starts with what follows
        return None if first is None or rest is None else first + rest
    return None


def _concept_starts(text: str) -> list[int] | None:
    """Where a concept may start in a text (None: anywhere). A text with letters beyond ASCII may hold one that
    case-folds to an opening ("ı" matches "i" when case is ignored), and its lower case may be longer."""
    openings = _opening_pattern()
    if openings is None or (not text.isascii() and any(c.isalpha() for c in text if ord(c) > 127)):
        return None
    return [m.start() for m in openings.finditer(text.lower())]


@cache
def _acronym_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(sorted(ACRONYMS, key=len, reverse=True)) + r")s?\b")


def expand_acronyms(text: str) -> str:
    """Write out the acronyms of graphkit.vocab.ACRONYMS (matched in capitals only).

    >>> expand_acronyms("All CECYP to have a VHT")
    'All care experienced children and young people to have a virtual head teacher'
    """
    return _acronym_pattern().sub(lambda m: ACRONYMS[m.group(1)], text)


def fold_concepts(text: str) -> str:
    """Put each paraphrase's concept term before it, keeping the words (they still match literally).

    >>> fold_concepts("brothers and sisters in nursery")
    '~siblings brothers and sisters in ~early-learning nursery'
    """

    def concept(match: re.Match[str]) -> str:
        index = int(match.lastgroup[1:])
        return f" ~{CONCEPTS[index][0]} {match.group(0)} "

    pattern = _concept_pattern()
    starts = _concept_starts(text)
    if starts is None:
        return " ".join(pattern.sub(concept, text).split())
    pieces, done = [], 0
    for start in starts:  # as `pattern.sub` finds them, scanning from the left, where a concept may start
        match = pattern.match(text, start) if start >= done else None
        if match:
            pieces += [text[done:start], concept(match)]
            done = match.end()
    return " ".join("".join([*pieces, text[done:]]).split())


@cache
def stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def terms(text: str | None) -> list[str]:
    """The comparable terms of a text: acronyms expanded, concepts folded, stop words dropped, words stemmed.

    >>> terms("Implementation of the 600 hours for LAC 2 year olds.")
    ['implement', '~early-learning', 'hour', '~care-experienced', 'look', 'children', '~toddlers', 'year', 'old']
    >>> terms("We will ensure all eligible care experienced 2-5 year-olds are offered a nursery place")[:6]
    ['elig', '~care-experienced', 'care', 'experienc', '~toddlers', 'year']
    """
    if not text:
        return []
    folded = fold_concepts(expand_acronyms(text)).lower().replace("\u2019", "'")
    return [term for term in map(_term, _WORD.findall(folded)) if term]


@cache
def _term(word: str) -> str:
    """The term of one lower-case word ("" for a stop word, a number or a word of one or two letters)."""
    if word.startswith("~"):
        return word
    word = word.removesuffix("'s")
    if word in STOP_WORDS or len(word) < 3 or word.isdigit():
        return ""
    return stem(word)


@cache
def _one_concept(term: str) -> re.Pattern[str] | None:
    pattern = next((pattern for name, _, pattern in CONCEPTS if name == term[1:]), None)
    return re.compile(r"(?<![\w~])(?:" + pattern + r")(?!\w)", re.I) if pattern else None


def concept_words(term: str, text: str | None) -> str | None:
    """The words of a text that a concept term stands for, as printed (or as its acronyms are written out);
    None when the text does not say it.

    >>> concept_words("~early-learning", "Implementation of the 600 hours for LAC 2 year olds.")
    '600 hours'
    >>> concept_words("~care-experienced", "Implementation of the 600 hours for LAC 2 year olds.")
    'looked after'
    """
    pattern = _one_concept(term) if term.startswith("~") else None
    if pattern is None or not text:
        return None
    found = pattern.search(text) or pattern.search(expand_acronyms(text))
    return " ".join(found.group(0).split()) if found else None


def concept_label(term: str) -> str | None:
    """The readable label of a concept term, None for a plain stem.

    >>> concept_label("~siblings"), concept_label("chronolog")
    ('siblings / brothers and sisters', None)
    """
    if not term.startswith("~"):
        return None
    return next((label for name, label, _ in CONCEPTS if name == term[1:]), term[1:])
