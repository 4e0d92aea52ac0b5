"""Sentence selection: asked value, lead/detail lines, years, totals, follow-up focus."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.models import Citation
from assistant.passages import PassageFacts, asked_value, window
from index import Hit
from ingest import Chunk, ChunkKind, Span


@dataclass
class _Corpus:
    chunks: tuple[Chunk, ...] = field(default=())


class _Citer:
    """Quotes the sentence itself: these tests are about choosing, not quoting."""

    def __init__(self, chunks: tuple[Chunk, ...]) -> None:
        self.corpus = _Corpus(chunks)

    def cite_chunk_sentence(self, chunk: Chunk, sentence: str) -> Citation:
        return Citation(chunk.id, str(chunk.kind), sentence, chunk.lines)

    def with_title(
        self, chunk: Chunk, text: str, citations: list[Citation]
    ) -> tuple[Citation, ...]:
        return tuple(citations)


def _facts(texts: list[str], question: str, focus: str | None = None) -> list[str]:
    chunks = tuple(
        Chunk(f"c{i}", ChunkKind.ACTIVITIES, text, Span(i + 1, i + 1), programme="P")
        for i, text in enumerate(texts)
    )
    hits = [Hit(c, 1.0, i + 1) for i, c in enumerate(chunks)]
    found, _ = PassageFacts(_Citer(chunks)).facts(question, hits, focus=focus)  # type: ignore[arg-type]
    return [f.text for f in found]


def test_asked_value_kinds() -> None:
    assert asked_value("相談は年間何件ありますか")[0] == "figure"  # type: ignore[index]
    assert asked_value("補助の上限はいくら？")[0] == "amount"  # type: ignore[index]
    assert asked_value("この事業の概要は？") is None
    # A bracketed qualifier names the subject: 1,000万円 does not make it an amount ask.
    kind = asked_value("平成28年度の倒産件数（負債総額1,000万円以上）は？")
    assert kind is not None and kind[0] == "figure"
    # Two asks in one question: a sentence holding either value qualifies.
    both = asked_value("AIRBICは誰が整備していつ開くの？")
    assert both is not None
    assert both[1].search("大和ハウス工業(株)が整備") and both[1].search("平成30年度に開設")


def test_heading_brings_its_figure_line() -> None:
    text = (
        "かわさき市民祭り(平成28年11月4日開催)\n"
        "○川崎区の公園一帯で開催され、3日間で575,000人が来場。"
    )
    facts = _facts([text], "かわさき市民祭りって、どのくらい人が来るの？")
    assert facts and "575,000人" in facts[0] and "市民祭り" in facts[0]


def test_summary_sentence_brings_its_sub_bullets() -> None:
    text = (
        "製品の活用を促進し、福祉サービスの高度化を図りました。\n"
        "・福祉製品の導入促進に向けた出張PR 28件"
    )
    facts = _facts([text], "福祉サービスの高度化で何をしたの？")
    assert facts and "28件" in facts[0]


def test_sentence_of_the_asked_year_wins() -> None:
    text = (
        "市内の倒産件数は平成23年度以降減少が続き、平成27年度は最も少ない64件となりました。"
        "しかし、平成28年度は81件へと増加しています。"
    )
    facts = _facts([text], "平成28年度の市内の倒産件数は？")
    assert facts and "81件" in facts[0]


def test_total_row_answers_a_general_ask() -> None:
    rows = "\n".join(
        [
            "A 農業: 回答件数 3, 発送件数 12, 回答率 25.0%",
            "B 建設業: 回答件数 89, 発送件数 468, 回答率 19.0%",
            "合計: 回答件数 837, 発送件数 4,918, 回答率 17.0%",
        ]
    )
    facts = _facts([rows], "アンケートの回答率は？")
    assert facts and "17.0%" in facts[0]


def test_follow_up_focus_weighs_the_latest_turn() -> None:
    texts = [
        "「キャリアサポートかわさき」による就職に関する総合相談を実施しました。",
        "平成28年度は延べ3,291件の相談を受け付け472名の方の就職が決定しました。",
    ]
    question = "キャリアサポートかわさきってどこにあるの? 28年度は何人くらい就職できた?"
    facts = _facts(texts, question, focus="28年度は何人くらい就職できた?")
    assert any("472名" in f for f in facts)


def test_a_fact_that_cannot_be_grounded_gives_way_to_the_next() -> None:
    texts = [
        "○ICT企業と製造業の連携で鼻輪を開発した事例。",
        "○ICT企業と製造業の連携を支援するマッチング。",
    ]
    chunks = tuple(
        Chunk(f"c{i}", ChunkKind.ACTIVITIES, text, Span(i + 1, i + 1), programme="P")
        for i, text in enumerate(texts)
    )
    hits = [Hit(c, 1.0, i + 1) for i, c in enumerate(chunks)]
    facts = PassageFacts(_Citer(chunks))  # type: ignore[arg-type]
    question = "製造業とICT企業の連携で鼻輪を開発した事例は？"
    (first, *_), _ = facts.facts(question, hits)
    assert "鼻輪" in first.text
    kept, _ = facts.facts(question, hits, accept=lambda f: "鼻輪" not in f.text)
    assert kept and "マッチング" in kept[0].text


def test_a_which_companies_ask_lists_sibling_items() -> None:
    texts = [
        "○アルファ(株)(幸区)ベンチャー集中支援で装置を開発中。資金調達を支援。\n"
        "○(株)ベータ(高津区)ベンチャー集中支援でアクセルを販売。PR手法の改善を支援。",
        "○市内ベンチャー企業3社に対して専門家が課題解決を支援。",
    ]
    facts = _facts(texts, "ベンチャーへの集中支援で、どの会社が選ばれたの？")
    assert any("アルファ" in f for f in facts) and any("ベータ" in f for f in facts)
    assert not any("資金調達" in f for f in facts)  # an item stands alone, without a lead
    # A sentence naming no company adds nothing to the list.
    assert not any("3社に対して" in f for f in facts)


def test_a_count_of_programmes_is_a_figure() -> None:
    asked = asked_value("市の事業って全部でいくつあるの？")
    assert asked is not None and asked[0] == "figure"
    assert asked[1].search("65の事務事業のうち、23の事務事業を重点事業に設定")


def test_a_charts_caption_or_source_line_is_never_the_answer() -> None:
    text = (
        "市内の倒産件数は平成28年度に81件へと増加しています。\n"
        "図表市内の倒産件数の推移\n"
        "出所:東京商工リサーチ「倒産件数の推移」"
    )
    found = _facts([text], "市内の倒産件数の推移は？")
    assert found and all("図表" not in f and "出所" not in f for f in found)
    assert "81件" in found[0]


def test_a_cut_never_ends_right_before_a_number() -> None:
    # A number after the cut belongs to the words before it: 「延べ」 alone counts nothing.
    sentence = f"{'あ' * 60}中国で出展6回延べ27社タイで出展2回延べ5社{'い' * 60}"
    for size in range(20, 80, 3):
        cut = window(sentence, {"中国", "出展"}, None, size).rstrip("…")
        end = sentence.index(cut.lstrip("…")) + len(cut.lstrip("…"))
        assert end == len(sentence) or not sentence[end].isdigit(), cut


def test_a_long_sentence_is_never_cut_inside_a_katakana_or_latin_name() -> None:
    def same_word(a: str, b: str) -> bool:
        katakana = all("\u30a1" <= c <= "\u30fc" for c in a + b)
        return katakana or ((a + b).isascii() and (a + b).isalpha())

    sentence = (
        f"{'あ' * 80}市内のマニュファクチュアリングセンターとKAWASAKILABの工作機械講座。{'い' * 80}"
    )
    for size in range(20, 70, 3):
        cut = window(sentence, {"工作", "機械", "講座"}, None, size).strip("…")
        start = sentence.index(cut)
        end = start + len(cut)
        assert not same_word(sentence[start - 1], sentence[start])
        assert not same_word(sentence[end - 1], sentence[end])


@pytest.mark.parametrize(("opening", "closing"), ["「」", "『』"])
def test_a_long_sentence_is_never_cut_inside_a_short_quoted_name(
    opening: str, closing: str
) -> None:
    name = f"{opening}エヌピーオー法人支援資金{closing}"
    sentence = f"{'あ' * 80}工作機械講座の対象とした{name}を創設。{'い' * 80}"
    for size in range(20, 70, 3):
        cut = window(sentence, {"工作", "機械", "講座"}, None, size).strip("…")
        # Either the whole name or none of it: a name cut off names nothing.
        assert name in cut or not any(mark in cut for mark in name[:1] + name[-1:])


def test_a_name_is_weighed_but_no_passage_must_hold_one() -> None:
    from assistant.asked_values import asked_kinds  # noqa: PLC0415 - this test's only

    question = "クリエイターを紹介してくれるサイトとかない？"
    assert "name" in asked_kinds(question)
    # A facility is often described before it is named: the description still answers.
    assert asked_value(question) is None
    # But a chosen fact is cut around the name it holds, far from the question's words.
    soft = asked_value(question, soft=True)
    assert soft is not None and soft[0] == "name"
    name = "「つなぐっどKAWASAKI」"
    sentence = f"{'あ' * 60}ポータルサイト{name}を活用し、{'い' * 60}クリエイターの紹介"
    words = {"クリ", "リエ", "紹介"}
    assert name in window(sentence, words, soft[1], 40)
    assert name not in window(sentence, words, None, 40)
