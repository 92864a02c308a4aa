"""Dundee's "Promise to You" tables: pages grouped by Promise foundation, "We will" actions without codes.

Columns are FOUNDATIONS | PRIORITY | ACTIONS | LEAD | TIMESCALES | SOME KEY INDICATORS. The PDF extraction
puts a cell's list items in `<p>` elements (or, in the first table, runs them together), shifts some rows a
column left or right, and once stacks every column on its own line. Columns are therefore found by content
(the cell that holds the actions) and read relative to the header.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan, short_title
from graphkit.vocab import FOUNDATIONS
from indexer.base import ActionDraft, Line, ParseResult
from indexer.normalise import clean_text

NAME = "we_will_table"

# Header cell words -> column role; the header gives the order the roles are read in.
HEADER_ROLES = (
    ("FOUNDATION", "foundation"),
    ("PRIORITY", "priority"),
    ("ACTION", "actions"),
    ("LEAD", "lead"),
    ("TIMESCALE", "timescale"),
    ("INDICATOR", "indicators"),
)
MIN_HEADER_ROLES = 4
# Headings printed above a table page, read back from its header, at most this many non-blank lines.
HEADING_LOOKBACK = 3

# An action is "We will ...", "<Some> Team will ...", or starts with an imperative verb.
ACTION_START = re.compile(
    r"^(?:We\s+will\b|(?:[A-Z][\w'’-]*\s+){1,3}will\b|"
    r"(?:Re-establish|Establish|Continue|Develop|Implement|Deliver|Ensure|Provide|Review|Introduce|Create"
    r"|Work|Support|Explore|Scale|Sustain|Carry out)\b)"
)
# The first table runs several actions together in one cell; each starts with "We will".
WE_WILL_BOUNDARY = re.compile(r"\s+(?=We will\b)")
P_OPEN = re.compile(r"<p\b[^>]*>", re.IGNORECASE)
ESCAPED_TAG = re.compile(r"&lt;/?p\b", re.IGNORECASE)
WORD_COUNT_PROSE = 8

# Prose sections outside the tables: a heading pattern and the reason its lines are not actions.
SECTION_REASONS = (
    (re.compile(r"^Our Promise to YOU", re.IGNORECASE), "intro: promise bullets, not actions"),
    (re.compile(r"^What we have been working on", re.IGNORECASE), "past achievements, not actions"),
    (re.compile(r"improvement in over the past year", re.IGNORECASE), "improvement figures, not actions"),
    (re.compile(r"key policies and legislation", re.IGNORECASE), "policy list, not actions"),
    (re.compile(r"^Governance and Partnership", re.IGNORECASE), "governance heading, not actions"),
    (re.compile(r"^Consultation$", re.IGNORECASE), "consultation feedback, not actions"),
    (re.compile(r"^CONVENTION ON THE RIGHTS OF THE CHILD"), "UNCRC quotation, not actions"),
)
APPENDIX = re.compile(r"^Appendix\b", re.IGNORECASE)


@dataclass(slots=True)
class _Block:
    """One table page: its header line, the roles of its columns and the rows up to the next blank line."""

    header: Line
    roles: tuple[str | None, ...]
    rows: list[Line] = field(default_factory=list)
    heading: tuple[str, int] | None = None  # a foundation printed above the header: (text, line)


@dataclass(slots=True)
class _Row:
    """The cells of one table row by role, wherever the extraction put them."""

    line: int
    cells: dict[str, str]  # role -> raw cell (markup kept, to split <p> lists)
    notes: list[str] = field(default_factory=list)


class WeWillTableParser:
    """Dundee-style Promise action tables: actions are sentences, owners and dates are paired by position."""

    name = NAME

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True when a FOUNDATIONS ... ACTIONS ... LEAD header and a "We will" action are both present."""
        try:
            has_header = any(_is_header(line) and "foundation" in _roles(line) for line in lines)
            return has_header and any("We will" in line.raw for line in lines)
        except Exception:  # noqa: BLE001 - sniffing must never stop the registry
            return False

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        """Every action of every table page, with non-table lines skipped by section and reason."""
        result = ParseResult(document=str(getattr(plan, "id", "")), file=str(getattr(plan, "file", "")), parser=NAME)
        try:
            lines = list(lines)
            blocks = _find_blocks(lines)
        except Exception as exc:  # noqa: BLE001 - a parser never raises
            blocks = []
            result.problem(1, f"could not find the tables: {exc!r}")
        priority: list[str | None] = [None]  # carried down across rows and pages
        for block in blocks:
            try:
                _parse_block(block, priority, result)
            except Exception as exc:  # noqa: BLE001 - one bad page never loses the others
                for line in (block.header, *block.rows):
                    if line.number not in result.used:
                        result.problem(line.number, f"could not read table page: {exc!r}", line.raw)
        try:
            _skip_prose(lines, blocks, result)
        except Exception as exc:  # noqa: BLE001
            result.problem(1, f"could not classify prose lines: {exc!r}")
        result.account_for(lines)
        return result


