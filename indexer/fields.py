"""Field normalisers shared by every format: codes, due dates, status, foundations, owners.

Each takes the printed text and returns the normalised value; the printed text is always kept beside it.
"""

from __future__ import annotations

import re

from graphkit.records import STATUSES
from graphkit.vocab import FOUNDATION_NUMBERS, FOUNDATION_PHRASES, FOUNDATIONS

MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# 30-Apr-2015, "31- Dec-2024", "31 -Dec- 2023", "31-Mar 2024", "22nd September 2023"
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:\s?(?:st|nd|rd|th))?\s*[-/ ]\s*{MONTH}\b\.?\s*[-/ ]?\s*((?:19|20)\d\d)\b", re.I
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)?\d\d)\b")
MONTH_YEAR = re.compile(rf"\b{MONTH}\b\.?,?\s*((?:19|20)\d\d)\b", re.I)
# "October 14" in a 2014 plan's timescale column: a month and a two-digit year.
MONTH_SHORT_YEAR = re.compile(rf"\b{MONTH}\b\.?,?\s+'?(\d\d)\b(?![\d/.:-])", re.I)
YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b")
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def normalise_code(printed: str) -> str:
    """One spelling per code: `SS_IC SAP_VIEW2` -> `SS_ICSAP_VIEW2`, `GC10` -> `GC 10`, `4.4` stays.

    >>> normalise_code("SS_IC SAP_VIEW2"), normalise_code("SS_ICCAP_SUB3"), normalise_code("WFS5")
    ('SS_ICSAP_VIEW2', 'SS_ICSAP_SUB3', 'WFS 5')
    """
    code = " ".join(printed.split())
    if re.match(r"SS_IC\s?[SC]AP_", code):
        return re.sub(r"^SS_IC\s?[SC]AP_", "SS_ICSAP_", code).replace(" ", "")
    match = re.fullmatch(r"([A-Za-z]+)\s*(\d+(?:\.\d+)?)", code)
    if match:
        return f"{match.group(1).upper()} {match.group(2)}"
    return code


def code_key(text: str | None) -> str:
    """A code (or id) without case, spaces, dashes or underscores, to compare what people type and cite.

    >>> code_key("GC 10"), code_key("gc-10"), code_key("SS_ICSAP_VIEW2")
    ('GC10', 'GC10', 'SSICSAPVIEW2')
    """
    return re.sub(r"[\s_-]+", "", text or "").upper()


def _valid(year: int, month: int, day: int | None = None) -> bool:
    return 1990 <= year <= 2100 and 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _dates(text: str) -> list[tuple[tuple[int, int, int], str]]:
    """Every date found in text, as (sort key, ISO string at the precision printed)."""
    found: list[tuple[tuple[int, int, int], str]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for m in DAY_MONTH_YEAR.finditer(text):
        day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()[:3]], int(m.group(3))
        if _valid(year, month, day):
            found.append(((year, month, day), f"{year:04d}-{month:02d}-{day:02d}"))
            taken.append(m.span())
    for m in NUMERIC_DATE.finditer(text):
        if not free(m.span()):
            continue
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        if _valid(year, month, day):
            found.append(((year, month, day), f"{year:04d}-{month:02d}-{day:02d}"))
            taken.append(m.span())
    for m in MONTH_YEAR.finditer(text):
        if not free(m.span()):
            continue
        month, year = MONTHS[m.group(1).lower()[:3]], int(m.group(2))
        if _valid(year, month):
            found.append(((year, month, 31), f"{year:04d}-{month:02d}"))
            taken.append(m.span())
    for m in MONTH_SHORT_YEAR.finditer(text):
        if not free(m.span()):
            continue
        month, year = MONTHS[m.group(1).lower()[:3]], 2000 + int(m.group(2))
        found.append(((year, month, 31), f"{year:04d}-{month:02d}"))
        taken.append(m.span())
    for m in YEAR_RANGE.finditer(text):
        if not free(m.span()):
            continue
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if start <= end_year <= start + 15:
            found.append(((end_year, 12, 31), f"{end_year:04d}"))
            taken.append(m.span())
    for m in YEAR.finditer(text):
        if free(m.span()):
            year = int(m.group(1))
            if _valid(year, 1):
                found.append(((year, 12, 31), f"{year:04d}"))
    return found


