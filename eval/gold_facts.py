"""When a key fact counts as present in a text, and which text a gold source points to.

:func:`normalize_fact` / :func:`contains_fact` are the one definition of "this fact is in that
text", shared by the gold validator and the metrics: NFKC, no spaces, no thousands separators,
and aliases between 万円/千円/円/億円, 平成N年/西暦 and ``2/3``/``3分の2``.
:func:`unit_text` gives the text of the unit (programme, article, section) a gold item cites.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from core import ERA_OFFSETS, era_years_as_western
from ingest import Corpus, Programme

if TYPE_CHECKING:
    from eval.gold_schema import GoldSource

__all__ = ["contains_fact", "fact_variants", "normalize_fact", "unit_text"]

_SPACES = re.compile(r"\s+")
_DIGIT_GAP = re.compile(r"(?<=\d)\s+(?=\d)")
_THOUSANDS = re.compile(r"(?<=\d)[^\S\n]*,[^\S\n]*(?=\d{3}(?!\d))")
_CHAR_MAP = str.maketrans({"〜": "~", "−": "-", "‐": "-", "―": "-", "—": "-", "，": ","})
_MONEY = re.compile(r"^(\d+(?:\.\d+)?)(億円|万円|千円|円)$")
_UNIT = {
    "億円": Decimal(100_000_000),
    "万円": Decimal(10_000),
    "千円": Decimal(1_000),
    "円": Decimal(1),
}
_WESTERN = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)年")
_FRACTION = re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])")
_HEISEI_BASE = ERA_OFFSETS["平成"]  # the report's short years (H28, 28年度) are Heisei


def normalize_fact(text: str) -> str:
    """NFKC (full-width → half-width, ``％`` → ``%``), no thousands separators, no spaces.

    ``1 ,500万円`` → ``1500万円``; only a gap between two numbers keeps one space, because
    the dump prints table cells side by side (``実 績（件） 270 310`` holds 270 and 310).
    """
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    # Separators go before spaces, so two numbers separated by a space never fuse first.
    # Repeat: in "1,234,567" the lookahead must see an already-cleaned group.
    previous = None
    while previous != text:
        previous, text = text, _THOUSANDS.sub("", text)
    # Two numbers side by side ("目標 270 310") stay two numbers: one space survives.
    text = _SPACES.sub("", _DIGIT_GAP.sub("\0", text))
    return text.replace("\0", " ")


def _money_variants(value: Decimal) -> set[str]:
    out = set()
    for unit, size in _UNIT.items():
        amount = value / size
        if amount == amount.to_integral_value():
            out.add(f"{int(amount)}{unit}")
        elif unit != "円" and amount >= 1 and amount == round(amount, 2):  # e.g. 1.5億円
            out.add(f"{amount.normalize():f}{unit}")
    oku, rest = divmod(value, _UNIT["億円"])
    if oku and rest and rest % _UNIT["万円"] == 0:
        out.add(f"{int(oku)}億{int(rest / _UNIT['万円'])}万円")
    man = value / _UNIT["万円"]
    if man == man.to_integral_value() and int(man) % 1000 == 0 and int(man) < 10_000:
        out.add(f"{int(man) // 1000}千万円")
    return out


def fact_variants(fact: str) -> set[str]:
    """The normalised spellings under which a fact counts as present."""
    base = normalize_fact(fact)
    variants = {base}
    money = _MONEY.match(base)
    if money:
        variants |= _money_variants(Decimal(money.group(1)) * _UNIT[money.group(2)])
    for v in list(variants):
        variants.add(era_years_as_western(v))
        variants.add(_WESTERN.sub(lambda m: f"平成{int(m.group(1)) - _HEISEI_BASE}年", v))
        variants.add(_FRACTION.sub(lambda m: f"{m.group(2)}分の{m.group(1)}", v))
    return variants


@lru_cache(maxsize=512)
def _normalized_text(text: str) -> str:
    # The same unit text is searched for many facts: normalise it once.
    return normalize_fact(text)


def contains_fact(text: str, fact: str) -> bool:
    """Whether ``fact`` (or an alias) occurs in ``text`` after normalisation.

    A fact starting or ending with a digit must not be glued to further digits, so
    ``500万円`` is not found in ``1500万円``.
    """
    haystack = _normalized_text(text)
    for variant in fact_variants(fact):
        if not variant:
            continue
        before = r"(?<![\d.])" if variant[0].isdigit() else ""
        after = r"(?![\d])" if variant[-1].isdigit() else ""
        if re.search(before + re.escape(variant) + after, haystack):
            return True
    return False


# --- the text of a cited unit -------------------------------------------------------------


def unit_text(corpus: Corpus, source: GoldSource) -> str | None:
    """All text the corpus holds for a cited unit (record fields + its chunks); None if absent.

    A programme gives its name, plan, budget (as yen), KPIs, Do/Check/Action text, support
    menus and contacts; an article its title and text; a section key every section with that
    key (title, text, facts). Chunks tagged with the unit are added, so a fact the parser kept
    only in a chunk still counts.
    """
    parts: list[str] = []
    if source.programme is not None:
        wanted = normalize_fact(source.programme)
        found = [p for p in corpus.programmes if normalize_fact(p.name) == wanted]
        if not found:
            return None
        parts.extend(_programme_parts(found[0]))
        parts.extend(c.text for c in corpus.chunks if normalize_fact(c.programme or "") == wanted)
    elif source.article is not None:
        articles = [a for a in corpus.articles if a.number == source.article]
        if not articles:
            return None
        parts.extend(f"{a.label} {a.title}\n{a.text}" for a in articles)
        parts.extend(c.text for c in corpus.chunks if c.article == source.article)
    else:
        sections = [sec for sec in corpus.sections if sec.key == source.section]
        if not sections:
            return None
        for sec in sections:
            parts.extend([sec.title, sec.text])
            parts.extend(f"{k} {v}" for k, v in sec.facts)
        parts.extend(c.text for c in corpus.chunks if c.section == source.section)
    return "\n".join(parts)


def _programme_parts(p: Programme) -> list[str]:
    parts = [p.name]
    if p.plan:
        parts.append(p.plan.text)
    if p.budget:
        amounts = (p.budget.fy2016_budget, p.budget.fy2016_actual, p.budget.fy2017_budget)
        parts.extend(f"{yen}円" for yen in amounts if yen is not None)
    for kpi in p.kpis:
        values = (kpi.indicator, kpi.unit, kpi.target, kpi.fy2015, kpi.fy2016)
        parts.append("\n".join(v for v in values if v))
    for block in (*p.activities, *p.council_opinions, *p.responses):
        parts.append(block.text)
    for menu in p.support_menus:
        fields = (menu.name, menu.rate, menu.term, menu.eligibility, menu.text)
        parts.append("\n".join(v for v in fields if v))
        if menu.cap_yen is not None:
            parts.append(f"{menu.cap_yen}円")
    for contact in p.contacts:
        parts.append(f"{contact.name}\n{contact.description or ''}")
    return parts
