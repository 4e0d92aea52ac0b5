"""Facts taken from retrieved passages: the sentences that best match the question.

A sentence scores by the topic it shares with the question (character bigrams for wording,
Sudachi content words for meaning), plus part of the score of the sentence before it (the
heading or lead of its bullet), and by whether it holds the kind of value asked for (a
figure for 何件/どのくらい, an amount for いくら, an organisation for 誰/どこ, a date for いつ).
A chosen sentence that lacks the asked value brings the next sentence of its bullet along.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.citing import Citer, Fact, supported
from assistant.text import bigrams, nfkc, numbers_in, sentences, squash
from assistant.words import ContentWords
from index import Hit

__all__ = ["PassageFacts", "asked_value"]

# Bigrams of question words that carry no topic (asking words, politeness, particles).
_NOISE = bigrams(
    "ですか。ますか？教えてください何ですかどのくらいありますかについてとはどういうものでしょうか"
    "知りたいのですがいくらですか報告書によると川崎市の川崎って今どれくらいなの？るの？"
)
_MIN_OVERLAP = 4
_MAX_SENTENCE = 240
_WORD_WEIGHT = 2.0  # a shared content word counts like two shared bigrams
_CONTEXT_SHARE = 0.5  # of the preceding sentence's overlap a sentence inherits
_VALUE_BONUS = 3.0
_DETAIL_BONUS = 0.5
_TOTAL_BONUS = 5.0
_TOTAL_ROW = re.compile(r"(?:合計|総計|全体|計)\s*[:：]")
_MAX_WEIGHT = 1.4  # a rare bigram counts at most this many average ones
_NO_VALUE_FACTOR = 0.4

# A figure that answers "how many": a number with a counter/unit or thousands separators,
# not a date (平成28年, 5月31日).
_FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:%|件|人|社|事業所|円|百万|万|千|億|倍|ポイント|割|回|者|名|か所|箇所|店|団体|校|小間|"
    r"製品|区画|室|企業|グループ|台)"
    r"|\d{1,3}(?:,\d{3})+|[約]?[0-9一二三四五六七八九]割"
)
_AMOUNT = re.compile(r"\d[\d,.]*\s*(?:百万|万|千|億)?円")
_RATE = re.compile(r"\d+(?:\.\d+)?\s*%|\d+\s*/\s*\d+|\d+分の\d+|[\d一二三四五六七八九]割")
_DATE = re.compile(r"\d+月\d+日|第\d[・\d]*[月火水木金土日]曜|[月火水木金土日]曜日|\d+年度?")
_ORG = re.compile(
    r"協議会|財団|センター|協会|会議所|大学|区役所|委員会|\(株\)|株式会社|組合|機構|事務所|"
    r"ステーション|窓口|部会|かわさき」"
)
_COMPANY = re.compile(r"\(株\)|株式会社|有限会社|合同会社|\(有\)")
_PLACE = re.compile(r"会館|ホール|区役所|公園|駅|会場|センター|[^\s]{1,6}(?:区|町|エリア)|にて")
# What a question asks for, and the words that ask it (checked in order).
_ASKS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("amount", _AMOUNT, ("いくら", "金額", "予算", "助成額", "補助額", "総額")),
    ("rate", _RATE, ("何割", "何%", "割合", "率は", "率を", "パーセント", "シェア")),
    (
        "figure",
        _FIGURE,
        (
            "何件",
            "何人",
            "何社",
            "何回",
            "何名",
            "何校",
            "何団体",
            "何製品",
            "何か所",
            "どのくらい",
            "どれくらい",
            "どれだけ",
            "どの程度",
            "数は",
            "件数",
            "人数",
            "実績",
            "いくつ",
            "何店",
            "多い",
            "少な",
        ),
    ),
    ("date", _DATE, ("いつ", "何日", "何月", "日程", "開催日", "何曜", "時期")),
    (
        "company",
        _COMPANY,
        ("どの会社", "どこの会社", "どの企業", "どこの企業", "企業名", "会社名", "どこが選ば"),
    ),
    ("organisation", _ORG, ("誰が", "誰に", "どこが", "どこに", "機関", "団体は", "主体", "誰")),
    ("place", _PLACE, ("どこで", "どこの", "場所", "会場", "エリア", "どこにある")),
)


_QUALIFIER = re.compile(r"[(（][^)）]*[)）]")


def _has_value(pattern: re.Pattern[str], text: str, given: set[str]) -> bool:
    """The text holds the asked kind of value, other than a number the question gave."""
    for m in pattern.finditer(text):
        numbers = set(numbers_in(m.group(0)))
        if not numbers or not numbers <= given:
            return True
    return False


def _details(following: list[str]) -> tuple[str, ...]:
    """The sub-bullets (・…) or parenthesised notes ((支援件数2件)) that follow a sentence
    and hold figures, up to the next sentence that is neither."""
    out = []
    for raw in following:
        if raw[:1] not in _BULLETS and raw[:1] not in "(（":
            break
        if _FIGURE.search(raw):
            out.append(raw.lstrip(_BULLETS).strip())
    return tuple(out)


def asked_value(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The kind of value the question asks for and a pattern that finds it, if any."""
    # A bracketed qualifier (負債総額1,000万円以上) names the subject, not the ask.
    text = _QUALIFIER.sub("", nfkc(question))
    names = tuple(name for name, _, cues in _ASKS if any(c in text for c in cues))
    if not names:
        return None
    # 「誰が整備していつ開く?」 asks two things: a sentence holding either helps.
    return names[0], _union(names)


