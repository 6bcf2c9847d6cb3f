"""Regression: US direct investment in Hong Kong "at the end of 2006" had the period 2006, a
figure for the whole year, with the word "end" in a qualifier no question read. It now has the
day a reader derives, 31 December 2006, with a date resolution saying what the text said and why."""

from __future__ import annotations

from kgapp.store import KnowledgeStore


def test_the_stock_is_dated_to_the_last_day_of_2006_and_says_why(built_store: KnowledgeStore) -> None:
    rows = built_store.select(
        """SELECT ?period ?text WHERE {
             id:figure-us-direct-investment-in-hong-kong-2006 hkus:period ?period .
             ?r hkus:resolvesDateOf id:figure-us-direct-investment-in-hong-kong-2006 ;
                hkus:textSaid ?text }"""
    )
    assert {r["period"].value for r in rows} == {"2006-12-31"}
    assert all("at the end of 2006" in r["text"].value for r in rows)
