""" "Did you mean": when no action holds every word of a query, the query again with each word the index does not
hold replaced by the closest word it does (at most `MAX_EDITS` letters off, the commonest first), read from the
index's own words (`vocabulary` of each backend, once per open index).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from indexer.query_parser import FIELD_NAMES, FILTER_NAMES, OPERATORS

# A typed word: letters (and inner apostrophes or hyphens), after a field name and colon if any.
WORD = re.compile(r"(?<![\w*?~])([^\W\d_][^\W\d_'\-]*[^\W\d_])(?![\w*?~])")
MIN_CHARS = 4  # shorter words are too often a different word one letter off ("care", "core")
MAX_EDITS = 2  # letters added, dropped or changed; one for words under `LONG` letters
LONG = 9
CANDIDATES = 10


def suggest(query: str, vocabulary: Mapping[str, int]) -> tuple[str, ...]:
    """The query with its unknown words replaced by the closest words of `vocabulary` (word -> actions holding
    it), or nothing when every word is known or none has a close word.

    >>> words = {"advocacy": 12, "advocate": 3, "kinship": 6, "carers": 20}
    >>> suggest("advocasy for kinshp carers", words)
    ('advocacy for kinship carers',)
    >>> suggest("advocacy", words), suggest("zebra", words), suggest('"advocasy"~2 OR text:kinshipp', words)
    ((), (), ('"advocacy"~2 OR text:kinship',))
    """
    changed = False
    out: list[str] = []
    at = 0
    for match in WORD.finditer(query):
        word = match.group(1)
        lowered = word.lower()
        close = None
        known = lowered in vocabulary or word in OPERATORS or lowered in FIELD_NAMES or lowered in FILTER_NAMES
        if not known and len(word) >= MIN_CHARS and not query[match.end() :].startswith(":"):
            close = _closest(lowered, vocabulary)
        if close:
            out += [query[at : match.start()], close]
            at = match.end()
            changed = True
    out.append(query[at:])
    return ("".join(out),) if changed else ()


def _closest(word: str, vocabulary: Mapping[str, int]) -> str | None:
    """The commonest word of the vocabulary fewest letters from `word`, within `MAX_EDITS` (one under `LONG`)."""
    limit = MAX_EDITS if len(word) >= LONG else 1
    found = process.extract(word, vocabulary.keys(), scorer=Levenshtein.distance, score_cutoff=limit, limit=CANDIDATES)
    if not found:
        return None
    return min(found, key=lambda f: (f[1], -vocabulary[f[0]], f[0]))[0]
