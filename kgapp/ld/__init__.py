"""Linked-data browsing: dereferenceable IRIs, entity pages with provenance, and the site pages
(search, browse, timeline, conflicts, sources, cite) that lead to them."""

from kgapp.ld import pages as _pages  # noqa: F401 - registers the site pages on the blueprint
from kgapp.ld.views import blueprint

__all__ = ["blueprint"]
