"""The SPARQL 1.1 endpoint: the protocol, the service description and VoID, the dumps, and the
query page. Queries themselves run in :mod:`kgapp.engine`."""
