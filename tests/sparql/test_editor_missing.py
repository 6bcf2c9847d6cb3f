"""A server installed with pip alone (no ``npm ci``) has no editor files: it says so when it
starts and on the query page, and the plain text box still runs queries."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests

from kgapp.sparql.query_page import EDITOR_MISSING
from tests.conftest import PROJECT_ROOT, app_for, settings_for, start_server, stop_server

BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def test_the_app_warns_at_start_and_the_page_says_so(
    request: pytest.FixtureRequest, built_data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kgapp.sparql"):
        app = app_for(request, settings_for(tmp_path, built_data_dir))
    assert EDITOR_MISSING in caplog.text
    html = app.test_client().get("/sparql", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'id="editor-missing"' in html and "npm ci" in html
    assert "codemirror.js" not in html
    answer = app.test_client().get("/sparql", query_string={"query": "ASK {}", "format": "html"})
    assert answer.status_code == 200 and "yes (true)" in answer.get_data(as_text=True)


def test_a_server_with_the_editor_says_nothing_of_it(
    request: pytest.FixtureRequest, built_data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kgapp.sparql"):
        app = app_for(request, settings_for(PROJECT_ROOT, built_data_dir))
    assert EDITOR_MISSING not in caplog.text
    assert 'id="editor-missing"' not in app.test_client().get(
        "/sparql", headers={"Accept": BROWSER}
    ).get_data(as_text=True)


@pytest.mark.server
def test_kgapp_serve_says_so_in_its_log(built_data_dir: Path, tmp_path: Path) -> None:
    server = start_server(built_data_dir, tmp_path / "server.log", project_root=tmp_path)
    try:
        page = requests.get(server.url + "/sparql", headers={"Accept": BROWSER}, timeout=30)
        assert 'id="editor-missing"' in page.text
    finally:
        stop_server(server)
    assert EDITOR_MISSING in server.log()
