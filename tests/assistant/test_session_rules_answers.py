"""This session's passage-choice and decline rules, seen through the composer and scorer
on the tiny corpus (tests/assistant/conftest.py) and chunks built here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant import Assistant
from assistant.models import Intent
from assistant.sentence_scoring import SentenceScorer
from assistant.sources import SourceLines
from assistant.words import ContentWords
from core import Settings
from index import Hit
from ingest import Chunk, ChunkKind, Corpus, Span

from .conftest import REPORT, FakeSearcher


def _before_pointer(text: str) -> str:
    return text.split("報告書に記載があるのは", maxsplit=1)[0]


def _hits(corpus: Corpus) -> list[Hit]:
    return [Hit(c, 1.0, i + 1) for i, c in enumerate(corpus.chunks)]


# -- 5. an indicator's own fields are the record's ------------------------------------------


def test_kpi_field_ask_is_answered_by_the_record_over_a_wordier_passage(
    corpus: Corpus, fake_searcher_cls: type[FakeSearcher], tmp_path: Path
) -> None:
    # An activity sentence that shares more of the question's words than the indicator does.
    wordy = (
        "産学共同研究開発プロジェクト支援では、大学と連携した産学共同研究開発プロジェクトの"
        "目標と実績を検証し、支援の件数を増やすため説明会を開きました。"
    )
    report = tmp_path / "tiny.txt"
    report.write_text(f"{REPORT}{wordy}\n", encoding="utf-8")
    line = len(REPORT.splitlines()) + 1
    mono = dataclasses.replace(corpus.programmes[0], record_lines=Span(7, line))
    activity = Chunk(
        "c-act", ChunkKind.ACTIVITIES, wordy, Span(line, line), 27, mono.name, fiscal_years=(2016,)
    )
    corpus = dataclasses.replace(
        corpus, programmes=(mono, *corpus.programmes[1:]), chunks=(*corpus.chunks, activity)
    )
    settings = Settings(corpus_path=report, store_dir=tmp_path / "store", embedder="hash")
    assistant = Assistant(
        corpus, fake_searcher_cls(corpus), settings, SourceLines.read(settings.corpus)
    )
    a = assistant.ask("大学と連携した産学共同研究開発プロジェクト支援の目標は達成できた？")
    assert a.answerable
    first = a.answer.splitlines()[0]
    assert "産学共同研究開発プロジェクト支援の件数" in first and "実績2件" in first


# -- 7. booking needs its own evidence -------------------------------------------------------


def test_booking_without_evidence_is_declined_with_a_pointer(assistant: Assistant) -> None:
    a = assistant.ask("海外展開支援事業の相談は予約が必要？")
    assert not a.answerable
    head = _before_pointer(a.answer)
    assert "予約" in head and "報告書には記載がありません" in head
    assert "KOBS" in a.answer  # the pointer to the desk the report names


# -- 8. a programme spelled in full scopes the passages ---------------------------------------


def test_spelled_programme_keeps_only_its_own_passages(
    assistant: Assistant, corpus: Corpus
) -> None:
    composer = assistant.composer
    programmes = list(corpus.programmes)
    hits = _hits(corpus)
    spelled = "海外展開支援事業で支援を受けた件数は？"
    parse = assistant.parser.parse
    query = dataclasses.replace(parse(spelled), intent=Intent.KPI, programmes=("p-kobs",))
    own = composer.choice.own_hits(query, programmes, hits)
    assert own and {h.chunk.programme for h in own} == {"海外展開支援事業"}
    # Found through the asker's own word, the programme is no restriction.
    loose = "海外で支援を受けた件数は？"
    query = dataclasses.replace(parse(loose), intent=Intent.KPI, programmes=("p-kobs",))
    assert composer.choice.own_hits(query, programmes, hits) == hits
    # The ordinance is not any programme's passage.
    query = dataclasses.replace(parse(spelled), intent=Intent.ORDINANCE, programmes=("p-kobs",))
    assert composer.choice.own_hits(query, programmes, hits) == hits


# -- 9. an asked year the passages do not speak of ---------------------------------------------


def test_years_of_are_the_chunks_years_and_the_years_their_text_names(
    assistant: Assistant, corpus: Corpus
) -> None:
    kobs = next(c for c in corpus.chunks if c.id == "c-kobs")
    assert assistant.composer._years_of([Hit(kobs, 1.0, 1)]) == (2016,)
    named = Chunk("c-x", ChunkKind.SECTION, "平成27年度は相談会を3回開きました。", Span(1, 1))
    assert 2015 in assistant.composer._years_of([Hit(named, 1.0, 1)])


def test_a_year_no_passage_speaks_of_is_declined(assistant: Assistant) -> None:
    # The report speaks of 平成29年度 elsewhere (a budget), but not in this record.
    a = assistant.ask("平成29年度の海外展開支援事業の内容は？")
    assert not a.answerable
    assert "ご質問の年度" in _before_pointer(a.answer)
    covered = assistant.ask("平成28年度の海外展開支援事業の内容は？")
    assert covered.answerable and "KOBS" in covered.answer


# -- 10. an explicit value ask without that value -----------------------------------------------


def test_count_asked_of_passages_without_a_count_is_declined(assistant: Assistant) -> None:
    # 何団体 is no "count" attribute cue: only the explicit-value rule sees the ask.
    a = assistant.ask("海外展開支援事業で支援した中小企業は何団体？")
    assert not a.answerable
    assert "件数・人数" in _before_pointer(a.answer)


# -- 11. a named sum the report never mentions ---------------------------------------------------


def test_unknown_named_sum_is_declined_though_a_limit_is_nearby(assistant: Assistant) -> None:
    a = assistant.ask("小規模事業資金のお祝い金っていくら？")
    assert not a.answerable
    head = _before_pointer(a.answer)
    assert "「お祝い金」" in head and "300万円" not in head


def test_a_sum_the_report_names_is_answered(assistant: Assistant) -> None:
    a = assistant.ask("ものづくり中小企業経営革新等支援事業の補助金っていくら？")
    assert a.answerable
    assert "万円" in a.answer


# -- 12. year of the chunk, figure of the note ----------------------------------------------------


def _scores(corpus: Corpus, question: str, chunks: list[Chunk], lead: str) -> dict[str, float]:
    """Each chunk's best score for its sentence starting with ``lead``."""
    scorer = SentenceScorer(corpus, ContentWords())
    hits = [Hit(c, 1.0, 1) for c in chunks]  # same rank: only the text and year differ
    scored, _ = scorer.score(question, hits)
    out: dict[str, float] = {}
    for s in scored:
        if s.clean.startswith(lead):
            out.setdefault(s.hit.chunk.id, s.score)
    return out


