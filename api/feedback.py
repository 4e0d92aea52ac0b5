"""Answer ids, and recording the questions staff should look at.

Every answer the API sends carries an ``answer_id`` issued here; the process remembers its
last answers under those ids, so a rating names an answer the server gave. A rating that
reaches another worker carries the answer back, and is recorded only when the id's signature
vouches for it (:mod:`api.answer_ids`): never question or answer text the server did not
send. Declined and low-confidence answers are recorded as they are sent, a thumbs-down when
it arrives (see :mod:`api.feedback_store` for what a record holds). With
``SME_RECORD_QUESTIONS=false`` nothing is written, neither the store nor the key.

Writes go to one background thread, in order: answering (often on the event loop, for a
cached answer) never waits for the disk, and a store that cannot be written is logged and
skipped, never an error for the person asking.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Literal, TypeVar

from api.answer_ids import AnswerIds, GivenAnswer
from api.feedback_store import (
    FeedbackEntry,
    FeedbackGroup,
    FeedbackStore,
    Reason,
    feedback_db_path,
    group_entries,
    open_feedback_store,
)
from assistant import Answer
from core import NotFoundError, Settings, SmeError

__all__ = ["AnswerNotFoundError", "Feedback", "GivenAnswer", "Rating", "confidence"]

log = logging.getLogger(__name__)
T = TypeVar("T")

Rating = Literal["up", "down"]
REMEMBERED_ANSWERS = 4096
_MAX_PENDING_WRITES = 1000


class AnswerNotFoundError(NotFoundError):
    """A rating for an answer id this process never issued, or has forgotten."""

    def __init__(self) -> None:
        super().__init__(
            "評価する回答が見つかりません（時間が経って期限切れになった可能性があります）。"
        )


def confidence(answer: Answer) -> float | None:
    """The answerer's confidence in the answer, when it states one (``extra``)."""
    value = dict(answer.extra).get("confidence")
    try:
        return None if value is None else float(value)
    except ValueError:
        log.debug("unreadable confidence %r", value)
        return None


class Feedback:
    """The app's answer ids, recorder and staff list (one per app, on ``app.state``)."""

    def __init__(
        self,
        settings: Settings,
        store: FeedbackStore | None = None,
        remembered: int = REMEMBERED_ANSWERS,
    ) -> None:
        self.settings = settings
        self.recording = settings.record_questions
        self._remembered = remembered
        self.ids = AnswerIds(settings)
        self._recent: OrderedDict[str, GivenAnswer] = OrderedDict()
        self._lock = threading.Lock()
        self._store = store
        self._writer: ThreadPoolExecutor | None = None
        self._pending = 0
        self._store_failed = False

    # -- answers ----------------------------------------------------------------------------
    def issue(self, question: str, answer: Answer) -> str:
        """A new id for an answer about to be sent; records the answer if staff should see it."""
        given = GivenAnswer(question, answer.answer, str(answer.intent), answer.answerable)
        answer_id = self.ids.new(given)
        with self._lock:
            self._recent[answer_id] = given
            while len(self._recent) > self._remembered:
                self._recent.popitem(last=False)
        reason = self._reason(answer)
        if reason is not None and self.recording:
            self._submit(self._record, self._entry(answer_id, given, reason))
        return answer_id

    def _reason(self, answer: Answer) -> Reason | None:
        if not answer.answerable:
            return "declined"
        level = confidence(answer)
        if level is not None and level < self.settings.feedback_low_confidence:
            return "low_confidence"
        return None

    def given(self, answer_id: str, sent: GivenAnswer | None = None) -> GivenAnswer:
        """The answer this process gave under ``answer_id``, else ``sent`` (the answer as the
        client carries it back) when the id was issued for exactly that answer."""
        with self._lock:
            given = self._recent.get(answer_id)
        if given is not None:
            return given
        if sent is not None and self.ids.verify(answer_id, sent):
            return sent
        raise AnswerNotFoundError()

    def rate(
        self,
        answer_id: str,
        rating: Rating,
        comment: str | None,
        sent: GivenAnswer | None = None,
    ) -> Future[bool] | None:
        """Record a thumbs-down (a thumbs-up takes an earlier one back); None when recording
        is off. The future says whether the store took it. ``sent``: see :meth:`given`."""
        if not self.recording:
            # Nothing would be written: any worker takes the rating, whoever gave the answer.
            return None
        given = self.given(answer_id, sent)
        if rating == "down":
            entry = self._entry(answer_id, given, "thumbs_down", comment or None)
            return self._submit(self._record, entry)
        return self._submit(self._withdraw, answer_id)

    @staticmethod
    def _entry(
        answer_id: str, given: GivenAnswer, reason: Reason, comment: str | None = None
    ) -> FeedbackEntry:
        return FeedbackEntry(answer_id, reason, given.question, given.answer, given.intent, comment)

    # -- the staff list ---------------------------------------------------------------------
    def groups(self) -> Future[list[FeedbackGroup]]:
        """The recorded questions, grouped; read after the writes already submitted."""
        return self._run(self._read)

    def _read(self) -> list[FeedbackGroup]:
        store = self._open(create=False)
        return [] if store is None else group_entries(store.entries())

    # -- the writer thread ------------------------------------------------------------------
    def _run(self, job: Callable[[], T]) -> Future[T]:
        with self._lock:
            if self._writer is None:
                self._writer = ThreadPoolExecutor(1, thread_name_prefix="feedback")
            return self._writer.submit(job)

    def _submit(self, write: Callable[[T], bool], item: T) -> Future[bool]:
        with self._lock:
            if self._pending >= _MAX_PENDING_WRITES:
                log.warning("feedback store is behind: a record was dropped")
                dropped: Future[bool] = Future()
                dropped.set_result(False)
                return dropped
            self._pending += 1

        def job() -> bool:
            try:
                return write(item)
            finally:
                with self._lock:
                    self._pending -= 1

        return self._run(job)

    def _open(self, *, create: bool) -> FeedbackStore | None:
        """The store (writer thread only); None when there is none to read, or it cannot
        be opened for writing (logged once: answering goes on without recording)."""
        if self._store is None:
            path = feedback_db_path(self.settings)
            if not create and not path.exists():
                return None
            try:
                self._store = open_feedback_store(self.settings)
            except SmeError as exc:
                if not create:
                    raise
                if not self._store_failed:
                    log.error("questions are not recorded: %s", exc)
                self._store_failed = True
                return None
        return self._store

    def _record(self, entry: FeedbackEntry) -> bool:
        return self._write(lambda store: store.record(entry))

    def _withdraw(self, answer_id: str) -> bool:
        return self._write(lambda store: store.withdraw(answer_id, "thumbs_down"))

    def _write(self, change: Callable[[FeedbackStore], None]) -> bool:
        store = self._open(create=True)
        if store is None:
            return False
        try:
            change(store)
        except SmeError as exc:
            log.error("a question was not recorded: %s", exc)
            return False
        return True

    def close(self) -> None:
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=True)
        if self._store is not None:
            self._store.close()
            self._store = None
