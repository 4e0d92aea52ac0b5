"""The Facts, Rank and Compose stages: typed candidates, learned order, cited answers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.facts import (
    FEATURES,
    FactCandidate,
    FactInventory,
    FactRanker,
    FactWeights,
    RankedFact,
    load_fact_weights,
)
from assistant.facts.answer import FIRST_MIN_CHARS, RankedComposer
from assistant.facts.features import COL
from assistant.models import Intent
from assistant.text import sentences, squash
from assistant.understanding import Query
from core import ConfigError
from index import Hit
from ingest import Chunk, ChunkKind, Corpus, Span


def _candidates(assistant: Assistant, question: str) -> list[FactCandidate]:
    return assistant.fact_candidates(question)


def test_record_fields_are_candidates_as_label_value_facts(assistant: Assistant) -> None:
    found = _candidates(assistant, "産学共同研究開発プロジェクト支援の件数の目標と実績は？")
    records = [c for c in found if c.fact is not None]
    kpi = [c for c in records if c.fact and c.fact.citations[0].kind == "kpi"]
    assert kpi, "the KPI row is a candidate"
    text = kpi[0].text
    assert "産学共同研究開発プロジェクト支援の件数" in text and "目標3件" in text
    assert "figure" in kpi[0].kinds
    # Its citation quotes the report's own KPI lines, with a real chunk id.
    chunk_ids = {c.id for c in assistant.corpus.chunks}
    assert all(c.id in chunk_ids for f in records if f.fact for c in f.fact.citations)


def test_passages_written_from_a_record_are_not_candidates_twice(assistant: Assistant) -> None:
    found = _candidates(assistant, "ものづくり中小企業経営革新等支援事業の予算と相談先は？")
    rendered = [
        c for c in found if c.fact is None and c.chunk.kind in (ChunkKind.BUDGET, ChunkKind.CONTACT)
    ]
    assert rendered == []
    assert any(c.fact is not None and c.fact.citations[0].kind == "budget" for c in found)


def test_a_desk_is_a_candidate_only_from_its_own_programmes_record(assistant: Assistant) -> None:
    found = _candidates(assistant, "海外展開の相談はどこにすればいい？")
    desks = [c for c in found if c.fact is not None and c.fact.citations[0].kind == "contact"]
    owners = {p.name: {nfkc_name(x.name) for x in p.contacts} for p in assistant.corpus.programmes}
    for desk in desks:
        programme = desk.fact.record if desk.fact else None
        assert programme is not None
        assert any(name in desk.text for name in owners[programme])


def nfkc_name(name: str) -> str:
    from core import nfkc  # noqa: PLC0415 - kept beside its only use

    return nfkc(name)


def test_candidates_hold_the_kinds_of_value_they_state(assistant: Assistant) -> None:
    found = _candidates(assistant, "小規模事業資金（ミニ）の利率は？")
    loan = next(c for c in found if "年1.3%以内" in c.text)
    assert {"rate", "amount"} <= loan.kinds


def _ranker(weight: dict[str, float], assistant: Assistant) -> FactRanker:
    weights = FactWeights(tuple(weight.get(f, 0.0) for f in FEATURES), 0.0)
    return FactRanker(assistant.finder.features, weights)


def test_the_kind_of_value_asked_for_decides_between_equally_worded_facts(
    assistant: Assistant,
) -> None:
    question = "小規模事業資金（ミニ）はいくらまで借りられる？"
    found = _candidates(assistant, question)
    ranked = _ranker({"kind_match": 5.0}, assistant).rank(question, found)
    assert "amount" in ranked[0].candidate.kinds
    rows = assistant.finder.features.compute(question, found)
    assert rows.shape == (len(found), len(FEATURES))
    asked = set(assistant.parser.parse(question).kinds)
    holding = [i for i, c in enumerate(found) if asked & c.kinds]
    assert all(rows[i, COL["kind_match"]] > 0 for i in holding)
    assert all(rows[i, COL["kind_miss"]] == 1 for i in range(len(found)) if i not in holding)


def _candidates_saying(
    assistant: Assistant, question: str, texts: tuple[str, ...]
) -> list[FactCandidate]:
    """The question's first candidates, each saying one of ``texts`` instead."""
    found = _candidates(assistant, question)[: len(texts)]
    return [replace(c, text=text) for c, text in zip(found, texts, strict=True)]


