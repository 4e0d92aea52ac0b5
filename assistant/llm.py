"""Optional LLM phrasing through any OpenAI-compatible endpoint, behind a faithfulness guard."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.composer import Composition
from assistant.guard import unsupported_claims
from ingest import ConfigError, Settings

__all__ = ["PROMPTS_DIR", "GuardedLlm", "load_prompt"]

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_VERSION = "answer_v1"


def load_prompt(name: str = PROMPT_VERSION) -> str:
    """A versioned prompt file without its leading ``<!-- … -->`` header comment."""
    text = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    if text.startswith("<!--"):
        text = text[text.index("-->") + 3 :]
    return text.strip()


class GuardedLlm:
    """Phrases the composer's facts with an LLM; :meth:`guard_ok` rejects invented facts."""

    def __init__(self, llm: Any, prompt: str) -> None:
        self.llm = llm
        self.prompt = prompt
        self.last_rejected: list[str] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardedLlm:
        if not settings.llm_base_url:
            raise ConfigError("SME_LLM_BASE_URL is required when SME_LLM_ENABLED is set")
        from llama_index.llms.openai_like import OpenAILike  # noqa: PLC0415 (heavy, LLM mode only)

        llm = OpenAILike(
            model=settings.llm_model,
            api_base=settings.llm_base_url,
            api_key=settings.llm_api_key,
            is_chat_model=True,
            timeout=settings.llm_timeout_s,
            max_retries=0,
            temperature=0.0,
            max_tokens=300,
        )
        return cls(llm, load_prompt())

    def messages(self, question: str, composition: Composition) -> list[Any]:
        from llama_index.core.llms import ChatMessage  # noqa: PLC0415 (heavy, LLM mode only)

        facts = "\n".join(
            f"- {fact.text}" + "".join(f"\n  引用: {c.quote}" for c in fact.citations)
            for fact in composition.facts
            if fact.citations
        )
        content = self.prompt.format(facts=facts, question=question)
        return [ChatMessage(role="user", content=content)]

    def stream(self, question: str, composition: Composition) -> Iterator[str]:
        """Text pieces as the endpoint produces them; nothing when the endpoint fails."""
        try:
            for chunk in self.llm.stream_chat(self.messages(question, composition)):
                if chunk.delta:
                    yield chunk.delta
        except Exception as exc:  # any transport/server failure → the composer answers
            log.warning("LLM call failed, using the composer: %s", exc)

    def guard_ok(self, text: str, composition: Composition) -> bool:
        if not text.strip():
            self.last_rejected = ["<empty>"]
            return False
        sources = [c.quote for c in composition.citations] + [composition.answer]
        self.last_rejected = unsupported_claims(text, sources)
        if self.last_rejected:
            log.info("LLM answer rejected by the guard: %s", self.last_rejected)
        return not self.last_rejected
