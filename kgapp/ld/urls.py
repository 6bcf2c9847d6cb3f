"""Every URL the linked-data pages print is built here: IRI ⇄ local path ⇄ format twin.

An IRI under the base is served at its own path on whatever origin serves the app, so
``https://w3id.org/hkus/id/x`` is at ``/id/x`` here; its representations add a suffix
(``/id/x.ttl``). IRIs outside the base are linked as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from kgapp.ld.formats import FORMATS, Format
from kgapp.namespaces import Namespaces

# Top-level path segments under the base that name described resources.
RESOURCE_ROOTS: tuple[str, ...] = ("id", "source", "ontology", "measure-type", "shapes", "graph")
# Schemes a page may link to; an IRI with any other scheme is shown as text, never as a link.
LINKABLE_SCHEMES = frozenset({"http", "https", "mailto", "urn"})


@dataclass(frozen=True)
class UrlBuilder:
    namespaces: Namespaces

    def is_local(self, iri: str) -> bool:
        path = self.namespaces.path_of(iri)
        return path is not None and path.lstrip("/").split("/")[0] in RESOURCE_ROOTS

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` points: its local path when it is ours, the IRI itself when
        it is a web address, and None (no link) for any other scheme (``javascript:``…)."""
        if self.is_local(iri):
            return quote(self.namespaces.path_of(iri) or "", safe="/:@!$&'()*+,;=-._~")
        if iri.split(":", 1)[0].lower() in LINKABLE_SCHEMES:
            return iri
        return None

    def document(self, iri: str, fmt: Format) -> str:
        """The URL of one representation of a local IRI (``/id/x.ttl``)."""
        path = self.namespaces.path_of(iri)
        if path is None:
            raise ValueError(f"not an IRI under {self.namespaces.base}: {iri}")
        return quote(path, safe="/:@!$&'()*+,;=-._~") + f".{fmt.suffix}"

    def alternates(self, iri: str) -> list[tuple[Format, str]]:
        return [(fmt, self.document(iri, fmt)) for fmt in FORMATS]

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
    def with_query(path: str, **params: str) -> str:
        present = {k: v for k, v in params.items() if v}
        return f"{path}?{urlencode(present)}" if present else path
