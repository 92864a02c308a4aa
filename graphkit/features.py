"""What linking compares, per action and for all actions at once: the term model (TF-IDF over
`graphkit.terms`, also entry by entry and note by note), theme and owner specificity, and the foundation,
pillar and code matrices; plus the words a person reads for a term. No scoring here (graphkit.linking).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from graphkit.owners import owner_roles
from graphkit.records import Action
from graphkit.terms import concept_label, expand_acronyms, stem, terms
from graphkit.workers import collector_paused, fork_map, usable_workers
from indexer.fields import code_key
from indexer.themes import theme_occurs

CONTEXT_PROGRESS_WEIGHT = 0.5  # progress notes ramble; the outcome says what the action is for
OUTCOME_THEME_WEIGHT = 0.5  # a theme found only in the outcome (e.g. a 2015 inspection area) counts half
ITEM_MIN_TERMS = 3  # shorter entries ("Pilot", "Complete") match anything
# From this many actions the work is spread over several processes (unless told how many): an action's terms
# take about 1 ms, against some 0.2 s to start the processes and send the terms back.
PARALLEL_FROM = 500
TERMS_CHUNK = 500  # actions sent to a worker at once

# "GC 4", and "BC & GC 4 (3)" (BC 3's progress citing GC 4): the prefix nearest the number counts
_CODE_MENTION = re.compile(r"\b(?:[A-Z]{1,5}\s*&\s*)?([A-Z]{1,5})\s*(\d{1,2}(?:\.\d{1,2})?)\b")


def title_of(action: Action) -> str | None:
    """The short title some plans print beside an action (2015 Covalent cells: "Joint working")."""
    return next((note[len("title: ") :] for note in action.notes if note.startswith("title: ")), None)


def _stemmed_words(text: str) -> Iterator[tuple[str, str]]:
    """Each word of a text (acronyms written out, lower case) with its stem, as `graphkit.terms` stems it."""
    for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", expand_acronyms(text).lower()):
        yield stem(word.removesuffix("'s")), word


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _owner_keys(action: Action) -> dict[str, str]:
    """Owner roles, comparable across plans (graphkit.owners): slug -> label; people are scoped to a council."""
    return {role.slug: role.label for role in owner_roles(action)}


@dataclass(frozen=True, slots=True)
class Items:
    """Normalised term vectors of the items of all actions; `owner[k]` is item k's action, and the items
    of action i are rows `start[i]` to `start[i + 1]`."""

    matrix: csr_matrix
    owner: np.ndarray
    start: np.ndarray

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, docs: list[list[str]], owner: list[int], n: int) -> Items:
        width = len(vectorizer.get_feature_names_out())
        matrix = normalize(vectorizer.transform(docs)) if docs else csr_matrix((0, width))
        owners = np.array(owner, dtype=int)
        return cls(matrix, owners, np.searchsorted(owners, np.arange(n + 1)))


@dataclass(frozen=True, slots=True)
class ActionTerms:
    """What one action brings to the term model: the terms of its text, entries, notes, outcome and progress,
    its theme weights and owner keys, its flattened text and progress, and the (stem, word) pairs of its text."""

    text: list[str]
    items: list[list[str]]
    notes: list[list[str]]
    outcome: list[str]
    progress: list[str]
    themes: dict[str, float]
    owners: dict[str, str]
    flat_text: str
    flat_progress: str
    surface: list[tuple[str, str]]


def action_terms(action: Action) -> ActionTerms:
    """The terms and keys of one action (no corpus statistics: those come once every action has its terms).

    >>> from graphkit.records import Action, Source
    >>> a = Action("d:1", "d", "p", "C", 2020, (2020, 2021), None, None, "Review chronologies. Audit case files.",
    ...            None, (), None, None, None, "unknown", None, None, None, (), None, False, (), (),
    ...            Source("d", "f", 1))
    >>> found = action_terms(a)
    >>> found.text
    ['review', 'chronolog', '~self-evaluation', 'audit', 'case', 'file']
    >>> found.items  # entries of fewer than ITEM_MIN_TERMS terms match anything: left out
    [['~self-evaluation', 'audit', 'case', 'file']]
    """
    seen: dict[str, list[str]] = {}  # an action's text is often its only entry: its terms are worked out once

    def terms_of(text: str | None) -> list[str]:
        if not text:
            return []
        found = seen.get(text)
        if found is None:
            found = seen[text] = terms(text)
        return found

    main = " ".join(filter(None, (title_of(action), action.text or action.progress)))
    items = [terms_of(item) for item in entries(action.text or action.progress)]
    notes = [terms_of(note) for note in entries(action.progress if action.text else None)]
    return ActionTerms(
        text=terms_of(main),
        items=[words for words in items if len(words) >= ITEM_MIN_TERMS],
        notes=[words for words in notes if len(words) >= ITEM_MIN_TERMS],
        outcome=terms_of(action.outcome),
        progress=terms_of(action.progress) if action.text else [],
        themes=_theme_weights(action),
        owners=_owner_keys(action),
        flat_text=" ".join(expand_acronyms(action.text or "").lower().split()),
        flat_progress=" ".join((action.progress or "").lower().split()),
        surface=list(_stemmed_words(main)),
    )


def _theme_weights(action: Action) -> dict[str, float]:
    """The action's themes, 1 when its own text names the theme, OUTCOME_THEME_WEIGHT when only its outcome does."""
    if not action.themes:
        return {}
    text = " ".join((action.text or action.progress or "").split())
    # only the action's own themes are checked, not the whole taxonomy: a fifth of a large corpus's feature time
    return {t: 1.0 if theme_occurs(t, text) else OUTCOME_THEME_WEIGHT for t in action.themes}


