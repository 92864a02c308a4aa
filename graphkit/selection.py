"""Which scored candidate pairs become links: each action takes its candidates best first, within its caps.

Each action takes its candidates by blend, best first, scoring each in full (the verbatim and shared passage
rules of graphkit.linking can raise a score), until it has its cap and CANDIDATE_MARGIN more above LINK_MIN, or
the blend falls under LINK_MIN / 2; at most MAX_LINKS_PER_DOCUMENT + CANDIDATE_MARGIN are taken from one
document. It then keeps its best: at most MAX_LINKS_PER_ACTION, MAX_LINKS_PER_DOCUMENT of them from one document
(fewer in a large corpus: see `caps`).
A pair is a link when either side keeps it. All of this is done with array operations over many actions at once,
with the same outcome as taking one candidate after another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LINK_MIN = 0.12  # weaker pairs are not stored
MAX_LINKS_PER_ACTION = 60  # kept per action; `related` shows the best of them
CANDIDATE_MARGIN = 4  # extra candidates per cap scored in full, as the verbatim rules can lift a pair
MAX_LINKS_PER_DOCUMENT = 12  # so a plan's own near neighbours never crowd out every other plan
# A corpus of more actions than this (some twenty plans) keeps LARGE_CORPUS_LINKS_PER_ACTION links per action, at
# most LARGE_CORPUS_LINKS_PER_DOCUMENT of them from one document: `related` shows ten, an action page a dozen and
# `trace` ten, while 60 links an action gave 32,000 actions about a million links to work out, store, draw and
# load (bench/links_scale.py). The smaller cap per document keeps an action's links spread over at least three
# other plans, as 12 of 60 did. The bundled plans (234 actions) keep every link they had.
LARGE_CORPUS = 2_000
LARGE_CORPUS_LINKS_PER_ACTION = 12
LARGE_CORPUS_LINKS_PER_DOCUMENT = 4
ROUNDING = 1e-4  # scores are rounded to 4 places: a blend this far above LINK_MIN is above it however it rounds


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every action's candidates, best first: those of action i are at places `start[i]` to `start[i + 1]` of
    `partner`, with the pair's blend and whether it shares a code.

    >>> c = Candidates.of(3, np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.2, 0.5, 0.2]), np.zeros(3, bool))
    >>> c.start.tolist(), c.partner.tolist()
    ([0, 2, 4, 6], [2, 1, 0, 2, 0, 1])
    """

    start: np.ndarray
    partner: np.ndarray
    blend: np.ndarray
    code: np.ndarray

    @classmethod
    def of(cls, n: int, left: np.ndarray, right: np.ndarray, blend: np.ndarray, code: np.ndarray) -> Candidates:
        rows, partner = np.concatenate([left, right]), np.concatenate([right, left])
        blend, code = np.concatenate([blend, blend]), np.concatenate([code, code])
        # by action, then best first, ties by the partner's index (as a stable sort of the row would give)
        order = np.lexsort((partner, -blend, rows))
        start = np.searchsorted(rows[order], np.arange(n + 1))
        return cls(start, partner[order], blend[order], code[order])


def caps(n: int) -> tuple[int, int]:
    """The links an action keeps, in all and from one document, in a corpus of n actions.

    >>> caps(234), caps(32_000)
    ((60, 12), (12, 4))
    """
    if n <= LARGE_CORPUS:
        return MAX_LINKS_PER_ACTION, MAX_LINKS_PER_DOCUMENT
    return LARGE_CORPUS_LINKS_PER_ACTION, LARGE_CORPUS_LINKS_PER_DOCUMENT


Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (places, actions) -> the pairs' scores


def pick(
    candidates: Candidates,
    document: np.ndarray,
    rows: tuple[int, int],
    kept_caps: tuple[int, int],
    likeness,
    score: Scorer,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What actions rows[0]..rows[1] keep, at most `kept_caps` (see `caps`): (places kept, their actions, places
    reached, their actions).

    `likeness(places, actions)` is called once, for every place the actions would reach if no score were raised
    (as raising a score only fills the caps sooner, that covers every place they do reach); `score(places,
    actions)` then gives the full scores of the places reached.
    """
    per_action, per_document = kept_caps
    blend = candidates.blend
    # the blend rounded for a score, a little low so that no action stops sooner than it would
    maybe, owner, _ = _reach(candidates, document, rows, kept_caps, lambda p, a: blend[p] - ROUNDING)
    likeness(maybe, owner)
    reached, owner, scores = _reach(candidates, document, rows, kept_caps, score)
    picked = scores >= LINK_MIN
    reached_all, owner_all = reached, owner
    reached, owner, scores = reached[picked], owner[picked], scores[picked]
    partner = candidates.partner[reached]
    order = np.lexsort((partner, -scores, owner))
    reached, owner, partner = reached[order], owner[order], partner[order]
    within = _rank_within(owner, document[partner]) < per_document
    reached, owner = reached[within], owner[within]
    kept = _count_before(owner, np.ones(len(owner), dtype=bool)) < per_action
    return reached[kept], owner[kept], reached_all, owner_all


def _reach(candidates: Candidates, document: np.ndarray, rows: tuple[int, int], kept_caps, score: Scorer):
    """The places that actions rows[0]..rows[1] reach, taking their candidates best first, with their actions
    and scores. `score` is also asked about places after an action stops (their scores do not matter)."""
    per_action, per_document = kept_caps
    lo, hi = candidates.start[rows[0]], candidates.start[rows[1]]
    places = np.arange(lo, hi)
    owner = np.repeat(np.arange(*rows), np.diff(candidates.start[rows[0] : rows[1] + 1]))
    strong = candidates.blend[lo:hi] >= LINK_MIN / 2  # best first: the rest of a row once one falls under
    places, owner = places[strong], owner[strong]
    taken = _rank_within(owner, document[candidates.partner[places]]) < per_document + CANDIDATE_MARGIN
    places, owner = places[taken], owner[taken]
    scores = score(places, owner)
    # an action stops once it has picked per_action + CANDIDATE_MARGIN
    reached = _count_before(owner, scores >= LINK_MIN) < per_action + CANDIDATE_MARGIN
    return places[reached], owner[reached], scores[reached]


def _rank_within(owner: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each element, how many elements before it have the same owner and group.

    >>> _rank_within(np.array([0, 0, 0, 1, 1]), np.array([5, 6, 5, 5, 5])).tolist()
    [0, 0, 1, 0, 1]
    """
    order = np.lexsort((np.arange(len(owner)), group, owner))
    o, g = owner[order], group[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (o[1:] != o[:-1]) | (g[1:] != g[:-1])
    first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def _count_before(owner: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """For each element of an owner-sorted array, how many earlier elements of its owner are flagged.

    >>> _count_before(np.array([0, 0, 0, 1, 1]), np.array([True, False, True, True, True])).tolist()
    [0, 1, 1, 0, 1]
    """
    counted = np.cumsum(flag) - flag
    starts = np.ones(len(owner), dtype=bool)
    starts[1:] = owner[1:] != owner[:-1]
    base = np.maximum.accumulate(np.where(starts, np.arange(len(owner)), 0))
    return counted - counted[base]
