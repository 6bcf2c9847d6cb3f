"""A reader who never writes SPARQL: home → search "Pompeo" → his page → a measure → its
sources → the timeline → the query page, running an example. Screenshots of every step are
kept under test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.server]

Screenshot = Callable[[Page, str], Path]


def test_from_home_to_a_measure_its_sources_the_timeline_and_a_query(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("knowledge graph")
    screenshot(page, "home")

    page.get_by_label("Search names").fill("Pompeo")
    page.get_by_label("Search names").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Pompeo"))
    screenshot(page, "search")

    page.locator("ol.results a", has_text="Pompeo").first.click()
    expect(page).to_have_url(re.compile(r"/id/[^/]+\.html$"))
    expect(page.locator("h1")).to_contain_text("Pompeo")
    screenshot(page, "person")

    page.locator("ul.measures > li > a").first.click()
    expect(page.locator("h1")).not_to_contain_text("Pompeo")
    expect(page.locator(".types")).to_contain_text(re.compile("measure|control|sanction", re.I))
    screenshot(page, "measure")

    sources = page.locator("section[aria-labelledby=sources-h]")
    expect(sources.locator("a").first).to_be_visible()
    expect(page.locator(".provenance .prov-source").first).to_be_visible()
    sources.scroll_into_view_if_needed()
    screenshot(page, "measure-sources")
    sources.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/source/[^/]+\.html$"))
    screenshot(page, "source")

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Timeline").click()
    expect(page.locator("h1")).to_have_text("Timeline")
    expect(page.locator("table.timeline-table tbody tr").first).to_be_visible()
    screenshot(page, "timeline")

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Query").click()
    expect(page).to_have_url(re.compile(r"/sparql"))
    page.locator("#examples a").first.click()
    expect(page.locator("#results table.results tbody tr").first).to_be_visible()
    screenshot(page, "query")

    assert errors == [], errors


def test_search_box_suggests_names_while_typing(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Search names").press_sequentially("Pomp", delay=50)
    options = page.locator("#site-search-q-suggestions [role=option]")
    expect(options.first).to_contain_text("Mike Pompeo")
    expect(options.first.locator("a")).to_have_attribute("href", "/id/mike-pompeo")
    screenshot(page, "suggestions")


def test_pages_read_and_search_without_javascript(
    browser: Browser, live_server: LiveServer, screenshot: Screenshot
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search?q=Pompeo")
        page.locator("ol.results a", has_text="Pompeo").first.click()
        expect(page.locator("h1")).to_contain_text("Pompeo")
        expect(page.locator(".provenance").first).to_be_visible()
        screenshot(page, "person-without-javascript")
    finally:
        context.close()
