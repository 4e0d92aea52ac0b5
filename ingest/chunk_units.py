"""The retrievable units of a corpus, built from its typed records.

Units: an ordinance article; a programme's table row, plan, budget + KPIs, activities,
council check, action, each support menu, its contacts; every report section. Each unit
carries a short context label (「間接融資事業 ― 事業計画」) and the fiscal years it speaks
of; :mod:`ingest.chunking` cuts units into chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.models import (
    Article,
    ChunkKind,
    Contact,
    Corpus,
    Programme,
    Section,
    Span,
    TextBlock,
)
from ingest.years import fiscal_year_label, fiscal_years, report_years

__all__ = ["Unit", "UnitBuilder"]

_DASH = " ― "


@dataclass(frozen=True, slots=True)
class Unit:
    """One meaningful piece of a record, before it is cut to chunk size."""

    key: str
    kind: ChunkKind
    label: str
    body: str
    lines: Span
    page: int | None
    programme: str | None = None
    article: int | None = None
    section: str | None = None
    title: str | None = None
    years: tuple[int, ...] = ()


class UnitBuilder:
    """The units of a corpus, in a stable order: articles, programmes, sections."""

    def __init__(self, max_chars: int) -> None:
        # Bullets of one heading are packed up to a chunk's size (less its label).
        self.max_chars = max_chars

    def build(self, corpus: Corpus) -> list[Unit]:
        units: list[Unit] = []
        units += (self._article_unit(article) for article in corpus.articles)
        for programme in corpus.programmes:
            units += self._programme_units(programme, report_years(corpus.sections))
        names = sorted((p.name for p in corpus.programmes), key=len, reverse=True)
        units += (self._section_unit(section, names) for section in corpus.sections)
        return units

    @staticmethod
    def _article_unit(article: Article) -> Unit:
        if article.number == 0 or article.title == article.label:
            label = f"条例 {article.label}"
        else:
            label = f"条例 {article.label}({article.title})"
        return Unit(
            key=f"article:{article.number}",
            kind=ChunkKind.ARTICLE,
            label=label,
            body=article.text,
            lines=article.lines,
            page=article.page,
            article=article.number,
            title=article.title,
        )

    def _programme_units(self, programme: Programme, default_years: tuple[int, ...]) -> list[Unit]:
        name = programme.name
        page = programme.page

        def unit(
            key: str,
            kind: ChunkKind,
            heading: str,
            body: str,
            lines: Span,
            *,
            years: tuple[int, ...] = (),
        ) -> Unit:
            return Unit(
                key=f"programme:{name}:{key}",
                kind=kind,
                label=f"{name}{_DASH}{heading}",
                body=body,
                lines=lines,
                page=page,
                programme=name,
                article=programme.article,
                title=name,
                # A record's text is about the report's year unless it names another.
                years=years or fiscal_years(f"{heading}\n{body}") or default_years,
            )

        focus = "重点事業" if programme.focus else "事業"
        row = f"条例第{programme.article}条に対応する{focus}。" + (
            f"報告書{programme.page}頁。" if programme.page else ""
        )
        units = [unit("row", ChunkKind.PROGRAMME_ROW, "施策一覧", row, programme.lines)]
        if programme.plan:
            # A short record's plan column is the next year's outline (平成29年度の概要);
            # a focus record's Plan is the report year's own.
            plan_years = (max(default_years) + 1,) if default_years and not programme.focus else ()
            units.append(
                unit(
                    "plan",
                    ChunkKind.PLAN,
                    "事業計画",
                    programme.plan.text,
                    programme.plan.lines,
                    years=plan_years,
                )
            )
        figures = _budget_text(programme)
        if figures:
            units.append(unit("budget", ChunkKind.BUDGET, "予算・成果指標", *figures))
        for heading, kind, blocks in (
            ("事業の実施状況", ChunkKind.ACTIVITIES, programme.activities),
            ("産業振興協議会からの検証意見", ChunkKind.CHECK, programme.council_opinions),
            ("平成29年度以降の対応", ChunkKind.ACTION, programme.responses),
        ):
            budget = self.max_chars - len(name) - len(_DASH) - len(heading) - 1
            for index, (text, lines) in enumerate(_pack_blocks(blocks, budget)):
                units.append(unit(f"{kind.value}:{index}", kind, heading, text, lines))
        for index, menu in enumerate(programme.support_menus):
            units.append(
                unit(f"menu:{index}", ChunkKind.SUPPORT_MENU, menu.name, menu.text, menu.lines)
            )
        if programme.contacts:
            units.append(
                unit(
                    "contacts",
                    ChunkKind.CONTACT,
                    "問い合わせ・相談先",
                    _contacts_text(programme.contacts),
                    _cover(contact.lines for contact in programme.contacts),
                )
            )
        return units

    @staticmethod
    def _section_unit(section: Section, programme_names: Sequence[str]) -> Unit:
        # A column titled after a programme (〈間接融資事業コラム〉) is also about that programme.
        programme = next((name for name in programme_names if section.title.startswith(name)), None)
        return Unit(
            key=f"section:{section.key}:{section.lines.first}",
            kind=ChunkKind.SECTION,
            label=section.title,
            body=section.text,
            lines=section.lines,
            page=section.page,
            programme=programme,
            section=section.key,
            title=section.title,
            years=fiscal_years(section.title + section.text),
        )


def _pack_blocks(blocks: Iterable[TextBlock], budget: int) -> list[tuple[str, Span]]:
    """Consecutive blocks (bullets of one heading) packed up to ``budget`` characters, so a
    list of short bullets becomes one chunk with the exact span of the bullets it holds."""
    packed: list[tuple[str, Span]] = []
    texts: list[str] = []
    spans: list[Span] = []
    for block in blocks:
        if texts and len("\n".join([*texts, block.text])) > budget:
            packed.append(("\n".join(texts), _cover(spans)))
            texts, spans = [], []
        texts.append(block.text)
        spans.append(block.lines)
    if texts:
        packed.append(("\n".join(texts), _cover(spans)))
    return packed


def _contacts_text(contacts: Iterable[Contact]) -> str:
    """One line per sentence naming contacts: 「名称、名称: 文」 (a sentence naming several
    desks is printed once)."""
    by_sentence: dict[str, list[str]] = {}
    for contact in contacts:
        names = by_sentence.setdefault(contact.description or "", [])
        if contact.name not in names:
            names.append(contact.name)
    return "\n".join(
        f"{'、'.join(names)}: {sentence}" if sentence else "、".join(names)
        for sentence, names in by_sentence.items()
    )


def _cover(spans: Iterable[Span]) -> Span:
    spans = list(spans)
    return Span(min(s.first for s in spans), max(s.last for s in spans))


def _year_names(year: int | None, offset: int) -> str:
    """「平成28年度(2016年度)」 for a record's year plus ``offset``."""
    label = fiscal_year_label(year, offset)
    return label if year is None else f"{label}({year + offset}年度)"


