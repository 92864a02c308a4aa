"""Single Agency Action Plan (Appendix 2 of file 001): its rows, leads, status and Covalent twins."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import is_as_above, status_from_text

SINGLE_AGENCY_PLAN = "Single Agency Action Plan"

# Shared with the Covalent plan, which imports them from here so the import runs one way.
NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
SEPARATOR = re.compile(r"^[-|:\s]+$")
DRAFT = re.compile(r"^\W*DRAFT\W*$")
BULLET = re.compile(r"^(?:-\s*)?\.\s+")

SA_HEADER = re.compile(r"^Description of Key Issue\b", re.I)
AREA_INTRO = re.compile(r"^Area (?:for|of) Improvement$", re.I)
VERSION_CONTROL = re.compile(r"^Version Control\b", re.I)
MARKER = re.compile(r"\((complete|ongoing)\)", re.I)
LEADING_COMPLETE = re.compile(r"^complete\b", re.I)

SA_COLUMNS = 7  # key issue, actions, lead, priority, timescale, how will we know, evidence
KEY, ACTION, LEAD, PRIORITY, TIMESCALE, MEASURE, EVIDENCE = range(SA_COLUMNS)
TWIN_RATIO = 0.9  # difflib ratio above which a single-agency text "nearly repeats" a Covalent one

# Capitalised words that belong to job titles and group names, never to a person's name; used to find
# where one lead ends and the next begins in run-together Lead cells ("... Child Protection Bridget Stone").
ROLE_WORDS = frozenset(
    "Lead Leads Officer Child Children Protection Social Services Service Manager Review Training "
    "Coordinator Group Head Strategic Partnership Corporate Parenting Committee Development "
    "Assistant Team".split()
)
NAME_WORD = re.compile(r"^[A-Z][a-z]+$")
LEAD_SEPARATOR = re.compile(r"\s*;\s*|\s+&\s+|\s+and\s+(?=[A-Z])")
# A strategic group printed after the lead's name and role in the same cell.
GROUP_TAIL = re.compile(r"\s+((?:(?!Social\b|Services?\b)[A-Z][\w']*\s+){0,3}Group|CPC|MACIG|CYPSPG)$")
PARENTHESISED_NAME = re.compile(r"\s*\(([A-Z][a-z]+ [A-Z][a-z]+)\)\s*$")


def clean(value: str) -> str:
    """Fold white space and drop list bullets (`- .`, ` . `) left by the PDF's lists."""
    return BULLET.sub("", " ".join(value.split()))


def join(*parts: str | None) -> str:
    return " ".join(p for p in (clean(x or "") for x in parts) if p)


def clean_cell(line: Line, index: int) -> str:
    return clean(line.cell(index))


@dataclass
class _Area:
    number: str
    text: str
    line: int
    note: str = ""

    @property
    def outcome(self) -> str:
        return f"{self.number}. {self.text}"


@dataclass
class _Row:
    """One single-agency action: its cells, grown by continuation rows from the next PDF page."""

    draft: ActionDraft
    cells: list[str]
    lines: list[int]
    inherited_key: str = ""

    @property
    def key_issue(self) -> str:
        return self.cells[KEY] or self.inherited_key


def parse_single_agency(lines: Sequence[Line], result: ParseResult) -> list[ActionDraft]:
    """Appendix 2's actions: one long table whose rows are split across PDF pages."""
    rows: list[_Row] = []
    known: dict[str, str] = {}  # normalised area statement -> its number, from the intro list
    area: _Area | None = None
    in_table = False
    in_version_control = False
    after_break = False  # a blank line since the last data row: the row may continue across a page

    for line in lines:
        if line.blank:
            after_break = bool(rows)
            continue
        text, n, first = line.text, line.number, clean_cell(line, 0)
        numbered = NUMBERED.match(first)
        is_data = len([c for c in line.cells if c]) > 1 or (len(line.cells) > 1 and not first)
        if DRAFT.match(text):
            result.skip(n, "DRAFT watermark")
            continue
        if VERSION_CONTROL.match(first):
            in_version_control = True
        if in_version_control:
            result.skip(n, "version control table")
        elif SEPARATOR.match(text):
            result.skip(n, "table separator")
        elif AREA_INTRO.match(text):
            in_table = True
            result.skip(n, "area heading")
        elif SA_HEADER.match(first):
            in_table = True
            result.skip(n, "table header")
        elif not in_table:
            result.skip(n, _intro_reason(line, numbered, known))
        elif numbered and not any(line.cells[1:]):
            number, statement = _area_number(numbered, known)
            area = _Area(number, statement, n)
            if number != numbered.group(1):
                area.note = f"area heading on line {n} printed '{numbered.group(1)}. ...' (OCR); read as area {number}"
            known.setdefault(_norm(statement), number)
            result.skip(n, "area heading")  # replaced by use() once an action takes its outcome
            after_break = False
            continue
        elif is_data and rows and _is_continuation(line, after_break):
            _continue_row(rows[-1], line, result)
        elif is_data and clean_cell(line, ACTION):
            # The key issue is printed only on the first row of its group.
            same_area = rows and area is not None and rows[-1].draft.outcome == area.outcome
            inherited = rows[-1].key_issue if same_area and not first else ""
            rows.append(_new_row(line, area, inherited, result))
        else:
            result.problem(n, "single-agency text outside any action", text)
        after_break = False
    drafts = []
    for row in rows:
        _finish_row(row)
        drafts.append(row.draft)
    return drafts


