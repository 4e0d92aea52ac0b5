"""One contract, two conversation stores: in memory and in a SQLite file."""

from __future__ import annotations

import base64
import re

import pytest

from assistant import (
    ConversationStore,
    Intent,
    MemoryConversationStore,
    SqliteConversationStore,
)
from assistant.understanding import Query


def _q(text: str) -> Query:
    return Query(question=text, text=text, intent=Intent.PROGRAMME)


class Clock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request, tmp_path, clock):
    opened: list[ConversationStore] = []

    def make(max_conversations: int = 1000, ttl_s: float = 86400.0) -> ConversationStore:
        store: ConversationStore
        if request.param == "memory":
            store = MemoryConversationStore(max_conversations, ttl_s, clock=clock)
        else:
            store = SqliteConversationStore(
                tmp_path / "c.sqlite3",
                "web",
                max_conversations=max_conversations,
                ttl_s=ttl_s,
                clock=clock,
            )
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_both_stores_satisfy_the_protocol(make_store):
    assert isinstance(make_store(), ConversationStore)


def test_issued_ids_are_unique_and_unguessable(make_store):
    store = make_store(max_conversations=2000)
    ids = [store.start() for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    for cid in ids[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", cid)
        # At least 128 random bits behind the text.
        assert len(base64.urlsafe_b64decode(cid + "=" * (-len(cid) % 4))) >= 16
    assert len({cid[:8] for cid in ids}) == len(ids)  # no shared prefix or counter


def test_a_started_conversation_exists_before_its_first_turn(make_store):
    store = make_store()
    cid = store.start()
    assert store.exists(cid) and store.last(cid) is None
    assert len(store) == 1
    assert not store.exists("chat1") and store.last("chat1") is None


def test_remember_creates_and_replaces_the_turn(make_store):
    store = make_store()
    store.remember("named", _q("first"))  # an in-process caller may name a conversation
    assert store.exists("named")
    store.remember("named", _q("second"))
    assert store.last("named") == _q("second")
    assert len(store) == 1


def test_the_count_bound_drops_the_oldest_turn(make_store):
    store = make_store(max_conversations=3)
    for i in range(5):
        store.remember(f"c{i}", _q(str(i)))
    assert len(store) == 3
    assert not store.exists("c0") and not store.exists("c1")
    store.remember("c2", _q("again"))  # a new turn: c2 becomes the most recent
    store.remember("c5", _q("5"))
    assert store.exists("c2") and not store.exists("c3")
    assert store.last("c2") == _q("again")


def test_conversations_expire_by_age(make_store, clock):
    store = make_store(ttl_s=100)
    idle = store.start()
    store.remember("busy", _q("0"))
    clock.now += 60
    store.remember("busy", _q("60"))  # a turn renews the conversation's age
    clock.now += 40  # idle: 100 s without a turn
    assert not store.exists(idle) and store.last(idle) is None
    assert store.last("busy") == _q("60")
    assert len(store) == 1
    clock.now += 59
    assert store.exists("busy")
    clock.now += 1
    assert not store.exists("busy") and store.last("busy") is None
    assert len(store) == 0


def test_an_expired_conversation_leaves_room(make_store, clock):
    store = make_store(max_conversations=2, ttl_s=100)
    store.remember("old", _q("old"))
    clock.now += 100
    store.remember("a", _q("a"))
    store.remember("b", _q("b"))
    assert store.exists("a") and store.exists("b") and len(store) == 2


def test_store_is_thread_safe(make_store, run_threads):
    store = make_store(max_conversations=20)

    def worker(n: int) -> None:
        for i in range(40):
            store.remember(f"{n}-{i % 25}", _q(str(i)))
            store.last(f"{n}-{(i * 7) % 25}")
            store.exists(store.start())

    assert run_threads(worker, 4) == []
    assert len(store) == 20
