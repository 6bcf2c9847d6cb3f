"""Regression: the suspension of three agreements in August 2020, the 'Made in China' marking rule
and the 2019 ban on crowd-control munitions had no hkus:respondsTo, so they fell out of every
"what answered this" view, though the encyclopedia article ties each to what it answered. Each
now has an hkus:impliedResponseTo (a sub-property of hkus:respondsTo, so the reasoner adds the
response) and a citation in that article saying how the link is implied."""

from __future__ import annotations

import pytest

from kgapp.store import KnowledgeStore

ANSWERS = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX id: <https://w3id.org/hkus/id/>
SELECT ?answered ?how WHERE {
  id:MEASURE hkus:respondsTo ?answered .
  id:MEASURE hkus:impliedResponseTo ?implied ; hkus:citation/hkus:derivation ?how .
}"""


@pytest.mark.parametrize(
    ("measure", "answers"),
    [
        ("measure-us-agreement-suspensions-2020-08", "hong-kong-national-security-law"),
        ("measure-us-origin-labelling-rule", "hong-kong-national-security-law"),
        ("measure-us-crowd-control-munitions-ban", "event-hong-kong-protests-2019-2020"),
    ],
)
def test_the_measure_answers_what_its_source_ties_it_to_and_says_how(
    built_store: KnowledgeStore, measure: str, answers: str
) -> None:
    rows = built_store.select(ANSWERS.replace("MEASURE", measure))
    assert answers in {r["answered"].value.rsplit("/", 1)[1] for r in rows}
    assert all(r["how"].value.startswith("Implied:") for r in rows)
