"""The search blueprint: ``/search`` and ``/search.json`` (``suggest=1`` for autocomplete)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, request

from kgapp.readmodel.names import Alternative, Hit, alternatives, search, search_some, suggest
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
    # When nothing matches: the query with misspelt words corrected, or each word alone.
    alternatives: list[Alternative] = field(default_factory=list)
    # When nothing holds every word: the results hold some of them ("Pompeo Ross").
    some_words: bool = False


@page_route(blueprint, "/search")
def search_page() -> SearchPage:
    query = request.args.get("q", "")
    store = state().store
    if request.args.get("suggest"):
        return SearchPage(query, suggest(store, urls(), query, limit=SUGGEST_LIMIT))
    results = search(store, urls(), query, limit=SEARCH_LIMIT)
    if results or not query.strip():
        return SearchPage(query, results)
    some = search_some(store, urls(), query, limit=SEARCH_LIMIT)
    return SearchPage(query, some, alternatives(store, query), some_words=bool(some))
