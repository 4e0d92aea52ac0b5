"""Typed facts read from a programme's record: its budget rows, each KPI row (「indicator：
目標 N、実績 M」), each support menu (cap, rate, term, eligibility) and the desks its own
record names. Tables are read as label → value facts here, never spilled as raw rows."""

from __future__ import annotations

import threading
from dataclasses import replace

from assistant.citing import Fact
from assistant.profile import Profile
from assistant.records import RecordFacts
from ingest import Programme

__all__ = ["RecordInventory"]


class RecordInventory:
    """The record facts of each programme, built once per programme (they do not depend on
    the question)."""

    def __init__(self, records: RecordFacts) -> None:
        self.records = records
        self._cache: dict[str, tuple[Fact, ...]] = {}
        self._lock = threading.Lock()

    def facts(self, programme: Programme) -> tuple[Fact, ...]:
        with self._lock:
            cached = self._cache.get(programme.id)
        if cached is not None:
            return cached
        facts = list(self.records.budget_facts(programme, (), compare=True))
        facts.extend(f for k in programme.kpis if (f := self.records.kpi_fact(programme, k)))
        facts.extend(
            f
            for m in programme.support_menus
            if (f := self.records.menu_fact(programme, m, Profile())) is not None
        )
        desks = self.records.contact_facts(programme, limit=len(programme.contacts))
        facts.extend(replace(f, record=f.record or programme.name) for f in desks)
        built = tuple(facts)
        with self._lock:
            self._cache[programme.id] = built
        return built
