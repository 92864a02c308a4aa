"""Script injection is inert in a real browser: markup in a plan's text or title, and in every query parameter,
shows as text and never runs. A run script would set `window.__pwned`, open a dialog or make the browser fetch
`/x` (the `src` of an injected image); none of that may happen, and no console error may appear either, since
escaping means nothing even tries to run (a CSP violation would be a console error)."""

from __future__ import annotations

import csv
from urllib.parse import urlencode, urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from graphkit.cli import cli
from tests.browser.conftest import serving
from tests.conftest import DATA

pytestmark = pytest.mark.browser

DOCUMENT = "evil-plan"
TITLE = "Evil plan <img src=x onerror=window.__pwned=7>"
# Line 1 is a heading; the prose parser reads each "We will" line as an action named by its line (evil-plan:L2).
PLAN_LINES = [
    "Our plan for every child",
    'We will offer advocacy "><img src=x onerror="window.__pwned=1"> to every child.',
    "We will review advocacy &lt;script&gt;window.__pwned=2&lt;/script&gt; each year.",
    "We will train staff <svg/onload=window.__pwned=3> in advocacy.",
    "We will publish advocacy news </script><script>window.__pwned=4</script> online.",
]
ACTIONS = [f"{DOCUMENT}:L{n}" for n in range(2, len(PLAN_LINES) + 1)]
# What each action page must show as text somewhere (the source lines as printed keep the markup).
SHOWN = {
    f"{DOCUMENT}:L2": '<img src=x onerror="window.__pwned=1">',
    f"{DOCUMENT}:L3": "&lt;script&gt;window.__pwned=2&lt;/script&gt;",
    f"{DOCUMENT}:L4": "<svg/onload=window.__pwned=3>",
    f"{DOCUMENT}:L5": "</script><script>window.__pwned=4</script>",
}

PAYLOAD = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
PARAMETERS = ("q", "council", "plan", "year", "theme", "owner", "status", "page", "limit", "scope", "kind", "min_score",
              "a", "b")  # fmt: skip
VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
L866 = "clackmannanshire-inspection-2015:L866"
# Each page with the arguments it needs to be a normal page; a payload replaces the argument of the same name.
PAGES = {
    "/search": {"q": "advocacy"},
    "/duplicates": {},
    f"/actions/{VIEW2}": {},
    "/compare": {"a": VIEW2, "b": L866},
}
# An error page: its heading, the site's header, and no traceback.
FRIENDLY_ERROR = """() => [
  Boolean(document.querySelector(".error-page h1, .error-box h1")),
  Boolean(document.querySelector("header.site a.brand")),
  document.body.textContent.includes("Traceback"),
]"""
# The one console error a page answered with an error status gives: the browser reporting that status.
STATUS_MESSAGES = {
    400: "console: Failed to load resource: the server responded with a status of 400 (BAD REQUEST)",
    404: "console: Failed to load resource: the server responded with a status of 404 (NOT FOUND)",
}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The app on a one-plan store whose title and "We will" lines carry markup; yields its base URL."""
    data = tmp_path_factory.mktemp("hostile-data")
    (data / "plans").mkdir()
    (data / "plans" / "evil.txt").write_text("\n".join(PLAN_LINES) + "\n", encoding="utf-8")
    with (DATA / "catalogue.csv").open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    row = {
        "id": DOCUMENT, "file": "evil.txt", "council": "Anytown", "title": TITLE, "plan_type": "promise",
        "start_year": "2024", "end_year": "2026", "format": "", "source": "", "published": "",
    }  # fmt: skip
    with (data / "catalogue.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerow(row)
    store = tmp_path_factory.mktemp("hostile-store")
    result = CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"{DOCUMENT}: {len(ACTIONS)} actions" in result.output
    with serving(store) as url:
        yield url


def watch_requests(page) -> list[str]:
    """The paths of every request the page makes from now on."""
    paths: list[str] = []
    page.on("request", lambda request: paths.append(urlsplit(request.url).path))
    return paths


# What a page holds that injected markup could have made: all must be absent, or 0.
INJECTED = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  handlers: document.querySelectorAll("[onerror], [onload]").length,
  svg: document.body.querySelectorAll("svg").length,
  img: document.querySelectorAll('img[src="x"]').length,
  inline_scripts: document.querySelectorAll('script:not([src]):not([type="application/json"])').length,
})"""
NOTHING_INJECTED = {"pwned": None, "handlers": 0, "svg": 0, "img": 0, "inline_scripts": 0}


