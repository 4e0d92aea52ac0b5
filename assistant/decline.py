"""Declining: say plainly that the report is silent, show the closest thing it says, and
name whom to ask (the organisation the programme's record names)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.citing import Fact, supported
from assistant.records import serves_as_desk
from assistant.text import nfkc, sentences
from index import Hit
from ingest import Contact, Programme, Span

if TYPE_CHECKING:
    from assistant.composer import Composer, Composition
    from assistant.understanding import Query

__all__ = ["NOT_STATED", "Decliner"]

NOT_STATED = "報告書には記載がありません"
# A contact worth sending someone to: a desk, a centre, a foundation (not a partner named
# in passing, e.g. a company in a case study).


class Decliner:
    """Builds the answer for questions whose fact the report does not state."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.records = composer.records
        self.citer = composer.citer

    def decline(
        self, query: Query, hits: list[Hit], facts: list[Fact], gap: str | None
    ) -> Composition:
        subject = f"{gap}について、" if gap else "ご質問の内容について、"
        lead = Fact(f"{subject}{NOT_STATED}。")
        closest = facts[:2]
        if not closest:
            found, _ = self.composer.passages.facts(query.text, hits, limit=1)
            closest = [f for f in found if self.composer.checked(f)]
        off_topic = not (closest or query.programmes or query.articles or query.intent_cued)
        if not closest:
            closest = self._scope_note()
        parts = [lead]
        if closest:
            parts.append(Fact("報告書に記載があるのは次の点です。"))
            parts.extend(closest)
        by_key = self.records.by_key
        named = [self.records.by_id[p] for p in query.programmes if p in self.records.by_id]
        cited = [by_key[c.programme] for f in closest for c in f.citations if c.programme in by_key]
        pointer = self._pointer(named or cited)
        if pointer is not None:
            parts.append(pointer)
        done = self.composer.done(parts, False, named or cited)
        return replace(done, out_of_scope=True) if off_topic else done

    def _scope_note(self) -> list[Fact]:
        """What the report is about: its introduction's first sentence (for off-topic asks)."""
        for section in self.composer.corpus.sections:
            if section.key != "introduction":
                continue
            for sentence in sentences(nfkc(section.text)):
                if len(sentence) >= 20 and sentence.endswith("。"):
                    citation = self.citer.cite_section_sentence(section, sentence)
                    if citation is None:
                        continue
                    fact = Fact(sentence, (citation,))
                    return [fact] if self.composer.checked(fact) else []
        return []

    @staticmethod
    def _desk(programme: Programme) -> Contact | None:
        return next((c for c in programme.contacts if serves_as_desk(c)), None)

    def _pointer(self, programmes: list[Programme]) -> Fact | None:
        for programme in programmes[:1]:
            contact = self._desk(programme)
            if contact is not None:
                desk = self._cited(
                    programme,
                    contact.lines,
                    contact.name,
                    "contact",
                    f"詳しくは、報告書が{programme.name}の窓口として挙げる"
                    f"「{nfkc(contact.name)}」にお問い合わせください。",
                )
                if desk is not None:
                    return desk
            return self._cited(
                programme,
                programme.lines,
                programme.name,
                "programme_row",
                f"詳しくは、{programme.name}を所管する川崎市の担当部署にお問い合わせください。",
            )
        return None

    def _cited(
        self, programme: Programme, lines: Span, name: str, kind: str, sentence: str
    ) -> Fact | None:
        """``sentence`` cited to ``lines``, or None when the quote does not carry ``name``."""
        citation = self.citer.cite(
            lines, [name], kind=kind, programme=programme.name, page=programme.page
        )
        if citation is None or not supported(name, (citation,)):
            return None
        return Fact(sentence, (citation,))
