"""Linking after a few documents changed: `graphkit index` keeps the links between unchanged documents from the last
build and works out only those of the changed ones.

When nothing changed since the last build, and linking's code neither, its links are taken as they are: the same
actions give the same links, so this is exact. When some documents changed (added, edited, removed) in a large
corpus, only the changed documents' actions are linked again (`relinked`):

- the term model is built again over the whole corpus, as every score needs it;
- each changed action searches for its candidates, and an unchanged action proposes a changed one when their
  search score reaches its bar: the score of the last of its candidates in the build before, which every build
  keeps (BARS_FILE; see `graphkit.candidates.candidate_pairs_of`), so the candidate pairs are nearly those a
  full build would search;
- each changed action takes its best links, as in a full build (graphkit.linking, graphkit.selection), and each
  unchanged action it meets takes its candidates again, its links plus the changed actions, best first within its
  caps, so a changed action it prefers to its present links becomes a link;
- links between two unchanged actions stay as they were; those of a removed or changed document go.

This is not exact. The term weights are corpus-wide, so a full build scores the kept links a little differently;
an unchanged action keeps links a full build would drop for a new partner, and loses those to a removed document
without taking others. `bench/relink.py` measures how far the links drift from a full build's. So it is used
only in a corpus of more than `LARGE_CORPUS` actions (where a full linking takes a minute or more, and the
candidate search is already an approximation), and only while the actions linked this way since the last full
linking stay within `INCREMENTAL_SHARE` of the corpus; `graphkit index --full` links every action again. The
build's manifest says which way its links were worked out (`linking`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from graphkit.candidates import CANDIDATES_PER_LINK, candidate_pairs_of
from graphkit.linking import LinkModel
from graphkit.parsecache import source_fingerprint
from graphkit.records import Action, Link
from graphkit.selection import LARGE_CORPUS, caps
from graphkit.store import FORMAT_VERSION, MANIFEST, StoreError, current_build, read_links
from graphkit.workers import collector_paused

# The share of a corpus's actions that may be linked incrementally since its last full linking (summed over the
# builds in between). One new plan of 100 actions in a corpus of 32,000 is 0.3%; past this a build links in full.
INCREMENTAL_SHARE = 0.05
INCREMENTAL_FROM = LARGE_CORPUS + 1  # actions, in the corpus and in the last build
LINKING_ROOTS = ("graphkit.linking", "graphkit.relink")  # the code links depend on (see `linking_fingerprint`)
BARS_FILE = "candidate-bars.json"  # in a build folder: each action's candidate bar (see `write_bars`)


def linking_fingerprint() -> str:
    """A hash of the source of every module linking runs: links kept from a build linked by other code are not
    trusted."""
    return source_fingerprint(LINKING_ROOTS, FORMAT_VERSION)


@dataclass(frozen=True)
class Linking:
    """How a build works out its links: `mode` is "full", "reused" (nothing changed) or "incremental".

    `changed` names the documents whose actions are linked again (added, edited or removed since the `base`
    build), `share` is the share of the corpus linked incrementally since the last full linking, and `reason`
    says in words why this mode was chosen.
    """

    mode: str
    reason: str
    base: Path | None = None
    changed: tuple[str, ...] = ()
    share: float = 0.0
    base_actions: frozenset[str] = field(default=frozenset(), repr=False)

    def manifest(self) -> dict[str, Any]:
        """What the build's manifest records of it."""
        return {
            "mode": self.mode,
            "reason": self.reason,
            "fingerprint": linking_fingerprint(),
            "base": self.base.name if self.base else None,
            "changed": list(self.changed),
            "share": round(self.share, 6),
        }


def choose_linking(store: Path, keys: dict[str, str], actions: Sequence[Action], full: bool = False) -> Linking:
    """How a build of `actions` (whose documents have the parse keys `keys`, see graphkit.parsecache) should work
    out its links, given the current build of `store`.

    >>> choose_linking(Path("no-such-store"), {}, []).reason
    'no earlier build'
    """
    if full:
        return Linking("full", "--full")
    try:
        base = current_build(store)
        manifest = json.loads((base / MANIFEST).read_text(encoding="utf-8"))
    except (StoreError, OSError, ValueError):
        return Linking("full", "no earlier build")
    earlier = manifest.get("linking") or {}
    if manifest.get("format_version") != FORMAT_VERSION or earlier.get("fingerprint") != linking_fingerprint():
        return Linking("full", "the last build was linked by other code")
    if not (base / BARS_FILE).is_file():
        return Linking("full", "the last build kept no candidate bars")
    records = _records_per_document(base)
    if records is None:
        return Linking("full", "the last build's coverage cannot be read")
    old_keys: dict[str, str] = manifest.get("parse_keys") or {}
    documents = list(dict.fromkeys(a.document for a in actions))
    # a document is the same when its parse key is: the same file, catalogue row and parser give the same actions
    changed = [d for d in documents if d not in keys or old_keys.get(d) != keys[d]]
    removed = [d for d, count in records.items() if count and d not in documents]
    kept = frozenset(a.id for a in actions if a.document not in changed)
    share = float(earlier.get("share", 0.0))
    if not changed and not removed and list(old_keys) == list(keys):
        return Linking("reused", "no document changed", base, (), share, kept)
    before = int(manifest.get("actions", 0))
    if min(len(actions), before) < INCREMENTAL_FROM or caps(len(actions)) != caps(before):
        return Linking("full", f"a corpus of at most {INCREMENTAL_FROM - 1:,} actions is linked in full")
    share += (sum(1 for a in actions if a.document in changed) + sum(records[d] for d in removed)) / len(actions)
    if share > INCREMENTAL_SHARE:
        return Linking("full", f"{share:.1%} of the actions would be linked incrementally since a full linking")
    changed_documents = (*changed, *removed)
    reason = f"{len(changed_documents)} of {len(documents)} documents changed" if changed_documents else "reordered"
    return Linking("incremental", reason, base, changed_documents, share, kept)


