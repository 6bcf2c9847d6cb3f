"""An entity page costs what its neighbourhood costs: the same thing's page issues the same
queries and reads the same rows on a generated graph and on one ten times larger (counted, not
timed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from kgapp.build import build
from kgapp.generate import generate
from kgapp.store import KnowledgeStore
from tests.conftest import app_for, settings_for

THINGS = ("/id/gen-person-0-1", "/id/gen-measure-0", "/id/gen-event-0", "/id/gen-state-0")


def _app(request: pytest.FixtureRequest, directory: Path, triples: int) -> Flask:
    generate(triples, directory, seed=7)
    settings = settings_for(directory, directory / "var", response_cache_mb=0)
    build(settings)
    return app_for(request, settings)


@pytest.fixture(scope="module")
def small_and_large(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Flask, Flask]:
    return (
        _app(request, tmp_path_factory.mktemp("small"), 2_000),
        _app(request, tmp_path_factory.mktemp("large"), 20_000),
    )


class Counted:
    """The queries a page issues and the rows they give, as the store answers them."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.rows = 0

    def __call__(self, original: Any) -> Any:
        def select(store: KnowledgeStore, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = original(store, sparql, **kwargs)
            self.queries.append(sparql.split("WHERE")[0][:80])
            self.rows += len(rows)
            return rows

        return select


def work(app: Flask, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int]:
    client = app.test_client()
    client.get(path + ".html")  # the per-build tables (labels, types, passages) once
    counted = Counted()
    with monkeypatch.context() as patch:
        patch.setattr(KnowledgeStore, "select", counted(KnowledgeStore.select))
        response = client.get(path + ".html")
    assert response.status_code == 200, path
    return sorted(counted.queries), counted.rows


@pytest.mark.parametrize("path", THINGS)
def test_a_page_does_the_same_work_on_a_graph_ten_times_larger(
    small_and_large: tuple[Flask, Flask], path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = small_and_large
    queries, rows = work(small, path, monkeypatch)
    assert len(queries) >= 4 and rows > 0  # the page read its neighbourhood
    assert (queries, rows) == work(large, path, monkeypatch)
