"""Facts read from support menus: which menus fit a question, and why, with their terms."""

from __future__ import annotations

import re
from collections.abc import Collection

from assistant.catalogue import rules
from assistant.citing import Citer, Fact
from assistant.figure_facts import format_yen, quoted_whole
from assistant.models import Citation
from assistant.phrases import phrase
from assistant.report_names import menu_name_parts
from assistant.text import bigrams, nfkc, squash
from assistant.understanding import Profile, Query
from ingest import Corpus, Programme, Span, SupportMenu

__all__ = ["MenuFacts", "menu_terms"]

_TERM_SEGMENT = re.compile(r"[、。()（）\n]")
_SMALL_WEIGHT = 20
_WORD_START = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z][^\d\W]")
_TOPIC_NOUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{2,}")
# What in an asker's profile a menu may be reserved to (``cues.menu.<reason>``).
_SMALL = "small"


def _generic() -> frozenset[str]:
    """Bigrams every subsidy/loan text shares: they say nothing about which menu fits."""
    return bigrams(rules().text("stopwords.bigrams.menu"))


def _topical(question: str) -> frozenset[str]:
    """The bigrams of ``question`` that can tell menus apart: those starting a word (a kanji,
    katakana or letter, then anything but a digit or a mark: 借り, 展示; not 「あた」 of
    1軒あたり or 「の補」), and none of the generic words."""
    text = squash(question)
    pairs = (text[i : i + 2] for i in range(len(text) - 1))
    return frozenset(b for b in pairs if _WORD_START.fullmatch(b)) - _generic()


def _shared_topic(question: str, text: str) -> str | None:
    """The longest topical word the question shares with a menu (why the menu fits)."""
    q, t = squash(question), squash(text)
    generic = _generic()
    best = ""
    for i in range(len(q)):
        for j in range(i + len(best) + 1, len(q) + 1):
            piece = q[i:j]
            if piece not in t:
                break
            if not re.search(r"[\d()、。]", piece) and not (bigrams(piece) <= generic):
                best = piece
    best = best.strip(rules().text("text.particles"))  # a particle is not part of the topic
    # A need is a noun (展示会, 海外): a verb ending (する) or the asked field (上限) is not.
    if not _TOPIC_NOUN.fullmatch(best) or rules().words("cues.menu.fields").found_in(best):
        return None
    return best


def _overlaps(a: Span, b: Span) -> bool:
    return a.first <= b.last and b.first <= a.last


def menu_terms(menu: SupportMenu) -> str:
    """The conditions as the record states them: the segments of its text carrying figures."""
    text = nfkc(menu.text)
    segments = [s.strip() for s in _TERM_SEGMENT.split(text) if re.search(r"\d", s)]
    segments = [s for s in segments if squash(s) != squash(menu.name)]
    # A segment cut right after the menu's name starts with its particle (「の限度額を…」).
    particles = rules().text("text.segment_particles")
    segments = [s[1:] if s[:1] and s[:1] in particles and len(s) > 1 else s for s in segments]
    return "、".join(dict.fromkeys(segments))


_MAX_DESCRIPTION = 60
# The text before the bracketed figures; runs are read once, never re-split (linear time).
_BEFORE_TERMS = re.compile(r"(?<![^(])([^(]++)\((?=[^)\d]*+\d)")


def _description(menu: SupportMenu) -> str | None:
    """The menu line before its bracketed terms (「市内小規模事業者の…に対する支援」)."""
    bullet = rules().pattern("patterns.report.bullet")
    m = _BEFORE_TERMS.match(bullet.sub("", nfkc(menu.text)))
    line = m.group(1).strip() if m else ""
    return line if 0 < len(line) <= _MAX_DESCRIPTION and line != nfkc(menu.name) else None


