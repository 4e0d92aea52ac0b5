"""The SQLite conversation store: one file, two namespaces, several processes."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from pydantic import ValidationError

from assistant import (
    Intent,
    MemoryConversationStore,
    SqliteConversationStore,
    conversation_db_path,
    open_conversation_store,
)
from assistant.understanding import Query
from core import ConfigError, Settings


def _q(text: str) -> Query:
    return Query(question=text, text=text, intent=Intent.PROGRAMME, programmes=("p-mini",))


def test_turns_survive_reopening(tmp_path):
    path = tmp_path / "deep" / "er" / "c.sqlite3"  # missing folders are created
    with SqliteConversationStore(path) as first:
        first.remember("chat", _q("first"))
        issued = first.start()
    assert path.is_file()
    with SqliteConversationStore(path) as second:
        assert second.last("chat") == _q("first")
        assert second.exists(issued)
        assert second.last("other") is None


def test_the_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "c.sqlite3"
    with SqliteConversationStore(path):
        pass
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_local_names_and_web_ids_live_apart(tmp_path):
    path = tmp_path / "c.sqlite3"
    with (
        SqliteConversationStore(path, "local", max_conversations=2) as local,
        SqliteConversationStore(path, "web", max_conversations=2) as web,
    ):
        local.remember("chat1", _q("local"))
        issued = web.start()
        assert not web.exists("chat1") and web.last("chat1") is None
        assert not local.exists(issued)
        for _ in range(5):  # filling the web namespace does not touch the local one
            web.start()
        assert local.last("chat1") == _q("local")
        assert len(local) == 1 and len(web) == 2


def test_two_connections_share_turns_bound_and_expiry(tmp_path, run_threads):
    path = tmp_path / "c.sqlite3"
    now = [1_000_000.0]
    # Separate connections lock the file as two processes would.
    stores = [
        SqliteConversationStore(path, "web", max_conversations=10, ttl_s=50, clock=lambda: now[0])
        for _ in range(2)
    ]

    def worker(n: int) -> None:
        for i in range(30):
            stores[n].remember(f"{n}-{i}", _q(f"{n}-{i}"))

    errors = run_threads(worker, 2)
    try:
        assert errors == []
        assert len(stores[0]) == len(stores[1]) == 10
        issued = stores[0].start()
        assert stores[1].exists(issued)  # issued by one worker, continued on another
        stores[0].remember("late", _q("late"))
        assert stores[1].last("late") == _q("late")
        assert len(stores[1]) == 10
        assert stores[0].last("0-0") is None  # evicted
        now[0] += 50
        assert not stores[1].exists("late") and len(stores[0]) == 0
    finally:
        for store in stores:
            store.close()


def test_the_server_setting_chooses_the_web_store(tmp_path):
    sqlite = Settings(data_dir=tmp_path, max_conversations=7, conversation_ttl_s=30)
    web = open_conversation_store(sqlite, "web")
    try:
        assert isinstance(web, SqliteConversationStore)
        assert (web.max_conversations, web.ttl_s) == (7, 30)
        assert web.path == conversation_db_path(sqlite)
        assert web.path == tmp_path / "store" / "conversations.sqlite3"
    finally:
        web.close()
    memory = sqlite.model_copy(update={"conversation_store": "memory"})
    assert isinstance(open_conversation_store(memory, "web"), MemoryConversationStore)
    local = open_conversation_store(memory, "local")  # the command line's names need the file
    try:
        assert isinstance(local, SqliteConversationStore) and local.namespace == "local"
    finally:
        local.close()


@pytest.mark.parametrize(
    "env",
    [
        {"SME_CONVERSATION_TTL_S": "0"},
        {"SME_CONVERSATION_TTL_S": "-5"},
        {"SME_MAX_CONVERSATIONS": "0"},
        {"SME_CONVERSATION_STORE": "redis"},
    ],
)
def test_bad_conversation_settings_are_refused(monkeypatch, env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError):
        Settings()


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
        db.execute("CREATE TABLE local_conversations (name TEXT)")
    with pytest.raises(ConfigError):
        SqliteConversationStore(path, "local")


def test_an_unreadable_turn_starts_afresh(tmp_path, caplog):
    path = tmp_path / "c.sqlite3"
    with SqliteConversationStore(path) as store:
        store.remember("chat", _q("first"))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE local_conversations SET query = ?", ('{"format": 1, "query": 7}',))
    with SqliteConversationStore(path) as store, caplog.at_level(logging.WARNING):
        assert store.last("chat") is None
    assert "chat" in caplog.text
