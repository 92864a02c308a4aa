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
