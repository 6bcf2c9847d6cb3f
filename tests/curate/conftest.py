"""A copy of the real project, built, that the write tests change: each module gets its own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kgapp.build import build
from kgapp.config import Settings
from tests.conftest import (
    DATA_FOLDERS,
    PROJECT_ROOT,
    LiveServer,
    app_for,
    settings_for,
    start_server,
    stop_server,
)

ALICE = "alice-s3cret-token"
BOT = "bot-t0ken-for-registry"
ENTITIES = "https://w3id.org/hkus/graph/entities"
TOKENS = f"alice:*:{ALICE},bot:{ENTITIES}:{BOT}"
AS_ALICE = {"Authorization": f"Bearer {ALICE}"}
PREFIXES = (
    "PREFIX id: <https://w3id.org/hkus/id/> PREFIX hkus: <https://w3id.org/hkus/ontology/> "
    "PREFIX src: <https://w3id.org/hkus/source/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
)


def copy_project(target: Path) -> Path:
    for folder in DATA_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def write_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    project = copy_project(tmp_path_factory.mktemp("writable"))
    settings = settings_for(project, project / "var", write_tokens=TOKENS)
    build(settings)
    return settings


@pytest.fixture(scope="module")
def write_app(request: pytest.FixtureRequest, write_settings: Settings) -> Flask:
    return app_for(request, write_settings)


@pytest.fixture()
def writer_client(write_app: Flask) -> FlaskClient:
    return write_app.test_client()


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[tuple[Settings, LiveServer]]:
    """A copy of the real project, built and served by `kgapp serve` with write tokens."""
    project = copy_project(tmp_path / "project")
    settings = settings_for(project, project / "var", write_tokens=TOKENS)
    build(settings)
    server = start_server(project / "var", tmp_path / "server.log", project_root=project, write_tokens=TOKENS)
    yield settings, server
    stop_server(server)
