"""Facts taken from retrieved passages: the sentences that best match the question."""

from __future__ import annotations

import re

from assistant.citing import Citer, Fact
from assistant.text import bigrams, nfkc, sentences, squash
from index import Hit

__all__ = ["PassageFacts"]

# Bigrams of question words that carry no topic (asking words, politeness, particles).
_NOISE = bigrams(
    "ですか。ますか？教えてください何ですかどのくらいありますかについてとはどういうものでしょうか"
    "知りたいのですがいくらですか報告書によると川崎市の川崎って今"
)
_MIN_OVERLAP = 4
_MAX_SENTENCE = 240
# A figure that answers "how many": a number with a counter/unit or thousands separators,
# not a date (平成28年, 5月31日).
_FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:%|件|人|社|事業所|円|万|千|億|倍|ポイント|割|回|者|名|か所|箇所|店|団体)"
    r"|\d{1,3}(?:,\d{3})+"
)
_NUMERIC_ASK = (
    "何件",
    "何人",
    "何社",
    "何回",
    "いくら",
    "何%",
    "割合",
    "数は",
    "件数",
    "人数",
    "率は",
)


_POOL = 40
_MIN_FRESH = 2


def _window(sentence: str, q: set[str]) -> str:
    """A long item cut to the stretch that best matches the question (never mid-number)."""
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    starts = range(0, len(sentence) - _MAX_SENTENCE + 1, 20)
    start = max(starts, key=lambda i: len(q & bigrams(sentence[i : i + _MAX_SENTENCE])))
    end = start + _MAX_SENTENCE
    while start > 0 and (sentence[start - 1].isdigit() or sentence[start] in ",."):
        start -= 1
    while end < len(sentence) and (sentence[end - 1].isdigit() or sentence[end] in ",.%"):
        end += 1
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


class PassageFacts:
    """Selects the best sentences of the top hits and cites their raw lines."""

    def __init__(self, citer: Citer) -> None:
        self.citer = citer

    def facts(self, question: str, hits: list[Hit], limit: int = 3) -> tuple[list[Fact], float]:
        """Best sentences (with their score: topic bigrams shared with the question)."""
        q = bigrams(question) - _NOISE
        numeric = any(w in nfkc(question) for w in _NUMERIC_ASK)
        scored: list[tuple[float, float, str, Hit]] = []
        for hit in hits:
            label = nfkc(hit.chunk.title or "")
            body = nfkc(hit.chunk.text)
            first, _, rest = body.partition("\n")
            if label and squash(first).startswith(squash(label)[:8]):
                body = rest  # the chunk's context label line, not report prose
            for sentence in sentences(body):
                clean = sentence.lstrip("○〇●・◆■ ").strip()
                if len(squash(clean)) < 6 or squash(clean) == squash(label):
                    continue
                overlap: float = len(q & bigrams(clean))
                if numeric:
                    overlap = overlap + 2 if _FIGURE.search(clean) else overlap * 0.4
                score = overlap + 0.5 * len(q & bigrams(label)) - 0.1 * (hit.rank - 1)
                scored.append((score, overlap, clean, hit))
        scored.sort(key=lambda t: -t[0])
        out: list[Fact] = []
        seen: set[str] = set()
        covered: set[str] = set()
        best = scored[0][1] if scored else 0.0
        for _score, overlap, clean, hit in scored[:_POOL]:
            if overlap < _MIN_OVERLAP or squash(clean) in seen:
                continue
            # Greedy coverage: a further sentence must bring question words not yet covered.
            fresh = (q & bigrams(clean)) - covered
            if out and (len(fresh) < _MIN_FRESH or overlap < best * 0.5):
                continue
            covered |= q & bigrams(clean)
            seen.add(squash(clean))
            text = _window(clean, q)
            citation = self.citer.cite_chunk_sentence(hit.chunk, clean)
            prefix = f"{nfkc(hit.chunk.title)}：" if hit.chunk.title else ""
            if prefix and (
                squash(hit.chunk.title or "") in squash(text) or re.search(r"\d", prefix)
            ):
                prefix = ""
            out.append(
                Fact(prefix + text + ("" if text.endswith(("。", "…")) else "。"), (citation,))
            )
            if len(out) >= limit:
                break
        return out, best
