"""What linking compares, per action and for all actions at once: the term model (TF-IDF over
`graphkit.terms`, also entry by entry and note by note), theme and owner specificity, and the foundation,
pillar and code matrices; plus the words a person reads for a term. No scoring here (graphkit.linking).
"""

from __future__ import annotations

import math
import re
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
from indexer.fields import code_key
from indexer.themes import tag_themes

CONTEXT_PROGRESS_WEIGHT = 0.5  # progress notes ramble; the outcome says what the action is for
OUTCOME_THEME_WEIGHT = 0.5  # a theme found only in the outcome (e.g. a 2015 inspection area) counts half
ITEM_MIN_TERMS = 3  # shorter entries ("Pilot", "Complete") match anything

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


class Features:
    """The features of every action of one corpus (the term weights depend on all of them)."""

    def __init__(self, actions: Sequence[Action]) -> None:
        self.actions = list(actions)
        n = len(self.actions)
        self._surface: dict[str, Counter[str]] = defaultdict(Counter)
        self._own_words: dict[int, dict[str, str]] = {}
        text_docs, item_docs, item_owner, note_docs, note_owner = [], [], [], [], []
        for i, action in enumerate(self.actions):
            main = " ".join(filter(None, (title_of(action), action.text or action.progress)))
            self._remember_surface(main)
            text_docs.append(terms(main))
            for item in entries(action.text or action.progress):
                words = terms(item)
                if len(words) >= ITEM_MIN_TERMS:
                    item_docs.append(words)
                    item_owner.append(i)
            for note in entries(action.progress if action.text else None):
                words = terms(note)
                if len(words) >= ITEM_MIN_TERMS:
                    note_docs.append(words)
                    note_owner.append(i)
        outcome_docs = [terms(a.outcome) for a in self.actions]
        progress_docs = [terms(a.progress) if a.text and a.progress else [] for a in self.actions]
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
        self.themes = [self._theme_weights(a) for a in self.actions]
        frequency = Counter(t for weights in self.themes for t in weights)
        top = math.log(1 + n)
        # a theme's specificity: 1 for a theme only this action has, near 0 for one that every action has
        self.specificity = {t: math.log((1 + n) / df) / top for t, df in frequency.items()}
        self.owners = [_owner_keys(a) for a in self.actions]
        owner_frequency = Counter(k for keys in self.owners for k in keys)
        self.owner_specificity = {k: math.log((1 + n) / df) / top for k, df in owner_frequency.items()}
        self.flat_text = [" ".join(expand_acronyms(a.text or "").lower().split()) for a in self.actions]
        self.flat_progress = [" ".join((a.progress or "").lower().split()) for a in self.actions]
        self.cited = self._code_citations()
        self._features = self._feature_matrices()
        self.has = {
            "text": np.ones(n, dtype=bool),  # a pair with no words at all scores 0, not 0/0
            "context": np.diff(self.context.indptr) > 0,
            "themes": np.array([bool(t) for t in self.themes], dtype=bool),
            "owner": np.array([bool(o) for o in self.owners], dtype=bool),
            "foundation": np.array([bool(a.foundations) for a in self.actions], dtype=bool),
            "pillar": np.array([bool(a.pillar) for a in self.actions], dtype=bool),
        }

    # -- features -------------------------------------------------------------------------------------------

    def _remember_surface(self, text: str) -> None:
        for stemmed, word in _stemmed_words(text):
            self._surface[stemmed][word] += 1

    def surface(self, term: str, action: int | None = None) -> str:
        """Words a person reads for a term: a concept's label, else the word as the action prints it (so
        "informal" is not shown as "information", another word with the same stem), else the commonest."""
        label = concept_label(term)
        if label is not None:
            return label
        own = self._words_of(action) if action is not None else {}
        seen = self._surface.get(term)
        return own.get(term) or (seen.most_common(1)[0][0] if seen else term)

    def _words_of(self, i: int) -> dict[str, str]:
        words = self._own_words.get(i)
        if words is None:
            a = self.actions[i]
            words = {}
            for stemmed, word in _stemmed_words(" ".join(filter(None, (title_of(a), a.text, a.outcome, a.progress)))):
                words.setdefault(stemmed, word)
            self._own_words[i] = words
        return words

    @staticmethod
    def _theme_weights(action: Action) -> dict[str, float]:
        in_text = {t.theme for t in tag_themes(action.text or action.progress)}
        return {t: 1.0 if t in in_text else OUTCOME_THEME_WEIGHT for t in action.themes}

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
        """Sparse matrices whose row products give the theme, owner, foundation, pillar and code signals."""
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
        pairs = [(i, j) for i, cited in self.cited.items() for j in cited]
        pairs += [(j, i) for i, j in pairs]
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, action in enumerate(self.actions):
            if action.code:
                by_code[action.code].append(i)
        pairs += [
            (i, j)
            for same in by_code.values()
            for i in same
            for j in same
            if self.actions[i].document != self.actions[j].document
        ]
        return {
            "themes": themes,
            "owners": one_hot(self.owners, lambda key, i: math.sqrt(self.owner_specificity[key])),
            "foundations": one_hot([a.foundations for a in self.actions]),
            "pillars": one_hot([[a.pillar] if a.pillar else [] for a in self.actions]),
            "codes": csr_matrix((np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(n, n)),
        }

    # -- signals for a block of rows ----------------------------------------------------------------------------


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
