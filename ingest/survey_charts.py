"""The survey's pie charts, read back from their flattened text and named after their question.

A survey page prints its question titles first (``【…】``, often two on one line, one per
chart of a row of charts), then the summary bullets, then every chart's figures in reading
order. A chart's figures are kept only when their arithmetic proves them (count ÷ n = the
printed share); a chart is named after its title only when the layout says which one it is
(:func:`chart_titles`), otherwise it stays unnamed rather than risk a wrong question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text import join_wrapped, normalize

__all__ = [
    "Chart",
    "Rows",
    "SurveyPart",
    "chart_shares",
    "chart_titles",
    "find_charts",
    "heading_lines",
    "row_title",
]

Rows = Sequence[tuple[int, str]]
SurveyPart = tuple[str, list[tuple[int, str]], list[tuple[str, str]], str | None]

_SAMPLE = re.compile(r"[nｎＮN]\s*[=＝]\s*([\d,]+)")
_PERCENT = re.compile(r"(\d(?:\s?\d)*\s?\.\s?\d)\s?%")
_COUNT_ONLY = re.compile(r"^\d(?:\s?\d)*$")
_FIGURES_ONLY = re.compile(r"^[\d\s.,%]*\d[\d\s.,%]*$")
_TITLE = re.compile(r"【[^【】]*(?:】|$)")
_ROW_TITLE = re.compile(r"【([^【】]+)】[^【】:]+: \d+件\(")
_CHART_GAP = 12


@dataclass(frozen=True, slots=True)
class Chart:
    """One pie chart: its (label, count, share) rows, sample size and first/last line."""

    first: int
    last: int
    size: int
    rows: tuple[tuple[str, int, str], ...]


def chart_shares(rows: Rows) -> list[SurveyPart]:
    """One part per pie chart: ``【question】label: count件(share)`` rows (the question only
    when :func:`chart_titles` can tell it), spanning the chart's own lines."""
    charts = find_charts(rows)
    titles = chart_titles(rows, charts)
    parts: list[SurveyPart] = []
    for index, chart in enumerate(charts):
        title = titles.get(index, "")
        used = [(n, raw) for n, raw in rows if chart.first <= n <= chart.last]
        text = "\n".join(f"{title}{label}: {n}件({share})" for label, n, share in chart.rows)
        name = f"図表の回答内訳(読み取り値, n={chart.size})"
        parts.append((f"{title} {name}" if title else name, used, [], text))
    return parts


def row_title(row: str) -> str | None:
    """The question a rebuilt chart row is read under (``【今後5年間の経営展望】好転する: …`` →
    ``今後5年間の経営展望``), or None for any other text."""
    found = _ROW_TITLE.match(unicodedata.normalize("NFKC", row).strip())
    return found.group(1) if found else None


def _tokens(rows: Rows) -> list[tuple[int, str, str]]:
    """(line, kind, value) tokens of chart debris: "pct", "count" or "label"."""
    out: list[tuple[int, str, str]] = []
    for number, raw in rows:
        line = unicodedata.normalize("NFKC", raw).strip()
        pos = 0
        for match in _PERCENT.finditer(line):
            before = line[pos : match.start()].strip()
            if before:
                out.append((number, "count" if _COUNT_ONLY.match(before) else "label", before))
            out.append((number, "pct", re.sub(r"\s", "", match.group(1))))
            pos = match.end()
        rest = line[pos:].strip()
        if rest:
            out.append((number, "count" if _COUNT_ONLY.match(rest) else "label", rest))
    return out


