"""Every parser, fed random text and mutated copies of the real plans: no exception escapes, and every
non-blank line is used in a record, skipped with a reason, or reported as a problem."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.registry import PARSERS
from tests.conftest import DOCS, accounted, catalogue_plan, document_lines, lines_from_text, non_blank

PARSER_OF = {p.name: p for p in PARSERS}
DOCUMENT_FORMAT = {
    DOCS["000"]: "promise_table",
    DOCS["001"]: "covalent",
    DOCS["002"]: "we_will_table",
    DOCS["003"]: "action_register",
    DOCS["004"]: "objectives_table",
}
RAW_ROWS = {doc: [line.raw for line in document_lines(doc)] for doc in DOCUMENT_FORMAT}
# Noise made of the characters these plans are built from: tabs, tags, entities, codes, dates.
NOISE = st.text(
    alphabet=st.sampled_from(list("\t <>/p&;#*|-.,:%()0123456789 We will Action Code SAPP GC WFS Dec 2023")),
    max_size=60,
) | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
MUTATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "replace", "insert", "swap", "cut_cell", "truncate"]),
    st.integers(min_value=0, max_value=10_000),
    NOISE,
)


def mutate(rows: list[str], mutations: list[tuple[str, int, str]]) -> str:
    """Apply row-level edits that mimic extraction damage: lost, repeated, swapped or garbled rows and cells."""
    rows = list(rows)
    for op, index, noise in mutations:
        if not rows:
            rows.append(noise)
            continue
        index %= len(rows)
        if op == "delete":
            del rows[index]
        elif op == "duplicate":
            rows.insert(index, rows[index])
        elif op == "replace":
            rows[index] = noise
        elif op == "insert":
            rows.insert(index, noise)
        elif op == "swap":
            other = (index + 1) % len(rows)
            rows[index], rows[other] = rows[other], rows[index]
        elif op == "cut_cell":
            cells = rows[index].split("\t")
            cells[index % len(cells)] = noise
            rows[index] = "\t".join(cells)
        else:
            rows[index] = rows[index][: len(noise)]
    return "\n".join(rows)


def assert_accounted(parser, doc_id: str, text: str) -> None:
    lines = lines_from_text(text)
    result = parser.parse(catalogue_plan(doc_id), lines)
    missing = sorted(non_blank(lines) - accounted(result))
    assert not missing, f"{parser.name}: lines not accounted for: {missing[:10]}"
    for draft in result.actions:
        assert 1 <= draft.line <= max(len(lines), 1)


@pytest.mark.parametrize("doc_id", sorted(DOCUMENT_FORMAT))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, max_size=10))
def test_mutated_plan_never_raises_and_every_line_is_accounted_for(doc_id, mutations):
    assert_accounted(PARSER_OF[DOCUMENT_FORMAT[doc_id]], doc_id, mutate(RAW_ROWS[doc_id], mutations))


@pytest.mark.parametrize("name", sorted(PARSER_OF))
@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=500))
def test_random_text_never_raises_and_every_line_is_accounted_for(name, text):
    assert_accounted(PARSER_OF[name], DOCS["000"], text)
    assert PARSER_OF[name].sniff(lines_from_text(text)) in (True, False)


@pytest.mark.parametrize("name", sorted(PARSER_OF))
@pytest.mark.parametrize("doc_id", sorted(DOCUMENT_FORMAT))
def test_every_parser_survives_every_bundled_plan(name, doc_id):
    assert_accounted(PARSER_OF[name], doc_id, "\n".join(RAW_ROWS[doc_id]))
