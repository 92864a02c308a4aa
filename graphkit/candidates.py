"""Candidate pairs for linking: for each action, the actions worth scoring in full, found from the term index.

Scoring every pair of a corpus grows with the square of its size. Instead, each action's likely partners come
from one sparse product over a compact index of every action (`_search_matrix`): its text and context terms
(TF-IDF, see `graphkit.features`), its entries and progress sentences, its themes, code and owners, each weighted
as the link blend weighs it, and a pair's product is divided by the weight of the signals both sides have, as the
blend is. The commonest terms ("children", "support") say little about any one pair and would make the product
dense, so they are left out of this search (they still count in the full score) until the search costs at most
SEARCH_WORK_PER_ACTION per action. The best of each action's row are kept (CANDIDATES_PER_LINK for each link the
action may keep), plus every code citation; a pair is a candidate when either side picked the other.

A corpus of fewer actions than an action keeps candidates has every pair as a candidate, so its links are exactly
those of scoring every pair.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix, hstack

from graphkit.signals import CROSS_CONTEXT_WEIGHT, ITEM_WEIGHT, THEME_SCALE, WEIGHTS
from graphkit.workers import fork_map

if TYPE_CHECKING:
    from graphkit.features import Items
    from graphkit.linking import LinkModel

# Partners scored in full per action, for each link it may keep (graphkit.selection.caps): 480 in a corpus of up
# to 2,000 actions, whose actions keep 60 links (so the bundled plans score every pair), 96 beyond. Measured
# against scoring every pair (bench/links_scale.py), 8 per link find 99% of each action's best partner.
CANDIDATES_PER_LINK = 8
# The search for candidates multiplies every pair of actions that share a term (or theme, code, owner...): a term
# of d actions costs d * d. The commonest terms are left out until the rest cost at most this much per action, so
# the search grows with the number of actions, not with their square: on the synthetic corpora of
# bench/links_scale.py it keeps terms of up to about 1,500 actions at 10,000 actions and 1,000 at 32,000.
SEARCH_WORK_PER_ACTION = 25_000
CANDIDATE_ROWS = 500  # rows of the product worked out at once


def candidate_pairs(model: LinkModel, per_action: int, workers: int = 1):
    """The candidate pairs (left[k] < right[k]) of a corpus, sorted, each once.

    Sets `model.candidate_bars`: per action, the search score a partner needs to be among its best `per_action`
    (0 when it has no more partners than that), which `candidate_pairs_of` uses to search again for a few actions.

    Parameters
    ----------
    model
        The corpus's term model and features.
    per_action
        Partners kept from each action's row of the search.
    workers
        Processes that share the search (see `graphkit.workers.fork_map`).

    Returns
    -------
    tuple of numpy.ndarray
        `left` and `right`, int64 arrays of the same length.

    Examples
    --------
    >>> from graphkit.linking import _example_model
    >>> left, right = candidate_pairs(_example_model(), per_action=1)
    >>> [(int(a), int(b)) for a, b in zip(left, right)]
    [(0, 1), (1, 2)]
    """
    n = len(model.actions)
    model.candidate_bars = np.zeros(n)
    if n <= per_action + 1:
        left, right = np.triu_indices(n, k=1)
        return left.astype(np.int64), right.astype(np.int64)
    ranges = [(k, min(k + CANDIDATE_ROWS, n)) for k in range(0, n, CANDIDATE_ROWS)]
    matrix = _search_matrix(model)
    found = fork_map(_best_of_rows, ranges, workers, _search_of(model, matrix, per_action))
    model.candidate_bars = np.concatenate([bars for _, _, bars in found])
    return _each_once(
        n, [r for r, _, _ in found] + [model.cited_pairs // n], [c for _, c, _ in found] + [model.cited_pairs % n]
    )


def candidate_pairs_of(model: LinkModel, rows: np.ndarray, per_action: int, bars: np.ndarray, workers: int = 1):
    """The candidate pairs (left[k] < right[k], sorted, each once) of the actions `rows` (sorted indices), as
    `candidate_pairs` would find them, without searching for the other actions: each of `rows` proposes its best
    `per_action` partners, another action proposes one of `rows` when their search score reaches its bar in
    `bars` (from the search that found its candidates, see `candidate_pairs`), and the code citations they take
    part in are added.

    Sets `model.candidate_bars`: `bars`, with those of `rows` worked out anew.

    >>> from graphkit.linking import _example_model
    >>> model = _example_model()
    >>> left, right = candidate_pairs(model, per_action=1)
    >>> left, right = candidate_pairs_of(model, np.array([2]), 1, model.candidate_bars)
    >>> [(int(a), int(b)) for a, b in zip(left, right)]
    [(1, 2)]
    """
    n = len(model.actions)
    rows = np.asarray(rows, dtype=np.int64)
    model.candidate_bars = np.array(bars, dtype=float)
    if n <= per_action + 1:
        left, right = np.repeat(rows, n), np.tile(np.arange(n, dtype=np.int64), len(rows))
        model.candidate_bars[rows] = 0.0
        return _each_once(n, [left[left != right]], [right[left != right]])
    matrix = _search_matrix(model)
    shared = _search_of(model, matrix, per_action)
    # runs of consecutive rows (a document's actions are consecutive), cut into CANDIDATE_ROWS
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    ranges = [
        (int(k), int(min(k + CANDIDATE_ROWS, run[-1] + 1)))
        for run in np.split(rows, breaks)
        if len(run)
        for k in range(run[0], run[-1] + 1, CANDIDATE_ROWS)
    ]
    found = fork_map(_best_of_rows, ranges, workers, shared)
    for (start, stop), (_, _, found_bars) in zip(ranges, found, strict=True):
        model.candidate_bars[start:stop] = found_bars
    # the other actions whose best partners one of `rows` now is
    scores = (matrix @ matrix[rows].T).tocoo()
    other, row = scores.row.astype(np.int64), rows[scores.col]
    _, _, signals, weight = shared[1:]
    values = scores.data / weight[signals[other] & signals[row]]
    outside = np.ones(n, dtype=bool)
    outside[rows] = False
    proposed = outside[other] & (values >= model.candidate_bars[other])
    cited = model.cited_pairs
    cited = cited[~outside[cited // n] | ~outside[cited % n]]
    lefts = [r for r, _, _ in found] + [other[proposed], cited // n]
    rights = [c for _, c, _ in found] + [row[proposed], cited % n]
    return _each_once(n, lefts, rights)


def _search_of(model: LinkModel, matrix: csr_matrix, per_action: int) -> tuple:
    """What `_best_of_rows` shares: the search matrix, its transpose, `per_action`, and each action's signal mask
    and the weight of each mask, as the blend divides a pair's score by the weight of the signals both sides have."""
    return matrix, matrix.T.tocsr(), per_action, np.array(model.has_mask, dtype=np.int64), np.array(model.weight_of)


