"""Plain records: Plan, Source, ThemeTag and Action. No I/O, no imports from our packages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = (
    "complete",
    "on_track",
    "in_progress",
    "delayed",
    "not_started",
    "superseded",
    "unknown",
)
# Each status as a person reads it: the web UI's badges and the search's status facet.
STATUS_LABELS = {
    "complete": "Complete",
    "on_track": "On track",
    "in_progress": "In progress",
    "delayed": "Delayed",
    "not_started": "Not started",
    "superseded": "Superseded",
    "unknown": "Status unknown",
}


@dataclass(frozen=True, slots=True)
class Plan:
    """One document from the catalogue: a council's action plan (or a report holding plans)."""

    id: str
    file: str
    council: str
    title: str
    plan_type: str
    start_year: int
    end_year: int
    format: str = ""
    source: str = ""
    published: str = ""

    @property
    def period(self) -> tuple[int, int]:
        return (self.start_year, self.end_year)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the document id, its file and the 1-based line where it starts."""

    document: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class ThemeTag:
    """A theme given to an action, with the words in the action that triggered it."""

    theme: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    """One commitment of one plan, normalised, with its provenance."""

    id: str
    document: str
    plan: str
    council: str
    year: int
    period: tuple[int, int]
    code: str | None
    code_printed: str | None
    text: str | None
    outcome: str | None
    owners: tuple[str, ...]
    owners_text: str | None
    due: str | None
    due_text: str | None
    status: str
    status_text: str | None
    progress: str | None
    pillar: str | None
    foundations: tuple[str, ...]
    foundations_text: str | None
    foundations_inferred: bool
    themes: tuple[str, ...]
    theme_evidence: tuple[ThemeTag, ...]
    source: Source
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        data["period"] = list(self.period)
        data["owners"] = list(self.owners)
        data["foundations"] = list(self.foundations)
        data["themes"] = list(self.themes)
        data["theme_evidence"] = [{"theme": t.theme, "words": list(t.words)} for t in self.theme_evidence]
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        """The inverse of `to_dict`."""
        values = dict(data)
        values["period"] = tuple(values["period"])
        values["owners"] = tuple(values["owners"])
        values["foundations"] = tuple(values["foundations"])
        values["themes"] = tuple(values["themes"])
        values["theme_evidence"] = tuple(ThemeTag(t["theme"], tuple(t["words"])) for t in values["theme_evidence"])
        values["notes"] = tuple(values.get("notes", ()))
        values["source"] = Source(**values["source"])
        return cls(**values)


LINK_KINDS = ("duplicate", "overlap", "related")
SCOPES = ("within_plan", "cross_plan", "cross_council")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason two actions are linked, in words a person can check against both actions.

    `kind` names the signal (text, theme, owner, pillar, foundation, code, area, council); `weight` is
    its share of the link's score; `terms` are the shared words, themes, roles or codes.
    """

    kind: str
    detail: str
    weight: float
    terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "weight": self.weight, "terms": list(self.terms)}


@dataclass(frozen=True, slots=True)
class Link:
    """A scored link between two actions: `kind` is one of LINK_KINDS and `scope` one of SCOPES."""

    source: str
    target: str
    kind: str
    scope: str
    score: float
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies every value and was most of the time to save the links
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "scope": self.scope,
            "score": self.score,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        # by position: a build of 32,000 actions reads some 290,000 links and a million pieces of evidence
        evidence = tuple([Evidence(e["kind"], e["detail"], e["weight"], tuple(e["terms"])) for e in data["evidence"]])
        return cls(data["source"], data["target"], data["kind"], data["scope"], data["score"], evidence)
