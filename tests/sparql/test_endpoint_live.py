"""The protocol against a live ``kgapp serve`` on the real project: formats, negotiation,
request forms, errors, HEAD/OPTIONS/CORS, size caps and dataset semantics."""

from __future__ import annotations

import pytest
import requests
from rdflib.compare import isomorphic

from tests.conftest import LiveServer
from tests.sparql.parsing import GRAPH_SYNTAX, RESULT_SYNTAX, media_type, parse_graph, parse_results

pytestmark = pytest.mark.server

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (isIRI(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 25"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH kgg:ontology { ?s ?p ?o } } LIMIT 40"
ASK = "ASK { ?s a owl:Class }"


def get(server: LiveServer, query: str, accept: str | None = None, **params: str) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(
        server.url + "/sparql", params={"query": query, **params}, headers=headers, timeout=30
    )


def rows(server: LiveServer, query: str, **params: str) -> list[dict[str, str]]:
    response = get(server, query, "application/sparql-results+json", **params)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


@pytest.mark.parametrize("accept", sorted(RESULT_SYNTAX))
def test_select_in_every_result_format(each_store_server: LiveServer, accept: str) -> None:
    response = get(each_store_server, SELECT, accept)
    assert response.status_code == 200
    assert media_type(response.headers["Content-Type"]) == accept
    result = parse_results(response.content, response.headers["Content-Type"])
    expected = rows(each_store_server, SELECT)
    assert len(expected) == 25
    assert [{str(k): str(v) for k, v in r.asdict().items()} for r in result] == expected


@pytest.mark.parametrize("accept", sorted(GRAPH_SYNTAX))
def test_construct_in_every_rdf_format(each_store_server: LiveServer, accept: str) -> None:
    response = get(each_store_server, CONSTRUCT, accept)
    assert response.status_code == 200
    assert media_type(response.headers["Content-Type"]) == accept
    graph = parse_graph(response.content, response.headers["Content-Type"])
    reference = parse_graph(
        get(each_store_server, CONSTRUCT, "application/n-triples").content, "application/n-triples"
    )
    assert len(graph) == 40
    assert isomorphic(graph, reference)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(each_store_server: LiveServer, accept: str) -> None:
    response = get(each_store_server, ASK, accept)
    assert response.status_code == 200
    assert parse_results(response.content, response.headers["Content-Type"]).askAnswer is True


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT, None, "application/sparql-results+json"),
        (SELECT, "*/*", "application/sparql-results+json"),
        (ASK, None, "application/sparql-results+json"),
        (CONSTRUCT, None, "text/turtle"),
        (CONSTRUCT, "*/*", "text/turtle"),
        (CONSTRUCT, "text/turtle", "text/turtle"),  # Comunica
        (CONSTRUCT, "application/json", "application/json"),
        (SELECT, "application/json", "application/json"),
        (SELECT, "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_default_and_negotiated_type(
    live_server: LiveServer, query: str, accept: str | None, expected: str
) -> None:
    response = get(live_server, query, accept)
    assert response.status_code == 200
    assert media_type(response.headers["Content-Type"]) == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT, "text/turtle"), (ASK, "text/csv"), (CONSTRUCT, "text/csv"), (SELECT, "image/png")],
)
def test_nothing_acceptable_is_406_and_never_a_wrong_type(
    live_server: LiveServer, query: str, accept: str
) -> None:
    response = get(live_server, query, accept)
    assert response.status_code == 406
    assert media_type(response.headers["Content-Type"]) == "application/json"
    assert response.json()["available"]


