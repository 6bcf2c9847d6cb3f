"""Read models: what the pages need, read from a build and shaped for them, with no HTTP in
sight — names and kinds of things, the full-text index, who says what and where (provenance),
figures with their units, how to cite. The web layer renders them; the command line and the
tests read them directly.

``HIDDEN`` marks a field kept out of the JSON twin of a page:
``field(metadata={HIDDEN: False})`` (see :mod:`kgapp.web.jsonview`).
"""

HIDDEN = "json"
