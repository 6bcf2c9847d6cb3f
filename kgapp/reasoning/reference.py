"""owlrl, the reference OWL 2 RL reasoner, on pyoxigraph triples."""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from kgapp.rdflibterms import rdflib_graph, to_ox
from kgapp.rdfterms import OxTerm

# Where owlrl writes what it found inconsistent, as triples in the closure.
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


def closure_with_owlrl(asserted: Iterable[ox.Triple]) -> tuple[set[tuple[OxTerm, OxTerm, OxTerm]], list[str]]:
    """The OWL-RL closure of ``asserted``, and owlrl's error messages (inconsistencies)."""
    graph: Graph = rdflib_graph(asserted)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        graph
    )
    errors = sorted(str(m) for m in graph.objects(None, OWLRL_ERRORS.error))
    for message in list(graph.subjects(RDF.type, OWLRL_ERRORS.ErrorMessage)):
        graph.remove((message, None, None))
    closure = {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph}
    return closure, errors
