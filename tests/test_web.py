"""The web pages on the real plans: search with facets and pages, an action with its source, lineage and related
actions, duplicates, compare, plans, themes and owners; friendly errors; security headers; untrusted text."""

from __future__ import annotations

import re
from html import unescape

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from web import CONTENT_SECURITY_POLICY, create_app

VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
IMP1 = "clackmannanshire-inspection-2015:SS_ICSAP_IMP1"  # line 181 prints its progress bar as <div style=...>


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response.get_data(as_text=True)


def links(html: str, pattern: str) -> list[str]:
    """The unescaped hrefs of the page that match a regular expression."""
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if re.search(pattern, unescape(h))]


def hit_ids(html: str) -> list[str]:
    return [unescape(h).removeprefix("/actions/") for h in re.findall(r'class="hit-title" href="([^"]+)"', html)]


def test_app_factory_serves_a_health_check():
    client = create_app({"TESTING": True}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_home_page_offers_a_search_box_and_every_plan(client, corpus):
    html = page(client, "/")
    assert 'name="q"' in html
    for plan in corpus.plans:
        assert f"/plans/{plan.id}" in html


def test_search_for_advocacy_ranks_advocacy_actions_with_highlighted_snippets(client):
    html = page(client, "/search?q=advocacy")
    ids = hit_ids(html)
    assert VIEW2 in ids[:5]
    assert "clackmannanshire-promise-2023:GC-10" in ids[:5]
    assert re.search(r"<mark>advocacy</mark>", html, re.IGNORECASE)
    assert "11</strong> actions" in html or "</strong> actions" in html


def test_clicking_a_facet_filters_the_results(client, corpus):
    html = page(client, "/search?q=advocacy")
    dundee = links(html, r"council=Dundee")
    assert dundee, "the council facet offers Dundee"
    filtered = page(client, dundee[0])
    ids = hit_ids(filtered)
    assert ids and all(i.startswith("dundee-") for i in ids)
    # the active filter is shown and can be removed
    assert "Council: Dundee" in filtered
    remove = links(filtered, r"^/search\?q=advocacy$")
    assert remove


def test_pages_of_results_follow_on(client):
    first = hit_ids(page(client, "/search?q=children&limit=10"))
    html = page(client, "/search?q=children&limit=10")
    second_url = links(html, r"page=2")[0]
    second = hit_ids(page(client, second_url))
    assert len(first) == len(second) == 10
    assert not set(first) & set(second)


def test_action_page_shows_fields_source_related_and_lineage(client, corpus):
    action = corpus.action(VIEW2)
    html = page(client, f"/actions/{VIEW2}")
    assert "Improve awareness of advocacy" in html
    # the source: the file, the line, and the line itself among its neighbours
    assert f"{action.source.file}, line {action.source.line}" in html
    own = re.search(r'<span class="line own"><span class="num">(\d+)</span>([^<]*)</span>', html)
    assert own and int(own.group(1)) == action.source.line
    assert "advocacy" in own.group(2)
    # related actions with evidence, and the lineage reaching a later plan
    assert 'class="rel ' in html and 'class="evidence"' in html
    assert "clackmannanshire-promise-2023:GC-10" in html
    assert 'class="timeline"' in html and "2023" in html


def test_action_page_follows_a_related_link(client):
    html = page(client, f"/actions/{VIEW2}")
    first = re.search(r'class="rel-title" href="([^"]+)"', html).group(1)
    assert page(client, first).count("<h2>Related actions") == 1


def test_document_markup_shows_as_clean_text_never_as_markup(client, corpus):
    html = page(client, f"/actions/{IMP1}")
    assert "<div style=" not in html
    assert "&lt;div style=" in html  # the line as printed, under "As printed in the file", is text
    assert "70%" in html
    for url in ("/search?q=training", f"/plans/{corpus.action(IMP1).document}", "/duplicates"):
        body = page(client, url)
        assert "<div style=" not in body and "<p>Interagency" not in body
        assert 'checked="" type="checkbox"' not in body


def test_code_in_the_address_finds_the_action(client):
    assert "Improve awareness of advocacy" in page(client, "/actions/SS_ICSAP_VIEW2")


def test_plans_page_and_a_plan_grouped_by_pillar_with_its_coverage(client, corpus):
    html = page(client, "/plans")
    for plan in corpus.plans:
        assert f"/plans/{plan.id}" in html
    plan = "clackmannanshire-promise-2023"
    html = page(client, f"/plans/{plan}")
    rows = re.findall(r'<a class="action-link" href="/actions/([^"]+)"', html)
    assert sorted(unescape(r) for r in rows) == sorted(a.id for a in corpus.actions if a.document == plan)
    assert '<h2 class="group-heading">A Good Childhood</h2>' in html
    assert "Coverage" in html and "Not placed" in html


def test_theme_and_owner_pages_list_their_actions_across_councils(client, corpus):
    html = page(client, "/themes/advocacy")
    tagged = {a.id for a in corpus.actions if "advocacy" in a.themes}
    shown = {unescape(r) for r in re.findall(r'href="/actions/([^"]+)"', html)}
    assert shown == tagged and len({a.split(":")[0] for a in tagged}) > 1
    owners = page(client, "/owners")
    first = links(owners, r"^/owners/.")[0]
    assert 'class="action-link"' in page(client, first)
    assert "Advocacy" in page(client, "/themes")


def test_duplicates_page_filters_by_scope_and_highlights_shared_words(client):
    html = page(client, "/duplicates?scope=cross_council")
    scopes = re.findall(r'<span class="scope">([^<]+)</span>', html)
    assert scopes and set(scopes) == {"across councils"}
    assert "<mark>" in html
    assert 'class="cluster cluster-duplicate"' in page(client, "/duplicates")
    overlaps = page(client, "/duplicates?kind=overlap")
    assert 'class="cluster cluster-overlap"' in overlaps and "cluster-duplicate" not in overlaps


def test_duplicates_filter_by_council_keeps_that_council_in_every_cluster(client):
    html = page(client, "/duplicates?council=dundee")
    for cluster in html.split('<article class="cluster')[1:]:
        assert "Dundee" in cluster
    assert page(client, "/duplicates?council=Atlantis", 400)


def test_compare_marks_words_only_in_one_action(client, corpus):
    a, b = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2", "clackmannanshire-promise-2023:GC-10"
    html = page(client, f"/compare?a={a}&b={b}")
    # neutral highlights that say "differs" on both sides, never a deletion's strike-through
    assert "<del>" not in html and "<ins>" not in html
    panes = re.findall(r'<p class="diff">(.*?)</p>', html, re.S)
    assert len(panes) == 2 and all('<span class="differs"' in pane for pane in panes)
    for pane, action_id in zip(panes, (a, b), strict=True):
        text = unescape(re.sub(r"<[^>]+>", "", pane))
        assert " ".join(text.split()) == " ".join(corpus.action(action_id).text.split())
    assert page(client, f"/compare?a={a}", 400)


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/actions/no-such-action", 404, "No such action"),
        ("/plans/no-such-plan", 404, "no plan"),
        ("/themes/no-such-theme", 404, "no theme"),
        ("/owners/no-such-owner", 404, "no owner"),
        ("/no/such/page", 404, "There is no page"),
        ("/search?q=advocacy&page=abc", 400, "page must be a whole number"),
        ("/search?q=advocacy&council=Atlantis", 400, "no council"),
        ("/search?q=%22unclosed", 400, "quote"),
        ("/duplicates?min_score=2", 400, "min_score"),
    ],
)
def test_errors_are_friendly_pages(client, url, status, words):
    html = page(client, url, status)
    assert "Traceback" not in html
    assert words in html
    assert '<header class="site">' in html


