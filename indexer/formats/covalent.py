"""Covalent committee report (file 001): its parser, and the Covalent Joint Inspection Action Plan."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.fields import normalise_code
from indexer.formats.single_agency import (
    DRAFT,
    NUMBERED,
    SEPARATOR,
    clean,
    clean_cell,
    join,
    note_twins,
    parse_single_agency,
)

COVALENT_PLAN = "Covalent Joint Inspection Action Plan"

# `SS_ICSAP_IMP1`, `SS_IC SAP_VIEW2` (a space from the PDF) and the OCR slip `SS_ICCAP_SUB3`.
CODE = re.compile(r"^(SS_IC\s?[SC]AP_[A-Z]+\d+)\b\s*(.*)$")
COVALENT_HEADER = re.compile(r"^Code\s*&\s*Title\b")
SA_TITLE = re.compile(r"single agency (?:inspection )?action plan", re.I)
KEY_TO_SYMBOLS = re.compile(r"^KEY TO SYMBOLS\b")
SUMMARY = re.compile(r"^HIGH LEVEL SUMMARY\b")
FULL_DETAILS = re.compile(r"^ACTION PLAN\s*-\s*FULL DETAILS\b")
OVERALL_STATUS = re.compile(r"^Overall Status of this Strategic Priority$")
PRIORITY_LINE = re.compile(r"^Priority\b")
PRIORITY_VALUE = re.compile(r"^(?:High|Medium|Low)$")
LATEST_NOTE = re.compile(r"^Date of Latest Note on Overall Progress\b\s*(.*)$")
DATE = re.compile(r"\d{1,2}-[A-Z][a-z]{2}-\d{4}")
BOLD_HEADING = re.compile(r"^\*\*|\*\*$")
PERCENT = re.compile(r"\b(\d{1,3})\s*%")
# The `<input>` progress widget keeps its value only in an attribute, which cleaning removes.
INPUT_VALUE = re.compile(r"""value\s*=\s*["']?\s*(\d{1,3})\s*%""", re.I)


def _leading_tabs(line: Line) -> int:
    return len(line.raw) - len(line.raw.lstrip("\t"))


class CovalentParser:
    """Reads the 2015 committee report: 50 coded Covalent actions and 33 uncoded single-agency ones.

    The Covalent plan prints one table per action (`Code & Title | Description | Covalent Owner | Due Date |
    Progress | ...`) followed by sub-action rows, a `Priority` line and a "Date of Latest Note" block. The
    single-agency plan (Appendix 2) is one long table whose rows are split across PDF pages.
    """

    name = "covalent"

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True when the lines hold a Covalent `Code & Title` table with `SS_IC...` codes."""
        header = any(COVALENT_HEADER.match(line.cell(0)) for line in lines)
        coded = any(CODE.match(line.cell(0)) for line in lines)
        return header and coded

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Every line ends up in an action, a skip with a reason, or a problem; never raises."""
        result = ParseResult(plan.id, plan.file, parser=self.name)
        try:
            split = _single_agency_start(lines)
            covalent = _parse_covalent(lines[:split], result)
            single = parse_single_agency(lines[split:], result)
            note_twins(single, covalent)
            result.actions.extend(covalent + single)
        except Exception as exc:  # a malformed document must not stop the build
            result.problem(0, f"covalent parser failed: {type(exc).__name__}: {exc}", severity="error")
        result.account_for(lines)
        return result


def _single_agency_start(lines: Sequence[Line]) -> int:
    """Index of the first line of Appendix 2: its title, with the bold report heading printed above it."""
    last_code = max((i for i, line in enumerate(lines) if CODE.match(line.cell(0))), default=-1)
    for i in range(last_code + 1, len(lines)):
        if SA_TITLE.search(lines[i].text):
            start = i
            while start > last_code + 1 and (lines[start - 1].blank or BOLD_HEADING.search(lines[start - 1].text)):
                start -= 1
            while start < i and lines[start].blank:
                start += 1
            return start
    return len(lines)


# --- Covalent Joint Inspection Action Plan -------------------------------------------------------------


@dataclass
class _Priority:
    number: str
    title: str
    lines: list[int]
    statement: str = ""


@dataclass
class _Open:
    """The Covalent action being read, with its progress pieces in printed order."""

    draft: ActionDraft
    pieces: list[str] = field(default_factory=list)
    in_note: bool = False
    note_needs_date: bool = False


