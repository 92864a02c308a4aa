"""The pages issue 17 asked to read at a glance, on the bundled plans: lineage by council, duplicates that open on
what matters, compare, plan pages, themes and owners."""

from __future__ import annotations

import re
from html import unescape

from graphkit.queries import LinkIndex, trace
from tests.conftest import DATA

SUPP3 = "clackmannanshire-inspection-2015:SS_ICSAP_SUPP3"  # 600 hours for 2 year olds; Dundee's L219 is its equivalent


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return unescape(response.get_data(as_text=True))


def lineage_rows(html: str) -> list[tuple[str, str]]:
    """(row heading, row html) of the lineage table, in order."""
    table = re.search(r'<table class="timeline">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r'<tr class="lineage-row[^"]*">\s*<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    return [(re.sub(r"<[^>]+>", " ", head).split()[0], body) for head, body in rows]


def test_lineage_puts_the_own_council_first_and_each_other_council_in_its_own_row(client, corpus):
    index = LinkIndex(corpus)
    for action_id in (SUPP3, "clackmannanshire-cpc-2023:CPC-4.6", "dundee-promise-2021:L219"):
        action = corpus.action(action_id)
        steps = trace(index, action_id, limit=20)
        rows = lineage_rows(page(client, f"/actions/{action_id}"))
        assert rows[0][0] == action.council.split()[0]
        assert "this action" in rows[0][1]
        assert len(rows) == len({action.council} | {e.action.council for e in steps})
        for step in steps:
            holding = [head for head, body in rows if f'href="/actions/{step.action.id}"' in body]
            assert holding == [step.action.council.split()[0]], step.action.id


def test_lineage_tells_strong_from_partial_in_words(client, corpus):
    steps = trace(LinkIndex(corpus), SUPP3, limit=20)
    assert {"strong"} <= {e.strength for e in steps}
    html = page(client, f"/actions/{SUPP3}")
    for step in steps:
        link = re.search(rf'<a class="step (\w+)" href="/actions/{re.escape(step.action.id)}".*?</a>', html, re.S)
        assert link.group(1) == step.strength
        word = "● strong" if step.strength == "strong" else "○ partial"
        assert word in link.group(0)


# -- duplicates ----------------------------------------------------------------------------------------------------

SCOPE_RANK = {"cross_council": 0, "cross_plan": 1, "within_plan": 2}


