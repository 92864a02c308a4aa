"""The weights of the link signals: WEIGHTS, the blend every link's score is (graphkit.signals), and
LINEAGE_WEIGHTS, the learned score `trace` ranks a link's later or earlier actions by (`lineage_score`).

No imports beyond records: the command line's `trace` reads them without loading linking's libraries.
"""

from __future__ import annotations

import math

from graphkit.records import Action, Link

WEIGHTS = {
    "text": 0.34,
    "context": 0.18,
    "themes": 0.26,
    "owner": 0.06,
    "foundation": 0.04,
    "pillar": 0.02,
    "code": 0.10,
}
# an action with no text of its own (only an outcome and progress notes) is compared on its notes: its words and
# themes say what happened around it, not what it commits to, so in a lineage they count half
NO_TEXT_WEIGHT = 0.5

# Learned by bench/learn_weights.py (C=3) from every hand-read trace case of tests/cases (traces, holdout and
# examples): a logistic regression of "the readers call this a strong equivalent" over the signals of each probe
# and every action of the plans in its direction, refitted without the signals whose coefficient came out
# negative. Leaving one probe document out at a time, with C chosen inside each fold, it puts a strong equivalent
# first for 34 of 53 probes and in the top 3 for 44, MRR 0.75 (the link score and a same-council bonus, set by
# hand: 31, 43, 0.70). Owner, pillar and code add nothing to a lineage once text, context and themes are known.
LINEAGE_INTERCEPT = -8.575
LINEAGE_WEIGHTS = {
    "text": 7.821,
    "context": 5.586,
    "themes": 4.101,
    "owner": 0.0,
    "foundation": 0.178,
    "pillar": 0.0,
    "code": 0.0,
    "same_council": 1.253,
}


def lineage_score(action: Action, other: Action, link: Link) -> float:
    """How likely `other` is the same commitment as `action` in another plan (0-1): the learned lineage weights
    over the link's signals (each read off its evidence, as `weight / WEIGHTS[signal]`), and at least the
    rapidfuzz likeness of a near-verbatim copy.

    >>> from graphkit.queries import _example_index
    >>> index = _example_index()
    >>> a, b = index.actions["old:A-1"], index.actions["new:B-1"]
    >>> link = next(k for o, k in index.neighbours(a.id) if o.id == b.id)
    >>> round(lineage_score(a, b, link), 4)
    0.3962
    """
    signal = {e.kind: e.weight / WEIGHTS[e.kind] for e in link.evidence if WEIGHTS.get(e.kind)}
    own = 1.0 if (action.text or "").strip() and (other.text or "").strip() else NO_TEXT_WEIGHT
    signal["text"] = own * signal.get("text", 0.0)
    signal["themes"] = own * signal.get("themes", 0.0)
    signal["same_council"] = float(action.council == other.council)
    odds = LINEAGE_INTERCEPT + sum(w * signal.get(name, 0.0) for name, w in LINEAGE_WEIGHTS.items())
    copy = max((e.weight for e in link.evidence if e.kind == "verbatim"), default=0.0)
    return max(1 / (1 + math.exp(-odds)), copy)
