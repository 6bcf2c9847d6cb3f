"""The one place that knows the project's IRIs: namespaces, graph names and IRI ⇄ path mapping.

Data files are written against the canonical base ``https://w3id.org/hkus/``. A deployment may
configure another base; the loader then rewrites every IRI under the canonical base (see
:func:`rebase`), so nothing else in the code needs to know which base is in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

CANONICAL_BASE = "https://w3id.org/hkus/"
_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


class Namespace(str):
    """A namespace IRI as a plain string; ``ns.term`` and ``ns["term"]`` are its terms' IRIs
    (plain strings too: the runtime speaks pyoxigraph, and the modules that hand IRIs to rdflib
    make their rdflib terms from these)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return str(self) + name


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")
RDF_TYPE = RDF.type
RDF_LANG_STRING = RDF.langString
XSD_STRING = XSD.string

STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "time": str(TIME),
    "eli": str(ELI),
    "sh": str(SH),
    "void": str(VOID),
    "vann": str(VANN),
}


@dataclass(frozen=True)
class Namespaces:
    """Every IRI the project mints, derived from one base (ends with ``/``)."""

    base: str = CANONICAL_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {self.base!r}")

    # Vocabulary and data namespaces -------------------------------------------------------
    @cached_property
    def ontology_iri(self) -> str:
        return self.base + "ontology"

    @cached_property
    def dataset_iri(self) -> str:
        """The dataset itself (VoID's ``void:Dataset``): under the base, whatever host serves it."""
        return self.base + "dataset"

    @cached_property
    def hkus(self) -> Namespace:
        """Classes and properties of the ontology."""
        return Namespace(self.base + "ontology/")

    @cached_property
    def measure_types(self) -> Namespace:
        """Concepts of the SKOS scheme of measure types."""
        return Namespace(self.base + "measure-type/")

    @cached_property
    def shapes(self) -> Namespace:
        return Namespace(self.base + "shapes/")

    @cached_property
    def entity(self) -> Namespace:
        """Actors, laws, agreements, measures, events, statements, figures…"""
        return Namespace(self.base + "id/")

    @cached_property
    def source(self) -> Namespace:
        """Source documents."""
        return Namespace(self.base + "source/")

    @cached_property
    def graph(self) -> Namespace:
        return Namespace(self.base + "graph/")

    # Named graphs -------------------------------------------------------------------------
    @cached_property
    def ontology_graph(self) -> str:
        return self.graph + "ontology"

    @cached_property
    def shapes_graph(self) -> str:
        return self.graph + "shapes"

    @cached_property
    def entities_graph(self) -> str:
        """The editorial registry: identity, type, labels and descriptions of things."""
        return self.graph + "entities"

    @cached_property
    def inferred_graph(self) -> str:
        return self.graph + "inferred"

    @cached_property
    def asserted_graph(self) -> str:
        """A hidden graph of the store: every asserted triple once, the default graph of queries
        with inferences switched off. Not one of the dataset's named graphs."""
        return self.graph + "asserted"

    @cached_property
    def entailed_graph(self) -> str:
        """A hidden graph of the store: what the OWL 2 RL closure holds but no page shows
        (reflexive axioms, ``owl:Thing`` typing…), kept so that a commit reasons from the store."""
        return self.graph + "entailed"

    @cached_property
    def files_graph(self) -> str:
        """A hidden graph of the store: which input file describes which subject
        (:attr:`described_in`), so that reports name files without reading them."""
        return self.graph + "files"

    @cached_property
    def described_in(self) -> str:
        """The files graph's predicate: its object is a file's path under the project root."""
        return self.graph + "files#describedIn"

    @cached_property
    def unnamed_graph(self) -> str:
        """A hidden graph of the store: the graph store's own default graph, which a write that
        names no graph writes to (only where ``require_sources`` is off). Its triples are part of
        the queries' default graph, like every asserted graph's."""
        return self.graph + "unnamed"

    @cached_property
    def derived_graphs(self) -> frozenset[str]:
        """The hidden graphs made from the others: no triple in them is asserted there."""
        return frozenset({self.asserted_graph, self.entailed_graph, self.files_graph})

    @cached_property
    def hidden_graphs(self) -> frozenset[str]:
        """The graphs a store holds that are not the dataset's named graphs."""
        return self.derived_graphs | {self.unnamed_graph}

    @cached_property
    def default_graph(self) -> str:
        """A remote store's copy of the default graph (asserted and inferred, once each): stores
        differ in what their own default graph is, so a query names this one."""
        return self.graph + "default"

    @cached_property
    def empty_graph(self) -> str:
        """A graph no store holds: how a query to a remote store names an empty default graph."""
        return self.graph + "empty"

    @cached_property
    def builds_graph(self) -> str:
        """In a remote store, the pointer to the build it serves (:mod:`kgapp.remote.view`)."""
        return self.graph + "builds"

    @cached_property
    def current_build(self) -> str:
        """The pointer's predicate: its object describes the build being served."""
        return self.graph + "builds#current"

    @cached_property
    def meta_graph(self) -> str:
        """Build metadata and the link from each source graph to its document."""
        return self.graph + "meta"

    def source_graph(self, source_iri: str) -> str:
        """The named graph that holds what one source document states."""
        if not source_iri.startswith(str(self.source)):
            raise ValueError(f"not a source document IRI under {self.source}: {source_iri}")
        return str(self.graph) + "source/" + source_iri[len(str(self.source)) :]

    def is_source_graph(self, graph_iri: str) -> bool:
        return graph_iri.startswith(str(self.graph) + "source/")

    # Prefixes -----------------------------------------------------------------------------
    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for SPARQL, Turtle output and the query editor, ours first."""
        ours = {
            "hkus": str(self.hkus),
            "id": str(self.entity),
            "src": str(self.source),
            "mt": str(self.measure_types),
            "hkussh": str(self.shapes),
            "kgg": str(self.graph),
        }
        return ours | STANDARD_PREFIXES

    def compact(self, iri: str) -> str:
        """``prefix:local`` when a known prefix covers the IRI and leaves a simple local name (one
        SPARQL and Turtle read as it is), else the IRI: how an IRI is shown wherever it has no
        label, and in the query page's table. Keeps ``foaf:Agent`` and ``prov:Agent`` apart."""
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and _SIMPLE_LOCAL.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def expand(self, text: str) -> str | None:
        """The IRI a ``prefix:local`` name (or a whole IRI, ``<…>`` or bare) stands for; None
        for anything else (a property path, a phrase)."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if text.startswith(("http://", "https://", "urn:")) and " " not in text:
            return text
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.prefixes and _SIMPLE_LOCAL.fullmatch(local):
            return self.prefixes[prefix] + local
        return None

    def sparql_prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())

    # IRI ⇄ path ---------------------------------------------------------------------------
    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def path_of(self, iri: str) -> str | None:
        """The local path (``/id/hong-kong``) at which an IRI under the base is served."""
        if not self.is_ours(iri):
            return None
        return "/" + iri[len(self.base) :]

    def iri_of(self, path: str) -> str:
        """The IRI served at a local path: the inverse of :meth:`path_of`."""
        return self.base + path.lstrip("/")


def rebase(iri: str, namespaces: Namespaces) -> str:
    """Move an IRI written against the canonical base onto the configured base."""
    if namespaces.base == CANONICAL_BASE or not iri.startswith(CANONICAL_BASE):
        return iri
    return namespaces.base + iri[len(CANONICAL_BASE) :]
