"""The lexical scan that classifies queries and refuses SERVICE and updates before anything runs."""

from __future__ import annotations

import pytest

from kgapp.errors import QueryRefused
from kgapp.querytext import analyse, keywords


@pytest.mark.parametrize(
    ("query", "form", "has_from", "has_from_named"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False, False),
        ("PREFIX ex: <http://ex/> BASE <http://b/> ask { ex:a ex:b ex:c }", "ASK", False, False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False),
        ("DESCRIBE <http://ex/a>", "DESCRIBE", False, False),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "SELECT", True, False),
        ("SELECT * FROM NAMED <http://ex/g> { GRAPH ?g { ?s ?p ?o } }", "SELECT", False, True),
        ("# SELECT\nSELECT ?from WHERE { ?s <http://ex/from> ?from }", "SELECT", False, False),
        ("PREFIX ex: <http://ex/> SELECT * FROMex:g { ?s ?p ?o }", "SELECT", True, False),
        ("PREFIX ex: <http://ex/> SELECT * FROM NAMEDex:g { ?s ?p ?o }", "SELECT", False, True),
        ("SELECT * FROM<http://ex/a> FROM NAMED<http://ex/b> {}", "SELECT", True, True),
        ('SELECT * { ?s ?p "FROM <x>" }', "SELECT", False, False),
        ("ASK {", "ASK", False, False),
        ("", "", False, False),
    ],
)
def test_shape(query: str, form: str, has_from: bool, has_from_named: bool) -> None:
    shape = analyse(query)
    assert (shape.form, shape.has_from, shape.has_from_named) == (form, has_from, has_from_named)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { OPTIONAL { SERVICE<http://x/>{?s ?p ?o} } }",
        r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "PREFIX s: <http://x/>\nSELECT * {\n  SERVICE s:e { ?s ?p ?o }\n}",
        "SELECT * { ?s ?p 1.SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p 1.5e3.SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o.SERVICE <http://x/> { ?s ?p ?o } }",
        'SELECT * { ?s ?p "x"@en.SERVICE <http://x/> { ?s ?p ?o } }',
        "PREFIX ex: <http://x/> SELECT * { SERVICEex:e { ?s ?p ?o } }",
        "PREFIX ex: <http://x/> SELECT * { SERVICE SILENTex:e { ?s ?p ?o } }",
        "PREFIX : <http://x/> SELECT * { service:e { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        analyse(query)


@pytest.mark.parametrize(
    "query",
    [
        "LOAD <file:///etc/passwd>",
        "LOAD <http://example.org/data.ttl> INTO GRAPH <http://ex/g>",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX ex: <http://ex/> DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <http://ex/g>",
        "CREATE GRAPH <http://ex/g>",
        "WITH <http://ex/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ADD <http://a> TO <http://b>",
        "COPY DEFAULT TO <http://b>",
        "MOVE DEFAULT TO <http://b>",
    ],
)
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        analyse(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE" }',
        "SELECT * { ?s ?p '''\nSERVICE <x> {}\n''' }",
        "SELECT ?service { ?s <http://ex/SERVICE> ?service }",
        "PREFIX svc: <http://ex/> SELECT * { ?s svc:service ?o . ?s :SERVICE ?o }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
        'SELECT * { ?s ?p "x"@service }',
        "SELECT * { _:service ?p ?o }",
        "PREFIX ex: <http://ex/> SELECT * { ?s ex:a.SERVICE ?o }",
    ],
)
def test_service_in_names_strings_and_comments_is_not_refused(query: str) -> None:
    assert analyse(query).form == "SELECT"


def test_keywords_skip_iris_but_not_comparisons() -> None:
    assert keywords("SELECT * { ?a ?b ?c FILTER(?a<?b && ?b > 2) }") == ["SELECT", "FILTER"]