def test_a_fact_counted_in_the_questions_counter_is_marked(assistant: Assistant) -> None:
    question = "セミナーは何回開いて、何人参加した？"
    texts = ("セミナーを4回開催し、延べ250名が参加。", "セミナーを4回開催。", "相談は30件。")
    found = _candidates_saying(assistant, question, texts)
    rows = assistant.finder.features.compute(question, found)
    assert list(rows[:, COL["counter_match"]]) == [1.0, 0.5, 0.0]


def test_a_fact_holding_the_words_of_the_questions_last_clause_is_marked(
    assistant: Assistant,
) -> None:
    # The ask comes last: 「展示会に出たいんだけど、補助の上限は？」 asks of the 補助's 上限.
    question = "展示会に出たいんだけど、補助の上限は？"
    texts = ("補助の上限は15万円。", "展示会に出展した。", "補助を行った。")
    found = _candidates_saying(assistant, question, texts)
    rows = assistant.finder.features.compute(question, found)
    asked = list(rows[:, COL["ask_words"]])
    assert asked[0] == 1.0 and asked[1] == 0.0 and 0.0 < asked[2] < 1.0


def test_the_ask_is_read_in_the_latest_turn_as_typed_not_in_the_words_appended(
    assistant: Assistant,
) -> None:
    # The Understand stage appends paraphrases and synonyms after the question: its last
    # clause would be those words, not the ask.
    typed = "展示会に出たいんだけど、補助の上限は？"
    widened = f"{typed} 限度額"
    found = [replace(c, text="補助の上限は15万円。") for c in _candidates(assistant, typed)[:1]]
    features = assistant.finder.features
    assert features.compute(widened, found, ask=typed)[0, COL["ask_words"]] == 1.0
    assert features.compute(widened, found)[0, COL["ask_words"]] == 0.0


def test_meaning_is_weighed_apart_for_words_the_report_never_uses() -> None:
    from assistant.facts import FactFeatures  # noqa: PLC0415 - this test's only

    class Similar:
        def similarity(self, query: str, texts: list[str]) -> list[float]:
            return [0.5 for _ in texts]

    documents = ["中小企業の製造業者に補助金を交付する。", "融資の利率を定める。"]
    features = FactFeatures(similarity=Similar(), documents=documents)
    chunk = Chunk("c1", ChunkKind.SECTION, documents[0], Span(1, 1))
    candidate = FactCandidate(documents[0], chunk, 0, None, frozenset(), None, 0.0, None)
    formal = features.compute("製造業者の補助金は？", [candidate])
    casual = features.compute("町工場でもタダでもらえるお金ある？", [candidate])
    assert formal[0, COL["dense_unfamiliar"]] == 0.0
    assert 0.0 < casual[0, COL["dense_unfamiliar"]] <= casual[0, COL["dense"]] == 0.5


def test_the_confidence_is_the_logistic_of_the_score(assistant: Assistant) -> None:
    found = _candidates(assistant, "KOBSとは？")
    ranked = _ranker({"words": 2.0}, assistant).rank("KOBSとは？", found)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    for r in ranked:
        assert r.confidence == pytest.approx(1.0 / (1.0 + np.exp(-r.score)))


def test_the_bundled_weights_load_and_match_the_features() -> None:
    weights = load_fact_weights()
    assert len(weights.weights) == len(FEATURES)
    assert weights.training is not None and weights.training["kfold"]["facts@1"] > 0.5


