"""The user's path through the real plans in chromium: search, filter by council, open an action, follow a related
link, see the graph draw, find duplicates and compare them, browse plans, themes and owners, download a CSV.
Every step must pass without a console error (the `page` fixture checks), and each main step leaves a screenshot
in tests/browser/screenshots/ for a person to look at."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEW2 = "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"
GC10 = "clackmannanshire-promise-2023:GC-10"
DRAWN = '#graph[data-drawn="true"]'
DRAW_TIMEOUT_MS = 30_000
ACROSS_COUNCILS = "across councils"


def hit_titles(page) -> list[str]:
    return page.locator("li.hit a.hit-title").all_inner_texts()


def search_for(page, base: str, words: str) -> None:
    """Type a search on the home page and press Enter, as a person would."""
    page.goto(base + "/")
    box = page.get_by_role("searchbox", name="Search every plan")
    expect(box).to_be_focused()
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")
    expect(page.locator("li.hit").first).to_be_visible()


def test_search_filter_and_open_an_action(live_server, page, shot):
    page.goto(live_server + "/")
    expect(page.locator("section.cards a.plan-card")).to_have_count(5)
    shot(page, "01-home")

    search_for(page, live_server, "advocacy")
    assert page.url.endswith("/search?q=advocacy")
    titles = hit_titles(page)
    assert len(titles) >= 5
    assert {"SS_ICSAP_VIEW2", "GC 10"} & set(titles[:3]), titles
    expect(page.locator("li.hit mark").first).to_be_visible()
    assert "advocacy" in page.locator("li.hit mark").first.inner_text().casefold()
    total = int(page.locator("p.total strong").inner_text())
    shot(page, "02-search-results")

    dundee = page.locator('aside.facets section.facet[data-facet="council"] li a', has_text="Dundee")
    dundee.click()
    page.wait_for_url(re.compile(r"council=Dundee"))
    councils = page.locator("li.hit .meta .council").all_inner_texts()
    assert councils and set(councils) == {"Dundee"}
    expect(page.locator('section.facet[data-facet="council"] li.active')).to_contain_text("Dundee")
    chip = page.locator("p.chips a.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Council: Dundee")
    shot(page, "03-search-filtered")

    chip.click()
    page.wait_for_url(re.compile(r"/search\?q=advocacy$"))
    expect(page.locator("p.chips")).to_have_count(0)
    assert int(page.locator("p.total strong").inner_text()) == total

    page.locator("li.hit a.hit-title", has_text="SS_ICSAP_VIEW2").click()
    page.wait_for_url(f"**/actions/{VIEW2}")
    expect(page.locator("article.action h1 .code")).to_have_text("SS_ICSAP_VIEW2")
    own = page.locator("section.source > pre.source-lines .line.own")
    expect(own).to_have_count(1)
    expect(own).to_be_visible()
    assert "advocacy" in own.inner_text().casefold()
    expect(page.locator("section.lineage table.timeline td.year-col").first).to_be_visible()
    expect(page.locator("section.lineage .step.self")).to_have_count(1)
    related = page.locator("section.related ul.related-list li.rel a.rel-title")
    assert related.count() >= 3
    page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    expect(page.locator("#graph canvas")).to_have_count(1)
    shot(page, "04-action")

    first = related.first
    href = first.get_attribute("href")
    code = first.inner_text()
    first.click()
    page.wait_for_url(f"**{href}")
    assert VIEW2 not in page.url
    # headed by its code, or (no code) by its words, whose first words are the label it was listed by
    expect(page.locator("article.action h1")).to_contain_text(re.compile(re.escape(code.removesuffix("…")), re.I))
    expect(page.locator("section.source > pre.source-lines .line.own")).to_have_count(1)
    page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    expect(page.locator("#graph canvas")).to_have_count(1)

    page.locator("section.neighbourhood a", has_text="open the graph on its own page").click()
    page.wait_for_url(re.compile(r"/graph/"))
    page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    expect(page.locator("#graph canvas")).to_have_count(1)
    assert page.locator("#graph canvas").bounding_box()["height"] >= 400
    shot(page, "05-graph")


def test_duplicates_across_councils_and_compare(live_server, page, shot):
    page.goto(live_server + "/")
    page.locator("header.site nav a", has_text="Duplicates").click()
    page.wait_for_url("**/duplicates")
    clusters = page.locator("article.cluster")
    expect(clusters.first).to_be_visible()
    expect(clusters.first.locator("mark").first).to_be_visible()

    page.get_by_label("Scope").select_option(label=ACROSS_COUNCILS)
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "scope=cross_council" in page.url
    scopes = page.locator("article.cluster header .scope").all_inner_texts()
    assert scopes and set(scopes) == {ACROSS_COUNCILS}
    expect(page.get_by_label("Scope")).to_have_value("cross_council")
    shot(page, "06-duplicates")

    page.locator("article.cluster a.compare", has_text="compare word by word").first.click()
    page.wait_for_url(re.compile(r"/compare\?a=.+&b=.+"))
    expect(page.locator("section.pane")).to_have_count(2)
    for pane in page.locator("section.pane").all():
        expect(pane.locator(".diff .differs").first).to_be_visible()
        # a highlight that says "differs", not a deletion's strike-through
        decoration = pane.locator(".diff .differs").first.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert decoration == "none"
    shot(page, "07-compare")


def test_browse_plans_themes_and_owners(live_server, page, shot):
    page.goto(live_server + "/")
    page.locator("header.site nav a", has_text="Plans").click()
    page.wait_for_url("**/plans")
    expect(page.locator("table.table tbody tr")).to_have_count(5)
    page.locator("table.table a", has_text="Promise to You").click()
    page.wait_for_url("**/plans/dundee-promise-2021")
    expect(page.locator("h1")).to_have_text("Promise to You 2021 - 2023")
    expect(page.locator("aside.coverage")).to_be_visible()
    assert page.locator(".plan-groups ul.action-rows li").count() == 62
    shot(page, "08-plan")

    for nav, crumb in (("Themes", "Themes"), ("Owners", "Owners")):
        page.locator("header.site nav a", has_text=nav).click()
        page.wait_for_url(f"**/{nav.lower()}")
        entry = page.locator("ul.entries li:not(.empty) a").first
        label = entry.inner_text()
        entry.click()
        expect(page.locator("h1")).to_have_text(label)
        expect(page.locator("nav.crumbs a")).to_have_text(crumb)
        assert page.locator("ul.action-rows li a.action-link").count() >= 1
    shot(page, "09-owner")


def test_unknown_action_is_a_friendly_404(live_server, page, shot):
    response = page.goto(live_server + "/actions/no-such-plan:XYZ")
    assert response.status == 404
    # The page's own load is the one console error a 404 gives: drop exactly that.
    page.errors.remove("console: Failed to load resource: the server responded with a status of 404 (NOT FOUND)")
    expect(page.locator("header.site a.brand")).to_be_visible()
    expect(page.locator(".error-page h1")).to_have_text("No such action")
    assert "Traceback" not in page.content()
    shot(page, "10-not-found")
    page.locator(".error-page a", has_text="Back to search").click()
    page.wait_for_url(live_server + "/")
    expect(page.locator(".hero h1")).to_be_visible()


def test_search_downloads_a_csv(live_server, page):
    page.goto(live_server + "/search?q=advocacy")
    link = page.locator(".downloads a", has_text="CSV").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "search-advocacy.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    partial = page.locator("p.total b.partial")  # the second tier: some of the words, or a theme they name
    shown = int(page.locator("p.total strong").inner_text()) + (int(partial.inner_text()) if partial.count() else 0)
    assert shown >= len(rows) > 0
    assert {"id", "code", "council", "text"} <= set(rows[0])

    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text().splitlines()[0].startswith("rank,id,")


@pytest.mark.parametrize("path", ["/search?q=advocacy", f"/actions/{GC10}"])
def test_narrow_phone_layout_has_no_sideways_scroll(live_server, phone_page, shot, path):
    phone_page.goto(live_server + path)
    if path.startswith("/actions/"):
        phone_page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    shot(phone_page, "11-phone-search" if path.startswith("/search") else "12-phone-action")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 390px wide"
