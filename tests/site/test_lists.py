"""The timeline and browse lists: the actor filter counts what acted for a state, date ranges,
one meaning for "disputed", CSV twins; the conflicts list with names, units and passages."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

ID = "https://w3id.org/hkus/id/"
US = ID + "united-states"


def events(client: FlaskClient, **params: str) -> list[dict]:
    response = client.get("/timeline.json", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["events"]


def test_the_united_states_filter_includes_its_government_bodies_and_officials(client: FlaskClient) -> None:
    shown = {e["iri"].removeprefix(ID): e for e in events(client, actor=US)}
    by_us_itself = [e for e in events(client) if any(a["iri"] == US for a in e["agents"])]
    assert len(shown) > len(by_us_itself)
    assert {
        "event-commerce-licence-exception-suspension-announcement",  # the Commerce Department
        "event-us-defence-export-ban-announcement",  # Pompeo, as Secretary of State
        "event-hkaa-signing",  # the president
        "event-policy-act-enactment",  # Congress
    } <= set(shown)
    assert all(US in e["attributableTo"] for e in shown.values())


def test_the_actor_list_offers_states_that_only_act_through_others(client: FlaskClient) -> None:
    html = client.get("/timeline").get_data(as_text=True)
    assert f'<option value="{US}">United States</option>' in html


def test_a_date_range_keeps_the_events_that_may_fall_in_it(client: FlaskClient) -> None:
    found = events(client, **{"from": "2020-06-29", "to": "2020-06-30"})
    dates = {e["date"] for e in found}
    assert {"2020-06-29", "2020-06-30"} <= dates
    assert dates <= {"2020", "2020-06", "2020-06-29", "2020-06-30"}, (
        "a vaguer date that contains the range stays"
    )
    assert all(e["date"] for e in found), "undated events cannot fall in a range"
    assert all(e["date"] >= "2025" for e in events(client, **{"from": "2025"}))


@pytest.mark.parametrize("name, value", [("from", "2020-13"), ("to", "30/06/2020"), ("from", "2020-02-30")])
def test_a_bad_date_is_a_clear_error(client: FlaskClient, name: str, value: str) -> None:
    response = client.get("/timeline.json", query_string={name: value})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(f"parameter {name!r}: not a date")


def test_disputed_means_the_sources_disagree_and_a_vaguer_date_is_no_dispute(client: FlaskClient) -> None:
    every = {e["iri"]: e for e in events(client)}
    conflicts = client.get("/conflicts.json").get_json()["conflicts"]
    date_conflicts = {c["subject"] for c in conflicts if c["property"].endswith("/date")}
    assert {iri for iri, e in every.items() if e["disputedDate"]} == date_conflicts
    passage = every[ID + "event-nsl-passage"]  # "June 2020" in two sources, "30 June 2020" in two
    assert passage["date"] == "2020-06-30" and not passage["disputedDate"]


def test_the_timeline_has_a_csv_twin_it_advertises(client: FlaskClient) -> None:
    page = client.get("/timeline", query_string={"actor": US})
    assert 'rel="alternate"; type="text/csv"' in page.headers["Link"]
    response = client.get("/timeline.csv", query_string={"actor": US})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["iri"] for r in rows] == [e["iri"] for e in events(client, actor=US)]
    assert client.get("/timeline", headers={"Accept": "text/csv"}).mimetype == "text/csv"


def test_browse_lists_have_csv_twins(client: FlaskClient) -> None:
    classes = list(csv.DictReader(io.StringIO(client.get("/browse.csv").get_data(as_text=True))))
    assert {"class", "things", "iri"} == set(classes[0])
    measure = "https://w3id.org/hkus/ontology/Measure"
    members = client.get("/browse.csv", query_string={"class": measure}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(members)))
    assert ID + "measure-us-defence-export-ban" in {r["iri"] for r in rows}
    assert all(r["description"] for r in rows), "the registry describes every measure"


def test_list_tables_are_sortable(client: FlaskClient) -> None:
    for path in ("/timeline", "/browse", "/browse?class=https://w3id.org/hkus/ontology/Measure"):
        html = client.get(path).get_data(as_text=True)
        assert 'class="' in html and "sortable" in html
        assert '<script src="/static/sortable.js" defer></script>' in html


def test_conflicts_show_names_units_and_where_each_source_says_so(client: FlaskClient) -> None:
    html = client.get("/conflicts").get_data(as_text=True)
    assert "<strong>US$12.8 bn</strong> against <strong>US$37.3 bn</strong>" in html
    assert "¶ 9" in html and "according to" in html
    for heading in html.split("<h2")[1:]:
        text = heading[: heading.index("</h2>")]
        assert ">https://" not in text, "every conflict names its subject and property"


def test_each_class_counts_the_things_its_list_shows(client: FlaskClient) -> None:
    """The home page counted 302 citations (blank nodes) that browse could not list."""
    classes = client.get("/browse.json").get_json()["classes"]
    assert "https://w3id.org/hkus/ontology/Citation" not in {c["iri"] for c in classes}
    for counted in classes[:5]:
        listed = client.get("/browse.json", query_string={"class": counted["iri"]}).get_json()["members"]
        assert len(listed) == counted["count"], counted["label"]
