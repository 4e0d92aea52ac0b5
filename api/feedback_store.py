"""Recorded questions (declined, low-confidence, thumbs-down) in a SQLite file in the store.

What a row holds is all that is ever kept: the question (as typed and normalised), the answer
id, the answer given, its intent, why it was recorded, the user's comment and the time. No IP
address, no user agent, no conversation id. Old rows go on every write (retention in days,
and a cap on the number of rows), so the file stays small without a cleanup job.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from core import ConfigError, Settings, SqliteFile, nfkc

__all__ = [
    "FEEDBACK_DB",
    "FeedbackEntry",
    "FeedbackGroup",
    "FeedbackStore",
    "Reason",
    "SqliteFeedbackStore",
    "feedback_db_path",
    "group_entries",
    "normalise_question",
    "open_feedback_store",
]

log = logging.getLogger(__name__)

FEEDBACK_DB = "feedback.sqlite3"

Reason = Literal["declined", "low_confidence", "thumbs_down"]
_SPACE = re.compile(r"\s+")
_COMMENTS_PER_GROUP = 10

# One row per answer and reason: a second thumbs-down on the same answer (e.g. with the
# comment typed after the click) replaces the first instead of counting twice.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    normalised TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    intent TEXT NOT NULL,
    comment TEXT,
    at REAL NOT NULL,
    UNIQUE (answer_id, reason)
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
"""
_COLUMNS = "answer_id, reason, normalised, question, answer, intent, comment, at"


def normalise_question(question: str) -> str:
    """The form questions are grouped by: NFKC, whitespace runs as one space, trimmed."""
    return _SPACE.sub(" ", nfkc(question)).strip()


def feedback_db_path(settings: Settings) -> Path:
    return settings.store / FEEDBACK_DB


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    answer_id: str
    reason: Reason
    question: str
    answer: str
    intent: str
    comment: str | None = None
    at: float = 0.0  # seconds since the epoch; 0: the store's clock when written

    @property
    def normalised(self) -> str:
        return normalise_question(self.question)


@dataclass(frozen=True, slots=True)
class FeedbackGroup:
    """Every record of one normalised question; ``question`` and ``answer`` are the latest."""

    normalised: str
    question: str
    count: int  # distinct answers recorded (an answer declined and thumbed down counts once)
    last_at: float
    reasons: tuple[str, ...]
    answer: str
    intent: str
    comments: tuple[str, ...]


class FeedbackStore(Protocol):
    """Where recorded questions go (the API writes, the staff tab and the export read)."""

    def record(self, entry: FeedbackEntry) -> None: ...

    def withdraw(self, answer_id: str, reason: Reason) -> None:
        """Forget one record (a thumbs-down taken back by a thumbs-up)."""
        ...

    def entries(self) -> list[FeedbackEntry]:
        """The records still within retention, oldest first."""
        ...

    def close(self) -> None: ...


def group_entries(entries: Iterable[FeedbackEntry]) -> list[FeedbackGroup]:
    """Groups by normalised question, most recorded first (then most recent)."""
    by_question: dict[str, list[FeedbackEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        by_question.setdefault(entry.normalised, []).append(entry)
    groups = []
    for normalised, rows in by_question.items():
        latest = rows[-1]
        comments = [row.comment for row in reversed(rows) if row.comment]
        groups.append(
            FeedbackGroup(
                normalised=normalised,
                question=latest.question,
                count=len({row.answer_id for row in rows}),
                last_at=latest.at,
                reasons=tuple(sorted({row.reason for row in rows})),
                answer=latest.answer,
                intent=latest.intent,
                comments=tuple(dict.fromkeys(comments))[:_COMMENTS_PER_GROUP],
            )
        )
    groups.sort(key=lambda g: (-g.count, -g.last_at))
    return groups


def open_feedback_store(settings: Settings) -> SqliteFeedbackStore:
    return SqliteFeedbackStore(
        feedback_db_path(settings),
        retention_s=settings.feedback_retention_days * 86400,
        max_rows=settings.feedback_max_rows,
    )


class SqliteFeedbackStore(SqliteFile):
    """:class:`FeedbackStore` in one SQLite file (WAL, short transactions), shared by the
    server's worker processes and read by ``sme-assistant feedback export``."""

    def __init__(
        self,
        path: Path,
        *,
        retention_s: float = 90 * 86400,
        max_rows: int = 10_000,
        clock: Callable[[], float] = time.time,
        timeout_s: float = 5.0,
    ) -> None:
        self.retention_s = retention_s
        self.max_rows = max_rows
        self._clock = clock
        super().__init__(path, _SCHEMA, timeout_s=timeout_s)

    def _error(self, exc: Exception) -> ConfigError:
        return ConfigError(
            f"質問の記録を開けません / cannot use the feedback store {self.path}: {exc}"
        )

    def record(self, entry: FeedbackEntry) -> None:
        """Insert (or replace the same answer's record for the same reason), then prune."""
        now = self._clock()
        row = (
            entry.answer_id,
            entry.reason,
            entry.normalised,
            entry.question,
            entry.answer,
            entry.intent,
            entry.comment,
            entry.at or now,
        )
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    f"INSERT INTO feedback ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (answer_id, reason) DO UPDATE SET "
                    "comment = COALESCE(excluded.comment, comment), at = excluded.at",
                    row,
                )
                self._db.execute("DELETE FROM feedback WHERE at < ?", (now - self.retention_s,))
                surplus = self._db.execute(
                    "SELECT id FROM feedback ORDER BY id DESC LIMIT 1 OFFSET ?", (self.max_rows,)
                ).fetchone()
                if surplus is not None:
                    self._db.execute("DELETE FROM feedback WHERE id <= ?", (surplus[0],))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def withdraw(self, answer_id: str, reason: Reason) -> None:
        with self._guard():
            self._db.execute(
                "DELETE FROM feedback WHERE answer_id = ? AND reason = ?", (answer_id, reason)
            )

    def entries(self) -> list[FeedbackEntry]:
        cutoff = self._clock() - self.retention_s
        with self._guard():
            rows = self._db.execute(
                "SELECT answer_id, reason, question, answer, intent, comment, at "
                "FROM feedback WHERE at >= ? ORDER BY at, id",
                (cutoff,),
            ).fetchall()
        return [FeedbackEntry(*row) for row in rows]

    def __len__(self) -> int:
        with self._guard():
            (count,) = self._db.execute("SELECT COUNT(*) FROM feedback").fetchone()
        return int(count)
