"""Where a page links to an IRI — its local path when it is ours, the IRI itself when its scheme
may be linked to, nothing otherwise — and how an IRI is shown without a label. The request-free
part of every URL the app prints; :class:`kgapp.web.urls.UrlBuilder` adds routes and absolute
URLs on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from kgapp.formats import DOCUMENT_FORMATS, Format
from kgapp.namespaces import Namespaces

# Top-level path segments under the base that name described resources.
RESOURCE_ROOTS: tuple[str, ...] = ("id", "source", "ontology", "measure-type", "shapes", "graph")
# Schemes a page may link to; an IRI with any other scheme is shown as text, never as a link.
LINKABLE_SCHEMES = frozenset({"http", "https", "mailto", "urn"})
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def linkable(iri: str) -> bool:
    """Whether a page may link to ``iri`` at all (no ``javascript:``, ``data:``…)."""
    return iri.split(":", 1)[0].lower() in LINKABLE_SCHEMES


@dataclass(frozen=True)
class Links:
    """Links to IRIs, for one project's namespaces."""

    namespaces: Namespaces
    prefix: str = ""  # before every local path: ``/v/<n>`` for the pages of a past version

    def is_local(self, iri: str) -> bool:
        path = self.namespaces.path_of(iri)
        return path is not None and path.lstrip("/").split("/")[0] in RESOURCE_ROOTS

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` points: its local path when it is ours, the IRI itself when
        its scheme may be linked to, and None (no link) otherwise."""
        if self.is_local(iri):
            return self.prefix + quote(self.namespaces.path_of(iri) or "", safe=PATH_SAFE)
        return iri if linkable(iri) else None

    def document(self, iri: str, fmt: Format) -> str:
        """The URL of one representation of a local IRI (``/id/x.ttl``)."""
        path = self.namespaces.path_of(iri)
        if path is None:
            raise ValueError(f"not an IRI under {self.namespaces.base}: {iri}")
        return self.prefix + quote(path, safe=PATH_SAFE) + f".{fmt.suffix}"

    def alternates(self, iri: str) -> list[tuple[Format, str]]:
        return [(fmt, self.document(iri, fmt)) for fmt in DOCUMENT_FORMATS]

    def compact(self, iri: str) -> str:
        return self.namespaces.compact(iri)

    def iri_at(self, path: str) -> str:
        return self.namespaces.iri_of(path)
