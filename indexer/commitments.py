"""What one piece of text commits someone to: is it a commitment, who owns it, by when.

Used by the layout reader (`indexer.formats.layout`) on table cells, list items and prose sentences alike:

- `is_commitment(text)`: "We will ...", "The Council will ...", "We expect schools to ...", an imperative verb at
  the start ("Develop ..."); never narrative, statistics, passives ("Progress will be reported") or quotations;
- `owner_in(text)`: an owner in brackets ("(Lead: Head of Education)"), the subject of "X will" or the "X" of
  "We expect X to";
- `due_in(text)`: a deadline in words ("by March 2026", "by the end of 2016", "by 2025/26"), kept as printed and
  read with `indexer.fields.parse_due`.

>>> is_commitment("Children's Hearings Scotland will review how children are invited.")
True
>>> is_commitment("Progress will be reported to the board."), is_commitment("In 2023, 145 children lived in care.")
(False, False)
>>> owner_in("Set up a forum (Lead: Participation Officer)")
('Participation Officer', 'Set up a forum')
>>> owner_in("Local authorities will publish their plans by April 2025.")[0]
'Local authorities'
>>> due_in("Review respite provision for disabled children by the end of 2025")
'by the end of 2025'
>>> due_in("Respond to the inspection within three months of the report being published.")
'within three months of the report being published'
"""

from __future__ import annotations

import re

from indexer.fields import MONTH

IMPERATIVES = (
    "ensure establish develop implement review provide deliver improve introduce create embed increase reduce "
    "strengthen build explore extend expand undertake support promote publish set offer train recruit work "
    "continue give make monitor evaluate agree commission design launch refresh update produce prepare "
    "consult engage involve invest fund raise roll identify map test pilot adopt appoint host hold run "
    "maintain share complete co-produce coproduce empower enable tackle address encourage deliver listen "
    "respond protect prioritise prevent reform redesign replace upskill audit assess consider carry gather "
    "collect measure track report keep bring seek put open start begin stop end use apply trial lead join write "
    "rewrite co-design codesign simplify widen double halve guarantee exempt ring-fence remove place hire "
    "celebrate mark recognise welcome align integrate combine merge restructure procure deploy"
).split()
NOT_SUBJECT = {
    "we", "i", "you", "it", "this", "that", "these", "those", "they", "there", "which", "what", "who", "progress",
    "work", "data", "information", "funding", "training", "success", "change", "changes", "everyone", "nobody",
    "nothing", "something", "he", "she", "one", "each", "all", "some", "many", "most", "our", "your", "their",
    "its", "here", "further", "future", "outcomes", "results", "reports", "the plan", "this plan",
    "for", "in", "on", "at", "by", "with", "from", "to", "as", "over", "under", "after", "before", "since", "during",
    "through", "if", "when", "because", "while", "although", "once", "so", "and", "but", "or", "then", "also",
}  # fmt: skip
# A subject that names those a plan is for, not someone who acts: "Every child will grow up loved" is a vision.
NOT_AGENT_HEADS = {
    "child", "children", "people", "person", "persons", "families", "family", "parents", "carers", "pupils",
    "learners", "everyone", "adults", "babies", "students", "leavers", "communities", "lives", "outcomes",
}  # fmt: skip
NOT_IN_SUBJECT = {"we", "what", "that", "which", "who", "if", "when", "because", "our", "us", "you", "they", "it"}
NOT_AFTER_WILL = ("be", "have", "not", "also be", "continue to be", "need", "require", "mean")
SUBJECT_WILL = re.compile(
    r"^(?P<owner>[A-Z][\w'’&.\-]*,?(?:\s+(?:[\w'’&\-]+,?|\([A-Z]+\))){0,7}?)\s+(?:will|shall)\s+"
    r"(?P<verb>\w+(?:\s+\w+)?)"
)
WE_EXPECT = re.compile(r"^We (?:expect|want|ask|require|need)\s+(?P<owner>[\w'’&\s\-]{2,80}?)\s+to\s+\w+")
WE_WILL = re.compile(
    r"^(?:[A-Z][^.!?]{0,80},\s*)?(?:we|the partnership|the council)\s+(?:will|are going to|commit to|are committed to|"
    r"shall|aim to|plan to|intend to)\b",
    re.I,
)
BRACKET_OWNER = re.compile(
    r"\s*[(\[]\s*(?:lead(?:\s+officer|\s+partner|\s+agency|\s+service)?|owner|responsible|led by|who|by whom)"
    r"\s*[:\-–]?\s*(?P<owner>[^()\[\];]{2,120}?)\s*(?:[;,]\s*(?P<rest>(?:by|due|deadline|timescale|target)\b"
    r"[^()\[\]]{0,80}?))?\s*[)\]]",
    re.I,
)
SEASON = r"(?:spring|summer|autumn|winter)"
DUE_PHRASE = re.compile(
    r"\b(?:by|before|no later than|until(?:\s+at\s+least)?|due|during|from|throughout|within)\s+(?:the\s+)?"
    r"(?:(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}\s+|{SEASON}\s+|(?:financial|school|academic)\s+year\s+)?"
    r"(?:(?:19|20)\d\d(?:\s*[/–-]\s*\d{2,4})?)\b",
    re.I,
)
# Deadlines with no date of their own: "within three months of the report", "in time for the 2023-2026 plan",
# "each September". Kept as printed (to the end of the clause); parse_due gives a date only when one is printed.
DUE_RELATIVE = re.compile(
    rf"\b(?:within\s+(?:[\w-]+\s+){{1,2}}(?:days?|weeks?|months?|years?)(?:\s+of\s+[^,.;()]{{3,80}})?"
    rf"|in time for\s+[^,.;()]{{3,80}}|(?:each|every)\s+(?:{MONTH}|term|quarter|school year)\b)",
    re.I,
)
QUOTE_START = ('"', "“", "‘", "'")
STATISTIC = re.compile(r"\d+(?:\.\d+)?\s*%|\b\d{2,}\s+(?:children|young people|families|people|cases)\b", re.I)


