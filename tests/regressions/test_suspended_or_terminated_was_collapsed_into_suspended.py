"""Regression: the article says Trump ordered three agreements "to suspend or terminate"; the graph
said each was suspended. Both outcomes are now kept as the source words them: the status
"suspended or terminated", whose narrower statuses are the two, and no choice between them."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp import queries
from kgapp.store import KnowledgeStore

AGREEMENTS = (
    "us-hk-surrender-of-fugitives-agreement",
    "us-hk-prisoner-transfer-agreement",
    "us-hk-shipping-tax-agreement",
)


def test_each_agreement_is_suspended_or_terminated_as_of_september_2020(built_store: KnowledgeStore) -> None:
    rows = built_store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal("2020-09-01")})
    status = {r["thing"].value.rsplit("/", 1)[1]: r["statusLabel"].value for r in rows}
    assert {status[a] for a in AGREEMENTS} == {"suspended or terminated"}


def test_the_status_keeps_both_outcomes(built_store: KnowledgeStore) -> None:
    rows = built_store.select(
        "SELECT ?narrower WHERE { hkus:StatusSuspendedOrTerminated skos:narrower ?narrower }"
    )
    assert {r["narrower"].value.rsplit("/", 1)[1] for r in rows} == {"StatusSuspended", "StatusTerminated"}
