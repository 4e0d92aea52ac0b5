"""Optional LLM phrasing through any OpenAI-compatible endpoint, behind a faithfulness guard."""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.composer import Composition
from assistant.guard import SentenceSplitter, unsupported_claims
from ingest import ConfigError, Settings

__all__ = ["PROMPTS_DIR", "GuardedLlm", "LlmFallback", "load_prompt"]

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_VERSION = "answer_v1"


def load_prompt(name: str = PROMPT_VERSION) -> str:
    """A versioned prompt file without its leading ``<!-- … -->`` header comment."""
    text = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    if text.startswith("<!--"):
        text = text[text.index("-->") + 3 :]
    return text.strip()


@dataclass(frozen=True, slots=True)
class LlmFallback:
    """The LLM's phrasing is not used: ``reason`` is "guard" (an unsupported claim, or
    nothing written) or "error" (the endpoint failed); ``rejected`` says what failed."""

    reason: str
    rejected: tuple[str, ...] = ()


class GuardedLlm:
    """Phrases the composer's facts with an LLM, streamed sentence by sentence behind the guard.

    ``client`` is an ``openai.OpenAI`` client (or anything with its ``chat.completions``):
    the SDK's stream can be closed, which hangs up on the endpoint so it stops generating.
    ``last_rejected`` keeps the latest rejection for diagnostics only (instances are shared
    between threads: each call's own verdict is the :class:`LlmFallback` it yields)."""

    def __init__(
        self, client: Any, prompt: str, model: str = "local-model", max_tokens: int = 300
    ) -> None:
        self.client = client
        self.prompt = prompt
        self.model = model
        self.max_tokens = max_tokens
        self.last_rejected: list[str] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardedLlm:
        if not settings.llm_base_url:
            raise ConfigError("SME_LLM_BASE_URL is required when SME_LLM_ENABLED is set")
        from openai import OpenAI  # noqa: PLC0415 (LLM mode only)

        client = OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )
        return cls(client, load_prompt(), settings.llm_model)

    def messages(self, question: str, composition: Composition) -> list[dict[str, str]]:
        facts = "\n".join(
            f"- {fact.text}" + "".join(f"\n  引用: {c.quote}" for c in fact.citations)
            for fact in composition.facts
            if fact.citations
        )
        content = self.prompt.format(facts=facts, question=question)
        return [{"role": "user", "content": content}]

    def guarded_stream(
        self, question: str, composition: Composition
    ) -> Generator[str | LlmFallback, None, None]:
        """The phrased answer, each sentence yielded as soon as it is complete and guarded.

        Sentences are checked against the cited passages as they arrive, so the user reads
        the first one while the model is still writing. The first unsupported sentence, an
        endpoint failure or an empty answer ends the stream with an :class:`LlmFallback`,
        and the endpoint is hung up on. Whitespace never leads or trails the yielded text
        (it is held back until more text follows), and a sentence cut off by the token
        limit is dropped.
        """
        sources = self._sources(composition)
        splitter = SentenceSplitter()
        shown: list[str] = []
        held = ""  # whitespace after the last shown sentence
        stream: Any = None
        try:
            try:
                stream = self.client.chat.completions.create(
                    model=self.model,
                    messages=self.messages(question, composition),
                    stream=True,
                    temperature=0.0,
                    max_tokens=self.max_tokens,
                )
                chunks = iter(stream)
            except Exception as exc:  # any transport/server failure → the composer answers
                yield self._failed(exc)
                return
            finish: str | None = None
            while True:
                try:
                    chunk = next(chunks, None)
                except Exception as exc:  # the same, mid-answer
                    yield self._failed(exc)
                    return
                if chunk is None:
                    sentences = splitter.flush(drop_unfinished=finish == "length")
                else:
                    delta, finish = _read(chunk, finish)
                    sentences = splitter.feed(delta)
                for sentence in sentences:
                    body = sentence.rstrip()
                    if not body.strip():
                        held += sentence if shown else ""
                        continue
                    rejected = unsupported_claims(body, sources)
                    if rejected:
                        self.last_rejected = rejected
                        log.info("LLM sentence rejected by the guard: %s", rejected)
                        yield LlmFallback("guard", tuple(rejected))
                        return
                    piece = held + body if shown else body.lstrip()
                    held = sentence[len(body) :]
                    shown.append(piece)
                    yield piece
                if chunk is None:
                    break
            if not self.guard_ok("".join(shown), composition):
                yield LlmFallback("guard", tuple(self.last_rejected))
        finally:
            close = getattr(stream, "close", None)
            if callable(close):
                close()  # stop reading the model: closes the HTTP response

    def guard_ok(self, text: str, composition: Composition) -> bool:
        """The whole-answer check: something was written and every claim is in the sources."""
        if not text.strip():
            self.last_rejected = ["<empty>"]
            return False
        self.last_rejected = unsupported_claims(text, self._sources(composition))
        if self.last_rejected:
            log.info("LLM answer rejected by the guard: %s", self.last_rejected)
        return not self.last_rejected

    @staticmethod
    def _sources(composition: Composition) -> list[str]:
        return [c.quote for c in composition.citations] + [composition.answer]

    @staticmethod
    def _failed(exc: Exception) -> LlmFallback:
        log.warning("LLM call failed, using the composer: %s", exc)
        return LlmFallback("error", (type(exc).__name__,))


def _read(chunk: Any, finish: str | None) -> tuple[str, str | None]:
    """A streamed chunk's text and the finish reason so far (chunks may have no choices)."""
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return "", finish
    text = getattr(getattr(choices[0], "delta", None), "content", None) or ""
    return text, getattr(choices[0], "finish_reason", None) or finish
