"""The layout-driven reader of commitments: any document without a parser of its own, read from its blocks.

It works on the document model (`indexer.document`; for a text file, the blocks `indexer.readers.text` finds from
the layout of its lines), not on one plan's wording. Rules, each named on the actions it finds with a confidence:

- `table row` (high): a table whose header names its columns by meaning (`indexer.columns`), over one or two
  header rows; a row with no action text, or one that only carries on a wrapped cell, continues the row above;
  repeated headers are skipped; an empty outcome cell takes the outcome above it (a merged cell);
- `list item after a lead-in` (high): each bullet or numbered item after "we will:", "Actions:", "The Council
  will:", "Key actions"; the heading above becomes the outcome, and a lead-in's subject ("The Scottish Government
  will:") the owner of every item under it;
- `numbered action with its own fields` (high): an item, or an "Action: ..." line, followed by "Lead:", "By:",
  "Status:" lines;
- `table of labels and values` (high): a two-column table with an "Action" row and its "Lead", "Timescale",
  "Status" rows (the layout of one box per action);
- `list item` (medium): a bullet with no lead-in that is itself a commitment ("Develop ...", "We will ...");
- `table printed one cell a line` (medium): a header of three or more column names a line, then the cells in
  its order, a cell's lines starting in lower case joined (text taken out of a PDF without its layout);
- `table flattened into paragraphs` (medium): below a header printed one column name a line ("Outcome" / "What
  we will do"), each label and the paragraph under it: an outcome and its action;
- `prose sentence` (medium, low for an imperative): a sentence committing someone ("X will ...", "We will ...",
  "We expect X to ...").

Inside any action text, a bracketed owner ("(Lead: Head of Education)"), the subject of "X will" and a deadline in
words ("by March 2026") are read when no column gives them, and kept as printed. Every line is used, skipped with
a reason, or a problem; the actions read with low confidence are problems too, so a person checks them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.columns import FIELD_LABEL, FIELD_ROLE, column_role, column_roles, is_header
from indexer.commitments import due_in, is_commitment, is_lead_in, lead_in_owner, owner_in, starts_imperative
from indexer.document import Block, DocumentModel
from indexer.formats.layout_tables import cell, find_header, flattened_headers, section_row
from indexer.readers.text import STACKED

SUMMARY = "unknown layout: read by its layout, {n} actions found ({rules}); check them"
RULE_TABLE = "table row"
RULE_LEAD_IN = "list item after a lead-in"
RULE_FIELDS = "numbered action with its own fields"
RULE_ITEM = "list item"
RULE_PROSE = "prose sentence"
RULE_KEY_VALUE = "table of labels and values"
RULE_FLATTENED = "table flattened into paragraphs"
RULE_STACKED = "table printed one cell a line"
CONFIDENCE = {
    RULE_TABLE: "high",
    RULE_LEAD_IN: "high",
    RULE_FIELDS: "high",
    RULE_ITEM: "medium",
    RULE_KEY_VALUE: "high",
}

SKIP_HEADING = "heading"
SKIP_LEAD_IN = "lead-in to a list of actions"
SKIP_NARRATIVE = "prose, no commitment found"
SKIP_ITEM = "list item that is not a commitment"
SKIP_OTHER_LIST = "list item under a lead-in that is not about actions"
SKIP_HEADER = "table header"
SKIP_REPEATED = "repeated header"
SKIP_NO_HEADER = "table with no recognised header"
SKIP_EMPTY_ROW = "empty table row"
SKIP_KEY_VALUE = "label row of a table of labels and values, with no action"
SKIP_SECTION = "table section heading (the outcome of the rows below)"
SKIP_GROUP_OWNER = "owner of the actions below"

# "We will" in capitals inside a sentence starts a commitment of its own (run-together text, a title above it)
WE_WILL_INSIDE = re.compile(r"\s+(?=We will\b)")
SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(])")
GENERIC_LEAD_IN_WORDS = 4  # "Key actions", "What we will do": a lead-in heading that names no topic
LIST_JOINER = re.compile(r"\s*(?:;|,)\s*(?:and|or)?\s*$|\s+(?:and|or)\s*$")
LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-z][.)])\s+")


@dataclass(slots=True)
class Found:
    """One action being read: its draft, the rule that found it and the lines it was read from."""

    draft: ActionDraft
    rule: str
    confidence: str
    lines: list[int] = field(default_factory=list)


def _confidence(rule: str, text: str) -> str:
    if rule == RULE_PROSE:
        return "low" if starts_imperative(text) and not is_commitment(text, allow_imperative=False) else "medium"
    return CONFIDENCE.get(rule, "medium")


class LayoutParser:
    """Reads commitments from the blocks of any document (see the module docstring)."""

    name = "layout"

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True for any text with a non-blank line: this is the fallback."""
        return any(not line.blank for line in lines)

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        from indexer.readers.text import model_of_lines

        try:
            model = model_of_lines(plan.file, lines)
        except Exception as exc:  # a bug in finding the blocks must cost this document, not the whole index
            result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
            result.abandon(lines, f"layout reader failed: {type(exc).__name__}: {exc}")
            return result
        return self.parse_model(plan, model)

    def parse_model(self, plan: Plan, model: DocumentModel) -> ParseResult:
        result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
        lines = model.lines
        try:
            found = _Reader(result).read(model)
        except Exception as exc:  # a bug must cost this document, not the whole index
            result.abandon(lines, f"layout reader failed: {type(exc).__name__}: {exc}")
            return result
        for item in found:
            note = f"read by: {item.rule} (confidence {item.confidence})"
            item.draft.notes.insert(0, note)
            result.actions.append(item.draft)
            result.use(*item.lines)
            if item.confidence == "low":
                result.problem(item.draft.line, f"check: {note}", item.draft.text or "")
        for where, reason in model.skipped:
            result.skip(where.line, reason)
        rules = Counter(item.rule for item in found)
        summary = ", ".join(f"{rule}: {n}" for rule, n in rules.most_common()) or "none"
        result.problem(1, SUMMARY.format(n=len(found), rules=summary))
        result.account_for(lines)
        return result