def _parse_covalent(lines: Sequence[Line], result: ParseResult) -> list[ActionDraft]:
    drafts: list[ActionDraft] = []
    section = "report body"
    priority: _Priority | None = None
    current: _Open | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            current.draft.progress = " | ".join(p for p in current.pieces if p) or None
            drafts.append(current.draft)
        current = None

    for index, line in enumerate(lines):
        if line.blank:
            continue
        first, n = clean_cell(line, 0), line.number
        if DRAFT.match(line.text):
            result.skip(n, "DRAFT watermark")
        elif SEPARATOR.match(line.text):
            result.skip(n, "table separator")
        elif KEY_TO_SYMBOLS.match(first):
            section = "key to symbols"
            result.skip(n, section)
        elif SUMMARY.match(first):
            section = "high level summary"
            result.skip(n, section)
        elif FULL_DETAILS.match(first):
            close()
            section = "plan"
            result.skip(n, "plan heading")
        elif _is_priority_heading(lines, index):
            close()
            section = "plan"
            match = NUMBERED.match(first)
            assert match is not None
            priority = _Priority(match.group(1), match.group(2).strip(), [n])
        elif OVERALL_STATUS.match(line.text):
            result.skip(n, "priority status heading (icon lost)")
        elif COVALENT_HEADER.match(first):
            close()
            section = "plan"
            result.skip(n, "table header")
        elif CODE.match(first):
            close()
            section = "plan"
            current = _Open(_code_row(line, priority, result))
            current.pieces.append(_sub_action_text(line.cells[6:]) or "")
            if priority is not None:
                result.use(*priority.lines)
        elif section != "plan":
            result.skip(n, section)
        elif current is None:
            if priority is not None and not priority.statement:
                priority.statement = line.text
                priority.lines.append(n)
            else:
                result.problem(n, "Covalent text outside any action", line.text)
        else:
            _action_line(current, line, result)
    close()
    return drafts


def _is_priority_heading(lines: Sequence[Line], index: int) -> bool:
    """`n. Title` followed (on its line or within a few lines) by "Overall Status of this Strategic Priority"."""
    match = NUMBERED.match(clean_cell(lines[index], 0))
    if not match or len(match.group(2)) > 60:
        return False
    window = [line.text for line in lines[index : index + 6]]
    return any("Overall Status of this Strategic Priority" in text for text in window)


def _code_row(line: Line, priority: _Priority | None, result: ParseResult) -> ActionDraft:
    match = CODE.match(clean_cell(line, 0))
    assert match is not None
    printed, title = " ".join(match.group(1).split()), match.group(2).strip()
    owners_text = clean_cell(line, 2)
    draft = ActionDraft(
        line=line.number,
        code=normalise_code(printed),
        code_printed=printed,
        plan=COVALENT_PLAN,
        text=clean_cell(line, 1) or None,
        outcome=_outcome(priority),
        owners_text=owners_text or None,
        owners=[o.strip() for o in owners_text.split(";") if o.strip()],
        due_text=clean_cell(line, 3) or None,
        status_text=_progress_value(line),
    )
    if title:
        draft.notes.append(f"title: {title}")
    if "CCAP" in printed:
        draft.notes.append(f"code printed {printed} (OCR slip for SAP)")
    if draft.status_text is None:
        result.problem(line.number, "no progress value in the Progress cell", line.cell(4))
    elif not PERCENT.search(line.cell(4)):
        draft.notes.append("progress value read from the progress widget's value attribute")
    result.use(line.number)
    return draft


def _outcome(priority: _Priority | None) -> str | None:
    if priority is None:
        return None
    head = f"{priority.number}. {priority.title}"
    return f"{head}: {priority.statement}" if priority.statement else head


def _progress_value(line: Line) -> str | None:
    """The printed percentage: the cell's text after tags are removed, else an `<input>`'s value.

    Bar widths in `style` are never read: PERS1's outer div is 25% wide but its inner bar 100%.
    """
    shown = PERCENT.search(line.cell(4))
    if shown:
        return f"{int(shown.group(1))}%"
    raw = line.raw_cells[4] if len(line.raw_cells) > 4 else ""
    hidden = INPUT_VALUE.search(raw)
    return f"{int(hidden.group(1))}%" if hidden else None


def _action_line(current: _Open, line: Line, result: ParseResult) -> None:
    text, n = line.text, line.number
    note = LATEST_NOTE.match(text)
    if PRIORITY_LINE.match(text) or PRIORITY_VALUE.match(text):
        result.skip(n, "priority line")
        return
    if note:
        date = DATE.search(note.group(1))
        current.in_note = True
        current.note_needs_date = date is None
        label = f"Latest note on overall progress ({date.group(0)}):" if date else ""
        current.pieces.append(label or "Latest note on overall progress:")
    elif current.in_note and current.note_needs_date and DATE.fullmatch(text):
        # SUB3's block prints its date alone, three lines below the label.
        current.pieces[-1] = f"Latest note on overall progress ({text}):"
        current.note_needs_date = False
    elif line.raw.startswith("\t") and not current.in_note:
        current.pieces.append(_sub_action_text(line.cells) or "")
        tabs = _leading_tabs(line)
        if tabs != 6:
            current.draft.notes.append(f"sub-action row on line {n} is shifted ({tabs} leading tabs, not 6)")
    elif current.pieces:
        # Bare paragraphs continue the last sub-action (VIEW2, 481 and 483) or the overall note.
        current.pieces[-1] = join(current.pieces[-1], text)
    else:
        current.pieces.append(clean(text))
    result.use(n)


def _sub_action_text(cells: Sequence[str]) -> str | None:
    """`Sub-action: details - latest note (date)` from whatever cells a (possibly shifted) row holds."""
    parts = [clean(c) for c in cells if clean(c)]
    date = parts.pop() if parts and DATE.fullmatch(parts[-1]) else None
    if not parts and not date:
        return None
    return "Sub-action: " + " - ".join(parts) + (f" ({date})" if date else "")


PARSER = CovalentParser()
