"""Regression: the sanctions Trump announced on 29 May 2020 on officials who undermined Hong Kong's
freedoms stayed "announced" for good, as if never taken, though the article goes on to the
Autonomy Act's sanctions of 14 July 2020; and O'Brien's threat of further sanctions was a
sanction with no status, as if in force. The announcement is now linked to what carried it out
(hkus:carriedOutBy) and the announced measure moves on to "in force"; the threat is a threat,
and leaves its sanctions "threatened"."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp import queries
from kgapp.store import KnowledgeStore


def statuses(store: KnowledgeStore, day: str) -> dict[str, str]:
    rows = store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal(day)})
    return {r["thing"].value.rsplit("/", 1)[1]: r["statusLabel"].value for r in rows}


def test_the_announced_sanctions_move_on_when_carried_out(built_store: KnowledgeStore) -> None:
    assert statuses(built_store, "2020-06-01")["measure-us-sanctions-on-officials-2020-05"] == "announced"
    assert statuses(built_store, "2020-09-01")["measure-us-sanctions-on-officials-2020-05"] == "in force"
    rows = built_store.select(
        "SELECT ?by WHERE { id:measure-us-sanctions-on-officials-2020-05 hkus:carriedOutBy ?by }"
    )
    assert [r["by"].value.rsplit("/", 1)[1] for r in rows] == ["measure-us-hkaa-sanctions"]


def test_a_threat_is_no_sanction_in_force(built_store: KnowledgeStore) -> None:
    assert statuses(built_store, "2021-01-01")["measure-us-sanctions-threat-2020-11"] == "threatened"