def _first_word(text: str) -> str:
    return text.split()[0].lower().strip(",.;:") if text.split() else ""


def starts_imperative(text: str) -> bool:
    """An action phrased as an instruction: "Develop a kinship care offer"."""
    words = text.split()
    if len(words) < 3:
        return False
    first = words[0].lower().strip(",.;:")
    second = words[1].lower()
    if not second[:1].isalpha():
        return False
    return first in IMPERATIVES and second not in ("is", "are", "was", "were", "has", "have", "of", "for", "and")


def subject_will(text: str) -> str | None:
    """The subject of "X will <verb>" when X names someone who can act, else None."""
    match = SUBJECT_WILL.match(text)
    if match is None:
        return None
    owner = match.group("owner").strip()
    verb = match.group("verb").lower()
    if owner.lower() in NOT_SUBJECT or _first_word(owner) in NOT_SUBJECT:
        return None
    if any(verb == w or verb.startswith(w + " ") for w in NOT_AFTER_WILL):
        return None
    words = owner.split()
    if len(words) > 8 or any(w.lower().strip(",") in NOT_IN_SUBJECT for w in words):
        return None
    if words[-1].lower() in NOT_AGENT_HEADS or words[0].lower() in ("every", "each", "no", "all"):
        return None
    if "," in owner and not all(w[:1].isupper() or w in ("and", "of", "the", "for", "&") for w in words):
        return None
    return owner


def is_commitment(text: str, allow_imperative: bool = True) -> bool:
    """True for text that commits someone to an action (see the module docstring)."""
    text = text.strip()
    if not text or text.startswith(QUOTE_START) or text.endswith("?"):
        return False
    if WE_WILL.match(text):
        after = WE_WILL.sub("", text, count=1).split()
        return bool(after) and after[0].lower() not in ("be", "not", "have")
    if WE_EXPECT.match(text) or subject_will(text):
        return True
    if allow_imperative and starts_imperative(text) and not STATISTIC.search(text[:40]):
        return True
    return False


def owner_in(text: str) -> tuple[str | None, str]:
    """(owner as printed, the text without a bracketed owner) for one action's text.

    >>> owner_in("Open a hub (Lead: Head of Service; by March 2025).")
    ('Head of Service', 'Open a hub.')
    """
    bracket = BRACKET_OWNER.search(text)
    if bracket is not None:
        rest = (text[: bracket.start()] + text[bracket.end() :]).strip()
        return bracket.group("owner").strip(" .;,"), rest
    expect = WE_EXPECT.match(text)
    if expect is not None:
        return expect.group("owner").strip(), text
    return subject_will(text), text


def due_in(text: str) -> str | None:
    """The last deadline written in words in text, as printed ("by March 2026"), or None."""
    found = list(DUE_PHRASE.finditer(text))
    if found:
        return found[-1].group(0)
    relative = list(DUE_RELATIVE.finditer(text))
    return relative[-1].group(0).strip() if relative else None


def lead_in_owner(text: str) -> str | None:
    """The owner a lead-in gives to the items under it: "The Scottish Government will:" -> "The Scottish Government".

    >>> lead_in_owner("The Scottish Government will:"), lead_in_owner("Over the term of this plan, we will:")
    ('The Scottish Government', None)
    """
    clause = text.rstrip(": ").split(",")[-1].strip()
    match = re.match(r"^(?P<owner>.+?)\s+(?:will|shall|is going to|are going to|commits? to)\b", clause)
    if match is None:
        return None
    owner = match.group("owner").strip()
    if owner.lower() in NOT_SUBJECT or _first_word(owner) in NOT_SUBJECT or not owner[:1].isupper():
        return None
    return owner


LEAD_IN_VERB = re.compile(
    r"\b(?:will|shall|are going to|is going to|commits? to|pledge to|plan to|aim to)\b(?:\s+[\w'’-]+){0,3}\s*:$", re.I
)
ACTION_WORDS = re.compile(
    r"\b(?:actions?|next steps|commitments?|what we(?:'ll| will) do|priorities for action)\b", re.I
)


def is_lead_in(text: str, heading: bool = False) -> bool:
    """A line that introduces a list of actions: it ends in "will:" (or "will also:", "will work to:"), or it is a
    short line naming actions ("Actions:", "Key actions", "Our commitments:").

    >>> is_lead_in("Over the term of this plan, we will:"), is_lead_in("Key actions"), is_lead_in("Background:")
    (True, True, False)
    >>> is_lead_in("We will measure progress using local indicators, including:")
    False

    A heading needs no colon: "What we will do", "Our commitments", "Actions for 2024".
    """
    text = text.strip()
    if len(text) > 160:
        return False
    if text.endswith(":") and LEAD_IN_VERB.search(text):
        return True
    if heading and len(text.split()) <= 8 and (ACTION_WORDS.search(text) or re.fullmatch(r"we will", text, re.I)):
        return not re.search(r"\b(?:was|were|had|did|achieved|completed|progress)\b", text, re.I)
    if len(text.split()) <= 8 and ACTION_WORDS.search(text) and not re.search(r"\b(?:was|were|had|did)\b", text):
        return text.endswith(":") or bool(
            re.fullmatch(r"(?:key |our |priority |improvement |further )?actions?(?: we will take)?", text, re.I)
        )
    return False


def ends_in_colon(text: str) -> bool:
    """A line that introduces a list (of anything): the list under a colon that is not a lead-in is not actions."""
    return text.rstrip().endswith(":")