class _Reader:
    """The walk over the blocks, with what the blocks above have set: outcome, lead-in and its owner."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.found: list[Found] = []
        self.outcome: str | None = None
        self.lead: str | None = None  # the lead-in's text while its list runs
        self.lead_owner: str | None = None
        self.group_owner: str | None = None  # "Lead officer: X" under a heading: the owner of the actions below it
        self.last_item: Found | None = None  # for "Lead:" / "By:" lines under a numbered action
        self.other_list = False  # the items below follow a colon that does not introduce actions
        self.flattened = False  # below a table's header printed one name a line: label and action paragraphs
        self.label: Block | None = None  # the last heading read as an outcome (not a lead-in)
        self.texts: dict[int, str] = {}
        # the last table's header roles, its open row and outcome: a table that goes on after a page break
        self.open_row: tuple[list[str | None], Found | None, str | None] | None = None

    def read(self, model: DocumentModel) -> list[Found]:
        texts = self.texts = {line.number: line.text for line in model.lines}
        header = flattened_headers(model.blocks, texts)
        previous = None
        for k, block in enumerate(model.blocks):
            if block.kind != "table":
                self.open_row = None
            if k in header:
                self.flattened = True
                self.lead = self.lead_owner = None
                self._skip(block, SKIP_HEADER)
            elif block.kind == "heading":
                self._heading(block)
            elif block.kind == "table":
                self.flattened = False
                self._table(block)
            elif block.kind == "item":
                self._item(block)
            elif self.flattened and self.label is previous and previous is not None and self._flattened_cell(block):
                pass
            else:
                self._paragraph(block)
            previous = block
        keys = Counter(f.draft.line for f in self.found)
        seen: Counter[int] = Counter()
        for f in self.found:
            if keys[f.draft.line] > 1:
                seen[f.draft.line] += 1
                f.draft.key = f"L{f.draft.line}-{seen[f.draft.line]}"
        return self.found

    # --- blocks ---

    def _skip(self, block: Block, reason: str) -> None:
        for n in block.covered():
            self.result.skip(n, reason)

    def _heading(self, block: Block) -> None:
        if is_lead_in(block.text, heading=True):
            if len(block.text.split()) > GENERIC_LEAD_IN_WORDS:  # "Actions for children's health" names a topic
                self.outcome = block.text
            self._lead_in(block)
            return
        if self._fields(block):
            return
        self.outcome = block.text
        self.group_owner = None
        self.label = block
        self.lead = self.lead_owner = None
        self.last_item = None
        self.other_list = False
        self._skip(block, SKIP_HEADING)

    def _lead_in(self, block: Block) -> None:
        self.other_list = False
        self.lead = block.text
        self.lead_owner = lead_in_owner(block.text)
        self.last_item = None
        self._skip(block, SKIP_LEAD_IN)

    def _fields(self, block: Block) -> bool:
        """ "Lead: X", "By: Y", "Status: Z" lines giving the fields of the action just above."""
        text = block.text.strip()
        labels = list(FIELD_LABEL.finditer(text))
        if not labels or labels[0].start() != 0:
            return False
        first = FIELD_ROLE[labels[0].group("label").lower()]
        opens = text[labels[0].end() : labels[1].start() if len(labels) > 1 else len(text)].strip(" ;,")
        if first == "action" and opens:
            self.last_item = self._add(block.where.line, opens, RULE_FIELDS, [])
        if self.last_item is None and first == "owner" and len(labels) == 1 and opens:
            self.group_owner = opens  # under a heading, before its actions: the owner of each of them
            self._skip(block, SKIP_GROUP_OWNER)
            return True
        if self.last_item is None or (first == "action" and not opens):
            return False
        target = self.last_item
        for k, match in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
            value = text[match.end() : end].strip(" ;,")
            role = FIELD_ROLE[match.group("label").lower()]
            draft = target.draft
            if role == "action":
                continue
            if role == "owner":
                draft.owners_text, draft.owners = value, None
            elif role == "due":
                draft.due_text = value
            elif role == "status":
                draft.status_text = value
            elif role == "progress":
                draft.progress = f"{draft.progress} {value}" if draft.progress else value
            else:
                draft.notes.append(f"{match.group('label')}: {value}")
        if target.rule in (RULE_ITEM, RULE_LEAD_IN, RULE_PROSE):
            target.rule, target.confidence = RULE_FIELDS, CONFIDENCE[RULE_FIELDS]
        target.lines.extend(block.covered())
        return True

    def _flattened_cell(self, block: Block) -> bool:
        """The action paragraph under its label, in a flattened table: one action, whatever its wording."""
        if block.text.rstrip().endswith(":") or len(block.text.split()) < 3:
            return False
        self.last_item = self._add(block.where.line, block.text, RULE_FLATTENED, list(block.covered()))
        return True

    def _paragraph(self, block: Block) -> None:
        if self._fields(block):
            return
        if is_lead_in(block.text):
            self._lead_in(block)
            return
        self.lead = self.lead_owner = None
        self.last_item = None
        self.other_list = block.text.rstrip().endswith(":")
        sentences = [p for s in SENTENCE.split(block.text) for p in WE_WILL_INSIDE.split(s) if p.strip()]
        # a sentence ending in a colon opens a list (of indicators, quotations...), it is not an action itself
        alone = len(sentences) == 1
        commitments = [
            s for s in sentences if not s.rstrip().endswith(":") and is_commitment(s, allow_imperative=alone)
        ]
        if not commitments:
            self._skip(block, SKIP_NARRATIVE)
            return
        starts = self._line_starts(block)
        cursor = 0
        for sentence in commitments:
            at = block.text.find(sentence, cursor)
            cursor = max(cursor, at)
            line = max((n for offset, n in starts if offset <= at), default=block.where.line)
            self._add(line, sentence, RULE_PROSE, [])
        self.found[-len(commitments)].lines.extend(block.covered())
        self.last_item = self.found[-1] if len(commitments) == 1 else None

    def _line_starts(self, block: Block) -> list[tuple[int, int]]:
        """(offset in the block's text, line) where each of its lines starts: a sentence keeps its own line."""
        starts, offset = [], 0
        for n in block.covered():
            starts.append((offset, n))
            offset += len(self.texts.get(n, "")) + 1
        return starts

    def _item(self, block: Block) -> None:
        text = block.text
        if self._fields(block):
            return
        if self.lead is not None:
            found = self._add(block.where.line, text, RULE_LEAD_IN, list(block.covered()), self.lead_owner)
        elif self.other_list:
            self._skip(block, SKIP_OTHER_LIST)
            return
        elif is_commitment(text):
            found = self._add(block.where.line, text, RULE_ITEM, list(block.covered()))
        elif block.marker[:1].isdigit() and len(text.split()) >= 3 and not text.endswith(":"):
            found = self._add(block.where.line, text, RULE_ITEM, list(block.covered()))
            found.confidence = "low"
        else:
            self._skip(block, SKIP_ITEM)
            return
        self.last_item = found

    def _table(self, block: Block) -> None:
        self.lead = self.lead_owner = None
        self.last_item = None
        rows = block.rows
        header_at, roles, height = find_header(rows)
        if roles is None:
            if not self._key_value_table(block):
                self._skip(block, SKIP_NO_HEADER)
            return
        for k in range(header_at):
            self._skip_row(block, k, SKIP_NO_HEADER)
        for k in range(header_at, header_at + height):
            self._skip_row(block, k, SKIP_HEADER)
        column = {role: roles.index(role) for role in dict.fromkeys(r for r in roles if r)}
        # In a text file a table row is a printed line, so a line may be the wrapped rest of the row above.
        printed_lines = block.where.page is None and block.where.source_line is not None
        outcome_above = self.outcome
        current: Found | None = None
        if self.open_row is not None and self.open_row[0] == roles:  # the same table, on from the page before
            current, outcome_above = self.open_row[1], self.open_row[2]
        for k in range(header_at + height, len(rows)):
            cells = rows[k]
            if not any(c.strip() for c in cells):
                self._skip_row(block, k, SKIP_EMPTY_ROW)
                continue
            if is_header(column_roles(cells)):
                self._skip_row(block, k, SKIP_REPEATED)
                continue
            section = section_row(cells)
            if section is not None:
                outcome_above = section
                current = None
                self._skip_row(block, k, SKIP_SECTION)
                continue
            value = {role: cell(cells, i) for role, i in column.items()}
            action = value.get("action", "")
            if current is not None and _continues(current, value, action, printed_lines):
                _extend(current, value)
                current.lines.extend(block.lines_of_row(k))
                continue
            if not action:
                self.result.problem(block.lines_of_row(k)[0], "table row with no action text and no row above")
                continue
            if value.get("outcome"):
                outcome_above = value["outcome"]
            rule = RULE_STACKED if block.marker == STACKED else RULE_TABLE
            current = self._add(block.lines_of_row(k)[0], action, rule, list(block.lines_of_row(k)))
            draft = current.draft
            draft.outcome = value.get("outcome") or outcome_above
            if value.get("owner"):
                draft.owners_text, draft.owners = value["owner"], None
            if value.get("due"):
                draft.due_text = value["due"]
            draft.status_text = value.get("status") or None
            draft.progress = value.get("progress") or None
            draft.code = value.get("code") or None
            if draft.code:
                draft.code_printed = draft.code
            if value.get("measure"):
                draft.notes.append(f"measure: {value['measure']}")
        self.open_row = (roles, current, outcome_above)

    def _key_value_table(self, block: Block) -> bool:
        """A table of label and value rows ("Action | ...", "Lead | ...", "Timescale | ..."): an action per
        "Action" row, the rows below it its fields. False when no row is labelled as an action."""
        labels = [column_role(row[0]) if row else None for row in block.rows]
        if "action" not in labels or not any(r in ("owner", "due", "status") for r in labels):
            return False
        current: Found | None = None
        for k, (row, role) in enumerate(zip(block.rows, labels, strict=True)):
            value = " ".join(" ".join(row[1:]).split())
            if role == "action" and value:
                current = self._add(block.lines_of_row(k)[0], value, RULE_KEY_VALUE, list(block.lines_of_row(k)))
                continue
            if current is None or not value or role is None:
                self._skip_row(block, k, SKIP_KEY_VALUE)
                continue
            draft = current.draft
            if role == "owner":
                draft.owners_text, draft.owners = value, None
            elif role == "due":
                draft.due_text = value
            elif role == "status":
                draft.status_text = value
            elif role == "outcome":
                draft.outcome = value
            elif role == "progress":
                draft.progress = value
            else:
                draft.notes.append(f"{row[0]}: {value}")
            current.lines.extend(block.lines_of_row(k))
        return True

    def _skip_row(self, block: Block, k: int, reason: str) -> None:
        for n in block.lines_of_row(k):
            self.result.skip(n, reason)

    # --- one action ---

    def _add(self, line: int, text: str, rule: str, lines: list[int], owner: str | None = None) -> Found:
        text = text.strip() if rule in (RULE_TABLE, RULE_STACKED) else LEADING_NUMBER.sub("", text, count=1).strip()
        if rule in (RULE_LEAD_IN, RULE_ITEM):
            text = LIST_JOINER.sub("", text)  # "...; and" or "...;" ending one item of a running list
        due_text = due_in(text)  # before a bracketed "(Lead: X, by March 2025)" leaves the text
        owner_text, text = owner_in(text)  # a bracketed owner leaves the text; a subject stays in it
        draft = ActionDraft(line=line, text=text, outcome=self.outcome)
        chosen = owner or owner_text or self.group_owner
        if chosen:
            draft.owners_text, draft.owners = chosen, None
        else:
            draft.owners = []
        draft.due_text = due_text
        found = Found(draft, rule, _confidence(rule, text), lines)
        self.found.append(found)
        return found


def _continues(current: Found, value: dict[str, str], action: str, printed_lines: bool = False) -> bool:
    """A row that carries on the row above: no action text, or a wrapped action that starts in lower case with
    no new outcome or code; or, where rows are printed lines (a text file), a line with no code under a row with
    one, or with none of the code, due and status cells under an action that ran on without a full stop."""
    if not action:
        return True
    if action[0].islower() or action[0] in ",;:)&":
        return not any(value.get(r, "")[:1].isupper() for r in ("outcome", "code"))
    if not printed_lines:
        return False
    if "code" in value and not value["code"] and current.draft.code:
        return True
    starters = [r for r in ("code", "due", "status") if r in value]
    above = current.draft.text or ""
    return bool(starters) and not any(value[r] for r in starters) and not above.endswith((".", "!", "?"))


def _extend(current: Found, value: dict[str, str]) -> None:
    draft = current.draft
    for role, text in value.items():
        if not text:
            continue
        if role == "action":
            draft.text = f"{draft.text} {text}".strip()
        elif role == "owner":
            # a lower-case start is the rest of a wrapped name; a row of its own names a second owner
            joiner = " " if text[:1].islower() else "; "
            draft.owners_text = f"{draft.owners_text}{joiner}{text}" if draft.owners_text else text
            draft.owners = None
        elif role == "due":
            draft.due_text = f"{draft.due_text} {text}".strip() if draft.due_text else text
        elif role == "status":
            draft.status_text = f"{draft.status_text} {text}".strip() if draft.status_text else text
        elif role == "progress":
            draft.progress = f"{draft.progress} {text}".strip() if draft.progress else text
    if draft.due_text is None and draft.text:
        draft.due_text = due_in(draft.text)


PARSER = LayoutParser()
