"""Requests that came while a per-build cache (the search index, the labels) was being computed
each computed it again: on the 100,000-triple graph a cold server's first burst of page requests
built the search index eight times at once, and none answered within wrk's timeout. The first
computes it, the others wait for it."""

from __future__ import annotations

import threading

from kgapp.store import EmbeddedStore, KnowledgeStore
from tests.waiting import wait_until


def test_a_per_build_cache_is_computed_once_however_many_ask_at_once(built_store: KnowledgeStore) -> None:
    assert isinstance(built_store, EmbeddedStore)
    fresh = EmbeddedStore(built_store.build_dir, built_store.namespaces)
    calls: list[int] = []
    arrived: list[int] = []
    everyone_asked = threading.Event()

    def slow_index(store: KnowledgeStore) -> int:
        calls.append(1)
        everyone_asked.wait(10)  # still computing when the eighth request asks
        return len(store)

    answers: list[int] = []

    def ask() -> None:
        arrived.append(1)
        answers.append(fresh.memo(slow_index))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(arrived) == 8)
    everyone_asked.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert answers == [len(fresh)] * 8
