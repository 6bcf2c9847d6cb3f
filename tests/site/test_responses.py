"""What answered this: everything that responds to a law (or its passage or approval), by the
state it is attributable to and in date order, with the sources that say what it answers."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

ID = "https://w3id.org/hkus/id/"
NSL = ID + "hong-kong-national-security-law"


def responses(client: FlaskClient, target: str = NSL) -> dict:
    response = client.get("/responses.json", query_string={"to": target})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def group(page: dict, label: str, kind: str = "direct") -> dict:
    return next(g for g in page[kind] if g["actor"]["label"] == label)


def test_the_united_states_answers_include_its_government_bodies_and_officials(client: FlaskClient) -> None:
    us = group(responses(client), "United States")
    answered = {r["iri"].removeprefix(ID) for r in us["responses"]}
    assert {
        "measure-us-defence-export-ban",  # imposed by the US government
        "measure-us-licence-exception-suspension",  # by the Commerce Department
        "event-trump-measures-announcement",  # by the president, in office
        "executive-order-hong-kong-normalization",  # signed by the president
    } <= answered
    through = {a["label"] for a in us["through"]}
    assert {"United States Department of Commerce", "Donald Trump"} <= through
    assert "United States" not in through


def test_responses_to_the_approval_or_passage_count_as_responses_to_the_law(client: FlaskClient) -> None:
    us = group(responses(client), "United States")
    travel = next(r for r in us["responses"] if r["iri"] == ID + "measure-us-travel-advisory-change")
    assert [a["iri"] for a in travel["answers"]] == [ID + "event-npc-approves-nsl"]
    assert [s["label"] for s in travel["sources"]] == ["Hong Kong–United States relations"]


def test_each_group_is_in_date_order_undated_last(client: FlaskClient) -> None:
    for found in responses(client)["direct"]:
        dates = [r["date"] for r in found["responses"]]
        dated = [d for d in dates if d]
        assert dated == sorted(dated)
        assert dates == dated + [None] * (len(dates) - len(dated))


def test_states_acting_together_are_one_group(client: FlaskClient) -> None:
    page = responses(client)
    joint = [g for g in page["direct"] if g["joint"]]
    assert len(joint) == 1
    assert (
        joint[0]["actor"]["label"] == "Australia, Canada, Japan, United Kingdom and United States, together"
    )


def test_responses_to_the_responses_follow_grouped_the_same_way(client: FlaskClient) -> None:
    china = group(responses(client), "People's Republic of China", "indirect")
    assert ID + "measure-china-counter-sanctions-2020" in {r["iri"] for r in china["responses"]}
    assert all(not r["direct"] for r in china["responses"])


def test_the_page_names_every_group_and_links_the_sources(client: FlaskClient) -> None:
    html = client.get("/responses", query_string={"to": NSL}).get_data(as_text=True)
    assert "<h1>What answered" in html and "Hong Kong national security law</a></h1>" in html
    assert 'href="/source/us-ends-defense-exports-over-nsl"' in html
    assert 'href="/id/measure-us-defence-export-ban"' in html


def test_the_csv_twin_has_a_row_per_response_and_group(client: FlaskClient) -> None:
    response = client.get("/responses.csv", query_string={"to": NSL})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    json_rows = sum(len(g["responses"]) for kind in ("direct", "indirect") for g in responses(client)[kind])
    assert len(rows) == json_rows
    assert {"group", "date", "response", "actors", "answers", "sources", "iri"} <= set(rows[0])


def test_a_thing_nothing_answers_says_so(client: FlaskClient) -> None:
    page = responses(client, ID + "mike-pompeo")
    assert page["count"] == 0 and page["direct"] == []
    html = client.get("/responses", query_string={"to": ID + "mike-pompeo"}).get_data(as_text=True)
    assert "No source says that anything responded to Mike Pompeo." in html


def test_an_unknown_or_malformed_target_is_a_clear_error(client: FlaskClient) -> None:
    unknown = client.get("/responses.json", query_string={"to": ID + "no-such-thing"})
    assert unknown.status_code == 404 and "parameter 'to'" in unknown.get_json()["message"]
    malformed = client.get("/responses.json", query_string={"to": "not an iri"})
    assert malformed.status_code == 400 and "parameter 'to'" in malformed.get_json()["message"]


def test_without_a_target_the_page_lists_what_is_answered_most(client: FlaskClient) -> None:
    html = client.get("/responses").get_data(as_text=True)
    assert 'href="/responses?to=https%3A//w3id.org/hkus/id/hong-kong-national-security-law"' in html
