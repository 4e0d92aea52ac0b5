"""Budgets and KPI figure tables of programme records.

Focus records print their budget as three labelled amounts in 千円, wrapped over a few lines:
``29年度予算 10,220千円 増減なし`` / ``28年度予算 10,220千円 ー 28年度決算`` /
``（見込） 9,676千円``.
The year of the 決算 (settlement) is the report's year Y; ``Y年度予算`` is that year's budget and
``Y+1年度予算`` the next year's. Short records print ``平成Y年度の実績 （…千円） 平成Y+1年度の概要
（…千円）`` on one line. Era years (平成) are what the report prints; the fields are named after the
western years of this report (平成28 = 2016).

KPI blocks list indicator names as ``○…`` bullets under 主な成果・活動指標 and then, in the same
order, one figure table per indicator: a header ``2015（27）年度 2016（28）年度``, a target row
``目 標（人） 20`` and an actual row ``実 績（人） 12 14``; the header's later year is ``Kpi.year``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ingest.models import Budget, Kpi, Span
from ingest.record_layout import (
    ACTUAL_ROW,
    BUDGET_LINE,
    BULLET,
    DO_HEAD,
    INDICATORS_HEAD,
    KPI_HEAD,
    TARGET_ROW,
    TORIKUMI_HEAD,
    Line,
    bullets,
    is_heading,
)
from ingest.text import join_wrapped, parse_yen
from ingest.years import fiscal_years, short_year

__all__ = ["focus_budget", "indicator_lines", "is_short_header", "kpis", "short_budget"]

log = logging.getLogger(__name__)

_BUDGET = re.compile(r"(\d+)年度予算 ?(\d[\d,]*(?:千円|万円|円))")
_ACTUAL = re.compile(r"(\d+)年度決算 ?(?:\(見込\))? ?(\d[\d,]*(?:千円|万円|円))")
_SHORT = re.compile(
    r"平成(?P<y1>\d+)年度の実績 ?\((?P<a1>[^)]*円)\) ?"
    r"平成(?P<y2>\d+)年度の概要 ?\((?P<a2>[^)]*円)\)"
)
_VALUE = re.compile(r" ?(\d[\d,]*(?:\.\d+)?%?|[ー－―\-])")
_DASHES = frozenset("ー－―-")


def focus_budget(lines: Sequence[Line]) -> Budget | None:
    """The budget of a focus record from its labelled budget lines, or None if not printed."""
    found = [x for x in lines if BUDGET_LINE.search(x.text)]
    if not found:
        return None
    text = " ".join(x.text for x in found)
    budgets = {int(y): parse_yen(a) for y, a in _BUDGET.findall(text)}
    actuals = {int(y): parse_yen(a) for y, a in _ACTUAL.findall(text)}
    if not budgets and not actuals:
        return None
    year = min(actuals) if actuals else min(budgets)
    return Budget(
        fy2016_budget=budgets.get(year),
        fy2016_actual=actuals.get(year),
        fy2017_budget=budgets.get(year + 1),
        lines=Span(found[0].n, found[-1].n),
        text=text,
        year=short_year(year),
    )


def short_budget(line: Line) -> Budget | None:
    """The amounts of a short record's header line (実績 → fy2016_actual, 概要 → fy2017_budget)."""
    m = _SHORT.search(line.text)
    if not m:
        return None
    return Budget(
        fy2016_budget=None,
        fy2016_actual=parse_yen(m.group("a1")),
        fy2017_budget=parse_yen(m.group("a2")),
        lines=Span(line.n, line.n),
        text=m.group(),
        year=short_year(int(m.group("y1"))),
    )


def is_short_header(text: str) -> bool:
    return _SHORT.search(text) is not None


def _values(rest: str) -> list[str | None]:
    """Figures at the start of a row, in order; stops at the first non-figure (a caption)."""
    out: list[str | None] = []
    pos = 0
    while m := _VALUE.match(rest, pos):
        out.append(None if m.group(1) in _DASHES else m.group(1))
        pos = m.end()
    return out


_Table = tuple[int, int, str | None, str | None, list[str | None], int | None]


def _tables(lines: Sequence[Line]) -> list[_Table]:
    """Figure tables as (first line, last line, unit, target, actual values, later year)."""
    tables = []
    i = 0
    while i < len(lines):
        if not KPI_HEAD.match(lines[i].text):
            i += 1
            continue
        first = lines[i].n
        year = max(fiscal_years(lines[i].text), default=None)
        unit: str | None = None
        target: str | None = None
        actual: list[str | None] = []
        last = first
        j = i + 1
        while j < len(lines) and j <= i + 6 and not KPI_HEAD.match(lines[j].text):
            t = TARGET_ROW.match(lines[j].text)
            a = ACTUAL_ROW.match(lines[j].text)
            if t:
                unit = t.group("unit")
                vals = _values(t.group("rest"))
                target = vals[-1] if vals else None
                last = lines[j].n
            elif a:
                unit = unit or a.group("unit")
                actual = _values(a.group("rest"))
                last = lines[j].n
                break
            j += 1
        tables.append((first, last, unit, target, actual, year))
        i = j if j > i else i + 1
    return tables