def parse_due(text: str | None) -> str | None:
    """The due date as ISO 8601 at the precision printed; the latest date when several are printed.

    Words with no date (`Ongoing`, `As required`, `Annually`) give None; the printed text is kept elsewhere.

    >>> parse_due("30-Apr-2015"), parse_due("31 -Dec- 2023"), parse_due("31-Mar 2024")
    ('2015-04-30', '2023-12-31', '2024-03-31')
    >>> parse_due("March 2021"), parse_due("by end of Aug 2023"), parse_due("2023 – 2024"), parse_due("31/3/26")
    ('2021-03', '2023-08', '2024', '2026-03-31')
    >>> parse_due("Ongoing") is None
    True
    """
    if not text:
        return None
    dates = _dates(text)
    if not dates:
        return None
    return max(dates)[1]


# Words a timescale cell holds beside its dates ("by end of March 2024", "quarterly, as required"); a cell with
# TARGET_WORDS or more other words is a target or a measure, not a date.
TIMESCALE_WORDS = frozenset(
    "by end of in the from to until and or before after during each every year years month months quarter "
    "quarterly monthly annually annual yearly termly weekly ongoing as required start starting early late mid "
    "spring summer autumn winter financial academic session term timescale tbc tba onwards".split()
)
TARGET_WORDS = 4


def timescale_is_target(text: str | None) -> bool:
    """True when a printed timescale is a target or a measure in words rather than a date.

    >>> timescale_is_target("31-Mar-2024"), timescale_is_target("By end of March 2024; as required")
    (False, False)
    >>> timescale_is_target("Audit of CECYP's paperwork to be completed by December 2023")
    True
    """
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text or "")
    other = [w for w in words if w.casefold() not in TIMESCALE_WORDS and not re.fullmatch(MONTH, w, re.I)]
    return len(other) >= TARGET_WORDS


PERCENT = re.compile(r"(\d{1,3})\s*%")
# RAG colours, when the cell starts with one: the scale has no "off track", so Red is read as delayed, like Amber
# ("at risk / delayed"); status_text keeps the colour printed.
RAG = re.compile(r"^\W*(?:(?P<green>green)|amber|red)\b|^\s*(?:(?P<g>G)|A|R)\s*$", re.I)
STATUS_RULES: tuple[tuple[str, str], ...] = (
    (r"\bsuperseded\b", "superseded"),
    (
        r"\bnot (?:yet )?achieved\b|\boutwith deadline\b|\bdelayed\b|\bbehind schedule\b|\boverdue\b"
        r"|\bat risk\b|\boff (?:track|target)\b|\bslippage\b",
        "delayed",
    ),
    (r"\bpartially achieved\b|\bpartially complete", "in_progress"),
    (r"\bnot (?:yet )?(?:started|commenced|begun)\b", "not_started"),
    (r"\bon (?:target|track)\b|\bon schedule\b", "on_track"),
    (r"\b(?:complete|completed|achieved|done)\b", "complete"),
    (
        r"\bongoing\b|\bin progress\b|\bunderway\b|\bunder way\b|\bas required\b|\bprogressing\b",
        "in_progress",
    ),
)


def _status_of_part(part: str) -> str:
    percent = PERCENT.search(part)
    if percent and len(part) <= 12:
        value = int(percent.group(1))
        return "complete" if value >= 100 else "not_started" if value == 0 else "in_progress"
    rag = RAG.match(part)
    if rag:
        return "on_track" if rag.group("green") or rag.group("g") else "delayed"
    lowered = part.lower()
    for pattern, status in STATUS_RULES:
        if re.search(pattern, lowered):
            return status
    return "unknown"


