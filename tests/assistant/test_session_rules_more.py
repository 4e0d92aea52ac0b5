"""The latest answer rules on tiny inputs built here (no real report text): budget change
wording, Sudachi place names, unknown counts/editions, people counts, intent ties, fuzzy
programme pieces and everyday paraphrases."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.aliases import AliasIndex
from assistant.asked_values import asked_value, missing_value
from assistant.evidence import (
    _place_names,
    other_places,
    unknown_counts,
    unknown_places,
    unknown_titles,
)
from assistant.intents import detect_intent
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.sources import SourceLines
from assistant.text import nfkc, squash
from core import Settings
from ingest import Corpus, Programme, Span

from .conftest import REPORT, FakeSearcher

# -- 1. a budget change of 増減なし is no change ------------------------------------------------

_NEXT_YEAR_ROW = "29年度予算 45,000千円 増減なし"


def _budget_assistant(corpus: Corpus, tmp_path: Path, row: str, fy2017: int) -> Assistant:
    """The tiny report with its 平成29年度 budget row replaced by ``row``."""
    assert _NEXT_YEAR_ROW in REPORT
    report = tmp_path / "tiny.txt"
    report.write_text(REPORT.replace(_NEXT_YEAR_ROW, row), encoding="utf-8")
    mono = corpus.programmes[0]
    assert mono.budget is not None
    budget = dataclasses.replace(mono.budget, fy2017_budget=fy2017)
    corpus = dataclasses.replace(
        corpus, programmes=(dataclasses.replace(mono, budget=budget), *corpus.programmes[1:])
    )
    settings = Settings(corpus_path=report, store_dir=tmp_path / "store", embedder="hash")
    return Assistant(corpus, FakeSearcher(corpus), settings, SourceLines.read(settings.corpus))


def _next_year_budget(assistant: Assistant) -> str:
    records = assistant.composer.records
    (fact,) = records.budget_facts(assistant.composer.corpus.programmes[0], (2017,))
    return fact.text


def test_no_change_is_not_read_as_an_increase(corpus: Corpus, tmp_path: Path) -> None:
    row = "29年度予算 1,371千円 増減なし"
    text = _next_year_budget(_budget_assistant(corpus, tmp_path, row, 1_371_000))
    assert "前年度予算からは増減なし" in text
    assert "千円増" not in text and "からの増減は" not in text


def test_an_increase_is_still_an_increase(corpus: Corpus, tmp_path: Path) -> None:
    row = "29年度予算 46,500千円 1,500千円 増"
    text = _next_year_budget(_budget_assistant(corpus, tmp_path, row, 46_500_000))
    assert "前年度予算からの増減は1,500千円増" in text
    assert "増減なし" not in text


# -- 2. places are Sudachi's 地名; the nation's schemes are another government's ---------------


def test_a_city_word_after_a_year_names_no_place() -> None:
    assert _place_names("平成29年度以降市は何を支援するの？") == []
    assert other_places("平成29年度以降市は何を支援するの？") == []


@pytest.mark.parametrize("place", ["横浜市", "世田谷区", "名古屋"])
def test_sudachi_place_names(place: str) -> None:
    question = f"{place}の創業支援の補助金は？"
    assert place in _place_names(question)
    assert unknown_places(question, "市内中小企業の創業を支援します。") == [place]
    assert unknown_places(question, f"{place}と連携して創業を支援します。") == []


def test_other_governments_are_other_cities_and_the_nation() -> None:
    assert other_places("横浜市の創業支援の補助金は？") == ["横浜市"]
    assert other_places("国のものづくり補助金は使える？") == ["国"]
    assert other_places("全国の商店街の補助金は？") == []  # 全国 is not the nation's scheme


@pytest.mark.parametrize("question", ["中原区の工場に使える補助金は？", "水江町の工場の補助金は？"])
def test_wards_and_districts_are_not_other_governments(question: str) -> None:
    assert _place_names(question)  # Sudachi sees the place …
    assert other_places(question) == []  # … but it is inside the city


# -- 3. unknown counted things and editions -----------------------------------------------------

_FLAT = squash(
    nfkc("市内の倒産件数は12件。累積の相談は120件。研修を実施しました。見本市2016を開催。")
)


def test_a_count_of_a_thing_never_mentioned_is_unknown() -> None:
    assert unknown_counts("市内の廃業件数は？", _FLAT) == ["廃業件数"]
    assert unknown_counts("市内の倒産件数は？", _FLAT) == []


def test_a_new_compound_of_known_words_is_known() -> None:
    assert unknown_counts("研修の累積実施件数は？", _FLAT) == []


def test_an_edition_the_report_never_names_is_unknown() -> None:
    assert unknown_titles("見本市2017の出展者数は？", _FLAT) == ["見本市2017"]
    assert unknown_titles("見本市2016の出展者数は？", _FLAT) == []


# -- 5. counts of people are asked apart from other figures -------------------------------------

_SESSIONS = "創業塾を各期8回開催しました。"
_PEOPLE = "創業塾には80名が参加しました。"


@pytest.mark.parametrize(
    "question",
    ["創業塾の参加者数は？", "創業塾には何人参加した？", "創業塾にはどれくらい人が来た？"],
)
def test_a_people_ask_is_answered_by_people_not_sessions(question: str) -> None:
    asked = asked_value(question)
    assert asked is not None
    name, pattern = asked
    assert name == "people"
    assert pattern.search(nfkc(_PEOPLE))
    assert not pattern.search(nfkc(_SESSIONS))  # the generic figure ask was dropped


def test_a_figure_ask_without_people_still_takes_any_figure() -> None:
    asked = asked_value("創業塾の開催回数はどれくらい？")
    assert asked is not None and asked[0] == "figure"
    assert asked[1].search(nfkc(_SESSIONS))


def test_missing_value_wants_people_for_a_people_ask() -> None:
    assert missing_value("創業塾には何人参加した？", [_PEOPLE]) is None
    assert missing_value("創業塾には何人参加した？", [_SESSIONS]) is not None


def test_a_country_ask_wants_a_country_named() -> None:
    question = "市内に泊まる外国人って、どこの国の人が多いの？"
    assert missing_value(question, ["外国人宿泊客数は20万人、外国人比率は11.0%です。"]) == "country"
    assert missing_value(question, ["宿泊客は台湾、中国、タイの順に多い。"]) is None
    assert missing_value(question, ["海外ではベトナムへの関心が高い。"]) is None


@pytest.mark.parametrize(
    ("question", "bound", "level"),
    [
        (
            "負債総額はいくら？",
            "負債総額1,000万円以上の倒産を数えました。",
            "負債総額は3億円でした。",
        ),
        ("融資の利率は何%？", "融資の利率を年0.1%引下げました。", "融資の利率は年1.3%です。"),
        ("予算はいくら？", "予算は52千円増です。", "予算は4,500千円です。"),
    ],
)
def test_bounds_and_changes_are_not_the_level_asked(question: str, bound: str, level: str) -> None:
    assert missing_value(question, [bound]) is not None
    assert missing_value(question, [level]) is None
    assert missing_value(question, [bound, level]) is None


# -- 7. intent cues ------------------------------------------------------------------------------


def test_a_cue_in_the_final_clause_breaks_a_tie() -> None:
    question = "ものづくりの相談窓口、あれって年間いくらくらいかかってるの？"
    assert detect_intent(question, False)[0] == Intent.BUDGET
    # The same cues, the ask about the desk last: the desk wins.
    flipped = "年間いくらくらいかかってるの、ものづくりの相談窓口？"
    assert detect_intent(flipped, False)[0] != Intent.BUDGET


def test_a_companys_accounts_are_not_the_citys_budget() -> None:
    assert detect_intent("融資の申込みに決算書は要る？", False)[0] != Intent.BUDGET
    assert detect_intent("この事業の決算はいくら？", False)[0] == Intent.BUDGET


def test_a_mutual_aid_scheme_alone_is_not_a_loan_question() -> None:
    assert detect_intent("共済に入りたい", False)[0] != Intent.LOAN
    assert detect_intent("共済の融資の限度額は？", False)[0] == Intent.LOAN


@pytest.mark.parametrize("question", ["この事業のお金減ったの？", "この事業ってお金が増えた？"])
def test_money_going_up_or_down_is_a_budget_question(question: str) -> None:
    assert detect_intent(question, False) == (Intent.BUDGET, True)


# -- 8. a name piece several programmes share names none of them --------------------------------


def _named(pid: str, name: str, line: int) -> Programme:
    return Programme(id=pid, name=name, article=14, focus=False, page=20, lines=Span(line, line))


def test_a_shared_piece_names_no_programme_a_unique_one_names_its_own() -> None:
    corpus = Corpus(
        "r.txt",
        "0" * 64,
        (
            _named("p-tech", "ものづくり技術振興事業", 1),
            _named("p-hr", "ものづくり人材育成事業", 2),
        ),
        (),
        (),
    )
    aliases = AliasIndex(corpus)
    assert aliases.find("ものづくりの相談をしたい") == []
    assert aliases.find("ものづくり技術を磨きたい") == ["p-tech"]
    assert aliases.find("ものづくり人材を育てたい") == ["p-hr"]


# -- 10. everyday words bring the report's terms -------------------------------------------------


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("シニア", "高齢者"),
        ("お年寄り", "高齢者"),
        ("お祝い", "慶弔"),
        ("良くなる", "好転"),
        ("悪くなる", "悪化"),
        ("入れる", "導入"),
        ("累計", "累積"),
        ("決算書", "財務諸表"),
        ("特許", "知的財産"),
    ],
)
def test_expand_adds_the_report_term(word: str, term: str) -> None:
    question = f"うちの会社の{word}について教えて"
    assert term not in question
    assert term in expand(question)
    assert re.sub(r"\s.*", "", expand(question)) == question  # the question itself is kept
