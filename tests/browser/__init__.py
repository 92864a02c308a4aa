"""Browser tests: the app on a free port, driven by Playwright and Debian chromium (marker `browser`)."""
