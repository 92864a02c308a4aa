"""Read-only questions over a built corpus: related actions, lineage (trace) and dropped commitments.

Duplicate clusters are in graphkit.duplicates.

The CLI and the web UI both call these functions, so they cannot drift. Nothing here imports click or Flask.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphkit.database import Database
from graphkit.errors import GraphkitError, StoreError
from graphkit.records import Action, Evidence, Link
from graphkit.reviews import Decision, Reviews, apply_to_links, pair_key, verdict_of
from graphkit.store import Corpus
from graphkit.weights import lineage_score
from indexer.fields import code_key

# Trace ranks a candidate by its lineage score (graphkit.weights.lineage_score: how likely it is the same
# commitment, learned from the hand-read cases); the thresholds were set by measuring the labels against
# tests/cases (bench/learn_weights.py, bench/links_cases.py).
# Most of an action's candidates are not its equivalent, so a true equivalent's own likelihood is often 0.05-0.5.
PARTIAL_SCORE = 0.005  # below this, a later action is not an equivalent
RELATIVE_TO_BEST = 0.05  # ...nor when it scores less than this share of the best candidate
STRONG_SCORE = 0.08  # a strong equivalent scores at least this
STRONG_TO_BEST = 0.8  # ...and is the best candidate, or within this share of it
DROPPED_BELOW = 0.22  # a commitment whose best later link scores less was not carried forward
FIRST_HOP_SHARE = 0.6  # of a picture's actions, at most this share are the action's own links (linked_actions)


class UnknownAction(GraphkitError):
    """An action id (or code) that names no action of the corpus, or a code several plans use.

    `message` says what is wrong; the command line adds `cli_hint` (a command to run), which a web page leaves out.
    """

    def __init__(self, message: str, cli_hint: str = "") -> None:
        super().__init__(f"{message}: {cli_hint}" if cli_hint else message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Related:
    """An action related to another, with the link that relates them."""

    action: Action
    score: float
    kind: str
    scope: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict:
        return {
            **action_summary(self.action),
            "score": self.score,
            "kind": self.kind,
            "scope": self.scope,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Equivalent:
    """One step of a trace: an earlier or later action, labelled strong or partial."""

    action: Action
    strength: str
    score: float
    direction: str
    same_council: bool
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict:
        return {
            **action_summary(self.action),
            "strength": self.strength,
            "score": self.score,
            "direction": self.direction,
            "same_council": self.same_council,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def action_summary(action: Action) -> dict:
    """What a result list shows of an action: id, where it is from, its text and its source line."""
    return {
        "id": action.id,
        "document": action.document,
        "code": action.code,
        "label": action.label,
        "council": action.council,
        "year": action.year,
        "text": action.text or action.progress,
        "source": {"document": action.source.document, "file": action.source.file, "line": action.source.line},
    }


class LinkIndex:
    """The corpus's links looked up by action, built once per loaded corpus."""

    def __init__(self, corpus: Corpus, decisions: dict[tuple[str, str], Decision] | None = None) -> None:
        self.corpus = corpus
        self.memo: dict[tuple, Any] = {}  # answers worth keeping for the index's life (graphkit.duplicates)
        self.by_action: dict[str, list[Link]] = defaultdict(list)
        self.reviewed = bool(decisions)  # the links are the build's as review decisions (graphkit.reviews) make them
        self.links: list[Link] = corpus.links
        self.rejected: dict[str, list[tuple[Decision, Link | None]]] = defaultdict(list)
        if decisions:
            self.links, rejected = apply_to_links(corpus.links, decisions, self.actions)
            for decision, link in rejected:
                self.rejected[decision.a].append((decision, link))
                self.rejected[decision.b].append((decision, link))
        for link in self.links:
            self.by_action[link.source].append(link)
            self.by_action[link.target].append(link)

    @cached_property
    def actions(self) -> dict[str, Action]:
        return {a.id: a for a in self.corpus.actions}

    def get(self, action_id: str) -> Action:
        """The action with this id, or the one action whose code this is ("GC 10", "GC-10", "CPC 4.4"), or whose
        id ends in it ("L219" for a plan without codes; "L242" for the actions `L242-1`, `L242-2`... of one line
        when there is only one).

        Raises
        ------
        UnknownAction
            For an id or code of no action, or one several actions answer to (the message lists them).
        """
        action = self.actions.get(action_id)
        if action is not None:
            return action
        key = code_key(action_id)
        matches = [a for a in self.corpus.actions if key and key in (code_key(a.code), code_key(local_id(a.id)))]
        if not matches and key:  # an uncoded line holding several actions: "L242" names L242-1, L242-2...
            matches = [a for a in self.corpus.actions if not a.code and line_key(a.id) == key]
        return one_action(action_id, matches)

    def neighbours(self, action_id: str) -> Iterable[tuple[Action, Link]]:
        for link in self.by_action.get(action_id, ()):
            other = link.target if link.source == action_id else link.source
            yield self.actions[other], link

    def actions_of_year(self, year: int | None = None) -> list[Action]:
        """The actions of one year's plans (by default the earliest year's), in the build's order."""
        actions = self.corpus.actions
        if year is None and actions:
            year = min(a.year for a in actions)
        return [a for a in actions if a.year == year]


