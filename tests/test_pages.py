"""The pages issue 17 asked to read at a glance, on the bundled plans: lineage by council, duplicates that open on
what matters, compare, plan pages, themes and owners."""

from __future__ import annotations

import re
from html import unescape

from graphkit.queries import LinkIndex, trace

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
