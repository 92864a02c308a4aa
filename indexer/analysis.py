"""How text becomes index terms, shared by the index and the queries: the stemmer (Porter2 plus a recoding
step), the three analyzers (stemmed words, exact words, codes), `tokens`, and the searchable fields with their
ranking weights (`SearchField`, `STEMMED_FIELDS`, `EXACT_FIELDS`, `FIELDS_BY_NAME`), and two fast paths that give
exactly what the analyzers give, from one regular expression pass: `index_terms` (a text's exact and stemmed
terms, for writing an index) and `term_spans` (terms with their places, for showing a hit). No parsing and no
queries here: the whoosh backend builds its schema from these analyzers, the tantivy backend indexes the terms they
make, and `indexer.query` searches these fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter2

# Porter2 leaves some word families apart that these plans use interchangeably: exclusion/exclude,
# inclusion/include, decision/decide, provision/provide, experienced/experience. One recoding step after it,
# in the spirit of Lovins' recoding rules, joins them (whoosh's Lovins stemmer fails on some words).
STEM_RECODE = (("clus", "clud"), ("cis", "cid"), ("vis", "vid"), ("ienc", "i"))
# Plurals Porter2 does not undo, and the plans write both ways ("the child's plan", "children's plans").
IRREGULAR = {"children": "child", "childrens": "child", "women": "woman", "men": "man"}


def stem(word: str) -> str:
    """Porter2, then a recoding step that joins the -clusion/-clude style families.

    >>> [stem(w) for w in ("exclude", "exclusion", "excluded", "exclusions")]
    ['exclud', 'exclud', 'exclud', 'exclud']
    >>> stem("experienced") == stem("experience"), stem("decision") == stem("decide")
    (True, True)
    """
    if word in IRREGULAR:
        return IRREGULAR[word]
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
STEM_CACHE = 100_000  # distinct words whose stems `index_terms` remembers (the five plans hold about 5,000)
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


_WORD = RegexTokenizer().expression  # what EXACT and STEMMED take as a word
_STOP = StopFilter()  # what STEMMED drops
_cached_stem = lru_cache(maxsize=STEM_CACHE)(stem)


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """The terms `EXACT` and `STEMMED` make of a text, in order, from one pass over it: three times faster than
    running both analyzers, for writing an index of many actions (tests check it against the analyzers).

    >>> index_terms("Brothers and Sisters, e.g. siblings")
    (['brothers', 'and', 'sisters', 'e.g', 'siblings'], ['brother', 'sister', 'e.g', 'sibl'])
    """
    exact = [m.group().lower() for m in _WORD.finditer(text)]
    stops, shortest = _STOP.stops, _STOP.min
    return exact, [_cached_stem(w) for w in exact if len(w) >= shortest and w not in stops]


def term_spans(analyzer, text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of each term an analyzer makes of a text, in order, as ``analyzer(text, chars=True)``
    gives them; for `EXACT` and `STEMMED` from one regular expression pass (tests check it against the analyzers).

    >>> term_spans(STEMMED, "The advocates, e.g. VHT"), term_spans(CODE, "GC 10")
    ([(4, 13, 'advoc'), (15, 18, 'e.g'), (20, 23, 'vht')], [(0, 2, 'gc'), (3, 5, '10')])
    """
    if analyzer is EXACT:
        return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    if analyzer is STEMMED:
        stops, shortest = _STOP.stops, _STOP.min
        spans = []
        for m in _WORD.finditer(text):
            word = m.group().lower()
            if len(word) >= shortest and word not in stops:
                spans.append((m.start(), m.end(), _cached_stem(word)))
        return spans
    return [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True)]
