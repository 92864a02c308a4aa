"""Learn the link signals' weights (graphkit.signals.WEIGHTS) from the hand-read trace cases, and say how well
they rank on plans they were not fitted on.

    .venv/bin/graphkit index                                   # the store this reads (./.graphkit)
    .venv/bin/python bench/learn_weights.py [--store .graphkit] [--c 3] [--try-features] [--json]

Every probe of tests/cases/traces.json, holdout.json and examples.json (all of them tuning cases now) is paired
with every action of the plans in its direction (later plans for a forward probe, earlier for a backward one);
a pair is positive when the readers call the candidate a strong equivalent. Each pair's features are the
signals `graphkit.signals.PairSignals.pair_components` gives. A logistic regression (balanced classes, L2,
strength --c) is fitted on the pairs; its non-negative coefficients, scaled to the weight the learned signals
share, are the weights.

How well the weights generalise is measured by leaving one probe document out at a time (the 2015 inspection
plan, Dundee 2021, Clackmannanshire 2023, its CPC plan, South Ayrshire): the weights are fitted on the other
documents' probes and rank the left-out document's probes, scored as the blend `graphkit.signals` makes of them
(over the weight of the signals both actions have) plus trace's same-council bonus. The figures printed are
those of the left-out folds only, beside the current WEIGHTS on the same candidates.

It also prints a calibration table: out of fold, how often a pair whose lineage score falls in a range is a
strong equivalent, beside the mean score there.

--try-features also scores four features that are not in the lineage score, each added on its own at the same
C: a character n-gram cosine, a BM25-like term coverage, mutual best match and best match within the candidate's
document (see `Pairs._extra`). None raised the cross-validated figures.

The code signal is not learned: no trace case pairs two plans by a shared or cited code (it is a within-plan
and duplicate rule), so it keeps its fixed weight and the others share the rest. The learned values are
committed in graphkit/signals.py as LEARNED_WEIGHTS; nothing is learned at index time.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from links_cases import CASES, examples_as_cases  # noqa: E402

from graphkit.features import title_of  # noqa: E402
from graphkit.linking import LinkModel  # noqa: E402
from graphkit.queries import LinkIndex  # noqa: E402
from graphkit.signals import WEIGHTS  # noqa: E402
from graphkit.store import default_store, load_corpus  # noqa: E402
from graphkit.weights import NO_TEXT_WEIGHT  # noqa: E402

SAME_COUNCIL_BONUS = 0.04  # what trace added to a same-council link's score before the lineage score
STRENGTHS = (0.3, 1.0, 3.0, 10.0)  # the values of --c a nested cross-validation chooses among
FILES = ("traces.json", "holdout.json", "examples.json")
LEARNED = ("text", "context", "themes", "owner", "foundation", "pillar")  # "code" keeps its weight (see above)
FEATURES = (*LEARNED, "code", "same_council")


def cases(index: LinkIndex) -> list[tuple[str, dict]]:
    """(file name, trace case) for every trace case of the tuning files."""
    found = []
    for name in FILES:
        data = json.loads((CASES / name).read_text(encoding="utf-8"))
        traces = examples_as_cases(index, data)[0] if name == "examples.json" else data.get("traces", [])
        found += [(name, case) for case in traces]
    return found


class Pairs:
    """Every probe's candidates with their signals and labels (2 strong, 1 partial, 0 neither)."""

    def __init__(self, model: LinkModel, labelled: list[tuple[str, dict]]) -> None:
        self.model = model
        actions = model.actions
        where = {a.id: i for i, a in enumerate(actions)}
        year = np.array([a.year for a in actions])
        council = np.array([a.council for a in actions])
        has_text = np.array([bool((a.text or "").strip()) for a in actions])
        self.probes = []
        for name, case in labelled:
            i = where.get(case["probe"]["id"])
            if i is None:
                continue
            later = (case.get("direction") or "later") == "later"
            right = np.flatnonzero(year > year[i] if later else year < year[i])
            left = np.full(len(right), i)
            own_text = has_text[right] & has_text[i]
            strength = {e["id"]: e["strength"] for e in case["equivalents"]}
            label = np.array([{"strong": 2, "partial": 1}.get(strength.get(actions[j].id), 0) for j in right])
            self.probes.append(
                {
                    "file": name,
                    "document": actions[i].document,
                    "left": left,
                    "right": right,
                    "components": model.pair_components(left, right),
                    "same": council[right] == council[i],
                    "own_text": own_text,
                    "label": label,
                    "extra": self._extra(i, right),
                }
            )

    def _extra(self, i: int, right: np.ndarray) -> dict[str, np.ndarray]:
        """Features tried beside the signals (`--try-features`): none is in LINEAGE_WEIGHTS, as none raised the
        cross-validated figures.

        - char: cosine of character 3-5-gram TF-IDF vectors of the two texts (word forms: "attend" / "attendance");
        - cover: the smaller share of either text's term weight that the other text has (BM25-like coverage);
        - mutual: the probe is the candidate's best-scoring action (link score) in the probe's document;
        - first_in_document: the candidate is the probe's best-scoring action in the candidate's document.
        """
        blend, document = self.scores, self.model.document
        char = self.char[i, right]
        cover = np.minimum(self.coverage[i, right], self.coverage[right, i])
        in_probe_document = document == document[i]
        mutual = np.array([blend[j, in_probe_document].max() <= blend[j, i] for j in right], dtype=float)
        first = np.array([blend[i, document == document[j]].max() <= blend[i, j] for j in right], dtype=float)
        return {"char": char, "cover": cover, "mutual": mutual, "first_in_document": first}

    @cached_property
    def scores(self) -> np.ndarray:
        """The link score (blend) of every pair of actions, as a square matrix."""
        n = len(self.model.actions)
        left, right = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
        return self.model.blend(left, right, self.model.pair_components(left, right)).reshape(n, n)

    @cached_property
    def char(self) -> np.ndarray:
        texts = [" ".join(filter(None, (title_of(a), a.text or a.progress))) for a in self.model.actions]
        vectors = normalize(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
        )
        return (vectors @ vectors.T).toarray()

    @cached_property
    def coverage(self) -> np.ndarray:
        """[i, j]: the share of action i's text term weight (squared TF-IDF) whose terms action j's text has."""
        text = self.model.text
        return (text.multiply(text) @ (text > 0).astype(float).T).toarray()

    def features(self, probe: dict, names=FEATURES) -> np.ndarray:
        """The lineage features of a probe's pairs, as `graphkit.weights.lineage_score` reads them off a link."""
        c = probe["components"]
        own = np.where(probe["own_text"], 1.0, NO_TEXT_WEIGHT)
        columns = {**c, **probe["extra"], "same_council": probe["same"]}
        columns.update({"text": own * c["text"], "themes": own * c["themes"]})
        return np.column_stack([columns[name] for name in names]).astype(float)

    def fit_lineage(self, probes: list[dict], strength: float, features=FEATURES) -> dict[str, float]:
        """LINEAGE_WEIGHTS: a logistic regression of "strong equivalent" on the features, refitted without any
        feature whose coefficient comes out negative (a shared signal never counts against a pair)."""
        names = list(features)
        y = np.concatenate([p["label"] == 2 for p in probes]).astype(int)
        while True:
            x = np.vstack([self.features(p, names) for p in probes])
            fitted = LogisticRegression(C=strength, max_iter=5000).fit(x, y)
            coef = fitted.coef_[0]
            if (coef >= 0).all():
                break
            names = [name for name, c in zip(names, coef, strict=True) if c >= 0]
        weights = {name: 0.0 for name in features}
        weights.update({name: round(float(c), 3) for name, c in zip(names, coef, strict=True)})
        return {"intercept": round(float(fitted.intercept_[0]), 3), **weights}

    def choose_strength(self, probes: list[dict]) -> float:
        """The STRENGTHS value whose lineage weights rank best (MRR) leaving one of these probes' documents out
        at a time: how --c would be chosen without the fold being scored."""
        documents = sorted({p["document"] for p in probes})

        def mrr(strength: float) -> float:
            ordered, scores = [], []
            for document in documents:
                test = [p for p in probes if p["document"] == document]
                weights = self.fit_lineage([p for p in probes if p["document"] != document], strength)
                ordered += test
                scores += [self.lineage(p, weights) for p in test]
            return figures(ordered, scores)["mrr"] or 0.0

        return max(STRENGTHS, key=mrr)  # the first of equals: the strongest regularisation

    def lineage(self, probe: dict, weights: dict[str, float]) -> np.ndarray:
        """The lineage score (log-odds: the same order as the probability) of a probe's pairs."""
        names = [name for name in weights if name != "intercept"]
        return weights["intercept"] + self.features(probe, names) @ np.array([weights[name] for name in names])

    def fit(self, probes: list[dict], strength: float) -> dict[str, float]:
        """Weights learned from these probes' pairs (the code weight kept, the others sharing the rest)."""
        x = np.vstack([np.column_stack([p["components"][name] for name in LEARNED]) for p in probes])
        y = np.concatenate([p["label"] == 2 for p in probes]).astype(int)
        fitted = LogisticRegression(C=strength, class_weight="balanced", max_iter=5000).fit(x, y)
        coef = np.clip(fitted.coef_[0], 0.0, None)
        share = 1.0 - WEIGHTS["code"]
        weights = {name: round(float(share * c / coef.sum()), 3) for name, c in zip(LEARNED, coef, strict=True)}
        return {**weights, "code": WEIGHTS["code"]}

    def blend(self, probe: dict, weights: dict[str, float]) -> np.ndarray:
        """The blend `graphkit.signals` makes with these weights, plus trace's same-council bonus."""
        left, right, c = probe["left"], probe["right"], probe["components"]
        weighted = sum(weights[name] * c[name] for name in weights)
        available = sum(weights[name] * (has[left] & has[right]) for name, has in self.model.has.items())
        available = available + weights["code"] * c["code"]
        return weighted / np.maximum(available, 1e-12) + SAME_COUNCIL_BONUS * probe["same"]


