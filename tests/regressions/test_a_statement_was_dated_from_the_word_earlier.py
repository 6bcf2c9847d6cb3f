"""Regression: Pompeo's statement on Xinjiang, which the report places only "earlier" than his
tweet of Tuesday 30 June 2020, was dated June 2020. Where a source gives no date, none is
invented: the statement now has no hkus:date, only the order the source gives (before the tweet)
and the bound a reader can derive (not after 30 June 2020), with how it was derived."""

from __future__ import annotations

from kgapp.store import KnowledgeStore

TIMING = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX id: <https://w3id.org/hkus/id/>
SELECT ?date ?notAfter ?before ?relation ?text WHERE {
  OPTIONAL { id:event-pompeo-xinjiang-statement hkus:date ?date }
  id:event-pompeo-xinjiang-statement hkus:notAfter ?notAfter ; hkus:before ?before .
  ?resolution hkus:resolvesDateOf id:event-pompeo-xinjiang-statement ; hkus:timeRelation ?relation ;
              hkus:textSaid ?text .
  FILTER NOT EXISTS { ?resolution hkus:resolvedTo ?any }
}"""


def test_earlier_gives_an_order_and_a_bound_not_a_date(built_store: KnowledgeStore) -> None:
    rows = built_store.select(TIMING)
    assert rows, "the statement keeps its order and its bound"
    assert all("date" not in r for r in rows)
    assert {r["notAfter"].value for r in rows} == {"2020-06-30"}
    assert "statement-pompeo-tweet-beijing-refusal" in {r["before"].value.rsplit("/", 1)[1] for r in rows}
    assert {r["relation"].value.rsplit("/", 1)[1] for r in rows} == {"Before"}
    assert {r["text"].value.split(",")[0] for r in rows} == {"Earlier"}
