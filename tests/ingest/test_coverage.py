"""Every line of a programme's pages reaches a chunk (nothing the assistant could answer from
is dropped by the record parsers)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from core import Settings
from ingest import ChunkKind, Corpus
from ingest.ordinance import find_ordinance_start
from ingest.pipeline import ReportIngestor
from ingest.record_layout import Line, clean_lines, is_chart_debris, is_heading
from ingest.record_parts import focus_parts
from ingest.source import SourceText
from ingest.text import normalize, strip_footer

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini_report.txt"
ORDINANCE = """
川崎市中小企業活性化条例
（目的）
第１条 この条例は、中小企業の創業の促進に関し基本理念を定めることを目的とする。
"""
WRITE_UP = """ 創業者の交流会を新たに開始

 平成 28 年度から、創業者どうしが学び合う交流会を始めました。

参加した８社のうち３社が共同で新商品を開発しました。

交流会の様子
"""
# List marks and spaces differ between a printed line and a chunk's cleaned text.
_MARKS = re.compile(r"[\s○〇◯●◎〈〉【】＊*※・]")


def _key(text: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKC", strip_footer(text)))


def lost_lines(corpus: Corpus, source: SourceText, first: int, last: int) -> list[int]:
    """Content lines ``first..last`` whose text is in no chunk.

    Not text, so never lost: page furniture (footers, sidebar labels: not content lines),
    the records' structure (band labels, KPI figure rows, budget lines: parsed into
    records), chart figures, and headings printed as a chunk's label.
    """
    # Chunks of one unit follow each other, so a line cut between two chunks still matches.
    bodies = "".join(_key(c.text.partition("\n")[2]) for c in corpus.chunks)
    labels = "\n".join(_key(c.text.partition("\n")[0]) for c in corpus.chunks)
    return [
        line.n
        for line in clean_lines(source, first, last)
        if not is_heading(line.text)
        and not is_chart_debris(source.line(line.n))
        and _key(source.line(line.n)) not in bodies
        and _key(source.line(line.n)) not in labels
    ]


def test_unheaded_write_up_after_side_labels_is_a_column_of_its_programme(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    labels_end = "平成29年度以降の対応 Action\n"
    assert labels_end in text
    report = tmp_path / "report.txt"
    report.write_text(text.replace(labels_end, labels_end + WRITE_UP) + ORDINANCE, "utf-8")
    corpus = ReportIngestor(Settings()).ingest(report)
    source = SourceText.from_path(report)
    numbers = {n for n, line in source.numbered() if "交流会" in line}

    chunks = [c for c in corpus.chunks if "共同で新商品を開発しました" in c.text]
    assert [(c.kind, c.section, c.programme) for c in chunks] == [
        (ChunkKind.SECTION, "column", "甲創業支援事業")
    ]
    assert chunks[0].title == "甲創業支援事業 創業者の交流会を新たに開始"
    assert "交流会の様子" in chunks[0].text
    lines = chunks[0].lines
    assert lines.first == min(numbers) + 2 and lines.last == max(numbers)  # below the headline
    programme = next(p for p in corpus.programmes if p.name == "甲創業支援事業")
    assert programme.record_lines is not None and programme.record_lines.last < lines.first
    assert [r.text for r in programme.responses] == ["○効果的な情報発信について検討を行う。"]
    end = find_ordinance_start(source.lines)
    assert end is not None
    assert lost_lines(corpus, source, programme.record_lines.first, end - 1) == []


def test_second_sentence_of_an_opinion_stays_with_it():
    texts = [
        "事業の実施状況 Do",
        "○セミナーの開催",
        "【川崎市産業振興協議会からの主な検証意見】",
        "○PRが重要。",
        "体験展示コーナーを設置してはどうか。",
        "【平成29年度以降の対応】",
        "○情報発信を強化する。",
    ]
    parts = focus_parts([Line(i + 1, normalize(t)) for i, t in enumerate(texts)], frozenset())
    assert [o.text for o in parts.council_opinions] == [
        "○PRが重要。体験展示コーナーを設置してはどうか。"
    ]


def test_tables_and_captions_of_a_record_are_activities():
    texts = [
        "事業の実施状況 Do",
        "○セミナーの開催",
        "【川崎市産業振興協議会からの主な検証意見】",
        "○PRが重要。",
        "【平成29年度以降の対応】",
        "○情報発信を強化する。",
        "事業名 内容",
        "交流会 参加者 14名",
        "川崎市産業振興協議会からの主な検証意見 Check",
    ]
    parts = focus_parts([Line(i + 1, normalize(t)) for i, t in enumerate(texts)], frozenset())
    assert [(a.text, a.lines.as_list()) for a in parts.activities][-1] == (
        "事業名 内容\n交流会 参加者 14名",  # one table row a line, never glued cell to cell
        [7, 8],
    )


@pytest.fixture(scope="module")
def report() -> tuple[Corpus, SourceText]:
    settings = Settings()
    return ReportIngestor(settings).ingest(), SourceText.from_path(settings.corpus)


def test_no_line_of_the_programme_pages_is_lost(report):
    corpus, source = report
    first = min(p.record_lines.first for p in corpus.programmes if p.record_lines is not None)
    end = find_ordinance_start(source.lines)
    assert end is not None
    assert lost_lines(corpus, source, first, end - 1) == []
