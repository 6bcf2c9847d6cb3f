"""JSON-LD is written compact, with an @context of the prefixes it uses, and holds the same
triples as N-Triples (regression: documents were expanded, a full IRI for every key)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

CONSTRUCT = quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 60")


@pytest.mark.parametrize(
    ("json_ld", "n_triples"),
    [
        ("/id/mike-pompeo.jsonld", "/id/mike-pompeo.nt"),
        ("/.well-known/void?format=jsonld", "/.well-known/void?format=nt"),
        (f"/sparql?query={CONSTRUCT}&format=jsonld", f"/sparql?query={CONSTRUCT}&format=nt"),
    ],
)
def test_json_ld_has_a_context_and_the_same_triples(
    client: FlaskClient, json_ld: str, n_triples: str
) -> None:
    compact, lines = client.get(json_ld), client.get(n_triples)
    assert compact.status_code == lines.status_code == 200, (compact.data[:200], lines.data[:200])
    document = json.loads(compact.data)
    assert document["@context"] and isinstance(document["@graph"], list)
    keys = {key for node in document["@graph"] for key in node if not key.startswith("@")}
    assert keys and not any(key.startswith(("http://", "https://")) for key in keys)
    parsed = set(ox.parse(compact.data, format=ox.RdfFormat.JSON_LD))
    expected = set(ox.parse(lines.data, format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(expected)
    assert {q for q in parsed if named(q)} == {q for q in expected if named(q)}  # blank nodes get new labels


def named(quad: ox.Quad) -> bool:
    return not isinstance(quad.subject, ox.BlankNode) and not isinstance(quad.object, ox.BlankNode)
