"""Requests that came while a per-build cache (the search index, the labels) was being computed
each computed it again: on the 100,000-triple graph a cold server's first burst of page requests
built the search index eight times at once, and none answered within wrk's timeout. The first
computes it, the others wait for it."""

from __future__ import annotations

import threading
import time

from kgapp.store import EmbeddedStore, KnowledgeStore


def test_a_per_build_cache_is_computed_once_however_many_ask_at_once(built_store: KnowledgeStore) -> None:
    assert isinstance(built_store, EmbeddedStore)
    fresh = EmbeddedStore(built_store.build_dir, built_store.namespaces)
    calls: list[int] = []

    def slow_index(store: KnowledgeStore) -> int:
        calls.append(1)
        time.sleep(0.3)
        return len(store)

    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(fresh.memo(slow_index))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert answers == [len(fresh)] * 8