class DatabaseIndex:
    """LinkIndex's questions answered from a build's database (`graphkit.database`), reading only the actions
    and links asked about: what the command line uses, so that one question does not load the whole build."""

    def __init__(self, database: Database, reviews: Reviews | None = None) -> None:
        self.database = database
        self.reviews = reviews
        self.rejected: dict[str, list[tuple[Decision, Link | None]]] = defaultdict(list)

    def get(self, action_id: str) -> Action:
        """As `LinkIndex.get`."""
        action = self.database.action(action_id)
        if action is not None:
            return action
        key = code_key(action_id)
        matches = self.database.actions_with_key(key) if key else []
        if not matches and key:  # as LinkIndex.get
            matches = self.database.actions_of_line(key)
        return one_action(action_id, matches)

    def neighbours(self, action_id: str) -> Iterable[tuple[Action, Link]]:
        links = self.database.links_of(action_id)
        decisions = {pair_key(d.a, d.b): d for d in self.reviews.of_action(action_id)} if self.reviews else {}
        partners = [k.target if k.source == action_id else k.source for k in links]
        partners += [d.b if d.a == action_id else d.a for d in decisions.values()]
        others = self.database.actions_by_id([action_id, *partners])
        if decisions:
            links, rejected = apply_to_links(links, decisions, others)
            self.rejected[action_id] = rejected
        for link in links:
            other = others.get(link.target if link.source == action_id else link.source)
            if other is None:
                raise StoreError(
                    f"the index in {self.database.where} is damaged: a link of {action_id} names a missing action: "
                    "run `graphkit index` again"
                )
            yield other, link

    def actions_of_year(self, year: int | None = None) -> list[Action]:
        """As `LinkIndex.actions_of_year`."""
        year = self.database.first_year() if year is None else year
        return self.database.actions_of(year=year) if year is not None else []


Index = LinkIndex | DatabaseIndex  # what related_actions, trace and dropped ask their questions of