@lru_cache(maxsize=64)
def _union(names: tuple[str, ...]) -> re.Pattern[str]:
    patterns = {name: pattern for name, pattern, _ in _ASKS}
    if len(names) == 1:
        return patterns[names[0]]
    return re.compile("|".join(f"(?:{patterns[n].pattern})" for n in names))


def _window(sentence: str, q: set[str], value: re.Pattern[str] | None) -> str:
    """A long item cut to the stretch that best matches the question (never mid-number)."""
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    starts = list(range(0, len(sentence) - _MAX_SENTENCE + 1, 20))

    def fit(i: int) -> float:
        piece = sentence[i : i + _MAX_SENTENCE]
        has_value = value is not None and value.search(piece) is not None
        return len(q & bigrams(piece)) + (_VALUE_BONUS * 2 if has_value else 0)

    start = max(starts, key=fit)
    end = start + _MAX_SENTENCE
    while start > 0 and (sentence[start - 1].isdigit() or sentence[start] in ",."):
        start -= 1
    while end < len(sentence) and (sentence[end - 1].isdigit() or sentence[end] in ",.%"):
        end += 1
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    overlap: float
    clean: str
    hit: Hit
    following: str | None  # the next sentence of the same chunk
    lead: str | None = None  # the preceding sentence, when it carries most of the match
    details: tuple[str, ...] = ()  # figure-bearing sub-bullets right after the sentence


_HEISEI_YEAR = re.compile(r"平成\s*(\d{1,2})\s*年")
_WESTERN_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
_YEAR_BONUS = 2.0
_OTHER_YEAR_FACTOR = 0.7


def _years(text: str) -> set[int]:
    """Western years a text names (平成28年度 → 2016, 2016年 → 2016)."""
    flat = squash(text)
    years = {1988 + int(m.group(1)) for m in _HEISEI_YEAR.finditer(flat)}
    return years | {int(m.group(1)) for m in _WESTERN_YEAR.finditer(flat)}


_POOL = 40
_FOLLOW_SHARE = 0.5  # a further sentence must score this share of the best one
_PAIR_SHARE = 0.4
_PAIR = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]と[\u4e00-\u9fff\u30a0-\u30ff]")
_BULLETS = "○〇●・◆■※ "
_MIN_FRESH = 2


