"""Which programmes an answer speaks for: those the question names, else the Topics stage's
most likely (a need described in casual words reaches its programme there), and the passages
a question that spells a programme's full name may be answered from."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.citing import Fact
from assistant.facts import RankedFact
from assistant.models import Intent
from assistant.records import RecordFacts
from assistant.topics import ScoredTopic
from assistant.understanding import Query
from index import Hit
from ingest import Programme

__all__ = ["ProgrammeChoice"]

_OWN_READ = 5  # ranked facts read for the asked programme's own value


class ProgrammeChoice:
    """The programmes of a question, read from the typed records (``records``)."""

    def __init__(self, records: RecordFacts) -> None:
        self.records = records

    def programmes(
        self, query: Query, hits: list[Hit], topics: Sequence[ScoredTopic] = ()
    ) -> list[Programme]:
        """The programmes named, else the Topics stage's most likely ones (a need described
        in casual words reaches its programme there), else those of the first hits."""
        by_id = self.records.by_id
        found = [by_id[p] for p in query.programmes if p in by_id]
        if found:
            return found
        if topics and topics[0].topic.kind == "programme" and topics[0].topic.key in by_id:
            found.append(by_id[topics[0].topic.key])
        for hit in hits:
            key = hit.chunk.programme
            programme = self.records.by_key.get(key) if key else None
            if programme is not None and programme not in found:
                found.append(programme)
        return found[:2]

    def own_hits(self, query: Query, programmes: list[Programme], hits: list[Hit]) -> list[Hit]:
        """Only the passages of the programmes the question calls by their full name.

        「技能奨励事業の…来場者数」 asks about that programme: another programme's figure
        for a similar event is no answer, however well its words match."""
        spelled = {
            key
            for p in programmes
            if p.id in query.programmes and p.id in query.spelled
            for key in (p.id, p.name)
        }
        if not spelled or query.intent == Intent.ORDINANCE:
            return hits
        own = [h for h in hits if h.chunk.programme in spelled]
        return own or hits

    def own_facts(
        self,
        query: Query,
        programmes: list[Programme],
        facts: list[Fact],
        ranked: Sequence[RankedFact],
        topics: Sequence[ScoredTopic],
    ) -> list[Fact]:
        """What the answer and the ranked facts read first say of the programme asked about
        (named, or the Topics stage's first): the asked kind must be there. Another
        programme's column stating a span (最短7営業日) says nothing of how long this one
        takes."""
        if not programmes:
            return []
        if not query.programmes and not (topics and topics[0].topic.key == programmes[0].id):
            return []
        own = {programmes[0].id, programmes[0].name}
        mine = [f for f in facts if f.record in own]
        said = {f.text for f in mine}
        return mine + [
            r.candidate.fact or Fact(r.text, (), r.candidate.chunk.programme)
            for r in ranked[:_OWN_READ]
            if r.candidate.chunk.programme in own and r.text not in said
        ]
