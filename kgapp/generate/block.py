"""One block of a generated graph: its registry entities and its two source documents."""

from __future__ import annotations

import random

import pyoxigraph as ox

from kgapp.namespaces import RDF_TYPE, XSD, Namespaces

Triples = list[ox.Triple]
TYPE = ox.NamedNode(RDF_TYPE)
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
BLOCKS_PER_DOCUMENT = 12
MEASURE_TYPES = (
    "export-control",
    "licence-exception-suspension",
    "defence-export-ban",
    "dual-use-restriction",
    "sanction",
    "targeted-sanction",
    "visa-restriction",
    "tariff",
    "origin-labelling",
    "special-treatment-revocation",
)


def text(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


class BlockWriter:
    def __init__(self, namespaces: Namespaces, rng: random.Random) -> None:
        self.ns = namespaces
        self.rng = rng
        self.prefixes = {
            k: v for k, v in namespaces.prefixes.items() if k in {"hkus", "id", "src", "mt", "rdfs", "xsd"}
        }

    def term(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(str(self.ns.hkus) + name)

    def id(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(str(self.ns.entity) + name)

    def add(
        self, into: Triples, subject: ox.NamedNode, *pairs: tuple[str, ox.NamedNode | ox.Literal]
    ) -> None:
        for name, value in pairs:
            predicate = (
                TYPE
                if name == "a"
                else LABEL
                if name == "label"
                else COMMENT
                if name == "comment"
                else self.term(name)
            )
            into.append(ox.Triple(subject, predicate, value))
            if name == "statedIn":
                self.cite(into, subject, value)

    def cite(self, into: Triples, fact: ox.NamedNode, document: ox.NamedNode | ox.Literal) -> None:
        """Where in ``document`` the fact is stated: a citation naming one of its paragraphs."""
        local = f"{fact.value.rsplit('/', 1)[-1]}-in-{document.value.rsplit('/', 1)[-1]}"
        citation = ox.BlankNode(f"citation-{local}")  # named after what it cites: same seed, same file
        paragraph = typed(str(self.rng.randint(1, BLOCKS_PER_DOCUMENT)), "integer")
        into.append(ox.Triple(fact, self.term("citation"), citation))
        into.append(ox.Triple(citation, self.term("inDocument"), document))
        into.append(ox.Triple(citation, self.term("paragraph"), paragraph))

    def entity(
        self, into: Triples, name: str, kind: str, label: str, *more: tuple[str, ox.NamedNode | ox.Literal]
    ) -> ox.NamedNode:
        node = self.id(name)
        self.add(
            into,
            node,
            ("a", self.term(kind)),
            ("label", text(label)),
            ("comment", text(f"{label}, a generated {kind}.")),
            *more,
        )
        return node

    def write_shared(self, into: Triples) -> None:
        """What every block refers to: a unit, and the state the first block's agreement is with."""
        self.entity(into, "gen-unit-usd", "Unit", "US dollar (generated)")
        self.entity(into, "gen-state-home", "SovereignState", "Home state")
        self.entity(into, "gen-publisher", "MediaOrganization", "The newspaper")

    def date(self) -> str:
        return f"{self.rng.randint(1992, 2025)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def block(self, k: int) -> tuple[Triples, list[tuple[str, Triples]]]:
        r: Triples = []
        e = self.entity
        state = e(r, f"gen-state-{k}", "SovereignState", f"State {k}")
        city = e(r, f"gen-city-{k}", "City", f"City {k}", ("partOf", state), ("sovereignty", state))
        government = e(r, f"gen-government-{k}", "Government", f"Government of state {k}", ("governs", state))
        department = e(
            r, f"gen-department-{k}", "Department", f"Department {k}", ("subOrganizationOf", government)
        )
        people = [
            e(r, f"gen-person-{k}-{i}", "Person", f"Person {k}.{i}", ("memberOf", department)) for i in (1, 2)
        ]
        post = e(r, f"gen-post-{k}", "Post", f"Minister {k}", ("postIn", department))
        statute = e(r, f"gen-statute-{k}", "Statute", f"Statute {k}", ("jurisdiction", state))
        other_state = self.id(f"gen-state-{k - 1}" if k else "gen-state-home")
        e(
            r,
            f"gen-agreement-{k}",
            "BilateralAgreement",
            f"Agreement {k}",
            ("party", state),
            ("party", other_state),
        )
        measure_type = ox.NamedNode(str(self.ns.measure_types) + self.rng.choice(MEASURE_TYPES))
        measure = e(r, f"gen-measure-{k}", "ExportControl", f"Measure {k}", ("measureType", measure_type))
        metric = e(r, f"gen-metric-{k}", "Metric", f"Exports of state {k}")
        goods = e(r, f"gen-goods-{k}", "GoodsCategory", f"Goods {k}")
        unit = self.id("gen-unit-usd")
        day = self.date()
        disagree = k % 10 == 9
        sources = []
        for side in ("a", "b"):
            s: Triples = []
            document = ox.NamedNode(f"{self.ns.source}gen-{k}-{side}")
            stated = ("statedIn", document)
            self.add(
                s,
                document,
                ("a", self.term("SourceDocument")),
                ("a", self.term("NewsReport")),
                ("label", text(f"Report {k}{side}")),
                ("title", text(f"Report {k}{side}")),
                ("publisher", self.id("gen-publisher")),
                ("url", ox.NamedNode(f"https://news.example/{k}/{side}")),
                ("published", typed(day, "date")),
                ("publishedBasis", text("Printed on the report.")),
                ("blockCount", typed(str(BLOCKS_PER_DOCUMENT), "integer")),
            )
            event_day = f"{int(day[:4]) - 1}{day[4:]}" if disagree and side == "b" else day
            event = self.id(f"gen-event-{k}")
            self.add(
                s,
                event,
                ("a", self.term("Announcement")),
                ("label", text(f"Announcement {k}")),
                ("date", typed(event_day, "date")),
                ("agent", people[0]),
                ("advances", measure),
                ("resultingStatus", self.term("StatusInForce")),
                stated,
            )
            self.add(
                s,
                measure,
                ("imposedBy", government),
                ("targets", city),
                ("covers", goods),
                ("respondsTo", statute),
                stated,
            )
            if side == "a":
                self._first_source_facts(s, k, people, post, metric, unit, city, statute, event, day, stated)
            sources.append((f"gen-{k}-{side}", s))
        return r, sources

    def _first_source_facts(
        self,
        s: Triples,
        k: int,
        people: list[ox.NamedNode],
        post: ox.NamedNode,
        metric: ox.NamedNode,
        unit: ox.NamedNode,
        city: ox.NamedNode,
        statute: ox.NamedNode,
        event: ox.NamedNode,
        day: str,
        stated: tuple[str, ox.NamedNode],
    ) -> None:
        self.add(
            s,
            self.id(f"gen-statement-{k}"),
            ("a", self.term("Statement")),
            ("label", text(f"Statement {k}")),
            ("speaker", people[1]),
            ("quote", text(f"Words spoken in block {k}.")),
            ("date", typed(day, "date")),
            ("occasion", self.term("WrittenStatement")),
            ("about", statute),
            stated,
        )
        value = f"{self.rng.randint(1, 99_999)}.{self.rng.randint(0, 9)}"
        self.add(
            s,
            self.id(f"gen-figure-{k}"),
            ("a", self.term("Observation")),
            ("label", text(f"Figure {k}")),
            ("metric", metric),
            ("value", typed(value, "decimal")),
            ("unit", unit),
            ("period", typed(day[:4], "gYear")),
            ("about", city),
            stated,
        )
        self.add(
            s,
            self.id(f"gen-holding-{k}"),
            ("a", self.term("PostHolding")),
            ("label", text(f"Holding {k}")),
            ("holder", people[0]),
            ("post", post),
            ("attestedOn", typed(day, "date")),
            stated,
        )
        self.add(
            s,
            self.id(f"gen-resolution-{k}"),
            ("a", self.term("DateResolution")),
            ("label", text(f"Resolution {k}")),
            ("resolvesDateOf", event),
            ("textSaid", ox.Literal(f"on day {k}")),
            ("resolvedTo", typed(day, "date")),
            ("resolutionBasis", text("The report's date.")),
            stated,
        )
