"""Last-resort parser: commitments in plain prose ("We will ...", bullets starting with a verb).

Any text is accepted, and the result always carries one warning at line 1 saying the layout was
unknown, so nobody mistakes a prose reading for a checked one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graphkit.records import Plan
from indexer.base import ActionDraft, Line, ParseResult
from indexer.normalise import clean_text

# "We will" opens a commitment anywhere it is capitalised, even mid-sentence: extracted table cells
# often run several "We will" statements together with no full stop. Lower-case "we will" inside a
# sentence is prose ("... and we will report on it"), so it counts only at the start of a block.
WE_WILL_PHRASES = ("We will", "We are going to", "We commit to")
# Imperatives count only at the start of a block (a line, cell, paragraph or bullet), where a plan
# lists what it will do; mid-paragraph "Support for families has grown." is a report, not an action.
IMPERATIVE_VERBS = (
    "Ensure",
    "Develop",
    "Implement",
    "Establish",
    "Re-establish",
    "Review",
    "Provide",
    "Deliver",
    "Improve",
    "Introduce",
    "Create",
    "Support",
    "Promote",
    "Continue",
    "Work with",
    "Raise",
    "Embed",
    "Increase",
    "Reduce",
    "Strengthen",
    "Build",
    "Explore",
    "Extend",
    "Expand",
    "Undertake",
)
# A verb followed by one of these is a noun phrase ("Review of ...", "Support is ...").
NOT_AFTER_IMPERATIVE = ("is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "of", "and")
IMPERATIVE_MIN_WORDS = 3  # "Review" or "Develop training" alone is a heading
SUMMARY = "unknown layout: read as prose, {n} commitments found; check them"
SKIP_PROSE = "prose, no commitment found"

WE_WILL_ANYWHERE = re.compile(r"\b(?:" + "|".join(WE_WILL_PHRASES) + r")\b")
WE_WILL_START = re.compile(r"(?:" + "|".join(WE_WILL_PHRASES) + r")\b", re.IGNORECASE)
IMPERATIVE_START = re.compile(
    r"(?:" + "|".join(re.escape(v) for v in IMPERATIVE_VERBS) + r")\b(?!-)\s+(?P<next>[\w'’-]+)"
)
BULLET = re.compile(r"^\s*(?:[-*•▪◦·‣–]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+")
BLOCK_BREAK = re.compile(r"<(?:p|li|br|div|ul|ol)\b[^<>]{0,500}>", re.IGNORECASE)
# A plain trailing "(Lead: X, by March 2025)": owner part, due part, or both, nothing else.
OWNER_LABEL = r"(?:lead(?: officer| partner)?|owner|responsible|by whom)\s*:\s*"
DUE_LABEL = r"(?:by|due(?: date)?:?|deadline:?|timescale:?|target(?: date)?:?)\s+"
TRAILER = re.compile(
    r"\s*\(\s*(?:(?:" + OWNER_LABEL + r"(?P<owner>[^(),;]{1,120}?))"
    r"(?:\s*[,;]\s*" + DUE_LABEL + r"(?P<due>[^()]{1,60}?))?"
    r"|" + DUE_LABEL + r"(?P<due_only>[^()]{1,60}?))\s*\)\s*\.?\s*$",
    re.IGNORECASE,
)
OWNER_SEPARATORS = re.compile(r"[;/]")
SENTENCE_END = (".", "!", "?", ":", ";")


def blocks(line: Line) -> list[str]:
    """The line's cells, each split at paragraph and list-item tags, cleaned; empty ones dropped."""
    parts = []
    for raw in line.raw_cells:
        for piece in BLOCK_BREAK.split(raw):
            text = clean_text(piece)
            if text:
                parts.append(text)
    return parts


def _starts_commitment(block: str) -> bool:
    """A block (bullet marker removed) that opens with "We will" or an imperative verb."""
    if WE_WILL_START.match(block):
        return True
    match = IMPERATIVE_START.match(block)
    if match is None or match.group("next").lower() in NOT_AFTER_IMPERATIVE:
        return False
    return len(block.split()) >= IMPERATIVE_MIN_WORDS


