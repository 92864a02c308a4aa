"""What a search returns and how a hit is shown: the frozen result types (`SearchResult`, `Hit`, `Match`,
`Fragment`, `FacetValue`, each with a JSON-ready `to_dict`), `build_hit`, which turns the stored record of one
match into a `Hit` with the query terms it matched (read from its stored text as the index analyzed it), and
`fragments`, the snippet of the field where the matches weigh most, cut at spaces with the matches marked. No index
reading here: that, and the ranking, are in `indexer.search` and its backends, which store the same record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphkit.records import Source, label_for
from graphkit.vocab import THEMES_BY_SLUG
from indexer.analysis import FIELDS_BY_NAME, STEMMED, term_spans, tokens
from indexer.query import CompiledQuery, Probe, QueryTerm
from indexer.themes import theme_words

SNIPPET_CHARS = 220
MARKS = ("«", "»")  # how `Hit.snippet_text` shows a match in plain text (the plans never print these)
# Fields a snippet can come from, in the order a hit's reasons are listed (then code: a matched code is in the
# hit's id and reasons already, so the snippet shows the action's text instead).
SNIPPET_FIELDS = ("text", "outcome", "progress", "owners")
# What a hit holds: every part of the query (the first tier), some of them (the second, `indexer.broaden`), or
# none of its words but a theme the query names (second tier too).
KINDS = ("all", "some", "theme")


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of a snippet: plain text, or (match=True) a word that matched. Never holds markup."""

    text: str
    match: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """Why a hit matched: in which field, which query term, and the typed words it was expanded from."""

    field: str
    term: str
    expanded_from: str | None = None
    via: str | None = None  # synonym or acronym, when expanded

    def __str__(self) -> str:
        told = f"{self.field}: {self.term}"
        return told + (f" ({self.via} of {self.expanded_from})" if self.expanded_from else "")


