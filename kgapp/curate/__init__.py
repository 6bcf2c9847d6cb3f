"""Writes over HTTP: SPARQL Update, the Graph Store Protocol and the curator page."""
