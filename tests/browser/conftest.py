"""Browser fixtures: the app on the real plans served by waitress, one chromium for the session, and a fresh page
per test that fails the test on any console error, uncaught exception or dialog.

Playwright drives Debian's chromium (it cannot download its own browser here). Without chromium the browser tests
skip, unless GRAPHKIT_REQUIRE_BROWSER is set (CI sets it), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from web import create_app

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Headless and quiet: no sandbox (containers), no GPU, and none of chromium's own network traffic.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@contextmanager
def serving(store: Path) -> Iterator[str]:
    """The app on `store`, on a free port of 127.0.0.1, served by waitress in a daemon thread; yields its URL."""
    from waitress import create_server

    app = create_app({"TESTING": True, "GRAPHKIT_STORE": str(store)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="graphkit-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown()
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(corpus_store) -> Iterator[str]:
    """The base URL of the app serving the bundled plans."""
    with serving(corpus_store) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """Debian's chromium. Autouse, so a test without it skips (or fails) before any store is built or served."""
    found = shutil.which("chromium")
    if found is None:
        reason = "chromium is not on PATH (on Debian: apt-get install chromium)"
        if os.environ.get("GRAPHKIT_REQUIRE_BROWSER"):
            pytest.fail(f"GRAPHKIT_REQUIRE_BROWSER is set, but {reason}")
        pytest.skip(f"{reason}; set GRAPHKIT_REQUIRE_BROWSER=1 to fail instead")
    return found


@pytest.fixture(scope="session")
def browser(chromium):
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


def _watch(page) -> None:
    """Collect in `page.errors` what a clean page never produces: console errors (CSP violations among them),
    uncaught exceptions and dialogs (an alert would be a script that ran)."""
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.errors.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))


def _watched_page(browser, **options) -> Iterator:
    """A fresh context and page; after the test, it fails if anything landed in `page.errors`."""
    context = browser.new_context(**options)
    page = context.new_page()
    _watch(page)
    yield page
    errors = list(page.errors)
    context.close()
    assert errors == [], "the browser reported errors"


@pytest.fixture
def page(browser):
    """A fresh context and page, 1280x900; the test fails if anything landed in `page.errors`."""
    yield from _watched_page(browser, viewport=VIEWPORT)


@pytest.fixture
def phone_page(browser):
    """Like `page`, at a phone's width (390x844) with touch."""
    yield from _watched_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def save_screenshot(page, name: str) -> Path:
    """A full-page screenshot in tests/browser/screenshots/<name>.png (`name` may hold a folder), for a person to
    look at."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def shot() -> Callable:
    """`shot(page, name)` saves a full-page screenshot of `page` as tests/browser/screenshots/<name>.png."""
    return save_screenshot
