"""Signed answer ids: a rating names an answer the server gave, whichever worker it reaches.

An id is ``<nonce>.<mac>``: 24 random hex digits, and an HMAC-SHA256 (first 32 hex digits)
of the nonce with the question, answer, intent and answerability the server sent. The process
that answered remembers them under the id; another worker of the same server (same key) can
check a rating that carries them back, and records them only when the MAC matches, so a
rating never records text the server did not give. Nothing is written per answer.

The key is ``SME_FEEDBACK_SECRET`` when set, else 32 random bytes in ``<store>/feedback.key``
(created once, mode 0600, shared by the workers; never sent anywhere). When that file cannot
be created or read, or recording is off (nothing is written then), the process signs with a
key of its own: ratings then reach only the worker that answered, as without signing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from core import Settings

__all__ = ["FEEDBACK_KEY", "AnswerIds", "GivenAnswer", "feedback_key_path"]

log = logging.getLogger(__name__)

FEEDBACK_KEY = "feedback.key"
_KEY_BYTES = 32
_NONCE_HEX = 24
_MAC_HEX = 32
_ID = re.compile(f"[0-9a-f]{{{_NONCE_HEX}}}\\.[0-9a-f]{{{_MAC_HEX}}}")
# Bumped if what is signed changes: ids of the old form then no longer verify.
_DOMAIN = "sme-answer-id/1"


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    question: str  # as the person sent it (stripped, as the routes answer it)
    answer: str
    intent: str
    answerable: bool


def feedback_key_path(settings: Settings) -> Path:
    return settings.store / FEEDBACK_KEY


class AnswerIds:
    """Issues and checks answer ids with the server's key (read or created on first use)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def key(self) -> bytes:
        with self._lock:
            if self._key is None:
                self._key = self._load()
            return self._key

    def new(self, given: GivenAnswer) -> str:
        nonce = secrets.token_hex(_NONCE_HEX // 2)
        return f"{nonce}.{self._mac(nonce, given)}"

    def verify(self, answer_id: str, given: GivenAnswer) -> bool:
        """Whether this server issued ``answer_id`` for exactly ``given``."""
        if not _ID.fullmatch(answer_id):
            return False
        nonce, mac = answer_id.split(".")
        return hmac.compare_digest(mac, self._mac(nonce, given))

    def _mac(self, nonce: str, given: GivenAnswer) -> str:
        # JSON of a list: unambiguous (no separator a text could forge) and ASCII-only.
        fields = [_DOMAIN, nonce, given.question, given.answer, given.intent, given.answerable]
        message = json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        return hmac.new(self.key(), message, hashlib.sha256).hexdigest()[:_MAC_HEX]

    # -- the key ----------------------------------------------------------------------------
    def _load(self) -> bytes:
        secret = self.settings.feedback_secret
        if secret is not None:
            return secret.get_secret_value().encode("utf-8")
        path = feedback_key_path(self.settings)
        try:
            return _read_key(path) if not self.settings.record_questions else _shared_key(path)
        except FileNotFoundError:
            pass  # recording off and no key yet: nothing may be written
        except (OSError, ValueError) as exc:
            log.warning(
                "ratings are checked only by the worker that answered (set "
                "SME_FEEDBACK_SECRET, or let the server write %s): %s",
                path,
                exc,
            )
        return secrets.token_bytes(_KEY_BYTES)


def _read_key(path: Path) -> bytes:
    key = path.read_bytes()
    if len(key) < _KEY_BYTES:
        raise ValueError(f"{path} holds {len(key)} bytes, fewer than {_KEY_BYTES}")
    return key


def _shared_key(path: Path) -> bytes:
    """The key in ``path``, created first when there is none.

    Written to a private temporary file, then hard-linked into place: workers starting
    together never see a half-written key, and when two create one at once the link of
    the second fails and it reads the first's, so all of them sign with the same key."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(_KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
            log.info("created the answer id key %s", path)
        except FileExistsError:
            pass  # another worker's key won: use it
    finally:
        temporary.unlink(missing_ok=True)
    return _read_key(path)
