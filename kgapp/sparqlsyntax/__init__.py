"""SPARQL 1.1 read by our own grammar and written back as text every engine reads one way.

Used wherever a query or an update goes to a system that is not ours (a remote store), so that
what it runs is what we parsed and checked, never the client's bytes; and wherever an update
has to be understood before it runs (the quads it would change).
"""

from kgapp.sparqlsyntax.parser import parse_query, parse_update
from kgapp.sparqlsyntax.writer import write

__all__ = ["parse_query", "parse_update", "write"]
