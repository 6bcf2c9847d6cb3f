"""Search finds what people type (issue: exact substrings of names only): all words in any order,
whole words, stemming, British and American spellings, aliases and acronyms from the graph's
skos:altLabel, descriptions and types in the results, help when nothing matches, suggestions
that open the entity, and an index rebuilt with each build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.build import build
from tests.conftest import app_for, settings_for

ID = "https://w3id.org/hkus/id/"


def results(client: FlaskClient, query: str, **params: str) -> list[dict]:
    response = client.get("/search.json", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["results"]


def first(client: FlaskClient, query: str) -> str:
    found = results(client, query)
    assert found, f"nothing found for {query!r}"
    return found[0]["iri"].removeprefix(ID)


def test_all_words_in_any_order(client: FlaskClient) -> None:
    assert first(client, "extradition agreement") == "us-hk-surrender-of-fugitives-agreement"
    assert results(client, "agreement extradition") == results(client, "extradition agreement")


def test_american_spelling_and_plural_find_the_british_singular(client: FlaskClient) -> None:
    """The graph writes 'licence exceptions'; a reader types 'license exception'."""
    assert first(client, "license exception") == "measure-us-licence-exception-suspension"
    assert {h["iri"] for h in results(client, "license exception")} == {
        h["iri"] for h in results(client, "licence exceptions")
    }
    assert ID + "measure-us-defence-export-ban" in {h["iri"] for h in results(client, "defense exports")}


def test_acronyms_and_short_names_held_as_alternative_labels(client: FlaskClient) -> None:
    assert first(client, "NSL") == "hong-kong-national-security-law"
    assert first(client, "HKAA") == "hong-kong-autonomy-act"
    assert first(client, "Human Rights and Democracy Act") == "hong-kong-human-rights-and-democracy-act"
    assert first(client, "USTR") == "ustr"
    hit = results(client, "USTR")[0]
    assert hit["matched"] == "USTR" and hit["label"] == "Office of the United States Trade Representative"


def test_whole_words_only_so_ear_is_not_earlier(client: FlaskClient) -> None:
    for hit in results(client, "EAR"):
        text = " ".join(filter(None, [hit["label"], hit["matched"], hit["description"]]))
        assert re.search(r"\bears?\b", text, re.I), hit
    assert not any("Earlier" in h["label"] for h in results(client, "EAR", suggest="1"))


def test_results_carry_descriptions_types_and_dates(client: FlaskClient) -> None:
    pompeo = results(client, "Pompeo")[0]
    assert pompeo["iri"] == ID + "mike-pompeo"
    assert pompeo["type"] == "person" and "Secretary of State" in pompeo["description"]
    dated = [h for h in results(client, "Pompeo") if h["date"]]
    assert dated, "statements and events show their date"
    html = client.get("/search", query_string={"q": "Pompeo"}).get_data(as_text=True)
    assert '<p class="description">US Secretary of State in the first Trump administration.</p>' in html


def test_same_named_results_are_told_apart_by_type(client: FlaskClient) -> None:
    same = [h for h in results(client, "export control") if h["label"] == "export control"]
    assert len(same) >= 2
    assert len({(h["type"], h["date"]) for h in same}) == len(same)


def test_lasting_things_come_before_the_facts_that_mention_them(client: FlaskClient) -> None:
    found = results(client, "sanctions")
    assert found[0]["type"] in {"sanction", "statute"}, found[0]


def test_nothing_found_offers_a_correction_and_ways_in(client: FlaskClient) -> None:
    page = client.get("/search.json", query_string={"q": "pompey sanctons"}).get_json()
    assert page["results"] == []
    assert [a["query"] for a in page["alternatives"]][:2] == ["pompeo", "sanctions"]
    html = client.get("/search", query_string={"q": "xyzzy"}).get_data(as_text=True)
    assert "Nothing in the graph is named or described with every one of these words." in html
    assert 'href="/browse"' in html and 'href="/timeline"' in html


def test_a_query_no_thing_holds_every_word_of_finds_what_holds_some(client: FlaskClient) -> None:
    """Regression: "Pompeo Ross" found nothing, where either name finds a person."""
    found = [r["iri"].removeprefix(ID) for r in results(client, "Pompeo Ross")]
    assert {"mike-pompeo", "wilbur-ross"} <= set(found[:2])
    html = client.get("/search", query_string={"q": "Pompeo Ross"}).get_data(as_text=True)
    assert "No result holds every word of “Pompeo Ross”" in html


@pytest.mark.parametrize("typed", ["obrien", "O'Brien", "o’brien", "OBRIEN"])
def test_an_apostrophe_in_a_name_is_folded_away(client: FlaskClient, typed: str) -> None:
    """Regression: "obrien" found nothing and was offered "brien"."""
    assert first(client, typed) == "robert-obrien"


@pytest.mark.parametrize("typed", ["ETO", "HKETO", "hketo washington"])
def test_the_trade_offices_are_found_by_their_acronym(client: FlaskClient, typed: str) -> None:
    """Regression: "ETO" and "HKETO" found nothing."""
    assert first(client, typed).startswith("hketo-")


def test_a_name_holding_the_words_in_order_ranks_first(client: FlaskClient) -> None:
    """Regression: "autonomy act" ranked the sanctions under the Act above the Act itself."""
    assert first(client, "autonomy act") == "hong-kong-autonomy-act"
    suggested = results(client, "autonomy act", suggest="1")
    assert suggested[0]["iri"].removeprefix(ID) == "hong-kong-autonomy-act"


def test_the_thing_the_sources_name_most_ranks_before_its_namesakes(client: FlaskClient) -> None:
    """Regression: "consulate" put the consulate in Hong Kong ninth, after four in mainland China."""
    assert first(client, "consulate") == "us-consulate-general-hong-kong"


def test_dates_and_years_are_searched(client: FlaskClient) -> None:
    """Regression: "tariff 2025" missed the 2025 pause, because dates were not searched."""
    found = [r["iri"].removeprefix(ID) for r in results(client, "tariff 2025")]
    assert "measure-us-tariff-pause-2025" in found


def test_a_suggestion_links_straight_to_its_entity(client: FlaskClient) -> None:
    found = results(client, "pomp", suggest="1")
    assert found[0]["label"] == "Mike Pompeo" and found[0]["url"] == "/id/mike-pompeo"
    assert len(found) <= 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_query_is_answered_without_error(client: FlaskClient, query: str) -> None:
    """FTS5 syntax (quotes, *, NEAR, -, :, ^) in what a reader types never reaches the engine."""
    for params in ({}, {"suggest": "1"}):
        response = client.get("/search.json", query_string={"q": query, **params})
        assert response.status_code == 200
        assert len(response.get_json()["results"]) <= 50


def test_the_index_is_rebuilt_with_each_build(
    request: pytest.FixtureRequest, mini_project: Path, tmp_path: Path
) -> None:
    settings = settings_for(mini_project, tmp_path / "data")
    build(settings)
    app = app_for(request, settings)
    assert [h["label"] for h in app.test_client().get("/search.json?q=Pompeo").get_json()["results"]] == [
        "Mike Pompeo"
    ]
    entities = mini_project / "graph" / "entities.ttl"
    entities.write_text(entities.read_text().replace("Mike Pompeo", "Michael Pompeo"))
    build(settings)
    found = app.test_client().get("/search.json?q=Michael").get_json()["results"]
    assert [h["label"] for h in found] == ["Michael Pompeo"]
    shutil.rmtree(tmp_path / "data")
