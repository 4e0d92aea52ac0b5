"""The passages the composer reads, chosen from the hits one search found for the question."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from assistant.models import Intent
from assistant.understanding import Query
from index import Hit, SearchFilters
from ingest import Chunk, ChunkKind, Programme

__all__ = ["PassageChooser"]

_KINDS: dict[Intent, tuple[ChunkKind, ...]] = {
    Intent.ORDINANCE: (ChunkKind.ARTICLE,),
    Intent.STATISTICS: (ChunkKind.SECTION,),
}
_ENOUGH_HITS = 3  # filtered hits below this: also search the whole report


class PassageChooser:
    """A named programme's passages first, else the kinds of passage the intent reads."""

    def __init__(
        self,
        programmes: Mapping[str, Programme],
        chunks_of: Callable[[Sequence[str]], list[Chunk]],
        search_k: int,
    ) -> None:
        self.programmes = programmes  # by id
        self.chunks_of = chunks_of  # every passage of the programmes (ids), in report order
        self.k = max(search_k, 8)  # sentence selection wants a few more passages

    def choose(self, query: Query, found: Sequence[Hit]) -> list[Hit]:
        """The passages for ``query`` from the hits ``found`` for it (one search serves every
        stage): a named programme's passages first (its record ranks high while related
        sections can still surface), or only the kinds of passage the intent reads when
        enough of them were found."""
        k = self.k
        kinds = _KINDS.get(query.intent)
        if query.intent == Intent.ORDINANCE and query.asks_making:
            kinds = (ChunkKind.SECTION,)
        if query.programmes:
            named = {key for p in query.programmes[:2] for key in (p, self.programmes[p].name)}
            own = [h.chunk for h in found if h.chunk.programme in named]
            own += [c for c in self.chunks_of(query.programmes[:2]) if c not in own]
            rest = [h.chunk for h in found if h.chunk.programme not in named]
            return _ranked([*own, *rest][:k])
        if kinds is not None:
            filters = SearchFilters(kinds=kinds)
            kept = [h.chunk for h in found if filters.accepts(h.chunk)]
            if len(kept) >= _ENOUGH_HITS:
                return _ranked(kept[:k])
        return list(found[:k])


def _ranked(chunks: Sequence[Chunk]) -> list[Hit]:
    """Hits in the given order (rank 1 first)."""
    return [Hit(chunk=c, score=1.0 / i, rank=i) for i, c in enumerate(chunks, start=1)]
