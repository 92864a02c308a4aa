"""Review decisions: a person confirms, relabels or rejects a link, and the decision holds across every build.

Decisions live in `<store>/reviews.sqlite`, beside the builds and never inside one, so every `graphkit index`
(and `--full`) keeps them. Each is keyed by the two action ids (in sorted order) and carries a fingerprint of both
actions' texts as they were when it was made: when either text changes, the decision is shown as "text changed
since review" instead of being applied to words nobody reviewed.

Writes are SQLite transactions in WAL mode: a crash mid-write loses nothing already saved, and two reviewers
writing at once are serialised (a writer waits up to BUSY_SECONDS). Every decision and every clearing is also
appended to `history`, so a decision replaced by another reviewer is never lost, and `graphkit reviews --json` is
a complete backup that `graphkit reviews --import` reads back.

Applying decisions (`apply_to_links`, `reviewed_neighbours`): `unrelated` removes the link (it is listed as
rejected instead); `duplicate` makes it a duplicate; `strong` and `partial` fix its lineage label in `trace`. A
reviewed link carries a first piece of evidence of kind "review" naming the verdict, who decided, when and the
note, so every list, page, export and API answer shows it; a pair the linker never linked gets a link of its own.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.records import Action, Evidence, Link, scope_of

REVIEWS_FILE = "reviews.sqlite"
VERDICTS = ("duplicate", "strong", "partial", "unrelated")
REVIEW_EVIDENCE = "review"  # Evidence.kind of an applied decision
REVIEW_JSON = b'[{"kind":"review"'  # how a reviewed link's evidence opens (Link.evidence_json)
STALE_EVIDENCE = "review-stale"  # ...of a decision whose texts have changed since
MAX_NOTE = 2_000  # characters
MAX_NAME = 80
BUSY_SECONDS = 10.0
SCHEMA_VERSION = 1
CSV_COLUMNS = ("a", "b", "verdict", "note", "by", "at", "fingerprint", "revision")


class ReviewError(GraphkitError):
    """A decision that cannot be taken (unknown verdict, the same action twice, a note too long, a stale form)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One person's verdict on the link between actions `a` and `b` (a < b)."""

    a: str
    b: str
    verdict: str
    note: str
    by: str
    at: str  # ISO 8601, UTC, to the second
    fingerprint: str  # of both texts when decided: fingerprint(a) + ":" + fingerprint(b)
    revision: int  # 1 for the pair's first decision, then one more for each change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def current(self, a: Action, b: Action) -> bool:
        """True when both actions' texts are as they were when the decision was made."""
        return self.fingerprint == pair_fingerprint(a, b)

    def summary(self) -> str:
        """ "strong, by Ann Inspector, 2026-12-08: note"."""
        note = f": {self.note}" if self.note else ""
        return f"{self.verdict}, by {self.by}, {self.at[:10]}{note}"


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def text_fingerprint(action: Action) -> str:
    """What a reviewer read of an action: its text, outcome and progress notes, hashed."""
    text = "\x1f".join(" ".join((part or "").split()) for part in (action.text, action.outcome, action.progress))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pair_fingerprint(a: Action, b: Action) -> str:
    first, second = (a, b) if a.id <= b.id else (b, a)
    return f"{text_fingerprint(first)}:{text_fingerprint(second)}"


def check_decision(a: Action, b: Action, verdict: str, note: str, by: str) -> None:
    """Raise ReviewError for a decision that cannot be taken."""
    if a.id == b.id:
        raise ReviewError(f"{a.id} is the same action twice: a review links two different actions")
    if verdict not in VERDICTS:
        raise ReviewError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if len(note) > MAX_NOTE:
        raise ReviewError(f"the note has {len(note):,} characters; at most {MAX_NOTE:,}")
    if not by.strip() or len(by) > MAX_NAME:
        raise ReviewError(f"a review needs the reviewer's name (1 to {MAX_NAME} characters)")


