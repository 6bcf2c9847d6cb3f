"""Regression: ``/sparql?format=nt`` answered ``application/n-quads``: the service description's
own format table was read backwards, so the last of two types sharing a serializer won."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("nt", "application/n-triples"),
        ("ntriples", "application/n-triples"),
        ("nq", "application/n-quads"),
        ("turtle", "text/turtle"),
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("trig", "application/trig"),
    ],
)
def test_each_format_name_answers_its_own_media_type(
    ld_client: FlaskClient, name: str, media_type: str
) -> None:
    for path in ("/sparql", "/.well-known/void"):
        response = ld_client.get(path, query_string={"format": name})
        assert response.status_code == 200
        assert response.mimetype == media_type, (path, name)
