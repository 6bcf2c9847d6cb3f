"""The search blueprint: ``/search`` and ``/search.json`` (``suggest=1`` for autocomplete)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, request

from kgapp.search.index import Hit, search
from kgapp.web.pages import Page, page_route, urls
from kgapp.web.state import state

blueprint = Blueprint("search", __name__)

SEARCH_LIMIT = 50
SUGGEST_LIMIT = 10


@dataclass
class SearchPage(Page):
    template = "search/search.html"

    query: str
    results: list[Hit]


@page_route(blueprint, "/search")
def search_page() -> SearchPage:
    query = request.args.get("q", "")
    limit = SUGGEST_LIMIT if request.args.get("suggest") else SEARCH_LIMIT
    return SearchPage(query, search(state().store, urls(), query, limit=limit))
