"""What an entity page adds to its statements: the status on a day the reader picks (from the
shared status queries), each source's passage (paragraphs, credit, quotation) instead of blank
citation nodes, what no source states, figures with their units, and how to cite the page."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
from flask.testing import FlaskClient

ID = "https://w3id.org/hkus/id/"


def html_of(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def status_shown(html: str) -> str | None:
    found = re.search(r'class="status-now">Status: <strong>([^<]+)</strong>', html)
    return found.group(1) if found else None


# On the small linked-data project -------------------------------------------------------------
def test_the_status_on_a_day_before_any_record_says_so(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html?on=2020-06-28")
    assert status_shown(html) is None
    assert "No source gives a status for it on or before 2020-06-28." in html
    assert status_shown(html_of(ld_client, "/id/export-ban.html?on=2020-06-29")) == "in force"


def test_the_status_without_a_day_is_the_latest_and_offers_a_date_control(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html")
    assert status_shown(html) == "in force"
    assert "as the sources leave it" in html
    assert '<input id="status-day" name="on" type="date"' in html
    assert '<span class="tag">latest</span>' in section(html, "status-h")


def test_a_day_that_is_not_a_date_is_a_clear_error(ld_client: FlaskClient) -> None:
    response = ld_client.get("/id/export-ban.json?on=June")
    assert response.status_code == 400
    assert response.get_json()["message"] == "parameter 'on': not a date as YYYY-MM-DD: 'June'"
    assert ld_client.get("/id/export-ban.json?on=2020-02-30").status_code == 400


def test_the_json_twin_gives_the_status_and_its_day(ld_client: FlaskClient) -> None:
    status = ld_client.get("/id/export-ban.json?on=2020-07-01").get_json()["status"]
    assert status["day"] == "2020-07-01" and status["asked"] is True
    assert status["now"]["status"] == "in force"
    assert status["now"]["since"] == "2020-06-30", "a record the sources date differently counts at each date"
    assert [step["date"] for step in status["history"]] == ["2020-06-29", "2020-06-30"]


def test_each_source_shows_its_passage_and_no_blank_citation_node_is_a_row(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html")
    sources = section(html, "sources-h")
    assert "¶ 2, 5" in sources and 'according to <a href="/id/pompeo">Mike Pompeo</a>' in sources
    assert "(anonymous node)" not in html
    assert ">citation</a>" not in html


def test_a_statement_row_carries_the_paragraph_and_the_words_of_its_source(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html")
    row = re.search(
        r'<tr class="">\s*<th scope="rowgroup"[^>]*>\s*<a[^>]*>said or reported about it.*?</tr>', html, re.S
    )
    assert row is not None
    assert "¶ 3" in row.group(0) and '<blockquote class="quote">We will act.</blockquote>' in row.group(0)


def test_the_rdf_twin_keeps_the_citation_of_each_source(ld_client: FlaskClient) -> None:
    body = ld_client.get("/id/export-ban.nq").get_data()
    dataset = ox.Dataset(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    paragraphs = {q.object.value for q in dataset if q.predicate.value.endswith("/paragraph")}
    assert paragraphs == {"2", "5"}
    graphs = {q.graph_name.value for q in dataset if q.predicate.value.endswith("/citation")}
    assert graphs == {"https://w3id.org/hkus/graph/source/report-a"}


def test_a_measure_without_a_legal_basis_says_no_source_states_one(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html")
    assert '<p class="not-stated">No source states a legal basis for this measure.</p>' in html
    assert 'class="not-stated"' not in html_of(ld_client, "/id/pompeo.html")


def test_cite_this_page_names_the_thing_and_the_build(ld_client: FlaskClient) -> None:
    version = ld_client.get("/cite.json").get_json()["version"]
    citation = ld_client.get("/id/export-ban.json").get_json()["citation"]
    assert citation["text"].startswith("“Ban on defence exports.” In ")
    assert f"version {version}" in citation["text"] and ID + "export-ban" in citation["text"]
    assert citation["bibtex"].startswith("@misc{hkus-export-ban,")
    (csl,) = json.loads(citation["cslJson"])
    assert csl["type"] == "dataset" and csl["version"] == version
    assert csl["URL"] == citation["permanent"] == f"http://localhost/v/{version}/id/export-ban"
    assert "Permanent address: " + citation["permanent"] in citation["text"]
    html = html_of(ld_client, "/id/export-ban.html")
    assert "Cite this page" in html and "@misc{hkus-export-ban," in html


# On the real graph ----------------------------------------------------------------------------
def test_the_national_security_law_was_approved_before_it_was_in_force(client: FlaskClient) -> None:
    law = "/id/hong-kong-national-security-law.html"
    assert status_shown(html_of(client, law + "?on=2020-06-15")) == "approved"
    assert status_shown(html_of(client, law + "?on=2020-06-30")) == "in force"
    history = section(html_of(client, law), "status-h")
    assert history.count("<tr") == 1 + 6  # the header, then every record with the dates its sources give
    assert "2020-05-28" in history and "2020-07-01" in history


def test_an_implied_status_shows_until_when_and_how_it_was_derived(client: FlaskClient) -> None:
    history = section(html_of(client, "/id/us-hk-prisoner-transfer-agreement.html"), "status-h")
    assert "until 2020-08-19" in history
    assert "Implied" in history
    shown = status_shown(html_of(client, "/id/us-hk-prisoner-transfer-agreement.html"))
    assert shown == "suspended or terminated"


def test_an_agreement_signed_and_never_changed_is_in_force_by_its_life_cycle(client: FlaskClient) -> None:
    html = html_of(client, "/id/sino-british-joint-declaration.html")
    assert status_shown(html) == "in force"
    assert "life cycle: signed, and not changed since" in html


def test_figures_show_their_currency_and_the_sources_that_disagree(client: FlaskClient) -> None:
    html = html_of(client, "/id/figure-us-exports-to-hong-kong-2018.html")
    conflicts = section(html, "conflicts-h")
    assert "US$37.3 bn" in conflicts and "US$12.8 bn" in conflicts
    assert "according to" in conflicts and "Office of the United States Trade Representative" in conflicts
    assert "(exactly 37300000000" in html


def test_legal_basis_is_said_missing_only_where_no_source_states_one(client: FlaskClient) -> None:
    missing = "No source states a legal basis for this measure."
    assert missing in html_of(client, "/id/measure-us-defence-export-ban.html")
    assert missing not in html_of(client, "/id/measure-us-hkaa-sanctions.html")


def test_a_page_answered_by_others_links_what_answered_it(client: FlaskClient) -> None:
    html = html_of(client, "/id/hong-kong-national-security-law.html")
    target = "https%3A//w3id.org/hkus/id/hong-kong-national-security-law"
    assert f'href="/responses?to={target}">What answered this</a>' in html


def test_no_page_shows_an_anonymous_node(client: FlaskClient) -> None:
    """Pages of people and bodies that sources credit, and of the consulate general whose relation
    to the embassy a source denies, showed citations and the denial as '(anonymous node)'."""
    for path in ("/id/mike-pompeo.html", "/id/ustr.html", "/id/us-consulate-general-hong-kong.html"):
        assert "(anonymous node)" not in html_of(client, path), path


def test_the_facts_a_source_credits_to_someone_are_on_their_page(client: FlaskClient) -> None:
    html = html_of(client, "/id/ustr.html")
    assert ">facts sources credit to it</a>" in html
    assert 'href="/id/figure-us-exports-to-hong-kong-2018"' in html
    assert "accordingTo" not in client.get("/id/ustr.ttl").get_data(as_text=True), "no triple is made up"


def test_what_a_source_denies_is_said_plainly(client: FlaskClient) -> None:
    denied = section(html_of(client, "/id/us-consulate-general-hong-kong.html"), "denied-h")
    assert "is <strong>not</strong> within organisation" in denied
    assert (
        'href="/id/us-embassy-beijing"' in denied
        and 'href="/source/hong-kong-united-states-relations"' in denied
    )


def test_a_page_on_a_day_advertises_its_twin_on_that_day(ld_client: FlaskClient) -> None:
    html = html_of(ld_client, "/id/export-ban.html?on=2020-07-01")
    assert '<link rel="alternate" type="application/json" href="/id/export-ban.json?on=2020-07-01"' in html
    assert '<link rel="alternate" type="text/turtle" href="/id/export-ban.ttl"' in html