class Reviews:
    """The store's review decisions (`<store>/reviews.sqlite`), opened for reading and writing.

    Raises
    ------
    ReviewError
        When the file cannot be opened or is not a reviews database.
    """

    def __init__(self, store: Path, create: bool = True) -> None:
        self.path = store / REVIEWS_FILE
        self.db: sqlite3.Connection | None = None
        if not create:  # a reader: opened read-only, so reading never changes the file (or its signature)
            if self.path.is_file():
                try:
                    self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
                    self.db.row_factory = sqlite3.Row
                except sqlite3.Error as exc:
                    raise ReviewError(f"the review decisions in {self.path} cannot be opened ({exc})") from None
            return
        store.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self._set_wal()
            self.db.execute("PRAGMA synchronous = FULL")  # a saved decision survives a power cut
            with self._transaction():
                self.db.execute(
                    "CREATE TABLE IF NOT EXISTS decisions (a TEXT, b TEXT, verdict TEXT, note TEXT, by TEXT, at TEXT,"
                    " fingerprint TEXT, revision INTEGER, PRIMARY KEY (a, b))"
                )
                self.db.execute(
                    "CREATE TABLE IF NOT EXISTS history (a TEXT, b TEXT, verdict TEXT, note TEXT, by TEXT, at TEXT,"
                    " fingerprint TEXT, revision INTEGER, action TEXT)"
                )
                self.db.execute("CREATE INDEX IF NOT EXISTS decisions_b ON decisions(b)")
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise ReviewError(f"the review decisions in {self.path} cannot be opened ({exc})") from None

    def _set_wal(self) -> None:
        """Write-ahead logging, so readers never wait for a writer. Switching to it needs the file to itself, and
        SQLite does not wait for that as it waits for a write lock: two processes opening a new file at once
        would see "database is locked", so the switch is tried again for up to BUSY_SECONDS."""
        assert self.db is not None
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def __enter__(self) -> Reviews:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        assert self.db is not None
        self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: a second writer waits, then sees this one's
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Decision]:
        if self.db is None:
            return []
        try:
            rows = self.db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise ReviewError(f"the review decisions in {self.path} cannot be read ({exc})") from None
        return [Decision(**{k: row[k] for k in CSV_COLUMNS}) for row in rows]

    # -- reading ----------------------------------------------------------------------------------------------

    def all(self) -> list[Decision]:
        return self._rows("SELECT * FROM decisions ORDER BY at, a, b")

    def get(self, a: str, b: str) -> Decision | None:
        found = self._rows("SELECT * FROM decisions WHERE a = ? AND b = ?", pair_key(a, b))
        return found[0] if found else None

    def of_action(self, action_id: str) -> list[Decision]:
        return self._rows(
            "SELECT * FROM decisions WHERE a = ?1 UNION SELECT * FROM decisions WHERE b = ?1", (action_id,)
        )

    def by_pair(self) -> dict[tuple[str, str], Decision]:
        return {(d.a, d.b): d for d in self.all()}

    # -- writing ----------------------------------------------------------------------------------------------

    def decide(
        self, a: Action, b: Action, verdict: str, note: str = "", by: str = "", seen_revision: int | None = None
    ) -> Decision:
        """Record a verdict on the link between a and b, replacing any earlier one.

        `seen_revision` is the revision the reviewer saw (0: none): when another decision was saved since, nothing
        is written and ReviewError says who changed it, so two reviewers never overwrite each other unseen.
        """
        check_decision(a, b, verdict, note, by)
        first, second = pair_key(a.id, b.id)
        with self._transaction():
            now = self.get(first, second)
            revision = now.revision if now else 0
            if seen_revision is not None and seen_revision != revision:
                who = f"{now.by} ({now.verdict}, {now.at})" if now else "someone (cleared)"
                raise ReviewError(f"this link was reviewed again by {who} since you loaded it: reload and decide")
            decision = Decision(first, second, verdict, note, by.strip(), _now(), pair_fingerprint(a, b), revision + 1)
            values = tuple(getattr(decision, k) for k in CSV_COLUMNS)
            self.db.execute("INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            self.db.execute("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'decide')", values)
        return decision

    def clear(self, a: str, b: str, by: str = "") -> bool:
        """Remove the decision on a pair (kept in `history`); False when there was none."""
        first, second = pair_key(a, b)
        with self._transaction():
            now = self.get(first, second)
            if now is None:
                return False
            self.db.execute("DELETE FROM decisions WHERE a = ? AND b = ?", (first, second))
            values = (first, second, now.verdict, now.note, by or now.by, _now(), now.fingerprint, now.revision)
            self.db.execute("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'clear')", values)
        return True

    def import_decisions(self, rows: Iterable[dict[str, Any]], actions: dict[str, Action]) -> tuple[int, list[str]]:
        """Take decisions made elsewhere (as `graphkit reviews --json` or --csv writes them): each row's a, b,
        verdict, note, by (and at, kept when given). Returns how many were taken and why the others were not."""
        taken, refused = 0, []
        for number, row in enumerate(rows, start=1):
            a, b = actions.get(str(row.get("a", ""))), actions.get(str(row.get("b", "")))
            if a is None or b is None:
                refused.append(f"row {number}: no action {row.get('a') if a is None else row.get('b')!r}")
                continue
            try:
                decision = self.decide(
                    a, b, str(row.get("verdict", "")), str(row.get("note") or ""), str(row.get("by") or "")
                )
            except ReviewError as exc:
                refused.append(f"row {number}: {exc}")
                continue
            if row.get("at"):
                with self._transaction():
                    self.db.execute(
                        "UPDATE decisions SET at = ? WHERE a = ? AND b = ?", (str(row["at"]), decision.a, decision.b)
                    )
            taken += 1
        return taken, refused