def test_a_weights_file_for_other_features_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text('{"format": 1, "intercept": 0, "weights": {"old": 1.0}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="missing features"):
        load_fact_weights(path)
    with pytest.raises(ConfigError, match="missing"):
        load_fact_weights(tmp_path / "absent.json")


def test_refitting_writes_the_same_file(tmp_path: Path) -> None:
    weights = FactWeights(tuple(float(i) / 3 for i in range(len(FEATURES))), -1.5)
    path = tmp_path / "w.json"
    path.write_text(weights.as_json(), encoding="utf-8")
    loaded = load_fact_weights(path)
    assert loaded.as_json() == weights.as_json()


# -- Compose ---------------------------------------------------------------------------


def _ranked(assistant: Assistant, question: str) -> list[RankedFact]:
    return list(assistant.finder.find(question).ranked)


def test_a_need_described_without_a_programme_names_the_programme(assistant: Assistant) -> None:
    query = assistant.parser.parse("海外で商売を広げたい。相談できるところはある？")
    assert query.exploratory and not query.programmes
    written = assistant.composer.writer.write(query, _ranked(assistant, query.text))
    assert written
    programmes = {p.name for p in assistant.corpus.programmes}
    assert any(text.startswith(tuple(programmes)) for text in (f.text for f in written))


def test_an_exploratory_answer_names_at_most_three_programmes(assistant: Assistant) -> None:
    query = assistant.parser.parse("中小企業が使える支援はある？")
    composition = assistant.composer.writer.compose(query, _ranked(assistant, query.text))
    assert composition is not None and composition.answerable
    named = {f.record for f in composition.facts if f.record}
    assert 1 <= len(named) <= 3


def test_given_record_facts_come_first_and_a_ranked_fact_only_adds(assistant: Assistant) -> None:
    query = assistant.parser.parse("小規模事業資金（ミニ）の利率は？")
    ranked = _ranked(assistant, query.text)
    given = assistant.composer.writer.write(query, ranked)[:1]
    composition = assistant.composer.writer.compose(query, ranked, given)
    assert composition is not None
    assert composition.facts[0] == given[0]
    # A ranked fact quoting the lines the given fact quotes is not repeated.
    spans = [c.lines for f in composition.facts for c in f.citations]
    assert len(spans) == len(set(spans))


def test_the_sure_topics_first_fact_leads_when_the_rules_speak_of_other_programmes(
    assistant: Assistant,
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    query = assistant.parser.parse("小規模事業資金（ミニ）の利率は？")
    ranked = _ranked(assistant, query.text)
    top = ranked[0]
    sure = replace(top, candidate=replace(top.candidate, topic=0, topic_confidence=0.9))
    ranked = [sure, *ranked[1:]]
    own = top.candidate.chunk.programme
    other = next(p.name for p in assistant.corpus.programmes if own not in (p.id, p.name))
    writer = assistant.composer.writer
    elsewhere = writer.compose(query, ranked, [Fact("他の事業の説明です。", (), other)])
    assert elsewhere is not None
    assert elsewhere.facts[0].record == own and elsewhere.facts[1].text == "他の事業の説明です。"
    # The rules' fact of the sure topic's programme keeps its place; so does any rules'
    # fact when the Topics stage is unsure.
    mine = writer.compose(query, ranked, [Fact("この事業の説明です。", (), own)])
    assert mine is not None and mine.facts[0].text == "この事業の説明です。"
    unsure = [replace(top, candidate=replace(top.candidate, topic_confidence=0.2)), *ranked[1:]]
    doubt = writer.compose(query, unsure, [Fact("他の事業の説明です。", (), other)])
    assert doubt is not None and doubt.facts[0].text == "他の事業の説明です。"


def test_a_fact_holding_the_asked_kind_is_put_first_when_nearly_as_likely(
    assistant: Assistant,
) -> None:
    found = _candidates(assistant, "小規模事業資金（ミニ）の利率は？")
    without = next(c for c in found if "rate" not in c.kinds)
    holding = next(c for c in found if "rate" in c.kinds)
    ranked = [RankedFact(without, 0.0, 0.5), RankedFact(holding, -1.0, 0.27)]
    writer = assistant.composer.writer
    assert writer.choose(ranked, frozenset({"rate"}))[0].candidate is holding
    far = [RankedFact(without, 0.0, 0.5), RankedFact(holding, -10.0, 0.0)]
    assert writer.choose(far, frozenset({"rate"}))[0].candidate is without


def test_a_long_sentence_is_cut_to_what_matches_and_stays_cited(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.facts.writing as writing  # noqa: PLC0415 - its window is narrowed here

    monkeypatch.setattr(writing, "WINDOW", 24)
    query = assistant.parser.parse("KOBSでは何をしている？")
    found = _candidates(assistant, query.text)
    long = next(c for c in found if c.fact is None and "KOBS" in c.text and len(c.text) > 40)
    [fact] = assistant.composer.writer.write(query, [RankedFact(long, 1.0, 0.7)])
    body = fact.text.split("：", 1)[-1]  # after the programme's label
    assert "KOBS" in body and body.strip("…。") in long.text
    assert len(body.strip("…。")) <= 30 and "…" in (body[0], body[-1])
    assert fact.text.startswith("海外展開支援事業：")
    assert fact.citations and fact.citations[0].id == long.chunk.id


def test_a_named_programmes_answer_gains_the_asked_kind_it_lacked(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.asked_values import value_kinds  # noqa: PLC0415 - this test's only
    from assistant.citing import Fact  # noqa: PLC0415

    query = assistant.parser.parse("ものづくり中小企業経営革新等支援事業の28年度予算はいくら？")
    assert query.programmes and "amount" in query.kinds
    ranked = _ranked(assistant, query.text)
    writer = assistant.composer.writer
    monkeypatch.setattr(writer, "answer_chars", 0)  # no spare room: the completion alone
    monkeypatch.setattr(writer, "over_budget_chars", 0)
    plain = Fact("ものづくり中小企業経営革新等支援事業は研究開発を支援します。")
    added = writer.complete(query, ranked, [plain])
    # The programme's fact holding an amount (beside the ranker's first fact of it, which
    # every answer gets).
    amounts = [f for f in added if "amount" in value_kinds(f.text)]
    assert len(amounts) == 1
    assert {f.record for f in added} == {"ものづくり中小企業経営革新等支援事業"}
    # An answer already holding an amount gets no further amount.
    assert writer.complete(query, ranked, added) == []


def test_a_need_reaches_the_topics_stages_programme_before_the_first_hits(
    assistant: Assistant,
) -> None:
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415 - this test's only

    query = assistant.parser.parse("海外で売りたい。どこに相談すればいい？")
    hits = assistant.searcher.search("小規模事業資金", 5)  # hits led by another programme
    kobs = next(p for p in assistant.corpus.programmes if p.name == "海外展開支援事業")
    topics = [ScoredTopic(Topic("programme", kobs.id, kobs.name), 2.0, 0.88)]
    chosen = assistant.composer.choice.programmes(query, hits, topics)
    assert chosen[0] is kobs
    assert assistant.composer.choice.programmes(query, hits)[0] is not kobs


def test_a_ranked_fact_is_added_only_when_it_brings_what_the_record_facts_lack(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer = assistant.composer.writer
    monkeypatch.setattr(writer, "answer_chars", 0)  # no room: only what is lacking is added
    monkeypatch.setattr(writer, "over_budget_chars", 0)
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    assert "amount" in query.kinds
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    holding = [r for r in ranked if "円" in r.text]
    assert holding
    programme = holding[0].candidate.chunk.programme
    same = Fact("説明だけの文。", (), programme)
    # The record facts lack an amount: the best ranked fact holding one is added.
    [added] = writer._adding(query, ranked, [same])
    assert "円" in added.text
    # They hold it already, and the ranked facts speak of the same programme: nothing.
    stated = Fact("上限300万円。", (), programme)
    own = [r for r in ranked if r.candidate.chunk.programme == programme]
    assert writer._adding(query, own, [stated]) == []


def _unsure_without_room(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> tuple[RankedComposer, Query, list[RankedFact]]:
    """The writer with no room left in the answer, an amount question, and its ranked facts
    with a ranker unsure of every one."""
    writer = assistant.composer.writer
    monkeypatch.setattr(writer, "answer_chars", 0)
    monkeypatch.setattr(writer, "over_budget_chars", 0)
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    return writer, query, [replace(r, confidence=0.01) for r in _ranked(assistant, query.text)]


def test_an_unsure_ranker_still_adds_the_asked_kind_when_it_scores_close_to_the_best(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer, query, ranked = _unsure_without_room(assistant, monkeypatch)
    first = next(i for i, r in enumerate(ranked) if "円" in r.text)
    plain = replace(
        ranked[first],
        score=ranked[first].score + 1.0,
        candidate=replace(ranked[first].candidate, text="説明だけの文。", kinds=frozenset()),
    )
    close = [plain, ranked[first]]
    [added] = writer._adding(query, close, [Fact("説明だけの文。", (), None)])
    assert "円" in added.text
    far = [replace(plain, score=ranked[first].score + writer.kind_gap + 1.0), ranked[first]]
    assert writer._adding(query, far, [Fact("説明だけの文。", (), None)]) == []


def test_a_ranked_fact_fills_the_room_the_record_facts_leave(assistant: Assistant) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer = assistant.composer.writer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    short = [Fact("上限300万円。", (), None)]
    added = writer._fitting(query, ranked, short)
    assert added and all(f.citations for f in added)
    assert sum(len(f.text) + 1 for f in [*short, *added]) <= writer.answer_chars + 1
    # An answer that already fills its length gets nothing more.
    full = [Fact("あ" * (writer.answer_chars - 10), (), None)]
    assert writer._fitting(query, ranked, full) == []


def test_a_short_whole_fact_fits_a_room_too_small_for_a_cut(assistant: Assistant) -> None:
    import assistant.facts.answer as answer  # noqa: PLC0415 - its limits are read here
    from assistant.citing import Fact  # noqa: PLC0415

    writer = assistant.composer.writer
    query = assistant.parser.parse("市内の事業所数と従業者数は？")
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    room = answer.MIN_ROOM - 1

    def needs(r: RankedFact) -> int:  # its characters uncut, with its label and 「。」
        return len(r.text) + len(writer.line_writer.label(r.candidate.chunk, "")) + 1

    short = next(r for r in ranked if r.candidate.fact is None and needs(r) <= room)
    long = next(r for r in ranked if r.candidate.fact is None and len(r.text) > 2 * room)
    given = [Fact("あ" * (writer.answer_chars - room - 1), (), None)]
    # A short sentence (「しかし、平成28年度は81件へと増加しています。」) needs no cut: it fits.
    [added] = writer._fitting(query, [short], given)
    assert squash(short.text).rstrip("。") in squash(added.text)
    # A long one would be cut shorter than a cut worth stating: nothing.
    assert writer._fitting(query, [long], given) == []


def test_a_fact_the_answer_states_already_is_not_added_again(assistant: Assistant) -> None:
    writer = assistant.composer.writer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    first = writer._fitting(query, ranked[:1], [])
    assert first
    assert writer._fitting(query, ranked[:1], first) == []


def test_facts_the_answer_states_already_do_not_use_up_the_facts_read(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.facts.answer as answer  # noqa: PLC0415 - its read limit is used here
    from assistant.citing import Fact  # noqa: PLC0415

    writer = assistant.composer.writer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    fresh = ranked[answer._COMPLETING]
    stated = [
        replace(r, candidate=replace(r.candidate, text=f"既に述べた事実{i}。"))
        for i, r in enumerate(ranked[: answer._COMPLETING])
    ]
    given = [Fact(r.text, (), None) for r in stated]
    monkeypatch.setattr(writer, "answer_chars", sum(len(f.text) + 1 for f in given) + 120)
    added = writer._fitting(query, [*stated, fresh], given)
    assert added and squash(added[0].text.split("：")[-1].strip("…。"))[:8] in squash(fresh.text)


def test_an_unlikely_ranked_fact_beyond_the_first_is_added_only_in_spare_room(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    ranked = _ranked(assistant, query.text)
    given = [Fact("説明だけの文。", (), "別の事業")]
    writer = assistant.composer.writer
    unlikely = [replace(r, confidence=writer.add_confidence / 2) for r in ranked]
    # With room to spare, unlikely facts are stated beside the record facts and the first.
    composition = writer.compose(query, unlikely, given)
    assert composition is not None and len(composition.facts) > 2
    monkeypatch.setattr(writer, "answer_chars", 0)  # no room: the ranker's first fact only
    monkeypatch.setattr(writer, "over_budget_chars", 0)
    composition = writer.compose(query, unlikely, given)
    assert composition is not None and len(composition.facts) == 2
    assert composition.facts[0] == given[0]


def test_a_fact_cut_in_its_middle_still_fits_the_room(assistant: Assistant) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer = assistant.composer.writer
    found = _candidates(assistant, "KOBSでは何をしている？")
    long = next(
        c
        for c in found
        if c.fact is None and len(c.text) > 60 and not any(ch.isdigit() for ch in c.text)
    )
    middle = len(long.text) // 2
    query = assistant.parser.parse(long.text[middle - 4 : middle + 4] + "とは？")
    given = [Fact("あ" * (writer.answer_chars - 50), (), None)]
    room = writer.answer_chars - sum(len(f.text) + 1 for f in given)
    [added] = writer._fitting(query, [RankedFact(long, 1.0, 0.7)], given)
    body = added.text.split("：", 1)[-1]
    assert body.startswith("…") and body.endswith("…")  # cut at both ends
    assert len(added.text) <= room and body.strip("…") in long.text


def test_the_room_is_filled_when_no_likely_fact_holds_the_lacking_kind(
    assistant: Assistant,
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer = assistant.composer.writer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    assert "amount" in query.kinds
    without = [
        replace(r, confidence=0.9)
        for r in _ranked(assistant, query.text)
        if "amount" not in r.candidate.kinds
    ]
    added = writer._adding(query, without, [Fact("説明だけの文。", (), None)])
    assert added and all(f.citations for f in added)


def test_a_ranked_fact_of_another_edition_or_menu_is_not_added(assistant: Assistant) -> None:
    composer = assistant.composer
    query = assistant.parser.parse("小規模事業資金（ミニ）の金利は？")
    assert query.schemes
    ranked = _ranked(assistant, query.text)
    kept = [r for r in ranked if composer._may_add(query, r)]
    assert kept and len(kept) < len(ranked)
    assert all("ミニ" in r.text or "小規模事業資金" in r.text for r in kept)
    edition = assistant.parser.parse("見本市inかわさき2017はいつ開かれる？")
    other = replace(
        ranked[0], candidate=replace(ranked[0].candidate, text="見本市inかわさき2016を開催。")
    )
    assert not composer._may_add(edition, other)


def test_an_answer_already_long_gets_the_first_ranked_fact_only(assistant: Assistant) -> None:
    import assistant.facts.answer as answer  # noqa: PLC0415 - its limits are read here
    from assistant.citing import Fact  # noqa: PLC0415

    writer = assistant.composer.writer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    long = [Fact("あ" * (answer.LONG_ANSWER_CHARS + 1), (), None)]
    [added] = writer._fitting(query, ranked, long)
    assert added.citations and len(added.text) <= answer.OVER_BUDGET_ADD_CHARS
    # An answer just over its budget, but not long, gets nothing: the median answer's length.
    full = [Fact("あ" * (writer.answer_chars + 1), (), None)]
    assert writer._fitting(query, ranked, full) == []


def test_a_contact_answer_adds_no_other_programmes_fact(assistant: Assistant) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer = assistant.composer.writer
    query = assistant.parser.parse("海外展開の相談窓口はどこ？")
    assert query.intent == Intent.CONTACT
    ranked = [replace(r, confidence=0.9) for r in _ranked(assistant, query.text)]
    own = ranked[0].candidate.chunk.programme
    assert own and any(r.candidate.chunk.programme != own for r in ranked[:5])
    added = writer._fitting(query, ranked, [Fact("窓口です。", (), own)])
    assert added and {f.record for f in added} == {own}


def test_a_contact_question_is_offered_another_programme_only_when_the_ranker_finds_it_likely(
    assistant: Assistant,
) -> None:
    writer = assistant.composer.writer
    query = assistant.parser.parse("海外で商売を広げたい。相談できるところはある？")
    assert query.exploratory and query.intent == Intent.CONTACT
    ranked = _ranked(assistant, query.text)
    own = ranked[0].candidate.chunk.programme

    def offered(confidence: float) -> set[str | None]:
        """The programmes the answer offers beside the facts it chose (its first facts): the
        first fact is likely, every other programme's as likely as ``confidence``."""
        facts = [ranked[0], *(replace(r, confidence=confidence) for r in ranked[1:])]
        composition = writer.compose(query, facts)
        assert composition is not None
        chosen = writer.write(query, facts)
        return {
            writer.line_writer.key(f.record)
            for f in composition.facts
            if f.record and f not in chosen
        }

    assert offered(0.9) - {writer.line_writer.key(own)}
    assert offered(0.01) == set()


def test_a_charts_caption_is_no_candidate_and_no_part_of_one() -> None:
    text = "平成28年度は81件へと増加しています。\n図表市内の倒産件数の推移\n出所:市調べ"
    chunk = Chunk("c1", ChunkKind.SECTION, text, Span(1, 3), section="s1")
    corpus = Corpus("r.txt", "0" * 64, (), (), (), (chunk,))
    found = FactInventory(corpus).collect([], [Hit(chunk, 1.0, 1)])
    assert [c.text for c in found] == ["平成28年度は81件へと増加しています。"]


def test_a_span_another_programme_states_does_not_answer_for_the_asked_one(
    assistant: Assistant,
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415

    query = assistant.parser.parse("海外の支援って、申し込んでから始まるまでどのくらいかかるの？")
    assert query.explicit_kinds == ("duration",)
    kobs = next(p for p in assistant.corpus.programmes if p.name == "海外展開支援事業")
    topics = [ScoredTopic(Topic("programme", kobs.id, kobs.name), 0.2, 0.3)]
    other = Fact("申込日から最短7営業日で資金交付可能。", (), "間接融資事業")
    own = Fact("KOBSで海外展開を目指す中小企業を支援します。", (), kobs.name)
    from assistant.asked_values import missing_kind  # noqa: PLC0415

    choice = assistant.composer.choice

    def missing(facts: list[Fact], ranked_topics: list[ScoredTopic]) -> str | None:
        said = [f.text for f in choice.own_facts(query, [kobs], facts, [], ranked_topics)]
        return missing_kind(query.explicit_kinds, query.given_numbers, said)

    assert missing([other, own], topics) == "duration"
    stated = Fact("KOBSでは申込から最短3営業日で支援を始めます。", (), kobs.name)
    assert missing([other, stated], topics) is None
    # A programme neither named nor first among the topics is not the one asked about.
    assert choice.own_facts(query, [kobs], [other, own], [], []) == []


def test_the_rankers_first_fact_joins_the_rules_facts_however_unsure(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer, query, ranked = _unsure_without_room(assistant, monkeypatch)
    given = [Fact("説明だけの文。", (), None)]
    composed = writer.compose(query, ranked, given)
    assert composed is not None
    lines = composed.answer.splitlines()
    assert lines[0] == "説明だけの文。" and len(lines) == 2
    assert squash(lines[1].split("：")[-1].strip("…。"))[:10] in squash(ranked[0].text)
    assert len(lines[1]) <= FIRST_MIN_CHARS + 1
    # A first fact the answer states already is not repeated.
    stated = [Fact(ranked[0].text, (), None)]
    again = writer.compose(query, ranked, stated)
    assert again is not None and again.answer == ranked[0].text


def test_a_first_fact_the_room_cannot_hold_whole_is_stated_by_a_part_of_it(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer, query, ranked = _unsure_without_room(assistant, monkeypatch)
    first = ranked[0]
    part_text = first.text[: len(first.text) // 2]
    part = replace(first, candidate=replace(first.candidate, text=part_text, fact=None))
    # The cut of the whole fact grounds nothing (two table rows cut mid-row); its part fits.
    written = writer.line_writer.write

    def write(query: Query, chosen: list[RankedFact], size: int | None = None) -> list[Fact]:
        return [] if chosen[0] is first else written(query, chosen, size)

    monkeypatch.setattr(writer.line_writer, "write", write)
    given = [Fact("説明だけの文。", (), None)]
    added = writer._first(query, [first, ranked[2], part], given, False)
    assert len(added) == 1 and squash(added[0].text.split("：")[-1])[:8] in squash(part_text)
    # A fact that is no part of the first one does not stand in for it.
    assert writer._first(query, [first, ranked[2]], given, False) == []


def test_a_first_fact_whose_sentence_the_answer_states_adds_its_other_sentence(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only

    writer, query, ranked = _unsure_without_room(assistant, monkeypatch)
    first = next(
        r
        for r in ranked
        if r.candidate.fact is None and len(sentences(r.candidate.chunk.text)) >= 2
    )
    one, two = (s for s in sentences(first.candidate.chunk.text)[:2])
    joined = replace(
        first, candidate=replace(first.candidate, text=one + two, sentences=2, units=(one, two))
    )
    # The rules quoted the second sentence, labelled or not: the first one is left to say.
    for quoted in (two, f"ある事業：{two}"):
        given = [Fact(quoted, (), None)]
        added = writer._first(query, [joined], given, False)
        assert len(added) == 1
        body = squash(added[0].text.split("：")[-1]).strip("…。")
        assert body[:8] in squash(one) and squash(two)[:8] not in body
    # Both sentences stated: nothing is left to add.
    assert writer._first(query, [joined], [*given, Fact(one, (), None)], False) == []
    # Only a part of one sentence stated, cut (「…」) or not: that is what the rules chose to
    # say of the fact, which is not written again.
    for part in (f"ある事業：…{two[2:]}", f"ある事業：{one[: len(one) // 2]}…"):
        assert writer._first(query, [joined], [Fact(part, (), None)], False) == []


def test_what_the_rules_find_nothing_for_is_answered_from_ranked_facts_on_a_sure_topic(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.asked_values import missing_kind  # noqa: PLC0415
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415 - this test's only

    composer = assistant.composer
    query = assistant.parser.parse("小さい会社でも借りられるお金の上限はいくら？")
    assert query.explicit_kinds == ("amount",)
    found = assistant.finder.find(query.text, intent=query.intent)

    def of_first_topic(facts: list[RankedFact]) -> list[RankedFact]:
        return [replace(r, candidate=replace(r.candidate, topic=0), confidence=0.9) for r in facts]

    ranked = of_first_topic(list(found.ranked))
    hits = list(found.hits)
    monkeypatch.setattr(composer, "_facts", lambda *_: ([], None))  # the rules find nothing
    sure = [ScoredTopic(Topic("programme", "p", "事業"), 2.0, 0.9)]
    answered = composer.compose(query, hits, ranked, sure)
    assert answered.answerable and answered.citations
    assert missing_kind(query.explicit_kinds, (), [answered.answer]) is None  # states an amount
    # Ranked facts without the amount asked for answer nothing …
    plain = of_first_topic([r for r in found.ranked if "amount" not in r.candidate.kinds])
    assert not composer.compose(query, hits, plain, sure).answerable
    # … nor does a best fact of another topic than the one the Topics stage is sure of.
    other = [replace(ranked[0], candidate=replace(ranked[0].candidate, topic=1)), *ranked[1:]]
    assert not composer.compose(query, hits, other, sure).answerable
    # An unsure topic (an off-topic ask reaches none it is sure of) is declined …
    unsure = [ScoredTopic(Topic("programme", "p", "事業"), -2.0, 0.1)]
    assert not composer.compose(query, hits, ranked, unsure).answerable
    # … and so is a sure topic whose best fact the Rank stage is unsure of.
    unlikely = [replace(r, confidence=0.01) for r in found.ranked]
    assert not composer.compose(query, hits, unlikely, sure).answerable


def test_a_fact_that_restates_the_answer_adds_nothing() -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only
    from assistant.facts.writing import restates  # noqa: PLC0415

    said = [Fact("動力揚水機の動力費に対して支援しました。", (), None)]
    # The same words under a programme's label, or a cut of them, say nothing new …
    assert restates(Fact("農業事業：動力揚水機の動力費に対して支援…", (), "農業事業"), said)
    # … a fact with other words does.
    assert not restates(Fact("農業事業：用水路の改修費を補助しました。", (), "農業事業"), said)
    assert not restates(Fact("動力揚水機の動力費。", (), None), [])
    # The same wording with another figure is news: a plan's count after a report's.
    reported = [Fact("融資限度額は1,000万円、利率は年1.2%。", (), None)]
    assert not restates(Fact("融資限度額は2,000万円、利率は年1.5%。", (), None), reported)
    assert restates(Fact("融資限度額は1,000万円。", (), None), reported)


def test_another_row_of_a_table_on_shared_lines_is_news() -> None:
    from assistant.citing import Fact  # noqa: PLC0415 - this test's only
    from assistant.facts.writing import overlaps  # noqa: PLC0415
    from assistant.models import Citation  # noqa: PLC0415
    from ingest import Span  # noqa: PLC0415

    def row(text: str, first: int, last: int) -> Fact:
        return Fact(text, (Citation("c1", "section", text, Span(first, last)),), None)

    # A flattened chart puts its rows on shared lines: the rules quoted one row …
    said = [row("【経営状況】無回答: 6件(0.7%)。", 303, 309)]
    other_row = row("【経営状況】悪化している: 342件(40.9%)。", 302, 304)
    same_row = row("【経営状況】無回答: 6件(0.7%)", 303, 305)
    # … the lines are quoted already either way,
    assert overlaps(other_row, said) and overlaps(same_row, said)
    # … but only the row with figures the answer lacks is news.
    assert not overlaps(other_row, said, figures=True)
    assert overlaps(same_row, said, figures=True)
    assert not overlaps(row("【経営状況】好転している: 175件。", 310, 311), said, figures=True)
