"""Readers for the flattened tables inside sections: survey, member lists, opinion tables.

All rules are about layout (bullets ``・``, bracketed question titles ``【…】``, rows ending
in figures, key–value lines, a narrow left column) so they carry over to next year's report.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.source import SourceText
from ingest.survey_charts import Rows, SurveyPart, chart_shares
from ingest.text import join_wrapped, normalize

__all__ = ["council_facts", "opinion_text", "survey_parts"]


_TABLE_ROW = re.compile(
    r"^(?P<label>\D\S*(?: \D\S*)*?)\s+(?P<a>\d[\d,]*)(?:\s+(?P<b>\d[\d,]*))?"
    r"(?:\s+(?P<c>\d+(?:\.\d+)?%))?\s*$"
)
_KEY_VALUE = re.compile(r"^(?P<key>[^\d\s・【○(]{2,6})\s+(?P<value>\S.+)$")
_COUNT = re.compile(r"([^\d\s(),、。]+?)(\d[\d,]*件)")
_MEMBER = re.compile(r"^\s*(\d{1,2})\s+(.+?)\s+(\S+)\s+(\S+)\s*$")
_ROLE = re.compile(r"[（(]([^（）()]+)[)）]$")
_QUOTED = re.compile(r"「([^」]+)」")
_OPINION_WIDTH = 14
_FORMER = ("前", "元")


def _clean(line: str) -> str:
    """One table line, normalised, spaces kept (they separate the cells)."""
    # NFKC only: the number repairs would glue neighbouring cells ("0 1 0.0%").
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip()


def survey_parts(source: SourceText, rows: Rows) -> list[SurveyPart]:
    """The survey's readable parts: method + response table (with facts), one part per
    group of bullet summaries under their ``【…】`` question titles, and one per pie chart
    whose figures can be proven (:func:`chart_shares`). Other chart labels and bare
    figures are dropped: they cannot be matched to each other reliably."""
    parts: list[SurveyPart] = []
    table = _table_rows(rows)
    if table:
        start = table[0]
        while start > 0 and not rows[start - 1][1].lstrip().startswith(("・", "【")):
            start -= 1
        bullets = [i for i in range(start, table[0]) if rows[i][1].lstrip().startswith("○")]
        start = bullets[0] if bullets else start
        block = list(rows[start : table[-1] + 1])
        parts.append(("調査の概要", block, *_overview(block, set(table))))
        used = set(range(start, table[-1] + 1))
    else:
        used = set()
    parts += _bullet_groups([row for i, row in enumerate(rows) if i not in used])
    parts += chart_shares(rows)
    return parts


def _table_rows(rows: Rows) -> list[int]:
    """Indexes of the longest run of rows that end in figures (the response table)."""
    best: list[int] = []
    run: list[int] = []
    for index, (_, line) in enumerate(rows):
        match = _TABLE_ROW.match(_clean(line))
        if match and (match.group("b") or run):
            run.append(index)
        else:
            if len(run) > len(best):
                best = run
            run = []
    if len(run) > len(best):
        best = run
    if len(best) < 3:
        return []
    header = best[0] - 1
    return [header, *best] if header >= 0 else best


def _overview(
    block: list[tuple[int, str]], table: set[int]
) -> tuple[list[tuple[str, str]], str | None]:
    """Key–value lines become facts; the table's rows are spelled out with their column
    names, and its last row (the total) also becomes facts."""
    facts: list[tuple[str, str]] = []
    lines: list[str] = []
    header: list[str] = []
    for pos, (_, raw) in enumerate(block):
        line = _clean(raw)
        match = _TABLE_ROW.match(line)
        if match and header:
            cells = [match.group(k) for k in ("a", "b", "c")]
            label = match.group("label")
            named = [(h, c) for h, c in zip(header, cells, strict=False) if c]
            lines.append(f"{label}: " + ", ".join(f"{h} {c}" for h, c in named))
            if pos == len(block) - 1:
                facts += [(f"{h}({label})", c) for h, c in named]
            continue
        following = _clean(block[pos + 1][1]) if pos + 1 < len(block) else ""
        next_row = _TABLE_ROW.match(following)
        if not header and next_row and next_row.group("b"):
            # The column names, not a key and its value.
            header = line.split()[1:]
            lines.append(line)
            continue
        key_value = _KEY_VALUE.match(line)
        if key_value and not header:
            facts.append((key_value.group("key"), key_value.group("value")))
            facts += list(_COUNT.findall(key_value.group("value")))
            line = f"{key_value.group('key')}: {key_value.group('value')}"
        lines.append(line)
    return facts, "\n".join(lines)


def _bullet_groups(rows: Rows) -> list[SurveyPart]:
    parts: list[SurveyPart] = []
    titles: list[str] = []
    bullets: list[str] = []
    used: list[tuple[int, str]] = []
    open_title = False
    last_bullet = -10

    def flush() -> None:
        if bullets:
            text = "\n".join(normalize(b) for b in bullets)
            parts.append((" ".join(normalize(t) for t in titles), list(used), [], text))
            titles.clear()
        bullets.clear()
        used.clear()

    for number, raw in rows:
        line = raw.strip()
        if open_title:
            titles[-1] += line
            open_title = "】" not in line
            used.append((number, raw))
        elif line.startswith("【"):
            flush()
            titles.append(line)
            open_title = "】" not in line
            used.append((number, raw))
        elif line.startswith("・"):
            bullets.append(line)
            last_bullet = number
            used.append((number, raw))
        elif bullets and number == last_bullet + 1:
            bullets[-1] += line
            last_bullet = number
            used.append((number, raw))
    flush()
    return parts


def council_facts(caption: str, rows: Rows) -> tuple[list[tuple[str, str]], str]:
    """Member lists ``1 所属・役職（会長） 氏 名`` become one line per member and facts
    (``("川崎市産業振興協議会 会長", "杉浦 章介")``,
    ``("川崎市産業振興協議会 委員", "杉浦 章介(慶應義塾大学名誉教授(会長))")``);
    other rows are joined as prose."""
    quoted = _QUOTED.search(caption)
    body = normalize(quoted.group(1)) if quoted else ""
    facts: list[tuple[str, str]] = []
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            out.append(normalize(join_wrapped(prose)))
            prose.clear()

    for _, raw in rows:
        member = _MEMBER.match(raw)
        if member and not raw.rstrip().endswith("。"):
            flush()
            number, post, family, given = member.groups()
            post = normalize(join_wrapped([post]))
            name = f"{family} {given}"
            out.append(f"{number} {post} {name}")
            role = _ROLE.search(post)
            # A role such as (会長) is the member's role in this body; (前会長) is a former
            # post elsewhere, so it is not one.
            if role and not role.group(1).startswith(_FORMER):
                facts.append((f"{body} {normalize(role.group(1))}".strip(), name))
            facts.append((f"{body} 委員".strip(), f"{name}({post})"))
        else:
            prose.append(raw)
    flush()
    return facts, "\n".join(out)


def opinion_text(rows: Rows) -> str:
    """The opinion/response table: the narrow left column holds the council's opinion,
    the wide right column the city's response; label each run of lines accordingly."""
    out: list[str] = []
    kind: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if buffer and kind:
            out.append(f"【{kind}】{normalize(join_wrapped(buffer))}")
        elif buffer:
            out.append(normalize(join_wrapped(buffer)))
        buffer.clear()

    for index, (_, raw) in enumerate(rows):
        line = raw.strip()
        if index == 0 and "。" not in line:
            out.append(normalize(line))
            continue
        # A cell wraps: a line continues the previous run until that run ends a sentence.
        if buffer and not buffer[-1].endswith("。"):
            buffer.append(line)
            continue
        current = "意見" if len(line) <= _OPINION_WIDTH else "対応"
        if current != kind:
            flush()
            kind = current
        buffer.append(line)
    flush()
    return "\n".join(out)