def status_from_text(text: str | None) -> str:
    """Map printed status text onto the one scale (`graphkit.records.STATUSES`).

    Several values joined with `; ` (an objective over several rows) combine: all complete -> complete;
    any delayed -> delayed; otherwise the least advanced known value.

    >>> [status_from_text(t) for t in ("100%", "70%", "0%", "COMPLETED", "ON TARGET ", "Ongoing; Complete")]
    ['complete', 'in_progress', 'not_started', 'complete', 'on_track', 'in_progress']
    >>> status_from_text("Superseded by new Action"), status_from_text("Not achieved at 31/1/24")
    ('superseded', 'delayed')
    >>> status_from_text("Green"), status_from_text("AMBER - recruitment delayed"), status_from_text("Red")
    ('on_track', 'delayed', 'delayed')
    >>> status_from_text("At risk"), status_from_text("Off track")
    ('delayed', 'delayed')
    """
    if not text or not text.strip():
        return "unknown"
    parts = [p.strip() for p in text.split(";") if p.strip()]
    statuses = [_status_of_part(p) for p in parts]
    known = [s for s in statuses if s != "unknown"]
    if not known:
        return "unknown"
    if all(s == "complete" for s in known):
        return "complete"
    if "delayed" in known:
        return "delayed"
    if "superseded" in known:
        return "superseded"
    order = ("not_started", "in_progress", "on_track", "complete")
    return min((s for s in known if s in order), key=order.index, default="unknown")


assert set(s for _, s in STATUS_RULES) <= set(STATUSES)


def foundations_from_text(text: str | None) -> list[str]:
    """Promise foundation names from printed numbers (file 000), names or Dundee's long phrases.

    >>> foundations_from_text("1, 4,5"), foundations_from_text("Scaffolding Providing support when it is needed")
    (['Voice', 'People', 'Scaffolding'], ['Scaffolding'])
    >>> foundations_from_text("Promise Foundation"), foundations_from_text(None)
    ([], [])
    """
    if not text:
        return []
    names: set[str] = set()
    if re.fullmatch(r"[\d,\s]+", text.strip()):
        names.update(FOUNDATION_NUMBERS[d] for d in re.findall(r"\d", text) if d in FOUNDATION_NUMBERS)
    else:
        # Phrases first, then cut out: Dundee's Voice phrase itself holds the words "care" and "people".
        rest = " ".join(text.split())
        for phrase, name in FOUNDATION_PHRASES.items():
            pattern = re.compile(re.escape(phrase), re.I)
            if pattern.search(rest):
                names.add(name)
                rest = pattern.sub(" ", rest)
        names.update(n for n in FOUNDATIONS if re.search(rf"\b{n}\b", rest, re.I))
    return [n for n in FOUNDATIONS if n in names]


AS_ABOVE = re.compile(r"^\s*(?:as above|as per above|ditto)\W*$", re.I)


def is_as_above(text: str | None) -> bool:
    """True for a cell that means "the same as the row above" (`As above`, `As above.`, `ditto`)."""
    return bool(text and AS_ABOVE.match(text))


def split_owners(text: str | None) -> list[str]:
    """Split a printed owner cell on the separators every plan uses (`;`, ` / `, newlines).

    Run-together owners with no separator are a document's own quirk: its parser splits those.

    >>> split_owners("Val DeSouza; David Leng"), split_owners("Beth Maclean /"), split_owners("")
    (['Val DeSouza', 'David Leng'], ['Beth Maclean'], [])
    """
    if not text:
        return []
    parts = re.split(r"\s*;\s*|\s+/\s*|\s*/\s+|\n", text)
    return [p.strip(" ,.") for p in parts if p.strip(" ,./")]
