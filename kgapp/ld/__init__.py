"""Linked data: dereferenceable IRIs, entity pages with provenance, the ontology's documentation."""
