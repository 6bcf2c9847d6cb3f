"""Regression: a violation on a blank node (a citation written ``[ … ]``) named the node by the
label the parser gave it, different at every parse: the report could not be acted on, and an
incremental build's refusal differed from a build from scratch. A blank node is now named by
the named node it hangs from, with the file that states the link."""

from __future__ import annotations

from pathlib import Path

from kgapp.namespaces import Namespaces
from kgapp.validation import validate_files
from tests.conftest import PROJECT_ROOT

CITATION_WITHOUT_PARAGRAPH = """\
@prefix hkus: <https://w3id.org/hkus/ontology/> .
@prefix id: <https://w3id.org/hkus/id/> .
@prefix src: <https://w3id.org/hkus/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:fixture-protest-cited-blankly a hkus:Protest ;
    rdfs:label "A protest cited without a paragraph" ; hkus:date "2019"^^xsd:gYear ;
    hkus:statedIn src:us-bans-sensitive-tech-exports ;
    hkus:citation [ hkus:inDocument src:us-bans-sensitive-tech-exports ] .
"""


def test_a_blank_citation_is_named_by_the_fact_it_cites_the_same_at_every_parse(tmp_path: Path) -> None:
    path = tmp_path / "blank-citation.ttl"
    path.write_text(CITATION_WITHOUT_PARAGRAPH, encoding="utf-8")
    first, second = (validate_files([path], PROJECT_ROOT, Namespaces()).results for _ in range(2))
    about_paragraph = [r for r in first if r.path == "hkus:paragraph"]
    assert [r.focus for r in about_paragraph] == [
        "[] (the hkus:citation of https://w3id.org/hkus/id/fixture-protest-cited-blankly)"
    ]
    assert about_paragraph[0].files == (str(path),)
    assert first == second