def test_duplicates_open_on_clusters_across_councils_then_plans(client):
    found = client.get("/api/duplicates?limit=500").get_json()
    ranks = [SCOPE_RANK[c["scope"]] for c in found["clusters"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    first = client.get("/api/duplicates").get_json()["clusters"]
    assert first[0]["scope"] == "cross_council"
    assert all(len({m["council"] for m in c["members"]}) > 1 for c in first if c["scope"] == "cross_council")


def test_copies_between_the_parts_of_one_document_are_folded_into_one_group(client, corpus):
    from rapidfuzz import fuzz

    found = client.get("/api/duplicates?limit=500").get_json()
    assert not any(c["copy_between_parts"] for c in found["clusters"])
    [group] = found["copies"]
    document = group["document"]
    assert len(group["parts"]) == 2 and group["copies"] == len(group["clusters"]) >= 20
    for cluster in group["clusters"]:
        members = [corpus.action(m["id"]) for m in cluster["members"]]
        assert {m.document for m in members} == {document} and len({m.plan for m in members}) == 2
        texts = [m.text or m.outcome or "" for m in members]
        assert fuzz.token_set_ratio(texts[0], texts[1]) >= 90, texts
    # listed instead, they come last and the totals agree
    listed = client.get("/api/duplicates?limit=500&copies=list").get_json()
    assert listed["copies"] == [] and listed["total"] == found["total"] + group["copies"]
    flags = [c["copy_between_parts"] for c in listed["clusters"]]
    assert flags == sorted(flags) and sum(flags) == group["copies"]


def test_duplicates_page_folds_the_copies_and_starts_across_councils(client):
    html = page(client, "/duplicates")
    folded = re.search(r'<details class="part-copies">.*?</details>', html, re.S).group(0)
    assert re.search(r"\d+ word-for-word copies</strong> between the parts of one document", folded)
    assert "Covalent Joint Inspection Action Plan" in folded and 'href="/compare?' in folded
    scopes = re.findall(r'<span class="scope">([^<]+)</span>', html.split("</details>", 1)[1])
    assert scopes[0] == "across councils"
    assert html.count('<article class="cluster') == 25  # a full page of clusters that are not copies


def test_duplicates_command_folds_the_copies(corpus_store):
    import json

    from click.testing import CliRunner

    from graphkit.cli import cli

    def run(*args):
        result = CliRunner().invoke(cli, ["duplicates", *args, "--store", str(corpus_store)])
        assert result.exit_code == 0, result.output
        return result.output

    text = run()
    assert re.search(r"^\s+1\. \w+\s+cross_council ", text, re.M)
    assert re.search(r"word-for-word copies between the parts of clackmannanshire-inspection-2015 .*: \d+ copies", text)
    folded = json.loads(run("--json"))
    listed = json.loads(run("--json", "--list-copies"))
    assert folded["copies"] and listed["copies"] == []
    assert len(listed["clusters"]) == len(folded["clusters"]) + folded["copies"][0]["copies"]


# -- plan pages, themes and owners -----------------------------------------------------------------------------


def test_a_plan_that_prints_no_status_says_so_once(client, corpus):
    dundee = [a for a in corpus.actions if a.document == "dundee-promise-2021"]
    assert dundee and {a.status for a in dundee} == {"unknown"}
    html = page(client, "/plans/dundee-promise-2021")
    assert html.count("prints no status") == 1 and "Status unknown" not in html
    assert client.get("/api/plans/dundee-promise-2021").get_json()["statuses_printed"] is False
    # a plan that prints them keeps a badge on every row
    other = page(client, "/plans/clackmannanshire-promise-2023")
    rows = other.count('<ul class="action-rows">')
    assert "prints no status" not in other and other.count('class="status status-') >= rows > 0
    assert client.get("/api/plans/clackmannanshire-promise-2023").get_json()["statuses_printed"] is True


def test_skip_reasons_are_never_cut_mid_word(corpus):
    """An appendix's skip reason quotes its title: shortened at a word, never inside one."""
    quoted = [r for row in corpus.coverage for r in row.get("skipped_by_reason", {}) if r.startswith("appendix: ")]
    assert quoted
    for row in corpus.coverage:
        for reason in row.get("skipped_by_reason", {}):
            if not reason.startswith("appendix: "):
                continue  # the other reasons quote no document text
            kept = reason.removesuffix("…").removeprefix("appendix: ").split()
            path = next(p for p in corpus.plans if p.id == row["document"])
            words = (DATA / "plans" / path.file).read_text(encoding="utf-8").split()
            # the words kept are whole words of the document, in order
            assert any(words[i : i + len(kept)] == kept for i in range(len(words))), reason


def test_uncoded_rows_link_their_text_and_coded_rows_their_code(client, corpus):
    html = page(client, "/plans/dundee-promise-2021")
    action = corpus.action("dundee-promise-2021:L219")
    assert f'<a class="row-text row-link" href="/actions/{action.id}">{action.text}</a>' in html
    coded = page(client, "/plans/clackmannanshire-promise-2023")
    assert '<a class="action-link" href="/actions/clackmannanshire-promise-2023:GC-10">GC 10</a>' in coded


def test_a_timescale_holding_a_target_is_shown_as_a_target(client, corpus):
    from indexer.fields import timescale_is_target

    gc2 = corpus.action("clackmannanshire-promise-2023:GC-2")
    assert timescale_is_target(gc2.due_text)
    html = page(client, f"/actions/{gc2.id}")
    assert f'<dt>Target</dt><dd class="target">{gc2.due_text}</dd>' in html
    assert f"<dt>Timescale</dt><dd>{gc2.due} " in html and "the latest date the target names" in html
    dated = corpus.action("south-ayrshire-promise-2024:SAPP-10.3")
    assert not timescale_is_target(dated.due_text)
    html = page(client, f"/actions/{dated.id}")
    assert "<dt>Target</dt>" not in html and f"as printed: {dated.due_text}" in html
    # every plan's timescales: targets are the long ones, dates the short ones
    for action in corpus.actions:
        if action.due_text and timescale_is_target(action.due_text):
            assert len(action.due_text.split()) >= 4, action.due_text


def test_listings_show_no_badge_for_a_status_never_printed(client, corpus):
    html = page(client, "/themes/advocacy")
    tagged = [a for a in corpus.actions if "advocacy" in a.themes]
    printed = [a for a in tagged if a.status != "unknown" or a.status_text]
    assert 0 < len(printed) < len(tagged)
    assert html.count('class="status status-') == len(printed)
