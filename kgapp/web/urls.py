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

from flask import current_app, url_for

from kgapp.formats import DOCUMENT_FORMATS, Format
from kgapp.namespaces import Namespaces

# Top-level path segments under the base that name described resources.
RESOURCE_ROOTS: tuple[str, ...] = ("id", "source", "ontology", "measure-type", "shapes", "graph")
# Schemes a page may link to; an IRI with any other scheme is shown as text, never as a link.
LINKABLE_SCHEMES = frozenset({"http", "https", "mailto", "urn"})
PATH_SAFE = "/:@!$&'()*+,;=-._~"


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


def linkable(iri: str) -> bool:
    """Whether a page may link to ``iri`` at all (no ``javascript:``, ``data:``…)."""
    return iri.split(":", 1)[0].lower() in LINKABLE_SCHEMES


@dataclass(frozen=True)
class UrlBuilder:
    namespaces: Namespaces
    public_url: str = ""  # where the app is published (``https://kg.example.org``); "" = ask Host

    def is_local(self, iri: str) -> bool:
        path = self.namespaces.path_of(iri)
        return path is not None and path.lstrip("/").split("/")[0] in RESOURCE_ROOTS

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` points: its local path when it is ours, the IRI itself when
        its scheme may be linked to, and None (no link) otherwise."""
        if self.is_local(iri):
            return quote(self.namespaces.path_of(iri) or "", safe=PATH_SAFE)
        return iri if linkable(iri) else None

    def document(self, iri: str, fmt: Format) -> str:
        """The URL of one representation of a local IRI (``/id/x.ttl``)."""
        path = self.namespaces.path_of(iri)
        if path is None:
            raise ValueError(f"not an IRI under {self.namespaces.base}: {iri}")
        return quote(path, safe=PATH_SAFE) + f".{fmt.suffix}"

    def alternates(self, iri: str) -> list[tuple[Format, str]]:
        return [(fmt, self.document(iri, fmt)) for fmt in DOCUMENT_FORMATS]

    def compact(self, iri: str) -> str:
        """``foaf:Agent`` for an IRI a known prefix covers, else the IRI: a label of last resort
        that keeps ``foaf:Agent`` and ``prov:Agent`` apart."""
        for prefix, namespace in self.namespaces.prefixes.items():
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return iri

    def iri_at(self, path: str) -> str:
        return self.namespaces.iri_of(path)

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

    @staticmethod
    def navigation() -> tuple[NavItem, ...]:
        return NAVIGATION
