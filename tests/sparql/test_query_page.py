"""The query page: editor with prefixes, example gallery, server-rendered results without JS."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
import requests
from flask.testing import FlaskClient

from kgapp import queries
from kgapp.errors import InputError
from kgapp.namespaces import Namespaces
from tests.conftest import LiveServer
from tests.sparql.conftest import SMALL_ROW_CAP

pytestmark = pytest.mark.server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OUR_CLASSES = """SELECT ?class WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(hkus:)))
} ORDER BY ?class LIMIT 5"""


class Links(HTMLParser):
    """Every ``<a href>`` of a page, and the cells of its results table."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None


JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def page(server: LiveServer, **params: str) -> requests.Response:
    response = requests.get(server.url + "/sparql", params=params, headers={"Accept": BROWSER}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/html")
    return response


def test_the_editor_starts_without_the_prefixes_the_endpoint_predeclares(live_server: LiveServer) -> None:
    """Regression: the editor opened with 21 PREFIX lines that the endpoint declares anyway."""
    response = page(live_server)
    assert response.status_code == 200
    textarea = re.search(r"<textarea[^>]*name=\"query\"[^>]*>(.*?)</textarea>", response.text, re.S)
    assert textarea is not None
    assert "PREFIX" not in textarea.group(1) and "predeclared" in textarea.group(1)
    for prefix, namespace in Namespaces().prefixes.items():  # listed under the editor instead
        assert f"<code>{prefix}:</code></td><td><code>{namespace}</code>" in response.text
    starter = html.unescape(textarea.group(1))
    ran = requests.get(
        live_server.url + "/sparql", params={"query": starter}, headers=JSON_RESULTS, timeout=30
    )
    assert ran.status_code == 200 and ran.json()["results"]["bindings"]
    assert '<form id="query-form" method="get"' in response.text


EXAMPLES = queries.examples()


def test_example_gallery_lists_every_example(live_server: LiveServer) -> None:
    text = html.unescape(page(live_server).text)
    for example in EXAMPLES:
        assert example.title in text


@pytest.mark.parametrize(
    ("header", "title", "description"),
    [
        ("# Question: Which laws?\nSELECT", "Which laws?", ""),
        (
            "# Question: Which laws?\n# Through GRAPH.\n# Twice.\nSELECT",
            "Which laws?",
            "Through GRAPH. Twice.",
        ),
    ],
)
def test_example_headers(header: str, title: str, description: str) -> None:
    example = queries.parse_example("x.rq", header)
    assert (example.title, example.description) == (title, description)


def test_an_example_without_a_question_line_is_refused() -> None:
    with pytest.raises(InputError, match=r"x\.rq:1"):
        queries.parse_example("x.rq", "SELECT * {} # Question: not a header")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_runs(each_store_server: LiveServer, example: queries.Example) -> None:
    response = requests.get(each_store_server.url + "/sparql", params={"query": example.sparql}, timeout=30)
    assert response.status_code == 200, response.text
    assert example.title, f"{example.name} has no '# Question:' line"


def test_results_render_without_javascript(live_server: LiveServer) -> None:
    response = page(live_server, query=OUR_CLASSES, format="html")
    assert response.status_code == 200
    assert "5 rows" in response.text
    parser = Links()
    parser.feed(response.text)
    namespaces = Namespaces()
    names = re.findall(
        r'<a href="([^"]+)"[^>]*>([^<]+)</a> <small class="curie">hkus:(\w+)</small>', response.text
    )
    assert len(names) == 5, "each class shows its label, linked, and its prefixed name"
    for href, label, local in names:
        assert href == namespaces.path_of(namespaces.hkus + local)
        assert not label.startswith("hkus:")
    downloads = [href for href, _ in parser.links if "format=" in href and "html" not in href]
    assert len(downloads) >= 4
    for href in downloads:
        got = requests.get(live_server.url + href, timeout=30)
        assert got.status_code == 200
        wanted = re.search(r"format=([^&]+)", href).group(1)
        assert requests.utils.unquote(wanted) in got.headers["Content-Type"]


def test_a_browser_accept_with_a_query_gets_the_table(live_server: LiveServer) -> None:
    response = page(live_server, query="ASK { ?c a owl:Class }")
    assert "yes (true)" in response.text


def test_literals_are_escaped(live_server: LiveServer) -> None:
    response = page(live_server, query='SELECT ("<script>alert(1)</script>" AS ?x) {}', format="html")
    assert "&lt;script&gt;alert(1)" in response.text
    assert "<script>alert(1)" not in response.text


def test_inference_switch_in_the_form(live_server: LiveServer) -> None:
    response = page(live_server, query=OUR_CLASSES, format="html", inference="false")
    assert response.status_code == 200


def test_truncation_is_said_on_the_page(limited_server: LiveServer) -> None:
    response = page(limited_server, query="SELECT * { ?s ?p ?o }", format="html")
    assert f"cut at {SMALL_ROW_CAP} rows" in response.text


def test_static_files_are_served(live_server: LiveServer) -> None:
    for name in ("sparql/query.js", "sparql/query.css"):
        assert requests.get(f"{live_server.url}/static/{name}", timeout=30).status_code == 200


def test_editor_files_come_from_this_server(live_server: LiveServer) -> None:
    response = page(live_server)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', response.text)
    scripts += re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.text)
    assert scripts
    for url in scripts:
        assert url.startswith("/"), f"{url} is not served by this site"
        assert requests.get(live_server.url + url, timeout=30).status_code == 200, url
    assert "/sparql/editor/codemirror.js" in scripts  # installed by `npm ci`
    missing = requests.get(live_server.url + "/sparql/editor/../../pyproject.toml", timeout=30)
    assert missing.status_code == 404
    assert requests.get(live_server.url + "/sparql/editor/other.js", timeout=30).status_code == 404


@pytest.mark.parametrize(
    ("query", "status", "said"),
    [
        ("SELECT * WHERE {\n  ?s ?p ?o }\nLIMT 3", 400, "3:"),
        ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400, "SERVICE"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", 400, "read-only"),
    ],
)
def test_a_failed_query_comes_back_in_the_editor(
    each_store_server: LiveServer, query: str, status: int, said: str
) -> None:
    response = page(each_store_server, query=query, format="html")
    assert response.status_code == status
    assert said in re.search(r'<pre class="error">(.*?)</pre>', response.text, re.S).group(1)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.text, re.S).group(1)
    assert html.unescape(textarea).strip() == query.strip()


def test_a_downloaded_answer_is_named_for_what_programs_open(client: FlaskClient) -> None:
    """Regression: the JSON download was saved as result.srj, which few programs open."""
    html = client.get(
        "/sparql",
        query_string={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "text/html"},
    ).get_data(as_text=True)
    names = set(re.findall(r'download="([^"]+)"', html))
    assert {"result.json", "result.xml", "result.csv", "result.tsv"} <= names
    assert not names & {"result.srj", "result.srx"}
