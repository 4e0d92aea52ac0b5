"""Build an index beside the live one and swap it in atomically; open a searcher on it."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from core import IndexBuildError, Settings
from index.embed_cache import EmbeddingCache
from index.embedders import make_embedder
from index.fusion import FusionConfig
from index.models import Embedder
from index.names import NameIndex
from index.searcher import HybridSearcher
from index.semantic import TextSimilarity
from index.store import BuildLease, IndexLayout, chroma_client, collection_name, writing
from index.sudachi_tokens import SudachiTokenizer
from ingest import Chunk, Corpus

__all__ = ["IndexStats", "build_index", "index_fingerprint", "open_searcher"]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What a build did."""

    build_id: str
    chunks: int
    embedded: int  # vectors computed by this build (0 when everything came from the cache)
    reused: int  # vectors taken from the embedding cache
    embedder: str
    unchanged: bool  # the live index already matched: nothing was rebuilt
    seconds: float
    embed_seconds: float
    remote: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def index_fingerprint(chunks: Sequence[Chunk], embedder_id: str, tokenizer: str) -> str:
    """Identity of an index's content: chunks, embedder and token stream."""
    digest = hashlib.sha256(f"v{FORMAT_VERSION}|{embedder_id}|{tokenizer}".encode())
    for chunk in chunks:
        digest.update(f"\x00{chunk.id}\x01{chunk.text}\x01{chunk.title or ''}".encode())
    return digest.hexdigest()