# --- finding the tables ---------------------------------------------------------------------------


def _roles(line: Line) -> tuple[str | None, ...]:
    roles: list[str | None] = []
    for cell in line.cells:
        upper = cell.upper()
        roles.append(next((role for word, role in HEADER_ROLES if word in upper), None))
    return tuple(roles)


def _is_header(line: Line) -> bool:
    roles = [r for r in _roles(line) if r]
    return len(set(roles)) >= MIN_HEADER_ROLES and "actions" in roles and len(roles) == len(set(roles))


def _find_blocks(lines: list[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for line in lines:
        if _is_header(line):
            current = _Block(line, _roles(line))
            current.heading = _heading_above(lines, line.number, blocks)
            blocks.append(current)
        elif line.blank:
            current = None
        elif current is not None:
            current.rows.append(line)
    return blocks


def _heading_above(lines: list[Line], header_number: int, blocks: list[_Block]) -> tuple[str, int] | None:
    """A foundation name printed as a heading just above a table (the first page has no FOUNDATIONS cell)."""
    last_table_line = max((b.rows[-1].number if b.rows else b.header.number for b in blocks), default=0)
    seen = 0
    for line in reversed(lines[: header_number - 1]):
        if line.number <= last_table_line or seen >= HEADING_LOOKBACK:
            break
        if line.blank:
            continue
        seen += 1
        name = _foundation_name(line.text)
        if name:
            return name, line.number
    return None


# --- reading cells --------------------------------------------------------------------------------


def _items(raw: str) -> list[str]:
    """The cleaned `<p>` items of a raw cell, or the whole cleaned cell as one item."""
    if ESCAPED_TAG.search(raw):
        raw = html.unescape(raw)
    pieces = P_OPEN.split(raw)
    return [text for text in (clean_text(piece) for piece in pieces) if text]


def _has_list(raw: str) -> bool:
    return bool(P_OPEN.search(raw) or ESCAPED_TAG.search(raw))


def _looks_like_actions(raw: str) -> bool:
    return any(ACTION_START.match(item) for item in _items(raw))


def _foundation_name(text: str) -> str | None:
    folded = text.strip().strip("*#").strip().lower()
    return next((name for name in FOUNDATIONS if name.lower() == folded), None)


def _foundation_text(raw: str) -> str | None:
    """The foundation name when printed (with its subtitle as a second `<p>`), else the printed phrase."""
    items = _items(raw)
    names = [name for name in map(_foundation_name, items) if name]
    return names[0] if names else " ".join(items) or None


def _split_actions(raw: str) -> list[str]:
    items = _items(raw)
    if _has_list(raw):
        return items  # each <p> is one action, however many sentences or "will"s it holds
    # Without <p>, several "We will" sentences were extracted into one run of text.
    return [part for item in items for part in WE_WILL_BOUNDARY.split(item) if part]


def _repetition(text: str, parts: int) -> list[str] | None:
    """`text` cut into `parts` equal word runs, when it is exactly one value printed `parts` times."""
    words = text.split()
    if parts < 2 or not words or len(words) % parts:
        return None
    size = len(words) // parts
    runs = [" ".join(words[k * size : (k + 1) * size]) for k in range(parts)]
    return runs if len(set(runs)) == 1 else None


def _pair(raw: str, count: int) -> tuple[list[str] | None, int]:
    """Values for `count` actions in order, or None when they cannot be paired; and how many were printed."""
    items = _items(raw)
    if not items:
        return [], 0
    if not _has_list(raw) and len(items) == 1 and count > 1:
        repeated = _repetition(items[0], count)
        if repeated:
            return repeated, count
    if len(items) == count:
        return items, len(items)
    if count == 1:
        return ["; ".join(items)], len(items)  # several leads or dates printed for one action
    return None, len(items)


# --- reading rows ---------------------------------------------------------------------------------


def _action_index(line: Line, roles: tuple[str | None, ...]) -> int | None:
    """Where the actions are: the header's ACTIONS column, else the nearest cell that holds actions."""
    expected = roles.index("actions")
    order = [expected] + [j for d in range(1, len(line.raw_cells)) for j in (expected - d, expected + d)]
    for j in order:
        if 0 <= j < len(line.raw_cells) and line.cell(j) and _looks_like_actions(line.raw_cells[j]):
            return j
    return None


def _row_by_offset(line: Line, roles: tuple[str | None, ...], action_index: int) -> _Row:
    """Cells to roles when the row sits `offset` columns away from the header (a PDF extraction shift)."""
    offset = action_index - roles.index("actions")
    row = _Row(line.number, {})
    for j, raw in enumerate(line.raw_cells):
        k = j - offset
        role = roles[k] if 0 <= k < len(roles) else None
        if role:
            row.cells[role] = raw
        elif clean_text(raw):
            row.notes.append(f"cell outside the columns: {clean_text(raw)[:60]}")
    if offset:
        side = "left" if offset < 0 else "right"
        row.notes.append(f"row printed {abs(offset)} column(s) {side} of the header; read by content")
    return row


def _stacked_row(run: list[Line], roles: tuple[str | None, ...]) -> _Row | None:
    """Rows holding one cell each: a row's columns stacked on separate lines, in header order."""
    start = next((i for i, line in enumerate(run) if _looks_like_actions(line.raw_cells[0])), None)
    if start is None:
        return None
    ordered = [r for r in roles if r]
    base = ordered.index("actions")
    row = _Row(run[start].number, {})
    for i, line in enumerate(run):
        k = base + i - start
        if 0 <= k < len(ordered) and ordered[k] != "foundation":
            row.cells[ordered[k]] = line.raw_cells[0]
        else:
            row.notes.append(f"stacked line {line.number} beyond the columns")
    row.notes.append(f"columns stacked on lines {run[0].number}-{run[-1].number}, read in header order")
    return row


def _first_cell_only(line: Line) -> bool:
    """Only the first (FOUNDATIONS) cell is filled: a page subtitle or one line of a stacked row."""
    return bool(line.cell(0)) and not any(line.cells[1:])


def _stacked_run(rows: list[Line], i: int) -> list[Line]:
    """Lines from `i` on that hold one cell each, in the first column: a row whose columns were stacked."""
    run: list[Line] = []
    while i + len(run) < len(rows) and _first_cell_only(rows[i + len(run)]):
        run.append(rows[i + len(run)])
    acting = sum(1 for line in run if _looks_like_actions(line.raw_cells[0]))
    return run if len(run) >= 2 and acting == 1 else []


def _parse_block(block: _Block, priority: list[str | None], result: ParseResult) -> None:
    foundation = block.heading
    if foundation:
        result.use(foundation[1])
    result.skip(block.header.number, "column header")
    rows = block.rows
    i = 0
    while i < len(rows):
        line = rows[i]
        if i == 0 and _first_cell_only(line) and not _looks_like_actions(line.raw_cells[0]):
            # A page's foundation printed alone under the header, before its rows.
            foundation = (_foundation_text(line.raw_cells[0]) or "", line.number)
            result.use(line.number)
            i += 1
            continue
        run = _stacked_run(rows, i)
        if run:
            row = _stacked_row(run, block.roles)
            used = [r.number for r in run]
        elif (index := _action_index(line, block.roles)) is not None:
            row = _row_by_offset(line, block.roles, index)
            used = [line.number]
        elif line.cell(block.roles.index("actions")):
            # Wording we do not recognise as an action, but printed in the ACTIONS column: keep it, say so.
            row = _row_by_offset(line, block.roles, block.roles.index("actions"))
            row.notes.append("action wording not recognised; read from the ACTIONS column")
            used = [line.number]
        else:
            result.problem(line.number, "table row without an action", line.text)
            i += 1
            continue
        i += len(used)
        if row is None:
            continue
        if row.cells.get("foundation") and clean_text(row.cells["foundation"]):
            foundation = (_foundation_text(row.cells["foundation"]) or "", line.number)
        _emit(row, foundation, priority, result)
        result.use(*used)


def _emit(row: _Row, foundation: tuple[str, int] | None, priority: list[str | None], result: ParseResult) -> None:
    actions = _split_actions(row.cells.get("actions", ""))
    printed_priority = clean_text(row.cells.get("priority", ""))
    if printed_priority:
        priority[0] = printed_priority
    count = len(actions)
    leads, lead_count = _pair(row.cells.get("lead", ""), count)
    dates, date_count = _pair(row.cells.get("timescale", ""), count)
    indicators = _items(row.cells.get("indicators", ""))
    for i, text in enumerate(actions):
        draft = ActionDraft(
            line=row.line,
            text=text,
            outcome=priority[0],
            foundations_text=foundation[0] if foundation else None,
            key=f"L{row.line}-{i + 1}" if count > 1 else None,
            notes=list(row.notes),
        )
        _set_lead(draft, leads, lead_count, count, i)
        _set_due(draft, dates, date_count, count, i)
        _set_indicators(draft, indicators, count, i)
        result.actions.append(draft)


def _set_lead(draft: ActionDraft, leads: list[str] | None, printed: int, count: int, i: int) -> None:
    if leads is None:
        draft.owners = []
        draft.notes.append(f"lead not paired: {count} actions, {printed} leads")
    elif not leads:
        draft.owners = []
        draft.notes.append("no lead printed")
    else:
        draft.owners_text = leads[i]
        draft.owners = [part for part in leads[i].split("; ") if part]


def _set_due(draft: ActionDraft, dates: list[str] | None, printed: int, count: int, i: int) -> None:
    if dates is None:
        draft.notes.append(f"timescale not paired: {count} actions, {printed} timescales")
    elif dates:
        draft.due_text = dates[i]
    else:
        draft.notes.append("no timescale printed")


def _set_indicators(draft: ActionDraft, indicators: list[str], count: int, i: int) -> None:
    if len(indicators) == count:
        draft.notes.append(f"indicators: {indicators[i]}")
    elif indicators:
        # One indicator serves the whole row; a different count cannot be paired item by item.
        draft.notes.append(f"indicators for the row: {'; '.join(indicators)}")


# --- lines outside the tables ---------------------------------------------------------------------


def _skip_prose(lines: list[Line], blocks: list[_Block], result: ParseResult) -> None:
    """Name why each line outside the tables is not an action: its section, a banner, a heading."""
    first_table = blocks[0].header.number if blocks else len(lines) + 1
    reason = "intro prose"
    in_banner = False
    appendix_pending = False
    for line in lines:
        if line.blank or line.number in result.used or line.number in result.skipped:
            continue
        text = line.text
        if appendix_pending:
            reason = f"appendix: {short_title(text, 64)}"
            appendix_pending = False
        if in_banner or text.startswith("**"):
            # Title and "#Keep The Promise" banners are bold runs spread over several lines.
            in_banner = not text.endswith("**") or (text == "**" and not in_banner)
            result.skip(line.number, "title banner")
            continue
        if APPENDIX.match(text):
            reason, appendix_pending = "appendix", True
        elif section := next((why for pattern, why in SECTION_REASONS if pattern.search(text)), None):
            reason = section
        elif line.number > first_table and not reason.startswith("appendix"):
            reason = "prose outside the tables"
        elif _is_prose_paragraph(text):
            # A sentence between list items (such as "Who we will work with ...:") is prose, not the list.
            result.skip(line.number, "intro prose")
            continue
        if _foundation_name(text) or _just_above_table(line, blocks):
            result.skip(line.number, "foundation heading")
            continue
        result.skip(line.number, reason)


def _is_prose_paragraph(text: str) -> bool:
    return len(text.split()) >= WORD_COUNT_PROSE and text.rstrip().endswith((".", ":", "!"))


def _just_above_table(line: Line, blocks: list[_Block]) -> bool:
    """A subtitle printed between a foundation heading and the table it heads."""
    return any(b.heading and b.heading[1] < line.number < b.header.number for b in blocks)


PARSER = WeWillTableParser()