def _chunk(cid: str, text: str, years: tuple[int, ...]) -> Chunk:
    return Chunk(cid, ChunkKind.PLAN, text, Span(1, 2), fiscal_years=years)


def test_a_yearless_sentence_takes_its_chunks_year(corpus: Corpus) -> None:
    text = "交流会を開催して市内事業者の販路開拓を支援します。"
    chunks = [_chunk("next", text, (2017,)), _chunk("this", text, (2016,))]
    asked = _scores(corpus, "平成29年度は交流会を開催しますか？", chunks, "交流会")
    assert asked["next"] > asked["this"]
    asked = _scores(corpus, "平成28年度は交流会を開催しましたか？", chunks, "交流会")
    assert asked["this"] > asked["next"]
    unasked = _scores(corpus, "交流会を開催しますか？", chunks, "交流会")
    assert unasked["next"] == unasked["this"]


def test_a_bullets_note_counts_its_figure(corpus: Corpus) -> None:
    chunks = [
        _chunk("figure", "・中学校で出前授業を実施\n(市立中学校5校)", (2016,)),
        _chunk("plain", "・中学校で出前授業を実施\n(市立中学校にて)", (2016,)),
    ]
    scores = _scores(corpus, "出前授業は何校で実施した？", chunks, "中学校で")
    assert scores["figure"] > scores["plain"]
