"""Our grammar reads every query the project asks and writes it back as text that means the same:
the engine gives the same answer to the written text as to the original, and the written text
reads back to itself."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgapp import queries
from kgapp.sparqlsyntax import parse_query, parse_update, write
from kgapp.store import KnowledgeStore

FOLDER = Path(queries.__file__).parent
# RDF 1.2 quoted triples are not SPARQL 1.1: the one file that uses them is never sent to a store.
NOT_SPARQL_11 = {"statement_annotations"}
PROJECT_QUERIES = sorted(str(p.relative_to(FOLDER).with_suffix("")) for p in FOLDER.rglob("*.rq"))
BASE = "http://example.org/sparql"

SAMPLES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "PREFIX ex: <http://e/> SELECT DISTINCT ?s (COUNT(*) AS ?n) WHERE { ?s a ex:C ; ex:p/ex:q* ?o . "
    "FILTER(?o != 'x'@en && ?o > 1) } GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY DESC(?n) ?s OFFSET 2",
    "SELECT ?x WHERE { { ?x ?p ?o } UNION { ?o ?p ?x } MINUS { ?x a ?c } OPTIONAL { ?x ?q [ ?r ( 1 2 ) ] } }",
    "ASK { VALUES (?a ?b) { (1 UNDEF) (<http://e/x> 'y') } BIND(?a + 1 AS ?c) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?s } }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://e/x> ?y WHERE { ?y ?p <http://e/x> }",
    "SELECT * { ?s !(^<http://e/p>|<http://e/q>) ?o . ?o (<http://e/a>|^<http://e/b>)+ ?z }",
    'SELECT (GROUP_CONCAT(DISTINCT ?o; SEPARATOR=", ") AS ?all) (STRLEN("a\\"b\\n") AS ?n) WHERE { ?s ?p ?o }',  # noqa: E501
    "SELECT ?x WHERE { ?x ?p ?o FILTER(?o IN (1, -2.5, 3e4) && ?o NOT IN (true)) } VALUES ?x { <http://e/1> }",  # noqa: E501
    "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } }",
    "BASE <http://e/base/> SELECT (IRI('rel') AS ?i) WHERE { <x> ?p ?o }",
]


def answer(result: object) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result)


@pytest.mark.parametrize("name", [n for n in PROJECT_QUERIES if n not in NOT_SPARQL_11])
def test_every_project_query_means_the_same_once_written_back(built_store: KnowledgeStore, name: str) -> None:
    text = queries.load(name)
    prefixes = built_store.namespaces.prefixes
    written = write(parse_query(text, prefixes, BASE))
    store = built_store.store  # type: ignore[attr-defined]
    original = store.query(text, prefixes=prefixes, base_iri=BASE)
    assert answer(store.query(written)) == answer(original)


def test_the_project_has_queries_to_compare() -> None:
    assert len(PROJECT_QUERIES) >= 60


@pytest.mark.parametrize("text", SAMPLES)
def test_written_text_reads_back_to_itself(text: str) -> None:
    written = write(parse_query(text, {}, BASE))
    assert write(parse_query(written)) == written


@pytest.mark.parametrize("text", SAMPLES)
def test_written_text_is_read_by_the_engine_as_the_original(text: str) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/x"), ox.NamedNode("http://e/p"), ox.Literal("1")))
    assert answer(store.query(write(parse_query(text, {}, BASE)))) == answer(store.query(text, base_iri=BASE))


UPDATES = [
    "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:p 'x' . GRAPH ex:g { ex:a ex:q [ ex:r 1 ] } }",
    "DELETE DATA { <http://e/a> <http://e/p> 'x' }",
    "WITH <http://e/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 'new' } USING <http://e/h> WHERE { ?s ?p ?o }",
    "DELETE WHERE { GRAPH <http://e/g> { ?s ?p ?o } }",
    "CLEAR SILENT GRAPH <http://e/g> ; DROP NAMED ; CREATE GRAPH <http://e/n> ; "
    "ADD DEFAULT TO GRAPH <http://e/g> ; MOVE GRAPH <http://e/g> TO DEFAULT ; COPY <http://e/a> TO <http://e/b>",
    "LOAD SILENT <http://e/doc> INTO GRAPH <http://e/g>",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_read_and_written_back(text: str) -> None:
    written = write(parse_update(text))
    assert write(parse_update(written)) == written
