"""Facts read from typed records: support menus, contacts, budgets, KPIs, ordinance articles."""

from __future__ import annotations

import re

from assistant.citing import Citer, Fact
from assistant.lexicon import expand
from assistant.models import Citation
from assistant.text import bigrams, nfkc, squash
from assistant.understanding import Profile, Query
from assistant.words import ContentWords
from ingest import Budget, Corpus, Programme, Span, SupportMenu

__all__ = ["RecordFacts", "format_yen", "menu_name_parts", "menu_terms"]

_TERM_SEGMENT = re.compile(r"[、。()（）\n]")
# 「1,500千円 増」; 「1,371千円 増減なし」 is no change, not an increase of the budget itself.
_CHANGE = re.compile(r"\d[\d,]*\s*千円\s*[増減](?!減|なし)|増減なし")
_EXACT_QUOTE_LINES = 40
_KPI_MIN_OVERLAP = 3
# Counting words every indicator has: sharing only these says nothing about which one.
# Verbs a follow-up asks with ("28年度はどれくらい支援したの?"): no topic of their own.
_ASK_WORDS = frozenset(["支援", "実施", "利用", "使う", "行う", "やる", "有る", "出来る"])
_KPI_NOISE = bigrams("件数人数回数実施数開催数目標実績年度どれくらいどのくらい何件何人何回")
_SMALL_WEIGHT = 20
# Words every subsidy/loan text shares: they say nothing about which menu fits.
_GENERIC = bigrams(
    "補助金助成支援事業中小企業市内制度融資資金使えるありますか対象経費以内"
)  # record spans up to this long are quoted whole


_TOPIC_NOUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{2,}")
# The fields every menu states: asking for one is not a reason the menu fits.
_MENU_FIELD_WORDS = (
    *("上限", "限度", "利率", "金利", "補助率", "助成率", "期間", "対象", "条件", "金額"),
)


def _shared_topic(question: str, text: str) -> str | None:
    """The longest topical word the question shares with a menu (why the menu fits)."""
    q, t = squash(question), squash(text)
    best = ""
    for i in range(len(q)):
        for j in range(i + len(best) + 1, len(q) + 1):
            piece = q[i:j]
            if piece not in t:
                break
            if not re.search(r"[\d()、。]", piece) and not (bigrams(piece) <= _GENERIC):
                best = piece
    best = best.strip("のはがをにでともへや")  # a particle is not part of the topic
    # A need is a noun (展示会, 海外): a verb ending (する) or the asked field (上限) is not.
    if not _TOPIC_NOUN.fullmatch(best) or any(f in best for f in _MENU_FIELD_WORDS):
        return None
    return best


def menu_name_parts(name: str) -> list[str]:
    """The distinctive bracketed part of a product name, e.g. ミニ in 小規模事業資金(ミニ)."""
    return [squash(p) for p in re.findall(r"[(（]([^)）]+)[)）]", nfkc(name))]


def _overlaps(a: Span, b: Span) -> bool:
    return a.first <= b.last and b.first <= a.last


def _small(span: Span) -> bool:
    return span.last - span.first < _EXACT_QUOTE_LINES


def format_yen(yen: int, quote: str) -> str:
    """The amount as the report prints it near the quote (千円 tables, 万円 prose)."""
    flat = squash(quote)
    candidates = []
    if yen % 1000 == 0:
        candidates.append(f"{yen // 1000:,}千円")
    if yen % 10_000 == 0:
        man = yen // 10_000
        if man >= 10_000 and man % 10_000 == 0:
            candidates.append(f"{man // 10_000}億円")
        candidates.append(f"{man:,}万円")
    candidates.append(f"{yen:,}円")
    for candidate in candidates:
        if squash(candidate) in flat:
            return candidate
    return candidates[0]


def menu_terms(menu: SupportMenu) -> str:
    """The conditions as the record states them: the segments of its text carrying figures."""
    text = nfkc(menu.text)
    segments = [s.strip() for s in _TERM_SEGMENT.split(text) if re.search(r"\d", s)]
    segments = [s for s in segments if squash(s) != squash(menu.name)]
    return "、".join(dict.fromkeys(segments))


