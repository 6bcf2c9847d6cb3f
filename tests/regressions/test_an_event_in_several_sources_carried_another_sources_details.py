"""Regression: the event in which six governments speak out against the national security law
was asserted, with its label naming the six and a date borrowed from elsewhere, in the graphs of
two reports that speak only of the United States leading a global uproar, or of a backlash from
the international community. Each source's graph now holds only what that source states: the
six governments in the report that names them; a global uproar led by the United States, and a
backlash before the passage, each in the report that tells of it, undated where it gives no date.
The smallest case is the real data itself: what each of the three graphs says about the event."""

from __future__ import annotations

import pytest

from kgapp.store import KnowledgeStore

GRAPHS_OF = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX id: <https://w3id.org/hkus/id/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?source WHERE {
  GRAPH ?graph { id:event-international-criticism-of-nsl ?p ?o }
  ?graph dcterms:source ?source .
}"""

WHAT_A_SOURCE_SAYS = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX id: <https://w3id.org/hkus/id/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?event ?date ?attested ?notAfter (COUNT(DISTINCT ?agent) AS ?agents) WHERE {
  GRAPH ?graph { ?event a hkus:Complaint ; hkus:about id:hong-kong-national-security-law ; hkus:agent ?agent .
                 OPTIONAL { ?event hkus:date ?date } OPTIONAL { ?event hkus:attestedOn ?attested }
                 OPTIONAL { ?event hkus:notAfter ?notAfter } }
  ?graph dcterms:source ?source .
} GROUP BY ?event ?date ?attested ?notAfter"""


def local(term: object) -> str:
    return str(getattr(term, "value", "")).rsplit("/", 1)[-1]


def test_the_six_governments_are_stated_only_by_the_report_that_names_them(
    built_store: KnowledgeStore,
) -> None:
    rows = built_store.select(GRAPHS_OF)
    assert [local(r["source"]) for r in rows] == ["us-ends-defense-exports-over-nsl"]


@pytest.mark.parametrize(
    ("source", "event", "agents", "dated"),
    [
        ("us-ends-defense-exports-over-nsl", "event-international-criticism-of-nsl", 6, "date"),
        ("us-ends-sensitive-defence-exports", "event-global-uproar-over-nsl", 1, "attested"),
        ("us-suspends-hong-kong-import-rights", "event-backlash-against-nsl", 1, "notAfter"),
    ],
)
def test_each_report_states_its_own_reaction_with_its_own_dating(
    built_store: KnowledgeStore, source: str, event: str, agents: int, dated: str
) -> None:
    query = WHAT_A_SOURCE_SAYS.replace(
        "?graph dcterms:source ?source", f"?graph dcterms:source <https://w3id.org/hkus/source/{source}>"
    )
    rows = {local(r["event"]): r for r in built_store.select(query)}
    assert set(rows) == {event}
    row = rows[event]
    assert int(row["agents"].value) == agents
    assert {k for k in ("date", "attested", "notAfter") if k in row} == {dated}
