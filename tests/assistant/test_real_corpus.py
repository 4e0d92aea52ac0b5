"""The assistant on the bundled report (ingested once per module; a bigram fake searcher)."""

from __future__ import annotations

import pytest

from assistant import Assistant, Intent
from assistant.sources import SourceLines
from assistant.text import numbers_in, quoted_numbers
from core import Settings
from ingest import load_corpus


@pytest.fixture(scope="module")
def real(tmp_path_factory, fake_searcher_cls):
    settings = Settings(store_dir=tmp_path_factory.mktemp("store"), embedder="hash")
    corpus = load_corpus(settings)
    if not corpus.programmes:
        pytest.skip("programme records not available from ingest yet")
    bot = Assistant(corpus, fake_searcher_cls(corpus), settings, SourceLines.read(settings.corpus))
    return bot, settings.corpus.read_text(encoding="utf-8")


def _grounded(answer, raw):
    quoted = {n for c in answer.citations for n in quoted_numbers(c.quote)}
    assert set(numbers_in(answer.answer)) <= quoted
    assert all(c.quote and c.quote in raw for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("産学共同研究開発プロジェクト支援の補助上限と補助率は？", ("500万円", "2/3")),
        ("小規模事業資金（ミニ）の利率と返済期間は？", ("1.3%", "4年以内")),
        ("起業化総合支援事業の平成28年度予算は？", ("10,220千円",)),
        ("条例第14条の見出しは？", ("研究及び開発の支援",)),
        # An ordinance's enforcement date is in its 附則, which names no 施行日 itself.
        ("この条例っていつから施行されてるの？", ("平成28年4月1日",)),
    ],
)
def test_answers_hold_report_figures(real, question, facts):
    bot, raw = real
    answer = bot.ask(question)
    assert answer.answerable
    for fact in facts:
        assert fact in answer.answer
    _grounded(answer, raw)


@pytest.mark.parametrize(
    "question",
    [
        "川崎市産業振興財団の電話番号を教えてください。",
        "起業化総合支援事業の平成30年度予算は？",
        # The report breaks down another figure by industry (業況DI), not the bankruptcies.
        "平成28年度に市内で倒産した企業の業種別の内訳は？",
        # Nor does it give the bankruptcies of one industry only.
        "市内の倒産件数って、そのうち製造業は何件？",
        # Counts of consultations sent are results, not a limit per firm.
        "無料コンサルティングの派遣は1社あたり何回まで使える？",
        # Its record states no cap: another programme's menu is no answer, nor its budget.
        "福祉製品の補助の上限額は？",
    ],
)
def test_absent_facts_are_declined_with_pointer(real, question):
    bot, raw = real
    answer = bot.ask(question)
    assert not answer.answerable
    assert "報告書には記載がありません" in answer.answer
    assert answer.citations
    _grounded(answer, raw)


def test_a_question_naming_two_indicators_gets_both(real):
    bot, raw = real
    programme = next(p for p in bot.corpus.programmes if len(p.kpis) >= 3)
    short, *_, long = sorted((k.indicator for k in programme.kpis), key=len)
    answer = bot.ask(f"{programme.name}の{short}及び{long}について、目標と実績を示されたい。")
    assert answer.answerable
    assert short in answer.answer and long in answer.answer
    _grounded(answer, raw)


def test_acronym_alias_from_corpus(real):
    bot, _ = real
    query = bot.parser.parse("KBICってどんな施設？")
    names = [bot.composer.records.by_id[p].name for p in query.programmes]
    assert names and "新産業創造支援事業" in names[0]
    assert query.intent in (Intent.PROGRAMME, Intent.CONTACT)


@pytest.mark.slow
def test_build_assistant_with_real_index(tmp_path):
    """The whole stack: ingest → hybrid index (hash embedder) → grounded answer."""
    from assistant import build_assistant  # noqa: PLC0415

    settings = Settings(store_dir=tmp_path / "store", embedder="hash")
    bot = build_assistant(settings)
    raw = settings.corpus.read_text(encoding="utf-8")
    first = bot.ask("ものづくり中小企業経営革新等支援事業の産学共同研究の補助上限は？", "chat")
    assert "500万円" in first.answer
    follow = bot.ask("その補助率は？", "chat")
    assert "2/3" in follow.answer
    declined = bot.ask("起業家オーディションの応募締切はいつ？")
    assert not declined.answerable and declined.citations
    for answer in (first, follow, declined):
        _grounded(answer, raw)
