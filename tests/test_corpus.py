"""Invariants of the whole built corpus: provenance, clean text, one vocabulary, deterministic ids."""

from __future__ import annotations

import re

from graphkit.build import build
from graphkit.records import STATUSES
from graphkit.vocab import FOUNDATIONS, THEMES_BY_SLUG
from tests.conftest import DATA

MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&(?:lt|gt|amp|nbsp|quot|#\d+);")
ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
TEXT_FIELDS = ("text", "outcome", "progress", "owners_text", "due_text", "status_text", "pillar")


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def test_no_document_markup_survives_in_any_text_field(corpus):
    dirty = [
        (a.id, field, getattr(a, field)[:80])
        for a in corpus.actions
        for field in TEXT_FIELDS
        if getattr(a, field) and MARKUP.search(getattr(a, field))
    ]
    dirty += [(a.id, "owners", o) for a in corpus.actions for o in a.owners if MARKUP.search(o)]
    assert not dirty


def test_values_come_from_one_vocabulary(corpus):
    for action in corpus.actions:
        assert action.status in STATUSES
        assert set(action.foundations) <= set(FOUNDATIONS)
        assert list(action.foundations) == [f for f in FOUNDATIONS if f in action.foundations]
        assert all(t in THEMES_BY_SLUG for t in action.themes)
        assert action.due is None or ISO.match(action.due), action.due
        assert action.year == action.period[0]
        for tag in action.theme_evidence:
            assert tag.words, action.id


def test_source_line_holds_the_start_of_the_action_text(corpus):
    """For at least 98% of actions, the first words of the text are printed on the source line."""
    lines = {plan.id: (DATA / "plans" / plan.file).read_text(encoding="utf-8").splitlines() for plan in corpus.plans}
    checked, wrong = 0, []
    for action in corpus.actions:
        if not action.text:
            continue
        checked += 1
        printed = " ".join(words(lines[action.document][action.source.line - 1]))
        start = " ".join(words(action.text)[:4])
        if start not in printed:
            wrong.append((action.id, action.source.line, start))
    assert checked >= 220
    assert len(wrong) <= 0.02 * checked, wrong


def test_every_action_has_provenance_within_its_file(corpus):
    sizes = {p.id: len((DATA / "plans" / p.file).read_text(encoding="utf-8").splitlines()) for p in corpus.plans}
    for action in corpus.actions:
        assert action.source.document == action.document
        assert 1 <= action.source.line <= sizes[action.document]


def test_build_is_deterministic(corpus, tmp_path):
    again = build(DATA, tmp_path / "store")
    assert [a.to_dict() for a in again.actions] == [a.to_dict() for a in corpus.actions]
