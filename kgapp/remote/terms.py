"""Terms between us and a remote store.

Blank nodes are written to a store as Skolem IRIs (RDF 1.1 §3.5) under the project's
``.well-known/genid/`` and read back as the blank nodes they were: a store gives every blank
node of a request a fresh identity, so a blank node written in two graphs (a citation in its
source's graph and in the default graph) would otherwise become two nodes. Blank nodes a store
makes up itself are relabelled to what RDF allows (Virtuoso writes ``nodeID://b10000``).
"""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-.]*$")


class Skolem:
    """Blank node ⇄ Skolem IRI, for one project's IRIs."""

    def __init__(self, base: str) -> None:
        self.prefix = base + ".well-known/genid/"

    def iri(self, node: ox.BlankNode) -> ox.NamedNode:
        return ox.NamedNode(self.prefix + node.value)

    def written(self, term: Term) -> ox.NamedNode | ox.Literal:
        return self.iri(term) if isinstance(term, ox.BlankNode) else term

    def triple(self, triple: ox.Triple) -> ox.Triple:
        """A triple as the store keeps it: no blank nodes."""
        return ox.Triple(self.written(triple.subject), triple.predicate, self.written(triple.object))  # type: ignore[arg-type]

    def read(self, term: Term | ox.Triple) -> Term | ox.Triple:
        """A term from the store as the dataset has it."""
        if isinstance(term, ox.NamedNode) and term.value.startswith(self.prefix):
            return ox.BlankNode(blank_label(term.value[len(self.prefix) :]))
        return term

    def read_iri(self, iri: str) -> ox.NamedNode | ox.BlankNode:
        if iri.startswith(self.prefix):
            return ox.BlankNode(blank_label(iri[len(self.prefix) :]))
        return ox.NamedNode(iri)


def blank_label(label: str) -> str:
    """``label`` when RDF allows it as a blank node label, else one made from it."""
    if _LABEL.match(label) and not label.endswith("."):
        return label
    return "r" + hashlib.blake2b(label.encode("utf-8"), digest_size=12).hexdigest()