def commitments_in(block: str) -> list[str]:
    """Commitment texts in one block, each running to the next commitment.

    >>> commitments_in("Our aims. We will listen. This matters. We will act")
    ['We will listen. This matters.', 'We will act']
    >>> commitments_in("- Develop a kinship care offer")
    ['Develop a kinship care offer']
    """
    text = BULLET.sub("", block, count=1)
    starts = [m.start() for m in WE_WILL_ANYWHERE.finditer(text)]
    if _starts_commitment(text) and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    if not starts:
        return []
    ends = starts[1:] + [len(text)]
    return [text[a:b].strip() for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


@dataclass(slots=True)
class Commitment:
    line: int
    text: str


def split_owners(text: str) -> list[str]:
    """Owners split on `;` and `/`, as in the table parser."""
    return [part.strip() for part in OWNER_SEPARATORS.split(text) if part.strip()]


def draft(commitment: Commitment, key: str | None) -> ActionDraft:
    """An action draft, with owner and due only when a plain trailing "(Lead: X, by Y)" prints them."""
    text, owners_text, due_text = commitment.text, None, None
    match = TRAILER.search(text)
    if match is not None:
        owners_text = match.group("owner")
        due_text = match.group("due") or match.group("due_only")
        text = text[: match.start()].rstrip()
    owners_text = owners_text.strip() if owners_text else None
    return ActionDraft(
        line=commitment.line,
        key=key,
        text=text,
        owners_text=owners_text,
        owners=split_owners(owners_text) if owners_text else [],
        due_text=due_text.strip() if due_text else None,
    )


def _continues(line: Line, previous: Commitment | None, previous_line: int) -> bool:
    """A wrapped line: it follows a commitment's line directly, and the commitment ended mid-sentence."""
    if previous is None or previous_line != line.number - 1 or previous.text.endswith(SENTENCE_END):
        return False
    text = line.text
    return bool(text) and text[0].islower() and not BULLET.match(line.raw)


class ProseParser:
    """Any text: finds commitments and skips the rest, and always warns that the layout was unknown."""

    name = "prose"

    def sniff(self, lines: Sequence[Line]) -> bool:
        """True for any text with a non-blank line: this is the fallback."""
        return any(not line.blank for line in lines)

    def parse(self, plan: Plan, lines: Sequence[Line]) -> ParseResult:
        result = ParseResult(document=plan.id, file=plan.file, parser=self.name)
        try:
            found = self._parse(result, lines)
        except Exception as exc:  # a bug must cost this document, not the whole index
            result.abandon(lines, f"prose parser failed: {type(exc).__name__}: {exc}")
            return result
        result.problem(1, SUMMARY.format(n=found), severity="warning")
        return result

    def _parse(self, result: ParseResult, lines: Sequence[Line]) -> int:
        found: list[tuple[Commitment, bool]] = []  # (commitment, shares its line with others)
        last: Commitment | None = None
        last_line = 0
        for line in lines:
            if line.blank:
                continue
            texts = [t for block in blocks(line) for t in commitments_in(block)]
            if texts:
                batch = [Commitment(line.number, t) for t in texts]
                found.extend((c, len(batch) > 1) for c in batch)
                last, last_line = batch[-1], line.number
                result.use(line.number)
            elif _continues(line, last, last_line):
                assert last is not None
                last.text = f"{last.text} {line.text}"
                last_line = line.number
                result.use(line.number)
            else:
                result.skip(line.number, SKIP_PROSE)
        self._add(result, found)
        return len(found)

    @staticmethod
    def _add(result: ParseResult, found: list[tuple[Commitment, bool]]) -> None:
        index = 0
        for i, (commitment, shared) in enumerate(found):
            same_line = i > 0 and found[i - 1][0].line == commitment.line
            index = index + 1 if same_line else 1
            result.actions.append(draft(commitment, f"L{commitment.line}-{index}" if shared else None))


PARSER = ProseParser()
