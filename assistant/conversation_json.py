"""The JSON form of a conversation turn (a parsed :class:`Query`).

Stored turns are JSON, never pickle: the SQLite file may outlive the code, so the decoder
checks every field's type and drops fields that no longer exist.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from typing import Any

from assistant.understanding import Query

__all__ = ["query_from_json", "query_to_json"]

_FORMAT = 1  # bump when a stored turn can no longer be read by the decoder below


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a conversation turn")


def _decode(hint: Any, raw: Any) -> Any:
    """``raw`` (parsed JSON) turned back into the type ``hint`` names, checked on the way."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if raw is None and type(None) in options:
            return None
        for option in (o for o in options if o is not type(None)):
            try:
                return _decode(option, raw)
            except (TypeError, ValueError):
                continue
        raise ValueError(f"{raw!r} fits none of {hint}")
    if origin is tuple:
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {type(raw).__name__}")
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_dataclass(hint, raw)
    if hint is Any:
        return raw
    if isinstance(raw, bool) and hint is not bool:
        raise TypeError(f"expected {hint}, got a bool")  # JSON true is no number here
    if hint is float and isinstance(raw, int | float):
        return float(raw)
    if isinstance(hint, type) and isinstance(raw, hint):
        return raw
    raise TypeError(f"expected {hint}, got {type(raw).__name__}")


def _decode_dataclass(cls: type, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    hints = typing.get_type_hints(cls)
    # Unknown keys (a field since removed) are dropped; missing ones take the field default.
    values = {
        f.name: _decode(hints[f.name], raw[f.name])
        for f in dataclasses.fields(cls)
        if f.name in raw
    }
    return cls(**values)


def query_to_json(query: Query) -> str:
    """The turn as a JSON document (enums by value, tuples as lists)."""
    return json.dumps({"format": _FORMAT, "query": _encode(query)}, ensure_ascii=False)


def query_from_json(text: str) -> Query:
    """Inverse of :func:`query_to_json`; ``ValueError`` when the text is not such a turn."""
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError("unknown conversation turn format")
        query = _decode_dataclass(Query, doc.get("query"))
    except (TypeError, KeyError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable conversation turn: {exc}") from exc
    assert isinstance(query, Query)
    return query
