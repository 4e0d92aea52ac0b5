"""Facts taken from retrieved passages: the sentences that best match the question.

Sentences are scored in :mod:`assistant.sentence_scoring`; here the best are chosen greedily
(each must bring question words not yet covered), cut to a window when long, and cited.
A chosen sentence that lacks the asked value brings the next sentence of its bullet along.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet

from assistant.asked_values import asked_value
from assistant.catalogue import rules
from assistant.citing import Citer, Fact, supported
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.sentence_scoring import VALUE_BONUS, SentenceScorer
from assistant.text import bigrams, full_stop, nfkc, squash
from assistant.words import ContentWords
from core import is_katakana
from index import Hit

__all__ = ["PassageFacts", "asked_value", "window"]

_MIN_OVERLAP = 4
_MAX_SENTENCE = 240
_POOL = 40
_FOLLOW_SHARE = 0.5  # a further sentence must score this share of the best one
_PAIR_SHARE = 0.4
_STATED_SHARE = 0.6  # a sentence stating the asked attribute may be this much less on topic
_MIN_FRESH = 2
_LIST_ASKS = ("company", "organisation")  # asks answered by every item of a list
_LIST_SHARE = 0.3
_NAME_REACH = 20  # a quoted name a cut splits is completed when it closes this near


_LATIN = re.compile(r"[A-Za-z]")


def _one_word(sentence: str, i: int) -> bool:
    """Whether a cut before ``sentence[i]`` would split a katakana or Latin word (a name:
    マニュファクチュアリングセンター, NANOBIC), which the reader could no longer recognise."""
    if i <= 0 or i >= len(sentence):
        return False
    before, after = sentence[i - 1], sentence[i]
    katakana = is_katakana(before) and is_katakana(after)
    return katakana or bool(_LATIN.match(before) and _LATIN.match(after))


def _open_name(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved out of a quoted name a cut would split (「NPO法人支援…), when
    the name ends within :data:`_NAME_REACH` characters: a name cut off names nothing."""
    marks = rules().text("text.name_brackets")
    for opening, closing in zip(marks[::2], marks[1::2], strict=True):
        begun = sentence.rfind(opening, start, end)
        if begun >= 0 and sentence.find(closing, begun, end) < 0:
            closed = sentence.find(closing, end, end + _NAME_REACH)
            if closed >= 0:
                end = closed + 1
        closed = sentence.find(closing, start, end)
        if closed >= 0 and sentence.rfind(opening, start, closed) < 0:
            begun = sentence.rfind(opening, max(start - _NAME_REACH, 0), start)
            if begun >= 0:
                start = begun
    return start, end


def window(
    sentence: str, q: AbstractSet[str], value: re.Pattern[str] | None, size: int = _MAX_SENTENCE
) -> str:
    """A long item cut to the ``size`` characters that best match the question (never
    mid-number, mid-word or inside a short quoted name)."""
    if len(sentence) <= size:
        return sentence
    starts = list(range(0, len(sentence) - size + 1, 10))

    def fit(i: int) -> float:
        piece = sentence[i : i + size]
        has_value = value is not None and value.search(piece) is not None
        return len(q & bigrams(piece)) + (VALUE_BONUS * 2 if has_value else 0)

    start = max(starts, key=fit)
    end = start + size
    while start > 0 and (
        sentence[start - 1].isdigit() or sentence[start] in ",." or _one_word(sentence, start)
    ):
        start -= 1
    # A number right after the cut belongs to the words before it (延べ|27社, 約|3割).
    while end < len(sentence) and (
        sentence[end - 1].isdigit()
        or sentence[end].isdigit()
        or sentence[end] in ",.%"
        or _one_word(sentence, end)
    ):
        end += 1
    start, end = _open_name(sentence, start, end)
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


