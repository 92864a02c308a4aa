"""Short titles for actions without codes, and L-ids accepted where codes are: on the bundled plans."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.queries import LinkIndex, UnknownAction
from graphkit.records import action_label

L219 = "dundee-promise-2021:L219"  # "We will ensure all eligible care experienced 2-5 year-olds ..."


@pytest.fixture(scope="module")
def run(corpus_store):
    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--store", str(corpus_store)])

    return invoke


def test_uncoded_actions_are_named_by_their_first_words(corpus):
    uncoded = [a for a in corpus.actions if not a.code]
    assert len(uncoded) > 50  # Dundee's plan and the 2015 report's improvement plan print no codes
    for action in uncoded:
        label = action_label(action)
        text = " ".join((action.text or action.outcome or "").split())
        assert not label.startswith("line "), action.id
        assert len(label) <= 48
        assert text.startswith(label.removesuffix("…")), (label, text)
    assert action_label(corpus.action(L219)) == "We will ensure all eligible care experienced…"


def test_short_titles_tell_apart_the_actions_of_one_line(corpus):
    """Dundee prints up to eight actions on one line of its table: each gets a title of its own."""
    by_line = Counter(a.source.line for a in corpus.actions if a.document == "dundee-promise-2021")
    line, shared = by_line.most_common(1)[0]
    assert shared >= 5
    titles = {a.label for a in corpus.actions if a.document == "dundee-promise-2021" and a.source.line == line}
    assert len(titles) == shared


def test_coded_actions_keep_their_code(corpus):
    assert corpus.action("clackmannanshire-promise-2023:GC-10").label == "GC 10"


def test_json_summaries_carry_the_label(run):
    items = json.loads(run("trace", "clackmannanshire-inspection-2015:SS_ICSAP_SUPP3", "--json").output)
    labels = {e["id"]: e["label"] for e in items["equivalents"]}
    assert labels[L219] == "We will ensure all eligible care experienced…"


@pytest.mark.parametrize("typed", ["L219", "l219", "L 219"])
def test_an_l_id_names_the_one_action_that_has_it(corpus, typed):
    assert LinkIndex(corpus).get(typed).id == L219


def test_an_l_id_of_several_actions_lists_them(corpus):
    line = Counter(a.source.line for a in corpus.actions if a.document == "dundee-promise-2021").most_common(1)[0][0]
    with pytest.raises(UnknownAction) as caught:
        LinkIndex(corpus).get(f"L{line}")
    message = str(caught.value)
    assert f"dundee-promise-2021:L{line}-1" in message and f"dundee-promise-2021:L{line}-2" in message
    assert "give the id of one" in message


@pytest.mark.parametrize("command", ["related", "trace"])
def test_cli_accepts_an_l_id(run, command):
    result = run(command, "L219")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(L219)


def test_cli_lists_the_candidates_of_an_ambiguous_l_id(run, corpus):
    line = Counter(a.source.line for a in corpus.actions if a.document == "dundee-promise-2021").most_common(1)[0][0]
    result = run("related", f"L{line}")
    assert result.exit_code == 1
    assert f"dundee-promise-2021:L{line}-1" in result.output and "Traceback" not in result.output


def test_action_page_accepts_an_l_id(client):
    response = client.get("/actions/L219")
    assert response.status_code == 200
    assert "nursery place" in response.get_data(as_text=True)


def test_pages_name_uncoded_actions_by_title_and_keep_the_line_in_the_source(client, corpus):
    html = unescape(client.get(f"/actions/{L219}").get_data(as_text=True))
    action = corpus.action(L219)
    assert "Status unknown" not in html, "Dundee prints no status: the page does not make one up"
    # its own page is headed by its words in full; the short title names it in the page's title
    assert f'<h1 class="action-title">{action.text} </h1>' in html
    assert "<title>We will ensure all eligible care experienced… · Dundee 2021" in html
    assert f"{action.source.file}, line {action.source.line}" in html
    plan = unescape(client.get("/plans/dundee-promise-2021").get_data(as_text=True))
    assert not re.search(r">line \d+</a>", plan)
    supp3 = unescape(client.get("/actions/clackmannanshire-inspection-2015:SS_ICSAP_SUPP3").get_data(as_text=True))
    assert f'class="rel-title" href="/actions/{L219}">We will ensure all eligible care experienced…</a>' in supp3
    assert not re.search(r">line \d+<", supp3)


def test_a_search_hit_of_an_uncoded_action_is_headed_by_its_first_words(client):
    page = client.get("/search?q=care+leavers+housing").get_data(as_text=True)
    assert "line 239</a>" not in page
    assert ">We will ensure care leavers are an outright…</a>" in page
    hit = client.get("/api/search?q=care+leavers+housing").get_json()["hits"][0]
    assert hit["code"] is None and hit["label"].startswith("We will ensure care leavers")