def _records_per_document(build: Path) -> dict[str, int] | None:
    try:
        rows = json.loads((build / "coverage.json").read_text(encoding="utf-8"))
        return {row["document"]: int(row.get("records", 0)) for row in rows}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def link(actions: Sequence[Action], linking: Linking, workers: int | None = None) -> tuple[list[Link], np.ndarray]:
    """The links of a corpus, worked out as `linking` says (see `choose_linking`), and the candidate bars of its
    actions (see `graphkit.candidates.candidate_pairs`), for the next build to keep with `write_bars`.

    Raises
    ------
    StoreError
        When the base build's links or bars cannot be read (the caller then links in full).
    """
    if len(actions) < 2:
        return [], np.zeros(len(actions))
    if linking.mode == "full":
        model = LinkModel(actions, workers)
        return model.links(), model.candidate_bars
    assert linking.base is not None
    bars = read_bars(linking.base, actions, linking.base_actions)
    kept = [
        link
        for link in read_links(linking.base)
        if link.source in linking.base_actions and link.target in linking.base_actions
    ]
    if linking.mode == "reused":
        return kept, bars
    index = {a.id: i for i, a in enumerate(actions)}
    changed = np.array([i for i, a in enumerate(actions) if a.id not in linking.base_actions], dtype=np.int64)
    model = LinkModel(actions, workers)
    return relinked(model, changed, kept, index, bars), model.candidate_bars


def relinked(
    model: LinkModel, changed: np.ndarray, kept: Sequence[Link], index: dict[str, int], bars: np.ndarray
) -> list[Link]:
    """The links of `model`'s corpus when only the actions `changed` (sorted indices) are new: `kept` (every link
    between two other actions, from an earlier build; `index` maps action ids to indices) and the links of the
    changed actions, worked out as the module docstring says; `bars` are the other actions' candidate bars from
    that build. Sorted by pair as a full build sorts its links (a kept link keeps the direction it had)."""
    n = len(model.actions)
    with collector_paused():
        per_action = CANDIDATES_PER_LINK * caps(n)[0]
        left, right = candidate_pairs_of(model, changed, per_action, bars, model.workers)
        touching = np.zeros(n, dtype=bool)
        touching[changed] = True
        met = np.zeros(n, dtype=bool)
        met[left] = met[right] = True
        met &= ~touching
        kept_keys = np.array(
            [min(index[x.source], index[x.target]) * n + max(index[x.source], index[x.target]) for x in kept],
            dtype=np.int64,
        )
        # the links of each unchanged action met, so that it takes the changed actions against what it keeps
        around = kept_keys[met[kept_keys // n] | met[kept_keys % n]]
        keys = np.union1d(left * n + right, around)
        new_keys, new_links = model.links_of_candidates(keys // n, keys % n, touching)
        order = np.argsort(np.concatenate([kept_keys, new_keys]), kind="stable")
        both = [*kept, *new_links]
        return [both[k] for k in order.tolist()]


def write_bars(folder: Path, actions: Sequence[Action], bars: np.ndarray) -> None:
    """Keep the actions' candidate bars in a build folder (BARS_FILE), by action id."""
    if len(bars) == len(actions):
        rows = {a.id: float(bar) for a, bar in zip(actions, bars.tolist(), strict=True)}
        (folder / BARS_FILE).write_bytes(orjson.dumps(rows))


def read_bars(folder: Path, actions: Sequence[Action], wanted: frozenset[str]) -> np.ndarray:
    """The candidate bars a build kept, for `actions` (0 for those not `wanted`).

    Raises
    ------
    StoreError
        When the file cannot be read or lacks a wanted action.
    """
    try:
        rows = orjson.loads((folder / BARS_FILE).read_bytes())
        return np.array([float(rows[a.id]) if a.id in wanted else 0.0 for a in actions])
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the candidate bars of {folder.name} cannot be read ({exc!r})") from None
