"""What every surface of the web app shares: the app state, the HTTP layer around every response,
the page pipeline (a page and its JSON twin) and the URL builder. Imported by the blueprints;
imports none of them."""
