"""Every page of the UI on the real plans, in chromium at a laptop's width (1400 px) and a phone's (400 px): no
console error, nothing wider than the window (no sideways scroll), and a full-page screenshot of each in
tests/browser/screenshots/every-page/ for a person to look at before calling a page done."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (1400, 400)
DRAWN = '#graph[data-drawn="true"]'
DRAW_TIMEOUT_MS = 30_000

# (name, path): every kind of page, with actions coded and uncoded, from every layout of plan.
PAGES = [
    ("home", "/"),
    ("search", "/search?q=advocacy"),
    ("search-filtered", "/search?q=advocacy&council=Dundee"),
    ("search-nothing", "/search?q=xylophone"),
    ("search-bad-query", "/search?q=%22unclosed"),
    ("action-coded", "/actions/clackmannanshire-promise-2023:GC-10"),
    ("action-uncoded", "/actions/dundee-promise-2021:L219"),
    ("action-2015", "/actions/clackmannanshire-inspection-2015:SS_ICSAP_SUPP3"),
    ("action-target", "/actions/clackmannanshire-promise-2023:GC-2"),
    ("action-cpc", "/actions/clackmannanshire-cpc-2023:CPC-4.6"),
    ("graph", "/graph/clackmannanshire-inspection-2015:SS_ICSAP_SUPP3"),
    ("graph-depth2", "/graph/dundee-promise-2021:L219?depth=2"),
    ("duplicates", "/duplicates"),
    ("duplicates-copies-listed", "/duplicates?copies=list&page=3"),
    ("compare", "/compare?a=clackmannanshire-inspection-2015:SS_ICSAP_VIEW2&b=clackmannanshire-promise-2023:GC-10"),
    ("plans", "/plans"),
    ("plan-2015", "/plans/clackmannanshire-inspection-2015"),
    ("plan-dundee", "/plans/dundee-promise-2021"),
    ("plan-promise-2023", "/plans/clackmannanshire-promise-2023"),
    ("plan-cpc", "/plans/clackmannanshire-cpc-2023"),
    ("plan-south-ayrshire", "/plans/south-ayrshire-promise-2024"),
    ("themes", "/themes"),
    ("theme", "/themes/advocacy"),
    ("owners", "/owners"),
    ("owner", "/owners/virtual-headteacher"),
    ("not-found", "/actions/no-such-plan:X-1"),
]


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def sized_page(request, browser):
    """A watched page (console errors fail the test) at each width, as a phone at 400 px."""
    from tests.browser.conftest import _watched_page

    width = request.param
    options = {"viewport": {"width": width, "height": 900}}
    if width < 600:
        options.update(is_mobile=True, has_touch=True)
    yield from _watched_page(browser, **options)


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_the_window_and_is_screenshotted(live_server, sized_page, shot, name, path):
    page = sized_page
    response = page.goto(live_server + path)
    assert response.status in (200, 400, 404), (path, response.status)
    if page.locator("#graph").count():
        page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    width = page.viewport_size["width"]
    shot(page, f"every-page/{name}-{width}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px wide"
    # and no element reaches past the right edge (one inside a box that clips it would hide the overflow)
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
             .filter((e) => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
             .slice(0, 3).map((e) => e.tagName + '.' + e.className)""",
        width,
    )
    assert wide == [], f"{path} at {width}px: {wide}"
    if response.status >= 400:
        # chromium logs the page's own error status; a friendly error page is what is being looked at here
        expected = f"status of {response.status}"
        page.errors[:] = [e for e in page.errors if not (e.startswith("console: Failed to load") and expected in e)]


@pytest.mark.parametrize("path", ["/themes", "/owners"])
def test_counts_stay_beside_their_names(live_server, sized_page, path):
    """A count sits on the first line of its name's row, never wrapped under it."""
    page = sized_page
    page.goto(live_server + path)
    rows = page.locator("ul.entries li")
    assert rows.count() > 10
    for k in range(rows.count()):
        name = rows.nth(k).locator("a").bounding_box()
        count = rows.nth(k).locator(".count").bounding_box()
        assert count["x"] >= name["x"] + min(name["width"], 40), k
        assert abs(count["y"] - name["y"]) < 12, (k, rows.nth(k).inner_text())


def test_lineage_reads_by_council_at_a_phone_width(live_server, browser, corpus):
    """At 400 px the lineage is one block per council, the action's own first, every step inside the window."""
    from graphkit.queries import LinkIndex, trace
    from tests.browser.conftest import _watched_page

    index = LinkIndex(corpus)  # the first action whose lineage reaches another council
    action = next(a for a in corpus.actions if any(s.action.council != a.council for s in trace(index, a.id)))
    for page in _watched_page(browser, viewport={"width": 400, "height": 900}, is_mobile=True, has_touch=True):
        page.goto(live_server + f"/actions/{action.id}")
        rows = page.locator("table.timeline tbody tr")
        assert rows.count() >= 2
        assert rows.first.locator("th").inner_text().startswith(action.council)
        blocks = [rows.nth(k).bounding_box() for k in range(rows.count())]
        assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in zip(blocks, blocks[1:], strict=False))
        for step in page.locator("table.timeline .step").all():
            box = step.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 400
            assert re.search(r"this action|● strong|○ partial", step.inner_text())
