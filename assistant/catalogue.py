"""The assistant's rules as data: cue words, paraphrases, value patterns and stop words.

They live in ``catalogue.toml``, loaded and checked once by :func:`rules`: every entry says
whether it holds for Japanese in general (``scope = "generic"``) or for this report
(``"report"``); regular expressions are compiled at load, so a broken one stops the start
with a :class:`ConfigError` naming it. A table holding ``scope`` is an entry; any other table
is a section grouping entries (``cues.asked.phone`` is the entry ``phone`` of ``cues.asked``).

Entry kinds, by the key they carry:

- ``words``: a list of strings (plus the words of the entries named in ``include``);
- ``pattern``: a regular expression (a string, or a list of strings joined), with
  ``examples`` it must find and ``counter_examples`` it must not; ``${name}`` stands for a
  ``fragment`` entry's text or for a fact of the corpus (:data:`TERMS`), filled per corpus;
- ``text``: a run of words read as one text (a string, or a list of strings joined), in which
  ``${name}`` stands for a fact of the corpus;
- ``fragment``: a piece of pattern shared by several patterns;
- ``table``: word → value (a string or an integer; ``{ value, scope }`` gives one item a
  scope of its own), in the file's order.

Facts about the corpus (the city's name) are never written here: patterns name them as
``${city}``-style terms and the caller passes the corpus's values.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assistant.rule_entries import SCOPES, SLOT, TERMS, Entry, Pattern, Table, Text, Words
from core import ConfigError

__all__ = [
    "CATALOGUE_PATH",
    "SCOPES",
    "TERMS",
    "Catalogue",
    "Entry",
    "Pattern",
    "Table",
    "Text",
    "Words",
    "load_catalogue",
    "rules",
]

CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")
_KINDS = ("words", "text", "pattern", "fragment", "table")
_ENTRY_KEYS = {"scope", "note", "include", "examples", "counter_examples", "sample_terms"}
_CUES = "cues."  # word lists read as cues (found anywhere in a question)
_DROPPED = "spoken.dropped_particles"  # particles casual questions drop from a cue


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every entry of the catalogue by its dotted name."""

    entries: Mapping[str, Entry]
    fragments: Mapping[str, str] = field(default_factory=dict)

    def _get(self, name: str, kind: type[Any]) -> Any:
        entry = self.entries.get(name)
        if not isinstance(entry, kind):
            raise ConfigError(f"catalogue: no {kind.__name__.lower()} entry named {name}")
        return entry

    def words(self, name: str) -> Words:
        return self._get(name, Words)

    def text(self, name: str, **terms: str) -> str:
        """The text with the corpus's terms filled in (a missing term reads as nothing)."""
        entry: Text = self._get(name, Text)
        return entry.filled(**terms)

    def pattern(self, name: str, **terms: str) -> re.Pattern[str]:
        """The compiled pattern; a pattern naming corpus terms needs their values."""
        entry: Pattern = self._get(name, Pattern)
        missing = set(entry.terms) - set(terms)
        if missing:
            raise ConfigError(f"catalogue: pattern {name} needs {', '.join(sorted(missing))}")
        return entry.compiled(**terms)

    def table(self, name: str) -> Mapping[str, str]:
        """A table of words → text (paraphrases, labels)."""
        items = self._get(name, Table).items
        if not all(isinstance(v, str) for v in items.values()):
            raise ConfigError(f"catalogue: table {name} holds numbers, not text")
        return items

    def numbers(self, name: str) -> Mapping[str, int]:
        """A table of words → integers (offsets such as 来年度 → +1)."""
        items = self._get(name, Table).items
        if not all(isinstance(v, int) for v in items.values()):
            raise ConfigError(f"catalogue: table {name} holds text, not numbers")
        return items


@lru_cache(maxsize=1)
def rules() -> Catalogue:
    """The bundled catalogue, loaded and checked once."""
    return load_catalogue(CATALOGUE_PATH)


