"""The query page in headless Chromium: the editor, running in place, a shareable URL.

Each scenario runs its own Playwright in a thread of its own, so it does not collide with the
session-wide browser of ``tests/browser`` when both run in one pytest process.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Request, sync_playwright

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS
from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.server]

QUERY = """SELECT ?class WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(hkus:)))
} ORDER BY ?class LIMIT 3"""
EDITOR = "document.querySelector('.CodeMirror').CodeMirror"


def in_chromium(scenario: Callable[[Page], Any]) -> Any:
    """Run ``scenario`` on a fresh page of a headless Chromium started in its own thread."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium'")

    def run() -> Any:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(15_000)
                return scenario(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_run_a_query_in_place(live_server: LiveServer) -> None:
    foreign: list[str] = []

    def scenario(page: Page) -> dict[str, Any]:
        def record(request: Request) -> None:
            if not request.url.startswith(live_server.url):
                foreign.append(request.url)

        page.on("request", record)
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        preloaded = page.evaluate(f"{EDITOR}.getValue()")
        page.evaluate(f"text => {EDITOR}.setValue(text)", QUERY)
        page.click("#query-form button[type=submit]")
        page.wait_for_selector("table.results tbody tr")
        return {
            "preloaded": preloaded,
            "rows": page.locator("table.results tbody tr").count(),
            "href": page.locator("table.results tbody a").first.get_attribute("href"),
            "status": page.locator("#status").inner_text(),
            "url": page.url,
        }

    seen = in_chromium(scenario)
    assert "PREFIX hkus:" in seen["preloaded"]
    assert seen["rows"] == 3
    assert seen["href"].startswith("/ontology/")
    assert "Done in" in seen["status"]
    assert parse_qs(urlparse(seen["url"]).query)["query"] == [QUERY]
    assert not foreign, foreign


def test_an_error_is_shown_in_the_page(live_server: LiveServer) -> None:
    def scenario(page: Page) -> tuple[str, str]:
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        page.evaluate(f"{EDITOR}.setValue('SELECT * {{')")
        page.evaluate(f"{EDITOR}.focus()")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#results .error")
        return page.locator("#results .error").inner_text(), page.locator("#status").inner_text()

    error, status = in_chromium(scenario)
    assert "expected" in error
    assert "Failed (400)" in status