@pytest.mark.parametrize(
    ("query", "format_name", "expected"),
    [
        (SELECT, "json", "application/sparql-results+json"),
        (SELECT, "xml", "application/sparql-results+xml"),
        (SELECT, "csv", "text/csv"),
        (SELECT, "tsv", "text/tab-separated-values"),
        (SELECT, "text/csv", "text/csv"),
        (CONSTRUCT, "turtle", "text/turtle"),
        (CONSTRUCT, "json-ld", "application/ld+json"),
        (CONSTRUCT, "xml", "application/rdf+xml"),
        (CONSTRUCT, "nt", "application/n-triples"),
        (CONSTRUCT, "trig", "application/trig"),
    ],
)
def test_format_parameter_wins_over_accept(
    live_server: LiveServer, query: str, format_name: str, expected: str
) -> None:
    response = get(live_server, query, "application/sparql-results+json", format=format_name)
    assert response.status_code == 200
    assert media_type(response.headers["Content-Type"]) == expected


def test_format_that_cannot_be_produced_is_406(live_server: LiveServer) -> None:
    assert get(live_server, CONSTRUCT, format="csv").status_code == 406
    assert get(live_server, SELECT, format="bogus").status_code == 406


def test_post_form_and_post_direct(live_server: LiveServer) -> None:
    expected = rows(live_server, SELECT)
    form = requests.post(live_server.url + "/sparql", data={"query": SELECT}, timeout=30)
    assert form.status_code == 200
    direct = requests.post(
        live_server.url + "/sparql",
        data=SELECT.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query;charset=utf-8",  # Jena
            "Upgrade": "h2c",
            "Connection": "Upgrade, HTTP2-Settings",
            "HTTP2-Settings": "AAMAAABkAAQAoAAAAAIAAAAA",
            "Accept": "application/sparql-results+json",
        },
        timeout=30,
    )
    assert direct.status_code == 200
    for response in (form, direct):
        got = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
        assert got == expected