def load_catalogue(path: Path) -> Catalogue:
    """Read and check a catalogue file; any problem is a :class:`ConfigError` naming the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"catalogue {path.name}: cannot read: {exc}") from exc
    raw: dict[str, dict[str, Any]] = {}
    _collect(data, "", raw, path.name)
    fragments = {
        name.rsplit(".", 1)[-1]: _text(body["fragment"], name, path.name)
        for name, body in raw.items()
        if "fragment" in body
    }
    particles = _strings(raw.get(_DROPPED, {}), "words", _DROPPED, path.name)
    # A particle right after a kanji, with something after it: what a casual question drops.
    dropped = (
        re.compile(rf"(?<=[\u4e00-\u9fff])(?:{'|'.join(map(re.escape, particles))})(?=.)")
        if particles
        else None
    )
    entries: dict[str, Entry] = {}
    for name, body in raw.items():
        if "fragment" not in body:
            entries[name] = _entry(name, body, raw, fragments, path.name)
    for name, entry in entries.items():
        if isinstance(entry, Words) and name.startswith(_CUES):
            entries[name] = _spoken(entry, dropped, path.name)
    return Catalogue(MappingProxyType(entries), MappingProxyType(fragments))


def _collect(node: dict[str, Any], prefix: str, out: dict[str, dict[str, Any]], file: str) -> None:
    for key, value in node.items():
        name = f"{prefix}.{key}" if prefix else key
        if not isinstance(value, dict):
            raise ConfigError(f"catalogue {file}: {name}: a section holds only tables")
        if "scope" in value:
            out[name] = value
        else:
            _collect(value, name, out, file)


def _spoken(entry: Words, dropped: re.Pattern[str] | None, file: str) -> Words:
    """The cue list with the forms casual questions drop a particle from: 「お金をかけ」 also
    fires as 「お金かけ」. A list spelling such a form out itself is refused (one way to say it)."""
    if dropped is None:
        return entry
    derived = [dropped.sub("", w, count=1) for w in entry.words if dropped.search(w)]
    spelled = sorted(set(derived) & entry.as_set)
    if spelled:
        raise _fail(file, entry.name, f"lists {', '.join(spelled)}, which the loader derives")
    words = tuple(dict.fromkeys((*entry.words, *derived)))
    return replace(entry, words=words, as_set=frozenset(words))


def _fail(file: str, name: str, problem: str) -> ConfigError:
    return ConfigError(f"catalogue {file}: entry {name}: {problem}")


def _text(value: Any, name: str, file: str) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    if not isinstance(value, str):
        raise _fail(file, name, "a pattern is a string or a list of strings")
    return value


def _strings(body: dict[str, Any], key: str, name: str, file: str) -> tuple[str, ...]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(file, name, f"{key} must be a list of non-empty strings")
    return tuple(value)


def _entry(
    name: str,
    body: dict[str, Any],
    raw: dict[str, dict[str, Any]],
    frags: dict[str, str],
    file: str,
) -> Entry:
    scope = body["scope"]
    if scope not in SCOPES:
        raise _fail(file, name, f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    kinds = [k for k in _KINDS if k in body]
    if len(kinds) != 1:
        raise _fail(file, name, f"needs exactly one of {', '.join(_KINDS)}")
    unknown = set(body) - _ENTRY_KEYS - set(kinds)
    if unknown:
        raise _fail(file, name, f"unknown keys {', '.join(sorted(unknown))}")
    if kinds[0] == "words":
        words = _included(name, raw, file, ())
        examples = _strings(body, "examples", name, file)
        return Words(name, scope, words, frozenset(words), examples)
    if kinds[0] == "text":
        parts = _strings(
            {"text": [body["text"]] if isinstance(body["text"], str) else body["text"]},
            "text",
            name,
            file,
        )
        unknown_terms = set(SLOT.findall("".join(parts))) - set(TERMS)
        if unknown_terms:
            raise _fail(file, name, f"names no corpus term {', '.join(sorted(unknown_terms))}")
        return Text(name, scope, parts)
    if kinds[0] == "table":
        return _table(name, scope, body["table"], file)
    return _pattern(name, scope, body, frags, file)


def _included(
    name: str, raw: dict[str, dict[str, Any]], file: str, seen: tuple[str, ...]
) -> tuple[str, ...]:
    if name in seen:
        raise _fail(file, name, f"includes itself through {' → '.join(seen)}")
    body = raw.get(name)
    if body is None or "words" not in body:
        raise _fail(file, seen[-1] if seen else name, f"includes {name}, which is no words entry")
    out: list[str] = []
    for other in _strings(body, "include", name, file):
        out.extend(_included(other, raw, file, (*seen, name)))
    out.extend(_strings(body, "words", name, file))
    if len(set(out)) != len(out):
        raise _fail(file, name, "lists a word twice")
    return tuple(out)


def _table(name: str, scope: str, value: Any, file: str) -> Table:
    if not isinstance(value, dict) or not value:
        raise _fail(file, name, "table must map words to values")
    items: dict[str, str | int] = {}
    scopes: dict[str, str] = {}
    for key, given in value.items():
        own, item = scope, given
        if isinstance(given, dict):
            own, item = given.get("scope", scope), given.get("value")
            if own not in SCOPES:
                raise _fail(
                    file, f"{name}.{key}", f"scope {own!r} is not one of {', '.join(SCOPES)}"
                )
        if not isinstance(item, str | int) or isinstance(item, bool):
            raise _fail(file, f"{name}.{key}", "a value is a string or an integer")
        items[key], scopes[key] = item, own
    return Table(name, scope, MappingProxyType(items), MappingProxyType(scopes))


def _pattern(
    name: str, scope: str, body: dict[str, Any], frags: dict[str, str], file: str
) -> Pattern:
    source = _text(body["pattern"], name, file)

    def fill(m: re.Match[str]) -> str:
        slot = m.group(1)
        if slot in frags:
            return frags[slot]
        if slot in TERMS:
            return m.group(0)
        raise _fail(file, name, f"${{{slot}}} names no fragment and no corpus term")

    source = SLOT.sub(fill, source)
    sample = body.get("sample_terms", {})
    if not isinstance(sample, dict) or not all(isinstance(v, str) for v in sample.values()):
        raise _fail(file, name, "sample_terms must map corpus terms to strings")
    entry = Pattern(
        name,
        scope,
        source,
        _strings(body, "examples", name, file),
        _strings(body, "counter_examples", name, file),
        MappingProxyType(dict(sample)),
    )
    if set(entry.terms) - set(sample):
        raise _fail(file, name, "names corpus terms without sample_terms for its examples")
    try:
        entry.compiled(**sample)
    except re.error as exc:
        raise _fail(file, name, f"does not compile: {exc}") from exc
    return entry
