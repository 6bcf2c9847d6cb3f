"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright, one per session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import lanes
from tests.system_tools import require

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = require("chromium", "the browser tests")
    lanes.check("browser", "starting Chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


@pytest.fixture()
def screenshot(request: pytest.FixtureRequest):
    """Save a full-page screenshot under test-artifacts/browser/<test name>/<step>.png."""
    folder = ARTIFACTS / re.sub(r"[^\w\[\]=.-]+", "-", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page: Page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
