"""Text parts of a record: plan, activities (Do), council opinions (Check), responses (Action).

Focus records: the plan is the text under ``事業計画 Plan`` plus the 主な取組 list (indicator
bullets and budget lines excluded); activities are the items under ``事業の実施状況 Do`` up to
the opinions; opinions are the ``○`` sentences under ``【…検証意見】``, responses those under
``【…以降の対応】``. Some pages print the responses without their heading (below the opinions
or after the side labels ``… Check`` / ``… Action``); such sentences are told apart by their
ending: a response states what the city will do (``…を図る。`` ``…を行う。`` ``…推進する。``),
an opinion judges or asks.

Short records: below the amounts line, the 実績 column (past tense, ``…ました。``) is printed
before the 概要 column (``…ます。``); the first paragraph in the present tense starts the 概要
(→ plan), the paragraphs before it are the activities. Figure bullets without a sentence
(``・相談件数 883 件``) are results, so they stay activities wherever they are printed; a
desk's schedule (``・各区役所（第 3火曜日 9:00～12:00）``) stays in the plan it is printed under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.models import Span, TextBlock
from ingest.record_layout import (
    ACTION_HEAD,
    BULLET,
    CHECK_HEAD,
    DO_HEAD,
    INDICATORS_HEAD,
    KPI_HEAD,
    PLAN_HEAD,
    SIDE_LABEL,
    TORIKUMI_HEAD,
    Line,
    block,
    bullets,
    is_chart_debris,
    is_heading,
    paragraphs,
)

__all__ = ["RecordParts", "focus_parts", "short_parts", "write_up_start"]

_RESPONSE_END = re.compile(
    r"(する|行う|図る|進める|努める|取り組む|取り組んでいく|いく|目指す|つなげる|繋げる|"
    r"設ける|見直す|高める|促す|働きかける|継続する|予定|予定である|進めている|行っている|"
    r"検討している|実施している)。$"
)
_PRESENT_END = re.compile(r"(ます|ません)。\)?$")
# When a desk opens (第 3火曜日 9:00～12:00) is part of the plan it is printed under.
_SCHEDULE = re.compile(r"\d{1,2}\s*:\s*\d{2}|[月火水木金土日]曜日")


@dataclass(frozen=True, slots=True)
class RecordParts:
    plan: TextBlock | None
    activities: tuple[TextBlock, ...]
    council_opinions: tuple[TextBlock, ...]
    responses: tuple[TextBlock, ...]


def _first(lines: Sequence[Line], pattern: re.Pattern[str], start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pattern.search(lines[i].text)), None)


def _next(candidates: Iterable[int | None], after: int, default: int) -> int:
    """The smallest candidate index greater than ``after``, else ``default``."""
    return min((i for i in candidates if i is not None and i > after), default=default)


def _items(lines: Sequence[Line]) -> list[TextBlock]:
    """Bullet items joined per item (text blocks), headings dropped."""
    out = []
    for item in bullets([x for x in lines if not is_heading(x.text)]):
        b = block(item)
        if b is not None:
            out.append(b)
    return out


def _bullet_items(lines: Sequence[Line], leading_only: bool = False) -> list[list[Line]]:
    """``○`` items: a bullet continues until a line ends with ``。``.

    Lines outside an open item (tables, captions, chart numbers) are skipped; with
    ``leading_only`` the collection stops at the first line that belongs to no item.
    """
    items: list[list[Line]] = []
    open_item = False
    for i, x in enumerate(lines):
        if BULLET.match(x.text):
            items.append([x])
        elif (open_item or _next_sentence(lines, i, items)) and not is_heading(x.text):
            items[-1].append(x)
        else:
            if leading_only and (items or not is_heading(x.text)):
                break
            open_item = False
            continue
        open_item = not x.text.endswith("。")
    return items


def _next_sentence(lines: Sequence[Line], i: int, items: list[list[Line]]) -> bool:
    """True when ``lines[i]`` starts one more sentence of the item just above it: an item
    of two sentences prints only the first with a ``○``. A run that never ends a sentence
    before the next item or heading is a table or caption, not part of the item."""
    if not items or items[-1][-1] is not lines[i - 1]:
        return False
    for x in lines[i:]:
        if BULLET.match(x.text) or is_heading(x.text):
            return False
        if x.text.endswith("。"):
            return True
    return False


def _is_sentence(item: list[Line]) -> bool:
    return item[-1].text.endswith("。")


def _sentences(lines: Sequence[Line], leading_only: bool = False) -> list[list[Line]]:
    """The ``○`` items that end a sentence (opinions and responses are sentences)."""
    return [item for item in _bullet_items(lines, leading_only) if _is_sentence(item)]


def _trailing_sentences(lines: Sequence[Line]) -> list[list[Line]]:
    """The run of ``○`` sentence items that ends ``lines`` (opinions printed without heading)."""
    run: list[list[Line]] = []
    for item in reversed(bullets(lines)):
        if not (BULLET.match(item[0].text) and item[-1].text.endswith("。")):
            break
        run.insert(0, item)
    return run


def write_up_start(lines: Sequence[Line]) -> int | None:
    """Index in ``lines`` (a focus record) where a write-up printed after the record starts.

    The side labels (``… Check`` ``… Action``) close a programme's own pages; the ``○``
    sentences right after them are its unheaded opinions and responses (see
    :func:`focus_parts`). Any other text after them is a page of its own about the programme
    (a story with a headline, photos' captions) printed without a ``〈…コラム〉`` heading.
    """
    labels = [i for i, x in enumerate(lines) if SIDE_LABEL.search(x.text)]
    if not labels:
        return None
    i = labels[-1] + 1
    while i < len(lines):
        if is_heading(lines[i].text):
            i += 1
            continue
        if not BULLET.match(lines[i].text):
            return i
        stop = i
        while stop < len(lines) and not lines[stop].text.endswith("。"):
            if stop > i and (BULLET.match(lines[stop].text) or is_heading(lines[stop].text)):
                return i  # an item that never ends a sentence: not an opinion or response
            stop += 1
        if stop == len(lines):
            return i
        i = stop + 1
    return None


def _is_response(item: list[Line]) -> bool:
    return _RESPONSE_END.search(item[-1].text) is not None


def focus_parts(lines: Sequence[Line], indicator_lines: frozenset[int]) -> RecordParts:
    """Parts of a focus record (``lines``: the record without its heading)."""
    plan_i = _first(lines, PLAN_HEAD)
    do_i = _first(lines, DO_HEAD)
    check_i = _first(lines, CHECK_HEAD)
    action_i = _first(lines, ACTION_HEAD, check_i or 0)
    labels = [i for i, x in enumerate(lines) if SIDE_LABEL.search(x.text)]
    end = len(lines)

    plan = None
    if plan_i is not None:
        indicators_i = _first(lines, INDICATORS_HEAD, plan_i)
        separate = indicators_i is not None and not TORIKUMI_HEAD.match(lines[indicators_i].text)
        stops = [_first(lines, KPI_HEAD, plan_i), do_i, check_i, *labels]
        stops += [indicators_i] if separate else []
        stop = _next(stops, plan_i, end)
        chosen = []
        for x in lines[plan_i + 1 : stop]:
            if x.n in indicator_lines:
                continue
            if TORIKUMI_HEAD.match(x.text):
                chosen.append(Line(x.n, "主な取組"))
            elif not is_heading(x.text):
                chosen.append(x)
        if chosen:
            plan = TextBlock(_join_items(chosen), Span(chosen[0].n, chosen[-1].n))

    activities: list[TextBlock] = []
    unheaded: list[list[Line]] = []
    if do_i is not None:
        do_end = _next((check_i, *labels), do_i, end)
        if check_i is None:  # opinions and responses printed without their headings
            unheaded = _trailing_sentences(lines[do_i + 1 : do_end])
            do_end -= sum(len(item) for item in unheaded)
        activities = _items([x for x in lines[do_i + 1 : do_end] if x.n not in indicator_lines])

    opinions: list[list[Line]] = []
    responses: list[list[Line]] = []
    if check_i is not None:
        check_end = _next((action_i, *labels), check_i, end)
        in_check = _sentences(lines[check_i + 1 : check_end])
        # list entries printed among the opinions (``○…の開催``) report what was done
        listed = [x for x in _bullet_items(lines[check_i + 1 : end]) if not _is_sentence(x)]
        activities += [b for b in map(block, listed) if b is not None]
        if action_i is None:
            opinions += [x for x in in_check if not _is_response(x)]
            responses += [x for x in in_check if _is_response(x)]
        else:
            opinions += in_check
            action_end = _next(labels, action_i, end)
            responses += _sentences(lines[action_i + 1 : action_end])
    opinions += [x for x in unheaded if not _is_response(x)]
    responses += [x for x in unheaded if _is_response(x)]
    if labels:
        after = _sentences(lines[labels[-1] + 1 : end], leading_only=True)
        opinions += [x for x in after if not _is_response(x)]
        responses += [x for x in after if _is_response(x)]

    opinion_blocks = [b for b in map(block, opinions) if b is not None]
    response_blocks = [b for b in map(block, responses) if b is not None]
    taken = [b.lines for b in (plan, *activities, *opinion_blocks, *response_blocks) if b]
    activities += _leftovers(lines, taken, indicator_lines)
    return RecordParts(
        plan=plan,
        activities=tuple(activities),
        council_opinions=tuple(opinion_blocks),
        responses=tuple(response_blocks),
    )


def _leftovers(
    lines: Sequence[Line], taken: Sequence[Span], indicator_lines: frozenset[int]
) -> list[TextBlock]:
    """Text of the record's pages that no part took: tables, photo and figure captions,
    notes printed between the figure tables. They report on the programme's work, so each
    run of such lines becomes one more activity (chart figures and headings stay out)."""
    runs: list[list[Line]] = [[]]
    for x in lines:
        free = not any(span.first <= x.n <= span.last for span in taken)
        if free and x.n not in indicator_lines and not is_heading(x.text):
            if not is_chart_debris(x.text):
                runs[-1].append(x)
        elif runs[-1]:
            runs.append([])
    out = []
    for run in filter(None, runs):
        # A paragraph with no sentence end is a table's rows: one row a line, as printed,
        # never one cell glued to the next (「事業名内容交流会…」).
        texts = [
            b.text
            for b in (block(p, sep="" if _prose(p) else "\n") for p in paragraphs(run))
            if b is not None
        ]
        out.append(TextBlock("\n".join(texts), Span(run[0].n, run[-1].n)))
    return out


def _prose(lines: Sequence[Line]) -> bool:
    return any("。" in x.text for x in lines)


def _join_items(lines: Sequence[Line]) -> str:
    """Items joined one per line; a 主な取組 heading stays a line of its own."""
    out: list[str] = []
    part: list[Line] = []
    for x in [*lines, Line(0, "")]:
        if x.text in ("主な取組", ""):
            out += [b.text for b in (block(item) for item in bullets(part)) if b is not None]
            out += [x.text] if x.text else []
            part = []
        else:
            part.append(x)
    return "\n".join(out)


def short_parts(lines: Sequence[Line]) -> RecordParts:
    """Parts of a short record (``lines``: below the amounts line)."""
    paras = paragraphs(x for x in lines if not is_heading(x.text))
    split = next(
        (
            i
            for i, p in enumerate(paras)
            if i > 0 and _PRESENT_END.search("".join(x.text for x in p))
        ),
        None,
    )
    done = paras if split is None else paras[:split]
    plan_paras = [] if split is None else paras[split:]
    figures = [
        p
        for p in plan_paras
        if not p[-1].text.endswith("。")
        and re.search(r"\d", p[0].text)
        and not _SCHEDULE.search("".join(x.text for x in p))
    ]
    plan_paras = [p for p in plan_paras if p not in figures]
    plan_lines = [x for p in plan_paras for x in p]
    plan = None
    if plan_lines:
        first_block = block(plan_lines)
        if first_block is not None:
            plan = TextBlock(
                "\n".join(b.text for b in map(block, plan_paras) if b), first_block.lines
            )
    activities = tuple(b for b in map(block, done + figures) if b is not None)
    return RecordParts(plan=plan, activities=activities, council_opinions=(), responses=())
