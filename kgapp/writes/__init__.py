"""Writes as changes: SPARQL Update evaluated, Graph Store operations, the sourcing rule and the
gate every write passes before it is committed."""