def reviews_signature(store: Path) -> int:
    """What changes whenever a decision is saved or cleared: the number of the last entry of the (append-only)
    history, 0 without a reviews file. A reader compares it to tell that its copy of the decisions is old."""
    with Reviews(store, create=False) as reviews:
        if reviews.db is None:
            return 0
        try:
            row = reviews.db.execute("SELECT max(rowid) FROM history").fetchone()
        except sqlite3.Error as exc:
            raise ReviewError(f"the review decisions in {reviews.path} cannot be read ({exc})") from None
    return row[0] or 0


def read_decisions(store: Path) -> dict[tuple[str, str], Decision]:
    """Every decision of a store, by pair (none when it has no reviews file)."""
    with Reviews(store, create=False) as reviews:
        return reviews.by_pair()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def read_rows(text: str) -> list[dict[str, Any]]:
    """Decisions from a file as `graphkit reviews` writes them: JSON (`{"reviews": [...]}` or a list) or CSV."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        data = json.loads(text)
        rows = data.get("reviews", []) if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ReviewError('a JSON file of reviews holds a list of objects (or {"reviews": [...]})')
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def write_csv(decisions: Sequence[Decision]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for d in decisions:
        writer.writerow([getattr(d, k) for k in CSV_COLUMNS])
    return out.getvalue()


# -- applying decisions ---------------------------------------------------------------------------------------


def review_evidence(decision: Decision) -> Evidence:
    return Evidence(
        REVIEW_EVIDENCE, f"reviewed: {decision.summary()}", 1.0, (decision.verdict, decision.by, decision.at)
    )


def stale_evidence(decision: Decision) -> Evidence:
    return Evidence(STALE_EVIDENCE, f"text changed since review ({decision.summary()}): not applied", 0.0, ())


def link_verdict(link: Link) -> str | None:
    """`verdict_of` a link's evidence, reading it only when it opens with a review (as Link holds it: JSON)."""
    return verdict_of(link.evidence) if link.evidence_json.startswith(REVIEW_JSON) else None


def verdict_of(evidence: Sequence[Evidence]) -> str | None:
    """The verdict a reviewer gave the link with this evidence, or None when it carries no applied decision."""
    first = evidence[0] if evidence else None
    return first.terms[0] if first is not None and first.kind == REVIEW_EVIDENCE and first.terms else None


def reviewed_link(decision: Decision, link: Link | None, a: Action, b: Action, scope: str) -> Link | None:
    """The link as the decision makes it: None when rejected; a stale decision only adds a note."""
    if not decision.current(a, b):
        if link is None:
            return None
        return Link(
            link.source, link.target, link.kind, link.scope, link.score, (stale_evidence(decision), *link.evidence)
        )
    if decision.verdict == "unrelated":
        return None
    evidence = (review_evidence(decision), *(link.evidence if link else ()))
    if link is None:
        kind = "duplicate" if decision.verdict == "duplicate" else "overlap"
        return Link(decision.a, decision.b, kind, scope, 0.0, evidence)
    return Link(link.source, link.target, reviewed_kind(decision.verdict, link.kind), link.scope, link.score, evidence)


def reviewed_kind(verdict: str, kind: str) -> str:
    """A link's kind once reviewed: a duplicate verdict makes it one; a strong equivalent shares at least the aim
    (overlap); a partial one is no duplicate."""
    if verdict == "duplicate":
        return "duplicate"
    if verdict == "strong":
        return "overlap" if kind == "related" else kind
    return "overlap" if kind == "duplicate" else kind


def apply_to_links(
    links: Sequence[Link], decisions: dict[tuple[str, str], Decision], actions: dict[str, Action]
) -> tuple[list[Link], list[tuple[Decision, Link | None]]]:
    """Every link as the decisions make it, the reviewed pairs the linker did not link added at the end, and the
    rejected links (with their decisions)."""
    out: list[Link] = []
    rejected: list[tuple[Decision, Link | None]] = []
    seen: set[tuple[str, str]] = set()
    for link in links:
        pair = pair_key(link.source, link.target)
        decision = decisions.get(pair)
        if decision is None:
            out.append(link)
            continue
        seen.add(pair)
        a, b = actions[link.source], actions[link.target]
        changed = reviewed_link(decision, link, a, b, link.scope)
        if changed is None:
            rejected.append((decision, link))
        else:
            out.append(changed)
    for pair, decision in decisions.items():
        if pair in seen or pair[0] not in actions or pair[1] not in actions:
            continue
        a, b = actions[pair[0]], actions[pair[1]]
        added = reviewed_link(decision, None, a, b, scope_of(a, b))
        if added is not None:
            out.append(added)
        elif decision.verdict == "unrelated" and decision.current(a, b):
            rejected.append((decision, None))
    return out, rejected