def _intro_reason(line: Line, numbered: re.Match[str] | None, known: dict[str, str]) -> str:
    if numbered:
        known.setdefault(_norm(numbered.group(2)), numbered.group(1))
        return "list of improvement areas"
    if len([c for c in line.cells if c]) > 1:
        return "findings table"
    return "single agency plan introduction"


def _area_number(numbered: re.Match[str], known: dict[str, str]) -> tuple[str, str]:
    """The area's number, corrected when the statement is one already numbered (832 prints `11.`)."""
    statement = numbered.group(2).strip()
    printed = numbered.group(1)
    number = known.get(_norm(statement), printed)
    if number != printed:
        statement = statement[:1].upper() + statement[1:]
    return number, statement


def _is_continuation(line: Line, after_break: bool) -> bool:
    """Rows split across a PDF page carry the rest of each cell, cut mid-phrase.

    - only later columns filled (902: the evidence's last words);
    - only the Actions cell filled (813: `2 x audits pre and post new year.`);
    - after a page break, no Priority and a cell that starts in lower case (`awareness of ...`).
    """
    cells = [clean_cell(line, i) for i in range(max(SA_COLUMNS, len(line.cells)))]
    if not cells[KEY] and not cells[ACTION]:
        return True
    if cells[ACTION] and not any(c for i, c in enumerate(cells) if i != ACTION):
        return True
    starts_lower = any(c[:1].islower() for c in cells if c)
    return after_break and not cells[PRIORITY] and starts_lower


def _row_cells(line: Line) -> list[str]:
    cells = [clean_cell(line, i) for i in range(max(SA_COLUMNS, len(line.cells)))]
    # 903 prints its evidence one column right (8 fields); everything from column 7 on is evidence.
    return cells[:EVIDENCE] + [join(*cells[EVIDENCE:])]


def _new_row(line: Line, area: _Area | None, inherited_key: str, result: ParseResult) -> _Row:
    draft = ActionDraft(line=line.number, plan=SINGLE_AGENCY_PLAN)
    if area is not None:
        draft.outcome = area.outcome
        result.use(area.line)
        if area.note:
            draft.notes.append(area.note)
    cells = _row_cells(line)
    if len(line.cells) > SA_COLUMNS and not clean_cell(line, EVIDENCE) and cells[EVIDENCE]:
        draft.notes.append("Evidence of Progress printed one column right of its column")
    result.use(line.number)
    return _Row(draft, cells, [line.number], inherited_key)


def _continue_row(row: _Row, line: Line, result: ParseResult) -> None:
    for i, piece in enumerate(_row_cells(line)):
        row.cells[i] = join(row.cells[i], piece)
    row.lines.append(line.number)
    result.use(line.number)


def _finish_row(row: _Row) -> None:
    draft, cells = row.draft, row.cells
    draft.text = cells[ACTION] or None
    lead = cells[LEAD]
    draft.owners_text = lead or None
    draft.owners = None if is_as_above(lead) else split_leads(lead)
    draft.due_text = cells[TIMESCALE] or None
    draft.status_text = cells[EVIDENCE] or None
    draft.status, why = _status(cells[EVIDENCE])
    if why:
        draft.notes.append(why)
    if cells[PRIORITY]:
        draft.notes.append(f"priority: {cells[PRIORITY]}")
    if cells[MEASURE]:
        draft.notes.append(f"how will we know: {cells[MEASURE]}")
    if not lead and not cells[PRIORITY] and not cells[TIMESCALE]:
        draft.notes.append("lead, priority and timescale cells empty (probably merged with the row above)")
    if len(row.lines) > 1:
        draft.notes.append("row continued on line " + ", ".join(str(n) for n in row.lines[1:]))
    if row.key_issue:
        # Read only now: the key issue may continue on the next page (836 + 838).
        draft.notes.append(f"key issue: {row.key_issue}")


