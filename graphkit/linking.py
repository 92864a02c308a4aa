"""Links between actions: named signals, each in 0-1, combined into one score with evidence a person can check.

Signals (weights in WEIGHTS, worked out for many pairs at once by graphkit.signals):

- text: cosine of TF-IDF vectors over `graphkit.terms` terms (acronyms expanded, paraphrases folded into
  concepts, stems; see graphkit.features), the best of whole texts and entry by entry, so "600 hours for LAC
  2 year olds" meets "a nursery place for care experienced 2-5 year-olds";
- context: the same over what surrounds the action (its outcome or inspection area, and its progress notes);
- themes: shared themes of the taxonomy, weighted by how rare each theme is in the corpus, so sharing
  "chronologies" says more than sharing "workforce";
- owner, foundation, pillar: the same owner role, Promise foundation or Plan 21-24 pillar;
- code: the same action code in two plans, or one action citing the other's code ("BC & GC 4 (3)").

Near-verbatim copies (rapidfuzz over the texts, or over long progress notes, graphkit.verbatim) are duplicates
whatever the blend says. Thresholds are named here and were set by measuring against tests/cases and
../shared/examples.json.

No pair is scored unless the term index proposes it (graphkit.candidates), and each action keeps its best links
within caps (graphkit.selection), so the work grows with the number of actions times the candidates each gets,
not with the number of pairs; on a large corpus it is shared by forked processes (graphkit.workers).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import orjson
from scipy.sparse import diags

from graphkit.candidates import CANDIDATES_PER_LINK, candidate_pairs
from graphkit.features import title_of
from graphkit.owners import owner_roles
from graphkit.records import Action, Evidence, Link, scope_of
from graphkit.selection import Candidates, caps, pick
from graphkit.signals import (  # noqa: F401 - the weights are part of this module's story and API
    CROSS_CONTEXT_WEIGHT,
    INFERRED_FOUNDATION_WEIGHT,
    ITEM_WEIGHT,
    THEME_SCALE,
    WEIGHTS,
    PairSignals,
    Signals,
)
from graphkit.terms import concept_words, stem
from graphkit.verbatim import Texts
from graphkit.vocab import THEMES_BY_SLUG
from graphkit.workers import collector_paused, fork_map

VERBATIM_RATIO = 90  # rapidfuzz token_sort_ratio at or above this: the same words, a copy
VERBATIM_CONTAINED_WORDS = 6  # a copied sentence inside a longer one counts when it has this many words
PROGRESS_VERBATIM_LENGTH = 120  # identical progress notes only count when they say something
SHARED_PASSAGE_WORDS = 10  # ...and a shared passage when it is this long
DUPLICATE_SCORE = 0.5
DUPLICATE_TEXT = 0.65  # the same wording, give or take a few words: a duplicate whatever else differs
OVERLAP_SCORE = 0.28
EVIDENCE_TERMS = 6  # shared words shown per signal
PAIR_CHUNK = 20_000  # candidate pairs scored at once (some 40 MB of intermediate products)
PICK_ROWS = 1_000  # actions whose candidates one task takes
LINK_CHUNK = 4_000  # links worded by one task


class LinkModel(PairSignals):
    """The term model and features of one corpus (graphkit.features, graphkit.signals) and its link rules.

    Parameters
    ----------
    actions
        All actions of the corpus (the term weights depend on all of them).
    workers
        Processes that share the work of a large corpus (see graphkit.features.PARALLEL_FROM).

    Examples
    --------
    >>> model = _example_model()
    >>> model.signals(0, 1).text > model.signals(0, 2).text
    True
    >>> [(link.source, link.target, link.kind) for link in model.links()]
    [('a', 'b', 'duplicate'), ('a', 'c', 'related'), ('b', 'c', 'overlap')]
    """

    # -- scores -----------------------------------------------------------------------------------------------

    @cached_property
    def texts(self) -> Texts:
        """The actions' flattened texts, for the verbatim rule."""
        return Texts(self.flat_text)

    @cached_property
    def progress_texts(self) -> Texts:
        """The actions' flattened progress notes, for the verbatim rule."""
        return Texts(self.flat_progress, words=False)

    def verbatim(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """For each pair, the best rapidfuzz likeness (0-1) of the two texts, or of long progress notes.

        Anything below VERBATIM_RATIO - 1 counts as 0: the likeness only matters from VERBATIM_RATIO, and the
        cutoff lets most pairs be ruled out without comparing them (see graphkit.verbatim).
        """
        best = np.zeros(len(left))
        cutoff = VERBATIM_RATIO - 1
        words = np.minimum(self.texts.words[left], self.texts.words[right])
        some = np.flatnonzero(words > 0)
        best[some] = self.texts.likeness(left[some], right[some], "token_sort_ratio", cutoff)
        # one plan copied the other's sentence and added to it ("... fit for purpose. 2 x audits")
        many = np.flatnonzero(words >= VERBATIM_CONTAINED_WORDS)
        best[many] = np.maximum(best[many], self.texts.likeness(left[many], right[many], "token_set_ratio", cutoff))
        length = np.minimum(self.progress_texts.length[left], self.progress_texts.length[right])
        long = np.flatnonzero(length >= PROGRESS_VERBATIM_LENGTH)
        best[long] = np.maximum(best[long], self.progress_texts.likeness(left[long], right[long], "ratio", cutoff))
        return best / 100

    def scores(
        self, left: np.ndarray, right: np.ndarray, blend: np.ndarray, verbatim: np.ndarray, code: np.ndarray
    ) -> np.ndarray:
        """The scores `link` gives the pairs, from their blends and verbatim likeness (NaN: not worked out, taken
        as no copy), without their evidence: the verbatim and shared passage rules can only raise a score."""
        score = blend.astype(float)
        copied = verbatim * 100 >= VERBATIM_RATIO
        score[copied] = np.maximum(score[copied], verbatim[copied])
        known = np.flatnonzero(~np.isnan(verbatim))
        for k in known[code[known]].tolist():
            if self._shared_passage(int(left[k]), int(right[k])):
                score[k] = max(score[k], DUPLICATE_SCORE)
        # rounded as `link` rounds (Python's round, not numpy's); a score not worked out is left as its blend
        score[known] = [round(min(s, 1.0), 4) for s in score[known].tolist()]
        return score

    def _shared_passage(self, i: int, j: int) -> str:
        """The longest run of words two progress notes share, when it is at least SHARED_PASSAGE_WORDS long
        (the first in i's notes, then in j's, of the longest; as difflib's find_longest_match finds it)."""
        runs_i, runs_j = self._passages_of(i), self._passages_of(j)
        if runs_i.keys().isdisjoint(runs_j):
            return ""  # no run of SHARED_PASSAGE_WORDS words in common
        a, b = self.flat_progress[i].split(), self.flat_progress[j].split()
        best, start = 0, 0
        for run, starts in sorted(runs_i.items(), key=lambda item: item[1][0]):
            for p in starts:
                for q in runs_j.get(run, ()):
                    size = SHARED_PASSAGE_WORDS
                    while p + size < len(a) and q + size < len(b) and a[p + size] == b[q + size]:
                        size += 1
                    if size > best or (size == best and p < start):
                        best, start = size, p
        return " ".join(a[start : start + best])

    def _passages_of(self, i: int) -> dict[tuple[str, ...], list[int]]:
        """Where each run of SHARED_PASSAGE_WORDS words of an action's progress notes starts (two notes share a
        passage that long exactly when they share one of these runs)."""
        found = self._passages.get(i)
        if found is None:
            words = self.flat_progress[i].split()
            width = SHARED_PASSAGE_WORDS
            found = self._passages[i] = {}
            for k in range(len(words) - width + 1):
                found.setdefault(tuple(words[k : k + width]), []).append(k)
        return found

    # -- evidence ---------------------------------------------------------------------------------------------

    def signals(self, i: int, j: int, values: dict[str, float] | None = None, found: tuple | None = None) -> Signals:
        """The signals between actions i and j with the shared items behind each (for evidence).

        `values` (the pair's components) and `found` (its verbatim likeness and its shared text and context
        terms, ranked: see `_ranked_shared`) are given when they were worked out for many pairs at once.
        """
        if values is None or found is None:
            one = np.array([i]), np.array([j])
            values = {k: float(v[0]) for k, v in self.pair_components(*one).items()}
            found = (float(self.verbatim(*one)[0]), *(ranked[0] for ranked in self._ranked_shared(*one)))
        verbatim, text_terms, context_terms = found
        a, b = self.actions[i], self.actions[j]
        shared_themes = tuple(
            sorted(set(self.themes[i]) & set(self.themes[j]), key=lambda t: (-self.specificity[t], t))
        )
        return Signals(
            **values,
            available=self.weight_of[self.has_mask[i] & self.has_mask[j]] + WEIGHTS["code"] * values["code"],
            verbatim=verbatim,
            shared_terms=self._shared_words(text_terms, i, j),
            shared_context=self._shared_words(context_terms, i, j),
            shared_themes=shared_themes,
            shared_owners=tuple(self.owners[i][k] for k in self.owners[i] if k in self.owners[j]),
            shared_foundations=tuple(f for f in a.foundations if f in b.foundations),
            code_note=self._code_note(i, j) if values["code"] else "",
            pillar_name=(a.pillar or "") if values["pillar"] else "",
        )

    def _ranked_shared(self, left: np.ndarray, right: np.ndarray) -> tuple[list[list[int]], list[list[int]]]:
        """For each pair, the terms both texts (then both contexts, or one's context and the other's text, as the
        context signal compares them) have, best first: concepts first ("siblings / brothers and sisters" says
        more than "brother"), then by the product of their weights, then by term."""
        same = self.context[left].multiply(self.context[right]).tocsr()
        one_way = self.context[left].multiply(self.text[right]).tocsr()
        other_way = self.text[left].multiply(self.context[right]).tocsr()
        # the words of whichever comparison the context signal took: the two contexts, or a context and a text
        sums = [np.asarray(m.sum(axis=1)).ravel() for m in (same, one_way, other_way)]
        crossed = CROSS_CONTEXT_WEIGHT * np.maximum(sums[1], sums[2]) > sums[0]
        context = diags((~crossed).astype(float)) @ same + diags(crossed.astype(float)) @ (one_way + other_way)
        ranked = []
        for product in (self.text[left].multiply(self.text[right]), context):
            product = product.tocsr()
            product.eliminate_zeros()
            rows = np.repeat(np.arange(len(left)), np.diff(product.indptr))
            order = np.lexsort((product.indices, -product.data, ~self.is_concept[product.indices], rows))
            terms = product.indices[order].tolist()
            bounds = product.indptr.tolist()
            ranked.append([terms[bounds[k] : bounds[k + 1]] for k in range(len(left))])
        return ranked[0], ranked[1]

    @cached_property
    def name_terms(self) -> frozenset[str]:
        """The terms of people's names (every person among the owners of the corpus): never a topic word."""
        return frozenset(
            stem(word)
            for action in self.actions
            for role in owner_roles(action)
            if role.kind == "person"
            for word in role.label.lower().split()
        )

    def _shared_words(self, ranked: list[int], i: int, j: int) -> tuple[str, ...]:
        """The first EVIDENCE_TERMS words a person reads for these ranked terms (see `Features.surface`), none
        inside another and none a person's name. A concept shows each action's own words for it ("600 hours /
        nursery"), not its label, unless neither prints it in its own text."""
        words: list[str] = []
        own, label_of, term_of, names = self._words_of(i), self.label_of, self.term_of, self.name_terms
        for k in ranked:
            term = term_of[k]
            if term in names:
                continue
            word = label_of[k]
            if word is None:
                word = own.get(term) or self.commonest(term)
            else:
                word = self._concept_words(term, i, j) or word
            for w in words:
                if word in w or w in word:
                    break
            else:
                words.append(word)
                if len(words) == EVIDENCE_TERMS:
                    break
        return tuple(words)

    def _concept_words(self, term: str, i: int, j: int) -> str | None:
        """ "600 hours / nursery": what each of two actions prints for one concept (one phrase when they agree)."""
        said = []
        for k in (i, j):
            a = self.actions[k]
            fields = (title_of(a), a.text, a.outcome, a.progress)
            found = next(filter(None, (concept_words(term, field) for field in fields)), None)
            if found is None:
                return None
            said.append(found)
        first, second = said
        return first if first.lower() == second.lower() else f"{first} / {second}"

    def _code_note(self, i: int, j: int) -> str:
        a, b = self.actions[i], self.actions[j]
        if j in self.cited.get(i, ()):
            return f"{a.code or a.id} cites {b.code_printed or b.code}"
        if i in self.cited.get(j, ()):
            return f"{b.code or b.id} cites {a.code_printed or a.code}"
        return f"same code {a.code}"

    # -- links ------------------------------------------------------------------------------------------------

    def link(self, i: int, j: int, signals: Signals | None = None) -> Link:
        """The scored, labelled link between actions i and j, with its evidence."""
        return _link_of(self._link_parts(i, j, signals or self.signals(i, j)))

    def _link_parts(self, i: int, j: int, s: Signals) -> tuple:
        """`link` as plain values (source, target, kind, scope, score, evidence as tuples): what a worker sends
        back, as tuples pickle several times faster than dataclasses."""
        a, b = self.actions[i], self.actions[j]
        score = s.blend
        verbatim = s.verbatim * 100 >= VERBATIM_RATIO
        if verbatim:
            score = max(score, s.verbatim)
        passage = self._shared_passage(i, j) if s.code else ""
        if passage:
            # one action cites the other's code and reports the same progress: one piece of work, listed twice
            score = max(score, DUPLICATE_SCORE)
        same_words = s.text >= DUPLICATE_TEXT
        if verbatim or passage or same_words or score >= DUPLICATE_SCORE:
            kind = "duplicate"
        else:
            kind = "overlap" if score >= OVERLAP_SCORE else "related"
        evidence = self._evidence_parts(s)
        if passage:
            evidence = (("passage", f"same progress reported: “{passage}”", DUPLICATE_SCORE, (passage,)), *evidence)
        return a.id, b.id, kind, scope_of(a, b), round(min(score, 1.0), 4), evidence

    def evidence(self, s: Signals) -> tuple[Evidence, ...]:
        """What the signals show, strongest first, in words a person can check against both actions."""
        return tuple(Evidence(*parts) for parts in self._evidence_parts(s))

    def _evidence_parts(self, s: Signals) -> tuple[tuple, ...]:
        items = []
        if s.verbatim * 100 >= VERBATIM_RATIO:
            items.append(("verbatim", f"near-verbatim copy (rapidfuzz {s.verbatim * 100:.0f})", s.verbatim, ()))
        parts = [
            ("text", s.text, "shared words", s.shared_terms),
            ("context", s.context, "shared outcome or progress words", s.shared_context),
            ("themes", s.themes, "shared themes", tuple(THEMES_BY_SLUG[t].label for t in s.shared_themes)),
            ("owner", s.owner, "same owner", s.shared_owners),
            ("foundation", s.foundation, "same Promise foundation", s.shared_foundations),
            ("pillar", s.pillar, "same Plan 21-24 pillar", (s.pillar_name,) if s.pillar_name else ()),
            ("code", s.code, s.code_note, ()),
        ]
        for name, value, label, shared in parts:
            if value <= 0 or (name in ("text", "context") and not shared):
                continue  # a line of evidence always says what is shared
            detail = f"{label}: {', '.join(shared)}" if shared else label
            items.append((name, detail, round(WEIGHTS[name] * value, 4), tuple(shared)))
        return tuple(sorted(items, key=lambda e: -e[2]))

    def links(self, per_action: int | None = None) -> list[Link]:
        """Every link worth keeping: above LINK_MIN, within the caps per action and per action and document
        (graphkit.selection).

        Only candidate pairs are scored: `per_action` partners per action (default: CANDIDATES_PER_LINK for each
        link it may keep), or every pair of a corpus of at most `per_action` + 1 actions (graphkit.candidates).
        They are scored vectorised over the pairs; each action then takes its candidates best first, and the
        rapidfuzz check and the evidence are worked out only for the pairs that can be kept. Deterministic: the
        same actions give the same links in the same order, on one process or several. `timings` and `counts`
        then say how long each phase took and how many pairs it handled.
        """
        with collector_paused():
            return self._links(per_action)

    def _links(self, per_action: int | None) -> list[Link]:
        per_action = per_action or CANDIDATES_PER_LINK * caps(len(self.actions))[0]
        clock = time.perf_counter()
        left, right = candidate_pairs(self, per_action, self.workers)
        self._lap("candidates", clock)
        return self.links_of_candidates(left, right)[1]

    def links_of_candidates(
        self, left: np.ndarray, right: np.ndarray, touching: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[Link]]:
        """The links that candidate pairs (left[k] < right[k], each once) give, by pair key (i * n + j, i < j),
        sorted; only those with an end in `touching` (a mask over the actions) when it is given."""
        n = len(self.actions)
        clock = time.perf_counter()
        chunks = [(k, min(k + PAIR_CHUNK, len(left))) for k in range(0, len(left), PAIR_CHUNK)]
        scored = fork_map(_blend_of_pairs, chunks, self.workers, (self, left, right))
        blend = np.concatenate([np.zeros(0)] + [b for b, _ in scored])
        code = np.concatenate([np.zeros(0, dtype=bool)] + [c for _, c in scored])
        candidates = Candidates.of(n, left, right, blend, code)
        clock = self._lap("scores", clock)
        ranges = [(k, min(k + PICK_ROWS, n)) for k in range(0, n, PICK_ROWS)]
        self.texts, self.progress_texts  # noqa: B018 - built once here, then shared by the workers
        picks = fork_map(_pick_of_rows, ranges, self.workers, (self, candidates, caps(n)))
        kept, first_of = np.unique(np.concatenate([np.zeros(0, dtype=np.int64)] + [p[0] for p in picks]), True)
        verbatim = np.concatenate([np.zeros(0)] + [p[1] for p in picks])[first_of]
        reached = np.concatenate([np.zeros(0, dtype=np.int64)] + [p[2] for p in picks])
        if touching is not None:
            wanted = touching[kept // n] | touching[kept % n]
            kept, verbatim = kept[wanted], verbatim[wanted]
        clock = self._lap("picks", clock)
        # a pair's evidence is worded from the side that reached it first: the smaller index, when that one did
        first, second = kept // n, kept % n
        flip = ~np.isin(kept, reached)
        first[flip], second[flip] = second[flip], first[flip]
        chunks = [(k, min(k + LINK_CHUNK, len(kept))) for k in range(0, len(kept), LINK_CHUNK)]
        found = fork_map(_links_of_pairs, chunks, self.workers, (self, first, second, verbatim))
        clock = self._lap("evidence", clock)
        self.counts.update({"candidate pairs": len(left), "pairs reached": len(reached), "links": len(kept)})
        links = [_link_of(parts) for part in found for parts in part]
        self._lap("link records", clock)
        return kept, links

    def _lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = now - since
        return now


def _blend_of_pairs(shared, chunk: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    model, left, right = shared
    left, right = left[chunk[0] : chunk[1]], right[chunk[0] : chunk[1]]
    components = model.pair_components(left, right)
    return model.blend(left, right, components), components["code"] > 0


def _pick_of_rows(shared, rows: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs actions rows[0]..rows[1] keep (keys i * n + j, i < j) with their verbatim likeness, and the
    pairs they reach (keys i * n + j, i the action); see graphkit.selection."""
    model, candidates, kept_caps = shared
    n = len(model.actions)
    partner = candidates.partner
    lo = candidates.start[rows[0]]
    likeness = np.full(candidates.start[rows[1]] - lo, np.nan)  # by place in `candidates`, from lo

    def measure(places: np.ndarray, actions: np.ndarray) -> None:
        likeness[places - lo] = model.verbatim(actions, partner[places])

    def score(places: np.ndarray, actions: np.ndarray) -> np.ndarray:
        found = likeness[places - lo]
        return model.scores(actions, partner[places], candidates.blend[places], found, candidates.code[places])

    kept, owner, reached, reacher = pick(candidates, model.document, rows, kept_caps, measure, score)
    other = partner[kept]
    keys = np.minimum(owner, other) * n + np.maximum(owner, other)
    return keys, likeness[kept - lo], reacher * n + partner[reached]


def _links_of_pairs(shared, chunk: tuple[int, int]) -> list[tuple]:
    """The links of kept pairs chunk[0]..chunk[1] (as `LinkModel._link_parts`), each worded from its first side
    and stored smaller index first."""
    model, first, second, verbatim = shared
    left, right = first[chunk[0] : chunk[1]], second[chunk[0] : chunk[1]]
    components = model.pair_components(left, right)
    text_terms, context_terms = model._ranked_shared(left, right)
    found = []
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        values = {name: float(v[k]) for name, v in components.items()}
        signals = model.signals(i, j, values, (float(verbatim[chunk[0] + k]), text_terms[k], context_terms[k]))
        source, target, *rest = model._link_parts(i, j, signals)
        found.append((target, source, *rest) if i > j else (source, target, *rest))
    return found


def _link_of(parts: tuple) -> Link:
    """A link from its parts as a worker sends them, its ids, kind and scope the same string objects as every other
    link's (not one copy per link, as unpickled), its evidence written once as JSON (see Link)."""
    source, target, kind, scope, score, evidence = parts
    intern = sys.intern
    data = [{"kind": k, "detail": d, "weight": w, "terms": list(t)} for k, d, w, t in evidence]
    return Link(intern(source), intern(target), intern(kind), intern(scope), score, orjson.dumps(data))


def find_links(actions: Sequence[Action], workers: int | None = None) -> list[Link]:
    """All links of a corpus (see `LinkModel.links`); none for fewer than two actions.

    `workers` processes share the work on a large corpus (default: the usable cores; see graphkit.workers).
    """
    return LinkModel(actions, workers).links() if len(actions) > 1 else []


def _example_model() -> LinkModel:
    """Three actions of two plans, for the examples in this package's docstrings."""
    from graphkit.records import Source

    def act(i: str, text: str, doc: str) -> Action:
        return Action(i, doc, "p", "C", 2020, (2020, 2021), None, None, text, None, (), None, None, None,
                      "unknown", None, None, None, (), None, False, (), (), Source(doc, "f", 1))  # fmt: skip

    return LinkModel([act("a", "Review chronologies", "d"), act("b", "Chronologies reviewed yearly", "e"),
                      act("c", "Review foster carers yearly", "e")])  # fmt: skip
