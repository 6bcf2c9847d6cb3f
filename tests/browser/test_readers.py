"""What readers bring, in headless Chromium: the journalist's question from the home page, the
researcher's status on a date, the export-control officer's measure, search as people type it,
and the same pages on a phone. Screenshots of every step are kept under test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.server]

Screenshot = Callable[[Page, str], Path]
NSL = "/id/hong-kong-national-security-law.html"


def test_the_journalists_question_is_answered_from_the_home_page_in_two_clicks(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    """What did the US do after the national security law, and who says so?"""
    page.goto(live_server.url + "/")
    screenshot(page, "home")
    page.get_by_role("link", name="What answered Hong Kong national security law").click()  # click 1
    expect(page.locator("h1")).to_contain_text("What answered")
    us = page.locator("section.actor-group", has=page.locator("h3", has_text=re.compile(r"^United States")))
    responses = us.first.locator("li.response")
    assert responses.count() >= 10
    for index in range(responses.count()):
        expect(responses.nth(index).locator(".says-so a").first).to_be_visible()
    expect(us.first.locator(".through")).to_contain_text("United States Department of Commerce")
    screenshot(page, "what-answered-the-law")
    responses.first.locator(".says-so a").first.click()  # click 2: who says so
    expect(page).to_have_url(re.compile(r"/source/[^/]+\.html$"))
    screenshot(page, "the-source")


def test_the_researcher_asks_for_the_status_on_a_date(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    page.goto(live_server.url + NSL)
    expect(page.locator(".status-now strong")).to_have_text("in force")
    page.get_by_label("Status on a date").fill("2020-06-15")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?on=2020-06-15$"))
    expect(page.locator(".status-now strong")).to_have_text("approved")
    expect(page.locator(".status-now")).to_contain_text("on 2020-06-15")
    screenshot(page, "status-on-a-date")
    page.goto(live_server.url + "/timeline")
    page.get_by_label("Actor").select_option(label="United States")
    page.get_by_label("From", exact=True).fill("2020-06-01")
    page.get_by_label("To", exact=True).fill("2020-07-31")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.timeline-table tbody tr")
    assert rows.count() > 4, "the government, its departments and officials count as the United States"
    expect(page.locator("table.timeline-table")).to_contain_text("Wilbur Ross")
    screenshot(page, "timeline-united-states-june-july-2020")
    page.goto(live_server.url + "/conflicts")
    expect(page.locator(".versus").last).to_have_text("US$12.8 bn against US$37.3 bn")
    screenshot(page, "conflicts")


def test_the_officer_sees_what_was_suspended_and_that_no_legal_basis_is_stated(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    page.goto(live_server.url + "/search?q=licence+exception")
    page.locator("ol.results a", has_text="US suspension of export licence exceptions").click()
    expect(page.locator("h1")).to_have_text("US suspension of export licence exceptions for Hong Kong")
    expect(page.locator(".not-stated")).to_have_text("No source states a legal basis for this measure.")
    key_facts = page.locator("section[aria-labelledby=key-h]")
    expect(key_facts).to_contain_text("imposed by")
    expect(key_facts.locator(".passage").first).to_contain_text("¶")
    assert "(of)" not in page.content() and "prompted" not in key_facts.inner_text()
    expect(page.locator("text=our registry").first).to_be_visible()
    screenshot(page, "measure")


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "extradition agreement",
            "United States–Hong Kong Agreement for the Surrender of Fugitive Offenders",
        ),
        (
            "agreement extradition",
            "United States–Hong Kong Agreement for the Surrender of Fugitive Offenders",
        ),
        ("license exception", "US suspension of export licence exceptions for Hong Kong"),
        ("NSL", "Hong Kong national security law"),
        ("HKAA", "Hong Kong Autonomy Act"),
    ],
)
def test_search_finds_what_people_type(
    page: Page, live_server: LiveServer, screenshot: Screenshot, query: str, expected: str
) -> None:
    page.goto(live_server.url + "/search")
    page.get_by_label("Names, alternative names, acronyms and descriptions").fill(query)
    page.keyboard.press("Enter")
    expect(page.locator("ol.results > li").first.locator("a").first).to_have_text(expected)
    screenshot(page, "results")


def test_a_search_that_finds_nothing_helps(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    page.goto(live_server.url + "/search?q=EAR")
    expect(page.locator(".no-results")).to_contain_text("Nothing in the graph")
    assert "Earlier" not in page.locator("main").inner_text()
    page.goto(live_server.url + "/search?q=pompey")
    page.locator(".no-results a", has_text="pompeo").click()
    expect(page.locator("ol.results a").first).to_have_text("Mike Pompeo")
    screenshot(page, "corrected")


def test_a_suggestion_opens_the_entity(page: Page, live_server: LiveServer, screenshot: Screenshot) -> None:
    page.goto(live_server.url + "/")
    box = page.get_by_label("Search names")
    box.press_sequentially("licence exc", delay=40)
    option = page.locator("#site-search-q-suggestions [role=option]").first
    expect(option).to_contain_text("US suspension of export licence exceptions")
    screenshot(page, "suggestions")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("suggestions-0"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/id/measure-us-licence-exception-suspension(\.html)?$"))
    page.goto(live_server.url + "/search")
    page.get_by_label("Names, alternative names").press_sequentially("Pomp", delay=40)
    page.locator("#q-suggestions").get_by_role("link", name="Mike Pompeo", exact=True).click()
    expect(page.locator("h1")).to_have_text("Mike Pompeo")


def test_technical_details_wait_behind_a_toggle(
    browser: Browser, live_server: LiveServer, screenshot: Screenshot
) -> None:
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        try:
            page.goto(live_server.url + "/id/event-us-defence-export-ban-announcement.html")
            chips = page.locator(".tag.technical")
            assert chips.count() > 0
            expect(chips.first).to_be_hidden()
            expect(page.locator(".iri")).to_be_hidden()
            page.get_by_label(re.compile("Show technical details")).check()
            expect(chips.first).to_be_visible()
            screenshot(page, f"technical-details-{'js' if javascript else 'no-js'}")
        finally:
            context.close()


def test_the_navigation_marks_the_current_page(page: Page, live_server: LiveServer) -> None:
    for path, label in [("/timeline", "Timeline"), ("/ontology.html", "Ontology"), ("/sparql", "Query")]:
        page.goto(live_server.url + path)
        current = page.locator("nav[aria-label=Site] a[aria-current=page]")
        expect(current).to_have_count(1)
        expect(current).to_have_text(label)
        assert current.evaluate("a => getComputedStyle(a).fontWeight") == "700"


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_ring_has_at_least_three_to_one_contrast(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " const page = getComputedStyle(document.body).backgroundColor;"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor, page]; }"
    )
    style, width, colour, background = ring
    assert style == "solid" and float(width.removesuffix("px")) >= 2
    assert contrast(colour, background) >= 3, ring


def test_no_request_of_a_page_load_fails(page: Page, live_server: LiveServer) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ("/", NSL, "/sparql", "/timeline"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    icon = page.request.get(live_server.url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"


PHONE_PAGES = [
    "/",
    "/search?q=sanctions",
    "/search?q=xyzzy",
    "/browse",
    "/browse?class=https://w3id.org/hkus/ontology/Measure",
    "/timeline",
    "/responses?to=https://w3id.org/hkus/id/hong-kong-national-security-law",
    "/conflicts",
    "/sources",
    "/cite",
    NSL,
    "/id/mike-pompeo.html",
    "/id/united-states.html",
    "/id/measure-us-defence-export-ban.html",
    "/id/figure-us-exports-to-hong-kong-2018.html",
    "/id/statement-pompeo-cannot-distinguish.html",
    "/source/us-ends-defense-exports-over-nsl.html",
    "/ontology/Measure.html",
    "/ontology.html",
    "/sparql?query=SELECT+%3Fs+%3Fp+%3Fo+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+20&format=html",
    "/id/no-such-thing.html",
]


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


# Controls a thumb must hit: at least 44 × 44 px (links in running text are exempt, as WCAG 2.5.5).
CONTROLS = (
    "button, input:not([type=checkbox]):not([type=hidden]), select, summary,"
    " .menu nav a, .menu-button, .technical-toggle label"
)
SMALL_TARGETS = f"""() => Array.from(document.querySelectorAll("{CONTROLS}"))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width > 0 && (box.height < 44 || box.width < 44))
  .map(([el, box]) => el.outerHTML.slice(0, 80) + " " + box.width + "x" + box.height)"""
INPUTS = "input:not([type=checkbox]), select, textarea"
SMALL_INPUT_TEXT = f"""() => Array.from(document.querySelectorAll("{INPUTS}"))
  .filter((el) => el.getBoundingClientRect().width > 0 && parseFloat(getComputedStyle(el).fontSize) < 16)
  .map((el) => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_on_a_phone_no_page_scrolls_sideways(
    phone: Page, live_server: LiveServer, screenshot: Screenshot, path: str
) -> None:
    phone.goto(live_server.url + path)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide"
    header = phone.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 64
    assert phone.evaluate(SMALL_INPUT_TEXT) == []
    assert phone.evaluate(SMALL_TARGETS) == []
    screenshot(phone, re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:60] or "home")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_on_a_phone_the_menu_folds_and_opens(
    browser: Browser, live_server: LiveServer, screenshot: Screenshot, javascript: bool
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    phone = context.new_page()
    try:
        phone.goto(live_server.url + "/")
        timeline = phone.get_by_role("navigation", name="Site").get_by_role("link", name="Timeline")
        expect(timeline).to_be_hidden()
        phone.get_by_text("Menu", exact=True).click()
        expect(timeline).to_be_visible()
        assert phone.evaluate(SMALL_TARGETS) == []
        screenshot(phone, "menu-open")
        timeline.click()
        expect(phone.locator("h1")).to_have_text("Timeline")
    finally:
        context.close()


def test_on_a_phone_key_facts_stack_and_the_picture_stays_legible(
    phone: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    phone.goto(live_server.url + "/id/measure-us-defence-export-ban.html")
    cell = phone.locator("section[aria-labelledby=key-h] table td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    label_size = phone.locator(".neighbourhood .node-label").first.evaluate(
        "t => t.getBoundingClientRect().height"
    )
    assert label_size >= 9, f"neighbourhood labels are {label_size} px"
    box = phone.get_by_label("Search names")
    assert box.evaluate("i => parseFloat(getComputedStyle(i).fontSize)") >= 16
    screenshot(phone, "measure-on-a-phone")


def test_the_ontology_page_starts_with_its_contents_and_hierarchy(
    page: Page, live_server: LiveServer, screenshot: Screenshot
) -> None:
    page.goto(live_server.url + "/ontology.html")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:3] == ["Contents", "Class hierarchy", "About this ontology"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    table = page.locator("table.property-table").bounding_box()
    assert table is not None and table["x"] + table["width"] <= 1280
    hierarchy = page.locator("#hierarchy-h").bounding_box()
    assert hierarchy is not None and hierarchy["y"] < 900, "the hierarchy starts on the first screen"
    screenshot(page, "ontology")