def _status(evidence: str) -> tuple[str, str]:
    """The status of a single-agency row: its `(Complete)`/`(Ongoing)` markers first, else the evidence's words."""
    markers = {m.lower() for m in MARKER.findall(evidence)}
    if "ongoing" in markers and "complete" in markers:
        return "in_progress", "evidence has both (Complete) and (Ongoing) markers; read as in progress"
    if "ongoing" in markers:
        return "in_progress", ""
    if "complete" in markers:
        return "complete", ""
    if LEADING_COMPLETE.match(evidence):
        return "complete", "status read from the evidence's leading 'Complete' (no (Complete) marker)"
    if not evidence:
        return "unknown", "no Evidence of Progress on this row (the column is misaligned with rows in places)"
    # No marker: read the evidence's own words ("established and ongoing", "complete and progress made");
    # evidence of progress with no word of completion still means the work has started.
    status = status_from_text(evidence)
    if status == "unknown":
        return "in_progress", "no (Complete)/(Ongoing) marker: evidence of progress printed, read as in progress"
    return status, f"no (Complete)/(Ongoing) marker: status read from the evidence's words ({status})"


def split_leads(text: str) -> list[str]:
    """Split a run-together Lead cell into people and groups, in printed order.

    >>> split_leads("Anne Salter, Lead Officer Child Protection Bridget Stone, ASP Coordinator and ADP Leads")
    ['Anne Salter, Lead Officer Child Protection', 'Bridget Stone, ASP Coordinator', 'ADP Leads']
    >>> split_leads("Liam Purdie AHofS Social Services MACIG (Michael Grassom)")
    ['Liam Purdie AHofS Social Services', 'MACIG', 'Michael Grassom']
    >>> split_leads("Val de Souza Children's Strategic Partnership Group")
    ['Val de Souza', "Children's Strategic Partnership Group"]
    """
    owners: list[str] = []
    text = " ".join(text.split())
    trailing = PARENTHESISED_NAME.search(text)
    if trailing:
        text = text[: trailing.start()]
    for part in LEAD_SEPARATOR.split(text):
        for piece in _split_at_names(part):
            group = GROUP_TAIL.search(piece)
            if group and group.start() > 0 and _starts_with_name(piece):
                owners += [piece[: group.start()], group.group(1)]
            else:
                owners.append(piece)
    if trailing:
        owners.append(trailing.group(1))
    return [o.strip(" ,;") for o in owners if o.strip(" ,;")]


def _is_name_pair(words: list[str], i: int) -> int:
    """Length of a personal name starting at word i (`Bridget Stone`, `Val de Souza`), else 0."""
    if i + 1 >= len(words) or not NAME_WORD.match(words[i].rstrip(",")) or words[i] in ROLE_WORDS:
        return 0
    j = i + 2 if words[i + 1] == "de" else i + 1
    if j >= len(words):
        return 0
    last = words[j].rstrip(",")
    return j - i + 1 if NAME_WORD.match(last) and last not in ROLE_WORDS else 0


def _starts_with_name(piece: str) -> bool:
    return _is_name_pair(piece.split(), 0) > 0


def _split_at_names(part: str) -> list[str]:
    words = part.split()
    starts, i = [0], 0
    while i < len(words):
        size = _is_name_pair(words, i)
        if size and i > 0 and not words[i - 1].endswith(","):
            starts.append(i)
        i += size or 1
    starts.append(len(words))
    return [" ".join(words[a:b]) for a, b in zip(starts, starts[1:], strict=False) if a < b]


def _norm(text: str) -> str:
    """Lower case, punctuation removed, white space folded: how single-agency texts repeat Covalent ones."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def note_twins(single: list[ActionDraft], covalent: list[ActionDraft]) -> None:
    """Name each single-agency action's Covalent twin: the plans copy descriptions almost word for word."""
    described = [(c.code, _norm(c.text or "")) for c in covalent if c.text]
    for draft in single:
        mine = _norm(draft.text or "")
        if not mine:
            continue
        exact = next((code for code, theirs in described if theirs == mine), None)
        if exact:
            draft.notes.append(f"text repeats Covalent {exact}")
            continue
        scored = [(SequenceMatcher(None, mine, theirs).ratio(), code) for code, theirs in described]
        ratio, code = max(scored, default=(0.0, None))
        if code and ratio >= TWIN_RATIO:
            shown = math.floor(ratio * 100) / 100  # never round 0.997 up to a misleading 1.00
            draft.notes.append(f"text nearly repeats Covalent {code} (similarity {shown:.2f})")
