"""Links to the rest of the web are exactly the confirmed ones listed in docs/links.md: every web
address, Wikipedia article and DBpedia or Wikidata resource in the graph is on the list, and every
listed link is in the graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import FOAF, OWL, SKOS

from kgapp.loader import load_project
from kgapp.namespaces import Namespaces

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LINKS_DOC = PROJECT_ROOT / "docs" / "links.md"
NS = Namespaces()
HKUS = Namespace(NS.hkus)  # rdflib terms, for the rdflib graphs these tests read
LINK_PROPERTIES = (HKUS.url, FOAF.isPrimaryTopicOf, SKOS.exactMatch, OWL.sameAs)
ROW = re.compile(r"^\| `(?P<prefix>id|src):(?P<local>[^`]+)` \| <(?P<link>[^>]+)> \|", re.MULTILINE)


def listed_links() -> set[tuple[str, str]]:
    namespaces = {"id": str(NS.entity), "src": str(NS.source)}
    rows = ROW.finditer(LINKS_DOC.read_text(encoding="utf-8"))
    return {(namespaces[m["prefix"]] + m["local"], m["link"]) for m in rows}


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_project(PROJECT_ROOT, Namespaces()).data()


def graph_links(data: Graph) -> set[tuple[str, str]]:
    return {
        (str(s), str(o))
        for p in LINK_PROPERTIES
        for s, o in data.subject_objects(p)
        if isinstance(o, URIRef) and not NS.is_ours(str(o))
    }


def test_the_list_of_confirmed_links_is_not_empty() -> None:
    assert len(listed_links()) >= 10


def test_every_link_in_the_graph_is_on_the_confirmed_list(data: Graph) -> None:
    unconfirmed = graph_links(data) - listed_links()
    assert unconfirmed == set(), "add each to docs/links.md with how a public copy confirmed it, or remove it"


def test_every_confirmed_link_is_in_the_graph(data: Graph) -> None:
    assert listed_links() - graph_links(data) == set()


def test_every_source_document_gives_its_web_address(data: Graph) -> None:
    documents = set(data.subjects(None, HKUS.SourceDocument))
    assert documents, "no source documents found"
    assert {d for d in documents if (d, HKUS.url, None) not in data} == set()


WIKIDATA_ROW = re.compile(
    r"^\| `id:[^`]+` \| <(?P<link>http://www\.wikidata\.org/entity/[^>]+)> \| (?P<how>[^|]+) \|$", re.M
)


def test_wikidata_links_are_entity_iris_and_each_row_names_the_copy_that_confirmed_it(data: Graph) -> None:
    in_graph = {o for _, o in graph_links(data) if "wikidata.org" in o}
    assert in_graph, "the main people are linked to Wikidata"
    assert all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*", link) for link in in_graph)
    rows = {m["link"]: m["how"] for m in WIKIDATA_ROW.finditer(LINKS_DOC.read_text(encoding="utf-8"))}
    assert set(rows) == in_graph
    assert all("wikidata: Q" in how and ("snapshot" in how or "same" in how) for how in rows.values())
