"""Query execution: one interface to run a SPARQL query on a build within a deadline, with caps on
what the answer may hold. No Flask here; the endpoint is one of its callers."""