def build_index(
    settings: Settings,
    corpus: Corpus,
    progress: bool = True,
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> IndexStats:
    """Build (or confirm) the index for ``corpus.chunks``; safe with concurrent processes."""
    start = time.perf_counter()
    embedder = embedder or make_embedder(settings.embedder)
    tokenizer = SudachiTokenizer()
    chunks = list(corpus.chunks)
    if not chunks:
        raise IndexBuildError("the corpus has no chunks to index (run `sme-assistant ingest`)")
    fingerprint = index_fingerprint(chunks, embedder.model_id, tokenizer.signature)
    layout = IndexLayout(settings)
    with layout.locked(exclusive=True):
        current = layout.current()
        if current and not force and _matches(layout, current, fingerprint):
            log.info("index %s is up to date", current)
            return IndexStats(
                build_id=current,
                chunks=len(chunks),
                embedded=0,
                reused=len(chunks),
                embedder=embedder.model_id,
                unchanged=True,
                seconds=time.perf_counter() - start,
                embed_seconds=0.0,
                remote=layout.remote,
            )
        build_id = f"{fingerprint[:12]}-{uuid.uuid4().hex[:8]}"
        stats = _build(
            layout,
            build_id,
            chunks,
            embedder=embedder,
            tokenizer=tokenizer,
            fingerprint=fingerprint,
            progress=progress,
        )
        layout.set_current(build_id)
        _drop_stale(layout, keep={build_id})
    log.info("built index %s: %d chunks, %d embedded", build_id, len(chunks), stats[0])
    embedded, embed_seconds = stats
    return IndexStats(
        build_id=build_id,
        chunks=len(chunks),
        embedded=embedded,
        reused=len(chunks) - embedded,
        embedder=embedder.model_id,
        unchanged=False,
        seconds=time.perf_counter() - start,
        embed_seconds=embed_seconds,
        remote=layout.remote,
    )


def _matches(layout: IndexLayout, build_id: str, fingerprint: str) -> bool:
    try:
        return layout.manifest(build_id).get("fingerprint") == fingerprint
    except IndexBuildError:
        return False


def _build(
    layout: IndexLayout,
    build_id: str,
    chunks: list[Chunk],
    *,
    embedder: Embedder,
    tokenizer: SudachiTokenizer,
    fingerprint: str,
    progress: bool,
) -> tuple[int, float]:
    from tqdm import tqdm  # noqa: PLC0415 - lazy: heavy or optional

    from index.dense import fill_collection  # noqa: PLC0415 - lazy: llama-index
    from index.lexical import tokenize_chunks  # noqa: PLC0415 - lazy: llama-index

    target = layout.build_dir(build_id)
    with writing(layout.builds):
        target.mkdir(parents=True)
    with tqdm(total=3, desc="index", unit="step", disable=not progress) as bar:
        bar.set_postfix_str("tokenize")
        tokens = tokenize_chunks(chunks, tokenizer)
        with writing(target):
            (target / "bm25.json").write_text(json.dumps(tokens, ensure_ascii=False), "utf-8")
        bar.update()
        bar.set_postfix_str("embed")
        t0 = time.perf_counter()
        cached = EmbeddingCache(layout.cache_file).embed(
            embedder, [c.text for c in chunks], progress=progress
        )
        embed_seconds = time.perf_counter() - t0
        bar.update()
        bar.set_postfix_str("store")
        name = collection_name(embedder.model_id, build_id)
        client = chroma_client(layout.settings, None if layout.remote else target / "chroma")
        try:
            collection = client.create_collection(name, metadata={"hnsw:space": "cosine"})
            fill_collection(collection, chunks, cached.vectors)
        except IndexBuildError:
            raise
        except Exception as exc:  # chromadb errors are untyped
            raise IndexBuildError(f"cannot write the vector collection: {exc}") from exc
        bar.update()
    manifest = {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "embedder": embedder.model_id,
        "dim": int(cached.vectors.shape[1]),
        "tokenizer": tokenizer.signature,
        "collection": name,
        "remote": layout.remote,
        "chunks": len(chunks),
        "created": time.time(),
    }
    # The manifest is written last: a build without one is incomplete and never opened.
    with writing(target):
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    return cached.computed, embed_seconds


def _drop_stale(layout: IndexLayout, keep: set[str]) -> None:
    collections = {}
    if layout.remote and layout.builds.exists():
        for path in layout.builds.iterdir():
            if path.is_dir() and path.name not in keep and (path / "manifest.json").exists():
                collections[path.name] = layout.manifest(path.name).get("collection")
    removed = layout.remove_stale(keep)
    if not removed or not collections:
        return
    client = chroma_client(layout.settings, None)
    for build_id in removed:
        name = collections.get(build_id)
        if name:
            try:
                client.delete_collection(name)
            except Exception as exc:  # already gone, or server hiccup: not fatal
                log.warning("could not delete old collection %s: %s", name, exc)


def open_searcher(
    settings: Settings,
    corpus: Corpus,
    *,
    embedder: Embedder | None = None,
    config: FusionConfig | None = None,
    build_if_needed: bool = True,
    progress: bool = False,
) -> HybridSearcher:
    """A searcher on the live index for ``corpus``; builds it when missing or stale."""
    embedder = embedder or make_embedder(settings.embedder)
    tokenizer = SudachiTokenizer()
    chunks = list(corpus.chunks)
    fingerprint = index_fingerprint(chunks, embedder.model_id, tokenizer.signature)
    layout = IndexLayout(settings)
    for _attempt in range(2):
        with layout.locked(exclusive=False):
            current = layout.current()
            if current and _matches(layout, current, fingerprint):
                return _open(
                    layout,
                    current,
                    corpus,
                    chunks=chunks,
                    embedder=embedder,
                    tokenizer=tokenizer,
                    config=config,
                )
        if not build_if_needed:
            break
        build_index(settings, corpus, progress=progress, embedder=embedder)
    raise IndexBuildError("no index for this corpus: run `sme-assistant index`")


def _open(
    layout: IndexLayout,
    build_id: str,
    corpus: Corpus,
    *,
    chunks: list[Chunk],
    embedder: Embedder,
    tokenizer: SudachiTokenizer,
    config: FusionConfig | None,
) -> HybridSearcher:
    from index.dense import DenseSearch  # noqa: PLC0415 - lazy: llama-index
    from index.lexical import BM25Search  # noqa: PLC0415 - lazy: llama-index
    from index.llama_bridge import configure_llama  # noqa: PLC0415 - lazy: llama-index

    manifest = layout.manifest(build_id)
    lease = BuildLease(layout, build_id)
    target = layout.build_dir(build_id)
    try:
        tokens = json.loads((target / "bm25.json").read_text("utf-8"))
        adapter = configure_llama(embedder)
        client = chroma_client(layout.settings, None if layout.remote else target / "chroma")
        collection = client.get_collection(manifest["collection"])
        dense = DenseSearch(
            chunks, collection, adapter, query_cache_size=layout.settings.query_cache_size
        )
    except IndexBuildError:
        lease.release()
        raise
    except Exception as exc:
        lease.release()
        raise IndexBuildError(f"cannot open index build {build_id}: {exc}") from exc
    bm25 = BM25Search(chunks, tokenizer, tokens)
    names = NameIndex.from_corpus(corpus, chunks)
    return HybridSearcher(
        chunks,
        bm25,
        dense,
        names,
        config=config,
        lease=lease,
        build_id=build_id,
        cache_size=layout.settings.search_cache_size,
        semantic=TextSimilarity(embedder, EmbeddingCache(layout.cache_file), dense.embed_query),
    )
