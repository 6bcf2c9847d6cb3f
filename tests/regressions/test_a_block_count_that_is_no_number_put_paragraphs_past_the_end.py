"""Regression: a source document whose hkus:blockCount was no number ("not a date"^^xsd:date)
had every paragraph cited in it reported "past the end" by pySHACL but not by pyshacl-turbo.
The rule compared paragraph and block count whatever their types. SPARQL 1.1 has no ``>``
between a number and a date (§17.3): a type error, and the solution is dropped (§17). But an
engine may define such comparisons (§17.3.1), and rdflib, under pySHACL, orders literals of
unrelated datatypes by datatype IRI, so ``11 > "…"^^xsd:date`` is true; it also takes
``"x"^^xsd:integer`` for a number. Numbers written as text ("9", "12") compare as text on
every engine. The rule now compares well-formed integers only; anything else is reported by
the ``sh:datatype`` rule of the property, by both engines alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgapp.namespaces import Namespaces
from kgapp.validation import VALIDATORS, validate_files
from tests.conftest import PROJECT_ROOT

DOCUMENT_WITH_A_BLOCK_COUNT = """\
@prefix hkus: <https://w3id.org/hkus/ontology/> .
@prefix id: <https://w3id.org/hkus/id/> .
@prefix src: <https://w3id.org/hkus/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

src:fixture-report-counted-badly a hkus:SourceDocument , hkus:NewsReport ;
    rdfs:label "A report whose length is no number"@en ;
    hkus:publisher id:en-wikipedia-org ;
    hkus:blockCount {blocks} ;
    hkus:published "2020-07-01"^^xsd:date ;
    hkus:publishedBasis "The date is printed above the headline."@en .

id:fixture-protest-cited-in-a-badly-counted-report a hkus:Protest ;
    rdfs:label "A protest cited in a report whose length is no number" ; hkus:date "2019"^^xsd:gYear ;
    hkus:statedIn src:fixture-report-counted-badly ;
    hkus:citation [ hkus:inDocument src:fixture-report-counted-badly ; hkus:paragraph {paragraph} ] .
"""

NOT_INTEGERS = {  # block count, paragraph, which of them is no integer
    "a block count that is no date": ('"not a date"^^xsd:date', "11", {"hkus:blockCount"}),
    "a block count that is a date": ('"2020-07-01"^^xsd:date', "11", {"hkus:blockCount"}),
    "an ill-formed integer paragraph": ("12", '"x"^^xsd:integer', {"hkus:paragraph"}),
    "numbers written as text": ('"12"', '"9"', {"hkus:blockCount", "hkus:paragraph"}),
}


# pySHACL reads the whole project's data for each case (half a minute): the slow lane.
VALIDATOR_CASES = [
    pytest.param(v, marks=pytest.mark.slow) if v == "pyshacl" else v for v in sorted(VALIDATORS)
]


@pytest.mark.parametrize("validator", VALIDATOR_CASES)
@pytest.mark.parametrize("case", sorted(NOT_INTEGERS))
def test_a_paragraph_or_block_count_that_is_no_integer_is_a_datatype_error_not_past_the_end(
    tmp_path: Path, validator: str, case: str
) -> None:
    blocks, paragraph, not_integers = NOT_INTEGERS[case]
    path = tmp_path / "badly-counted-report.ttl"
    path.write_text(DOCUMENT_WITH_A_BLOCK_COUNT.format(blocks=blocks, paragraph=paragraph), encoding="utf-8")
    results = validate_files([path], PROJECT_ROOT, Namespaces(), validator=validator).results
    assert [r.message for r in results if "past the end" in r.message] == []
    assert {r.path for r in results if r.constraint == "sh:DatatypeConstraintComponent"} == not_integers
