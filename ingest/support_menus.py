"""Subsidy and loan products (:class:`SupportMenu`) named in a programme record.

Rules (generic for the report's wording):

* an *item* is a ``○``/``〇``/``①`` line with its continuation lines (``・`` sub-bullets continue a
  ``○`` item; otherwise ``・`` starts an item of its own); ``【…】`` attribute blocks are not items;
* an item is a menu when it names a subsidy or loan (補助 助成 融資 貸付 資金) and gives a
  yen amount as a limit: ``上限15万円``, ``限度額300万円``, ``100万円以内``,
  ``100万円を限度``, ``限度額を1,500万円から2,000万円に`` (the raised limit counts);
* kind: ``loan`` when it speaks of 融資/貸付/資金/利率/返済, else ``subsidy``;
* name: a product in 「」 or a ``…資金（…）`` token; else the record's numbered heading (①…) that
  shares the most character pairs with the item title; else the item title without its
  ``市内…の`` preamble and leading clauses (``…を目的とした`` ``…と連携した``);
* rate ``1/2`` (``補助対象経費の1/2以内``) or ``年1.3%以内`` / ``年1.2~1.8%``; term ``4年以内``;
  a record's ``【補助率】`` / ``【対象者】`` blocks fill a subsidy's missing rate / eligibility;
* one product described several times in a record is one menu (fields merged, first text kept).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Span, SupportMenu
from ingest.record_layout import Line, is_heading
from ingest.text import find_yen, join_wrapped

__all__ = ["support_menus"]

_ITEM_START = re.compile(r"^[○〇◯●◎\u2460-\u2473]")
_SUB_BULLET = re.compile(r"^[・･]")
_ATTRIBUTE = re.compile(r"^【([^】]+)】(.*)$")
_SUPPORT = re.compile(r"補助|助成|融資|貸付|資金")
_LOAN = re.compile(r"融資|貸付|資金|利率|返済")
_CAP_BEFORE = re.compile(r"(上限|限度額|限度|あたり|から)[をは]?$")
_CAP_AFTER = re.compile(r"^(以内|を限度|まで|に(拡充|引上げ|引き上げ))")
_QUOTED = re.compile(r"「([^」]+)」")
_FUND = re.compile(r"[一-龥ァ-ヴー・]+資金(?:\([^)]*\))?")
_SUBSIDY_RATE = re.compile(r"(\d+/\d+)以内")
_LOAN_RATE = re.compile(r"年\d+(?:\.\d+)?(?:[~〜]\d+(?:\.\d+)?)?%(?:以内)?")
_TERM = re.compile(r"(?:返済期間|期間)?(\d+年以内)")
_PREAMBLE = re.compile(r"^(市内[^の、]{0,12}の)")
_CLAUSE = re.compile(r"(を目的とした|と連携した|に対する|のための|による|に係る)")
_NUMBERED = re.compile(r"^[\u2460-\u2473](.+)$")


def _items(lines: Sequence[Line]) -> list[list[Line]]:
    items: list[list[Line]] = []
    parent_is_bullet = False
    for x in lines:
        if _ATTRIBUTE.match(x.text) or is_heading(x.text):
            items.append([x])
            parent_is_bullet = False
        elif _ITEM_START.match(x.text):
            items.append([x])
            parent_is_bullet = True
        elif _SUB_BULLET.match(x.text) and not parent_is_bullet:
            items.append([x])
        elif items:
            items[-1].append(x)
        else:
            items.append([x])
    return [i for i in items if not (_ATTRIBUTE.match(i[0].text) or is_heading(i[0].text))]


def _attributes(lines: Sequence[Line]) -> dict[str, str]:
    """``【label】`` blocks of a record: label → the text until the next heading or item."""
    out: dict[str, str] = {}
    label: str | None = None
    parts: list[str] = []

    def flush() -> None:
        if label and parts:
            out.setdefault(label, join_wrapped(parts))

    for x in lines:
        m = _ATTRIBUTE.match(x.text)
        if m or _ITEM_START.match(x.text) or is_heading(x.text):
            flush()
            label, parts = (m.group(1), [m.group(2)] if m.group(2) else []) if m else (None, [])
        elif label is not None:
            parts.append(x.text)
    flush()
    return out


def _cap(text: str) -> int | None:
    for yen, start, end in find_yen(text):
        before, after = text[max(0, start - 6) : start], text[end:]
        if after.startswith("から"):
            continue  # ``1,500万円から2,000万円に``: the raised limit follows
        if _CAP_BEFORE.search(before) or _CAP_AFTER.match(after):
            return yen
    return None


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _title(item: Sequence[Line]) -> str:
    """The item's heading: its first lines up to a sub-bullet or a bracketed condition."""
    head = [item[0].text]
    for x in item[1:]:
        if re.match(r"^[・･(]", x.text) or re.search(r"\d", x.text):
            break
        head.append(x.text)
    title = re.sub(r"^[○〇◯●◎・･\u2460-\u2473] ?", "", join_wrapped(head))
    return re.sub(r"\(.*$", "", title)


