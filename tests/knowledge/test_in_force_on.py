"""What was in force on a day, for every law, bill, agreement and measure: one named query
(kgapp/queries/in_force_on.rq) for the readers' page and the analyst example, held to the status
query's answers wherever that query answers, and answering for every thing it does not."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgapp import queries
from kgapp.modeldoc import load_questions
from kgapp.store import KnowledgeStore

TODAY_EXPRESSION = "SUBSTR(STR(NOW()), 1, 10)"
DAYS = ("1997-07-01", "2019-12-31", "2020-06-01", "2020-06-30", "2020-07-14", "2020-09-01", "2025-05-01")
INSTRUMENTS_AND_MEASURES = """
SELECT (COUNT(DISTINCT ?thing) AS ?n) WHERE {
  { ?thing a hkus:Measure } UNION { ?thing a hkus:Agreement }
  UNION { ?thing a hkus:Law } UNION { ?thing a hkus:Bill }
}"""


def local(term: ox.NamedNode) -> str:
    return term.value.rsplit("/", 1)[1]


def in_force_on(store: KnowledgeStore, day: str) -> dict[str, dict[str, ox.NamedNode | ox.Literal]]:
    rows = store.select(queries.load("in_force_on"), bindings={"asOf": ox.Literal(day)})
    return {local(r["thing"]): r for r in rows}  # type: ignore[arg-type]


@pytest.mark.parametrize("day", DAYS)
def test_one_row_for_every_law_bill_agreement_and_measure(built_store: KnowledgeStore, day: str) -> None:
    rows = built_store.select(queries.load("in_force_on"), bindings={"asOf": ox.Literal(day)})
    expected = int(built_store.select(INSTRUMENTS_AND_MEASURES)[0]["n"].value)
    assert len(rows) == len({r["thing"] for r in rows}) == expected


@pytest.mark.parametrize("day", DAYS)
def test_it_gives_the_status_query_s_status_wherever_that_query_answers(
    built_store: KnowledgeStore, day: str
) -> None:
    status = built_store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal(day)})
    answered = in_force_on(built_store, day)
    assert status, "the status query answers for some things"
    for row in status:
        mine = answered[local(row["thing"])]  # type: ignore[arg-type]
        assert mine["statusLabel"].value == row["statusLabel"].value
        assert mine["basis"].value == row["basis"].value


def test_the_answers_on_1_september_2020(built_store: KnowledgeStore) -> None:
    rows = in_force_on(built_store, "2020-09-01")
    in_force = {t for t, r in rows.items() if r.get("inForce") == ox.Literal(True)}
    not_in_force = {t for t, r in rows.items() if r.get("inForce") == ox.Literal(False)}
    assert {
        "hong-kong-national-security-law",
        "hong-kong-autonomy-act",
        "measure-us-defence-export-ban",
        "measure-us-sanctions-on-officials-2020-05",
        "sino-british-joint-declaration",
        "measure-us-arms-embargo-on-china",
    } <= in_force
    assert {
        "us-hk-surrender-of-fugitives-agreement",
        "measure-us-dual-use-restriction",
        "measure-us-sanctions-threat-2020-11",
        "measure-us-special-treatment-of-hong-kong",
    } <= not_in_force
    assert rows["us-hk-surrender-of-fugitives-agreement"]["statusLabel"].value == "suspended or terminated"
    assert "inForce" not in rows["hong-kong-counter-terrorism-legislation"]


def test_a_law_signed_later_is_not_yet_in_force_and_a_pause_with_a_duration_is_not_answered(
    built_store: KnowledgeStore,
) -> None:
    july = in_force_on(built_store, "2020-07-01")["hong-kong-autonomy-act"]
    assert july["inForce"] == ox.Literal(False) and july["basis"].value.startswith("not yet")
    pause = in_force_on(built_store, "2025-05-01")["measure-us-tariff-pause-2025"]
    assert "inForce" not in pause and pause["statusLabel"].value == "in force"


def test_the_example_is_the_named_query_on_a_fixed_day() -> None:
    named = queries.load("in_force_on")
    assert TODAY_EXPRESSION in named
    example = next(q for q in load_questions() if q.name == "44-in-force-on-a-date.rq").sparql
    body = named[named.index("PREFIX") :]
    assert example[example.index("PREFIX") :] == body.replace(TODAY_EXPRESSION, '"2020-09-01"')
