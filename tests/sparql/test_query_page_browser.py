"""The query page in headless Chromium: the editor, running in place, a shareable URL.

Each scenario runs its own Playwright in a thread of its own, so it does not collide with the
session-wide browser of ``tests/browser`` when both run in one pytest process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Request, sync_playwright

from tests import lanes
from tests.browser.conftest import LAUNCH_ARGS
from tests.conftest import LiveServer
from tests.system_tools import require

pytestmark = [pytest.mark.browser, pytest.mark.server]

QUERY = """SELECT ?class WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(hkus:)))
} ORDER BY ?class LIMIT 3"""
EDITOR = "document.querySelector('.CodeMirror').CodeMirror"


def in_chromium(scenario: Callable[[Page], Any]) -> Any:
    """Run ``scenario`` on a fresh page of a headless Chromium started in its own thread."""
    executable = require("chromium", "the query editor's browser tests")
    lanes.check("browser", "starting Chromium")

    def run() -> Any:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
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
    assert "SELECT ?class" in seen["preloaded"] and "PREFIX" not in seen["preloaded"]  # predeclared
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


SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "browser" / "query-editor"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def hints_after(page: Page, text: str) -> list[str]:
    """Put ``text`` in the editor, the cursor at its end, ask for completions, return them."""
    page.evaluate(
        f"text => {{ const cm = {EDITOR}; cm.setValue(text); cm.setCursor(cm.lineCount(), 0); }}", text
    )
    page.evaluate(f"{EDITOR}.focus()")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    return page.locator(".CodeMirror-hints li").all_inner_texts()


def test_completion_knows_prefixes_classes_properties_and_names(live_server: LiveServer) -> None:
    def scenario(page: Page) -> dict[str, Any]:
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        seen = {
            "class": hints_after(page, "SELECT * WHERE {\n  ?m a hkus:Expo"),
            "property": hints_after(page, "SELECT * WHERE {\n  ?m hkus:impo"),
            "name": hints_after(page, "SELECT * WHERE {\n  ?m hkus:imposedBy id:pomp"),
            "prefix": hints_after(page, "PREFIX "),
            "variable": hints_after(page, "SELECT ?measure WHERE {\n  ?measure a ?type .\n  FILTER(?mea"),
        }
        shot(page, "completion")
        page.keyboard.press("Enter")
        seen["picked"] = page.evaluate(f"{EDITOR}.getValue()")
        return seen

    seen = in_chromium(scenario)
    assert any(h.startswith("hkus:ExportControl") for h in seen["class"]), seen["class"]
    assert any(h.startswith("hkus:imposedBy") for h in seen["property"]), seen["property"]
    assert any("Mike Pompeo" in h and "id:mike-pompeo" in h for h in seen["name"]), seen["name"]
    assert any(h.startswith("hkus: <https://w3id.org/hkus/ontology/>") for h in seen["prefix"]), seen[
        "prefix"
    ]
    assert seen["variable"][0].startswith("?measure")
    assert seen["picked"].endswith("FILTER(?measure")


def test_every_run_puts_its_query_in_the_address_bar(live_server: LiveServer) -> None:
    second = "ASK { ?s a hkus:Measure }"

    def scenario(page: Page) -> list[str]:
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        urls = []
        for query in (QUERY, second):
            page.evaluate(f"text => {EDITOR}.setValue(text)", query)
            page.click("#query-form button[type=submit]")
            page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Done')")
            urls.append(page.url)
            page.evaluate("document.getElementById('status').textContent = ''")
        page.locator("#examples a").first.click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Done')")
        urls.append(page.url)
        page.go_back()
        page.wait_for_function(f"() => {EDITOR}.getValue() === {second!r}")
        return urls

    urls = in_chromium(scenario)
    queries_shown = [parse_qs(urlparse(u).query)["query"][0] for u in urls]
    assert queries_shown[:2] == [QUERY, second]
    assert queries_shown[2].startswith("# Question:")


def test_results_show_labels_and_sort_by_a_column(live_server: LiveServer) -> None:
    query = "SELECT ?measure ?start WHERE { ?measure a hkus:Measure ; hkus:startDate ?start }"

    def scenario(page: Page) -> dict[str, Any]:
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        page.evaluate(f"text => {EDITOR}.setValue(text)", query)
        page.click("#query-form button[type=submit]")
        page.wait_for_selector("table.results tbody tr")
        first_column = "table.results tbody td:first-child a"
        page.click("table.results thead th:first-child button")
        ascending = page.locator(first_column).all_inner_texts()
        page.click("table.results thead th:first-child button")
        descending = page.locator(first_column).all_inner_texts()
        shot(page, "sorted-results")
        return {
            "ascending": ascending,
            "descending": descending,
            "aria": page.get_attribute("table.results thead th:first-child", "aria-sort"),
        }

    seen = in_chromium(scenario)
    assert "US ban on defence exports to Hong Kong" in seen["ascending"], "IRIs show their labels"
    assert seen["ascending"] == sorted(seen["ascending"], key=str.casefold)
    assert seen["descending"] == seen["ascending"][::-1]
    assert seen["aria"] == "descending"


def test_the_error_position_is_marked_in_the_editor(live_server: LiveServer) -> None:
    text, line, context = ("SELECT * WHERE {\\n  ?s ?p ?o\\n}}", 2, "}}")

    def scenario(page: Page) -> dict[str, Any]:
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        page.evaluate(f"{EDITOR}.setValue('{text}')")
        page.click("#query-form button[type=submit]")
        page.wait_for_selector(".cm-error-mark")
        shot(page, "error-marked")
        return {
            "line": page.evaluate(f"{EDITOR}.getCursor().line"),
            "lines": page.locator(".CodeMirror .cm-error-line").count(),
            "context": page.locator(".error-context").inner_text(),
        }

    seen = in_chromium(scenario)
    assert seen["line"] == line and seen["lines"] == 1
    assert seen["context"].splitlines()[0] == context


def test_code_snippets_copy_and_run(live_server: LiveServer, tmp_path: Path) -> None:
    query = "SELECT ?label WHERE { id:hong-kong-national-security-law rdfs:label ?label }"

    def scenario(page: Page) -> dict[str, Any]:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".CodeMirror")
        page.evaluate(f"text => {EDITOR}.setValue(text)", query)
        page.click("#query-form button[type=submit]")
        page.wait_for_selector("table.results tbody tr")
        page.click("#snippets summary")
        code = {s: page.locator(f"#snippet-{s}").inner_text() for s in ("shell", "python", "javascript")}
        page.click("#snippets button.copy >> nth=1")
        copied = page.evaluate("navigator.clipboard.readText()")
        shot(page, "snippets")
        return {"code": code, "copied": copied}

    seen = in_chromium(scenario)
    assert all("hong-kong-national-security-law rdfs:label" in c for c in seen["code"].values())
    assert seen["copied"] == seen["code"]["python"]
    javascript = subprocess.run(
        ["node", "--input-type=module", "-e", seen["code"]["javascript"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert javascript.returncode == 0, javascript.stderr
    assert "Hong Kong national security law" in javascript.stdout
    python = subprocess.run(
        [sys.executable, "-c", seen["code"]["python"]], capture_output=True, text=True, timeout=60
    )
    assert python.returncode == 0, python.stderr
    assert "Hong Kong national security law" in python.stdout
    curl = subprocess.run(["bash", "-c", seen["code"]["shell"]], capture_output=True, text=True, timeout=60)
    assert curl.returncode == 0, curl.stderr
    assert (
        json.loads(curl.stdout)["results"]["bindings"][0]["label"]["value"]
        == "Hong Kong national security law"
    )
