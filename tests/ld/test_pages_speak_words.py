"""A page names the standard vocabulary's terms in words and leaves OWL's bookkeeping out
(regression: a concept's type line read "owl:NamedIndividual skos:Concept", and its statements
"rdfs:label", "skos:broader")."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def visible_text(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    html = re.sub(r'<span class="technical[^"]*">.*?</span>', " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_concept_page_reads_in_words(client: FlaskClient) -> None:
    text = visible_text(client, "/measure-type/tariff-pause.html")
    assert "owl:NamedIndividual" not in text and "skos:Concept" not in text
    assert "tariff pause concept" in text
    for words in ("broader", "definition", "in scheme", "preferred name"):
        assert f" {words} " in text
    assert "skos:broader" not in text and "skos:definition" not in text
