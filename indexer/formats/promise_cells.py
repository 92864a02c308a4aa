"""How the Responsible, Pillar and Progress Update cells of the "Keeping The Promise" plan are read.

Status rule (there is no status column; ``status_text`` is the whole Progress Update narrative)
------------------------------------------------------------------------------------------------
Checked in this order, on the narrative in lower case:

1. ``not_started``: says the work has not (yet) started / been progressed / begun, and reports nothing
   done (no completed / achieved / in place / implemented).
2. ``delayed``: says delayed / delays, paused, postponed, on hold, unsuccessful, or not been undertaken (a
   narrative that reports one delayed item among others still counts: the delay is what a reader must act
   on).
3. ``complete``: says completed / achieved / in place / implemented / passed, with no sign of outstanding
   work (next steps, ongoing, in progress, underway, planned, to be ..., will ..., still to, requires,
   further, being, continues, due).
4. ``on_track``: says on track or ahead of schedule.
5. ``in_progress``: any other narrative; ``unknown`` when there is none.

>>> status_from_progress("Tracker implemented. Quality Assurance processes in place.")
'complete'
>>> status_from_progress("This is a strategic area that has not been progressed yet.")
'not_started'
>>> status_from_progress("Brothers and sisters policy delayed until February 2024.")
'delayed'
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from indexer.fields import is_as_above

PILLARS = (
    "A Good Childhood",
    "Whole Family Support",
    "Supporting the Workforce",
    "Planning",
    "Building Capacity",
)

HAS_WORD = re.compile(r"[A-Za-z0-9]")

# An owner starts at one of these role head-words; the Responsible cells run several owners together.
ROLE_HEADS = (
    r"(?:Principal |Principle )?Educational Psychologists?",
    r"Chief Education Officer",
    r"Chief Social Work Officer",
    r"Chief Executive",
    r"Senior Managers?",
    r"Service Managers?",
    r"Team Managers?",
    r"Programme Managers?",
    r"Team Leaders?",
    r"Head of",
    r"Virtual (?:Headteachers?|Head Teachers?|HTs?)",
    r"Depute (?:Headteachers?|Head Teachers?)",
    r"Headteachers?",
    r"Head Teachers?",
    r"Improvement Analysts?",
    r"Participation (?:Officer|Development Officer)",
    r"Policy Officer",
)
ROLE_START = re.compile(r"\b(?:" + "|".join(ROLE_HEADS) + r")\b")
# A closing bracket ends a role name: "Virtual Headteacher (Primary) ELC and Primary Leadership Teams".
AFTER_BRACKET = re.compile(r"(?<=\))\s+(?=[A-Z])")

STATUS_NOT_STARTED = re.compile(
    r"not (?:yet )?(?:been )?(?:started|progressed|begun|commenced)|not yet (?:started|begun|underway)"
)
STATUS_DELAYED = re.compile(
    r"\bdelay(?:ed|s)?\b|\bpaused\b|\bpostponed\b|\bon hold\b|\bunsuccessful\b"
    r"|has not been undertaken|not been undertaken|\bbehind schedule\b"
)
STATUS_ON_TRACK = re.compile(r"\bon track\b|ahead of schedule")
STATUS_DONE = re.compile(r"\bcomplet(?:ed|e)\b|\bachieved\b|\bin place\b|\bimplemented\b|\bpassed\b")
STATUS_OUTSTANDING = re.compile(
    r"next steps?|\bongoing\b|in progress|\bunderway\b|\bplanned\b|\bto be\b|\bwill\b|still to|\brequires?\b"
    r"|further|being\b|continues?\b|\bdue\b"
)


def status_from_progress(progress: str | None) -> str:
    """The status a reader would give a Progress Update narrative (rule in the module docstring)."""
    if not progress or not progress.strip():
        return "unknown"
    text = progress.lower()
    done = STATUS_DONE.search(text)
    if STATUS_NOT_STARTED.search(text) and not done:
        return "not_started"
    if STATUS_DELAYED.search(text):
        return "delayed"
    if done and not STATUS_OUTSTANDING.search(text):
        return "complete"
    if STATUS_ON_TRACK.search(text):
        return "on_track"
    return "in_progress"


def normalise_pillar(printed: str) -> str | None:
    """The pillar named in a cell, in the Plan 21-24 spelling, or None."""
    cleaned = " ".join(printed.split()).lower()
    if not cleaned:
        return None
    by_lower = {p.lower(): p for p in PILLARS}
    if cleaned in by_lower:
        return by_lower[cleaned]
    close = get_close_matches(cleaned, list(by_lower), n=1, cutoff=0.8)
    return by_lower[close[0]] if close else None


def split_owners(owners_text: str | None) -> list[str] | None:
    """Owners run together in one Responsible cell, split into people or groups in printed order.

    >>> split_owners("Senior Manager: ELC, Primary & Libraries Virtual Headteacher (Primary) "
    ...              "ELC and Primary Leadership Teams")  # doctest: +NORMALIZE_WHITESPACE
    ['Senior Manager: ELC, Primary & Libraries', 'Virtual Headteacher (Primary)',
     'ELC and Primary Leadership Teams']
    >>> split_owners("As above") is None
    True
    """
    if owners_text is None or not owners_text.strip():
        return []
    if is_as_above(owners_text):
        return None
    starts = {m.start() for m in ROLE_START.finditer(owners_text)}
    starts |= {m.end() for m in AFTER_BRACKET.finditer(owners_text)}
    cuts = sorted({0, *starts, len(owners_text)})
    pieces = (owners_text[a:b].strip(" ,;/") for a, b in zip(cuts, cuts[1:], strict=False))
    return [p.rstrip(".").strip() for p in pieces if HAS_WORD.search(p)]