def assert_inert(page, requested: list[str]) -> None:
    """Nothing injected ran or became an element (our only scripts are files and the graph's JSON data island)."""
    assert page.evaluate(INJECTED) == NOTHING_INJECTED, page.url
    assert "/x" not in requested, page.url


def test_search_shows_markup_from_a_plan_as_text(hostile_server, page, shot):
    requested = watch_requests(page)
    page.goto(f"{hostile_server}/search?q=advocacy")
    expect(page.locator("li.hit")).to_have_count(len(ACTIONS))
    snippets = " ".join(page.locator("li.hit .snippet").all_inner_texts())
    assert "<svg/onload=window.__pwned=3>" in snippets
    expect(page.locator("li.hit .meta .plan").first).to_have_text(TITLE)
    expect(page.locator('section.facet[data-facet="plan"] .facet-label')).to_have_text(TITLE)
    shot(page, "hostile-search")
    assert_inert(page, requested)


@pytest.mark.parametrize("action_id", ACTIONS)
def test_action_page_shows_markup_as_text(hostile_server, page, action_id):
    requested = watch_requests(page)
    page.goto(f"{hostile_server}/actions/{action_id}")
    page.wait_for_selector('#graph[data-drawn="true"]', timeout=30_000)
    raw = page.locator("details.raw")
    raw.locator("summary").click()
    own = raw.locator(".line.own")
    expect(own).to_be_visible()
    expect(own).to_contain_text(SHOWN[action_id])
    expect(page.locator("nav.crumbs a")).to_contain_text(TITLE)
    assert_inert(page, requested)


def test_plan_page_shows_markup_as_text(hostile_server, page, shot):
    requested = watch_requests(page)
    page.goto(f"{hostile_server}/plans/{DOCUMENT}")
    expect(page.locator("h1")).to_have_text(TITLE)
    rows = page.locator("ul.action-rows li .row-text")
    expect(rows).to_have_count(len(ACTIONS))
    assert "<svg/onload=window.__pwned=3>" in " ".join(rows.all_inner_texts())
    shot(page, "hostile-plan")
    assert_inert(page, requested)


def test_graph_page_shows_markup_as_text(hostile_server, page, shot):
    requested = watch_requests(page)
    page.goto(f"{hostile_server}/graph/{DOCUMENT}:L4")
    page.wait_for_selector('#graph[data-drawn="true"]', timeout=30_000)
    expect(page.locator("header.graph-head .lead")).to_contain_text("<svg/onload=window.__pwned=3>")
    island = page.evaluate("JSON.parse(document.getElementById('graph-data').textContent)")
    assert any(TITLE in node.get("title", "") for node in island["nodes"])
    shot(page, "hostile-graph")
    assert_inert(page, requested)


@pytest.mark.parametrize("path", ["/plans", "/duplicates", "/themes", f"/compare?a={ACTIONS[0]}&b={ACTIONS[2]}"])
def test_other_pages_on_hostile_data_stay_inert(hostile_server, page, path):
    requested = watch_requests(page)
    response = page.goto(hostile_server + path)
    assert response.status == 200
    assert_inert(page, requested)


@pytest.mark.parametrize("query", [PAYLOAD + '"', "advocacy <img src=x onerror=window.__pwned=1>"])
def test_markup_typed_into_the_search_box_is_echoed_as_text(live_server, page, query):
    # The payload alone has an odd number of quotes, which the search refuses (400): these two are searched.
    requested = watch_requests(page)
    page.goto(f"{live_server}/")
    box = page.get_by_role("searchbox", name="Search every plan")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")
    expect(page.locator("form.big-search input[name=q]")).to_have_value(query)
    expect(page.locator("p.total q")).to_have_text(query)
    assert_inert(page, requested)


@pytest.mark.parametrize("path", list(PAGES))
def test_payload_in_every_query_parameter_stays_inert(live_server, page, path):
    # No argument reaches the graph picture (its own tests cover its labels), and drawing it fourteen times is
    # most of this test's time: an empty vis-network leaves the picture undrawn, with no error.
    page.route("**/vis-network.min.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    requested = watch_requests(page)
    for name in PARAMETERS:
        url = f"{live_server}{path}?{urlencode({**PAGES[path], name: PAYLOAD})}"
        response = page.goto(url, wait_until="domcontentloaded")
        assert response.status in (200, 400, 404), f"{url} answered {response.status}"
        if response.status != 200:
            # A refused argument is a friendly error page, and the browser logs its status once: only that goes.
            assert page.evaluate(FRIENDLY_ERROR) == [True, True, False], url
            page.errors.remove(STATUS_MESSAGES[response.status])
        assert_inert(page, requested)
    assert page.errors == []