def figures(probes: list[dict], scores: list[np.ndarray]) -> dict:
    """strong@1, strong@3 and MRR of the first strong candidate (ties broken against it)."""
    n = at1 = at3 = 0
    reciprocal = 0.0
    for probe, score in zip(probes, scores, strict=True):
        strong = probe["label"] == 2
        if not strong.any():
            continue
        best = score[strong].max()
        rank = int((score[~strong] >= best).sum())  # pessimistic: a tie ranks the strong one below
        n += 1
        at1 += rank == 0
        at3 += rank < 3
        reciprocal += 1 / (rank + 1)
    return {"probes": n, "strong_at_1": at1, "strong_at_3": at3, "mrr": round(reciprocal / n, 3) if n else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="the store to read (default: ./.graphkit)")
    parser.add_argument("--c", type=float, default=3.0, help="inverse L2 strength of the logistic regression")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--try-features",
        action="store_true",
        help="also score each extra feature added to the lineage's (see Pairs._extra)",
    )
    args = parser.parse_args(argv)
    corpus = load_corpus(args.store or default_store())
    index = LinkIndex(corpus)
    pairs = Pairs(LinkModel(corpus.actions), cases(index))
    documents = sorted({p["document"] for p in pairs.probes})
    held_out: dict[str, list[np.ndarray]] = {"current": [], "learned": [], "lineage": [], "nested": []}
    ordered: list[dict] = []
    folds = {}
    lineage_folds = {}
    strengths: dict[str, float] = {}
    for document in documents:
        test = [p for p in pairs.probes if p["document"] == document]
        folds[document] = pairs.fit([p for p in pairs.probes if p["document"] != document], args.c)
        ordered += test
        held_out["current"] += [pairs.blend(p, WEIGHTS) for p in test]
        held_out["learned"] += [pairs.blend(p, folds[document]) for p in test]
        lineage = pairs.fit_lineage([p for p in pairs.probes if p["document"] != document], args.c)
        lineage_folds[document] = lineage
        held_out["lineage"] += [pairs.lineage(p, lineage) for p in test]
        train = [p for p in pairs.probes if p["document"] != document]
        strengths[document] = strength = pairs.choose_strength(train)
        held_out["nested"] += [pairs.lineage(p, pairs.fit_lineage(train, strength)) for p in test]
    result = {
        "weights": pairs.fit(pairs.probes, args.c),
        "fold_weights": folds,
        "lineage_weights": pairs.fit_lineage(pairs.probes, args.c),
        "lineage_fold_weights": lineage_folds,
        "nested_strengths": strengths,
        "cross_validated": {},
    }
    for name in FILES:
        chosen = [k for k, p in enumerate(ordered) if p["file"] == name]
        result["cross_validated"][name] = {
            which: figures([ordered[k] for k in chosen], [scores[k] for k in chosen])
            for which, scores in held_out.items()
        }
    result["cross_validated"]["all"] = {which: figures(ordered, scores) for which, scores in held_out.items()}
    result["calibration"] = calibration(pairs, documents, args.c)
    if args.try_features:
        result["extra_features"] = {
            extra: cross_validated(
                pairs, documents, lambda train, extra=extra: pairs.fit_lineage(train, args.c, (*FEATURES, extra))
            )
            for extra in ("char", "cover", "mutual", "first_in_document")
        }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print("learned weights (all tuning cases):", result["weights"])
    print("current weights:", WEIGHTS)
    print("\nleave one probe document out: each fold ranked with weights fitted on the other documents")
    print("lineage weights (all tuning cases):", result["lineage_weights"])
    print("C chosen inside each fold (nested):", strengths)
    print(
        "| cases | probes | current: strong first / top 3 / MRR | learned blend | learned lineage "
        f"(C={args.c}) | learned lineage, C chosen inside each fold |"
    )
    print("|---|---|---|---|---|---|")
    for name, by in result["cross_validated"].items():
        cells = [f"{f['strong_at_1']} / {f['strong_at_3']} / {f['mrr']}" for f in by.values()]
        print(f"| {name} | {by['current']['probes']} | " + " | ".join(cells) + " |")
    print("\ncalibration, out of fold (C fixed): lineage score range | pairs | mean score | share strong")
    for row in result["calibration"]:
        print(f"| {row['from']}-{row['to']} | {row['pairs']} | {row['mean_score']} | {row['share_strong']} |")
    for extra, by in result.get("extra_features", {}).items():
        print(
            f"lineage + {extra} (C={args.c}):",
            " | ".join(f"{name} {f['strong_at_1']} / {f['strong_at_3']} / {f['mrr']}" for name, f in by.items()),
        )
    return 0


