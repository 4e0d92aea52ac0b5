"""Facts read from typed records: support menus, contacts, budgets, KPIs.

Menus live in :mod:`assistant.menu_facts`, budgets and KPIs in :mod:`assistant.figure_facts`;
:class:`RecordFacts` joins them with the contacts, the one surface the composer uses.
"""

from __future__ import annotations

from assistant.citing import Citer, Fact
from assistant.figure_facts import FigureFacts, format_yen
from assistant.menu_facts import (
    MenuFacts,
    _shared_topic,  # noqa: F401 - kept importable from here
    menu_name_parts,
    menu_terms,
)
from assistant.text import nfkc
from ingest import Corpus, Programme

__all__ = ["RecordFacts", "format_yen", "menu_name_parts", "menu_terms"]


class RecordFacts(MenuFacts, FigureFacts):
    """Turns typed records into cited answer sentences."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        MenuFacts.__init__(self, corpus, citer)
        FigureFacts.__init__(self, citer)

    def contact_facts(self, programme: Programme, limit: int = 3) -> list[Fact]:
        facts = []
        for contact in programme.contacts[:limit]:
            citation = self.citer.cite(
                contact.lines,
                [contact.name],
                kind="contact",
                programme=programme.name,
                page=programme.page,
            )
            text = (
                f"{programme.name}の相談・問い合わせ先として、"
                f"報告書は「{nfkc(contact.name)}」を挙げています"
            )
            if contact.description:
                text += f"（{nfkc(contact.description).rstrip('。')}）"
            facts.append(Fact(text + "。", (citation,)))
        return facts
