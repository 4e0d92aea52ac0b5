"""Every entry of the rule catalogue does something: each word fires its rule on its own, and
no word is redundant (another word of the same list inside it would fire whenever it does).

Patterns are checked by their own examples (test_catalogue.py); here the word lists and
tables are run through the code that reads them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.aliases import AliasIndex, _short_forms
from assistant.asked_values import asked_kinds, missing_value
from assistant.catalogue import Words, rules
from assistant.corpus_terms import corpus_terms
from assistant.entities import (
    ATTRIBUTES,
    article_numbers,
    asked_attributes,
    asks_making,
    relative_years,
)
from assistant.evidence import other_places
from assistant.intents import intent_scores
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.profile import INDUSTRIES, industries_named, read_profile
from assistant.rule_entries import stands_in
from assistant.understanding import QuestionParser
from assistant.words import ContentWords
from ingest import Corpus, TextBlock, sudachi_content_forms

CATALOGUE = rules()


def _words(prefix: str) -> list[tuple[str, str]]:
    """(entry, word) of every words entry under ``prefix``."""
    return [
        (name, word)
        for name, entry in sorted(CATALOGUE.entries.items())
        if name.startswith(prefix) and isinstance(entry, Words)
        for word in entry.words
    ]


CUE_LISTS = sorted(
    n for n, e in CATALOGUE.entries.items() if n.startswith("cues.") and isinstance(e, Words)
)


@pytest.mark.parametrize("name", CUE_LISTS)
def test_no_cue_word_holds_another_of_its_list(name: str) -> None:
    """A cue fires when one of its words is in the text: a word holding another of the same
    list adds nothing (and, where cues are counted, counts twice)."""
    words = CATALOGUE.words(name).words
    shadowed = [(w, o) for w in words for o in words if o != w and stands_in(o, w)]
    assert shadowed == []


def test_a_katakana_cue_inside_a_longer_katakana_word_is_another_word() -> None:
    assert not stands_in("サイト", "来年ビッグサイトの展示会に出たい")
    assert stands_in("サイト", "相談窓口のサイトを教えて")
    assert stands_in("サイト", "Webサイトは？") and stands_in("サイト", "サイトある？")
    assert stands_in("セミナー", "創業セミナー")  # after a kanji it is the word itself
    assert not CATALOGUE.words("cues.asked.address").found_in("ビッグサイトの展示会")
    assert CATALOGUE.words("cues.asked.address").found_in("ウェブサイトのアドレスは？")


# -- detectors, word by word ---------------------------------------------------------------------


@pytest.mark.parametrize(("entry", "word"), _words("cues.asked."))
def test_an_attribute_cue_asks_for_its_attribute(entry: str, word: str) -> None:
    assert entry.rsplit(".", 1)[1] in asked_attributes(word)


def test_every_attribute_has_its_cues() -> None:
    assert {f"cues.asked.{a}" for a in ATTRIBUTES} <= set(CATALOGUE.entries)


@pytest.mark.parametrize("word", CATALOGUE.words("cues.asks_where").words)
def test_a_where_word_asks_where_a_site_is_not_whether_it_exists(word: str) -> None:
    assert "address" not in asked_attributes("サイトってある？")
    assert "address" not in asked_attributes("紹介してくれるサイトとかない？")
    assert "address" in asked_attributes(f"サイトの{word}ってある？")


def test_a_site_named_before_the_ask_is_its_topic_not_what_is_asked() -> None:
    told = "クリエイターを探せるサイトがあるって聞いたけど、何て名前でいつできたの？"
    assert "address" not in asked_attributes(told)
    assert "address" in asked_attributes("クリエイターを探せるサイトのアドレスを教えて")


@pytest.mark.parametrize(("entry", "word"), _words("cues.value."))
def test_a_value_cue_asks_for_its_kind_of_value(entry: str, word: str) -> None:
    assert entry.rsplit(".", 1)[1] in asked_kinds(word)


@pytest.mark.parametrize(("entry", "word"), _words("cues.value_explicit."))
def test_an_explicit_cue_needs_its_kind_of_value(entry: str, word: str) -> None:
    assert missing_value(word, ["報告書の一文。"]) == entry.rsplit(".", 1)[1]


_INTENTS = [(f"cues.intent.{i.value}", i) for i in Intent if i != Intent.OUT_OF_SCOPE]


@pytest.mark.parametrize(
    ("entry", "word", "intent"),
    [(e, w, i) for e, i in _INTENTS for w in CATALOGUE.words(e).words],
)
def test_an_intent_cue_scores_for_its_intent(entry: str, word: str, intent: Intent) -> None:
    assert intent_scores(word)[intent] >= 1


@pytest.mark.parametrize(("entry", "word"), _words("cues.industry."))
def test_an_industry_word_names_its_industry(entry: str, word: str) -> None:
    industry = entry.rsplit(".", 1)[1]
    assert industry in INDUSTRIES and industry in industries_named(word)


@pytest.mark.parametrize(("entry", "word"), _words("cues.profile."))
def test_a_profile_word_sets_its_flag(entry: str, word: str) -> None:
    assert getattr(read_profile(word), entry.rsplit(".", 1)[1])


_NEUTRAL = "ことについてもう少しだけくわしくおしえてほしいです"  # no cue, no topic word


@pytest.mark.parametrize(("entry", "word"), _words("cues.follow_up."))
def test_a_follow_up_word_continues_the_conversation(corpus: Corpus, entry: str, word: str) -> None:
    parser = QuestionParser(AliasIndex(corpus))
    assert not parser.parse(_NEUTRAL).follow_up
    query = parser.parse(f"{word}{_NEUTRAL}")
    assert query.follow_up
    points_back = CATALOGUE.words("cues.follow_up.points_back").as_set
    assert query.refers_back == (word in points_back)


@pytest.mark.parametrize("word", CATALOGUE.words("cues.ordinance.making").words)
def test_a_making_word_asks_how_the_ordinance_came_to_be(word: str) -> None:
    assert asks_making(word)


@pytest.mark.parametrize("word", CATALOGUE.words("cues.compare").words)
def test_a_compare_word_compares_years(corpus: Corpus, word: str) -> None:
    assert QuestionParser(AliasIndex(corpus)).parse(word).compares


@pytest.mark.parametrize(("entry", "word"), _words("cues."))
def test_a_cue_word_fires_its_cue_on_its_own(entry: str, word: str) -> None:
    words = CATALOGUE.words(entry)
    assert words.found_in(word)
    others = Words(entry, words.scope, tuple(w for w in words.words if w != word))
    assert not others.found_in(word)  # without it, the cue no longer fires


# -- marks, stop words, tables --------------------------------------------------------------------


@pytest.mark.parametrize("word", CATALOGUE.words("marks.other_law").words)
def test_another_laws_article_is_not_the_ordinances(word: str) -> None:
    assert article_numbers(f"中小企業基本{word}第2条") == []
    assert article_numbers("条例第2条") == [2]


def _reader_yields(word: str, examples: tuple[str, ...]) -> bool:
    texts = [word, *(e for e in examples if word in e or word in sudachi_content_forms(e))]
    return any(word in sudachi_content_forms(t) for t in texts)


@pytest.mark.parametrize(
    ("entry", "word"),
    _words("stopwords.content_words")
    + _words("stopwords.plain_ask")
    + _words("stopwords.follow_up_verbs"),
)
def test_a_stop_word_is_a_content_word_the_reader_yields(entry: str, word: str) -> None:
    assert _reader_yields(word, CATALOGUE.words(entry).examples), f"{word} is never read"
    general = CATALOGUE.words("stopwords.content_words").as_set
    if entry != "stopwords.content_words":
        assert word not in general, f"{word} is dropped before {entry} sees it"
    else:
        assert not _reader_yields(word, ()) or word not in ContentWords()(word)


@pytest.mark.parametrize("core", CATALOGUE.words("stopwords.name_cores").words)
def test_a_generic_name_core_names_no_programme(corpus: Corpus, core: str) -> None:
    assert len(core) >= 3  # shorter keys are never aliases anyway
    mono = corpus.programmes[0]
    noted = replace(mono, plan=TextBlock(f"「{core}」の取組を進めます。", mono.plan.lines))
    with_core = replace(corpus, programmes=(noted, *corpus.programmes[1:]))
    assert core not in AliasIndex(with_core).aliases_of(mono.id)


def test_the_city_name_is_a_name_core_read_from_the_corpus(corpus: Corpus) -> None:
    assert corpus_terms(corpus).city == "川崎市"
    assert "川崎市" not in AliasIndex(corpus).aliases_of(corpus.programmes[0].id)


@pytest.mark.parametrize("suffix", CATALOGUE.words("names.generic_suffixes").words)
def test_a_generic_name_ending_is_dropped_for_the_short_form(suffix: str) -> None:
    assert "海外販路開拓" in _short_forms(f"海外販路開拓{suffix}", ())


def test_generic_name_endings_are_tried_longest_first() -> None:
    endings = CATALOGUE.words("names.generic_suffixes").words
    assert [(a, b) for i, a in enumerate(endings) for b in endings[i + 1 :] if b.endswith(a)] == []


@pytest.mark.parametrize("prefix", CATALOGUE.words("names.generic_prefixes").words)
def test_a_generic_name_start_is_dropped_for_the_short_form(prefix: str) -> None:
    assert "海外販路開拓" in _short_forms(f"{prefix}海外販路開拓事業", (prefix,))


@pytest.mark.parametrize(
    ("suffix", "place"), [("市", "横浜市"), ("県", "神奈川県"), ("府", "大阪府"), ("都", "東京都")]
)
def test_a_government_suffix_names_another_government(suffix: str, place: str) -> None:
    assert suffix in CATALOGUE.words("places.government_suffixes").words
    assert other_places(f"{place}の補助金は？") == [place]


def test_every_government_suffix_is_exercised() -> None:
    assert set(CATALOGUE.words("places.government_suffixes").words) == {"市", "県", "府", "都"}


PARAPHRASES = CATALOGUE.table("paraphrases.everyday")


@pytest.mark.parametrize("word", list(PARAPHRASES))
def test_a_paraphrase_adds_the_reports_term_and_no_other_covers_it(word: str) -> None:
    assert expand(word) != word  # fires on its own …
    others = {w: f for w, f in PARAPHRASES.items() if w != word and w in word}
    # … and no shorter everyday word inside it already adds the same terms.
    assert PARAPHRASES[word] not in others.values()


@pytest.mark.parametrize(("word", "offset"), list(CATALOGUE.numbers("years.relative").items()))
def test_a_relative_year_counts_from_the_reports_year(word: str, offset: int) -> None:
    assert relative_years(f"{word}の予算は？", 2016) == (2016 + offset,)


@pytest.mark.parametrize("mark", list(CATALOGUE.text("text.clause_marks")))
def test_every_clause_mark_ends_the_clause_before_the_ask(mark: str) -> None:
    from assistant.text import final_clause  # noqa: PLC0415 - this test's only

    assert final_clause(f"本社は東京{mark}使える補助はある{mark}") == "使える補助はある"


def test_the_name_marks_are_pairs_of_an_opening_and_a_closing_mark() -> None:
    marks = CATALOGUE.text("text.name_brackets")
    assert marks and len(marks) % 2 == 0
    assert all(opening != closing for opening, closing in zip(marks[::2], marks[1::2], strict=True))
