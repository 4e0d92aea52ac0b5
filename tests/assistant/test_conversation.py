"""Both conversation stores keep one contract; the SQLite one survives its process."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading

import pytest

from assistant import ConversationMemory, Intent, SqliteConversationStore
from assistant.conversation import ConversationStore, query_from_json, query_to_json
from assistant.understanding import Profile, Query
from ingest import ConfigError


def _q(text: str, **kw) -> Query:
    return Query(question=text, text=text, intent=Intent.PROGRAMME, **kw)


def _full_query() -> Query:
    return Query(
        question="その補助率は？",
        text="その補助率は?",
        intent=Intent.SUBSIDY,
        programmes=("p-mono", "p-loan"),
        articles=(15,),
        fiscal_years=(2016, 2017),
        attributes=("rate", "cap"),
        profile=Profile("manufacturing", 12, None, False, True, True),
        follow_up=True,
        intent_cued=True,
    )


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request, tmp_path):
    opened: list[SqliteConversationStore] = []

    def make(max_conversations: int = 1000):
        if request.param == "memory":
            return ConversationStore(max_conversations)
        store = SqliteConversationStore(tmp_path / "c.sqlite3", max_conversations)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


# -- JSON form ------------------------------------------------------------------------------


def test_query_round_trips_through_json():
    query = _full_query()
    text = query_to_json(query)
    doc = json.loads(text)  # plain JSON, readable by anything
    assert doc["query"]["intent"] == "subsidy"
    assert doc["query"]["profile"]["employees"] == 12
    back = query_from_json(text)
    assert back == query
    assert isinstance(back.intent, Intent) and isinstance(back.programmes, tuple)
    assert isinstance(back.profile, Profile)


def test_json_tolerates_added_and_removed_fields():
    doc = json.loads(query_to_json(_full_query()))
    doc["query"]["no_longer_a_field"] = 1
    del doc["query"]["attributes"]  # a field added later: its default applies
    back = query_from_json(json.dumps(doc))
    assert back.attributes == () and back.programmes == ("p-mono", "p-loan")


@pytest.mark.parametrize(
    "change",
    [
        {"intent": "no-such-intent"},
        {"articles": ["fifteen"]},
        {"articles": [True]},
        {"programmes": "p-mono"},
        {"profile": {"employees": "many"}},
        {"question": None},
    ],
)
def test_json_with_wrong_types_is_rejected(change):
    doc = json.loads(query_to_json(_full_query()))
    doc["query"].update(change)
    with pytest.raises(ValueError):
        query_from_json(json.dumps(doc))


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 99, "query": {}}', '{"format": 1}'])
def test_json_that_is_no_turn_is_rejected(text):
    with pytest.raises(ValueError):
        query_from_json(text)


# -- the shared contract ----------------------------------------------------------------------


def test_both_stores_satisfy_the_protocol(make_store):
    store = make_store()
    assert isinstance(store, ConversationMemory)
    assert store.new_id() != store.new_id()


def test_store_is_bounded_lru(make_store):
    store = make_store(max_conversations=3)
    for i in range(5):
        store.remember(f"c{i}", _q(str(i)))
    assert len(store) == 3
    assert store.last("c0") is None and store.last("c1") is None
    store.last("c2")  # touch: c2 becomes most recent
    store.remember("c5", _q("5"))
    assert store.last("c2") is not None and store.last("c3") is None


def test_remember_replaces_the_previous_turn(make_store):
    store = make_store()
    store.remember("c", _q("first"))
    store.remember("c", _full_query())
    assert store.last("c") == _full_query()
    assert len(store) == 1


def test_store_is_thread_safe(make_store):
    store = make_store(max_conversations=20)

    def worker(n: int) -> None:
        for i in range(40):
            store.remember(f"{n}-{i % 25}", _q(str(i)))
            store.last(f"{n}-{(i * 7) % 25}")

    assert _run_threads(worker, 4) == []
    assert len(store) == 20


def _run_threads(worker, count: int) -> list[BaseException]:
    """Run ``worker(n)`` on ``count`` threads at once; the exceptions they raised."""
    errors: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            worker(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


# -- SQLite specifics ---------------------------------------------------------------------------


def test_turns_survive_reopening(tmp_path):
    path = tmp_path / "deep" / "er" / "c.sqlite3"  # missing folders are created
    with SqliteConversationStore(path) as first:
        first.remember("chat", _full_query())
    assert path.is_file()
    with SqliteConversationStore(path) as second:
        assert second.last("chat") == _full_query()
        assert second.last("other") is None


def test_two_connections_share_turns_and_the_bound(tmp_path):
    path = tmp_path / "c.sqlite3"
    # Separate connections lock the file as two processes would.
    stores = [SqliteConversationStore(path, max_conversations=10) for _ in range(2)]

    def worker(n: int) -> None:
        for i in range(30):
            stores[n].remember(f"{n}-{i}", _q(f"{n}-{i}"))

    errors = _run_threads(worker, 2)
    try:
        assert errors == []
        assert len(stores[0]) == len(stores[1]) == 10
        stores[0].remember("late", _q("late"))
        assert stores[1].last("late") == _q("late")  # written by the other connection
        assert len(stores[1]) == 10
        assert stores[0].last("0-0") is None  # evicted
    finally:
        for store in stores:
            store.close()


def test_a_corrupt_file_is_a_clear_config_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(ConfigError, match="conversation store") as exc:
        SqliteConversationStore(path)
    assert str(path) in str(exc.value)


def test_a_folder_in_the_way_is_a_config_error(tmp_path):
    (tmp_path / "c.sqlite3").mkdir()
    with pytest.raises(ConfigError, match="conversation store"):
        SqliteConversationStore(tmp_path / "c.sqlite3")


def test_a_foreign_table_is_a_config_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE conversations (name TEXT)")
    with pytest.raises(ConfigError):
        SqliteConversationStore(path)


def test_an_unreadable_turn_starts_afresh(tmp_path, caplog):
    path = tmp_path / "c.sqlite3"
    with SqliteConversationStore(path) as store:
        store.remember("chat", _full_query())
    with sqlite3.connect(path) as db:
        db.execute("UPDATE conversations SET query = ?", ('{"format": 1, "query": 7}',))
    with SqliteConversationStore(path) as store, caplog.at_level(logging.WARNING):
        assert store.last("chat") is None
    assert "chat" in caplog.text
