"""Settings: each value checked, contradicting values refused, bad env → one ConfigError."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core import ConfigError, Settings, get_settings


@pytest.fixture
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"chunk_min_chars": 500, "chunk_max_chars": 420}, "SME_CHUNK_MIN_CHARS"),
        ({"chunk_min_chars": 420, "chunk_max_chars": 420}, "must be smaller"),
        ({"llm_enabled": True}, "SME_LLM_BASE_URL is required"),
        ({"chroma_host": "  "}, "SME_CHROMA_HOST"),
        ({"chroma_port": 70000}, "less than or equal"),
        ({"search_k": 0}, "greater than or equal"),
    ],
)
def test_contradicting_or_out_of_range_values_are_refused(values, message) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**values)


def test_consistent_values_are_accepted() -> None:
    settings = Settings(
        chunk_min_chars=10, chunk_max_chars=200, llm_enabled=True, llm_base_url="http://x/v1"
    )
    assert settings.chunk_min_chars < settings.chunk_max_chars


def test_bad_environment_is_one_config_error_naming_the_variable(monkeypatch, fresh_settings):
    monkeypatch.setenv("SME_SEARCH_K", "500")
    with pytest.raises(ConfigError, match="SME_SEARCH_K") as err:
        get_settings()
    assert err.value.exit_code == 2
    assert "\n" not in str(err.value)


def test_contradiction_in_environment_is_a_config_error(monkeypatch, fresh_settings):
    monkeypatch.setenv("SME_CHUNK_MIN_CHARS", "900")
    with pytest.raises(ConfigError, match=r"SME_CHUNK_MIN_CHARS \(900\) must be smaller"):
        get_settings()


def test_get_settings_is_cached(fresh_settings) -> None:
    assert get_settings() is get_settings()
