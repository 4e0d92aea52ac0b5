"""Optional LLM phrasing through llama-index (any OpenAI-compatible endpoint), behind a guard."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.composition import Composition
from assistant.guard import SentenceSplitter, dropped_figures, unsupported_claims
from assistant.text import squash
from core import ConfigError, Settings

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
OnCut = Literal["drain", "hangup"]
# The least time a cut-off answer is drained for: a small model on two CPU cores needs ~15 s
# for a 300-token answer, longer than a short read timeout.
MIN_DRAIN_S = 60.0


def load_prompt(name: str = PROMPT_VERSION) -> str:
    """A versioned prompt file without its leading ``<!-- … -->`` header comment."""
    text = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    if text.startswith("<!--"):
        text = text[text.index("-->") + 3 :]
    return text.strip()


@dataclass(frozen=True, slots=True)
class LlmFallback:
    """The LLM's phrasing is not used: ``reason`` is "guard" (an unsupported claim, a sentence
    said twice, none of the composer's figures kept, or nothing written) or "error" (the
    endpoint failed); ``rejected`` says what failed."""

    reason: str
    rejected: tuple[str, ...] = ()


class GuardedLlm:
    """Phrases the composer's facts with an LLM, streamed sentence by sentence behind the guard.

    ``llm_factory`` builds a llama-index ``LLM`` (``OpenAILike`` from :meth:`from_settings`)
    around an ``httpx.Client`` that this class opens for each answer and closes when the
    answer's model stream is over. When the user's answer is cut before the model has
    finished (the guard rejects a sentence, or the consumer closes the stream), ``on_cut``
    decides: "drain" hands the rest of the model stream to a daemon thread that reads it to
    the end (for at most ``drain_s``) and then closes the client, so a server such as
    llama.cpp's is never disconnected mid-response; "hangup" closes the client at once, for
    servers that stop generating when the client goes away. Closing the client is what
    hangs up: llama-index's ``stream_chat`` wrapper does not close the SDK stream it
    iterates. An endpoint failure ends the stream, so the client is closed at once.
    ``last_rejected`` keeps the latest rejection for diagnostics only (instances are shared
    between threads: each call's own verdict is the :class:`LlmFallback` it yields)."""

    def __init__(
        self,
        llm_factory: LlmFactory,
        prompt: str,
        timeout_s: float = 30.0,
        on_cut: OnCut = "drain",
        drain_s: float | None = None,
    ) -> None:
        self.llm_factory = llm_factory
        self.prompt = prompt
        self.timeout_s = timeout_s
        self.on_cut = on_cut
        self.drain_s = max(timeout_s, MIN_DRAIN_S) if drain_s is None else drain_s
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

        return cls(factory, load_prompt(), settings.llm_timeout_s, on_cut=settings.llm_on_cut)

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
        the first one while the model is still writing. The first unsupported or repeated
        sentence, an endpoint failure, or an answer that is empty or keeps none of the
        composer's figures ends the stream with an :class:`LlmFallback`;
        what is left of the model's answer is then drained or hung up on (``on_cut``),
        never waited for. Whitespace never leads or trails the yielded text (it is held
        back until more text follows), and a sentence cut off by the token limit is dropped.
        """
        from llama_index.core.llms import ChatMessage  # noqa: PLC0415 (LLM mode only)

        chat = [
            ChatMessage(role=m["role"], content=m["content"])
            for m in self.messages(question, composition)
        ]
        http = self._http_client()
        chunks: _Tracked | None = None
        try:
            try:
                chunks = _Tracked(self.llm_factory(http).stream_chat(chat))
            except Exception as exc:  # any transport/server failure → the composer answers
                yield self._failed(exc)
                return
            yield from self._guarded(chunks, composition)
        finally:
            self._end(http, chunks)

    def _end(self, http: httpx.Client, chunks: _Tracked | None) -> None:
        """Closes the answer's client now, or after a daemon thread has drained the model."""
        if chunks is None or chunks.over or self.on_cut == "hangup":
            _close(http, chunks)
            return
        deadline = time.monotonic() + self.drain_s
        drain = threading.Thread(
            target=_drain, args=(http, chunks, deadline), name="llm-drain", daemon=True
        )
        try:
            drain.start()
        except RuntimeError:  # no new threads (interpreter shutting down): hang up instead
            _close(http, chunks)

    def _guarded(
        self, chunks: Iterator[Any], composition: Composition
    ) -> Generator[str | LlmFallback, None, None]:
        sources = self._sources(composition)
        splitter = SentenceSplitter()
        shown: list[str] = []
        said: set[str] = set()  # the shown sentences' comparison forms
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
                # A sentence said twice is a small model looping, never a better answer.
                rejected = ["<repeated>"] if squash(body) in said else []
                rejected = rejected or unsupported_claims(body, sources)
                if rejected:
                    self.last_rejected = rejected
                    log.info("LLM sentence rejected by the guard: %s", rejected)
                    yield LlmFallback("guard", tuple(rejected))
                    return
                piece = held + body if shown else body.lstrip()
                held = sentence[len(body) :]
                shown.append(piece)
                said.add(squash(body))
                yield piece
            if chunk is None:
                break
        if not self.guard_ok("".join(shown), composition):
            yield LlmFallback("guard", tuple(self.last_rejected))

    def guard_ok(self, text: str, composition: Composition) -> bool:
        """The whole-answer check: something was written, every claim is in the sources and
        at least one of the composer's figures is kept."""
        if not text.strip():
            self.last_rejected = ["<empty>"]
            return False
        self.last_rejected = unsupported_claims(text, self._sources(composition))
        if not self.last_rejected:
            dropped = dropped_figures(text, composition.answer)
            self.last_rejected = [f"<dropped {n}>" for n in dropped]
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


class _Tracked:
    """The model's chunk stream, remembering whether it is over (ended or failed)."""

    def __init__(self, chunks: Generator[Any, None, None]) -> None:
        self.chunks = chunks
        self.over = False

    def __iter__(self) -> _Tracked:
        return self

    def __next__(self) -> Any:
        try:
            return next(self.chunks)
        except BaseException:  # StopIteration included: nothing more will come
            self.over = True
            raise

    def close(self) -> None:
        self.chunks.close()


def _close(http: httpx.Client, chunks: _Tracked | None) -> None:
    try:
        if chunks is not None:
            chunks.close()  # stop reading the model before the client is closed
    finally:
        http.close()


def _drain(http: httpx.Client, chunks: _Tracked, deadline: float) -> None:
    """Reads what the model still writes, so the server ends the response itself."""
    read = 0
    try:
        for _ in chunks:
            read += 1
            if time.monotonic() > deadline:
                log.info("LLM drain stopped at its deadline after %d chunks: hanging up", read)
                break
        else:
            log.debug("LLM drain read %d chunks to the end", read)
    except Exception as exc:  # the user has the fallback already; nothing to report to
        log.info("LLM drain ended by an error after %d chunks: %s", read, exc)
    finally:
        try:
            _close(http, chunks)
        except Exception as exc:
            log.info("LLM drain could not close the client: %s", exc)


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
