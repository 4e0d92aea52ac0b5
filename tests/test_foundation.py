"""The project's foundation: settings, errors, the network guard, the CLI shell."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import ingest
from core import ConfigError, CorpusError, SmeError, get_settings


def test_settings_read_env_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SME_CHUNK_MAX_CHARS", "300")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.data_dir == tmp_path
    assert settings.chunk_max_chars == 300
    assert settings.store == tmp_path / "store"
    assert settings.corpus == tmp_path / "corpus" / "kawasaki_sme_report_h28.txt"


def test_bundled_corpus_is_vendored() -> None:
    corpus = get_settings().corpus
    assert corpus.is_file()
    assert "中小企業活性化" in corpus.read_text(encoding="utf-8")[:2000]


def test_errors_share_one_root_and_do_not_shadow_builtins() -> None:
    assert issubclass(CorpusError, SmeError)
    assert issubclass(ConfigError, SmeError)
    assert not hasattr(ingest, "IndexError")
    assert CorpusError("x").exit_code == 2


def test_network_outside_loopback_is_blocked() -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("203.0.113.1", 80), timeout=0.1)
