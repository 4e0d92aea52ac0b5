"""Deterministic ids: a hash of the source document and the unit, so re-ingesting is idempotent."""

from __future__ import annotations

import hashlib

__all__ = ["stable_id"]


def stable_id(*parts: object) -> str:
    """sha1 hex[:16] of the parts joined by ``|`` (e.g. source name, unit kind, unit key)."""
    joined = "|".join(str(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]