def _indicators(lines: Sequence[Line], n_tables: int) -> list[list[Line]]:
    """Indicator bullets: those under 主な成果・活動指標; when that heading shares a line with
    主な取組, the last ``n_tables`` bullets of the combined list."""
    start = next((i for i, x in enumerate(lines) if INDICATORS_HEAD.search(x.text)), None)
    if start is None:
        return []
    combined = TORIKUMI_HEAD.match(lines[start].text) is not None
    region: list[Line] = []
    for x in lines[start + 1 :]:
        if KPI_HEAD.match(x.text) or DO_HEAD.match(x.text):
            break
        if not is_heading(x.text):
            region.append(x)
    items = [item for item in bullets(region) if BULLET.match(item[0].text)]
    return items[-n_tables:] if combined and n_tables else items


_COUNTERS = (
    ("回", r"回数$"),
    ("件", r"件数$"),
    ("人", r"(人数|者数|客数)$"),
    ("%", r"率$"),
    ("社", r"社数$"),
)


def _counter_of_unit(unit: str | None) -> str | None:
    return next((c for c, _ in _COUNTERS if unit and c in unit), None)


def _counter_of_name(name: str) -> str | None:
    bare = re.sub(r"\([^)]*\)$", "", name)
    return next((c for c, pattern in _COUNTERS if re.search(pattern, bare)), None)


def _pair(names: list[str], units: list[str | None]) -> list[int | None]:
    """Index of the indicator for each table: in order, but skipping an indicator whose counter
    (回数/件数/人数…) contradicts the table's unit when a later one fits; leftovers in order."""
    free = list(range(len(names)))
    chosen: list[int | None] = [None] * len(units)
    for t, unit in enumerate(units):
        want = _counter_of_unit(unit)
        for i in free:
            have = _counter_of_name(names[i])
            if want is None or have is None or have == want:
                chosen[t] = i
                free.remove(i)
                break
    for t in range(len(units)):
        if chosen[t] is None and free:
            chosen[t] = free.pop(0)
    return chosen


_STRAY = re.compile(r"^[○〇◯●◎] ?[^。]{4,40}(数|率)$")


def _stray_indicators(lines: Sequence[Line], known: list[list[Line]]) -> list[list[Line]]:
    used = {x.n for item in known for x in item}
    return [[x] for x in lines if x.n not in used and _STRAY.match(x.text)]


def _all_indicators(lines: Sequence[Line], n_tables: int) -> list[list[Line]]:
    indicators = _indicators(lines, n_tables)
    if len(indicators) < n_tables:
        log.debug("%d indicators for %d KPI tables", len(indicators), n_tables)
        indicators += _stray_indicators(lines, indicators)[: n_tables - len(indicators)]
    return indicators


def indicator_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Line numbers of the indicator bullets (so other parts can leave them out)."""
    items = _all_indicators(lines, len(_tables(lines)))
    return frozenset(x.n for item in items for x in item)


def kpis(lines: Sequence[Line]) -> tuple[Kpi, ...]:
    """KPI rows of a focus record: indicators paired with figure tables in order.

    Pairing follows the printed order, except that an indicator whose name's counter (…回数,
    …件数, …人数) contradicts a table's unit is passed over for a later one that fits (the
    figure tables are sometimes printed in another order than the list).
    Actual rows give (fy2015, fy2016); a single printed figure is the report year's (fy2016).
    A dash (ー) is None. When the list names fewer indicators than there are tables, a lone
    ``○…数`` / ``○…率`` line elsewhere in the record (an indicator printed beside its chart)
    is taken for the unnamed table; failing that the indicator stays empty.
    """
    tables = _tables(lines)
    if not tables:
        return ()
    indicators = _all_indicators(lines, len(tables))
    names = [re.sub(r"^[○〇◯●◎] ?", "", join_wrapped(x.text for x in item)) for item in indicators]
    pairing = _pair(names, [t[2] for t in tables])
    out = []
    for (first, last, unit, target, actual, year), idx in zip(tables, pairing, strict=True):
        item = indicators[idx] if idx is not None else []
        name = names[idx] if idx is not None else ""
        fy2015, fy2016 = [*actual, None, None][:2] if len(actual) != 1 else (None, actual[0])
        numbers = [first, last, *(x.n for x in item)]
        out.append(
            Kpi(
                indicator=name,
                unit=unit,
                target=target,
                fy2015=fy2015,
                fy2016=fy2016,
                lines=Span(min(numbers), max(numbers)),
                year=year,
            )
        )
    return tuple(out)