def _terms_of_range(actions: Sequence[Action], rows: tuple[int, int]) -> list[ActionTerms]:
    return [action_terms(a) for a in actions[rows[0] : rows[1]]]


class Features:
    """The features of every action of one corpus (the term weights depend on all of them).

    `workers` processes share the work (default: the usable cores from PARALLEL_FROM actions, see
    `graphkit.workers`; one below).
    """

    def __init__(self, actions: Sequence[Action], workers: int | None = None) -> None:
        with collector_paused():
            self._extract(actions, workers)

    def _extract(self, actions: Sequence[Action], workers: int | None) -> None:
        self.actions = list(actions)
        n = len(self.actions)
        self.workers = usable_workers(workers) if workers is not None or n >= PARALLEL_FROM else 1
        self._surface: dict[str, Counter[str]] = defaultdict(Counter)
        self._own_words: dict[int, dict[str, str]] = {}
        self._passages: dict[int, dict[tuple[str, ...], list[int]]] = {}
        clock = time.perf_counter()
        ranges = [(k, min(k + TERMS_CHUNK, n)) for k in range(0, n, TERMS_CHUNK)]
        workers = self.workers if n >= PARALLEL_FROM else 1
        found = [t for part in fork_map(_terms_of_range, ranges, workers, self.actions) for t in part]
        terms_done = time.perf_counter()
        text_docs, item_docs, item_owner, note_docs, note_owner = [], [], [], [], []
        for i, t in enumerate(found):
            for stemmed, word in t.surface:
                self._surface[stemmed][word] += 1
            text_docs.append(t.text)
            item_docs += t.items
            item_owner += [i] * len(t.items)
            note_docs += t.notes
            note_owner += [i] * len(t.notes)
        outcome_docs = [t.outcome for t in found]
        progress_docs = [t.progress for t in found]
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm=None)
        # the extra one-term document gives a corpus whose actions have no words at all a vocabulary
        vectorizer.fit(text_docs + outcome_docs + progress_docs + [["~"]])
        self.vocabulary = vectorizer.get_feature_names_out()
        self.text = normalize(vectorizer.transform(text_docs))
        self.items = Items.of(vectorizer, item_docs, item_owner, n)
        # progress notes sentence by sentence: "Relaunch of View Point and training" meets "Roll of Viewpoint
        # training so that children views are sought"
        self.notes = Items.of(vectorizer, note_docs, note_owner, n)
        self.context = normalize(
            vectorizer.transform(outcome_docs) + CONTEXT_PROGRESS_WEIGHT * vectorizer.transform(progress_docs)
        )

        self.themes = [t.themes for t in found]
        frequency = Counter(t for weights in self.themes for t in weights)
        top = math.log(1 + n)
        # a theme's specificity: 1 for a theme only this action has, near 0 for one that every action has
        self.specificity = {t: math.log((1 + n) / df) / top for t, df in frequency.items()}
        self.owners = [t.owners for t in found]
        owner_frequency = Counter(k for keys in self.owners for k in keys)
        self.owner_specificity = {k: math.log((1 + n) / df) / top for k, df in owner_frequency.items()}
        self.flat_text = [t.flat_text for t in found]
        self.flat_progress = [t.flat_progress for t in found]
        self.term_of = self.vocabulary.tolist()
        self.is_concept = np.array([t.startswith("~") for t in self.term_of], dtype=bool)
        self.label_of = [concept_label(t) for t in self.term_of]  # a concept's label, None for a word
        self._commonest: dict[str, str] = {}
        self.cited = self._code_citations()
        self.cited_pairs = self.cited_keys()
        self.matrices = self._feature_matrices()
        self.foundation_sizes = np.asarray(self.matrices["foundations"].sum(axis=1)).ravel()
        self.document = _numbered([a.document for a in self.actions])
        # the same code printed in two documents; -1: no code
        self.code = np.where([bool(a.code) for a in self.actions], _numbered([a.code for a in self.actions]), -1)
        self.inferred = np.array([a.foundations_inferred for a in self.actions], dtype=bool)
        self.timings = {"terms": terms_done - clock, "term model": time.perf_counter() - terms_done}
        self.counts: dict[str, int] = {}  # what linking handled (graphkit.linking)
        self.candidate_bars = np.zeros(0)  # per action, set by the candidate search (graphkit.candidates)
        self.has = {
            "text": np.ones(n, dtype=bool),  # a pair with no words at all scores 0, not 0/0
            "context": np.diff(self.context.indptr) > 0,
            "themes": np.array([bool(t) for t in self.themes], dtype=bool),
            "owner": np.array([bool(o) for o in self.owners], dtype=bool),
            "foundation": np.array([bool(a.foundations) for a in self.actions], dtype=bool),
            "pillar": np.array([bool(a.pillar) for a in self.actions], dtype=bool),
        }

    # -- features -------------------------------------------------------------------------------------------

    def surface(self, term: str, action: int | None = None) -> str:
        """Words a person reads for a term: a concept's label, else the word as the action prints it (so
        "informal" is not shown as "information", another word with the same stem), else the commonest."""
        label = concept_label(term)
        if label is not None:
            return label
        own = self._words_of(action) if action is not None else {}
        return own.get(term) or self.commonest(term)

    def commonest(self, term: str) -> str:
        """The word the corpus's texts print most often for a stemmed term (the first seen, on a tie)."""
        word = self._commonest.get(term)
        if word is None:
            seen = self._surface.get(term)
            word = self._commonest[term] = seen.most_common(1)[0][0] if seen else term
        return word

    def _words_of(self, i: int) -> dict[str, str]:
        words = self._own_words.get(i)
        if words is None:
            a = self.actions[i]
            words = {}
            for stemmed, word in _stemmed_words(" ".join(filter(None, (title_of(a), a.text, a.outcome, a.progress)))):
                words.setdefault(stemmed, word)
            self._own_words[i] = words
        return words

    def _code_citations(self) -> dict[int, set[int]]:
        """Which actions cite another action's code in their text or progress, within one document."""
        by_code: dict[tuple[str, str], int] = {}
        for i, action in enumerate(self.actions):
            if action.code:
                by_code[(action.document, code_key(action.code))] = i
        cited: dict[int, set[int]] = defaultdict(set)
        for i, action in enumerate(self.actions):
            for field in (action.text, action.progress):
                for prefix, number in _CODE_MENTION.findall(field or ""):
                    j = by_code.get((action.document, f"{prefix}{number}"))
                    if j is not None and j != i:
                        cited[i].add(j)
        return cited

    def _feature_matrices(self) -> dict[str, csr_matrix]:
        """Sparse matrices whose row products give the theme, owner, foundation and pillar signals."""
        n = len(self.actions)

        def one_hot(keys_per_action: list, weight=lambda key, i: 1.0) -> csr_matrix:
            index: dict = {}
            rows, cols, values = [], [], []
            for i, keys in enumerate(keys_per_action):
                for key in keys:
                    rows.append(i)
                    cols.append(index.setdefault(key, len(index)))
                    values.append(weight(key, i))
            return csr_matrix((values, (rows, cols)), shape=(n, max(len(index), 1)))

        # theme products sum w_a * w_b * specificity over shared themes
        themes = one_hot(self.themes, lambda t, i: self.themes[i][t] * math.sqrt(self.specificity[t]))
        return {
            "themes": themes,
            "owners": one_hot(self.owners, lambda key, i: math.sqrt(self.owner_specificity[key])),
            "foundations": one_hot([a.foundations for a in self.actions]),
            "pillars": one_hot([[a.pillar] if a.pillar else [] for a in self.actions]),
        }

    def cited_keys(self) -> np.ndarray:
        """The pairs (i, j) where one action cites the other's code, as sorted keys i * n + j, both ways round."""
        n = len(self.actions)
        keys = [k for i, cited in self.cited.items() for j in cited for k in (i * n + j, j * n + i)]
        return np.unique(np.array(keys, dtype=np.int64))


def _numbered(values: Sequence[object]) -> np.ndarray:
    """Each value's number, in order of first appearance: equal values get equal numbers."""
    numbers: dict[object, int] = {}
    return np.array([numbers.setdefault(v, len(numbers)) for v in values], dtype=np.int64)


def row_of(matrix: csr_matrix, i: int) -> dict[int, float]:
    """Row i of a CSR matrix as {column: value}, read straight from its arrays (getrow builds a matrix)."""
    lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
    return dict(zip(matrix.indices[lo:hi].tolist(), matrix.data[lo:hi].tolist(), strict=True))


def entries(text: str | None) -> list[str]:
    """The entries of an action that lists several: table cells joined with " | ", numbered points, sentences."""
    if not text:
        return []
    parts = re.split(r"\s*\|\s*|(?:^|\s)\d{1,2}[.)]\s+(?=[A-Z])|(?<=[a-z][.;])\s+(?=[A-Z])", text)
    return [p for p in parts if p and p.strip()]
