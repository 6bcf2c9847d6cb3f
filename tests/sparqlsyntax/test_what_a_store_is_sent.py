"""A store is sent only text our grammar wrote: no lexical trick in what a reader sends can reach
it unparsed (issue: a Virtuoso backend let readers reach bif:, sql: and DEFINE through a
language tag read as PREFIX, a token glued to a digit, and a carriage return ending a comment
for us but not for the store)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.dataset import GraphSelection
from kgapp.errors import KGError, QueryRefused, QuerySyntaxError
from kgapp.remote.protocol import prepare, rejection
from kgapp.remote.wire import Deadline, StoreTimeout
from kgapp.sparqlsyntax import parse_query, write
from kgapp.sparqlsyntax.lexer import tokenize

PREFIXES = {"ex": "http://example.org/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
SKOLEM = "https://w3id.org/hkus/.well-known/genid/"


def sent(query: str) -> str:
    return prepare(query, PREFIXES, GraphSelection(), "urn:empty", "http://example.org/sparql",
                   skolem_prefix=SKOLEM).text  # fmt: skip


# What an attacker sent, or would: each is refused, or reaches the store as our own text.
ATTACKS = {
    "language tag read as PREFIX": 'SELECT ?v WHERE { BIND(""@PREFIX bif:<bif:> AS ?x) BIND(bif:sys_stat("st_dbms_ver") AS ?v) }',  # noqa: E501
    "language tag before a store prefix": 'SELECT * WHERE { ?s ?p ""@PREFIX . FILTER(bif:delay(5)) }',
    "token glued to a digit": "SELECT (1-bif:delay(10) AS ?x) WHERE {}",
    "glued number and name": "SELECT * WHERE { ?s ?p 1.e5bif:x }",
    "carriage return ending a comment": "#\r'''\nDEFINE input:storage \"\" SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } #'''\nSELECT * WHERE {}",  # noqa: E501
    "carriage return then a long string": "SELECT * WHERE { ?s ?p ?o } #\r'''\nDEFINE sql:signal-void-variables 1\n'''",  # noqa: E501
    "DEFINE pragma": 'DEFINE input:inference "x" SELECT * WHERE { ?s ?p ?o }',
    "declared store prefix": "PREFIX b: <bif:> SELECT (b:cfg_item_value('virtuoso.ini', 'Parameters', 'ServerPort') AS ?x) {}",  # noqa: E501
    "sql scheme": "SELECT * WHERE { ?s <sql:x> ?o }",
    "escaped colon in a function IRI": "SELECT (<bif\\u003Ahttp_get>('http://127.0.0.1/') AS ?x) {}",
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "update": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "an extension function by IRI": "SELECT (<http://www.openlinksw.com/schemas/bif#delay>(5) AS ?x) {}",
}


@pytest.mark.parametrize("query", ATTACKS.values(), ids=ATTACKS.keys())
def test_an_attack_is_refused_or_sent_as_our_own_text(query: str) -> None:
    try:
        text = sent(query)
    except (QueryRefused, QuerySyntaxError):
        return
    assert_our_own_text(text)


def assert_our_own_text(text: str) -> None:
    """What the store is sent: one line, no comment, no prologue but a base, no store
    extension, and text that reads back to itself."""
    assert "\n" not in text and "\r" not in text
    outside = re.sub(r'"(?:[^"\\]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>', " ", text)
    assert "#" not in outside and "'" not in outside
    assert not re.search(r"\b(DEFINE|PREFIX|SERVICE|bif|sql)\b", outside, re.IGNORECASE)
    assert not re.search(r"<(bif|sql|virtrdf|nodeid):", text, re.IGNORECASE)
    assert write(parse_query(text)) == text


FRAGMENTS = st.sampled_from(
    [
        "SELECT", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")", ".", ";", ",", "FILTER", "BIND",
        "AS", "?x", "#", "\r", "\n", "'''", '"""', "'", '"', "\\", "\\u0023", "\\u003A", "@", "@PREFIX",
        "PREFIX", "bif:", "bif:delay(1)", "sql:", "DEFINE", "1", "1-", "-1", ".5", "e5", "<", ">",
        "<http://e/x>", "ex:a", "ex:", ":", "_:b", "[]", "[", "]", "a", "||", "&&", "!", "^^", "SERVICE",
        "INSERT", "DATA", "GRAPH", "VALUES", "UNDEF", "isBlank(?o)", "STR(", "true", " ", "\t",
    ]
)  # fmt: skip


@given(st.lists(FRAGMENTS, max_size=40).map("".join))
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_whatever_a_reader_writes_the_store_gets_our_text_or_nothing(query: str) -> None:
    try:
        text = sent(query)
    except KGError:
        return
    assert_our_own_text(text)
    assert len(text) <= 3 * len(query) + 400


def test_a_test_on_blank_nodes_inside_another_is_refused_not_multiplied() -> None:
    """The rewrite that keeps blank nodes answering as blank nodes copied each argument twice per
    level: a 1 MB query cost 2 GB. Now an argument is written at most three times, and a test
    inside another's argument is refused: what is sent grows as the query does."""
    nested = "SELECT * WHERE { ?s ?p ?o FILTER(isBlank(IF(isIRI(?o), ?o, ?s))) }"
    with pytest.raises(QueryRefused, match="inside the argument"):
        sent(nested)

    def flat(tests: int) -> str:  # IN keeps its list flat: no chain of plan levels
        return "SELECT * WHERE { ?s ?p ?o FILTER(true IN (" + ", ".join(["isBlank(?o)"] * tests) + ")) }"

    small, large = len(sent(flat(1000))), len(sent(flat(10_000)))
    assert large <= 10.1 * small
    assert large <= 12 * len(flat(10_000))


def test_reading_a_long_query_stops_at_the_deadline() -> None:
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(str(i) for i in range(50_000)) + ")) }"
    with pytest.raises(StoreTimeout):
        prepare(query, PREFIXES, GraphSelection(), "urn:empty", deadline=Deadline(0))


def test_the_number_of_tokens_read_is_linear_in_the_length() -> None:
    for size in (1_000, 10_000, 100_000):
        query = "SELECT * WHERE { " + "?s ?p ?o . " * size + "}"
        assert len(tokenize(query)) == 4 * size + 6


@pytest.mark.parametrize("depth", [50, 100, 1000, 100_000])
def test_deep_nesting_is_refused_never_a_crash(depth: int) -> None:
    query = "SELECT * WHERE { BIND(" + "(" * depth + "1" + ")" * depth + " AS ?x) }"
    try:
        sent(query)
    except QueryRefused as refused:
        assert "nests brackets" in refused.message


def test_what_a_store_says_when_it_refuses_leaves_out_its_internals() -> None:
    virtuoso = (
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: Undefined namespace prefix at 'x' "
        "SPARQL query: define sql:big-data-const 0 #output-format:application/sparql-results+json "
        "define input:default-graph-uri <https://w3id.org/hkus/graph/default> SELECT * WHERE { ?s ?p ?o }"
    )
    said = rejection(virtuoso)
    assert "Undefined namespace prefix" in said
    assert not re.search(r"\bdefine\b", said) and "default-graph-uri" not in said and "SELECT" not in said
    assert "http://" not in rejection("failed at http://10.0.0.5:8890/sparql-auth because")
