"""Organisations and consultation desks (:class:`Contact`) a programme record names.

Rules (generic for the report's wording):

* a name in 「」 that ends like an organisation or desk (窓口 センター 財団 協会 会議所
  機構 事務所), that speaks of support or consultation (サポート コネクション 相談), or that is
  a Latin acronym named as a facility (``…研究施設「NANOBIC」``);
* an unquoted name ending in 財団 センター 協会 協議会 連合会 会議所 相談窓口
  (``川崎市産業振興財団``, ``川崎市信用保証協会``), optionally followed by its acronym in
  brackets (``（KOBS※）``); it does not run across a line break unless only its suffix wrapped
  or the words before the break are part of it (Sudachi: no action noun/verb right before it);
* an acronym in brackets after a name is kept with it (``かわさき新産業創造センター(KBIC)``);
  the note mark ``※`` is dropped;
* a name is no desk where the text makes it a place or a person's affiliation: an event held
  there (``…センターにて開催``, ``…(…センター)での開催``), a row of a dated table (a date
  right before it, ``平成28年9月15日…センター``, or a later item of a list that follows a
  date: the participants of a dated row), or a title after it (``…センター所長``).
  Whom to ask is never guessed from a venue or a list of participants;
* a name in a diagram is no desk: the labels that follow a diagram's caption
  (``…事業イメージ``, ``…概念図``) draw who works with whom, not whom to ask.

Each contact carries the sentence that first names it in the record and that sentence's lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Contact
from ingest.record_layout import Line, block, is_heading, paragraphs

__all__ = ["contacts"]

_ORG_END = r"(?:窓口|センター|財団|協会|会議所|機構|事務所)"
_QUOTED = re.compile(r"「([^」]{2,40})」(?:\(([A-Z][A-Za-z]{1,9})※?\))?")
_QUOTED_OK = re.compile(_ORG_END + r"$|サポート|コネクション|相談")
_ACRONYM = re.compile(r"^[A-Z]{3,}$")
_FACILITY_BEFORE = re.compile(r"(施設|センター|拠点|機関)$")
_UNQUOTED = re.compile(
    r"((?:かわさき)?[一-龥ァ-ヴー・]{2,24}(?:財団|センター|協会|協議会|連合会|会議所|相談窓口))(?!法人)"
    r"(?:\(([A-Z][A-Za-z]{1,9})※?\))?"
)
_AFTER_FIGURE = re.compile(r"^((?:百万|千|万)?円|[回日月年件人社名])")
_LEADING_MARK = re.compile(r"^(・|(?:財団|社団)?法人)+")
_GENERIC = re.compile(r"^(市|本市|当該|同|各|市内|出張)?(相談窓口|窓口|センター|協会|財団)$")
_SENTENCE = re.compile(r"[^。]*。|[^。]+$")
# What makes a name a place or an affiliation rather than a desk (see the module docstring).
_VENUE_AFTER = re.compile(r"^[)）]?(?:にて|での開催|で開催|に設置され)")
_TITLE_AFTER = re.compile(r"^(?:所長|理事長|会長|社長|学長|部長|教授)")
# Only a date right before the name (a weekday may follow it): 「…日から…財団で」 is a sentence.
# The name's match may start with the 日 itself.
_DATE_BEFORE = re.compile(r"\d{1,2}月\d{1,2}(?:日(?:[(（].[)）])?)?$")
# A later item of a list that starts right after a date (「…1月27日宮崎県イトーキ、九州電力、
# 宮崎県工業技術センター」): a table row of participants. Its first item is a name, not a
# particle (「1日から、…財団」 is a sentence).
_DATED_LIST_BEFORE = re.compile(
    r"\d{1,2}月\d{1,2}日(?:[(（].[)）])?[^。、\nぁ-ん][^。、\n]{0,30}(?:、[^。、\n]{1,30})*、$"
)
_LIST_LOOKBACK = 160
# A diagram's caption, alone on its line: the paragraph it starts is the diagram's labels.
_DIAGRAM_CAPTION = re.compile(r"^\S{2,30}(?:イメージ|概念図|体系図|スキーム)$")


_WRAPPED_SUFFIX = 3  # an unquoted name may cross a line break only inside its last characters


def _found(text: str) -> list[str]:
    """Names in ``text`` (lines separated by ``\\n``).

    An unquoted name does not span lines (a line break usually separates table cells or chart
    labels): it starts after the last break, unless only the end of its suffix wrapped
    (``…リエゾンセンタ`` / ``ー``).
    """
    breaks: list[int] = []
    for part in text.split("\n")[:-1]:
        breaks.append((breaks[-1] if breaks else 0) + len(part))
    flat = text.replace("\n", "")
    names: list[str] = []

    def is_place(start: int, end: int) -> bool:
        after = flat[end:]
        return bool(
            _VENUE_AFTER.match(after)
            or _TITLE_AFTER.match(after)
            or _DATE_BEFORE.search(flat[max(0, start - 16) : start])
            or _DATED_LIST_BEFORE.search(flat[max(0, start - _LIST_LOOKBACK) : start])
        )

    quoted_spans = []
    for m in _QUOTED.finditer(flat):
        quoted_spans.append(m.span())
        name = m.group(1).replace("※", "")
        base = re.sub(r"\([^)]*\)$", "", name)
        facility = _ACRONYM.match(base) and _FACILITY_BEFORE.search(flat[: m.start()])
        if (_QUOTED_OK.search(base) or facility) and not is_place(m.start(), m.end()):
            names.append(f"{name}({m.group(2)})" if m.group(2) else name)
    for m in _UNQUOTED.finditer(flat):
        if any(a <= m.start() < b for a, b in quoted_spans):
            continue
        start, end = m.span(1)
        inside = [b for b in breaks if start < b < end - _WRAPPED_SUFFIX]
        if inside and _action_before(flat[start:end], max(inside) - start):
            start = max(inside)  # ``…を創出`` / ``神奈川県…協会``: the name starts its line
        if is_place(start, m.end()):
            continue
        name = flat[start:end]
        if start > 0 and flat[start - 1].isdigit():  # ``3回川崎市…``, ``486百万円川崎市…``
            name = _AFTER_FIGURE.sub("", name)
        name = _LEADING_MARK.sub("", name)
        if len(name) < 4 or _GENERIC.match(name):
            continue
        names.append(f"{name}({m.group(2)})" if m.group(2) else name)
    return names


def _action_before(candidate: str, cut: int) -> bool:
    """True when the text before a line break inside ``candidate`` ends with an action noun or
    verb (``…を創出`` + ``神奈川県…協会``), so the break separates two phrases; a break inside
    a word (``川崎商`` + ``工会議所``) or after a name part (``川崎駅`` + ``広域…``) does not."""
    from ingest.sudachi import tokenizer  # noqa: PLC0415 - Sudachi loads lazily, only for wraps

    offset = 0
    previous: tuple[str, ...] = ()
    for morpheme in tokenizer().tokenize(candidate):
        if offset == cut:
            return bool(previous) and (previous[0] == "動詞" or "サ変可能" in previous)
        offset += len(morpheme.surface())
        previous = tuple(morpheme.part_of_speech())
        if offset > cut:
            return False
    return False


def _acronym(name: str) -> str | None:
    m = re.search(r"\(([A-Z][A-Za-z]+)\)$", name)
    return m.group(1) if m else None


def _same(a: str, b: str) -> bool:
    """One organisation: same acronym, or one base name ends the other (``川崎市`` prefix)."""
    if _acronym(a) and _acronym(a) == _acronym(b):
        return True
    x, y = _base(a), _base(b)
    return x == y or (min(len(x), len(y)) >= 4 and (x.endswith(y) or y.endswith(x)))


def _base(name: str) -> str:
    return re.sub(r"\([^)]*\)$", "", name)


def contacts(lines: Sequence[Line]) -> tuple[Contact, ...]:
    """Contacts of one record, in order of first mention (one per name)."""
    out: dict[str, Contact] = {}
    for item in paragraphs(x for x in lines if not is_heading(x.text)):
        b = block(item)
        if b is None or _DIAGRAM_CAPTION.match(item[0].text.strip()):
            continue
        for name in _found("\n".join(x.text for x in item)):
            base = _base(name)
            known = next((k for k in out if _same(k, name)), None)
            if known is not None:
                better = len(name) > len(known) and ("(" in name or "(" not in known)
                if better:  # keep the fuller form (``川崎市…``, with its acronym)
                    old = out.pop(known)
                    out[name] = Contact(name, old.description, old.lines)
                continue
            sentence = next((s for s in _SENTENCE.findall(b.text) if base in s), b.text)
            out[name] = Contact(name=name, description=sentence.strip(), lines=b.lines)
    return tuple(out.values())