class PassageFacts:
    """Selects the best sentences of the top hits and cites their raw lines."""

    def __init__(
        self, citer: Citer, words: ContentWords | None = None, terms: CorpusTerms = NO_TERMS
    ) -> None:
        self.citer = citer
        self.words = words or ContentWords()
        self.terms = terms  # the report's city, for local organisation names
        self.scorer = SentenceScorer(citer.corpus, self.words, terms)

    def relevance(self, question: str, text: str) -> float:
        """How well ``text`` answers ``question``, on the scale of :meth:`facts`' score."""
        return self.scorer.relevance(question, text)

    def facts(
        self,
        question: str,
        hits: list[Hit],
        *,
        limit: int = 3,
        focus: str | None = None,
        require: re.Pattern[str] | None = None,
        require_share: float = _STATED_SHARE,
        accept: Callable[[Fact], bool] | None = None,
    ) -> tuple[list[Fact], float]:
        """Best sentences (with their score: topic shared with the question); ``focus`` is
        the latest turn of a follow-up whose ``question`` includes the previous one.

        With ``require``, only sentences stating it (a deadline, a booking rule) that are
        nearly as much on topic as the best sentence of all. A fact ``accept`` rejects (its
        quote could not be grounded) gives way to the next sentence."""
        scored, q = self.scorer.score(question, hits, focus)
        q_words = self.words(nfkc(question))
        # 「出展者数と来場者数」 asks two things: each sentence matches only half the question.
        pair = rules().pattern("patterns.question.pair_ask")
        share = _PAIR_SHARE if pair.search(nfkc(focus or question)) else _FOLLOW_SHARE
        asked = asked_value(question, self.terms)
        value = asked[1] if asked else None
        out: list[Fact] = []
        seen: set[str] = set()
        covered: set[str] = set()
        best = scored[0].overlap if scored else 0.0
        listing = asked is not None and asked[0] in _LIST_ASKS
        first_source: tuple[str | None, str] | None = None
        holds_first = False
        for item in scored[:_POOL]:
            clean, hit = item.clean, item.hit
            if item.overlap < _MIN_OVERLAP or squash(clean) in seen:
                continue
            if require is not None and (
                not require.search(clean) or item.overlap < best * require_share
            ):
                continue
            # Greedy coverage: a further sentence must bring question words not yet covered.
            said = (q & bigrams(clean)) | {f"w:{w}" for w in q_words & self.words(clean)}
            fresh = said - covered
            # 「どの会社が選ばれた?」 asks for a list: sibling items naming a company each
            # are all answers, though they add no new question words.
            holds = value is not None and value.search(clean) is not None
            if listing and out and holds_first and not holds:
                continue  # the list is the answer; a sentence naming none adds nothing
            same_list = (hit.chunk.programme, hit.chunk.kind) == first_source
            listed = listing and out and same_list and holds and item.overlap >= best * _LIST_SHARE
            if out and not listed and (len(fresh) < _MIN_FRESH or item.overlap < best * share):
                continue
            if not out:
                first_source, holds_first = (hit.chunk.programme, hit.chunk.kind), holds
            previously_covered = set(covered)
            covered |= said
            seen.add(squash(clean))
            text = window(clean, q, value)
            # Cite what is shown: a window of a long flattened table needs only its lines.
            citation = self.citer.cite_chunk_sentence(hit.chunk, text.strip("…"))
            if not supported(text, (citation,)):
                citation = self.citer.cite_chunk_sentence(hit.chunk, clean)
            # A chart's row is also quoted from the question printed above the chart.
            citations = list(self.citer.with_title(hit.chunk, text, [citation]))
            # A detail line ("参加者数179名") matched through its lead: show the lead too.
            if item.lead and squash(item.lead) not in seen and not listing:
                seen.add(squash(item.lead))
                text = window(item.lead, q, None).rstrip("。") + "。" + text
                citations.insert(0, self.citer.cite_chunk_sentence(hit.chunk, item.lead))
            # A lead without the asked value: its bullet's next sentence usually holds it.
            nxt = item.following
            if value is not None and not value.search(text) and nxt and value.search(nxt):
                seen.add(squash(nxt))
                text = text.rstrip("。") + "。" + window(nxt, q, value)
                citations.append(self.citer.cite_chunk_sentence(hit.chunk, nxt))
            # A summary sentence answers with the figures of its sub-bullets (・出張PR 28件).
            for detail in item.details:
                if squash(detail) not in seen and len(text) + len(detail) <= _MAX_SENTENCE:
                    seen.add(squash(detail))
                    text = text.rstrip("。") + "。" + detail
                    citations.append(self.citer.cite_chunk_sentence(hit.chunk, detail))
            prefix = f"{nfkc(hit.chunk.title)}：" if hit.chunk.title else ""
            if prefix and (
                squash(hit.chunk.title or "") in squash(text) or re.search(r"\d", prefix)
            ):
                prefix = ""
            fact = Fact(
                prefix + full_stop(text),
                tuple(dict.fromkeys(citations)),
                hit.chunk.programme,
            )
            if accept is not None and not accept(fact):
                covered -= said - previously_covered
                continue
            out.append(fact)
            if len(out) >= limit:
                break
        return out, best
