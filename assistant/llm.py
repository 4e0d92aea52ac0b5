"""Optional LLM phrasing through llama-index (any OpenAI-compatible endpoint), behind a guard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.composer import Composition
from assistant.guard import SentenceSplitter, unsupported_claims
from ingest import ConfigError, Settings

if TYPE_CHECKING:
    import ssl

    import httpx
    from llama_index.core.llms import LLM

__all__ = ["PROMPTS_DIR", "GuardedLlm", "LlmFactory", "LlmFallback", "load_prompt"]

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_VERSION = "answer_v1"

# Builds the llama-index LLM for one answer around that answer's own HTTP client.
LlmFactory = Callable[["httpx.Client"], "LLM"]


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

    ``llm_factory`` builds a llama-index ``LLM`` (``OpenAILike`` from :meth:`from_settings`)
    around an ``httpx.Client`` that this class opens for each answer and closes when the
    answer ends. Closing it is what hangs up on the endpoint when the guard cuts the model
    off: llama-index's ``stream_chat`` wrapper does not close the SDK stream it iterates, so
    closing the generator alone leaves the response open until garbage collection and the
    server keeps generating. ``last_rejected`` keeps the latest rejection for diagnostics
    only (instances are shared between threads: each call's own verdict is the
    :class:`LlmFallback` it yields)."""

    def __init__(self, llm_factory: LlmFactory, prompt: str, timeout_s: float = 30.0) -> None:
        self.llm_factory = llm_factory
        self.prompt = prompt
        self.timeout_s = timeout_s
        self.last_rejected: list[str] = []

    @classmethod
    def from_settings(cls, settings: Settings, max_tokens: int = 300) -> GuardedLlm:
        if not settings.llm_base_url:
            raise ConfigError("SME_LLM_BASE_URL is required when SME_LLM_ENABLED is set")
        base_url = settings.llm_base_url

        def factory(http_client: httpx.Client) -> LLM:
            from llama_index.llms.openai_like import OpenAILike  # noqa: PLC0415 (LLM mode only)

            # OpenAI.__init__ takes http_client; mypy sees only the pydantic fields.
            return OpenAILike(  # type: ignore[call-arg]
                model=settings.llm_model,
                api_base=base_url,
                api_key=settings.llm_api_key or "not-needed",
                is_chat_model=True,
                temperature=0.0,
                max_tokens=max_tokens,
                timeout=settings.llm_timeout_s,
                max_retries=0,  # a failure falls back to the composer at once
                http_client=http_client,
            )

        return cls(factory, load_prompt(), settings.llm_timeout_s)

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
        from llama_index.core.llms import ChatMessage  # noqa: PLC0415 (LLM mode only)

        chat = [
            ChatMessage(role=m["role"], content=m["content"])
            for m in self.messages(question, composition)
        ]
        with self._http_client() as http:  # leaving this block closes the connection
            chunks: Generator[Any, None, None] | None = None
            try:
                try:
                    chunks = self.llm_factory(http).stream_chat(chat)
                except Exception as exc:  # any transport/server failure → the composer answers
                    yield self._failed(exc)
                    return
                yield from self._guarded(chunks, composition)
            finally:
                if chunks is not None:
                    chunks.close()  # stop reading the model before the client is closed

    def _guarded(
        self, chunks: Iterator[Any], composition: Composition
    ) -> Generator[str | LlmFallback, None, None]:
        sources = self._sources(composition)
        splitter = SentenceSplitter()
        shown: list[str] = []
        held = ""  # whitespace after the last shown sentence
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
                finish = _finish_reason(getattr(chunk, "raw", None)) or finish
                sentences = splitter.feed(getattr(chunk, "delta", None) or "")
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

    def guard_ok(self, text: str, composition: Composition) -> bool:
        """The whole-answer check: something was written and every claim is in the sources."""
        if not text.strip():
            self.last_rejected = ["<empty>"]
            return False
        self.last_rejected = unsupported_claims(text, self._sources(composition))
        if self.last_rejected:
            log.info("LLM answer rejected by the guard: %s", self.last_rejected)
        return not self.last_rejected

    def _http_client(self) -> httpx.Client:
        """A client for one answer: its own connection, so closing it hangs up on just that."""
        import httpx  # noqa: PLC0415 (LLM mode only)

        return httpx.Client(timeout=self.timeout_s, verify=_ssl_context(), follow_redirects=True)

    @staticmethod
    def _sources(composition: Composition) -> list[str]:
        return [c.quote for c in composition.citations] + [composition.answer]

    @staticmethod
    def _failed(exc: Exception) -> LlmFallback:
        log.warning("LLM call failed, using the composer: %s", exc)
        return LlmFallback("error", (type(exc).__name__,))


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verification, built once: loading the CA bundle takes ~20 ms."""
    import httpx  # noqa: PLC0415 (LLM mode only)

    return httpx.create_ssl_context()


def _finish_reason(raw: Any) -> str | None:
    """The finish reason of a raw OpenAI-style chunk (an SDK object or a dict), if any."""
    choices = raw.get("choices") if isinstance(raw, dict) else getattr(raw, "choices", None)
    if not choices:
        return None
    choice = choices[0]
    reason = (
        choice.get("finish_reason")
        if isinstance(choice, dict)
        else getattr(choice, "finish_reason", None)
    )
    return reason if isinstance(reason, str) else None
