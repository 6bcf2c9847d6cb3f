"""What crawlers and linked-data clients are told: robots.txt, a sitemap of every entity page
(split as the protocol asks), and a dataset IRI that does not depend on the host asked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient

from kgapp.site import crawling

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client: FlaskClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [element.text or "" for element in ET.fromstring(response.data).iter(SITEMAP + "loc")]


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_the_endpoint(client: FlaskClient) -> None:
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert {"Disallow: /sparql", "Disallow: /search", "Disallow: /v/"} <= set(lines)


def test_the_sitemap_lists_every_entity_page(client: FlaskClient) -> None:
    pages = locations(client, "/sitemap.xml")
    assert "http://localhost/id/mike-pompeo" in pages and "http://localhost/id/hong-kong" in pages
    assert len(pages) == len(set(pages)) > 500
    assert all(
        client.get(page.removeprefix("http://localhost")).status_code in {200, 303} for page in pages[:40]
    )


def test_a_sitemap_of_more_pages_than_one_file_holds_is_an_index_of_parts(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = locations(client, "/sitemap.xml")
    monkeypatch.setattr(crawling, "SITEMAP_LIMIT", 100)
    parts = locations(client, "/sitemap.xml")
    assert parts[0] == "http://localhost/sitemap-1.xml" and len(parts) == -(-len(whole) // 100)
    found = [page for part in parts for page in locations(client, part.removeprefix("http://localhost"))]
    assert found == whole
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404


def test_the_void_dataset_iri_is_the_same_on_every_host(client: FlaskClient) -> None:
    described = [
        client.get("/.well-known/void", headers={"Accept": "application/n-triples", "Host": host}).get_data(
            as_text=True
        )
        for host in ("one.example", "other.example:8080")
    ]
    dataset = (
        "<https://w3id.org/hkus/dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://rdfs.org/ns/void#Dataset> ."
    )
    assert all(dataset in text for text in described)
    seen = client.get("/dataset")
    assert seen.status_code == 303 and seen.headers["Location"].endswith("/.well-known/void")
