"""Every URL the app prints is built here: IRI ⇄ local path ⇄ format twin ⇄ route.

An IRI under the base is served at its own path on whatever origin serves the app, so
``https://w3id.org/hkus/id/x`` is at ``/id/x`` here; its documents add a suffix (``/id/x.ttl``).
IRIs outside the base are linked as they are, if their scheme is one a page may link to.
Templates get a :class:`UrlBuilder` as ``urls`` and never concatenate IRIs themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from flask import current_app, request, url_for

from kgapp.readmodel.links import Links
from kgapp.versions import version_path


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    params: tuple[tuple[str, str], ...] = ()
    # Other routes that are this item's pages, each with the path values it needs.
    also: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def url(self) -> str:
        values: dict[str, Any] = dict(self.params)
        return url_for(self.endpoint, **values)

    def is_current(self, endpoint: str | None, view_args: dict[str, Any] | None) -> bool:
        """Whether a request for ``endpoint`` (with ``view_args``) is on this item's page."""
        given = view_args or {}
        return any(
            endpoint == route and all(given.get(k) == v for k, v in values)
            for route, values in ((self.endpoint, self.params), *self.also)
        )


# The site's navigation, in order; the page a request is on is marked by the template.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("site.browse", "Browse"),
    NavItem("site.timeline", "Timeline"),
    NavItem("site.responses", "Responses"),
    NavItem("site.conflicts", "Conflicts"),
    NavItem("site.sources", "Sources"),
    NavItem("sparql.endpoint", "Query"),
    NavItem(
        "ld.document",
        "Ontology",
        (("document", "ontology"),),
        also=(("ld.document_format", (("document", "ontology"),)), ("ld.resource", (("root", "ontology"),))),
    ),
    NavItem("site.cite", "Cite & reuse"),
)


def with_query(path: str, params: dict[str, Any]) -> str:
    """``path?k=v…`` with values percent-encoded (``/`` kept, as in ``class=https%3A//…``)."""
    return f"{path}?{urlencode(params, quote_via=quote, safe='/')}" if params else path


def _in_path(endpoint: str, name: str) -> bool:
    rules = current_app.url_map.iter_rules(endpoint)
    return any(name in rule.arguments for rule in rules)


@dataclass(frozen=True)
class UrlBuilder(Links):
    public_url: str = ""  # where the app is published (``https://kg.example.org``); "" = ask Host

    @staticmethod
    def page(endpoint: str, **params: Any) -> str:
        """A route of the app (``site.timeline``) with query parameters, empty ones left out.
        Path parameters of the route fill its path; the rest form the query string."""
        present = {k: v for k, v in params.items() if v not in (None, "")}
        rule = url_for(endpoint, **present).split("?", 1)[0]
        return with_query(rule, {k: v for k, v in present.items() if not _in_path(endpoint, k)})

    def absolute(self, endpoint: str, **params: Any) -> str:
        """An absolute URL of a route: under the public URL when one is set, never from a Host
        header a client could forge; from the request's host for local use."""
        if self.public_url:
            return self.public_url.rstrip("/") + url_for(endpoint, **params)
        return url_for(endpoint, _external=True, **params)

    def absolute_path(self, path: str) -> str:
        """An absolute URL of a path of this app (under the public URL when one is set)."""
        origin = self.public_url.rstrip("/") if self.public_url else request.host_url.rstrip("/")
        return origin + path

    def permanent(self, iri: str, version: int) -> str:
        """The address of ``iri``'s page as of ``version``, which never changes (the graph's
        home page for the base IRI)."""
        local = Links(self.namespaces).href(iri) if iri != self.namespaces.base else "/"
        return self.absolute_path(version_path(version) + (local or "/"))

    @staticmethod
    def navigation() -> tuple[NavItem, ...]:
        return NAVIGATION
