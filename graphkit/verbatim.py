"""Near-verbatim copies: the rapidfuzz likeness of many pairs of texts at once, 0 for any pair well below a cutoff.

rapidfuzz compares two 250-character texts in 2-20 microseconds, too slow for a million pairs. Most pairs cannot
reach the cutoff, and character counts prove it cheaply: turning one string into another by insertions and
deletions takes at least as many edits as their character counts differ, so a ratio is at most
`1 - (count difference) / (total length)`. The same holds for `token_sort_ratio` (the sorted words have the same
characters) and for each part of `token_set_ratio` (the shared words' characters cancel out). Only the pairs these
bounds do not rule out are compared by rapidfuzz, so the result is exactly rapidfuzz's, at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix

BOUND_SLACK = 1e-6  # float rounding: a pair whose bound is this close under the cutoff is compared anyway


class Texts:
    """Texts (already flattened: one space between words) and what their bounds need: character counts of the
    whole text and, unless `words` is false (no token_set_ratio then), of its distinct words, and which distinct
    words each has.

    Examples
    --------
    >>> texts = Texts(["review all chronologies yearly", "all chronologies reviewed yearly", "foster care"])
    >>> texts.likeness(np.array([0, 0]), np.array([1, 2]), "token_sort_ratio", 80).round(1).tolist()
    [96.8, 0.0]
    """

    def __init__(self, texts: Sequence[str], words: bool = True) -> None:
        self.texts = list(texts)
        self.length = np.array([len(t) for t in self.texts], dtype=np.int64)
        self.words = np.array([t.count(" ") + 1 if t else 0 for t in self.texts], dtype=np.int64)
        alphabet = np.unique(_codes("".join(self.texts)))
        self.counts = _counts(self.texts, alphabet)
        if words:
            self._distinct_words(alphabet)

    def _distinct_words(self, alphabet: np.ndarray) -> None:
        distinct = [sorted(set(t.split())) for t in self.texts]
        self.distinct_counts = _counts(["".join(words) for words in distinct], alphabet)
        self.distinct_words = np.array([len(words) for words in distinct], dtype=np.int64)
        self.distinct_length = np.array([sum(map(len, words)) for words in distinct], dtype=np.int64)
        vocabulary: dict[str, int] = {}
        rows, cols, lengths = [], [], []
        for i, words in enumerate(distinct):
            for word in words:
                rows.append(i)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                lengths.append(len(word))
        shape = (len(self.texts), max(len(vocabulary), 1))
        self.has_word = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        self.word_length = csr_matrix((np.array(lengths, dtype=float), (rows, cols)), shape=shape)

    def likeness(self, left: np.ndarray, right: np.ndarray, scorer: str, cutoff: float) -> np.ndarray:
        """rapidfuzz's `scorer` ("ratio", "token_sort_ratio" or "token_set_ratio") of each pair of texts (0-100),
        0 where it is under `cutoff`."""
        bound = self._token_set_bound(left, right) if scorer == "token_set_ratio" else self._ratio_bound(left, right)
        maybe = np.flatnonzero(bound >= cutoff - BOUND_SLACK)
        found = np.zeros(len(left))
        if len(maybe):
            compare: Callable = getattr(fuzz, scorer)
            a, b = [self.texts[i] for i in left[maybe]], [self.texts[j] for j in right[maybe]]
            found[maybe] = process.cpdist(a, b, scorer=compare, score_cutoff=cutoff, dtype=np.float64)
        return found

    def _ratio_bound(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        apart = np.abs(self.counts[left] - self.counts[right]).sum(axis=1)  # int32 counts: their sum fits
        total = self.length[left] + self.length[right]
        return 100 * (1 - apart / np.maximum(total, 1))

    def _token_set_bound(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """An upper bound of each part of rapidfuzz's token_set_ratio: the shared words (joined) against the shared
        words plus either side's own words, and the two sides' own words against each other."""
        from graphkit.signals import row_dot

        shared_words = np.rint(row_dot(self.has_word, self.has_word, left, right))
        shared_length = np.rint(row_dot(self.word_length, self.has_word, left, right))
        shared = np.where(shared_words > 0, shared_length + shared_words - 1, 0)
        own_left = self.distinct_words[left] - shared_words
        own_right = self.distinct_words[right] - shared_words
        apart_left = np.where(own_left > 0, self.distinct_length[left] - shared_length + own_left - 1, 0)
        apart_right = np.where(own_right > 0, self.distinct_length[right] - shared_length + own_right - 1, 0)
        joined = (shared > 0).astype(float)
        with_left, with_right = shared + joined + apart_left, shared + joined + apart_right
        # the shared words' characters cancel out, and the two sides' own words differ by one space per word
        apart = np.abs(self.distinct_counts[left] - self.distinct_counts[right]).sum(axis=1) + np.abs(
            own_left - own_right
        )
        bound = 100 * (1 - apart / np.maximum(with_left + with_right, 1))
        some = shared > 0
        bound[some] = np.maximum.reduce(
            [
                bound[some],
                100 * (1 - (joined + apart_left)[some] / (shared + with_left)[some]),
                100 * (1 - (joined + apart_right)[some] / (shared + with_right)[some]),
            ]
        )
        bound[some & ((own_left == 0) | (own_right == 0))] = 100.0  # one side's words are all in the other
        return bound


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _counts(texts: Sequence[str], alphabet: np.ndarray) -> np.ndarray:
    """How often each character of `alphabet` (sorted code points, holding every character of the texts) occurs
    in each text: one row per text."""
    row = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
    column = np.searchsorted(alphabet, _codes("".join(texts)))
    width = max(len(alphabet), 1)
    return np.bincount(row * width + column, minlength=len(texts) * width).reshape(len(texts), width).astype(np.int32)