def find_charts(rows: Rows) -> list[Chart]:
    """Answer shares printed in pie charts as ``label / count / percent`` lines.

    The chart text is mangled (``17 5`` / ``2 0 . 9%``), so a triple is kept only when
    count ÷ n equals the printed percentage for one of the sample sizes (``n=837``) the
    survey states — the arithmetic proves the spaces were inside one number. Triples
    within a few lines of each other form one chart, which ends where its counts add up to
    its sample size. A lone triple is not a chart."""
    samples = {
        int(m.group(1).replace(",", ""))
        for _, raw in rows
        for m in _SAMPLE.finditer(unicodedata.normalize("NFKC", raw))
    }
    tokens = _tokens(rows)
    # first line, last line, label, count, percent, sample size
    found: list[tuple[int, int, str, int, str, int]] = []
    for (l1, k1, v1), (_, k2, v2), (l3, k3, v3) in zip(
        tokens, tokens[1:], tokens[2:], strict=False
    ):
        if (k1, k2, k3) != ("label", "count", "pct") or _SAMPLE.search(v1):
            continue
        count = int(v2.replace(" ", ""))
        pct = float(v3)
        size = next(
            (n for n in sorted(samples) if abs(round(100 * count / n, 1) - pct) < 0.051), None
        )
        if size is not None:
            found.append((l1, l3, v1, count, f"{v3}%", size))
    groups: list[list[tuple[int, int, str, int, str, int]]] = []
    open_chart = False
    for item in found:
        if open_chart and item[0] - groups[-1][-1][1] <= _CHART_GAP:
            groups[-1].append(item)
        else:
            groups.append([item])
        open_chart = sum(c[3] for c in groups[-1]) < item[5]
    return [
        Chart(g[0][0], g[-1][1], g[0][5], tuple((c[2], c[3], c[4]) for c in g))
        for g in groups
        if len(g) >= 2
    ]


_TITLE_WRAP = 2  # lines a title may wrap onto


def heading_lines(rows: Rows) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, titles) of each line that starts with question titles
    ``【…】``; a title wrapped onto the next lines is joined, notes after ``】`` are dropped."""
    out: list[tuple[int, int, list[str]]] = []
    pending: list[str] = []
    for number, raw in rows:
        line = raw.strip()
        if pending and len(pending) > _TITLE_WRAP:
            pending = []  # a 【 that never closes is no title: the lines after it are read anew
        if pending:
            pending.append(line)
            if "】" in line:
                out[-1][2][-1] = _title(pending)
                out[-1] = (out[-1][0], number, out[-1][2])
                pending = []
            continue
        if not line.startswith("【"):
            continue
        titles = [m.group(0) for m in _TITLE.finditer(line)]
        out.append((number, number, [_title([t]) for t in titles]))
        if not titles[-1].endswith("】"):
            pending = [titles[-1]]
    return out


def _title(lines: list[str]) -> str:
    joined = normalize(join_wrapped(lines))
    return joined[: joined.index("】") + 1] if "】" in joined else joined


def chart_titles(rows: Rows, charts: Sequence[Chart]) -> dict[int, str]:
    """Index of a chart in ``charts`` → its question title, by layout alone.

    Consecutive title lines (only bullets and text between them) head one block; the block
    runs until title lines that follow chart figures. The charts printed right after the
    block's titles, before any other chart's figures (lines of bare figures), belong to the
    title lines in reading order: the first line of k titles owns the first k charts, the
    next line the next ones. When those charts do not fill whole title lines (the counts
    differ), the block's charts stay unnamed."""
    numbers = [n for n, _ in rows]
    inside = {n for c in charts for n in numbers if c.first <= n <= c.last}
    figures = [
        n
        for n, raw in rows
        if n not in inside and _FIGURES_ONLY.match(unicodedata.normalize("NFKC", raw).strip())
    ]
    blocks: list[list[tuple[int, int, list[str]]]] = []
    for head in heading_lines(rows):
        after = blocks[-1][-1][1] if blocks else None
        if after is not None and not any(
            after < n < head[0] for n in [*figures, *(c.first for c in charts)]
        ):
            blocks[-1].append(head)
        else:
            blocks.append([head])
    titles: dict[int, str] = {}
    for pos, block in enumerate(blocks):
        start = block[-1][1]
        stop = blocks[pos + 1][0][0] if pos + 1 < len(blocks) else numbers[-1] + 1
        first_figure = next((n for n in figures if start < n < stop), stop)
        leading = [i for i, c in enumerate(charts) if start < c.first and c.last < first_figure]
        sizes = [len(t) for _, _, t in block]
        owned = [t for _, _, line in block for t in line]
        if len(leading) in {sum(sizes[: k + 1]) for k in range(len(sizes))}:
            titles.update(zip(leading, owned, strict=False))
    return titles
