"""What the search interface (`indexer.search`) and its backends (`indexer.whoosh_backend`,
`indexer.tantivy_backend`) share: the facets, `IndexedAction` (what the index holds of one action: the record a hit
shows, its codes and its facet values, the texts cleaned once for both backends), `Found` (what a backend's
search returns: the total, one page of records with scores, and the facet counts over every match), and the
refusals both backends give. A backend is a module with `VERSION`, `write_documents(actions, folder)` (which
returns each facet's values),
`open_folder(folder)`, `close_folder(handle)`, `new_searcher(handle)`, `run_query(handle, searcher, compiled,
filters, first, limit, seconds, values, cache)` (`values`: every facet's values; `cache`: the open index's own
dict, for what a backend reads once) and `vocabulary(searcher, fields)` (every term of those fields with the
number of documents holding it, for "did you mean").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphkit.errors import BadQuery
from graphkit.owners import OwnerRole, owner_parts
from graphkit.records import Action
from graphkit.vocab import THEMES_BY_SLUG
from indexer.normalise import clean_text

MAX_LIMIT = 200  # hits on one page
MAX_DEPTH = 10_000  # page * limit: deeper pages are refused rather than scored and thrown away
FACETS = ("council", "plan", "year", "pillar", "foundation", "theme", "owner", "status")
OWN_THEME = "theme_own"  # the field of `IndexedAction.own_themes`: searched, never a facet
OWNER_SPELLINGS = 8_192  # printed owners (with their council) whose facet values are remembered while indexing
THEME_WORD_REPEATS = 2  # a theme's word in the action's own text counts this many times, one in its outcome once
# The record's fields that are searched, as `indexer.analysis.SearchField.label` names them (code apart).
SEARCHED_TEXTS = ("text", "outcome", "progress", "owners")


@dataclass(frozen=True, slots=True)
class IndexedAction:
    """One action as the index holds it: `record` is what a hit shows (ids, names, the cleaned texts for
    snippets, source line), `order` its place in the corpus (an empty query lists in plan order), `codes` its
    code as normalised and as printed, `facets` its values per facet (none, one or many; owners folded
    into the slugs of their roles and people, `owner_facet`), `own_themes` each theme once per word that
    tagged the action with it, `THEME_WORD_REPEATS` times for a word in its own text: a second-tier search ranks
    the actions most about a theme first (BM25 over these, `indexer.broaden`); `owners` the owners as printed,
    cleaned of markup."""

    order: int
    record: dict[str, Any]
    codes: tuple[str, ...]
    facets: Mapping[str, tuple[str, ...]]
    own_themes: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()


def index_action(action: Action, order: int) -> IndexedAction:
    """What the index holds of one action. Text is cleaned again (markup, entities): document text is untrusted.

    >>> from graphkit.records import Source
    >>> action = Action("d:A-1", "d", "A plan", "Anytown", 2024, (2024, 2026), "A 1", "A1",
    ...     "Offer <b>every</b> child an advocate.", None, ("Lead", "Lead"), "Lead", None, None, "unknown", None,
    ...     None, None, ("Voice",), None, False, ("advocacy",), (), Source("d", "d.txt", 3))
    >>> indexed = index_action(action, 0)
    >>> indexed.record["text"], indexed.codes, indexed.facets["owner"], indexed.facets["pillar"]
    ('Offer every child an advocate.', ('A 1', 'A1'), ('lead',), ())
    """
    text, outcome, progress = (clean_text(v or "") for v in (action.text, action.outcome, action.progress))
    owners = tuple(o for o in (clean_text(o) for o in action.owners) if o)
    record = {
        "id": action.id,
        "document": action.document,
        "plan": action.plan,
        "council": action.council,
        "year": action.year,
        "code": action.code,
        "status": action.status,
        "text": text,
        "outcome": outcome,
        "progress": progress,
        "owners": "; ".join(owners),
        "themes": [t for t in action.themes if t in THEMES_BY_SLUG],  # for a hit's "theme: ..." reasons
        "file": action.source.file,
        "line": action.source.line,
    }
    facets = {
        "council": (action.council,),
        "plan": (action.document,),
        "year": (str(action.year),),
        "pillar": (action.pillar,) if action.pillar else (),
        "foundation": tuple(action.foundations),
        "theme": tuple(t for t in action.themes if t in THEMES_BY_SLUG),
        "owner": tuple(dict.fromkeys(role.slug for printed in owners for role in owner_facet(printed, action.council))),
        "status": (action.status,),
    }
    codes = tuple(c for c in dict.fromkeys((action.code, action.code_printed)) if c)
    said = text.casefold()
    own = tuple(
        t.theme
        for t in action.theme_evidence
        if t.theme in THEMES_BY_SLUG
        for w in t.words
        for _ in range(THEME_WORD_REPEATS if w in said else 1)
    )
    return IndexedAction(order, record, codes, facets, own, owners)


@lru_cache(maxsize=OWNER_SPELLINGS)
def owner_facet(printed: str, council: str) -> tuple[OwnerRole, ...]:
    """The owner facet's values of one printed owner: its roles, organisations and people as /owners folds them
    (`graphkit.owners.owner_parts`), so "Senior Manager (Permanence)" and "Senior Manager: Permanence" are one."""
    return owner_parts(printed, council)


def no_values() -> dict[str, set[str]]:
    """Every facet, with no value yet: what `write_documents` fills and returns."""
    return {name: set() for name in FACETS}


def add_values(values: dict[str, set[str]], facets: Mapping[str, Iterable[str]]) -> None:
    """Add one action's facet values (facet -> values, a facet it has none of left out) to `values`."""
    for name in FACETS:
        values[name].update(facets.get(name, ()))


@dataclass(frozen=True, slots=True)
class Found:
    """What a backend's search returns: how many actions match, the records of one page of them, best first,
    with their scores (0 for an empty query, which lists in plan order), and per facet the number of matching
    actions holding each value (values no match holds may be left out)."""

    total: int
    hits: Sequence[tuple[Mapping[str, Any], float]]
    counts: Mapping[str, Mapping[str, int]]


def too_slow(seconds: float) -> BadQuery:
    """The refusal of a query that took longer than its time limit."""
    return BadQuery(f"the query took longer than {seconds:g} s: make it more specific (fewer wildcards or fuzzy words)")


def cannot_run(exc: BaseException) -> BadQuery:
    """The refusal of a query the backend failed on: a backend's error must never reach a user as a traceback."""
    return BadQuery(f"the query could not be run ({type(exc).__name__}: {exc})")