CALIBRATION_BINS = (0.0, 0.005, 0.02, 0.08, 0.2, 1.0)


def calibration(pairs: Pairs, documents: list[str], strength: float) -> list[dict]:
    """How often a pair is a strong equivalent, against its lineage score fitted without its probe's document."""
    found, strong = [], []
    for document in documents:
        test = [p for p in pairs.probes if p["document"] == document]
        weights = pairs.fit_lineage([p for p in pairs.probes if p["document"] != document], strength)
        found += [1 / (1 + np.exp(-pairs.lineage(p, weights))) for p in test]
        strong += [p["label"] == 2 for p in test]
    score, label = np.concatenate(found), np.concatenate(strong)
    rows = []
    for low, high in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:], strict=False):
        inside = (score >= low) & (score < high) if high < 1 else (score >= low)
        rows.append(
            {
                "from": low,
                "to": high,
                "pairs": int(inside.sum()),
                "mean_score": round(float(score[inside].mean()), 3) if inside.any() else None,
                "share_strong": round(float(label[inside].mean()), 3) if inside.any() else None,
            }
        )
    return rows


def cross_validated(pairs: Pairs, documents: list[str], fit) -> dict[str, dict]:
    """The figures of each case file (and all) when each document's probes are ranked by `fit` of the others'."""
    ordered, scores = [], []
    for document in documents:
        test = [p for p in pairs.probes if p["document"] == document]
        weights = fit([p for p in pairs.probes if p["document"] != document])
        ordered += test
        scores += [pairs.lineage(p, weights) for p in test]
    found = {}
    for name in (*FILES, "all"):
        chosen = [k for k, p in enumerate(ordered) if name in ("all", p["file"])]
        found[name] = figures([ordered[k] for k in chosen], [scores[k] for k in chosen])
    return found


if __name__ == "__main__":
    sys.exit(main())
