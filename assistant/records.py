"""Facts read from typed records: support menus, contacts, budgets, KPIs.

Menus live in :mod:`assistant.menu_facts`, budgets and KPIs in :mod:`assistant.figure_facts`;
:class:`RecordFacts` joins them with the contacts, the one surface the composer uses.
"""

from __future__ import annotations

import re

from assistant.catalogue import rules
from assistant.citing import Citer, Fact
from assistant.figure_facts import FigureFacts, format_yen
from assistant.menu_facts import (
    MenuFacts,
    _shared_topic,  # noqa: F401 - kept importable from here
    menu_terms,
)
from assistant.phrases import phrase
from assistant.text import full_stop, nfkc
from assistant.words import ContentWords
from ingest import Contact, Corpus, Programme

__all__ = ["RecordFacts", "format_yen", "menu_terms", "serves_as_desk"]

_BEFORE, _AFTER = 12, 25  # characters around the name that speak of its role


def serves_as_desk(contact: Contact) -> bool:
    """Whether the record names ``contact`` as somewhere a business can turn to."""
    name = nfkc(contact.name)
    catalogue = rules()
    if catalogue.words("cues.desk.name").found_in(name):
        return True
    context = nfkc(contact.description or "")
    base = re.sub(r"(?<!\()\([^)]*+\)$", "", name)  # the acronym may carry a note mark
    at = context.find(base)
    if at < 0:
        return False
    after = re.sub(r"^\([^)]*\)", "", context[at + len(base) :]).lstrip(")」")
    if after.startswith(tuple(catalogue.words("marks.venue"))):
        return False  # where an event is held (…センターにて開催)
    if catalogue.pattern("patterns.desk.partner").match(after):
        return False  # whom the programme works with or through (…との連携)
    near = context[max(0, at - _BEFORE) : at] + after[:_AFTER]
    return catalogue.words("cues.desk.roles").found_in(near)


class RecordFacts(MenuFacts, FigureFacts):
    """Turns typed records into cited answer sentences."""

    def __init__(self, corpus: Corpus, citer: Citer, words: ContentWords | None = None) -> None:
        MenuFacts.__init__(self, corpus, citer)
        FigureFacts.__init__(self, citer, words)

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
            text = phrase("contact.desk", programme=programme.name, contact=nfkc(contact.name))
            if contact.description:
                description = nfkc(contact.description).rstrip("。")
                text += phrase("contact.description", description=description)
            facts.append(Fact(full_stop(text), (citation,), record=programme.name))
        return facts