@dataclass(frozen=True, slots=True)
class Hit:
    """One action found: its rank and score, a snippet with the matches marked, and why it matched. `kind` says
    whether it holds every part of the query (all), some (some: the score is BM25 over the words it holds) or only
    a theme the query names (theme: scored 0)."""

    rank: int
    id: str
    score: float
    document: str
    plan: str
    council: str
    year: int
    code: str | None
    status: str
    text: str
    snippet: tuple[Fragment, ...]
    snippet_field: str
    matched: tuple[Match, ...]
    source: Source
    kind: str = "all"
    label: str = ""  # the action's code, else the first words of its text (graphkit.records.action_label)

    def snippet_text(self, marks: tuple[str, str] = MARKS) -> str:
        """The snippet as one line of plain text, each match between `marks` (default « and »)."""
        return "".join(f"{marks[0]}{f.text}{marks[1]}" if f.match else f.text for f in self.snippet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "kind": self.kind,
            "score": round(self.score, 4),
            "snippet": self.snippet_text(),
            "fragments": [{"text": f.text, "match": f.match} for f in self.snippet],
            "snippet_field": self.snippet_field,
            "document": self.document,
            "plan": self.plan,
            "code": self.code,
            "label": self.label,
            "council": self.council,
            "year": self.year,
            "status": self.status,
            "text": self.text,
            "matched": [
                {"field": m.field, "term": m.term, "expanded_from": m.expanded_from, "via": m.via} for m in self.matched
            ],
            "source": {"document": self.source.document, "file": self.source.file, "line": self.source.line},
        }


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet with the number of matching actions; `label` is the name to show."""

    value: str
    count: int
    label: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, facet counts over all matches, and the query as it was understood."""

    query: str
    exact: bool
    total: int
    page: int
    pages: int
    limit: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[FacetValue, ...]]
    terms: tuple[QueryTerm, ...]
    filters: Mapping[str, str]
    partial_total: int = 0  # actions holding some parts of the query or a theme it names, listed after `total`
    themes: tuple[str, ...] = ()  # labels of the themes the query names, whose actions the second tier holds
    suggestions: tuple[str, ...] = ()  # "did you mean": the query with its unknown words replaced by close ones

    def filter_label(self, name: str) -> str:
        """The name to show for the value a facet is filtered by ("In progress" for in_progress)."""
        value = self.filters.get(name, "")
        return next((v.label for v in self.facets.get(name, ()) if v.value == value), value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; `hits` is the first list in it (tools take the first list of an object as its rows)."""
        return {
            "query": self.query,
            "exact": self.exact,
            "total": self.total,
            "partial_total": self.partial_total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "hits": [h.to_dict() for h in self.hits],
            "terms": [
                {
                    "text": t.text,
                    "kind": t.kind,
                    "field": t.field,
                    "expanded_from": t.expanded_from,
                    "via": t.via,
                    "negated": t.negated,
                }
                for t in self.terms
            ],
            "filters": dict(self.filters),
            "themes": list(self.themes),
            "suggestions": list(self.suggestions),
            "facets": {
                name: [{"value": v.value, "count": v.count, "label": v.label} for v in values]
                for name, values in self.facets.items()
            },
        }


def build_hit(
    record: Mapping[str, Any],
    score: float,
    compiled: CompiledQuery,
    rank: int,
    second: bool = False,
    themes: Sequence[str] = (),
) -> Hit:
    """The hit of one matching action, from its stored record (`indexer.search_backend.index_action`). `second`
    for a second-tier match (`indexer.broaden`); `themes`, the slugs of the themes the query names: those the
    action is tagged with are among its reasons ("theme: Voice and participation")."""
    # Which query terms a hit holds, read from its stored text as the index analyzed it (cheaper than asking the
    # backend, which records terms for every match, and exact: whoosh reports the words of a phrase for a
    # document that matched some other way). A phrase counts where its words follow each other.
    analyzed = {name: _analyzed(record, name) for name in {p.field for p in compiled.probes}}
    explained = [
        (probe, terms)
        for probe, terms in compiled.explain({name: {t for _, _, t in toks} for name, toks in analyzed.items()})
        if len(probe.tokens) < 2 or probe.slop > 1 or _runs(analyzed[probe.field], probe.tokens)
    ]
    order = {label: i for i, label in enumerate((*SNIPPET_FIELDS, "code"))}
    matches = sorted(
        dict.fromkeys(
            Match(FIELDS_BY_NAME[p.field].label, p.term.text, p.term.expanded_from, p.term.via) for p, _ in explained
        ),
        key=lambda m: order.get(m.field, len(order)),
    )
    tagged = [slug for slug in themes if slug in record.get("themes", ()) and slug in THEMES_BY_SLUG]
    matches += [Match("theme", THEMES_BY_SLUG[slug].label) for slug in tagged]
    # The query terms explained per field a snippet can come from; a field's weight is their number times the
    # field's ranking weight.
    by_field: dict[str, list[tuple[Probe, set[str]]]] = {}
    for probe, terms in explained:
        if FIELDS_BY_NAME[probe.field].label in SNIPPET_FIELDS:
            by_field.setdefault(probe.field, []).append((probe, terms))
    # The action's own text when it holds a match, or a word of a theme the query names that the action is tagged
    # with, or when only its outcome matched (many actions share one outcome; the reasons say it matched there):
    # hits can then be told apart. Otherwise the field where the matches weigh most.
    said = {t for w in theme_words(tagged, record["text"]) for t in tokens(STEMMED, w)} if tagged else set()
    own = [f for f in by_field if FIELDS_BY_NAME[f].label == "text"]
    outcome_only = record["text"] and {FIELDS_BY_NAME[f].label for f in by_field} == {"outcome"}
    if own or said or outcome_only:
        best = own[0] if own else "text"
    else:
        best = max(by_field, default="", key=lambda f: len(by_field[f]) * FIELDS_BY_NAME[f].boost)
    label = FIELDS_BY_NAME[best].label if best else ("text" if record["text"] else "outcome")
    words = {t for p, terms in by_field.get(best, []) if len(p.tokens) < 2 or p.slop > 1 for t in terms}
    if FIELDS_BY_NAME[best or "text"].analyzer is STEMMED:
        words |= said
    plain = [m for m in matches if m.field != "theme"]
    kind = "all" if not second else "some" if plain else "theme"
    phrases = [p.tokens for p, _ in by_field.get(best, []) if len(p.tokens) > 1 and p.slop == 1]
    analyzer = FIELDS_BY_NAME[best or "text"].analyzer
    known = analyzed.get(best) if best else None  # the snippet's field as analysed above, when it was
    return Hit(
        rank=rank,
        id=record["id"],
        score=score,
        document=record["document"],
        plan=record["plan"],
        council=record["council"],
        year=record["year"],
        code=record["code"],
        status=record["status"],
        text=record["text"],
        snippet=fragments(record[label] or "", analyzer, words, phrases, analysed=known),
        snippet_field=label,
        matched=tuple(matches),
        source=Source(record["document"], record["file"], record["line"]),
        kind=kind,
        label=label_for(record["code"], record["text"] or record["outcome"] or record["progress"], record["line"]),
    )


def fragments(
    text: str,
    analyzer: Any,
    words: set[str],
    phrases: Sequence[tuple[str, ...]] = (),
    width: int = SNIPPET_CHARS,
    analysed: Sequence[tuple[int, int, str]] | None = None,
) -> tuple[Fragment, ...]:
    """The part of `text` (at most about `width` characters) that holds the most matches, cut at spaces, with
    the matches marked: every token in `words`, and each run of tokens that spells one of `phrases` (all are
    analyzed terms, as the index holds them). `analysed` is the text as `analyzer` analyses it, (start, end, term)
    per term, when known.

    >>> from indexer.analysis import STEMMED
    >>> [(f.text, f.match) for f in fragments("Offer an advocate to all.", STEMMED, {"advoc"})]
    [('Offer an ', False), ('advocate', True), (' to all.', False)]
    >>> text = "Care for brothers and sisters; brothers care"
    >>> [f.text for f in fragments(text, STEMMED, set(), [("brother", "sister")])]
    ['Care for ', 'brothers and sisters', '; brothers care']
    """
    toks = term_spans(analyzer, text) if analysed is None else analysed
    marked = {i for i, (_, _, t) in enumerate(toks) if t in words}
    joined: set[int] = set()  # tokens that continue a phrase run: shown as one match with the token before
    for phrase in phrases:
        n = len(phrase)
        for i in _runs(toks, phrase):
            marked.update(range(i, i + n))
            joined.update(range(i + 1, i + n))
    spans: list[tuple[int, int]] = []
    for i in sorted(marked):
        begin, end, _ = toks[i]
        if i in joined and spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    start = 0
    if spans:
        best = -1
        for i, (begin, _) in enumerate(spans):  # the window starting near a match that holds the most others
            held = sum(1 for _, e in spans[i:] if e <= begin + width - 40)
            if held > best:
                best, start = held, max(0, begin - 40)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    out: list[Fragment] = [Fragment("…")] if start else []
    at = start
    for begin, finish in spans:
        if begin >= at and finish <= end:
            if begin > at:
                out.append(Fragment(text[at:begin]))
            out.append(Fragment(text[begin:finish], True))
            at = finish
    if at < end:
        out.append(Fragment(text[at:end]))
    if end < len(text):
        out.append(Fragment("…"))
    return tuple(_merge(out))


def _analyzed(record: Mapping[str, Any], field: str) -> list[tuple[int, int, str]]:
    """The stored text of a field as the index analyzed it: (start, end, term) per token."""
    spec = FIELDS_BY_NAME[field]
    return term_spans(spec.analyzer, record[spec.label] or "")


def _runs(toks: Sequence[tuple[int, int, str]], phrase: tuple[str, ...]) -> list[int]:
    """Where the analyzed terms of `phrase` follow each other in `toks` (start, end, term)."""
    n = len(phrase)
    return [i for i in range(len(toks) - n + 1) if all(toks[i + k][2] == phrase[k] for k in range(n))]


def _merge(pieces: list[Fragment]) -> Iterable[Fragment]:
    """Join neighbouring plain pieces, so a snippet alternates plain text and matches."""
    merged: list[Fragment] = []
    for piece in pieces:
        if merged and not piece.match and not merged[-1].match:
            merged[-1] = Fragment(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