def _each_once(n: int, lefts: list[np.ndarray], rights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (lefts[k][i], rights[k][i]) as sorted arrays left < right, each once."""
    rows, cols = np.concatenate(lefts), np.concatenate(rights)
    keys = np.sort(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])[: len(keys)]]  # each once (np.unique hashes)
    return keys // n, keys % n


def _search_matrix(model: LinkModel) -> csr_matrix:
    """One row per action whose row products approximate the link blend, without the columns of the commonest
    terms (see `most_actions`). Its parts: the text's terms; the context's terms; the sum of the term vectors of its
    entries and progress sentences, whose product sums the products of every entry of one action with every
    entry or sentence of the other (an entry that matches a one-line action counts in full, however long its
    list); its themes, code, owners, foundations and pillar. Each part is scaled by the square root of its
    weight in the blend."""
    n = len(model.actions)
    has_code = model.code >= 0
    codes = csr_matrix(
        (np.ones(int(has_code.sum())), (np.flatnonzero(has_code), model.code[has_code])),
        shape=(n, int(model.code.max()) + 1 if has_code.any() else 1),
    )
    parts = [
        math.sqrt(WEIGHTS["text"]) * model.text,
        math.sqrt(WEIGHTS["context"]) * model.context,
        math.sqrt(WEIGHTS["text"] * ITEM_WEIGHT) * _sum_of_items(model.items, n)
        + math.sqrt(WEIGHTS["context"] * CROSS_CONTEXT_WEIGHT) * _sum_of_items(model.notes, n),
        math.sqrt(WEIGHTS["themes"] * THEME_SCALE) * model.matrices["themes"],
        math.sqrt(WEIGHTS["code"]) * codes,
        math.sqrt(WEIGHTS["owner"]) * model.matrices["owners"],
        math.sqrt(WEIGHTS["foundation"]) * model.matrices["foundations"],
        math.sqrt(WEIGHTS["pillar"]) * model.matrices["pillars"],
    ]
    matrix = hstack(parts, format="csr")
    actions_of_column = np.bincount(matrix.indices, minlength=matrix.shape[1])
    model.counts["most actions of a searched term"] = most = most_actions(actions_of_column, n)
    return matrix[:, np.flatnonzero(actions_of_column <= most)].tocsr()


def most_actions(actions_of_column: np.ndarray, n: int) -> int:
    """The most actions a column of the search may have: as many as SEARCH_WORK_PER_ACTION * n allows, the
    columns of fewest actions first (each costs its number of actions squared); a number is kept for every
    column that has it, or for none.

    >>> SEARCH_WORK_PER_ACTION * 4
    100000
    >>> most_actions(np.array([1, 2, 2, 300, 5000]), 4)  # 1 + 4 + 4 + 90,000 fit in 100,000; 25,000,000 more do not
    300
    """
    values, columns = np.unique(actions_of_column, return_counts=True)
    cost = np.cumsum(columns * values.astype(float) ** 2)
    fits = values[cost <= SEARCH_WORK_PER_ACTION * n]
    return int(fits[-1]) if len(fits) else 0


def _sum_of_items(items: Items, n: int) -> csr_matrix:
    """Per action, the sum of its items' term vectors."""
    owner = csr_matrix(
        (np.ones(len(items.owner)), (items.owner, np.arange(len(items.owner)))), shape=(n, len(items.owner))
    )
    return (owner @ items.matrix).tocsr()


def _best_of_rows(shared: tuple, rows: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best `per_action` partners of each action in rows[0]..rows[1] (itself left out), and each one's bar:
    the score of the last of them (0 when it has no more partners than that)."""
    matrix, transposed, per_action, signals, weight = shared
    start, stop = rows
    scores = (matrix[start:stop] @ transposed).tocsr()
    owner = np.repeat(np.arange(start, stop), np.diff(scores.indptr))
    scores.data /= weight[signals[owner] & signals[scores.indices]]
    left, right = [], []
    bars = np.zeros(stop - start)
    for row in range(stop - start):
        lo, hi = scores.indptr[row], scores.indptr[row + 1]
        columns, values = scores.indices[lo:hi], scores.data[lo:hi]
        keep = columns != start + row
        columns, values = columns[keep], values[keep]
        if len(columns) > per_action:
            best = np.argpartition(-values, per_action - 1)[:per_action]
            columns, bars[row] = columns[best], values[best].min()
        left.append(np.full(len(columns), start + row, dtype=np.int64))
        right.append(columns.astype(np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return np.concatenate(left) if left else empty, np.concatenate(right) if right else empty, bars
