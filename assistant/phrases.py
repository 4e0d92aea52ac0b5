"""The answer's own wording (UI text): named ``str.format`` templates in ``phrases.toml``.

The sentences the composer and the decliner write around the report's facts (「…について、
報告書には記載がありません。」) and the labels they name a missing value with. Loaded and
checked once by :func:`phrases`; a template's fields are named (``{programme}``).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core import ConfigError

__all__ = ["PHRASES_PATH", "Phrases", "load_phrases", "phrase", "phrases"]

PHRASES_PATH = Path(__file__).with_name("phrases.toml")


@dataclass(frozen=True, slots=True)
class Phrases:
    """Every template by its dotted name, with the fields it expects."""

    templates: Mapping[str, str]
    fields: Mapping[str, frozenset[str]]

    def text(self, key: str, /, **values: object) -> str:
        template = self.templates.get(key)
        if template is None:
            raise ConfigError(f"phrases: no template named {key}")
        if set(values) != self.fields[key]:
            raise ConfigError(
                f"phrases: {key} takes {sorted(self.fields[key])}, given {sorted(values)}"
            )
        return template.format(**values) if values else template

    def table(self, section: str) -> Mapping[str, str]:
        """The templates of one section by their last name part (labels keyed by kind)."""
        prefix = f"{section}."
        return {k[len(prefix) :]: v for k, v in self.templates.items() if k.startswith(prefix)}


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The bundled phrases, loaded and checked once."""
    return load_phrases(PHRASES_PATH)


def phrase(key: str, /, **values: object) -> str:
    """The template ``key`` filled with ``values``."""
    return phrases().text(key, **values)


def load_phrases(path: Path) -> Phrases:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"phrases {path.name}: cannot read: {exc}") from exc
    templates: dict[str, str] = {}
    _flatten(data, "", templates, path.name)
    fields: dict[str, frozenset[str]] = {}
    for name, template in templates.items():
        try:
            parsed = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            raise ConfigError(f"phrases {path.name}: {name}: {exc}") from exc
        if not all(f.isidentifier() for f in parsed):
            raise ConfigError(f"phrases {path.name}: {name}: fields must be named")
        fields[name] = frozenset(parsed)
    return Phrases(MappingProxyType(templates), MappingProxyType(fields))


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, str], file: str) -> None:
    for key, value in node.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, name, out, file)
        elif isinstance(value, str):
            out[name] = value
        else:
            raise ConfigError(f"phrases {file}: {name}: a template is a string")
