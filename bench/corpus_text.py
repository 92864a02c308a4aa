"""The words of the synthetic plans: material taken from the real plans, new statements recombined from it, and
rewordings (synonyms, acronyms, dropped, added and reordered words) for the injected duplicates and successors.

Everything here is deterministic for a `random.Random`: the material is read in catalogue order and every pool is
a sorted list, never a set, so hash randomisation cannot change a corpus.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from graphkit.build import index_document
from graphkit.catalogue import read_catalogue
from graphkit.records import Action
from graphkit.terms import CONCEPTS, STOP_WORDS
from graphkit.vocab import ACRONYMS, SYNONYMS

# Sentence and phrase boundaries in the real texts: item numbers ("2. "), " | " between CPC items, commas and the
# connecting words that start a phrase. "and" and "of" are left alone: they sit inside the plans' fixed phrases
# ("children and young people", "the impact of abuse and neglect"). New sentences join a real sentence's first
# phrase to phrases of other sentences, so that two actions rarely share more than a phrase by chance: a corpus
# of 300,000 actions from a few hundred whole clauses would make most pairs near-duplicates.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s+(?=\d{1,2}\.\s)|\s+\|\s+")
PHRASE_BREAK = re.compile(
    r"[,;]\s+|\s+(?=(?:to|for|with|in|on|at|from|across|through|by|within|including|so that|which|where"
    r"|alongside|around|between|into|during)\s)"
)
ITEM_NUMBER = re.compile(r"^(?:\d{1,2}[.)]|[-•·*|])\s*")
# Words cut by the PDF ("ate", "e", "sibilities" in a split column) leave short fragments: a sentence with a
# one- or two-letter word that is not one of these is extraction debris, not material.
SHORT_WORDS = frozenset("a an to of in on at by or as is be we it if up no so do us".split())
TRAILING_PUNCTUATION = re.compile(r"[\s.;:,]+$")
# Labels the Covalent parser puts in front of the pieces of a progress text; not printed words.
NOTE_LABEL = re.compile(r"(?:^|(?<=\| ))(?:Sub-action:|Latest note on overall progress(?: \([^)]*\))?:)\s*")
UNWANTED = re.compile(r"https?:|www\.|@|\t|[<>{}]")
MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS = 4, 45
MIN_PHRASE_WORDS = 2
PHRASE_WORDS = 5  # longer phrases are cut into pieces of this many words
MAX_SENTENCE_WORDS_MADE = 35  # a new sentence takes no further phrase past this many words
MAX_STATEMENT_WORDS = 70

# Word swaps keep "the same kind" of word by its ending; only lower-case words of this length or more are
# swapped (capitals are names, acronyms and sentence starts, which the rewording needs intact).
SUFFIXES = ("ing", "tion", "sion", "ment", "ness", "ity", "ies", "ed", "ly", "ers", "es", "s", "al", "ive", "ful")
MIN_SWAP_LENGTH = 4
SWAP_RATE = 0.2  # share of swappable words replaced in a new statement
OUTCOME_SWAP_RATE = 0.12
PUNCTUATION = ".,;:()'\"!?"

# Statement shape: sentences per statement and phrases after the first, with their weights.
SENTENCES = ((1, 70), (2, 25), (3, 5))
LINKS = ((2, 25), (3, 35), (4, 25), (5, 15))

# Rewording. Words a plan drops or adds without changing the commitment ("all", "further"); "Continue to" is how
# a later plan carries an earlier action forward.
DROPPABLE = frozenset(
    "all the appropriate relevant further key local new regular effective clear existing specific current wider "
    "our their both each any".split()
)
ADDABLE = ("all", "further", "local", "clear", "key", "effective", "regular", "multi-agency", "improved", "better")
CARRY_FORWARD = "Continue to"
SENTENCE_START = re.compile(r"(^|\.\s+)([a-z])")
WE_WILL = "We will "  # how Dundee-style plans open an action


@dataclass(frozen=True, slots=True)
class Material:
    """Pools drawn from the real plans, each a sorted list so a seed always gives the same corpus."""

    openers: list[str]  # first phrases of real action sentences ("Implement training")
    links: list[str]  # later phrases of action and progress sentences, with their glue (" to ensure ...", ", ...")
    outcomes: list[str]
    notes: list[str]  # progress sentences
    owners: list[str]  # roles and groups (people's names are left out)
    codes: list[str]  # real action codes, for the Covalent area prefixes
    swaps: dict[str, list[str]]  # word kind -> words of that kind
    kind_of: dict[str, str]  # word -> its kind
    spots: dict[str, tuple[list[str], list[tuple[int, str, str]]]]  # pool text -> its tokens, swappable words


def real_actions(data: Path) -> list[Action]:
    """Every action of the bundled (or given) plans, parsed by the real parsers."""
    return [a for plan in read_catalogue(data) for a in index_document(data, plan).actions]


def sentences_of(text: str | None) -> list[str]:
    """The sentences of a real text, item numbers and end punctuation removed.

    >>> sentences_of("1. Develop a plan for siblings. 2. Review it | Train staff across agencies")
    ['Develop a plan for siblings', 'Review it', 'Train staff across agencies']
    """
    found = []
    for piece in SENTENCE_BREAK.split(text or ""):
        piece = TRAILING_PUNCTUATION.sub("", ITEM_NUMBER.sub("", piece.strip()))
        if piece and not UNWANTED.search(piece) and not _debris(piece):
            found.append(" ".join(piece.split()))
    return found


def _debris(sentence: str) -> bool:
    return any(
        (len(w) <= 2 and w.isalpha() and w.islower() and w not in SHORT_WORDS) or (len(w) == 1 and w in "BCDEFGHP")
        for w in sentence.split()
    )


def _kind(word: str) -> str | None:
    if len(word) < MIN_SWAP_LENGTH or not word.isalpha() or not word.islower() or word in STOP_WORDS:
        return None
    return next((s for s in SUFFIXES if word.endswith(s)), "other")


# Owners that start with two capitalised words are people ("Firstname Surname, Service Manager") unless the
# first word is one that opens a role or group name in the plans.
ROLE_OPENERS = frozenset(
    "Senior Lead Independent Corporate Committee Depute Improvement Programme Public Protecting Youth Young Virtual "
    "Principle Principal Education Chief Agency Forth West Performance Assistant Child Service Team Head".split()
)
TWO_CAPITALISED = re.compile(r"^([A-Z][a-z]+)\s+(?:(?:de|van|von|da|di|le|la)\s+)?[A-Z][a-zA-Z'-]*[a-z]\b")


def is_role(owner: str) -> bool:
    """True for a role or group ("Senior Manager, DCC"), False for a person's name.

    >>> is_role("Senior Manager, DCC"), is_role("Headteachers"), is_role("Alex Example, Service Manager")
    (True, True, False)
    """
    match = TWO_CAPITALISED.match(owner)
    return not match or match.group(1) in ROLE_OPENERS


def _pieces(words: list[str]) -> list[str]:
    """A long phrase cut into runs of about PHRASE_WORDS words, none ending on a function word ("and", "the").

    >>> _pieces("the impact of abuse and neglect across all agencies and partners".split())
    ['the impact of abuse and neglect', 'across all agencies and partners']
    """
    pieces: list[list[str]] = [[]]
    for word in words:
        if len(pieces[-1]) >= PHRASE_WORDS and pieces[-1][-1].lower() not in STOP_WORDS:
            pieces.append([])
        pieces[-1].append(word)
    while len(pieces) > 1 and len(pieces[-1]) < MIN_PHRASE_WORDS:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return [" ".join(piece) for piece in pieces]


def load_material(data: Path) -> Material:
    """Pools of clauses, outcomes, notes, owners and codes from the real plans in `data`."""
    actions = real_actions(data)
    openers, links, notes = set(), set(), set()
    for action in actions:
        progress = sentences_of(NOTE_LABEL.sub("", action.progress or ""))
        for sentence in sentences_of(action.text) + progress:
            if not MIN_SENTENCE_WORDS <= len(sentence.split()) <= MAX_SENTENCE_WORDS:
                continue
            cuts = list(PHRASE_BREAK.finditer(sentence))
            starts = [0] + [m.end() for m in cuts]
            ends = [m.start() for m in cuts] + [len(sentence)]
            for n, (start, end) in enumerate(zip(starts, ends, strict=True)):
                words = sentence[start:end].split()
                if len(words) < MIN_PHRASE_WORDS:
                    continue
                # a long phrase is cut into pieces of a few words, so that no long run of words repeats by chance
                pieces = _pieces(words)
                glue = ", " if n > 0 and sentence[cuts[n - 1].start()] in ",;" else " "
                if n == 0 and sentence not in progress:
                    openers.add(pieces[0])
                elif n > 0:
                    links.add(glue + pieces[0])
                links.update(" " + piece for piece in pieces[1:])
        notes.update(s for s in progress if len(s.split()) <= MAX_SENTENCE_WORDS)
    # an outcome opens with a letter: it is printed after a number ("3. Staff ...") that a parser must recognise
    outcomes = {o for a in actions for o in sentences_of(a.outcome) if len(o.split()) > MIN_PHRASE_WORDS}
    outcomes = {o for o in outcomes if o[0].isalpha()}
    owners = {o for a in actions for o in a.owners if is_role(o) and not UNWANTED.search(o)}
    kind_of: dict[str, str] = {}
    for text in sorted(openers | links | outcomes | notes):
        for token in text.split():
            word = token.strip(PUNCTUATION)
            kind = _kind(word)
            if kind:
                kind_of[word] = kind
    swaps: dict[str, list[str]] = {}
    for word in sorted(kind_of):
        swaps.setdefault(kind_of[word], []).append(word)
    spots = {}
    for text in openers | links | outcomes | notes:
        tokens = text.split()
        words = [(i, t.strip(PUNCTUATION)) for i, t in enumerate(tokens)]
        spots[text] = (tokens, [(i, w, kind_of[w]) for i, w in words if w in kind_of])
    return Material(
        openers=sorted(openers),
        links=sorted(links),
        outcomes=sorted(outcomes),
        notes=sorted(notes),
        owners=sorted(owners),
        codes=sorted({a.code for a in actions if a.code}),
        swaps=swaps,
        kind_of=kind_of,
        spots=spots,
    )


def _weighted(rng: random.Random, table: tuple[tuple[int, int], ...]) -> int:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def swap_words(text: str, material: Material, rng: random.Random, rate: float = SWAP_RATE) -> str:
    """Replace a share of the words with other real words of the same kind (the same ending); a text of the
    pools keeps its leading glue (" to ...") and is read from its tokens split once, when the pools were made."""
    known = material.spots.get(text)
    if known is None:
        tokens = text.split()
        spots = [(i, t.strip(PUNCTUATION)) for i, t in enumerate(tokens)]
        spots = [(i, w, material.kind_of[w]) for i, w in spots if w in material.kind_of]
    else:
        tokens, spots = known
    changed = None
    for i, word, kind in spots:
        if rng.random() < rate:
            changed = changed or list(tokens)
            changed[i] = changed[i].replace(word, rng.choice(material.swaps[kind]), 1)
    glue = " " if text.startswith(" ") else ""
    return glue + " ".join(changed or tokens)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def new_statement(material: Material, rng: random.Random) -> str:
    """A commitment of one to three sentences, each the first phrase of a real action's sentence followed by
    phrases of other sentences, a share of its words swapped for real words of the same kind."""
    sentences: list[str] = []
    for _ in range(_weighted(rng, SENTENCES)):
        parts = [rng.choice(material.openers)]
        for _ in range(_weighted(rng, LINKS)):
            link = rng.choice(material.links)
            if sum(len(p.split()) for p in parts) + len(link.split()) > MAX_SENTENCE_WORDS_MADE:
                break
            parts.append(link)
        sentence = "".join(swap_words(part, material, rng) for part in parts).strip()
        sentences.append(capitalise(sentence) + ".")
        if sum(len(s.split()) for s in sentences) > MAX_STATEMENT_WORDS:
            break
    return " ".join(sentences)


def new_outcome(material: Material, rng: random.Random) -> str:
    return capitalise(swap_words(rng.choice(material.outcomes), material, rng, OUTCOME_SWAP_RATE))


def new_note(material: Material, rng: random.Random) -> str:
    return capitalise(swap_words(rng.choice(material.notes), material, rng)) + "."


# --- rewording ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paraphrase:
    """A phrase the project treats as meaning the same as each of `alternatives`."""

    pattern: re.Pattern[str]
    alternatives: tuple[str, ...]


def _word_pattern(phrase: str, case: bool) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + re.escape(phrase) + r"(?![\w'])", 0 if case else re.IGNORECASE)


def paraphrases() -> list[Paraphrase]:
    """The project's own equivalences: acronyms and their expansions (`graphkit.vocab.ACRONYMS`), synonym groups
    (`SYNONYMS`) and the concept labels of `graphkit.terms.CONCEPTS` whose parts the concept's pattern folds."""
    found: list[Paraphrase] = []
    for acronym, expansion in ACRONYMS.items():
        found.append(Paraphrase(_word_pattern(acronym, case=True), (expansion,)))
        found.append(Paraphrase(_word_pattern(expansion, case=False), (acronym,)))
    groups = [(key, *values) for key, values in SYNONYMS.items()]
    for _, label, pattern in CONCEPTS:
        parts = [p.strip() for p in label.split(" / ")]
        folded = [p for p in parts if re.fullmatch(pattern, p, re.IGNORECASE)]
        if len(folded) > 1:
            groups.append(tuple(folded))
    for group in groups:
        for member in group:
            others = tuple(m for m in group if m.lower() != member.lower())
            if others:
                found.append(Paraphrase(_word_pattern(member, case=member.isupper()), others))
    return found