class RecordFacts:
    """Turns typed records into cited answer sentences."""

    def __init__(self, corpus: Corpus, citer: Citer) -> None:
        self.corpus = corpus
        self.citer = citer
        self.words = ContentWords()
        self.by_id = {p.id: p for p in corpus.programmes}
        # Chunks and citations name their programme; ids are accepted too.
        self.by_key = {**{p.name: p for p in corpus.programmes}, **self.by_id}

    # -- support menus ------------------------------------------------------------------
    def menus(
        self, kind: str, programmes: tuple[str, ...], question: str = ""
    ) -> list[tuple[Programme, SupportMenu]]:
        named = [self.by_id[p] for p in programmes if p in self.by_id]
        # A programme the question calls by its full name answers for itself: another
        # programme's menu is not its cap or rate. (A programme found through a word the
        # asker uses about their own business is no such restriction.)
        flat = squash(nfkc(question))
        spelled = any(squash(nfkc(p.name)) in flat for p in named)
        pools = (named,) if spelled else (named, list(self.corpus.programmes))
        for pool in pools:
            found = [(p, m) for p in pool for m in p.support_menus if m.kind == kind]
            found = found or [(p, m) for p in pool for m in p.support_menus if pool is named]
            if found:
                return found
        return []

    def rank_menus(
        self, query: Query, menus: list[tuple[Programme, SupportMenu]], hit_spans: list[Span]
    ) -> list[tuple[float, Programme, SupportMenu]]:
        q = bigrams(query.text) - _GENERIC
        ranked: list[tuple[float, Programme, SupportMenu]] = []
        for programme, menu in menus:
            body = menu.name + menu.text + (menu.eligibility or "")
            score: float = len(q & bigrams(body)) + 2 * len(q & bigrams(menu.name))
            score += 0.3 * len(q & bigrams(programme.name))
            if squash(menu.name) in squash(query.text):
                score += 20
            elif any(
                len(part) >= 2 and part in squash(query.text) for part in menu_name_parts(menu.name)
            ):
                score += 8
            if any(_overlaps(menu.lines, span) for span in hit_spans):
                score += 1
            reasons = self.profile_reasons(query.profile, menu)
            # Being a small business is decisive for menus reserved to them.
            score += sum(_SMALL_WEIGHT if r.startswith("小規模") else 1 for r in reasons)
            ranked.append((score, programme, menu))
        ranked.sort(key=lambda t: -t[0])
        return ranked

    @staticmethod
    def profile_reasons(profile: Profile, menu: SupportMenu) -> list[str]:
        body = nfkc(menu.text + (menu.eligibility or "") + menu.name)
        reasons = []
        if (profile.small or profile.sole_proprietor) and "小規模" in body:
            reasons.append("小規模事業者が対象")
        if profile.npo and ("NPO" in body or "コミュニティビジネス" in body):
            reasons.append("NPO等も対象")
        if profile.industry == "manufacturing" and any(
            w in body for w in ("ものづくり", "製造", "製品", "技術")
        ):
            reasons.append("ものづくり・製品開発が対象")
        if profile.industry == "welfare" and "福祉" in body:
            reasons.append("福祉分野が対象")
        return reasons

    def menu_fact(
        self, programme: Programme, menu: SupportMenu, profile: Profile, question: str = ""
    ) -> Fact:
        terms = menu_terms(menu)
        raw = squash(self.citer.quoter.source.text(menu.lines))
        parts = [f"{menu.name}（{programme.name}）"]
        if terms:
            parts.append(f"：{terms}")
        elif menu.cap_yen is not None:
            parts.append(f"：上限{format_yen(menu.cap_yen, menu.text)}")
        citations = [
            self.citer.cite(
                menu.lines,
                [menu.name, terms[:20]],
                kind="support_menu",
                programme=programme.name,
                page=programme.page,
                exact=_small(menu.lines),
            )
        ]
        # Rate, term and eligibility are often printed apart from the menu line (a box
        # 【補助率】… elsewhere in the record): cite where they are printed.
        extras = [
            ("補助率" if menu.kind == "subsidy" else "利率", menu.rate),
            ("期間", menu.term),
        ]
        for label, value in extras:
            if value and squash(value) not in squash(terms):
                parts.append(f"、{label}{nfkc(value)}")
                if squash(value) not in raw:
                    citations.append(self._cite_in_record(programme, [label, value]))
        if menu.eligibility and squash(menu.eligibility) not in squash(terms):
            parts.append(f"。対象：{nfkc(menu.eligibility)}")
            if squash(menu.eligibility) not in raw and programme.record_lines is not None:
                located = self.citer.quoter.locate(menu.eligibility, programme.record_lines)
                citations.append(
                    self.citer.cite(
                        located[1],
                        kind="support_menu",
                        programme=programme.name,
                        page=programme.page,
                        exact=True,
                    )
                )
        reasons = self.profile_reasons(profile, menu)
        # A need the asker describes ("展示会に出たい") is a reason; the product's own name is not.
        shared = _shared_topic(question, menu.text) if question else None
        if shared and squash(shared) not in squash(menu.name):
            reasons.append(f"ご質問の「{shared}」に対応")
        if reasons:
            parts.append(f"（ご質問の事業者に合う点：{'、'.join(reasons)}）")
        return Fact("".join(parts) + "。", tuple(citations), programme.name)

    def _cite_in_record(self, programme: Programme, needles: list[str]) -> Citation:
        span = programme.record_lines or programme.lines
        return self.citer.cite(
            span,
            needles,
            kind="support_menu",
            programme=programme.name,
            page=programme.page,
            max_lines=4,
        )

    # -- contacts -------------------------------------------------------------------------
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

    # -- budget and KPIs ----------------------------------------------------------------
    def budget_facts(
        self, programme: Programme, years: tuple[int, ...], compare: bool = False
    ) -> list[Fact]:
        budget: Budget | None = programme.budget
        if budget is None:
            return []
        raw = self.citer.quoter.source.text(budget.lines)
        flat = squash(raw)
        # Short records print 「平成28年度の実績」「平成29年度の概要」 instead of 予算/決算.
        actual = "平成28年度決算（見込）" if "決算" in flat else "平成28年度の実績"
        planned = (
            "平成29年度の概要" if "概要" in flat and "29年度予算" not in flat else "平成29年度予算"
        )
        rows = [
            (2016, "平成28年度予算", budget.fy2016_budget),
            (2016, actual, budget.fy2016_actual),
            (2017, planned, budget.fy2017_budget),
        ]
        wanted = [r for r in rows if r[2] is not None and (compare or not years or r[0] in years)]
        if not wanted:
            return []
        amounts = [(label, format_yen(v, raw)) for _, label, v in wanted if v is not None]
        change = _CHANGE.search(nfkc(raw))
        if change and budget.fy2017_budget is not None and any(y == 2017 for y, _, _ in wanted):
            delta = change.group(0).replace(" ", "")
            label = "前年度予算から" if delta == "増減なし" else "前年度予算からの増減"
            amounts.append((label, delta))
        citation = self.citer.cite(
            budget.lines,
            [a for _, a in amounts],
            kind="budget",
            programme=programme.name,
            page=programme.page,
            exact=_small(budget.lines),
        )
        body = "、".join(f"{label}は{amount}" for label, amount in amounts)
        return [Fact(f"{programme.name}の{body}です。", (citation,), programme.name)]

    def kpi_matches(self, programme: Programme, query: Query) -> bool:
        """Whether one of the programme's indicators is what the question asks about."""
        # The question's own words decide; a follow-up without topic words leans on the
        # conversation (query.text holds the previous turn too).
        topic = self.words(nfkc(query.question)) - _ASK_WORDS
        # The everyday words' report terms count too (泊まった → 宿泊).
        q = bigrams(expand(nfkc(query.question))) if topic else bigrams(query.text)
        q = q - _KPI_NOISE - bigrams(programme.name)
        return any(len(q & bigrams(k.indicator)) >= _KPI_MIN_OVERLAP for k in programme.kpis)

    def kpi_facts(
        self, programme: Programme, query: Query, limit: int = 4, named: bool = True
    ) -> list[Fact]:
        if not programme.kpis:
            return []
        # The programme's own name is shared by all its indicators: it ranks none of them.
        q = bigrams(query.text) - bigrams(programme.name)
        ranked = sorted(programme.kpis, key=lambda k: -len(q & bigrams(k.indicator)))
        best = len(q & bigrams(ranked[0].indicator))
        if not named and best < _KPI_MIN_OVERLAP:
            return []  # a programme only guessed from search hits must match the indicator
        chosen = (
            [k for k in ranked if len(q & bigrams(k.indicator)) == best] if best >= 3 else ranked
        )
        facts = []
        for kpi in chosen[:limit]:
            unit = kpi.unit or ""
            bits = []
            if kpi.target:
                bits.append(f"目標{kpi.target}{unit}")
            if kpi.fy2016:
                bits.append(f"平成28年度実績{kpi.fy2016}{unit}")
            if kpi.fy2015:
                bits.append(f"平成27年度実績{kpi.fy2015}{unit}")
            if not bits:
                continue
            values = [v for v in (kpi.target, kpi.fy2016, kpi.fy2015) if v]
            citation = self.citer.cite(
                kpi.lines,
                [kpi.indicator[:10], *values],
                kind="kpi",
                programme=programme.name,
                page=programme.page,
                exact=_small(kpi.lines),
            )
            facts.append(
                Fact(
                    f"{programme.name}の「{nfkc(kpi.indicator)}」：{'、'.join(bits)}。",
                    (citation,),
                    programme.name,
                )
            )
        return facts
