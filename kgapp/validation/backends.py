"""The SHACL engines behind one interface: pySHACL (the reference) and pyshacl-turbo (the default).

Both get the same input — the instance data with the ontology mixed in, the shapes, SHACL-SPARQL
on, no inference — and hand back a SHACL report graph. No inference is run: SHACL's ``sh:class``
and ``sh:targetClass`` already follow ``rdfs:subClassOf`` in the mixed-in ontology, while RDFS
range/domain inference would make every object of a property an instance of its range and so
hide exactly the wrong-class errors the shapes exist to catch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kgapp.engines import DEFAULT_VALIDATOR, REFERENCE_VALIDATOR
from kgapp.rdflibterms import rdflib_graph
from kgapp.validation.report import ShapesError

Triples = Iterable[ox.Triple]


@dataclass
class ValidationInput:
    data: list[ox.Triple]  # instance data
    ontology: list[ox.Triple]
    shapes: list[ox.Triple]
    _stores: tuple[ox.Store, ox.Store] | None = field(default=None, repr=False, compare=False)

    def stores(self) -> tuple[ox.Store, ox.Store]:
        """Data with the ontology mixed in, and the shapes, as in-memory stores (made once)."""
        if self._stores is None:
            self._stores = (_store(self.data, self.ontology), _store(self.shapes))
        return self._stores


def _store(*parts: Triples) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for part in parts for t in part)
    return store


def _as_stored(triples: Triples) -> Graph:
    """The triples as the store holds them: pyoxigraph keeps numbers in canonical form
    (``12800000000.0`` is read back as ``12800000000``), and both engines must see the same terms."""
    return rdflib_graph(ox.Triple(q.subject, q.predicate, q.object) for q in _store(triples))


def _options(focus_nodes: Sequence[str] | None, shapes: Sequence[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if focus_nodes is not None:
        options["focus_nodes"] = list(focus_nodes)
    if shapes is not None:
        options["use_shapes"] = list(shapes)
    return options


def run_pyshacl(
    given: ValidationInput, focus_nodes: Sequence[str] | None, shapes: Sequence[str] | None
) -> Graph:
    from pyparsing import ParseException
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError

    options = _options(focus_nodes, shapes)
    try:
        _conforms, report, _text = validate(
            _as_stored(given.data),
            shacl_graph=_as_stored(given.shapes),
            ont_graph=_as_stored(given.ontology),
            inference="none",
            advanced=True,
            allow_warnings=True,
            abort_on_first=False,
            **options,
        )
    except ReportableRuntimeError as exc:  # a malformed shape or constraint, not bad data
        raise ShapesError(f"the shapes cannot be applied: {exc.message}") from None
    except ParseException as exc:  # SPARQL in a SHACL-SPARQL constraint that does not parse
        raise ShapesError(
            f"the shapes cannot be applied: a SPARQL constraint does not parse: {exc}"
        ) from None
    if not isinstance(report, Graph):  # pyshacl hands back a ValidationFailure instead
        raise ShapesError(f"the shapes cannot be applied: {report}")
    return report


def run_turbo(
    given: ValidationInput, focus_nodes: Sequence[str] | None, shapes: Sequence[str] | None
) -> Graph:
    """pyshacl-turbo on pyoxigraph stores: the ontology is mixed into the data store here, which
    is what pySHACL's ``ont_graph`` does (the union of both graphs is validated)."""
    from pyshacl_turbo import validate
    from pyshacl_turbo.errors import ReportableRuntimeError

    options = _options(focus_nodes, shapes)
    try:
        data, shapes_store = given.stores()
        result = validate(
            data,
            shacl_graph=shapes_store,
            inference="none",
            advanced=True,
            allow_warnings=True,
            abort_on_first=False,
            **options,
        )
    except ReportableRuntimeError as exc:
        raise ShapesError(f"the shapes cannot be applied: {exc.message}") from None
    except (SyntaxError, ValueError) as exc:
        raise ShapesError(f"the shapes cannot be applied: {exc}") from None
    report = result[1] if isinstance(result, tuple) else None
    if not isinstance(report, Graph):
        raise ShapesError(
            f"the shapes cannot be applied: {result[2] if isinstance(result, tuple) else result}"
        )
    return report


VALIDATORS: dict[str, Callable[[ValidationInput, Sequence[str] | None, Sequence[str] | None], Graph]] = {
    DEFAULT_VALIDATOR: run_turbo,
    REFERENCE_VALIDATOR: run_pyshacl,
}
