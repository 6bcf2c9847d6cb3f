"""A small project of our own for the linked-data pages: two sources that agree on one fact and
disagree on a date, a quotation, a status change, and an entity whose literals hold markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kgapp.app import create_app
from kgapp.build import build
from tests.conftest import settings_for

FIXTURE = Path(__file__).resolve().parent / "fixture"


@pytest.fixture(scope="session")
def ld_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ld-data")
    build(settings_for(FIXTURE, data_dir))
    return data_dir


@pytest.fixture()
def ld_app(ld_data_dir: Path) -> Flask:
    app = create_app(settings_for(FIXTURE, ld_data_dir))
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def ld_client(ld_app: Flask) -> FlaskClient:
    return ld_app.test_client()
