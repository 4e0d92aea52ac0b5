"""Persistent embedding cache keyed by (model id, content hash): unchanged chunks embed once.

SQLite because several processes may build against the same store (it does its own locking).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core import IndexBuildError
from index.models import Embedder

__all__ = ["CachedEmbeddings", "CachingEmbedder", "EmbeddingCache", "content_hash"]

log = logging.getLogger(__name__)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbeddings:
    """Result of :meth:`EmbeddingCache.embed`: the vectors and how many were computed now."""

    def __init__(self, vectors: npt.NDArray[np.float32], computed: int) -> None:
        self.vectors = vectors
        self.computed = computed


class EmbeddingCache:
    """Vectors stored as float32 blobs in ``path`` (an SQLite file)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _stored(self) -> Iterator[None]:
        """The file's errors (read-only store, locked or broken database) in the hierarchy."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise IndexBuildError(
                f"埋め込みキャッシュを読み書きできません / cannot use the embedding cache "
                f"{self.path}: {exc}"
            ) from exc

    def _connect(self) -> sqlite3.Connection:
        with self._stored():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60)
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS vectors ("
                    " model TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL,"
                    " vec BLOB NOT NULL, PRIMARY KEY (model, hash))"
                )
            except BaseException:
                conn.close()
                raise
        return conn

    def embed(
        self, embedder: Embedder, texts: Sequence[str], progress: bool = False
    ) -> CachedEmbeddings:
        """Vectors for ``texts`` (documents), computing only those not cached yet."""
        hashes = [content_hash(t) for t in texts]
        by_hash = dict(zip(hashes, texts, strict=True))
        found: dict[str, npt.NDArray[np.float32]] = {}
        missing: list[str] = []
        conn = self._connect()
        try:
            unique = list(by_hash)
            for start in range(0, len(unique), 500):
                batch = unique[start : start + 500]
                marks = ",".join("?" * len(batch))
                with self._stored():
                    rows = conn.execute(
                        f"SELECT hash, vec FROM vectors WHERE model = ? AND hash IN ({marks})",
                        [embedder.model_id, *batch],
                    ).fetchall()
                found.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
            missing = [h for h in unique if h not in found]
            if missing:
                log.info("embedding %d new texts with %s", len(missing), embedder.model_id)
                new = _embed_batches(embedder, [by_hash[h] for h in missing], progress)
                fresh = [
                    (embedder.model_id, h, int(v.shape[0]), v.astype(np.float32).tobytes())
                    for h, v in zip(missing, new, strict=True)
                ]
                with self._stored():
                    conn.executemany(
                        "INSERT OR REPLACE INTO vectors (model, hash, dim, vec)"
                        " VALUES (?, ?, ?, ?)",
                        fresh,
                    )
                    conn.commit()
                found.update(zip(missing, new, strict=True))
        finally:
            conn.close()
        if not hashes:
            return CachedEmbeddings(np.zeros((0, embedder.dim), dtype=np.float32), 0)
        vectors = np.stack([found[h] for h in hashes]).astype(np.float32)
        return CachedEmbeddings(vectors, len(missing))


def _embed_batches(
    embedder: Embedder, texts: list[str], progress: bool
) -> list[npt.NDArray[np.float32]]:
    from tqdm import tqdm  # noqa: PLC0415 - lazy: heavy or optional

    rows: list[npt.NDArray[np.float32]] = []
    step = 32
    with tqdm(total=len(texts), desc="embedding", unit="chunk", disable=not progress) as bar:
        for start in range(0, len(texts), step):
            batch = texts[start : start + step]
            rows.extend(embedder.embed_documents(batch))
            bar.update(len(batch))
    return rows


class CachingEmbedder:
    """An :class:`Embedder` whose document vectors go through an :class:`EmbeddingCache`."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache) -> None:
        self.inner = embedder
        self.cache = cache
        self.model_id = embedder.model_id
        self.dim = embedder.dim

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.cache.embed(self.inner, texts).vectors

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        return self.inner.embed_query(text)
