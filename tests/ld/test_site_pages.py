"""Site pages on the small linked-data project: each has a JSON twin it advertises, and each
leads to the entity pages."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

ID = "https://w3id.org/hkus/id/"
PAGES = ["/", "/search?q=pompeo", "/browse", "/timeline", "/conflicts", "/sources", "/cite"]


def twin_of(path: str) -> str:
    base, _, query = path.partition("?")
    twin = "/index.json" if base == "/" else f"{base}.json"
    return twin + (f"?{query}" if query else "")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_advertises_its_json_twin_and_the_twin_exists(ld_client: FlaskClient, path: str) -> None:
    response = ld_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    twin = twin_of(path)
    assert f'<link rel="alternate" type="application/json" href="{twin}"' in html
    assert 'rel="alternate"; type="application/json"' in response.headers["Link"]
    data = ld_client.get(twin)
    assert data.status_code == 200
    assert data.mimetype == "application/json"
    assert data.get_json()


def test_search_finds_alternative_names(ld_client: FlaskClient) -> None:
    results = ld_client.get("/search.json?q=Michael Richard").get_json()["results"]
    assert results[0]["iri"] == ID + "pompeo"
    assert results[0]["label"] == "Mike Pompeo"
    assert results[0]["url"] == "/id/pompeo"


def test_search_page_links_results(ld_client: FlaskClient) -> None:
    html = ld_client.get("/search?q=Pompeo").get_data(as_text=True)
    assert '<a href="/id/pompeo">Mike Pompeo</a>' in html


def test_search_term_is_escaped(ld_client: FlaskClient) -> None:
    html = ld_client.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_timeline_lists_events_in_order_and_filters_by_actor(ld_client: FlaskClient) -> None:
    events = ld_client.get("/timeline.json").get_json()["events"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert any(e["iri"] == ID + "ban-announced" and e["disputedDate"] for e in events)
    filtered = ld_client.get(f"/timeline.json?actor={ID}united-states").get_json()["events"]
    assert filtered == []
    by_pompeo = ld_client.get(f"/timeline.json?actor={ID}pompeo").get_json()["events"]
    assert [e["iri"] for e in by_pompeo] == [ID + "ban-announced"]


def test_sources_page_lists_every_fact_of_each_document(ld_client: FlaskClient) -> None:
    sources = ld_client.get("/sources.json").get_json()["sources"]
    by_title = {s["title"]: {f["iri"] for f in s["facts"]} for s in sources}
    assert by_title["Report A on export controls"] == {
        ID + "export-ban",
        ID + "ban-announced",
        ID + "pompeo-says",
    }


def test_browse_lists_members_of_a_class(ld_client: FlaskClient) -> None:
    data = ld_client.get("/browse.json?class=https://w3id.org/hkus/ontology/Agent").get_json()
    assert {m["iri"] for m in data["members"]} >= {ID + "pompeo", ID + "united-states"}


def test_browse_rejects_a_class_that_is_not_an_iri(ld_client: FlaskClient) -> None:
    response = ld_client.get("/browse.json?class=not an iri")
    assert response.status_code == 400
    assert "class" in response.get_json()["message"]


def test_home_leads_to_sources_and_classes(ld_client: FlaskClient) -> None:
    html = ld_client.get("/").get_data(as_text=True)
    assert 'href="/source/report-a"' in html
    assert 'href="/browse?class=https%3A//w3id.org/hkus/ontology/Measure"' in html
    assert 'href="/timeline"' in html and 'href="/sparql"' in html


def test_health_is_unchanged(ld_client: FlaskClient) -> None:
    assert ld_client.get("/health").get_json()["status"] == "ok"


def test_cite_page_lists_dumps_that_exist(ld_client: FlaskClient) -> None:
    data = ld_client.get("/cite.json").get_json()
    assert data["license"].startswith("https://creativecommons.org/")
    assert data["dumps"]
    first = data["dumps"][0]["url"]
    assert f'href="{first}"' in ld_client.get("/cite").get_data(as_text=True)
    assert ld_client.get(first).status_code == 200
