"""The Assistant: parse → retrieve → compose (→ optional guarded LLM phrasing)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace

from assistant.aliases import AliasIndex
from assistant.citing import Citer
from assistant.composer import Composer
from assistant.composition import Composition
from assistant.conversation import ConversationStore, MemoryConversationStore
from assistant.corpus_terms import corpus_terms
from assistant.facts import FactCandidate, FactFinder, FoundFacts, RankedFact
from assistant.llm import GuardedLlm, LlmFallback
from assistant.models import Answer, Intent, StreamReset
from assistant.passage_choice import PassageChooser
from assistant.phrases import phrases
from assistant.report_names import ReportNames
from assistant.sources import Quoter, SourceLines
from assistant.synonyms import SynonymReader
from assistant.text import nfkc
from assistant.timing import StageClock
from assistant.topics import ScoredTopic
from assistant.turns import certain_article, read_after, remembered, trusted
from assistant.understanding import Query, QuestionParser
from assistant.unstated import UnstatedReader
from core import AnswerError, Settings, get_settings
from index import Hit, LruCache, Retriever, Similarity, open_searcher
from ingest import Corpus, load_corpus, report_years

__all__ = ["Assistant", "build_assistant"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _CachedAnswer:
    """A composed answer reusable for the same question asked without prior context."""

    answer: Answer  # conversation id and latency are replaced on every hit
    remembered: Query  # what the conversation memory keeps after this turn
    follow_up: bool  # the question leans on a previous turn when there is one


class Assistant:
    """Grounded answers with verbatim citations; implements :class:`assistant.Answerer`."""

    def __init__(
        self,
        corpus: Corpus,
        searcher: Retriever,
        settings: Settings,
        source: SourceLines | None = None,
        llm: GuardedLlm | None = None,
        *,
        conversations: ConversationStore | None = None,
    ) -> None:
        self.corpus = corpus
        self.searcher = searcher
        self.settings = settings
        self.source = source or SourceLines.read(settings.corpus)
        citer = Citer(corpus, Quoter(self.source))
        years = report_years(corpus.sections)
        phrases()  # a broken rule or phrase file stops the start, not the first question
        terms = corpus_terms(corpus)  # loads and checks the rule catalogue
        corpus_text = "\n".join(self.source.lines)
        self.composer = Composer(corpus, citer, terms)
        self.parser = QuestionParser(
            AliasIndex(corpus, terms),
            years[0] if years else None,
            terms,
            UnstatedReader(corpus_text, self.composer.articles.missing, terms),
            ReportNames(corpus, corpus_text, terms.city_stem),
            synonyms=SynonymReader(corpus_text),
        )
        if isinstance(searcher, Similarity):
            # Embeds the ordinance's provisions now (once per model: they are cached).
            self.composer.articles.similarity = searcher.similarity
            provisions = [text for _, text in self.composer.articles.provisions()]
            if provisions:
                searcher.similarity(provisions[0], provisions)
        # Only turns asked with a conversation id are kept: a one-shot question takes no slot.
        self.conversations: ConversationStore = (
            conversations
            if conversations is not None
            else MemoryConversationStore(settings.max_conversations, settings.conversation_ttl_s)
        )
        self.llm = llm
        if self.llm is None and settings.llm_enabled:
            self.llm = GuardedLlm.from_settings(settings)
        # Keyed by the exact question: the composer reads the raw text, so even NFKC or
        # whitespace variants could compose differently. LLM phrasing is never cached.
        self.answers: LruCache[str, _CachedAnswer] = LruCache(settings.answer_cache_size)
        self.clock = StageClock()
        self.finder = FactFinder(
            corpus,
            searcher,
            terms,
            self.composer.records,
            words=self.composer.passages.words,
            aliases=self.parser.aliases,
        )
        self.chooser = PassageChooser(
            self.composer.records.by_id, self.finder.inventory.chunks_of, settings.search_k
        )

    # -- the stages, as the evaluation and training scripts read them --------------------
    def _find(self, query: Query) -> FoundFacts:
        return self.finder.find(query.text, query.focus, query.intent, query.latest)

    def rank_topics(self, question: str | Sequence[str]) -> list[ScoredTopic]:
        """The report's programmes, articles and section keys for ``question`` (or the last
        of a conversation's turns, see :meth:`read_turns`) as :meth:`ask` ranks them, most
        likely source first, each with the probability that it is one."""
        return list(self._conversation(question)[1].topics)

    def rank_facts(self, question: str | Sequence[str]) -> list[RankedFact]:
        """The Rank stage's order of the candidate facts for ``question``, best first; for
        the turns of a conversation, of its last turn (see :meth:`read_turns`)."""
        return list(self._conversation(question)[1].ranked)

    def read_turns(self, question: str | Sequence[str]) -> Query:
        """The question, or the last of a conversation's turns, as :meth:`ask` reads it
        after the earlier ones (which are answered, and kept nowhere)."""
        return self._conversation(question)[0]

    def _conversation(self, question: str | Sequence[str]) -> tuple[Query, FoundFacts]:
        turns = [question] if isinstance(question, str) else list(question)
        previous: Query | None = None
        for turn in turns[:-1]:
            query, found, hits = self._read(turn, previous)
            composition = self.composer.compose(query, hits, found.ranked, found.topics)
            previous = remembered(query, composition, found.topics)
        query, found, _ = self._read(turns[-1], previous)
        return query, found

    def fact_candidates(self, question: str) -> list[FactCandidate]:
        """The Facts stage's candidates for ``question``."""
        return self.finder.candidates(question)[1]

    # -- Answerer -----------------------------------------------------------------------
    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        """``conversation_id`` None: a one-shot question (nothing is kept, the answer has no
        id). An id continues that conversation, or starts it when the store has none: the
        caller decides which ids are allowed (the API only passes ids it issued)."""
        answer: Answer | None = None
        for piece in self.stream(question, conversation_id):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(
        self, question: str, conversation_id: str | None = None
    ) -> Iterator[str | StreamReset | Answer]:
        """Text pieces, then the final :class:`Answer` (see :class:`assistant.Answerer`).

        In LLM mode each guard-approved sentence is yielded as the model completes it; when
        one fails (or the endpoint does) after text was shown, a :class:`StreamReset`
        precedes the composer's text, which the final answer then holds."""
        started = time.perf_counter()
        hit = self.cached_answer(question, conversation_id)
        if hit is not None:
            yield from hit.answer.splitlines(keepends=True)
            yield hit
            return
        had_context = self._has_context(conversation_id)
        query, composition, remembered, confidence = self._compose(question, conversation_id)
        text = composition.answer
        extra: tuple[tuple[str, str], ...] = ()
        phrased_ok = False  # the LLM's text was streamed and approved: nothing more to send
        if self.llm is not None and composition.answerable:
            shown: list[str] = []
            fallback: LlmFallback | None = None
            with closing(self.llm.guarded_stream(question, composition)) as phrased:
                for piece in phrased:
                    if isinstance(piece, LlmFallback):
                        fallback = piece
                        break
                    shown.append(piece)
                    yield piece
            if fallback is None:
                text, extra, phrased_ok = "".join(shown), (("mode", "llm"),), True
            else:
                extra = (("mode", "composer"), ("llm_fallback", fallback.reason))
                if shown:  # the client replaces what it showed with the composer's text
                    yield StreamReset(fallback.reason)
        if not phrased_ok:
            yield from text.splitlines(keepends=True)
        answer = Answer(
            question=question,
            answer=text,
            answerable=composition.answerable,
            intent=Intent.OUT_OF_SCOPE if composition.out_of_scope else query.intent,
            citations=composition.citations,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            conversation_id=conversation_id or None,
            # How likely the Rank stage's best fact states the answer (feedback records the
            # answers it is unsure of).
            extra=(*extra, ("confidence", f"{confidence:.3f}")),
        )
        if self.llm is None and not (query.follow_up and had_context):
            self.answers.put(question, _CachedAnswer(answer, remembered, query.follow_up))
        yield answer

    # -- answer cache -------------------------------------------------------------------
    @property
    def answer_cache_enabled(self) -> bool:
        """Whether answers are cached at all (off in LLM mode or with a zero-size cache)."""
        return self.llm is None and self.answers.maxsize > 0

    def cached_answer(self, question: str, conversation_id: str | None = None) -> Answer | None:
        """The cached answer when this turn cannot depend on an earlier one, else None.

        Cheap (no retrieval), so the API calls it on the event loop before queueing for a
        worker thread. A hit still records the turn, so a follow-up in the same conversation
        resolves exactly as it would have without the cache."""
        if self.llm is not None or not isinstance(question, str):
            return None
        entry = self.answers.get(question)
        if entry is None:
            return None
        if entry.follow_up and self._has_context(conversation_id):
            return None  # a follow-up with context: composed afresh
        started = time.perf_counter()
        if conversation_id:
            self.conversations.remember(conversation_id, entry.remembered)
        return replace(
            entry.answer,
            conversation_id=conversation_id or None,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _has_context(self, conversation_id: str | None) -> bool:
        return bool(conversation_id) and self.conversations.last(conversation_id or "") is not None

    # -- steps ----------------------------------------------------------------------------
    def _compose(
        self, question: str, conversation_id: str | None
    ) -> tuple[Query, Composition, Query, float]:
        """The parsed query, its composition, the turn a follow-up will lean on, and the
        Rank stage's confidence in its best fact."""
        if not isinstance(question, str) or not question.strip():
            raise AnswerError("質問が空です / the question is empty")
        # Counted as the rules read it: NFKC turns one character into up to 18 (㍿ → 株式会社),
        # so a short raw question could still hand them a very long text.
        length = len(nfkc(question))
        if length > self.settings.max_question_chars:
            raise AnswerError(
                f"質問が長すぎます（正規化後{length}文字）/ question longer than "
                f"{self.settings.max_question_chars} characters after NFKC normalisation"
            )
        previous = self.conversations.last(conversation_id) if conversation_id else None
        query, found, hits = self._read(question, previous)
        with self.clock.stage("compose"):
            composition = self.composer.compose(query, hits, found.ranked, found.topics)
        self.clock.answered()
        kept = remembered(query, composition, found.topics)
        if conversation_id:
            self.conversations.remember(conversation_id, kept)
        confidence = found.ranked[0].confidence if found.ranked else 0.0
        return query, composition, kept, confidence

    def _read(self, question: str, previous: Query | None) -> tuple[Query, FoundFacts, list[Hit]]:
        """The turn as the Understand stage reads it (in the context of ``previous``, the
        turn a follow-up leans on), what the Topics and Rank stages find for it, and the
        passages the rules read."""
        with self.clock.stage("understand"):
            query = self.parser.parse(question)
        if previous is not None and query.follow_up:
            query = query.with_context(previous)
        with self.clock.stage("retrieve"):
            found = self._find(query)
            if previous is not None:
                query, found = read_after(query, previous, found, self._find)
            query = certain_article(trusted(query, found.topics), found.topics)
            hits = self.chooser.choose(query, found.hits)
        return query, found, hits


def build_assistant(
    settings: Settings | None = None, conversations: ConversationStore | None = None
) -> Assistant:
    """Load the corpus and the searcher once and return a ready :class:`Assistant`
    (keeping conversations in ``conversations``, else in memory)."""
    settings = settings or get_settings()
    corpus = load_corpus(settings)
    searcher = open_searcher(settings, corpus)
    assistant = Assistant(corpus, searcher, settings, conversations=conversations)
    assistant.finder.warm()  # the first question must not wait for the topic profiles
    log.info(
        "assistant ready: %d programmes, %d chunks", len(corpus.programmes), len(corpus.chunks)
    )
    return assistant
