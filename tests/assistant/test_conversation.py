from __future__ import annotations

import threading

from assistant.conversation import ConversationStore
from assistant.models import Intent
from assistant.understanding import Query


def _q(text: str) -> Query:
    return Query(question=text, text=text, intent=Intent.PROGRAMME)


def test_store_is_bounded_lru():
    store = ConversationStore(max_conversations=3)
    for i in range(5):
        store.remember(f"c{i}", _q(str(i)))
    assert len(store) == 3
    assert store.last("c0") is None and store.last("c1") is None
    store.last("c2")  # touch: c2 becomes most recent
    store.remember("c5", _q("5"))
    assert store.last("c2") is not None and store.last("c3") is None


def test_store_is_thread_safe():
    store = ConversationStore(max_conversations=50)

    def worker(n: int) -> None:
        for i in range(200):
            store.remember(f"{n}-{i % 60}", _q(str(i)))
            store.last(f"{n}-{(i * 7) % 60}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store) == 50
