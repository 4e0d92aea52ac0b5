"""Programmes: the overview table's rows, each filled from its own record in the report.

Entry point: ``ProgrammeParser().parse(source) -> tuple[Programme, ...]`` (table order).
The table gives name, article, focus flag and page (:mod:`ingest.programme_table`); the record
(:mod:`ingest.record_locator`) gives plan, budget and KPIs (:mod:`ingest.budget_kpi`), activities,
council opinions and responses (:mod:`ingest.record_parts`), support menus
(:mod:`ingest.support_menus`) and contacts (:mod:`ingest.contacts`). A row without a record keeps
only its table fields.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from ingest.budget_kpi import focus_budget, indicator_lines, kpis, short_budget
from ingest.contacts import contacts
from ingest.models import Programme, Span
from ingest.programme_table import ProgrammeTableParser, TableRow, find_programme_table
from ingest.record_layout import Line, clean_lines
from ingest.record_locator import FOCUS, RecordSpan, locate_records
from ingest.record_parts import focus_parts, short_parts
from ingest.source import SourceText
from ingest.support_menus import support_menus

__all__ = ["ProgrammeParser", "ProgrammeParsing", "programme_id"]

log = logging.getLogger(__name__)


class ProgrammeParsing(Protocol):
    """Contract of the programme stage as the pipeline sees it."""

    def parse(self, source: SourceText) -> tuple[Programme, ...]: ...


def programme_id(source_name: str, programme_name: str) -> str:
    """Stable id: sha1 of ``source name + "\\n" + programme name``, first 16 hex digits."""
    return hashlib.sha1(f"{source_name}\n{programme_name}".encode()).hexdigest()[:16]


class ProgrammeParser:
    """Parse every programme of the report (table rows + their records)."""

    def __init__(self, table_parser: ProgrammeTableParser | None = None) -> None:
        self._table = table_parser or ProgrammeTableParser()

    def parse(self, source: SourceText) -> tuple[Programme, ...]:
        """The 事務事業 of the table (rows marked ※ are notes, see :meth:`parse_split`)."""
        return self.parse_split(source)[0]

    def parse_split(
        self, source: SourceText
    ) -> tuple[tuple[Programme, ...], tuple[Programme, ...]]:
        """(programmes, notes): notes are the table's ※ rows, parsed like programmes.

        A ※ row names measures that are not a 事務事業 (e.g. article 19's procurement
        measures): they have a record in the report but are not counted as programmes, so the
        pipeline turns them into sections.
        """
        parsed = self._parse_rows(source)
        return (
            tuple(p for p, row in parsed if not row.note),
            tuple(p for p, row in parsed if row.note),
        )

    def _parse_rows(self, source: SourceText) -> list[tuple[Programme, TableRow]]:
        rows = self._table.parse(source)
        table = find_programme_table(source)
        lines = clean_lines(source, table.last + 1, len(source))
        records = {r.row.name: r for r in locate_records(lines, rows)}
        out = [
            (self._programme(source.name, row, lines, records.get(row.name)), row) for row in rows
        ]
        log.info(
            "parsed %d table rows: %d with records, %d KPIs, %d support menus",
            len(out),
            sum(p.record_lines is not None for p, _ in out),
            sum(len(p.kpis) for p, _ in out),
            sum(len(p.support_menus) for p, _ in out),
        )
        return out

    @staticmethod
    def _programme(
        source_name: str, row: TableRow, lines: list[Line], record: RecordSpan | None
    ) -> Programme:
        base = Programme(
            id=programme_id(source_name, row.name),
            name=row.name,
            article=row.article,
            focus=row.focus,
            page=row.page,
            lines=row.lines,
        )
        if record is None:
            return base
        whole = lines[record.start : record.end]
        body = lines[record.body : record.end]
        if record.kind == FOCUS:
            parts = focus_parts(body, indicator_lines(body))
            budget = focus_budget(body)
            figures = kpis(body)
        else:
            parts = short_parts(body[1:])
            budget = short_budget(body[0])
            figures = ()
        return Programme(
            id=base.id,
            name=base.name,
            article=base.article,
            focus=base.focus,
            page=base.page,
            lines=base.lines,
            record_lines=Span(whole[0].n, whole[-1].n),
            plan=parts.plan,
            budget=budget,
            kpis=figures,
            activities=parts.activities,
            council_opinions=parts.council_opinions,
            responses=parts.responses,
            support_menus=support_menus(whole),
            contacts=contacts(whole),
        )