def test_a_crash_is_a_friendly_500_without_a_traceback(corpus_store, monkeypatch):
    app = create_app({"GRAPHKIT_STORE": str(corpus_store)})
    import web.search

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(web.search, "search", explode)
    response = app.test_client().get("/search?q=x")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_a_store_without_a_build_is_a_503_naming_the_fix(tmp_path):
    response = create_app({"GRAPHKIT_STORE": str(tmp_path)}).test_client().get("/")
    assert response.status_code == 503
    assert "graphkit index" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/search?q=advocacy", f"/actions/{VIEW2}", "/duplicates", "/api/search?q=x"])
def test_every_response_carries_a_content_security_policy(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_hold_no_inline_script_or_style(client):
    for url in ("/", "/search?q=advocacy", f"/actions/{VIEW2}", "/duplicates", "/plans", "/compare?a=GC-10&b=GC-9"):
        html = page(client, url)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert " style=" not in html and "<style" not in html, url


PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
PARAMETERS = ["q", "council", "plan", "year", "pillar", "foundation", "theme", "owner", "status", "page", "limit",
              "exact", "scope", "kind", "min_score", "a", "b", "to", "format", "depth"]  # fmt: skip
PAGES = ["/", "/search", f"/actions/{VIEW2}", "/duplicates", "/compare", "/plans", "/themes", "/owners",
         "/api/search", f"/api/actions/{VIEW2}/related", f"/api/actions/{VIEW2}/trace", "/api/duplicates"]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_script_through_every_query_parameter_is_inert(client, url):
    for name in PARAMETERS:
        response = client.get(url, query_string={name: PAYLOAD, "q": PAYLOAD if name != "q" else PAYLOAD})
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (url, name)
        if url.startswith("/api/"):
            # JSON may quote the input back in an error message: it is inert as long as no browser reads it as HTML
            assert response.mimetype in ("application/json", "text/csv"), (url, name)
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        else:
            assert "<script>alert" not in body and "<img src=x" not in body, (url, name)


@pytest.mark.parametrize("url", ["/actions/<script>alert(1)<%2Fscript>", "/plans/%3Cscript%3Ealert(1)", "/themes/<b>x"])
def test_script_through_the_path_is_inert(client, url):
    body = client.get(url).get_data(as_text=True)
    assert "<script>alert" not in body and "<b>x" not in body


HOSTILE_PLAN = """Anytown Promise Plan
We will offer advocacy to every child "><svg/onload=alert(1)> and family.
We will train staff in advocacy <img src=x onerror=alert(2) and listen to children.
We will review advocacy &lt;script&gt;alert(3)&lt;/script&gt; support each year.
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """A store built from a plan whose text carries markup that survives the parsers' cleaning."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "data" / "plans").mkdir(parents=True)
    (root / "data" / "plans" / "evil.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    (root / "data" / "catalogue.csv").write_text(
        "id,file,council,title,plan_type,start_year,end_year,format,source,published\n"
        'evil-2024,evil.txt,Anytown,"Plan <b onmouseover=alert(4)>x",promise,2024,2026,,Anytown,2024\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["index", "--data", str(root / "data"), "--store", str(root / "store")])
    assert result.exit_code == 0, result.output
    return create_app({"TESTING": True, "GRAPHKIT_STORE": str(root / "store")}).test_client()


def test_script_through_document_text_is_inert(hostile_client):
    html = page(hostile_client, "/search?q=advocacy")
    ids = hit_ids(html)
    assert len(ids) == 3
    bodies = [html, page(hostile_client, "/"), page(hostile_client, "/plans"), page(hostile_client, "/plans/evil-2024")]
    bodies += [page(hostile_client, f"/actions/{i}") for i in ids]
    for body in bodies:
        for raw in ("<svg/onload", "<img src=x", "<script>alert", "<b onmouseover"):
            assert raw not in body
    assert "&lt;svg/onload=alert(1)&gt;" in page(hostile_client, f"/actions/{ids[0]}")


@pytest.mark.parametrize(
    "url",
    ["/search?q=advocacy", f"/actions/{VIEW2}", "/duplicates?scope=cross_council", "/plans/dundee-promise-2021",
     "/themes/advocacy", "/owners/headteachers"],
)  # fmt: skip
def test_every_download_link_gives_its_list(client, url):
    html = page(client, url)
    downloads = links(html, r"format=(csv|json)")
    assert downloads and len(downloads) % 2 == 0
    for href in downloads:
        response = client.get(href)
        assert response.status_code == 200, href
        assert "attachment" in response.headers["Content-Disposition"], href
        if "format=csv" in href:
            rows = response.get_data(as_text=True).splitlines()
            assert len(rows) > 1 and "id" in rows[0].split(","), href


def test_a_long_facet_keeps_its_rarer_values_one_click_away(client):
    html = page(client, "/search?q=children")
    owners = html.split('data-facet="owner"')[1].split("</section>")[0]
    shown, more = owners.split('<details class="more"')
    assert len(re.findall(r"<li", shown)) == 8
    hidden = links(more, r"owner=")
    assert hidden and all(hit_ids(page(client, h)) for h in hidden[:3])
