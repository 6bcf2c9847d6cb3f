"""Regression: ``base.html`` named CC BY 4.0 itself while the ``Link`` header and VoID used the
``license_iri`` setting, so a deployment that set another license published two."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LD_FIXTURE, app_for, settings_for

OTHER_LICENSE = "https://example.org/licenses/open-data"


def test_pages_headers_and_void_publish_the_configured_license_only(
    request: pytest.FixtureRequest, ld_data_dir: Path
) -> None:
    settings = settings_for(
        LD_FIXTURE, ld_data_dir, license_iri=OTHER_LICENSE, license_name="Example Open Data"
    )
    client = app_for(request, settings).test_client()
    for path in ["/", "/id/export-ban.html", "/timeline", "/cite", "/sparql?format=html"]:
        response = client.get(path, headers={"Accept": "text/html"})
        html = response.get_data(as_text=True)
        assert f'<link rel="license" href="{OTHER_LICENSE}">' in html, path
        assert "creativecommons.org" not in html, path
        if path != "/sparql?format=html":
            assert f'<{OTHER_LICENSE}>; rel="license"' in response.headers["Link"], path
    assert ">Example Open Data</a>" in client.get("/").get_data(as_text=True)
    void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert f"<{OTHER_LICENSE}>" in void and "creativecommons.org" not in void
