"""Change records as RDF: each version's commit a ``prov:Activity`` (PROV-O), who made it, when,
why, the version it used and the one it generated, the sources it cites, and the statements it
added (``prov:wasGeneratedBy``) and removed (``prov:wasInvalidatedBy``), each an
``rdf:Statement`` located in its graph (``prov:atLocation``). Read from the history, so pruned
versions keep theirs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from kgapp.commits import history
from kgapp.namespaces import Namespaces
from kgapp.versions import Version, VersionIndex, version_path
from kgapp.web.urls import UrlBuilder

PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
XSD_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
TYPE = ox.NamedNode(RDF + "type")
PROV_PREFIXES = {"prov": PROV, "dcterms": DCTERMS}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def activity(version: Version, urls: UrlBuilder, namespaces: Namespaces, data_dir: Path) -> list[ox.Triple]:
    """The PROV-O record of one version's commit, with its delta."""
    node = _n(urls.absolute_path(f"/changes/{version.number}"))
    by_agent = urls.absolute_path("/changes?" + urlencode({"agent": version.agent}))
    agent = _n(by_agent) if version.agent else None
    generated = _n(urls.absolute_path(version_path(version.number) + "/"))
    triples = [
        ox.Triple(node, TYPE, _n(PROV + "Activity")),
        ox.Triple(node, _n(RDFS + "label"), ox.Literal(f"Version {version.number}: {version.message}")),
        ox.Triple(node, _n(DCTERMS + "description"), ox.Literal(version.message)),
        ox.Triple(
            node,
            _n(PROV + "endedAtTime"),
            ox.Literal(version.committed_at.isoformat(), datatype=XSD_DATE_TIME),
        ),
        ox.Triple(node, _n(PROV + "generated"), generated),
        ox.Triple(generated, TYPE, _n(PROV + "Entity")),
        ox.Triple(generated, _n(DCTERMS + "identifier"), ox.Literal(version.id)),
    ]
    if version.number > 1:
        triples.append(
            ox.Triple(node, _n(PROV + "used"), _n(urls.absolute_path(version_path(version.number - 1) + "/")))
        )
    if agent is not None:
        triples += [
            ox.Triple(node, _n(PROV + "wasAssociatedWith"), agent),
            ox.Triple(agent, TYPE, _n(PROV + "Agent")),
            ox.Triple(agent, _n(RDFS + "label"), ox.Literal(version.agent)),
        ]
    triples += list(_delta(node, history.changes_in(data_dir, version.number), namespaces))
    return triples


def _delta(
    node: ox.NamedNode, rows: Iterable[tuple[str, str, str, str, str]], namespaces: Namespaces
) -> Iterable[ox.Triple]:
    cited: set[str] = set()
    for op, graph, subject, predicate, value in rows:
        statement = ox.BlankNode()
        yield ox.Triple(statement, TYPE, _n(RDF + "Statement"))
        for name, text in (("subject", subject), ("predicate", predicate), ("object", value)):
            yield ox.Triple(statement, _n(RDF + name), _term(text))
        yield ox.Triple(statement, _n(PROV + "atLocation"), _n(graph))
        yield ox.Triple(statement, _n(PROV + ("wasGeneratedBy" if op == "+" else "wasInvalidatedBy")), node)
        if namespaces.is_source_graph(graph) and graph not in cited:
            cited.add(graph)
            document = str(namespaces.source) + graph[len(str(namespaces.graph) + "source/") :]
            yield ox.Triple(node, _n(DCTERMS + "source"), _n(document))


def _term(text: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A recorded term (N-Triples) as a term; a term that does not read back is kept as text."""
    try:
        quad = next(
            iter(ox.parse(input=f"<urn:x:s> <urn:x:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))
        )
        term = quad.object
        assert isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal)
        return term
    except (SyntaxError, StopIteration):
        if text.startswith("<") and text.endswith(">"):
            return _n(text[1:-1])
        return ox.Literal(text)


def activities(index: VersionIndex, numbers: Iterable[int], urls: UrlBuilder) -> list[ox.Triple]:
    found: list[ox.Triple] = []
    for number in numbers:
        found += activity(index.get(number), urls, urls.namespaces, index.data_dir)
    return found
