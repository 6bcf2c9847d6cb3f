"""Reading a query text before it runs: refusals that do not depend on a grammar of our own
(SERVICE anywhere, updates, nesting), dataset hints, and a scan linear in the text's length."""

from __future__ import annotations

import time

import pytest

from kgapp.errors import QueryRefused
from kgapp.querytext import MAX_NESTING, dataset_clauses, keywords, read, refuse, shape


@pytest.mark.parametrize(
    ("query", "has_from", "has_from_named"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False, False),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", True, False),
        ("SELECT * FROM NAMED <http://ex/g> { GRAPH ?g { ?s ?p ?o } }", False, True),
        ("# SELECT FROM\nSELECT ?from WHERE { ?s <http://ex/from> ?from }", False, False),
        ("PREFIX ex: <http://ex/> SELECT * FROMex:g { ?s ?p ?o }", True, False),
        ("PREFIX ex: <http://ex/> SELECT * FROM NAMEDex:g { ?s ?p ?o }", False, True),
        ("SELECT * FROM<http://ex/a> FROM NAMED<http://ex/b> {}", True, True),
        ('SELECT * { ?s ?p "FROM <x>" }', False, False),
        ("", False, False),
    ],
)
def test_dataset_clauses(query: str, has_from: bool, has_from_named: bool) -> None:
    assert dataset_clauses(query) == (has_from, has_from_named)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { OPTIONAL { SERVICE<http://x/>{?s ?p ?o} } }",
        r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }",
        r"SELECT * { \U00000053\U00000045RVICE <http://x/> { ?s ?p ?o } }",
        "PREFIX s: <http://x/>\nSELECT * {\n  SERVICE s:e { ?s ?p ?o }\n}",
        "SELECT * { ?s ?p 1.SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o .SERVICEc:x { ?s ?p ?o } }",
        "PREFIX ex: <http://x/> SELECT * { SERVICEex:e { ?s ?p ?o } }",
        # The lexical bypasses of a grammar of our own: a comment the scan misreads, an escape
        # inside a prefixed name, '<' as less-than opening what looks like an IRI.
        "SELECT * { ?s ?p ?o FILTER(?s<?o)SERVICE#>\n<http://x/> { ?s ?p ?o } }",
        r"PREFIX ex: <http://x/> SELECT * { ?s ex:a\.b ?o . SERVICE <http://x/> {} }",
        "SELECT * { ?a ?b ?c FILTER(?a<3) SERVICE <http://x/> {} }",
    ],
)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        refuse(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
        "SELECT ?service { ?s <http://ex/SERVICE> ?service }",
    ],
)
def test_the_word_in_a_string_or_comment_is_refused_too_and_the_message_says_so(query: str) -> None:
    with pytest.raises(QueryRefused, match="in a comment or a string too"):
        refuse(query)


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
        refuse(query)


def test_nesting_deeper_than_the_engine_parses_is_refused() -> None:
    refuse("SELECT (" + "(" * (MAX_NESTING - 1) + "1" + ")" * (MAX_NESTING - 1) + " AS ?x) {}")
    with pytest.raises(QueryRefused, match="nests brackets"):
        refuse("SELECT (" + "(" * 10_000 + "1" + ")" * 10_000 + " AS ?x) {}")
    refuse("SELECT * { " + "{" * 50 + "?s ?p ?o" + "}" * 50 + " }")


def test_keywords_skip_iris_but_not_comparisons() -> None:
    assert keywords("SELECT * { ?a ?b ?c FILTER(?a<?b && ?b > 2) }") == ["SELECT", "FILTER"]


def test_graph_hint_is_conservative() -> None:
    assert shape("SELECT * { GRAPH ?g { ?s ?p ?o } }").may_use_graph
    assert shape(r"SELECT * { \u0047RAPH ?g { ?s ?p ?o } }").may_use_graph
    assert shape("SELECT * { GRAPH?g { ?s ?p ?o } }").may_use_graph
    assert not shape("SELECT * { ?s ?p ?o }").may_use_graph


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://e/> ASK { ?s ?p ?o }", "ASK"),
        ("construct where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/x>", "DESCRIBE"),
        ("# a comment saying ASK\nSELECT * {}", "SELECT"),
        ("BASE <http://e/> SELECT * {}", "SELECT"),
    ],
)
def test_the_form_is_read_with_the_rest_in_one_pass(query: str, form: str) -> None:
    assert read(query).form == form


@pytest.mark.parametrize("character", [".", "-", "%", "\\", "'", '"', "<", "#"])
def test_reading_a_long_run_of_one_character_takes_linear_time(character: str) -> None:
    """Regression: the old scan was quadratic on runs of '.', '-', '%' and '\\' (80 KB: 35 s)."""
    text = "SELECT * {} " + character * 400_000
    started = time.perf_counter()
    refuse(text)
    dataset_clauses(text)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * { ?s a sd:Service }",
        "PREFIX schema: <https://schema.org/> SELECT * { ?s schema:serviceType ?t }",
    ],
)
def test_a_prefixed_name_holding_the_letters_is_not_the_operator(query: str) -> None:
    refuse(query)
