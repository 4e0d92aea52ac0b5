"""The Facts stage: every sentence of the passages a question reaches, typed by the kinds of
value it holds.

Candidates come from the chunks of the question's most likely topics (Topics stage) and from
the chunks the hybrid search ranks first: between them they hold every key fact of 97 % of
the studied questions within two sentences, so the work is in choosing (Rank), not finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.asked_values import value_kinds
from assistant.corpus_terms import NO_TERMS, CorpusTerms
from assistant.facts.models import FactCandidate
from assistant.facts.records import RecordInventory
from assistant.text import is_caption, sentences, squash
from assistant.topics import ScoredTopic
from index import Hit
from ingest import Chunk, ChunkKind, Corpus

__all__ = ["FactInventory"]

TOPICS_READ = 3  # the topics whose every chunk is read
HITS_READ = 10  # search hits read beyond those topics
_MIN_CHARS = 4  # shorter lines are page furniture (「(1)」, 「・」)
_RECORD_RENDERED = (ChunkKind.BUDGET, ChunkKind.CONTACT)  # chunks written from the record
_PAIR_CHARS = 120  # two sentences this short together are also one candidate


class FactInventory:
    """Candidate facts for a question from its ranked topics and search hits."""

    def __init__(
        self,
        corpus: Corpus,
        terms: CorpusTerms = NO_TERMS,
        records: RecordInventory | None = None,
        *,
        topics_read: int = TOPICS_READ,
        hits_read: int = HITS_READ,
    ) -> None:
        self.topics_read = topics_read
        self.hits_read = hits_read
        self.terms = terms
        self.records = records
        self._programmes = {p.id: p for p in corpus.programmes}
        self._chunks = {c.id: c for c in corpus.chunks}
        self._by_topic: dict[tuple[str, str], list[Chunk]] = {}
        self._names = {p.name: p.id for p in corpus.programmes}
        for chunk in corpus.chunks:
            for key in _topic_keys(chunk, self._names):
                self._by_topic.setdefault(key, []).append(chunk)
        self._sentences: dict[str, tuple[str, ...]] = {}

    def collect(self, topics: Sequence[ScoredTopic], hits: Sequence[Hit]) -> list[FactCandidate]:
        """Every distinct sentence of the top topics' chunks and the first hits, in that order."""
        rank_of = {h.chunk.id: h.rank for h in hits}
        topic_of: dict[str, tuple[int, float]] = {}
        chunks: dict[str, Chunk] = {}
        read = topics[: self.topics_read]
        for position, scored in enumerate(read):
            for chunk in self._by_topic.get((scored.topic.kind, scored.topic.key), ()):
                chunks.setdefault(chunk.id, chunk)
                topic_of.setdefault(chunk.id, (position, scored.confidence))
        known = {(t.topic.kind, t.topic.key): (i, t.confidence) for i, t in enumerate(topics)}
        for hit in hits[: self.hits_read]:
            chunks.setdefault(hit.chunk.id, hit.chunk)
            if hit.chunk.id not in topic_of:
                found = [known[k] for k in _topic_keys(hit.chunk, self._names) if k in known]
                if found:
                    topic_of[hit.chunk.id] = min(found)
        out: list[FactCandidate] = []
        seen: set[str] = set()
        if self.records is not None:
            out.extend(self._record_facts(chunks.values(), topic_of, rank_of, seen))
        for chunk in chunks.values():
            if self.records is not None and chunk.kind in _RECORD_RENDERED:
                continue  # rendered from the record: its facts are the record's
            topic, confidence = topic_of.get(chunk.id, (None, 0.0))
            previous: str | None = None
            units = self._split(chunk)
            for position, text in enumerate(units):
                # A sentence alone, and with the next one when both are short: a lead and
                # its figure (「出張PR」「28件」) are often two lines of one fact.
                nxt = units[position + 1] if position + 1 < len(units) else ""
                if is_caption(nxt):
                    nxt = ""  # a chart's caption is no part of the sentence before it
                joined = f"{text}{nxt}" if nxt and len(text) + len(nxt) <= _PAIR_CHARS else ""
                for unit, size in ((text, 1), (joined, 2)):
                    if size == 1 and is_caption(unit):
                        continue
                    flat = squash(unit)
                    if not unit or len(flat) < _MIN_CHARS or flat in seen:
                        continue
                    seen.add(flat)
                    out.append(
                        FactCandidate(
                            text=unit,
                            chunk=chunk,
                            position=position,
                            previous=previous,
                            kinds=value_kinds(unit, self.terms),
                            topic=topic,
                            topic_confidence=confidence,
                            hit_rank=rank_of.get(chunk.id),
                            sentences=size,
                            units=(text, nxt) if size == 2 else (),
                        )
                    )
                previous = text
        return out

    def chunks_of(self, programmes: Sequence[str]) -> list[Chunk]:
        """Every passage of the programmes (ids), in report order."""
        return [c for pid in programmes for c in self._by_topic.get(("programme", pid), ())]

    def _record_facts(
        self,
        chunks: Iterable[Chunk],
        topic_of: dict[str, tuple[int, float]],
        rank_of: dict[str, int],
        seen: set[str],
    ) -> list[FactCandidate]:
        """The record facts of every programme whose passages were read."""
        assert self.records is not None
        best: dict[str, tuple[int | None, float, int | None]] = {}
        for chunk in chunks:
            pid = self._names.get(chunk.programme or "", chunk.programme)
            if pid not in self._programmes:
                continue
            topic, confidence = topic_of.get(chunk.id, (None, 0.0))
            rank = rank_of.get(chunk.id)
            known = best.get(pid)
            if known is None or (rank or 10**6) < (known[2] or 10**6):
                best[pid] = (topic, confidence, rank)
        out: list[FactCandidate] = []
        for pid, (topic, confidence, rank) in best.items():
            for fact in self.records.facts(self._programmes[pid]):
                home = self._chunks.get(fact.citations[0].id) if fact.citations else None
                flat = squash(fact.text)
                if home is None or flat in seen:
                    continue
                seen.add(flat)
                out.append(
                    FactCandidate(
                        text=fact.text,
                        chunk=home,
                        position=0,
                        previous=None,
                        kinds=value_kinds(fact.text, self.terms),
                        topic=topic,
                        topic_confidence=confidence,
                        hit_rank=rank,
                        fact=fact,
                    )
                )
        return out

    def _split(self, chunk: Chunk) -> tuple[str, ...]:
        cached = self._sentences.get(chunk.id)
        if cached is None:
            cached = self._sentences[chunk.id] = tuple(sentences(chunk.text))
        return cached


def _topic_keys(chunk: Chunk, names: dict[str, str]) -> Iterable[tuple[str, str]]:
    """The Topics stage's keys of a chunk: its programme (chunks may carry the name; the
    topic key is the id), its article, its section."""
    if chunk.programme is not None:
        yield ("programme", names.get(chunk.programme, chunk.programme))
    if chunk.kind == ChunkKind.ARTICLE and chunk.article is not None:
        yield ("article", str(chunk.article))
    if chunk.section is not None:
        yield ("section", chunk.section)