def test_sparqlwrapper_style_parameters(live_server: LiveServer) -> None:
    response = get(live_server, SELECT, None, format="json", output="json", results="json")
    assert media_type(response.headers["Content-Type"]) == "application/sparql-results+json"


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("POST", {"data": {"default-graph-uri": "http://ex/g"}}, 400),
        ("POST", {"data": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", {"data": b"ASK {}"}, 415),
        (
            "POST",
            {
                "data": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
        ),
        ("POST", {"data": b"ASK {\xff}", "headers": {"Content-Type": "application/sparql-query"}}, 400),
        (
            "POST",
            {
                "data": b"INSERT DATA { <http://a> <http://b> <http://c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            400,
        ),
        ("POST", {"data": {"update": "CLEAR ALL"}}, 400),
        ("PUT", {"params": {"query": "ASK {}"}}, 405),
        ("DELETE", {}, 405),
        ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
        ("GET", {"params": {"query": "ASK {}", "timeout": "soon"}}, 400),
        ("GET", {"params": {"query": "ASK {}", "inference": "maybe"}}, 400),
    ],
)
def test_bad_requests(live_server: LiveServer, method: str, kwargs: dict, status: int) -> None:
    response = requests.request(method, live_server.url + "/sparql", timeout=30, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["message"]
    assert "Traceback" not in response.text


def test_syntax_error_names_the_position(each_store_server: LiveServer) -> None:
    response = get(each_store_server, "SELECT * WHERE {\n  ?s ?p ?o }\nLIMT 3")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Malformed query"
    assert body["line"] == 3
    assert f"3:{body['column']}" in body["message"]
    assert "expected" in body["message"]


def test_syntax_error_is_a_page_for_browsers(live_server: LiveServer) -> None:
    response = get(live_server, "ASK {", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 400
    assert media_type(response.headers["Content-Type"]) == "text/html"
    assert "1:6" in response.text


def test_head_and_options(live_server: LiveServer) -> None:
    head = requests.head(live_server.url + "/sparql", params={"query": SELECT}, timeout=30)
    assert head.status_code == 200
    assert media_type(head.headers["Content-Type"]) == "application/sparql-results+json"
    assert head.content == b""
    options = requests.options(
        live_server.url + "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert options.status_code == 200
    assert {"GET", "POST"} <= {m.strip() for m in options.headers["Allow"].split(",")}
    assert options.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in options.headers["Access-Control-Allow-Methods"]
    assert "content-type" in options.headers["Access-Control-Allow-Headers"].lower()


def test_cors_on_reads(live_server: LiveServer) -> None:
    response = requests.get(
        live_server.url + "/sparql",
        params={"query": ASK},
        headers={"Origin": "https://yasgui.example"},
        timeout=30,
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_oversized_request_is_413(live_server: LiveServer) -> None:
    padding = "#" + "x" * 1_100_000 + "\nASK {}"
    response = requests.post(
        live_server.url + "/sparql",
        data=padding.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413


def test_timing_and_row_count_headers(live_server: LiveServer) -> None:
    response = get(live_server, SELECT)
    assert response.headers["X-SPARQL-Rows"] == "25"
    assert response.headers["Server-Timing"].startswith("query;dur=")
    assert "X-SPARQL-Truncated" not in response.headers


def test_inferred_triples_are_in_the_default_graph_unless_switched_off(
    each_store_server: LiveServer,
) -> None:
    only_inferred = rows(
        each_store_server,
        """SELECT ?s ?p ?o WHERE {
             GRAPH kgg:inferred { ?s ?p ?o }
             FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } FILTER (?g != kgg:inferred) }
             FILTER (isIRI(?s) && isIRI(?o))
           } LIMIT 1""",
    )
    assert only_inferred, "the build has no inferred triple of its own"
    triple = only_inferred[0]
    ask = f"ASK {{ <{triple['s']}> <{triple['p']}> <{triple['o']}> }}"
    assert get(each_store_server, ask).json()["boolean"] is True
    assert get(each_store_server, ask, inference="false").json()["boolean"] is False
    graph_ask = f"ASK {{ GRAPH kgg:inferred {{ <{triple['s']}> <{triple['p']}> <{triple['o']}> }} }}"
    assert get(each_store_server, graph_ask, inference="false").json()["boolean"] is True


def test_shapes_are_reachable_only_by_name(each_store_server: LiveServer) -> None:
    in_shapes = "ASK { GRAPH kgg:shapes { ?s ?p ?o } }"
    assert get(each_store_server, in_shapes).json()["boolean"] is True
    leaked = rows(
        each_store_server,
        """SELECT ?s WHERE { GRAPH kgg:shapes { ?s ?p ?o }
             FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } FILTER (?g != kgg:shapes) } } LIMIT 1""",
    )
    assert leaked
    [shape] = leaked
    assert get(each_store_server, f"ASK {{ <{shape['s']}> ?p ?o }}").json()["boolean"] is False


def test_default_graph_uri_restricts_the_default_graph(each_store_server: LiveServer) -> None:
    ontology_only = rows(
        each_store_server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        **{"default-graph-uri": "https://w3id.org/hkus/graph/ontology"},
    )
    direct = rows(each_store_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:ontology { ?s ?p ?o } }")
    assert ontology_only == direct
    assert int(direct[0]["n"]) > 0


def test_a_triple_stated_by_several_sources_is_one_triple_of_the_default_graph(
    each_store_server: LiveServer,
) -> None:
    shared = rows(
        each_store_server,
        """SELECT ?s ?p ?o WHERE {
             GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o }
             FILTER (STR(?g1) < STR(?g2) && isIRI(?s) && isIRI(?o))
           } LIMIT 1""",
    )
    assert shared, "no triple is stated in two graphs"
    triple = shared[0]
    pattern = f"<{triple['s']}> <{triple['p']}> <{triple['o']}>"
    for inference in ("true", "false"):
        found = rows(each_store_server, f"SELECT * WHERE {{ {pattern} }}", inference=inference)
        assert len(found) == 1, inference
    total = rows(each_store_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    distinct = rows(
        each_store_server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    assert total == distinct


def test_graph_lists_only_the_dataset_graphs(each_store_server: LiveServer) -> None:
    names = {r["g"] for r in rows(each_store_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
    assert all(name.startswith("https://w3id.org/hkus/graph/") for name in names), names
