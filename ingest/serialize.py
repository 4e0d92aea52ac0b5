"""JSON form of the records (a stable schema other tools read) and back.

``Span`` values become ``[first, last]``; tuples become lists; enums their value.
Articles also carry their ``label`` and joined ``text`` for readers that do not rebuild
them. Decoding follows the dataclasses' type hints, so new optional fields round-trip.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import Any, TypeVar

from ingest.models import Article, Chunk, Corpus, Programme, Section, Span

__all__ = [
    "PARSER_VERSION",
    "SCHEMA_VERSION",
    "OutdatedRecordsError",
    "chunk_from_dict",
    "chunk_to_dict",
    "records_from_dict",
    "records_to_dict",
    "to_jsonable",
]

SCHEMA_VERSION = 1


class OutdatedRecordsError(ValueError):
    """Records written by older parsing rules: readable, but to be re-ingested."""


# Bumped whenever a parsing or chunking rule changes what the records or chunks hold, so a
# store written by older rules is re-ingested rather than served (the JSON shape may not change).
PARSER_VERSION = 4
T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """Records → plain JSON values."""
    if isinstance(value, Span):
        return value.as_list()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Article):
            out["label"] = value.label
            out["text"] = value.text
        return out
    if isinstance(value, (tuple, list)):
        return [to_jsonable(item) for item in value]
    return value


def records_to_dict(corpus: Corpus) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "parser_version": PARSER_VERSION,
        "source": corpus.source,
        "sha256": corpus.sha256,
        "programmes": to_jsonable(corpus.programmes),
        "articles": to_jsonable(corpus.articles),
        "sections": to_jsonable(corpus.sections),
    }


def records_from_dict(data: dict[str, Any], chunks: tuple[Chunk, ...] = ()) -> Corpus:
    """Rebuild a corpus; ValueError when the records were written by another schema version."""
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"records schema {data.get('schema_version')} != {SCHEMA_VERSION}")
    if data.get("parser_version", 1) != PARSER_VERSION:
        raise OutdatedRecordsError(
            f"records parser {data.get('parser_version', 1)} != {PARSER_VERSION}"
        )
    return Corpus(
        source=data["source"],
        sha256=data["sha256"],
        programmes=tuple(_decode(Programme, item) for item in data["programmes"]),
        articles=tuple(_decode(Article, item) for item in data["articles"]),
        sections=tuple(_decode(Section, item) for item in data["sections"]),
        chunks=chunks,
    )


def chunk_to_dict(chunk: Chunk) -> dict[str, Any]:
    return typing.cast(dict[str, Any], to_jsonable(chunk))


def chunk_from_dict(data: dict[str, Any]) -> Chunk:
    return _decode(Chunk, data)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(cls: type[T], data: dict[str, Any]) -> T:
    hints = _hints(typing.cast(Any, cls))
    kwargs = {
        f.name: _value(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    if hint is Span:
        return Span(int(value[0]), int(value[1]))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], item) for item in value)
        return tuple(_value(arg, item) for arg, item in zip(args, value, strict=True))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode(hint, value)
    return value