_WRAP_REMNANT = 10  # a following line this short still belongs to the phrase that holds a field


def _trim(item: list[Line]) -> list[Line]:
    """The item up to its last line holding a figure, plus short wrap remnants after it."""
    last = max((i for i, x in enumerate(item) if re.search(r"\d", x.text)), default=len(item) - 1)
    while last + 1 < len(item) and len(item[last + 1].text) < _WRAP_REMNANT:
        last += 1
    return item[: last + 1]


def _clean_title(title: str) -> str:
    title = _PREAMBLE.sub("", title)
    parts = _CLAUSE.split(title)
    if len(parts) > 1 and len(parts[-1]) >= 5:
        title = parts[-1]
    title = re.sub(r"の(支援|補助|助成|貸付|融資)$", r"\1", title)
    return re.sub(r"の(創設|拡充)$", "", title)


def _name(item: Sequence[Line], text: str, numbered: Sequence[str]) -> str:
    for quoted in _QUOTED.findall(text):
        if _SUPPORT.search(quoted) or quoted.endswith("資金") or "資金(" in quoted:
            return quoted
    for x in item:
        fund = _FUND.match(x.text)
        if fund and _LOAN.search(text):
            return fund.group()
    title = _title(item)
    scored = sorted(((len(_bigrams(title) & _bigrams(n)), n) for n in numbered), reverse=True)
    if scored and scored[0][0] >= 2 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return _clean_title(title)


def support_menus(lines: Sequence[Line]) -> tuple[SupportMenu, ...]:
    """Menus of one record (``lines``: the whole record), in order of first mention."""
    attributes = _attributes(lines)
    numbered = [m.group(1) for x in lines if (m := _NUMBERED.match(x.text))]
    menus: dict[str, SupportMenu] = {}
    for whole in _items(lines):
        item = _trim(whole)
        text = join_wrapped(x.text for x in item)
        if not _SUPPORT.search(text):
            continue
        cap = _cap(text)
        if cap is None:
            continue
        loan = _LOAN.search(text) is not None
        rate = _LOAN_RATE.search(text) if loan else _SUBSIDY_RATE.search(text)
        rate_text = (rate.group() if loan else rate.group(1)) if rate else None
        if rate_text is None and not loan and "補助率" in attributes:
            m = _SUBSIDY_RATE.search(attributes["補助率"])
            rate_text = m.group(1) if m else None
        term = _TERM.search(text)
        eligibility = attributes.get("対象者") if not loan else None
        menu = SupportMenu(
            name=_name(item, text, numbered),
            kind="loan" if loan else "subsidy",
            cap_yen=cap,
            rate=rate_text,
            term=term.group(1) if term else None,
            eligibility=eligibility,
            text=text,
            lines=Span(item[0].n, item[-1].n),
        )
        old = menus.get(menu.name)
        if old is None:
            menus[menu.name] = menu
        else:
            menus[menu.name] = SupportMenu(
                name=old.name,
                kind=old.kind,
                cap_yen=old.cap_yen,
                rate=old.rate or menu.rate,
                term=old.term or menu.term,
                eligibility=old.eligibility or menu.eligibility,
                text=old.text,
                lines=old.lines,
            )
    return tuple(menus.values())
