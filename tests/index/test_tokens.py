"""Tokenizer and normalisation: amounts stay whole, era years and kanji articles meet digits."""

from __future__ import annotations

import pytest

from index import SudachiTokenizer, lexical_form, normalize_text, western_years
from index.sudachi_tokens import SUDACHI_MAX_BYTES, split_for_sudachi


@pytest.fixture(scope="module")
def tok() -> SudachiTokenizer:
    return SudachiTokenizer()


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("融資限度額は1,500万円です", "1500万"),
        ("融資限度額は１，５００万円です", "1500万"),
        ("予算額 10,220千円", "10220千"),
        ("利率は年1.3%以内", "1.3"),
        ("補助率は2/3", "2/3"),
        ("有効回答は837件", "837"),
        ("split by the dump: 1 ,500万円", "1500万"),
    ],
)
def test_amounts_are_single_tokens(tok, text, token):
    tokens = tok.tokenize(text)
    assert token in tokens
    # no fragment of the number leaks out as its own token
    assert "500万" not in tokens or token == "500万"
    assert "," not in "".join(tokens)


def test_content_words_only(tok):
    tokens = tok.tokenize("市内の中小企業が研究を行うことを支援する。")
    assert "研究" in tokens and "支援" in tokens
    assert "の" not in tokens and "を" not in tokens and "。" not in tokens


def test_compounds_added_for_names():
    tokens = SudachiTokenizer(compounds=True).tokenize("融資限度額")
    assert {"融資", "限度"} <= set(tokens)
    assert any(len(t) > 2 for t in tokens)  # the mode-C compound is kept too


def test_era_and_western_years_share_tokens(tok):
    assert set(tok.tokenize("平成28年度予算")) == set(tok.tokenize("2016年度予算"))
    assert lexical_form("令和元年") == "2019年"
    assert western_years("平成28年度と平成29年度の予算") == (2016, 2017)


def test_kanji_article_numbers(tok):
    assert normalize_text("第十五条") == "第15条"
    assert normalize_text("第二十四条第三項") == "第24条第3項"
    assert "第15条" in tok.tokenize("第十五条の内容")
    assert tok.tokenize("第十五条") == tok.tokenize("第15条")


def test_nfkc_and_acronyms(tok):
    assert "kobs" in tok.tokenize("ＫＯＢＳに相談")
    assert normalize_text("ＡＢＣ１２３") == "ABC123"


def test_long_input_over_sudachi_limit(tok):
    sentence = "中小企業の経営革新を支援する。"
    text = sentence * (SUDACHI_MAX_BYTES // len(sentence.encode()) + 200)
    assert len(text.encode()) > SUDACHI_MAX_BYTES
    pieces = list(split_for_sudachi(text))
    assert len(pieces) > 1 and "".join(pieces) == text
    assert all(len(p.encode()) < SUDACHI_MAX_BYTES for p in pieces)
    tokens = tok.tokenize(text)
    assert tokens.count("支援") >= text.count("支援")


def test_one_huge_sentence_is_cut(tok):
    text = "あ" * 30_000  # 90,000 bytes, no sentence end
    pieces = list(split_for_sudachi(text))
    assert "".join(pieces) == text
    assert all(len(p.encode()) < SUDACHI_MAX_BYTES for p in pieces)
