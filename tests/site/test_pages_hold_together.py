"""Pages as a whole: no empty section, no inline script or style (the CSP forbids them), the
favicon, the dumps with their size, date and SHA-256, and how to cite the data."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

ENTITY_PAGES = [
    "/id/hong-kong-national-security-law.html",
    "/id/mike-pompeo.html",
    "/id/united-states.html",
    "/id/measure-us-licence-exception-suspension.html",
    "/id/figure-us-exports-to-hong-kong-2018.html",
    "/id/statement-pompeo-cannot-distinguish.html",
    "/id/us-hk-prisoner-transfer-agreement.html",
    "/source/us-ends-defense-exports-over-nsl.html",
    "/ontology/Measure.html",
    "/measure-type.html",
]
SITE_PAGES = [
    "/",
    "/browse",
    "/timeline",
    "/responses?to=https://w3id.org/hkus/id/hong-kong-national-security-law",
    "/conflicts",
    "/sources",
    "/cite",
    "/search?q=sanctions",
    "/ontology.html",
]


class Sections(HTMLParser):
    """The text of each <section> of a page (what is in sections within it counts), headings left out."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.done: list[tuple[str, str]] = []
        self.in_heading = 0
        self.heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.open.append([])
        elif re.fullmatch(r"h[1-6]", tag):
            self.in_heading += 1
        elif tag in {"a", "input", "svg", "img"} and not self.in_heading:
            for body in self.open:
                body.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.open:
            self.done.append((self.heading, "".join(self.open.pop()).strip()))
        elif re.fullmatch(r"h[1-6]", tag):
            self.in_heading -= 1

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.heading = data.strip() or self.heading
        else:
            for body in self.open:
                body.append(data)


@pytest.mark.parametrize("path", ENTITY_PAGES + SITE_PAGES)
def test_no_section_is_empty(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    parser = Sections()
    parser.feed(response.get_data(as_text=True))
    assert parser.done or path in SITE_PAGES, "an entity page is in sections"
    assert [heading for heading, body in parser.done if not body] == []


@pytest.mark.parametrize("path", ENTITY_PAGES + SITE_PAGES + ["/sparql"])
def test_no_inline_script_style_or_handler(client: FlaskClient, path: str) -> None:
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<[^>]+\sstyle=", html) == []
    assert re.findall(r"<[^>]+\son[a-z]+=", html) == []
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_the_favicon_is_served_at_the_root(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"
    assert response.cache_control.max_age == 86400
    response.close()


def test_each_dump_is_listed_with_its_size_date_and_digest_once_written(client: FlaskClient) -> None:
    """A version's dumps are written when first asked for; from then on the listing gives their
    size and digest, for a reader to check a download against."""
    listed = client.get("/cite.json").get_json()["dumps"]
    assert listed
    bodies = {dump["url"]: client.get(dump["url"]).get_data() for dump in listed}
    page = client.get("/cite.json").get_json()
    built = client.get("/health").get_json()["build"]["builtAt"]
    for dump in page["dumps"]:
        body = bodies[dump["url"]]
        assert dump["bytes"] == len(body)
        assert dump["sha256"] == hashlib.sha256(body).hexdigest()
        assert dump["date"] == built
    html = client.get("/cite").get_data(as_text=True)
    assert page["dumps"][0]["sha256"] in html and "sha256sum" in html


def test_the_data_can_be_cited_naming_its_version(client: FlaskClient) -> None:
    page = client.get("/cite.json").get_json()
    citation = page["citation"]
    assert f"version {page['version']}" in citation["text"]
    assert citation["bibtex"].startswith("@misc{hkus-graph,")
    assert '"type": "dataset"' in citation["cslJson"]


def test_a_section_with_only_its_heading_counts_as_empty() -> None:
    parser = Sections()
    parser.feed(
        "<section><h2>Timeline</h2>\n  </section><section><h2>Sources</h2><ul><li>A</li></ul></section>"
    )
    assert parser.done == [("Timeline", ""), ("Sources", "A")]
