"""The site pages that lead to the entities: home, health, browse, timeline, conflicts, sources
and cite. Each page is a dataclass (:mod:`kgapp.web.pages`) with an HTML and a JSON form."""
