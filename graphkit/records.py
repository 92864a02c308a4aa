"""Plain records: Plan, Source, ThemeTag, Action, Evidence and Link. No I/O, no imports from our packages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

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
    """Where a record came from: the document id, its file and the 1-based line where it starts.

    `line` is the line of the text graphkit read; for a PDF, Word, Excel or HTML file that is the file's rendered
    text, and the record's source is a `PrintedSource`, whose `where` says it as printed ("page 3, line 12",
    "sheet 'Plan', row 7"). A text file's lines are its own, so its `where` is None and its JSON has no `where`.
    """

    document: str
    file: str
    line: int

    @property
    def where(self) -> str | None:
        return None

    @staticmethod
    def of(data: dict[str, Any]) -> Source:
        """A source from its JSON object (a `PrintedSource` when it has a `where`)."""
        if data.get("where") is not None:
            return PrintedSource(**data)
        return Source(**{k: v for k, v in data.items() if k != "where"})  # a where of None: printed nowhere else


@dataclass(frozen=True, slots=True)
class PrintedSource(Source):
    """The source of a record read from a PDF, Word, Excel or HTML file: also where it was printed."""

    where: str  # type: ignore[assignment]


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

    @property
    def label(self) -> str:
        """Its name wherever a label is shown (see `action_label`)."""
        return action_label(self)

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
        values["source"] = Source.of(values["source"])
        return cls(**values)


TITLE_CHARS = 48  # a short title: about six words, enough to tell a plan's uncoded actions apart


def short_title(text: str | None, width: int = TITLE_CHARS) -> str:
    """The first words of `text`, cut at a word boundary to at most `width` characters, an ellipsis marking the cut.

    >>> short_title("We will ensure all eligible care experienced 2-5 year-olds are offered a nursery place")
    'We will ensure all eligible care experienced…'
    >>> short_title("Develop a joint commissioning strategy")
    'Develop a joint commissioning strategy'
    """
    words = (text or "").split()
    title = ""
    for n, word in enumerate(words):
        longer = f"{title} {word}" if title else word
        if len(longer) > width - 1 and title:
            return title.rstrip(",;:.-–") + "…"
        title = longer if len(longer) <= width or n else longer[: width - 1] + "…"
    return title


def action_label(action: Action) -> str:
    """How an action is named wherever one is listed: its code, else a short title of its first words (plans
    without codes), else its line. The line stays in the action's source.

    >>> action_label(_example_action(code="GC 10"))
    'GC 10'
    >>> action_label(_example_action(text="We will remind siblings about their right to keep in touch"))
    'We will remind siblings about their right to…'
    >>> action_label(_example_action())
    'line 7'
    """
    return label_for(action.code, action.text or action.outcome or action.progress, action.source.line)


def label_for(code: str | None, text: str | None, line: int) -> str:
    """`action_label` from the parts a listing holds (a search hit holds no record)."""
    return code or short_title(text) or f"line {line}"


def _example_action(code: str | None = None, text: str | None = None) -> Action:
    return Action("p:L7", "p", "Plan", "Anytown", 2021, (2021, 2023), code, code, text, None, (), None, None, None,
                  "unknown", None, None, None, (), None, False, (), (), Source("p", "p.txt", 7))  # fmt: skip


LINK_KINDS = ("duplicate", "overlap", "related")
SCOPES = ("within_plan", "cross_plan", "cross_council")


def scope_of(a: Action, b: Action) -> str:
    """within_plan, cross_plan (same council) or cross_council."""
    if a.council != b.council:
        return "cross_council"
    return "within_plan" if (a.document, a.plan) == (b.document, b.plan) else "cross_plan"


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


@dataclass(frozen=True, slots=True, init=False)
class Link:
    """A scored link between two actions: `kind` is one of LINK_KINDS and `scope` one of SCOPES.

    Its evidence is held as the JSON `to_dict` gives it (`evidence_json`) and made into `Evidence` records when
    read (`evidence`): a build holds every link at once, and the records took three times the memory (32,000
    actions: 665 MB for 290,000 links, 2.4 KB a link), which made a 300,000-action build peak at 9.6 GB.

    >>> link = Link("a", "b", "overlap", "cross_plan", 0.4, (Evidence("text", "shared words: x", 0.2, ("x",)),))
    >>> link.evidence
    (Evidence(kind='text', detail='shared words: x', weight=0.2, terms=('x',)),)
    >>> Link.from_dict(link.to_dict()) == link
    True
    """

    source: str
    target: str
    kind: str
    scope: str
    score: float
    evidence_json: bytes  # [Evidence.to_dict(), ...] as JSON

    def __init__(
        self,
        source: str,
        target: str,
        kind: str,
        scope: str,
        score: float,
        evidence: Sequence[Evidence] | bytes = (),
        *,
        evidence_json: bytes | None = None,  # the field's own name, as dataclasses.replace gives it
    ) -> None:
        if evidence_json is not None:
            evidence = evidence_json
        put = object.__setattr__  # a frozen dataclass sets its fields this way
        put(self, "source", source)
        put(self, "target", target)
        put(self, "kind", kind)
        put(self, "scope", scope)
        put(self, "score", score)
        if not isinstance(evidence, bytes):
            evidence = orjson.dumps([e.to_dict() for e in evidence])
        put(self, "evidence_json", evidence)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(Evidence(e["kind"], e["detail"], e["weight"], tuple(e["terms"])) for e in self._evidence_list())

    def _evidence_list(self) -> list[dict[str, Any]]:
        return orjson.loads(self.evidence_json)

    def to_dict(self) -> dict[str, Any]:
        return {**self._fields(), "evidence": self._evidence_list()}

    def stored(self) -> dict[str, Any]:
        """`to_dict` for orjson to write, the evidence written as it is held (not parsed and written again)."""
        return {**self._fields(), "evidence": orjson.Fragment(self.evidence_json)}

    def _fields(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "scope": self.scope,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        # the evidence as read (the same keys in the same order as to_dict writes them), not through records
        return cls(
            data["source"], data["target"], data["kind"], data["scope"], data["score"], orjson.dumps(data["evidence"])
        )
