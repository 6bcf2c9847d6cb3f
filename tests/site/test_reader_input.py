"""Whatever a reader puts in a date or an IRI parameter gets a page or a clear 400, never a 500."""

from __future__ import annotations

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ANSWERS = {200, 400}
PARAMETER_TEXT = st.one_of(
    st.text(max_size=40),
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
)
USER_INPUT = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@USER_INPUT
@given(PARAMETER_TEXT)
def test_status_on_any_day(client: FlaskClient, day: str) -> None:
    response = client.get("/id/hong-kong-national-security-law.json", query_string={"on": day})
    assert response.status_code in ANSWERS
    if response.status_code == 400:
        assert response.get_json()["message"].startswith("parameter 'on'")


@USER_INPUT
@given(PARAMETER_TEXT, PARAMETER_TEXT)
def test_timeline_with_any_range(client: FlaskClient, start: str, end: str) -> None:
    response = client.get("/timeline.json", query_string={"from": start, "to": end})
    assert response.status_code in ANSWERS
    if response.status_code == 200:
        assert all(e["date"] for e in response.get_json()["events"]) or not (start or end)


@USER_INPUT
@given(st.text(max_size=60))
def test_responses_to_anything(client: FlaskClient, target: str) -> None:
    response = client.get("/responses.json", query_string={"to": target})
    assert response.status_code in ANSWERS | {404}
