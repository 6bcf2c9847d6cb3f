"""The entity page: provenance for every statement, conflicts side by side, inferred types
set apart, and every literal escaped."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_script_in_a_literal_renders_as_text(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/mischief.html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_markup_in_a_source_title_is_escaped_wherever_it_appears(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    assert "<em>sanctions</em>" not in html
    assert "Report B on &lt;em&gt;sanctions&lt;/em&gt;" in html


def test_a_fact_stated_by_two_sources_names_both(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    row = re.search(r"imposed by</a>.*?</tr>", html, re.S)
    assert row is not None
    assert 'href="/source/report-a"' in row.group(0)
    assert 'href="/source/report-b"' in row.group(0)


def test_disagreeing_sources_are_shown_side_by_side(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/ban-announced.html")
    section = html[html.index('id="conflicts-h"') : html.index("</section>", html.index('id="conflicts-h"'))]
    assert "2020-06-29" in section and "2020-06-30" in section
    assert 'href="/source/report-a"' in section and 'href="/source/report-b"' in section


def test_inferred_types_are_set_apart_from_asserted_ones(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    types = html[html.index('class="types"') : html.index("</p>", html.index('class="types"'))]
    asserted, _, inferred = types.partition("by inference")
    assert ">measure</a>" in asserted
    assert ">fact</a>" in inferred and ">fact</a>" not in asserted


def test_quotation_shown_with_the_fact_it_is_about(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    assert '<blockquote class="quote">We will act.</blockquote>' in html


def test_status_history_and_timeline(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    status = html[html.index('id="status-h"') :]
    assert "in force" in status[: status.index("</section>")]
    timeline = html[html.index('id="timeline-h"') :]
    assert 'href="/id/ban-announced"' in timeline[: timeline.index("</section>")]


def test_neighbourhood_picture_links_the_neighbours(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<a href="/id/united-states">' in svg
    assert "<title" in svg


def test_incoming_relations_read_from_the_things_side(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/pompeo.html")
    assert ">events it took part in</a>" in html and ">what it said</a>" in html
    assert 'href="/id/ban-announced"' in html
    assert "(of)" not in html


def test_properties_carry_their_definition_as_tooltip(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/export-ban.html")
    assert 'title="Who imposes a measure.">imposed by</a>' in html


def test_literal_language_and_datatype_are_technical_details(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/ban-announced.html")
    assert '<span class="tag technical" title="http://www.w3.org/2001/XMLSchema#date">date</span>' in html
    assert '<span class="tag technical" title="language">@en</span>' in html
    assert '<input type="checkbox" id="show-technical">' in html


def test_an_iri_with_a_script_scheme_is_never_a_link(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/id/mischief.html")
    assert "javascript:alert(document.cookie)" in html
    assert 'href="javascript:' not in html


def test_conflicts_page_shows_both_values_with_their_sources(ld_client: FlaskClient) -> None:
    found = ld_client.get("/conflicts.json").get_json()["conflicts"]
    dates = next(c for c in found if c["subject"].endswith("/ban-announced"))
    by_value = {v["value"]: v["sources"] for v in dates["values"]}
    assert by_value == {
        "2020-06-29": ["https://w3id.org/hkus/source/report-a"],
        "2020-06-30": ["https://w3id.org/hkus/source/report-b"],
    }
    html = ld_client.get("/conflicts").get_data(as_text=True)
    assert 'href="/id/ban-announced"' in html and "2020-06-30" in html


def test_a_class_page_links_its_members(ld_client: FlaskClient) -> None:
    html = page(ld_client, "/ontology/Measure.html")
    assert 'href="/browse?class=https%3A//w3id.org/hkus/ontology/Measure"' in html
