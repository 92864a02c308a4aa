"""The neighbourhood graph draws in a real browser: no console or page errors, a canvas, and markup in document
text shown as text. Screenshots land in tests/browser/screenshots/ (git-ignored) for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graphkit.records import short_title
from tests.browser.conftest import serving
from tests.test_web_graph import HOSTILE_ID, HOSTILE_TEXT, HOSTILE_TITLE, L219, VIEW2, build_hostile_store

# The app, chromium and the watched `page` (console errors, page errors and dialogs fail the test) come from
# tests/browser/conftest.py, which also skips these tests without chromium unless GRAPHKIT_REQUIRE_BROWSER is set.
pytestmark = pytest.mark.browser

DRAWN = "#graph[data-drawn=true]"
DRAW_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> Iterator[str]:
    with serving(build_hostile_store(tmp_path_factory)) as url:
        yield url


# Where a colour fills the canvas: the middle of its pixels, or the first pixel deep inside a shape of it.
FIND_COLOUR = """(canvas, [rgb, inside]) => {
  const {width, height} = canvas;
  const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  const is = (x, y) => {
    const i = (y * width + x) * 4;
    return data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2];
  };
  const scale = width / canvas.getBoundingClientRect().width;
  let sx = 0, sy = 0, n = 0;
  for (let y = 3; y < height - 3; y++) {
    for (let x = 3; x < width - 3; x++) {
      if (!is(x, y)) continue;
      if (inside && is(x - 3, y) && is(x + 3, y) && is(x, y - 3) && is(x, y + 3)) return {x: x / scale, y: y / scale};
      sx += x; sy += y; n += 1;
    }
  }
  return n && !inside ? {x: sx / n / scale, y: sy / n / scale} : null;
}"""
CENTRE_RGB = [0x16, 0x32, 0x5C]  # the centre box: the only navy on the canvas
ACTION_RGB = [0xE8, 0xEF, 0xFB]  # the fill of every other action's box


def spot(page, rgb: list[int], inside: bool = False) -> dict:
    # As a person would: the whole picture in view first (vis-network misplaces a click that scrolls the page).
    page.locator("#graph").scroll_into_view_if_needed()
    found = page.locator("#graph canvas").evaluate(FIND_COLOUR, [rgb, inside])
    assert found, f"a shape of colour {rgb} is drawn"
    return found


def click_centre(page) -> None:
    page.locator("#graph canvas").click(position=spot(page, CENTRE_RGB))


def draw(page, shot, url: str, screenshot: str) -> None:
    """Open `url`, wait until graph.js says the picture has settled, and keep a screenshot to look at."""
    page.goto(url)
    page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)
    shot(page, screenshot)


def test_graph_page_draws_without_errors(live_server, page, shot):
    draw(page, shot, f"{live_server}/graph/{VIEW2}", "graph")
    assert page.locator("#graph canvas").count() == 1
    assert page.locator("#graph canvas").bounding_box()["height"] >= 400
    assert page.title().startswith("Graph of SS_ICSAP_VIEW2")
    toggle = page.locator("#graph-secondary")
    assert toggle.is_visible(), "graph.js reveals the switch for the links among neighbours"
    toggle.check()
    page.wait_for_timeout(200)  # one redraw with the hidden edges shown
    assert page.errors == []


@pytest.mark.parametrize(
    ("path", "screenshot"),
    [(f"/graph/{L219}?depth=2", "graph-depth2"), (f"/actions/{L219}", "graph-action-page")],
)
def test_graph_draws_at_depth_two_and_on_the_action_page(live_server, page, shot, path, screenshot):
    draw(page, shot, live_server + path, screenshot)
    assert page.locator("#graph canvas").count() == 1
    assert page.errors == []


def test_clicking_an_action_offers_a_link_to_it(live_server, page, shot):
    draw(page, shot, f"{live_server}/graph/{L219}", "graph-selected")
    click_centre(page)
    link = page.locator("#graph-selected a")
    link.wait_for(timeout=5_000)
    assert link.get_attribute("href") == f"/actions/{L219}"
    assert page.errors == []


def test_double_click_on_an_action_opens_it(live_server, page, shot):
    draw(page, shot, f"{live_server}/graph/{VIEW2}", "graph-before-open")
    with page.expect_navigation():
        page.locator("#graph canvas").dblclick(position=spot(page, ACTION_RGB, inside=True))
    assert "/actions/" in page.url and VIEW2 not in page.url
    assert page.locator("h1").count() == 1
    assert page.errors == []


def test_markup_in_document_text_stays_text(hostile_url, page, shot):
    draw(page, shot, f"{hostile_url}/graph/{HOSTILE_ID}", "graph-hostile")
    assert page.errors == [], "no alert ran and nothing broke"
    assert page.locator("script").count() == 3
    assert page.locator("script:not([src])").get_attribute("type") == "application/json"
    assert HOSTILE_TEXT in page.locator(".lead").inner_text()
    click_centre(page)
    page.locator("#graph-selected a").wait_for(timeout=5_000)
    # named by its first words, markup and all, as text
    assert page.locator("#graph-selected").inner_text().startswith(f"{short_title(HOSTILE_TEXT)} · Anytown 2024")
    island = page.evaluate("JSON.parse(document.getElementById('graph-data').textContent)")
    assert any(f"\n{HOSTILE_TITLE} (hostile-plan" in node["title"] for node in island["nodes"])
