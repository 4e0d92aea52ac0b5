"""On-disk layout of the index, the Chroma client, and the locks that keep it consistent.

    store/chroma/               root (settings.store / "chroma")
        .lock                   fcntl lock: exclusive while building/swapping, shared while opening
        CURRENT                 name of the live build (replaced atomically with os.replace)
        builds/<build id>/      one complete build: manifest.json, bm25.json, chroma/ (embedded)
        builds/<build id>.lock  readers hold a shared lock on it; old builds are removed only
                                when nobody holds it
    store/embed_cache.sqlite    embeddings keyed by (model id, content hash)

With a Chroma server (SME_CHROMA_HOST/PORT) the vectors live in a collection per build
on the server and the local build dir keeps the manifest and BM25 tokens.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from core import IndexBuildError, Settings

__all__ = ["BuildLease", "IndexLayout", "chroma_client", "collection_name", "writing"]

log = logging.getLogger(__name__)


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """File errors while touching the index folder (read-only disk, no permission, disk
    full) as an IndexBuildError naming the folder: the CLI prints one line, /healthz says
    the index could not be opened, instead of an OSError traceback."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise IndexBuildError(
            f"検索インデックスのフォルダに書き込めません / cannot write the index folder "
            f"{path}: {reason}"
        ) from exc


class IndexLayout:
    """Paths and atomic pointer operations for one data dir."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.store / "chroma"
        self.builds = self.root / "builds"
        self.current_file = self.root / "CURRENT"
        self.lock_file = self.root / ".lock"
        self.cache_file = settings.store / "embed_cache.sqlite"

    @property
    def remote(self) -> bool:
        return bool(self.settings.chroma_host)

    def build_dir(self, build_id: str) -> Path:
        return self.builds / build_id

    @contextlib.contextmanager
    def locked(self, exclusive: bool) -> Iterator[None]:
        """The data-dir lock: builders exclude each other and readers wait for a swap to end.

        Readers take it too, so even opening the index needs the folder to be writable."""
        handle = _locked_file(self.lock_file, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def current(self) -> str | None:
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if name and (self.build_dir(name) / "manifest.json").exists() else None

    def manifest(self, build_id: str) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(
                (self.build_dir(build_id) / "manifest.json").read_text(encoding="utf-8")
            )
        except (OSError, ValueError) as exc:
            raise IndexBuildError(f"index build {build_id} is unreadable: {exc}") from exc
        return data

    def set_current(self, build_id: str) -> None:
        """Swap the live build atomically (write a temp file, then os.replace)."""
        tmp = self.root / f".CURRENT.{os.getpid()}"
        with writing(self.root):
            tmp.write_text(build_id + "\n", encoding="utf-8")
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, self.current_file)

    def remove_stale(self, keep: set[str]) -> list[str]:
        """Delete builds other than ``keep`` that no reader holds; returns the removed ids."""
        removed: list[str] = []
        if not self.builds.exists():
            return removed
        with writing(self.builds):
            for path in sorted(self.builds.iterdir()):
                if not path.is_dir() or path.name in keep:
                    continue
                lease = self.builds / f"{path.name}.lock"
                with open(lease, "a+") as handle:
                    try:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # a searcher still reads it
                    shutil.rmtree(path, ignore_errors=True)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                lease.unlink(missing_ok=True)
                removed.append(path.name)
        return removed


class BuildLease:
    """A shared lock on one build, held by a searcher so the build is not deleted under it."""

    def __init__(self, layout: IndexLayout, build_id: str) -> None:
        self._handle: IO[str] | None = None
        self._handle = _locked_file(layout.builds / f"{build_id}.lock", fcntl.LOCK_SH)

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def _locked_file(path: Path, mode: int) -> IO[str]:
    """``path`` opened for locking (created if need be, with its folder) and locked."""
    with writing(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - the caller holds it open while locked
        try:
            fcntl.flock(handle, mode)
        except BaseException:
            handle.close()
            raise
    return handle


def collection_name(embedder_id: str, build_id: str) -> str:
    """Chroma collection name: 3–63 chars of [a-zA-Z0-9._-], embedder id included."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_id).strip("-._")[:36]
    return f"sme-{slug}-{build_id[:16]}"


def chroma_client(settings: Settings, path: Path | None) -> Any:
    """An embedded PersistentClient at ``path`` or, when configured, an HttpClient."""
    try:
        import chromadb  # noqa: PLC0415 - lazy: heavy or optional
        from chromadb.config import Settings as ChromaSettings  # noqa: PLC0415 - lazy: heavy or optional
    except ImportError as exc:  # pragma: no cover - chromadb is a core dependency
        raise IndexBuildError(f"chromadb is not installed: {exc}") from exc
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        if path is None:
            raise IndexBuildError("embedded Chroma needs a path")
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except IndexBuildError:
        raise
    except Exception as exc:  # chromadb raises many types (ValueError, ConnectionError, …)
        where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else path
        raise IndexBuildError(f"cannot open Chroma at {where}: {exc}") from exc
