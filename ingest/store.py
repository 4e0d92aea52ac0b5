"""Persist a :class:`Corpus` as ``records.json`` + ``chunks.jsonl`` and swap it in atomically.

Layout: ``<store_dir>/corpus/{records.json,chunks.jsonl}``. A save writes a fresh folder
beside the target, then renames: the previous corpus stays in place until the new one is
complete, and is restored if the swap fails, so readers never see half a store.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core import CorpusError
from ingest.models import Corpus
from ingest.serialize import (
    OutdatedRecordsError,
    chunk_from_dict,
    chunk_to_dict,
    records_from_dict,
    records_to_dict,
)

__all__ = ["CorpusStore"]

log = logging.getLogger(__name__)

RECORDS_FILE = "records.json"
CHUNKS_FILE = "chunks.jsonl"


class CorpusStore:
    """Reads and writes the ingested corpus under ``store_dir``."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = Path(store_dir)
        self.target = self.store_dir / "corpus"

    @property
    def records_path(self) -> Path:
        return self.target / RECORDS_FILE

    @property
    def chunks_path(self) -> Path:
        return self.target / CHUNKS_FILE

    def exists(self) -> bool:
        return self.records_path.is_file() and self.chunks_path.is_file()

    def save(self, corpus: Corpus) -> Path:
        """Write the corpus and swap it in; returns the target folder."""
        try:
            self.store_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".corpus-new-", dir=self.store_dir))
        except OSError as exc:
            raise CorpusError(
                f"保存先を作成できません / cannot create the store folder {self.store_dir}: {exc}"
            ) from exc
        try:
            with (staging / RECORDS_FILE).open("w", encoding="utf-8") as handle:
                json.dump(records_to_dict(corpus), handle, ensure_ascii=False, indent=1)
            with (staging / CHUNKS_FILE).open("w", encoding="utf-8") as handle:
                for chunk in corpus.chunks:
                    handle.write(json.dumps(chunk_to_dict(chunk), ensure_ascii=False) + "\n")
            with self._lock():
                self._swap(staging)
        except OSError as exc:
            raise CorpusError(
                f"コーパスを保存できません / cannot save the corpus to {self.target}: {exc}"
            ) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        log.info("saved corpus (%d chunks) to %s", len(corpus.chunks), self.target)
        return self.target

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise swaps between processes (two ingests at once must not interleave)."""
        with (self.store_dir / ".corpus.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _swap(self, staging: Path) -> None:
        backup: Path | None = None
        if self.target.exists():
            backup = Path(tempfile.mkdtemp(prefix=".corpus-old-", dir=self.store_dir))
            backup.rmdir()
            os.rename(self.target, backup)
        try:
            os.rename(staging, self.target)
        except OSError:
            if backup is not None:
                os.rename(backup, self.target)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)

    def load(self) -> Corpus:
        """The stored corpus; CorpusError when it is missing or unreadable."""
        if not self.exists():
            raise CorpusError(
                f"取り込み済みのコーパスがありません。`sme-assistant ingest` を実行してください / "
                f"no ingested corpus at {self.target}; run `sme-assistant ingest` first"
            )
        try:
            records = json.loads(self.records_path.read_text(encoding="utf-8"))
            with self.chunks_path.open(encoding="utf-8") as handle:
                chunks = tuple(chunk_from_dict(json.loads(line)) for line in handle if line.strip())
            return records_from_dict(records, chunks)
        except OutdatedRecordsError as exc:
            raise CorpusError(
                f"保存されたコーパスは古い版で作られています。再度取り込んでください / "
                f"the stored corpus at {self.target} was written by older rules ({exc}); "
                "run `sme-assistant ingest`"
            ) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CorpusError(
                f"保存されたコーパスが壊れています。再度取り込んでください / "
                f"the stored corpus at {self.target} is unreadable ({exc}); "
                "run `sme-assistant ingest`"
            ) from exc
