"""The signals of pairs of actions (each 0-1) and their blend, vectorised over a list of pairs; `Signals`, one
pair's signals with the shared items behind each.

A pair list (left[k], right[k]) is scored with row-wise sparse products, each summed in the order a matrix product
sums it, so a pair scores bit for bit what it would score in a product of the whole corpus, however it was found.
The weights and the rules that shape each signal are named here; what a link makes of the blend is in
graphkit.linking.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix

from graphkit.features import Features, Items
from graphkit.weights import WEIGHTS

CROSS_CONTEXT_WEIGHT = 0.8  # one action's notes against the other's text count a little less than like for like
INFERRED_FOUNDATION_WEIGHT = 0.5  # a foundation inferred from themes is half a printed one
ITEM_WEIGHT = 0.9  # one matching entry of a list counts a little less than matching texts
THEME_SCALE = 0.8  # one shared theme that only these two actions have gives 0.8 of the theme signal


@dataclass(frozen=True, slots=True)
class Signals:
    """What two actions share, signal by signal (each 0-1), with the shared items behind each."""

    text: float
    context: float
    themes: float
    owner: float
    foundation: float
    pillar: float
    code: float
    verbatim: float
    shared_terms: tuple[str, ...]
    shared_context: tuple[str, ...]
    shared_themes: tuple[str, ...]
    shared_owners: tuple[str, ...]
    shared_foundations: tuple[str, ...]
    code_note: str

    available: float = 1.0
    pillar_name: str = ""

    @property
    def blend(self) -> float:
        """The weighted signals over the weight of the signals both actions have (see `PairSignals.available`)."""
        return sum(WEIGHTS[name] * getattr(self, name) for name in WEIGHTS) / self.available


class PairSignals(Features):
    """The features of a corpus (graphkit.features) and the signals of any list of pairs of its actions.

    Examples
    --------
    >>> from graphkit.linking import _example_model
    >>> model = _example_model()
    >>> [round(float(v), 3) for v in model.pair_components(np.array([0, 0]), np.array([1, 2]))["text"]]
    [0.799, 0.237]
    """

    @cached_property
    def has_mask(self) -> list[int]:
        """Which signals each action can have, as bits in the order of `has`."""
        return sum(has.astype(np.int64) << bit for bit, has in enumerate(self.has.values())).tolist()

    @cached_property
    def weight_of(self) -> list[float]:
        """The total weight of the signals of a `has_mask`, summed as `available` sums them (the same float)."""
        names = list(self.has)
        masks = range(1 << len(names))
        return [sum(WEIGHTS[name] for bit, name in enumerate(names) if mask >> bit & 1) for mask in masks]

    def pair_components(self, left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
        """Every signal (0-1) of each pair of actions (left[k], right[k]), as arrays of len(left)."""
        f = self.matrices
        text_left, text_right = self.text[left], self.text[right]
        context_left, context_right = self.context[left], self.context[right]
        whole = _dot(text_left, text_right)
        text = np.maximum(whole, ITEM_WEIGHT * _item_similarity(self.items, self.items, left, right))
        # outcome and progress against outcome and progress, and against the other action's own text: what a
        # 2015 action's progress notes say was done is often what a later plan commits to
        same = _dot(context_left, context_right)
        cross = np.maximum(_dot(context_left, text_right), _dot(text_left, context_right))
        notes = _item_similarity(self.notes, self.notes, left, right)
        notes = np.maximum(notes, _item_similarity(self.items, self.notes, left, right))
        notes = np.maximum(notes, _item_similarity(self.notes, self.items, left, right))
        shared = row_dot(f["foundations"], f["foundations"], left, right)
        union = self.foundation_sizes[left] + self.foundation_sizes[right] - shared
        foundation = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        foundation *= np.where(self.inferred[left] | self.inferred[right], INFERRED_FOUNDATION_WEIGHT, 1.0)
        return {
            "text": np.minimum(text, 1.0),
            "context": np.maximum(same, CROSS_CONTEXT_WEIGHT * np.maximum(cross, notes)),
            "themes": np.minimum(THEME_SCALE * row_dot(f["themes"], f["themes"], left, right), 1.0),
            # the most specific shared owner: a role that owns half a plan says little
            "owner": np.minimum(_row_max(f["owners"], left, right), 1.0),
            "foundation": foundation,
            "pillar": (row_dot(f["pillars"], f["pillars"], left, right) > 0).astype(float),
            "code": self.code_shared(left, right).astype(float),
        }

    def code_shared(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """True for pairs with the same action code in two documents, or where one cites the other's code."""
        same = (self.code[left] == self.code[right]) & (self.code[left] >= 0)
        same &= self.document[left] != self.document[right]
        if len(self.cited_pairs):
            same |= np.isin(left.astype(np.int64) * len(self.actions) + right, self.cited_pairs)
        return same

    def available(self, left: np.ndarray, right: np.ndarray, code: np.ndarray) -> np.ndarray:
        """The total weight of the signals that both actions of each pair can have.

        A plan without owners, themes, foundations or pillars cannot share them; a pair is scored on what
        both sides have (a 2015 one-liner with no theme against its 2023 successor is scored on its words),
        so missing columns do not count against it. A code citation counts only when there is one.
        """
        total = np.zeros(len(left))
        for name, has in self.has.items():
            total += WEIGHTS[name] * (has[left] & has[right])
        return total + WEIGHTS["code"] * code

    def blend(self, left: np.ndarray, right: np.ndarray, components: dict[str, np.ndarray]) -> np.ndarray:
        """The weighted signals of each pair over the weight of the signals both actions have."""
        weighted = sum(WEIGHTS[name] * components[name] for name in WEIGHTS)
        return weighted / self.available(left, right, components["code"])


def row_dot(a: csr_matrix, b: csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """a[left[k]] . b[right[k]] for every k, summed column by column from zero as a sparse product sums them
    (a product with a vector of ones, not `sum`, which adds in pairs), so the result is bit for bit the same.

    >>> m = csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> row_dot(m, m, np.array([0, 0, 1]), np.array([1, 2, 1])).tolist()
    [0.8, 0.0, 1.0]
    """
    return _dot(a[left], b[right])


def _dot(a: csr_matrix, b: csr_matrix) -> np.ndarray:
    """a[k] . b[k] for every row k of two matrices of the same shape (see `row_dot`)."""
    if not a.shape[0]:
        return np.zeros(0)
    return a.multiply(b).tocsr() @ np.ones(a.shape[1])


def _row_max(a: csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The largest a[left[k], c] * a[right[k], c] over the columns c of each pair (values are not negative)."""
    if not len(left):
        return np.zeros(0)
    return a[left].multiply(a[right]).max(axis=1).toarray().ravel()


def _item_similarity(left_items: Items, right_items: Items, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For each pair, the best cosine between any item (list entry or sentence) of one action and any item of
    the other: a 2015 one-liner against one numbered entry of a 2023 list."""
    best = np.zeros(len(left))
    first = left_items.start[left]
    across = left_items.start[left + 1] - first
    second = right_items.start[right]
    down = right_items.start[right + 1] - second
    count = across * down
    total = int(count.sum())
    if not total:
        return best
    # every (item of left, item of right) of every pair, pair after pair
    begins = np.cumsum(count) - count
    pair = np.repeat(np.arange(len(left)), count)
    offset = np.arange(total) - begins[pair]
    width = down[pair]
    products = row_dot(
        left_items.matrix, right_items.matrix, first[pair] + offset // width, second[pair] + offset % width
    )
    some = count > 0
    best[some] = np.maximum.reduceat(products, begins[some])
    return np.maximum(best, 0.0)
