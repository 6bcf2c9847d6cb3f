"""The graph's past, for readers: every version's change record and feed, each entity's history,
and Memento (RFC 7089) — TimeGates, TimeMaps and the headers of versioned answers."""
