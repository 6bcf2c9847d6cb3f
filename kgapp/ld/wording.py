"""Plain-language headings for relations on entity pages.

The ontology labels each property for its own direction ("imposed by"); a page also shows the
other direction, from the thing it is about ("measures it imposed"), which few properties have a
named inverse for. These headings are presentation, not vocabulary, so they live here; where
one is missing the ontology's inverse label, then a neutral phrase, is used.
"""

from __future__ import annotations

from kgapp.namespaces import Namespaces

# hkus property (local name) → heading for ``value property this``, seen from ``this``.
INCOMING: dict[str, str] = {
    "about": "said or reported about it",
    "accordingTo": "facts sources credit to it",
    "actingAs": "acts done in this office",
    "activity": "provisions concerning it",
    "actsOnBehalfOf": "acting on its behalf",
    "advances": "steps that took it towards effect",
    "affects": "events that changed its status",
    "agent": "events it took part in",
    "announcer": "announcements it made",
    "answersTo": "posts answering to it",
    "appliesTo": "provisions applying to it",
    "attributableTo": "acts attributable to it",
    "bodyOf": "its bodies",
    "covers": "measures and provisions covering it",
    "describedIn": "things it tells of",
    "directedAt": "acts directed at it",
    "divertedTo": "risks of goods being diverted to it",
    "establishes": "established by",
    "exporter": "trade in which it exports",
    "extends": "extended by",
    "holder": "posts it held",
    "importer": "trade in which it imports",
    "imposedBy": "measures it imposed",
    "jurisdiction": "laws of this jurisdiction",
    "legalBasis": "measures taken under it",
    "locatedIn": "located in it",
    "measureType": "measures of this type",
    "member": "its memberships",
    "memberOf": "its members",
    "membershipIn": "memberships in it",
    "membershipKind": "memberships of this kind",
    "metric": "figures of this metric",
    "namedBy": "risks it named",
    "occasion": "said on this occasion",
    "participatesIn": "taking part in it",
    "party": "agreements it is party to",
    "place": "events that took place here",
    "post": "holders of this post",
    "provisionKind": "provisions of this kind",
    "provisionOf": "what it provides",
    "publisher": "documents it published",
    "rank": "posts of this rank",
    "rationaleFor": "reasons given for it",
    "registeredWith": "registered with it",
    "reportedBy": "reports it carried",
    "reportsTo": "posts reporting to it",
    "represents": "missions representing it",
    "resolvesDateOf": "how its date was worked out",
    "respondsIndirectlyTo": "in the chain of responses that starts from it",
    "respondsTo": "responses to it",
    "resultingStatus": "events that left something in this status",
    "sovereignty": "under its sovereignty",
    "speaker": "what it said",
    "statedIn": "facts it states",
    "status": "records of this status",
    "statusOf": "records of its status",
    "subEventOf": "its stages",
    "subOrganizationOf": "bodies within it",
    "suspends": "suspended by",
    "targets": "measures aimed at it",
    "unit": "figures in this unit",
    "voteResult": "votes with this result",
    "withinOrganization": "bodies within it, at any depth",
}

# hkus property (local name) → heading for ``this property value``, where the label misleads.
OUTGOING: dict[str, str] = {
    "prompted": "responses it prompted",
    "subEventOf": "stage of",
    "hasMembership": "memberships",
}


def heading(
    property_iri: str, label: str, direction: str, inverse_label: str | None, namespaces: Namespaces
) -> str:
    """The heading of a relation seen from the page's thing, in plain words."""
    ours = str(namespaces.hkus)
    local = property_iri[len(ours) :] if property_iri.startswith(ours) else None
    if direction == "out":
        return OUTGOING.get(local or "", label)
    if local in INCOMING:
        return INCOMING[local]
    return inverse_label or f"linked here as “{label}”"
