from __future__ import annotations

from assistant.sources import Quoter, SourceLines
from assistant.text import squash
from ingest import Span


def test_quote_is_verbatim_and_minimal(report_path):
    source = SourceLines.read(report_path)
    raw = report_path.read_text(encoding="utf-8")
    quote, window = Quoter(source).quote(Span(11, 18), ["500万円", "2/3"])
    assert quote in raw
    assert window == Span(15, 15)
    assert "２/３" in quote  # the report's own full-width form, not the normalised one


def test_quote_falls_back_to_span_start(report_path):
    source = SourceLines.read(report_path)
    quote, window = Quoter(source).quote(Span(28, 30), ["存在しない語"])
    assert window.first == 28
    assert quote in report_path.read_text(encoding="utf-8")


def test_locate_joined_sentence(report_path):
    source = SourceLines.read(report_path)
    quote, window = Quoter(source).locate(
        "市内中小企業等の研究開発力の向上や経営課題の解決に向けた取組に要する経費に対して補助金を交付します。",
        Span(7, 26),
    )
    assert window == Span(9, 10)
    assert squash(quote).startswith("市内中小企業等")


def test_locate_counts_the_sentences_own_lines_not_blank_ones(tmp_path):
    """A flattened table wraps over many lines with blank lines between: the quote must reach
    its last row, or its figures are not in the quote."""
    rows = [f"行{i}の商店会、通り商店会 {i}商店街" for i in range(1, 9)]
    path = tmp_path / "table.txt"
    path.write_text("\n\n".join(rows) + "\n", encoding="utf-8")
    source = SourceLines.read(path)
    quote, window = Quoter(source).locate("".join(rows), Span(1, 15))
    assert window == Span(1, 15)
    assert "8商店街" in quote


def test_a_chart_rows_title_figure_is_quoted_from_the_title_printed_above_it() -> None:
    from assistant.citing import Citer, supported  # noqa: PLC0415 - this test's only
    from ingest import Chunk, ChunkKind, Corpus  # noqa: PLC0415

    lines = ["【３年前の経営状況】 【今後５年間の経営展望】", "", "好転する", "147", "17.6%"]
    row = "【今後5年間の経営展望】好転する: 147件(17.6%)"
    chart = Chunk("c-chart", ChunkKind.SECTION, row, Span(3, 5), section="survey")
    citer = Citer(Corpus("r.txt", "0" * 64, (), (), (), (chart,)), Quoter(SourceLines(lines)))
    values = citer.cite_chunk_sentence(chart, row)
    assert not supported(row, (values,))  # 5 (今後5年間) is no figure of the chart's lines
    values_and_title = citer.with_title(chart, row, (values,))
    assert values_and_title[0] == values and supported(row, values_and_title)
    title = values_and_title[1]
    assert title.id == chart.id and title.lines == Span(1, 1) and title.quote == lines[0]
    # Text that is no chart row, or already supported, gets no further citation.
    plain = "好転する: 147件(17.6%)"
    assert citer.with_title(chart, plain, (values,)) == (values,)
