"""OWL 2 RL reasoning: the closure of ontology + data, minus the asserted, minus noise.

Two reasoners give the same inferences (a test holds them to it on the real and generated
graphs): owlrl, the reference, and the project's rule engine (:mod:`kgapp.reasoning.engine`),
the default, which is faster and keeps its closure up to date when triples come and go.

A closure contains triples no user asked for: literals as subjects, axioms about the
RDF/RDFS/OWL/XSD vocabularies themselves, and reflexive ``owl:sameAs``/``subClassOf``/
``subPropertyOf``/``equivalentClass``. They are dropped and counted so the report says how much.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.engines import DEFAULT_REASONER, REFERENCE_REASONER
from kgapp.errors import KGError
from kgapp.namespaces import XSD
from kgapp.reasoning.engine import RuleEngine
from kgapp.reasoning.terms import OWL, RDF, RDFS, IntTriple, TermTable

W3C_VOCABULARIES = (RDF, RDFS, OWL, XSD)
REFLEXIVE_NOISE = {
    OWL + "sameAs",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
}
TRIVIAL_TYPES = {OWL + "Thing", RDFS + "Resource"}
TRIVIAL_WHEN_OBJECT = {RDF + "type", RDFS + "subClassOf", RDFS + "domain", RDFS + "range"}


class Inconsistent(KGError):
    """The ontology and the data contradict each other (an OWL 2 RL rule concludes false)."""

    title = "Inconsistent data"
    status = 422


def refuse_clashes(clashes: list[str]) -> None:
    """Refuse a change that makes the ontology and the data inconsistent, naming each clash."""
    if clashes:
        lines = "\n".join(f"  {clash}" for clash in clashes)
        raise Inconsistent(
            f"the ontology and the data are inconsistent (the change is refused):\n{lines}\n"
            "Each line names the OWL 2 RL rule that fails and the terms it fails on.",
            clashes=clashes,
        )


@dataclass
class Inference:
    inferred: set[ox.Triple]
    dropped: Counter[str]
    clashes: list[str] = field(default_factory=list)  # inconsistencies, each naming its terms


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def noise_kind(s: Term, p: ox.NamedNode, o: Term) -> str | None:
    """Why an inferred triple is noise, or None when it is worth keeping."""
    if isinstance(s, ox.Literal):
        return "literal subject"
    if isinstance(s, ox.NamedNode) and s.value.startswith(W3C_VOCABULARIES):
        return "axiom about RDF/RDFS/OWL/XSD vocabulary"
    if p.value in REFLEXIVE_NOISE and s == o:
        return "reflexive " + p.value.split("#")[-1]
    if isinstance(o, ox.NamedNode):
        if o.value in TRIVIAL_TYPES and p.value in TRIVIAL_WHEN_OBJECT:
            return "trivial (owl:Thing or rdfs:Resource as type, superclass, domain or range)"
        if p.value == RDF + "type" and o.value.startswith(W3C_VOCABULARIES) and o.value != OWL + "Nothing":
            return "vocabulary typing (class, property, datatype, list…)"
    return None


def without_noise(triples: Iterable[tuple[Term, Term, Term]]) -> tuple[set[ox.Triple], Counter[str]]:
    """The triples worth keeping, and how many of each kind of noise were dropped."""
    kept: set[ox.Triple] = set()
    dropped: Counter[str] = Counter()
    for s, p, o in triples:
        if not isinstance(p, ox.NamedNode):  # owlrl drops blank-node predicates too
            continue
        kind = noise_kind(s, p, o)
        if kind:
            dropped[kind] += 1
        else:
            kept.add(ox.Triple(s, p, o))  # type: ignore[arg-type]
    return kept, dropped


def infer_with_rules(ontology: Iterable[ox.Triple], data: Iterable[ox.Triple]) -> Inference:
    table = TermTable()
    engine = RuleEngine(table, [table.encode(t) for t in (*ontology, *data)])
    engine.saturate()
    return result_of(engine)


def inferred_ids(engine: RuleEngine) -> tuple[set[IntTriple], Counter[str]]:
    """The engine's inferred graph (derived triples without noise), as ints. Noise depends on
    the terms alone, so it is decided once per distinct triple shape through per-term facts."""
    terms = engine.table.terms
    kinds: dict[IntTriple, str | None] = {}
    kept: set[IntTriple] = set()
    dropped: Counter[str] = Counter()
    literal = [isinstance(t, ox.Literal) for t in terms]
    for triple in engine.derived():
        s, p, o = triple
        if literal[s]:
            dropped["literal subject"] += 1
            continue
        if not isinstance(terms[p], ox.NamedNode):
            continue
        # the noise rules only look at the subject when it is vocabulary or equals the object
        key = (s if s == o or is_vocabulary(terms[s]) else -1, p, o)
        if key not in kinds:
            kinds[key] = noise_kind(terms[s], terms[p], terms[o])  # type: ignore[arg-type]
        kind = kinds[key]
        if kind:
            dropped[kind] += 1
        else:
            kept.add(triple)
    return kept, dropped


def updated_inferred(
    engine: RuleEngine,
    inferred: set[IntTriple],
    dropped: Counter[str],
    removed: set[IntTriple],
    added: set[IntTriple],
) -> tuple[set[IntTriple], Counter[str]]:
    """The inferred graph and noise counts after :meth:`RuleEngine.update`, from the previous
    ones and the triples it changed (``removed``/``added``: the asserted triples it was given)."""
    if engine.changes is None:
        return inferred_ids(engine)
    terms = engine.table.terms
    inferred, dropped = set(inferred), Counter(dropped)
    old_asserted = (engine.asserted - added) | removed

    def kind(triple: IntTriple) -> str | None:
        s, p, o = (terms[i] for i in triple)
        if not isinstance(p, ox.NamedNode):
            return "skip"
        return noise_kind(s, p, o)

    for triple, was_in_closure in engine.changes.items():
        was = was_in_closure and triple not in old_asserted
        now = triple in engine.index and triple not in engine.asserted
        if was == now:
            continue
        found = kind(triple)
        if found == "skip":
            continue
        if found:
            dropped[found] += 1 if now else -1
        elif now:
            inferred.add(triple)
        else:
            inferred.discard(triple)
    return inferred, +dropped


def is_vocabulary(term: Term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(W3C_VOCABULARIES)


# Rules whose terms after the first ``n`` are an unordered pair (found from either side).
UNORDERED_AFTER = {
    "cax-dw": 1,
    "cax-adc": 1,
    "cls-com": 1,
    "eq-diff1": 0,
    "eq-diff2": 0,
    "prp-asyp": 1,
    "prp-pdw": 2,
    "prp-adp": 2,
}


def clashes_of(engine: RuleEngine, origin: Callable[[Term], list[str]] = lambda _: []) -> list[str]:
    """Each inconsistency once, its terms in an order that does not depend on which side of
    the rule was found first, with the files that describe its first term (``origin``)."""
    terms = engine.table.terms
    messages = set()
    for clash in engine.clashes:
        named = [str(terms[i]) for i in clash.terms]
        fixed = UNORDERED_AFTER.get(clash.rule)
        if fixed is not None:
            named = named[:fixed] + sorted(named[fixed:])
        files = origin(terms[clash.terms[0]]) if clash.terms else []
        where = f" (described in {', '.join(files)})" if files else ""
        messages.add(f"OWL 2 RL rule {clash.rule} fails on " + ", ".join(named) + where)
    return sorted(messages)


def result_of(engine: RuleEngine) -> Inference:
    ids, dropped = inferred_ids(engine)
    return Inference({engine.table.decode(t) for t in ids}, dropped, clashes_of(engine))


def infer_with_owlrl(ontology: Iterable[ox.Triple], data: Iterable[ox.Triple]) -> Inference:
    from kgapp.reasoning.reference import closure_with_owlrl

    asserted = {*ontology, *data}
    closure, errors = closure_with_owlrl(asserted)
    asserted_terms = {(t.subject, t.predicate, t.object) for t in asserted}
    inferred, dropped = without_noise(t for t in closure if t not in asserted_terms)
    return Inference(inferred, dropped, errors)


REASONERS: dict[str, Callable[[Iterable[ox.Triple], Iterable[ox.Triple]], Inference]] = {
    DEFAULT_REASONER: infer_with_rules,
    REFERENCE_REASONER: infer_with_owlrl,
}


def infer(
    ontology: Iterable[ox.Triple], data: Iterable[ox.Triple], *, reasoner: str = DEFAULT_REASONER
) -> Inference:
    """Triples OWL 2 RL entails from ontology + data that neither asserts, without noise."""
    return REASONERS[reasoner](list(ontology), list(data))
