"""The query page in headless Chromium: the editor, running in place, a shareable URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Request

from tests.browser.conftest import browser, page  # noqa: F401 - the shared fixtures
from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.server]

QUERY = """SELECT ?class WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(hkus:)))
} ORDER BY ?class LIMIT 3"""


def test_run_a_query_in_place(live_server: LiveServer, page: Page) -> None:  # noqa: F811
    foreign: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith(live_server.url):
            foreign.append(request.url)

    page.on("request", record)
    page.goto(live_server.url + "/sparql")
    page.wait_for_selector(".CodeMirror")
    assert "PREFIX hkus:" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", QUERY)
    page.click("#query-form button[type=submit]")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() == 3
    first_link = page.locator("table.results tbody a").first
    assert first_link.get_attribute("href").startswith("/ontology/")
    assert "Done in" in page.locator("#status").inner_text()
    shared = parse_qs(urlparse(page.url).query)
    assert shared["query"] == [QUERY]
    assert not foreign, foreign


def test_an_error_is_shown_in_the_page(live_server: LiveServer, page: Page) -> None:  # noqa: F811
    page.goto(live_server.url + "/sparql")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT * {')")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.focus()")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results .error")
    assert "expected" in page.locator("#results .error").inner_text()
    assert "Failed (400)" in page.locator("#status").inner_text()