class MenuFacts:
    """Finds, ranks and states the support menus (subsidies, loans) a question is about."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        self.corpus = corpus
        self.citer = citer
        self.by_id = {p.id: p for p in corpus.programmes}
        # Chunks and citations name their programme; ids are accepted too.
        self.by_key = {**{p.name: p for p in corpus.programmes}, **self.by_id}

    def menus(
        self, kind: str, programmes: tuple[str, ...], spelled: Collection[str] = ()
    ) -> list[tuple[Programme, SupportMenu]]:
        """The support menus of ``kind`` that may answer: the named ``programmes``' own,
        else every programme's; ``spelled``: the programmes the question calls by their
        full name (:attr:`Query.spelled`)."""
        named = [self.by_id[p] for p in programmes if p in self.by_id]
        # A programme the question calls by its full name answers for itself: another
        # programme's menu is not its cap or rate. (A programme found through a word the
        # asker uses about their own business is no such restriction.)
        own = any(p.id in spelled for p in named)
        pools = (named,) if own else (named, list(self.corpus.programmes))
        for pool in pools:
            found = [(p, m) for p in pool for m in p.support_menus if m.kind == kind]
            found = found or [(p, m) for p in pool for m in p.support_menus if pool is named]
            if found:
                return found
        return []

    def rank_menus(
        self, query: Query, menus: list[tuple[Programme, SupportMenu]], hit_spans: list[Span]
    ) -> list[tuple[float, Programme, SupportMenu]]:
        q = _topical(query.text)
        ranked: list[tuple[float, Programme, SupportMenu]] = []
        for programme, menu in menus:
            body = menu.name + menu.text + (menu.eligibility or "")
            own = q - bigrams(programme.name)  # the programme's name is every menu's
            score: float = len(own & bigrams(body)) + 2 * len(own & bigrams(menu.name))
            score += 0.3 * len(q & bigrams(programme.name))
            # Name pieces count outside the programme's own name (経営 of …経営革新等支援事業
            # does not name 経営改善事業支援).
            asked = squash(query.text).replace(squash(nfkc(programme.name)), "")
            if squash(menu.name) in squash(query.text):
                score += 20
            elif any(len(part) >= 2 and part in asked for part in menu_name_parts(menu.name)):
                score += 8
            if any(_overlaps(menu.lines, span) for span in hit_spans):
                score += 1
            reasons = self.profile_reasons(query.profile, menu)
            # Being a small business is decisive for menus reserved to them.
            score += sum(_SMALL_WEIGHT if r == _SMALL else 1 for r in reasons)
            ranked.append((score, programme, menu))
        ranked.sort(key=lambda t: -t[0])
        return ranked

    @staticmethod
    def profile_reasons(profile: Profile, menu: SupportMenu) -> list[str]:
        """What the asker's profile matches that the menu is reserved to (``small``, ``npo``,
        ``manufacturing``, ``welfare``), in that order."""
        body = nfkc(menu.text + (menu.eligibility or "") + menu.name)
        applies = {
            _SMALL: profile.small or profile.sole_proprietor,
            "npo": profile.npo,
            "manufacturing": profile.industry == "manufacturing",
            "welfare": profile.industry == "welfare",
        }
        catalogue = rules()
        return [
            reason
            for reason, fits in applies.items()
            if fits and catalogue.words(f"cues.menu.{reason}").found_in(body)
        ]

    def menu_fact(
        self,
        programme: Programme,
        menu: SupportMenu,
        profile: Profile,
        question: str = "",
        *,
        asks_eligibility: bool = False,
    ) -> Fact | None:
        """The menu's terms, cited; the reasons it fits the asker's ``profile`` and the need
        ``question`` describes; whom it is for when ``asks_eligibility`` and the record
        prints no eligibility (:attr:`Query.asks_eligibility`)."""
        terms = menu_terms(menu)
        raw = squash(self.citer.quoter.source.text(menu.lines))
        parts = [phrase("menu.name", menu=menu.name, programme=programme.name)]
        if terms:
            parts.append(phrase("menu.terms", terms=terms))
        elif menu.cap_yen is not None:
            parts.append(phrase("menu.cap", amount=format_yen(menu.cap_yen, menu.text)))
        main = self.citer.cite(
            menu.lines,
            [menu.name, terms[:20]],
            kind="support_menu",
            programme=programme.name,
            page=programme.page,
            exact=quoted_whole(menu.lines),
        )
        if main is None:
            return None  # its lines are in no chunk: nothing the chat could open
        citations = [main]
        # Rate, term and eligibility are often printed apart from the menu line (a box
        # 【補助率】… elsewhere in the record): cite where they are printed.
        extras = [
            (
                phrase("menu.subsidy_rate" if menu.kind == "subsidy" else "menu.loan_rate"),
                menu.rate,
            ),
            (phrase("menu.term"), menu.term),
        ]
        for label, value in extras:
            if value and squash(value) not in squash(terms):
                parts.append(phrase("menu.extra", label=label, value=nfkc(value)))
                if squash(value) not in raw:
                    extra = self._cite_in_record(programme, [label, value])
                    citations.extend([extra] if extra is not None else [])
        if menu.eligibility and squash(menu.eligibility) not in squash(terms):
            parts.append(phrase("menu.eligibility", eligibility=nfkc(menu.eligibility)))
            if squash(menu.eligibility) not in raw and programme.record_lines is not None:
                located = self.citer.quoter.locate(menu.eligibility, programme.record_lines)
                where = self.citer.cite(
                    located[1],
                    kind="support_menu",
                    programme=programme.name,
                    page=programme.page,
                    exact=True,
                )
                if where is not None:
                    citations.append(where)
        elif asks_eligibility and (what := _description(menu)):
            # 「…って使えるの?」: without a printed eligibility, the menu's own line says whom
            # it is for (市内小規模事業者の…取組に対する支援).
            parts.append(phrase("menu.description", description=what))
        reasons = [phrase(f"menu.reason.{r}") for r in self.profile_reasons(profile, menu)]
        # A need the asker describes ("展示会に出たい") is a reason; the product's own name is not.
        shared = _shared_topic(question, menu.text) if question else None
        if shared and squash(shared) not in squash(menu.name):
            reasons.append(phrase("menu.asked_need", need=shared))
        if reasons:
            parts.append(phrase("menu.reasons", reasons="、".join(reasons)))
        return Fact("".join(parts) + "。", tuple(citations), programme.name)

    def _cite_in_record(self, programme: Programme, needles: list[str]) -> Citation | None:
        span = programme.record_lines or programme.lines
        return self.citer.cite(
            span,
            needles,
            kind="support_menu",
            programme=programme.name,
            page=programme.page,
            max_lines=4,
        )