def _western(year: int | None, offset: int) -> str:
    """「2016年度」 for a KPI column (the figure tables print western years first)."""
    return fiscal_year_label(None, offset) if year is None else f"{year + offset}年度"


def _budget_text(programme: Programme) -> tuple[str, Span] | None:
    parts: list[str] = []
    spans: list[Span] = []
    budget = programme.budget
    if budget is not None:
        this, following = _year_names(budget.year, 0), _year_names(budget.year, 1)
        for label, value in (
            (f"{this}予算", budget.fy2016_budget),
            (f"{this}決算見込・実績", budget.fy2016_actual),
            (f"{following}予算", budget.fy2017_budget),
        ):
            if value is not None:
                parts.append(f"{label}: {_thousands(value)}({value:,}円)")
        if budget.text:  # as printed, with the 増減 (change) column
            parts.append(f"(原文: {budget.text})")
        spans.append(budget.lines)
    for kpi in programme.kpis:
        unit = f"({kpi.unit})" if kpi.unit else ""
        figures = [
            f"{label} {value}"
            for label, value in (
                ("目標", kpi.target),
                (f"{_western(kpi.year, -1)}実績", kpi.fy2015),
                (f"{_western(kpi.year, 0)}実績", kpi.fy2016),
            )
            if value
        ]
        parts.append(f"成果・活動指標 {kpi.indicator}{unit}: " + "、".join(figures))
        spans.append(kpi.lines)
    if not parts:
        return None
    return "\n".join(parts), _cover(spans)


def _thousands(value: int) -> str:
    """The report prints budgets in 千円; show that form first so it matches the source."""
    if value % 1000 == 0:
        return f"{value // 1000:,}千円"
    return f"{value:,}円"
