"""Finding things by name: the index of names, the search page and its JSON twin (autocomplete)."""
