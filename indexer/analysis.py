"""How text becomes index terms, shared by the index and the queries: the stemmer (Porter2 plus a recoding
step), the three analyzers (stemmed words, exact words, codes), `tokens`, and the searchable fields with their
ranking weights (`SearchField`, `STEMMED_FIELDS`, `EXACT_FIELDS`, `FIELDS_BY_NAME`). No parsing and no whoosh
queries here: `indexer.search` builds its SCHEMA from these analyzers, and `indexer.query` searches these fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter2

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