PARAPHRASES = paraphrases()


def has_paraphrase(text: str) -> bool:
    return any(p.pattern.search(text) for p in PARAPHRASES)


@dataclass(frozen=True, slots=True)
class Edits:
    """How much a rewording changes: paraphrases used, words dropped and added, and the chance of a reorder."""

    paraphrases: int
    drops: int
    adds: int
    reorder: float
    carry_forward: float = 0.0


DUPLICATE_EDITS = Edits(paraphrases=2, drops=1, adds=1, reorder=0.3)
SUCCESSOR_EDITS = Edits(paraphrases=3, drops=2, adds=2, reorder=0.5, carry_forward=0.25)


def _substitute(text: str, count: int, rng: random.Random, edits: list[str], used: set[str]) -> str:
    spans: list[tuple[int, int, str]] = []
    for paraphrase in PARAPHRASES:
        for match in paraphrase.pattern.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b, _ in spans):
                spans.append((match.start(), match.end(), rng.choice(paraphrase.alternatives)))
    for start, end, replacement in sorted(rng.sample(spans, min(count, len(spans))), reverse=True):
        printed = text[start:end]
        if printed[:1].isupper() and not printed.isupper() and not replacement.isupper():
            replacement = capitalise(replacement)
        text = text[:start] + replacement + text[end:]
        used.update(replacement.split())
        edits.append(f"paraphrase {printed!r} -> {replacement!r}")
    return text


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def reword(text: str, edits: Edits, rng: random.Random) -> tuple[str, list[str]]:
    """The same commitment in other words: the project's paraphrases, a few words dropped or added, sentences or
    neighbouring words reordered. Returns the new text and what was changed, for truth.json.

    >>> text, changes = reword("Support care experienced children and young people with advocacy.",
    ...                        DUPLICATE_EDITS, random.Random(3))
    >>> text != "Support care experienced children and young people with advocacy." and bool(changes)
    True
    """
    done: list[str] = []
    used: set[str] = set()  # words of the paraphrases put in, never dropped again
    text = _substitute(text, rng.randint(1, edits.paraphrases), rng, done, used)
    tokens = text.split()
    for _ in range(edits.drops):
        droppable = [i for i, t in enumerate(tokens) if i > 0 and t.lower() in DROPPABLE and t not in used]
        if not droppable:
            droppable = [
                i
                for i, t in enumerate(tokens[:-1])
                if i > 0 and t.isalpha() and t.islower() and len(t) > 3 and t not in used
            ]
        if droppable and len(tokens) > MIN_PHRASE_WORDS + 3:
            done.append(f"dropped {tokens.pop(rng.choice(droppable))!r}")
    for _ in range(rng.randint(1 if not done else 0, edits.adds)):
        places = [i for i, t in enumerate(tokens) if i > 0 and t[:1].islower()]
        if places:
            word = rng.choice(ADDABLE)
            tokens.insert(rng.choice(places), word)
            done.append(f"added {word!r}")
    text = " ".join(tokens)
    if rng.random() < edits.reorder:
        sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", text)
        if len(sentences) > 1:
            sentences[0], sentences[1] = sentences[1], sentences[0]
            text = " ".join(sentences)
            done.append("sentences reordered")
        else:
            tokens = text.split()
            pairs = [i for i in range(1, len(tokens) - 2) if tokens[i].isalpha() and tokens[i + 1].isalpha()]
            if pairs:
                i = rng.choice(pairs)
                tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
                text = " ".join(tokens)
                done.append(f"reordered {tokens[i + 1]!r} {tokens[i]!r}")
    if rng.random() < edits.carry_forward:
        if text.startswith(WE_WILL):
            text = f"{WE_WILL}{CARRY_FORWARD.lower()} {text[len(WE_WILL) :]}"
        else:
            text = f"{CARRY_FORWARD} {_lower_first(text)}"
        done.append(f"added {CARRY_FORWARD!r}")
    if not done:
        text = f"{text} {rng.choice(ADDABLE).capitalize()} work."
        done.append("added a closing phrase")
    # a paraphrase at the start of a sentence ("CECYP" -> "care experienced ...") still starts it with a capital
    return SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text), done