class PassageFacts:
    """Selects the best sentences of the top hits and cites their raw lines."""

    def __init__(self, citer: Citer, words: ContentWords | None = None) -> None:
        self.citer = citer
        self.words = words or ContentWords()
        self._idf: dict[str, float] | None = None

    def _weights(self) -> dict[str, float]:
        """Bigram weights: rare bigrams (技術展) say more than common ones (平成, 28)."""
        if self._idf is None:
            df: Counter[str] = Counter()
            units = [s for ch in self.citer.corpus.chunks for s in sentences(nfkc(ch.text))]
            for unit in units:
                df.update(bigrams(unit))
            n = max(len(units), 1)
            raw = {g: math.log((n + 1) / (c + 1)) for g, c in df.items()}
            mean = sum(raw.values()) / max(len(raw), 1) or 1.0
            # Damped: common bigrams still count, rare ones count up to _MAX_WEIGHT.
            self._idf = {g: min(0.5 + 0.5 * w / mean, _MAX_WEIGHT) for g, w in raw.items()}
        return self._idf

    def _overlap(self, q: set[str], q_words: frozenset[str], text: str) -> float:
        weights = self._weights()
        shared = sum(weights.get(g, _MAX_WEIGHT) for g in q & bigrams(text))
        return shared + _WORD_WEIGHT * len(q_words & self.words(text))

    def relevance(self, question: str, text: str) -> float:
        """How well ``text`` answers ``question``, on the scale of :meth:`facts`' score."""
        q = bigrams(question) - _NOISE
        overlap = self._overlap(q, self.words(nfkc(question)), nfkc(text))
        years, named_years = _years(question), _years(text)
        if years and named_years:
            overlap = overlap + _YEAR_BONUS if years & named_years else overlap * _OTHER_YEAR_FACTOR
        asked = asked_value(question)
        if asked is not None:
            found = _has_value(asked[1], nfkc(text), set(numbers_in(question)))
            overlap = overlap + _VALUE_BONUS if found else overlap * _NO_VALUE_FACTOR
        return overlap

    def _score(
        self, question: str, hits: list[Hit], focus: str | None = None
    ) -> tuple[list[_Scored], set[str]]:
        q = bigrams(question) - _NOISE
        q_words = self.words(nfkc(question))
        asked = asked_value(question)
        value = asked[1] if asked else None
        years = _years(question)
        given = set(numbers_in(question))
        focus_q = bigrams(focus) - _NOISE if focus else set()
        focus_words = self.words(nfkc(focus)) if focus else frozenset()
        scored: list[_Scored] = []
        for hit in hits:
            label = nfkc(hit.chunk.title or "")
            body = nfkc(hit.chunk.text)
            first, _, rest = body.partition("\n")
            if label and squash(first).startswith(squash(label)[:8]):
                body = rest  # the chunk's context label line, not report prose
            label_score = 0.5 * len(q & bigrams(label)) - 0.1 * (hit.rank - 1)
            raw = sentences(body)
            items = [s.lstrip(_BULLETS).strip() for s in raw]
            bullet = [s[:1] in _BULLETS for s in raw]
            previous, lead, lead_bullet = 0.0, "", False
            for index, clean in enumerate(items):
                if len(squash(clean)) < 6 or squash(clean) == squash(label):
                    if (short := self._overlap(q, q_words, clean)) > previous:
                        previous, lead, lead_bullet = short, clean, bullet[index]
                    continue
                own = self._overlap(q, q_words, clean)
                if focus_q:
                    # In a follow-up, the words of the latest turn count twice.
                    own += self._overlap(focus_q, focus_words, clean)
                overlap = max(own, own + _CONTEXT_SHARE * previous)
                # The question's year in the sentence, or only other years in it.
                named_years = _years(clean)
                if years and named_years:
                    overlap = (
                        overlap + _YEAR_BONUS
                        if years & named_years
                        else overlap * _OTHER_YEAR_FACTOR
                    )
                if value is not None:
                    if _has_value(value, clean, given):
                        overlap += _VALUE_BONUS
                    else:
                        overlap *= _NO_VALUE_FACTOR
                # Sibling bullets are separate items: neither continues the other.
                following = (
                    items[index + 1]
                    if index + 1 < len(items) and not (bullet[index] and bullet[index + 1])
                    else None
                )
                sibling = lead_bullet and bullet[index]
                carried = lead if previous > own and lead and not sibling else None
                details = () if bullet[index] else _details(raw[index + 1 : index + 3])
                bonus = _DETAIL_BONUS if details else 0.0
                if _TOTAL_ROW.match(clean) and not _TOTAL_ROW.search(question):
                    bonus += _TOTAL_BONUS  # among table rows, the total answers a general ask
                scored.append(
                    _Scored(
                        overlap + label_score + bonus,
                        overlap,
                        clean,
                        hit,
                        following,
                        carried,
                        details,
                    )
                )
                previous, lead, lead_bullet = own, clean, bullet[index]
        scored.sort(key=lambda s: -s.score)
        return scored, q

    def facts(
        self, question: str, hits: list[Hit], limit: int = 3, focus: str | None = None
    ) -> tuple[list[Fact], float]:
        """Best sentences (with their score: topic shared with the question); ``focus`` is
        the latest turn of a follow-up whose ``question`` includes the previous one."""
        scored, q = self._score(question, hits, focus)
        q_words = self.words(nfkc(question))
        # 「出展者数と来場者数」 asks two things: each sentence matches only half the question.
        share = _PAIR_SHARE if _PAIR.search(nfkc(focus or question)) else _FOLLOW_SHARE
        asked = asked_value(question)
        value = asked[1] if asked else None
        out: list[Fact] = []
        seen: set[str] = set()
        covered: set[str] = set()
        best = scored[0].overlap if scored else 0.0
        for item in scored[:_POOL]:
            clean, hit = item.clean, item.hit
            if item.overlap < _MIN_OVERLAP or squash(clean) in seen:
                continue
            # Greedy coverage: a further sentence must bring question words not yet covered.
            said = (q & bigrams(clean)) | {f"w:{w}" for w in q_words & self.words(clean)}
            fresh = said - covered
            if out and (len(fresh) < _MIN_FRESH or item.overlap < best * share):
                continue
            covered |= said
            seen.add(squash(clean))
            text = _window(clean, q, value)
            # Cite what is shown: a window of a long flattened table needs only its lines.
            citation = self.citer.cite_chunk_sentence(hit.chunk, text.strip("…"))
            if not supported(text, (citation,)):
                citation = self.citer.cite_chunk_sentence(hit.chunk, clean)
            citations = [citation]
            # A detail line ("参加者数179名") matched through its lead: show the lead too.
            if item.lead and squash(item.lead) not in seen:
                seen.add(squash(item.lead))
                text = _window(item.lead, q, None).rstrip("。") + "。" + text
                citations.insert(0, self.citer.cite_chunk_sentence(hit.chunk, item.lead))
            # A lead without the asked value: its bullet's next sentence usually holds it.
            nxt = item.following
            if value is not None and not value.search(text) and nxt and value.search(nxt):
                seen.add(squash(nxt))
                text = text.rstrip("。") + "。" + _window(nxt, q, value)
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
            out.append(
                Fact(
                    prefix + text + ("" if text.endswith(("。", "…")) else "。"),
                    tuple(dict.fromkeys(citations)),
                    hit.chunk.programme,
                )
            )
            if len(out) >= limit:
                break
        return out, best
