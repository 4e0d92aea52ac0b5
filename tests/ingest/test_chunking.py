"""Chunks of the real report and the splitting rules."""

from __future__ import annotations

import re
import unicodedata

import pytest

from core import Settings
from ingest import Chunk, ChunkKind, Corpus
from ingest.chunking import Chunker, fiscal_years
from ingest.models import Article, ArticleParagraph, Section, Span
from ingest.pipeline import ReportIngestor
from ingest.sections import SECTION_KEYS
from ingest.source import SourceText
from ingest.sudachi import MAX_INPUT_BYTES, split_sentences
from ingest.text import join_wrapped, normalize, sidebar_lines


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return ReportIngestor(Settings()).ingest()


@pytest.fixture(scope="module")
def source() -> SourceText:
    return SourceText.from_path(Settings().corpus)


def test_every_unit_has_chunks(corpus):
    kinds = {c.kind for c in corpus.chunks}
    assert {ChunkKind.ARTICLE, ChunkKind.SECTION} <= kinds
    if corpus.programmes:
        assert {ChunkKind.PROGRAMME_ROW, ChunkKind.PLAN, ChunkKind.BUDGET} <= kinds
        names = {c.programme for c in corpus.chunks if c.programme}
        assert names == {p.name for p in corpus.programmes}
    assert {c.article for c in corpus.chunks if c.kind == ChunkKind.ARTICLE} == set(range(26))
    assert {c.section for c in corpus.chunks if c.kind == ChunkKind.SECTION} == set(SECTION_KEYS)


def test_ids_unique_and_deterministic(corpus):
    ids = [c.id for c in corpus.chunks]
    assert len(set(ids)) == len(ids)
    again = Chunker(420, 40).chunk(corpus)
    assert [c.id for c in again] == ids


def test_chunk_text_starts_with_context_label(corpus):
    article = next(c for c in corpus.chunks if c.kind == ChunkKind.ARTICLE and c.article == 15)
    assert article.text.startswith("条例 第15条(経営基盤の強化及び小規模企業者の事情の考慮)\n")
    for chunk in corpus.chunks:
        label, _, body = chunk.text.partition("\n")
        assert label and body.strip(), chunk.id
        if chunk.programme and chunk.kind != ChunkKind.SECTION:
            assert label.startswith(chunk.programme + " ― ")


def test_no_footer_no_number_split_by_space(corpus):
    for chunk in corpus.chunks:
        text = chunk.text
        assert not re.search(r"(^|\n)\s*-\s*\d{1,3}\s*-\s*($|\n)", text), chunk.id
        assert not re.search(r"\d\s+[.,]\s*\d|\d[.,]\s+\d", text), (chunk.id, text)
        assert not re.search(r"(平成|令和|第)\s+\d", text), (chunk.id, text)


def test_no_sidebar_label_in_chunks(corpus, source):
    runs: list[list[int]] = []
    for number in sorted(sidebar_lines(source.lines)):
        if runs and number - runs[-1][-1] <= 2:
            runs[-1].append(number)
        else:
            runs.append([number])
    body = normalize(join_wrapped(line for n, line in source.numbered() if n not in source.noise))
    labels = {normalize("".join(source.line(n).strip() for n in run)) for run in runs}
    checked = 0
    for label in labels:
        if len(label) < 3 or label in body:
            continue  # a label that is also real text (an article title) may appear
        checked += 1
        assert not any(label in c.text for c in corpus.chunks), label
    assert checked >= 3


def test_chunk_sizes(corpus):
    for chunk in corpus.chunks:
        body = chunk.text.partition("\n")[2]
        if len(chunk.text) > 420:
            # only a single sentence (without list markers) may exceed the limit
            assert len(split_sentences(body)) == 1, chunk.text
            assert not re.search(r".[○・【]", body), chunk.text


def test_columns_link_to_their_programme(corpus):
    columns = [c for c in corpus.chunks if c.section == "column"]
    assert columns
    assert corpus.programmes  # a parser regression must fail here, not skip
    linked = {c.programme for c in columns if c.programme}
    assert "かわさきブランド推進事業" in linked
    assert all(c.title.startswith(c.programme) for c in columns if c.programme)


def test_programme_chunks_default_to_the_report_year(corpus):
    assert corpus.programmes  # a parser regression must fail here, not skip
    for chunk in corpus.chunks:
        if chunk.kind == ChunkKind.ACTION:
            assert 2017 in chunk.fiscal_years  # 「平成29年度以降の対応」
        elif chunk.programme and chunk.kind != ChunkKind.SECTION:
            assert chunk.fiscal_years, chunk.id


def test_chunk_metadata(corpus):
    for chunk in corpus.chunks:
        assert chunk.lines.first <= chunk.lines.last
        if chunk.kind == ChunkKind.SECTION:
            assert chunk.section in SECTION_KEYS
    survey = [c for c in corpus.chunks if c.section == "survey"]
    assert any(2017 in c.fiscal_years for c in survey)


def _article(text: str) -> Article:
    return Article(
        id="a1",
        number=3,
        title="テスト",
        paragraphs=(ArticleParagraph(1, text),),
        page=None,
        lines=Span(1, 2),
    )


def test_long_unit_split_between_sentences():
    sentences = [f"これは{n}番目の文で、金額は1,500万円、利率は年1.3%以内です。" for n in range(30)]
    corpus = Corpus("t.txt", "0", (), (_article("".join(sentences)),), ())
    chunks = Chunker(max_chars=120, min_chars=20).chunk(corpus)
    assert len(chunks) > 3
    bodies = [c.text.partition("\n")[2] for c in chunks]
    assert all(len(c.text) <= 120 for c in chunks)
    assert all(b.endswith("。") for b in bodies)
    assert "".join(b.replace("\n", "") for b in bodies) == "".join(sentences)
    assert len({c.id for c in chunks}) == len(chunks)


def test_short_tail_merges_into_previous_piece():
    text = "あ" * 70 + "。" + "い" * 70 + "。" + "短い。"
    corpus = Corpus("t.txt", "0", (), (_article(text),), ())
    chunks = Chunker(max_chars=100, min_chars=10).chunk(corpus)
    assert chunks[-1].text.endswith("い。\n短い。")


def test_section_chunks_carry_section_and_years():
    section = Section("s", "survey", "調査", "平成29年8月の調査。有効回答837件。", 3, Span(5, 9))
    (chunk,) = Chunker().chunk(Corpus("t.txt", "0", (), (), (section,)))
    assert isinstance(chunk, Chunk)
    assert chunk.section == "survey" and chunk.page == 3 and chunk.fiscal_years == (2017,)
    assert chunk.text == "調査\n平成29年8月の調査。有効回答837件。"


def test_fiscal_years():
    assert fiscal_years("平成28年度予算と29年度予算") == (2016, 2017)
    assert fiscal_years("2015(27)年度 2016(28)年度") == (2015, 2016)
    assert fiscal_years("1,500万円") == ()


def test_sentence_splitter_handles_sudachi_limit():
    text = "これは長い文章です。" * 6000
    assert len(text.encode("utf-8")) > MAX_INPUT_BYTES
    sentences = split_sentences(text)
    assert "".join(sentences) == text
    assert all(s.endswith("。") for s in sentences)


def test_sentence_splitter_keeps_numbers_and_quotes():
    text = unicodedata.normalize("NFKC", "限度額は1,500万円。「相談窓口。」を開設した。利率1.3%")
    assert split_sentences(text) == [
        "限度額は1,500万円。",
        "「相談窓口。」を開設した。",
        "利率1.3%",
    ]
