"""Facts read from typed records: support menus, contacts, budgets, KPIs.

Menus live in :mod:`assistant.menu_facts`, budgets and KPIs in :mod:`assistant.figure_facts`;
:class:`RecordFacts` joins them with the contacts, the one surface the composer uses.
"""

from __future__ import annotations

import re

from assistant.citing import Citer, Fact
from assistant.figure_facts import FigureFacts, format_yen
from assistant.menu_facts import (
    MenuFacts,
    _shared_topic,  # noqa: F401 - kept importable from here
    menu_name_parts,
    menu_terms,
)
from assistant.text import nfkc
from ingest import Contact, Corpus, Programme

__all__ = ["RecordFacts", "format_yen", "menu_name_parts", "menu_terms", "serves_as_desk"]

# What a desk does, said next to its name; a venue (…センターにて開催), a speaker's
# affiliation or a name in a table of events is an organisation, not a place to ask.
_DESK_ROLES = (
    *("相談", "窓口", "受付", "問い合わせ", "申込", "運営", "開設", "紹介", "支援"),
    *("連携", "事務局", "中心", "活用", "管理", "助成", "補助"),
)
_VENUE = ("にて", "での開催", "で開催", "会場")
_BEFORE, _AFTER = 12, 25  # characters around the name that speak of its role


def serves_as_desk(contact: Contact) -> bool:
    """Whether the record names ``contact`` as somewhere a business can turn to."""
    name = nfkc(contact.name)
    if any(w in name for w in ("相談", "窓口")):
        return True
    context = nfkc(contact.description or "")
    base = re.sub(r"(?<!\()\([^)]*+\)$", "", name)  # the acronym may carry a note mark
    at = context.find(base)
    if at < 0:
        return False
    after = re.sub(r"^\([^)]*\)", "", context[at + len(base) :]).lstrip(")」")
    if after.startswith(_VENUE):
        return False
    near = context[max(0, at - _BEFORE) : at] + after[:_AFTER]
    return any(w in near for w in _DESK_ROLES)


class RecordFacts(MenuFacts, FigureFacts):
    """Turns typed records into cited answer sentences."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        MenuFacts.__init__(self, corpus, citer)
        FigureFacts.__init__(self, citer)

    def contact_facts(self, programme: Programme, limit: int = 3) -> list[Fact]:
        facts = []
        for contact in [c for c in programme.contacts if serves_as_desk(c)][:limit]:
            citation = self.citer.cite(
                contact.lines,
                [contact.name],
                kind="contact",
                programme=programme.name,
                page=programme.page,
            )
            if citation is None:
                continue
            text = (
                f"{programme.name}の相談・問い合わせ先として、"
                f"報告書は「{nfkc(contact.name)}」を挙げています"
            )
            if contact.description:
                text += f"（{nfkc(contact.description).rstrip('。')}）"
            facts.append(Fact(text + "。", (citation,)))
        return facts