def one_action(typed: str, matches: list[Action]) -> Action:
    """The one action a typed code or L-id names, or UnknownAction saying why there is none (listing the actions
    when several answer to it)."""
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = "; ".join(f"{a.id} ({a.label})" for a in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        what = "code" if any(a.code for a in matches) else "L-id"
        raise UnknownAction(f"{typed!r} is the {what} of several actions: give the id of one: {shown}{more}")
    raise UnknownAction(f"no action {typed!r}", cli_hint="`graphkit actions` lists the ids")


def local_id(action_id: str) -> str:
    """The part of an action's id after its document ("L219", "GC-10")."""
    return action_id.partition(":")[2]


def line_key(action_id: str) -> str:
    """The line part of an action's local id, as code_key prints it ("doc:L242-3" -> "L242")."""
    return code_key(local_id(action_id).partition("-")[0])


def related_actions(index: Index, action_id: str, limit: int = 10, scope: str | None = None) -> list[Related]:
    """The actions most related to one action, best first, each with its score and evidence.

    Parameters
    ----------
    index
        The corpus's links (`LinkIndex(corpus)`).
    action_id
        The action's id, as `graphkit actions` prints it, or its code when only one plan uses it.
    limit
        At most this many results.
    scope
        Only links of this scope (within_plan, cross_plan or cross_council).

    Raises
    ------
    UnknownAction
        For an id or code that names no single action (see `LinkIndex.get`).

    Examples
    --------
    >>> [(r.action.id, r.kind, r.score) for r in related_actions(_example_index(), "old:A-1")]
    [('new:B-1', 'overlap', 0.4), ('new:B-2', 'overlap', 0.3)]
    """
    action_id = index.get(action_id).id
    found = [
        Related(other, link.score, link.kind, link.scope, link.evidence)
        for other, link in index.neighbours(action_id)
        if scope is None or link.scope == scope
    ]
    found.sort(key=lambda r: (verdict_of(r.evidence) is None, -r.score, r.action.id))  # reviewed links first
    return found[:limit]


def trace(index: Index, action_id: str, to_year: int | None = None, limit: int = 10) -> list[Equivalent]:
    """An action's equivalents in later plans and its ancestors in earlier ones, each strong or partial.

    Each linked action of another year is scored by its lineage score (`graphkit.weights.lineage_score`: how
    likely it is the same commitment, 0-1). A candidate must score at least PARTIAL_SCORE and RELATIVE_TO_BEST
    of the best candidate in the same direction; it is strong when it also scores STRONG_SCORE and is (within
    STRONG_TO_BEST) the best one. Later equivalents come first, strong before partial, best first. `to_year`
    leaves out plans after that year.

    Raises
    ------
    UnknownAction
        For an id or code that names no single action (see `LinkIndex.get`).

    Examples
    --------
    >>> [(e.action.id, e.strength, e.direction) for e in trace(_example_index(), "old:A-1")]
    [('new:B-1', 'strong', 'later'), ('new:B-2', 'partial', 'later')]
    >>> [(e.action.id, e.strength, e.direction) for e in trace(_example_index(), "new:B-1")]
    [('old:A-1', 'strong', 'earlier')]
    """
    action = index.get(action_id)
    by_direction: dict[str, list[tuple[Action, Link]]] = defaultdict(list)
    for other, link in index.neighbours(action.id):
        if other.year == action.year or (to_year is not None and other.year > to_year):
            continue
        by_direction["later" if other.year > action.year else "earlier"].append((other, link))
    steps = []
    for direction, candidates in by_direction.items():
        scored = [(other, link, round(lineage_score(action, other, link), 4)) for other, link in candidates]
        best = max(score for _, _, score in scored)
        for other, link, score in scored:
            verdict = verdict_of(link.evidence)  # a person's decision wins over the scores
            if verdict is None and score < max(PARTIAL_SCORE, RELATIVE_TO_BEST * best):
                continue
            strong = score >= max(STRONG_SCORE, STRONG_TO_BEST * best)
            if verdict is not None:
                strong = verdict in ("strong", "duplicate")
            steps.append(
                Equivalent(
                    action=other,
                    strength="strong" if strong else "partial",
                    score=score,
                    direction=direction,
                    same_council=other.council == action.council,
                    evidence=link.evidence,
                )
            )
    steps.sort(
        key=lambda e: (
            e.direction != "later",
            verdict_of(e.evidence) is None,  # a reviewed equivalent first
            e.strength != "strong",
            -e.score,
            e.action.id,
        )
    )
    return steps[:limit]


def linked_actions(index: Index, action_id: str, depth: int = 1, limit: int = 40) -> tuple[list[Action], list[Link]]:
    """The actions within `depth` links of one action and every link among them, for a picture.

    The action comes first, then its own links by descending score (at most FIRST_HOP_SHARE of `limit`, so that a
    second hop has room and a deeper picture holds the shallower one), then actions a second hop away by their
    best link's score, up to `limit` actions.

    Raises
    ------
    UnknownAction
        For an id or code that names no single action (see `LinkIndex.get`).

    Examples
    --------
    >>> actions, links = linked_actions(_example_index(), "old:A-1")
    >>> [a.id for a in actions], len(links)
    (['old:A-1', 'new:B-1', 'new:B-2'], 2)
    >>> [a.id for a in linked_actions(_example_index(), "old:A-1", depth=2)[0]]
    ['old:A-1', 'new:B-1', 'new:B-2', 'old:A-2']
    """
    centre = index.get(action_id)
    kept = {centre.id: centre}
    frontier = [centre.id]
    for hop in range(depth):
        room = round(limit * FIRST_HOP_SHARE) if hop == 0 else limit - len(kept)
        best: dict[str, tuple[float, Action]] = {}
        for node in frontier:
            for other, link in index.neighbours(node):
                if other.id not in kept and link.score > best.get(other.id, (-1.0, other))[0]:
                    best[other.id] = (link.score, other)
        ranked = sorted(best.values(), key=lambda sa: (-sa[0], sa[1].id))[: max(0, min(room, limit - len(kept)))]
        kept.update((a.id, a) for _, a in ranked)
        frontier = [a.id for _, a in ranked]
    links = {(link.source, link.target): link for a in kept for _, link in index.neighbours(a)}
    chosen = [link for link in links.values() if link.source in kept and link.target in kept]
    chosen.sort(key=lambda link: (-link.score, link.source, link.target))
    return list(kept.values()), chosen


def dropped(index: Index, year: int | None = None) -> list[Action]:
    """Commitments of the earliest plans (or of `year`) with no link to a later action scoring DROPPED_BELOW or
    more. A commitment printed twice word for word in that year (a report's two parts copying each other) is one
    commitment: carried forward when either copy is, and listed once, as its first copy (`copies_of` names the
    others).

    >>> [a.id for a in dropped(_example_index())]
    ['old:A-2']
    """
    gone, seen = [], set()
    for action in index.actions_of_year(year):
        if action.id in seen:
            continue
        group = [action, *copies_of(index, action.id)]
        seen.update(a.id for a in group)
        if not any(_carried_forward(index, a) for a in group):
            gone.append(action)
    return gone


def copies_of(index: Index, action_id: str) -> list[Action]:
    """The word-for-word copies of an action in plans of its own year (a link with near-verbatim evidence)."""
    action = index.get(action_id)
    return [
        other
        for other, link in index.neighbours(action.id)
        if other.year == action.year and any(e.kind == "verbatim" for e in link.evidence)
    ]


def _carried_forward(index: Index, action: Action) -> bool:
    return any(
        other.year > action.year and (link.score >= DROPPED_BELOW or verdict_of(link.evidence) is not None)
        for other, link in index.neighbours(action.id)
    )


def _example_index() -> LinkIndex:
    """Two plans of one council, 2015 and 2023, and three links, for the examples in this module's docstrings."""
    from graphkit.records import Plan, Source

    def action(document: str, code: str, year: int) -> Action:
        return Action(f"{document}:{code}", document, "Plan", "Anytown", year, (year, year + 2), code, None, code,
                      None, (), None, None, None, "unknown", None, None, None, (), None, False, (), (),
                      Source(document, f"{document}.txt", 1))  # fmt: skip

    plans = [Plan(d, f"{d}.txt", "Anytown", "Plan", "promise", y, y + 2) for d, y in (("old", 2015), ("new", 2023))]
    actions = [action("old", "A-1", 2015), action("old", "A-2", 2015), action("new", "B-1", 2023),
               action("new", "B-2", 2023)]  # fmt: skip
    evidence = (Evidence("text", "shared words: advocacy", 0.3, ("advocacy",)),)
    weaker = (Evidence("text", "shared words: advocacy", 0.2, ("advocacy",)),)
    links = [
        Link("old:A-1", "new:B-1", "overlap", "cross_plan", 0.4, evidence),
        Link("old:A-1", "new:B-2", "overlap", "cross_plan", 0.3, weaker),
        Link("old:A-2", "new:B-2", "related", "cross_plan", 0.13, evidence),
    ]
    return LinkIndex(Corpus(plans, actions, [], [], links=links))
