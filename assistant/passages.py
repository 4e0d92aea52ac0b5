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
    "知りたいのですがいくらですか報告書によると川崎市の"
)
_MIN_OVERLAP = 3
_MAX_SENTENCE = 160
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


class PassageFacts:
    """Selects the best sentences of the top hits and cites their raw lines."""

    def __init__(self, citer: Citer) -> None:
        self.citer = citer

    def facts(self, question: str, hits: list[Hit], limit: int = 2) -> tuple[list[Fact], float]:
        """Best sentences (with their score: topic bigrams shared with the question)."""
        q = bigrams(question) - _NOISE
        numeric = any(w in nfkc(question) for w in _NUMERIC_ASK)
        scored: list[tuple[float, float, str, Hit]] = []
        for hit in hits:
            label = nfkc(hit.chunk.title or "")
            body = nfkc(hit.chunk.text)
            if label and body.startswith(label):
                body = body[len(label) :]
            for sentence in sentences(body):
                clean = sentence.lstrip("○〇●・◆■ ").strip()
                if len(squash(clean)) < 6 or squash(clean) == squash(label):
                    continue
                overlap: float = len(q & bigrams(clean))
                if numeric and not re.search(r"\d", clean):
                    overlap *= 0.5
                score = overlap + 0.5 * len(q & bigrams(label)) - 0.1 * (hit.rank - 1)
                scored.append((score, overlap, clean, hit))
        scored.sort(key=lambda t: -t[0])
        out: list[Fact] = []
        seen: set[str] = set()
        best = 0.0
        for _score, overlap, clean, hit in scored:
            if overlap < _MIN_OVERLAP or squash(clean) in seen:
                continue
            best = max(best, overlap)
            if out and overlap < best * 0.6:
                break
            seen.add(squash(clean))
            text = clean if len(clean) <= _MAX_SENTENCE else clean[:_MAX_SENTENCE] + "…"
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
