"""Status as of a date: one named query (kgapp/queries/status_as_of.rq) that the analyst example
and the entity pages share, following the life cycle of laws, agreements and measures."""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox
from flask.testing import FlaskClient

from kgapp import queries
from kgapp.modeldoc import load_questions
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore

NS = Namespaces()
TODAY_EXPRESSION = "SUBSTR(STR(NOW()), 1, 10)"
EXAMPLE_DAY = '"2020-09-01"'


def without_leading_comments(text: str) -> str:
    return text[text.index("PREFIX") :]


def status_on(store: KnowledgeStore, day: str) -> dict[str, str]:
    rows = store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal(day)})
    return {r["thing"].value.rsplit("/", 1)[1]: r["statusLabel"].value for r in rows}


def test_the_example_is_the_shared_status_query_on_a_fixed_day() -> None:
    named = queries.load("status_as_of")
    assert TODAY_EXPRESSION in named
    example = next(q for q in load_questions() if q.name == "04-status-as-of-date.rq").sparql
    assert without_leading_comments(example) == without_leading_comments(named).replace(
        TODAY_EXPRESSION, EXAMPLE_DAY
    ), "examples/04 must be status_as_of.rq with the day fixed; edit the named query and copy it"


def test_an_agreement_signed_and_never_suspended_is_in_force(built_store: KnowledgeStore) -> None:
    rows = built_store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal("2020-09-01")})
    declaration = next(r for r in rows if r["thing"].value.endswith("/sino-british-joint-declaration"))
    assert declaration["statusLabel"].value == "in force"
    assert declaration["basis"].value.startswith("life cycle")
    assert status_on(built_store, "2010-01-01")["us-hk-civil-aviation-agreement"] == "in force"


def test_a_change_on_the_same_day_prefers_the_later_stage(built_store: KnowledgeStore) -> None:
    """On 30 June 2020 the law was passed, signed and (by one source) in force."""
    assert status_on(built_store, "2020-06-30")["hong-kong-national-security-law"] == "in force"
    assert status_on(built_store, "2020-06-01")["hong-kong-national-security-law"] == "approved"


def test_an_attested_earlier_state_counts_from_its_date(built_store: KnowledgeStore) -> None:
    """The extradition agreement was 'active' at the time of the Snowden incident (2013)."""
    assert status_on(built_store, "2012-12-31").get("us-hk-surrender-of-fugitives-agreement") is None
    assert status_on(built_store, "2014-01-01")["us-hk-surrender-of-fugitives-agreement"] == "in force"
    on_1_september = status_on(built_store, "2020-09-01")
    assert on_1_september["us-hk-surrender-of-fugitives-agreement"] == "suspended or terminated"


def test_status_history_lists_implied_states_with_their_derivation(built_store: KnowledgeStore) -> None:
    thing = ox.NamedNode(str(NS.entity) + "us-hk-prisoner-transfer-agreement")
    rows = built_store.select(queries.load("status_history"), bindings={"thing": thing})
    steps = [(r.get("until", r.get("date")).value, r["statusLabel"].value) for r in rows]
    assert steps == [("2020-08-19", "in force"), ("2020-08-19", "suspended or terminated")]
    assert rows[0]["derivation"].value.startswith("Implied")


def page_status(client: FlaskClient, thing: str) -> str | None:
    html = client.get(NS.path_of(thing) + ".html").get_data(as_text=True)
    found = re.search(r'class="status-now">Status: <strong>([^<]+)</strong>', html)
    return found.group(1) if found else None


def test_entity_pages_show_the_status_the_status_query_gives(
    client: FlaskClient, built_store: KnowledgeStore
) -> None:
    today = date.today().isoformat()
    rows = built_store.select(queries.load("status_as_of"), bindings={"asOf": ox.Literal(today)})
    expected = {r["thing"].value: r["statusLabel"].value for r in rows}
    shown = {thing: page_status(client, thing) for thing in expected}
    assert shown == expected
