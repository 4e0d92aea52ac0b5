"""The Assistant: parse → retrieve → compose (→ optional guarded LLM phrasing)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from assistant.aliases import AliasIndex
from assistant.citing import Citer
from assistant.composer import Composer, Composition
from assistant.conversation import ConversationStore
from assistant.llm import GuardedLlm
from assistant.models import Answer, Intent
from assistant.sources import Quoter, SourceLines
from assistant.understanding import Query, QuestionParser
from index import Hit, Retriever, SearchFilters, open_searcher
from ingest import AnswerError, ChunkKind, Corpus, Settings, get_settings, load_corpus

__all__ = ["Assistant", "build_assistant"]

log = logging.getLogger(__name__)

_KINDS: dict[Intent, tuple[ChunkKind, ...]] = {
    Intent.ORDINANCE: (ChunkKind.ARTICLE,),
    Intent.STATISTICS: (ChunkKind.SECTION,),
}


_ENOUGH_HITS = 3  # filtered hits below this: also search the whole report


class Assistant:
    """Grounded answers with verbatim citations; implements :class:`assistant.Answerer`."""

    def __init__(
        self,
        corpus: Corpus,
        searcher: Retriever,
        settings: Settings,
        source: SourceLines | None = None,
        llm: GuardedLlm | None = None,
    ) -> None:
        self.corpus = corpus
        self.searcher = searcher
        self.settings = settings
        self.source = source or SourceLines.read(settings.corpus)
        citer = Citer(corpus, Quoter(self.source))
        self.parser = QuestionParser(AliasIndex(corpus))
        self.composer = Composer(corpus, citer, "\n".join(self.source.lines))
        self.conversations = ConversationStore()
        self.llm = llm
        if self.llm is None and settings.llm_enabled:
            self.llm = GuardedLlm.from_settings(settings)

    # -- Answerer -----------------------------------------------------------------------
    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        answer: Answer | None = None
        for piece in self.stream(question, conversation_id):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[str | Answer]:
        started = time.perf_counter()
        query, composition, cid = self._compose(question, conversation_id)
        text = composition.answer
        extra: tuple[tuple[str, str], ...] = ()
        if self.llm is not None and composition.answerable:
            pieces: list[str] = []
            for piece in self.llm.stream(question, composition):
                pieces.append(piece)
            phrased = "".join(pieces)
            if self.llm.guard_ok(phrased, composition):
                text, extra = phrased, (("mode", "llm"),)
            else:
                extra = (("mode", "composer"), ("llm_fallback", "guard"))
        yield from text.splitlines(keepends=True)
        yield Answer(
            question=question,
            answer=text,
            answerable=composition.answerable,
            intent=Intent.OUT_OF_SCOPE if composition.out_of_scope else query.intent,
            citations=composition.citations,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            conversation_id=cid,
            extra=extra,
        )

    # -- steps ----------------------------------------------------------------------------
    def _compose(
        self, question: str, conversation_id: str | None
    ) -> tuple[Query, Composition, str]:
        if not isinstance(question, str) or not question.strip():
            raise AnswerError("質問が空です / the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise AnswerError(
                f"質問が長すぎます（{len(question)}文字）/ question longer than "
                f"{self.settings.max_question_chars} characters"
            )
        query = self.parser.parse(question)
        cid = conversation_id or ConversationStore.new_id()
        previous = self.conversations.last(conversation_id) if conversation_id else None
        if previous is not None and query.follow_up:
            query = query.with_context(previous)
        hits = self._retrieve(query)
        composition = self.composer.compose(query, hits)
        remembered = replace(query, programmes=query.programmes or composition.programmes[:1])
        self.conversations.remember(cid, remembered)
        return query, composition, cid

    def _retrieve(self, query: Query) -> list[Hit]:
        """One hybrid search; a named programme's name leads the query so its record ranks
        high while related sections (columns, opinions) can still surface."""
        k = max(self.settings.search_k, 8)  # sentence selection wants a few more passages
        text = query.text
        if query.programmes:
            names = " ".join(self.composer.records.by_id[p].name for p in query.programmes[:2])
            text = f"{names} {text}"
        kinds = _KINDS.get(query.intent)
        if kinds is not None and not query.programmes:
            hits = self.searcher.search(text, k, SearchFilters(kinds=kinds))
            if len(hits) >= _ENOUGH_HITS:
                return hits
        return self.searcher.search(text, k)


def build_assistant(settings: Settings | None = None) -> Assistant:
    """Load the corpus and the searcher once and return a ready :class:`Assistant`."""
    settings = settings or get_settings()
    corpus = load_corpus(settings)
    searcher = open_searcher(settings, corpus)
    log.info(
        "assistant ready: %d programmes, %d chunks", len(corpus.programmes), len(corpus.chunks)
    )
    return Assistant(corpus, searcher, settings)
