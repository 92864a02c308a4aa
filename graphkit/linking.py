"""Links between actions: named signals, each in 0-1, combined into one score with evidence a person can check.

Signals (weights in WEIGHTS):

- text: cosine of TF-IDF vectors over `graphkit.terms` terms (acronyms expanded, paraphrases folded into
  concepts, stems; see graphkit.features), the best of whole texts and entry by entry, so "600 hours for LAC
  2 year olds" meets "a nursery place for care experienced 2-5 year-olds";
- context: the same over what surrounds the action (its outcome or inspection area, and its progress notes);
- themes: shared themes of the taxonomy, weighted by how rare each theme is in the corpus, so sharing
  "chronologies" says more than sharing "workforce";
- owner, foundation, pillar: the same owner role, Promise foundation or Plan 21-24 pillar;
- code: the same action code in two plans, or one action citing the other's code ("BC & GC 4 (3)").

Near-verbatim copies (rapidfuzz over the texts, or over long progress notes) are duplicates whatever the blend
says. Thresholds are named here and were set by measuring against tests/cases and ../shared/examples.json.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz
from scipy.sparse import csr_matrix

from graphkit.features import Features, Items, row_of
from graphkit.records import Action, Evidence, Link
from graphkit.vocab import THEMES_BY_SLUG

WEIGHTS = {
    "text": 0.34,
    "context": 0.18,
    "themes": 0.26,
    "owner": 0.06,
    "foundation": 0.04,
    "pillar": 0.02,
    "code": 0.10,
}
CROSS_CONTEXT_WEIGHT = 0.8  # one action's notes against the other's text count a little less than like for like
INFERRED_FOUNDATION_WEIGHT = 0.5  # a foundation inferred from themes is half a printed one
VERBATIM_RATIO = 90  # rapidfuzz token_sort_ratio at or above this: the same words, a copy
VERBATIM_CONTAINED_WORDS = 6  # a copied sentence inside a longer one counts when it has this many words
PROGRESS_VERBATIM_LENGTH = 120  # identical progress notes only count when they say something
SHARED_PASSAGE_WORDS = 10  # ...and a shared passage when it is this long
LINK_MIN = 0.12  # weaker pairs are not stored
MAX_LINKS_PER_ACTION = 60  # kept per action; `related` shows the best of them
CANDIDATE_MARGIN = 4  # extra candidates per cap scored in full, as the verbatim rules can lift a pair
MAX_LINKS_PER_DOCUMENT = 12  # so a plan's own near neighbours never crowd out every other plan
DUPLICATE_SCORE = 0.5
DUPLICATE_TEXT = 0.65  # the same wording, give or take a few words: a duplicate whatever else differs
OVERLAP_SCORE = 0.28
EVIDENCE_TERMS = 6  # shared words shown per signal
ITEM_WEIGHT = 0.9  # one matching entry of a list counts a little less than matching texts
THEME_SCALE = 0.8  # one shared theme that only these two actions have gives 0.8 of the theme signal
BLOCK_ROWS = 512  # rows of pairs scored at once: 512 x n floats


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

    @property
    def blend(self) -> float:
        """The weighted signals over the weight of the signals both actions have (see `LinkModel.available`)."""
        return sum(WEIGHTS[name] * getattr(self, name) for name in WEIGHTS) / self.available


def scope_of(a: Action, b: Action) -> str:
    """within_plan, cross_plan (same council) or cross_council."""
    if a.council != b.council:
        return "cross_council"
    return "within_plan" if (a.document, a.plan) == (b.document, b.plan) else "cross_plan"


class LinkModel(Features):
    """The term model and per-action features of one corpus; scores pairs of its actions a block at a time.

    Parameters
    ----------
    actions
        All actions of the corpus (the term weights depend on all of them).

    Examples
    --------
    >>> from graphkit.records import Action, Source
    >>> def act(i, text, doc="d"):
    ...     return Action(i, doc, "p", "C", 2020, (2020, 2021), None, None, text, None, (), None, None, None,
    ...                   "unknown", None, None, None, (), None, False, (), (), Source(doc, "f", 1))
    >>> model = LinkModel([act("a", "Review chronologies"), act("b", "Chronologies reviewed", "e"),
    ...                    act("c", "Recruit foster carers", "e")])
    >>> model.signals(0, 1).text > model.signals(0, 2).text
    True
    """

    def _item_similarity(self, start: int, stop: int, left: Items | None = None, right: Items | None = None):
        """The best cosine between any item (list entry or sentence) of each action in start..stop and any
        item of every action: a 2015 one-liner against one numbered entry of a 2023 list."""
        left, right = left or self.items, right or self.items
        best = np.zeros((stop - start, len(self.actions)))
        lo, hi = left.start[start], left.start[stop]
        if hi <= lo or not right.matrix.shape[0]:
            return best
        product = (left.matrix[lo:hi] @ right.matrix.T).tocoo()
        rows = left.owner[product.row + lo] - start
        cols = right.owner[product.col]
        np.maximum.at(best, (rows, cols), product.data)
        return best

    def _context_similarity(self, block: slice) -> np.ndarray:
        """Outcome and progress against outcome and progress, and against the other action's own text:
        what a 2015 action's progress notes say was done is often what a later plan commits to."""
        same = (self.context[block] @ self.context.T).toarray()
        cross = np.maximum((self.context[block] @ self.text.T).toarray(), (self.text[block] @ self.context.T).toarray())
        notes = self._item_similarity(block.start, block.stop, self.notes, self.notes)
        notes = np.maximum(notes, self._item_similarity(block.start, block.stop, self.items, self.notes))
        notes = np.maximum(notes, self._item_similarity(block.start, block.stop, self.notes, self.items))
        return np.maximum(same, CROSS_CONTEXT_WEIGHT * np.maximum(cross, notes))

    def components(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Every signal (0-1) of actions start..stop against every action, as (stop - start) x n arrays."""
        f = self._features
        block = slice(start, stop)
        whole = (self.text[block] @ self.text.T).toarray()
        text = np.maximum(whole, ITEM_WEIGHT * self._item_similarity(start, stop))
        shared = (f["foundations"][block] @ f["foundations"].T).toarray()
        sizes = np.asarray(f["foundations"].sum(axis=1)).ravel()
        union = sizes[block, None] + sizes[None, :] - shared
        foundation = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        inferred = np.array([a.foundations_inferred for a in self.actions], dtype=bool)
        foundation *= np.where(inferred[block, None] | inferred[None, :], INFERRED_FOUNDATION_WEIGHT, 1.0)
        return {
            "text": np.minimum(text, 1.0),
            "context": self._context_similarity(block),
            "themes": np.minimum(THEME_SCALE * (f["themes"][block] @ f["themes"].T).toarray(), 1.0),
            # the most specific shared owner: a role that owns half a plan says little
            "owner": np.minimum(_max_product(f["owners"][block], f["owners"]), 1.0),
            "foundation": foundation,
            "pillar": ((f["pillars"][block] @ f["pillars"].T).toarray() > 0).astype(float),
            "code": (f["codes"][block].toarray() > 0).astype(float),
        }

    def available(self, start: int, stop: int, code: np.ndarray) -> np.ndarray:
        """The total weight of the signals that both actions of a pair can have.

        A plan without owners, themes, foundations or pillars cannot share them; a pair is scored on what
        both sides have (a 2015 one-liner with no theme against its 2023 successor is scored on its words),
        so missing columns do not count against it. A code citation counts only when there is one.
        """
        total = np.zeros((stop - start, len(self.actions)))
        for name, has in self.has.items():
            total += WEIGHTS[name] * (has[start:stop, None] & has[None, :])
        return total + WEIGHTS["code"] * code

    def signals(self, i: int, j: int, components: dict[str, np.ndarray] | None = None, row: int = 0) -> Signals:
        """The signals between actions i and j with the shared items behind each (for evidence)."""
        if components is None:
            components, row = self.components(i, i + 1), 0
        a, b = self.actions[i], self.actions[j]
        value = {name: float(matrix[row, j]) for name, matrix in components.items()}
        shared_themes = tuple(
            sorted(set(self.themes[i]) & set(self.themes[j]), key=lambda t: (-self.specificity[t], t))
        )
        return Signals(
            **value,
            available=sum(WEIGHTS[k] for k, has in self.has.items() if has[i] and has[j])
            + WEIGHTS["code"] * value["code"],
            verbatim=self._verbatim(i, j),
            shared_terms=self._shared_terms(self.text, i, j),
            shared_context=self._shared_terms(self.context, i, j),
            shared_themes=shared_themes,
            shared_owners=tuple(self.owners[i][k] for k in self.owners[i] if k in self.owners[j]),
            shared_foundations=tuple(f for f in a.foundations if f in b.foundations),
            code_note=self._code_note(i, j) if value["code"] else "",
        )

    def _shared_terms(self, matrix, i: int, j: int) -> tuple[str, ...]:
        av, bv = row_of(matrix, i), row_of(matrix, j)
        # concepts first: "siblings / brothers and sisters" says more than "brother"
        ranked = sorted(
            ((not self.vocabulary[k].startswith("~"), -av[k] * bv[k], k) for k in av.keys() & bv.keys()),
        )
        words: list[str] = []
        for _, _, k in ranked:
            word = self.surface(self.vocabulary[k], i)
            if not any(word in w or w in word for w in words):
                words.append(word)
            if len(words) == EVIDENCE_TERMS:
                break
        return tuple(words)

    def _code_note(self, i: int, j: int) -> str:
        a, b = self.actions[i], self.actions[j]
        if j in self.cited.get(i, ()):
            return f"{a.code or a.id} cites {b.code_printed or b.code}"
        if i in self.cited.get(j, ()):
            return f"{b.code or b.id} cites {a.code_printed or a.code}"
        return f"same code {a.code}"

    def _shared_passage(self, i: int, j: int) -> str:
        """The longest run of words two progress notes share, when it is at least SHARED_PASSAGE_WORDS long."""
        a, b = self.flat_progress[i].split(), self.flat_progress[j].split()
        match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        return " ".join(a[match.a : match.a + match.size]) if match.size >= SHARED_PASSAGE_WORDS else ""

    def _verbatim(self, i: int, j: int) -> float:
        best = 0.0
        a, b = self.flat_text[i], self.flat_text[j]
        if a and b:
            best = fuzz.token_sort_ratio(a, b)
            if min(a.count(" "), b.count(" ")) + 1 >= VERBATIM_CONTAINED_WORDS:
                # one plan copied the other's sentence and added to it ("... fit for purpose. 2 x audits")
                best = max(best, fuzz.token_set_ratio(a, b))
        p, q = self.flat_progress[i], self.flat_progress[j]
        if min(len(p), len(q)) >= PROGRESS_VERBATIM_LENGTH:
            best = max(best, fuzz.ratio(p, q))
        return best / 100

    # -- links ------------------------------------------------------------------------------------------------

    def link(self, i: int, j: int, signals: Signals | None = None) -> Link:
        """The scored, labelled link between actions i and j, with its evidence."""
        s = signals or self.signals(i, j)
        a, b = self.actions[i], self.actions[j]
        score = s.blend
        verbatim = s.verbatim * 100 >= VERBATIM_RATIO
        if verbatim:
            score = max(score, s.verbatim)
        passage = self._shared_passage(i, j) if s.code else ""
        if passage:
            # one action cites the other's code and reports the same progress: one piece of work, listed twice
            score = max(score, DUPLICATE_SCORE)
        scope = scope_of(a, b)
        same_words = s.text >= DUPLICATE_TEXT
        if verbatim or passage or same_words or score >= DUPLICATE_SCORE:
            kind = "duplicate"
        else:
            kind = "overlap" if score >= OVERLAP_SCORE else "related"
        evidence = self.evidence(s)
        if passage:
            evidence = (
                Evidence("passage", f"same progress reported: “{passage}”", DUPLICATE_SCORE, (passage,)),
                *evidence,
            )
        return Link(a.id, b.id, kind, scope, round(min(score, 1.0), 4), evidence)

    def evidence(self, s: Signals) -> tuple[Evidence, ...]:
        items = []
        if s.verbatim * 100 >= VERBATIM_RATIO:
            items.append(Evidence("verbatim", f"near-verbatim copy (rapidfuzz {s.verbatim * 100:.0f})", s.verbatim))
        parts = [
            ("text", s.text, "shared words", s.shared_terms),
            ("context", s.context, "shared outcome or progress words", s.shared_context),
            ("themes", s.themes, "shared themes", tuple(THEMES_BY_SLUG[t].label for t in s.shared_themes)),
            ("owner", s.owner, "same owner", s.shared_owners),
            ("foundation", s.foundation, "same Promise foundation", s.shared_foundations),
            ("pillar", s.pillar, "same Plan 21-24 pillar", ()),
            ("code", s.code, s.code_note, ()),
        ]
        for name, value, label, shared in parts:
            if value <= 0:
                continue
            detail = f"{label}: {', '.join(shared)}" if shared else label
            items.append(Evidence(name, detail, round(WEIGHTS[name] * value, 4), tuple(shared)))
        return tuple(sorted(items, key=lambda e: -e.weight))

    def links(self) -> list[Link]:
        """Every link worth keeping: above LINK_MIN, at most MAX_LINKS_PER_ACTION per action.

        Pairs are scored a block of rows at a time with sparse products, so no n x n matrix is held; the
        evidence and the rapidfuzz check are computed only for the best pairs of each action.
        Deterministic: the same actions give the same links in the same order.
        """
        n = len(self.actions)
        kept: dict[tuple[int, int], Link] = {}
        computed: dict[tuple[int, int], Link] = {}
        for start in range(0, n, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, n)
            components = self.components(start, stop)
            available = self.available(start, stop, components["code"])
            blend = sum(WEIGHTS[name] * components[name] for name in WEIGHTS) / available
            for i in range(start, stop):
                row = blend[i - start]
                row[i] = -1.0
                picked = []
                # the blend ranks the candidates; the verbatim and passage rules only raise a score, and
                # only for pairs that already share most of their words, so a small margin over the caps
                # is enough before the costlier evidence is computed
                per_document: Counter[str] = Counter()
                for j in np.argsort(-row, kind="stable"):
                    j = int(j)
                    if row[j] < LINK_MIN / 2 or len(picked) >= MAX_LINKS_PER_ACTION + CANDIDATE_MARGIN:
                        break
                    document = self.actions[j].document
                    if per_document[document] >= MAX_LINKS_PER_DOCUMENT + CANDIDATE_MARGIN:
                        continue
                    per_document[document] += 1
                    key = (min(i, j), max(i, j))
                    link = computed.get(key)
                    if link is None:
                        link = self.link(i, j, self.signals(i, j, components, i - start))
                        if (i, j) != key:
                            link = Link(link.target, link.source, link.kind, link.scope, link.score, link.evidence)
                        computed[key] = link
                    if link.score >= LINK_MIN:
                        picked.append((-link.score, j, key, link))
                per_document = Counter()
                taken = 0
                for _, j, key, link in sorted(picked):
                    document = self.actions[j].document
                    if per_document[document] < MAX_LINKS_PER_DOCUMENT and taken < MAX_LINKS_PER_ACTION:
                        per_document[document] += 1
                        taken += 1
                        kept[key] = link
        return [kept[key] for key in sorted(kept)]


def _max_product(left: csr_matrix, right: csr_matrix) -> np.ndarray:
    """For each pair of rows, the largest product of one column's values (not their sum)."""
    best = np.zeros((left.shape[0], right.shape[0]))
    right_csc = right.tocsc()
    for column in np.unique(left.indices):
        rows = left[:, column].toarray().ravel()
        cols = right_csc[:, column].toarray().ravel()
        np.maximum(best, np.outer(rows, cols), out=best)
    return best


def find_links(actions: Sequence[Action]) -> list[Link]:
    """All links of a corpus (see `LinkModel.links`); none for fewer than two actions."""
    return LinkModel(actions).links() if len(actions) > 1 else []
