"""The assistant keeps turns only for conversations: one-shot questions take no slot."""

from __future__ import annotations

import pytest

from assistant import Assistant, MemoryConversationStore
from assistant.sources import SourceLines

FIRST = "ものづくり中小企業経営革新等支援事業の補助上限は？"
FOLLOW_UP = "小規模事業者だったら？"  # → 経営改善事業支援 50万円 of the same programme
ANONYMOUS = ["小規模事業資金（ミニ）の利率は？", "海外展開の相談窓口はどこ？", "明日の天気を教えて"]


@pytest.fixture()
def make(corpus, settings, fake_searcher_cls):
    def build(**update) -> Assistant:
        tuned = settings.model_copy(update=update)
        return Assistant(
            corpus, fake_searcher_cls(corpus), tuned, SourceLines.read(settings.corpus)
        )

    return build


def _has_context(answer) -> bool:
    first_line = answer.answer.splitlines()[0]
    return first_line.startswith("経営改善事業支援") and "50万円" in first_line


def test_one_shot_questions_keep_nothing(make):
    bot = make()
    for question in [*ANONYMOUS, *ANONYMOUS]:  # composed, then from the answer cache
        answer = bot.ask(question)
        assert answer.conversation_id is None
    pieces = list(bot.stream(FIRST))
    assert pieces[-1].conversation_id is None
    assert len(bot.conversations) == 0


def test_a_flood_of_one_shot_questions_does_not_evict_a_conversation(make):
    bot = make(max_conversations=2)
    assert bot.conversations.max_conversations == 2
    bot.ask(FIRST, "chat")
    for n in range(1001):
        bot.ask(ANONYMOUS[n % len(ANONYMOUS)])
    follow = bot.ask(FOLLOW_UP, "chat")
    assert follow.conversation_id == "chat"
    assert _has_context(follow)


def test_an_idle_conversation_expires(make, corpus, settings, fake_searcher_cls):
    now = [0.0]
    store = MemoryConversationStore(10, ttl_s=600, clock=lambda: now[0])
    bot = Assistant(
        corpus,
        fake_searcher_cls(corpus),
        settings,
        SourceLines.read(settings.corpus),
        conversations=store,
    )
    bot.ask(FIRST, "chat")
    now[0] += 599
    assert _has_context(bot.ask(FOLLOW_UP, "chat"))  # and the turn renews the age
    now[0] += 600
    assert not store.exists("chat")
    assert not _has_context(bot.ask(FOLLOW_UP, "chat"))  # asked afresh


def test_a_follow_up_leans_on_the_programme_the_answer_is_about() -> None:
    from assistant.composition import Composition  # noqa: PLC0415 - this test's only
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import answered_about  # noqa: PLC0415

    # The answer's first line is a neighbour's sentence; the Topics stage's first programme,
    # which the answer also speaks of, is what 「それ」 points at next.
    answer = Composition("…", True, (), programmes=("neighbour", "asked"))
    asked = [ScoredTopic(Topic("programme", "asked", "アジア起業家誘致交流促進事業"), 3.0, 0.99)]
    assert answered_about(answer, asked) == ("asked",)
    elsewhere = [ScoredTopic(Topic("programme", "other", "別の事業"), 3.0, 0.99)]
    assert answered_about(answer, elsewhere) == ("neighbour",)
    assert answered_about(answer, []) == ("neighbour",)


def test_a_follow_up_leans_on_no_programme_after_an_answer_about_a_section() -> None:
    from assistant.composition import Composition  # noqa: PLC0415 - this test's only
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import answered_about  # noqa: PLC0415

    # The answer quotes a programme's line beside the section the question was about: the
    # next 「それってどういう仕組み？」 asks on about the section, not that programme.
    answer = Composition("…", True, (), programmes=("neighbour",))
    section = Topic("section", "measures", "入札制度改革等")
    assert answered_about(answer, [ScoredTopic(section, 1.0, 0.7)]) == ()
    # Unsure of the section, the answer's programme is still the likeliest referent.
    assert answered_about(answer, [ScoredTopic(section, -1.0, 0.3)]) == ("neighbour",)


def test_a_turn_whose_likeliest_topic_is_the_previous_programme_continues_it(assistant) -> None:
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import continues  # noqa: PLC0415 - this test's only

    kobs = next(p for p in assistant.corpus.programmes if p.name == "海外展開支援事業")
    previous = assistant.parser.parse("海外展開支援事業って何？")
    assert previous.programmes == (kobs.id,)
    turn = assistant.parser.parse("平成28年度の第3回の参加者数を教えてください。")
    assert not turn.follow_up and not turn.programmes

    def ranked(first: str) -> list[ScoredTopic]:
        return [ScoredTopic(Topic("programme", first, "…"), -2.0, 0.1)]

    assert continues(turn, previous, ranked(kobs.id))
    assert not continues(turn, previous, ranked("other"))
    assert not continues(turn, previous, [])
    # A turn naming a programme of its own starts afresh, whatever the topics say.
    own = assistant.parser.parse("間接融資事業の限度額は？")
    assert not continues(own, previous, ranked(kobs.id))


def test_a_short_turn_reaching_no_topic_by_itself_continues_the_previous_one(assistant) -> None:
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import continues  # noqa: PLC0415 - this test's only

    # The previous turn was about a report section: no programme to lean on.
    previous = assistant.parser.parse(
        "市の工事の入札で、小さい会社でも取りやすくなる新しいやり方は？"
    )
    turn = assistant.parser.parse("具体的にどういうルール？")
    assert not turn.follow_up and not turn.programmes
    topic = Topic("programme", "p", "…")
    assert continues(turn, previous, [ScoredTopic(topic, -3.0, 0.05)])
    assert continues(turn, previous, [])
    # A short turn the Topics stage is sure of stands on its own.
    assert not continues(turn, previous, [ScoredTopic(topic, 2.0, 0.9)])
    # So does a longer one, however unsure.
    longer = assistant.parser.parse(
        "ものづくりの会社が使える補助金の上限額と補助率はどうなっているの？"
    )
    assert not continues(longer, previous, [ScoredTopic(topic, -3.0, 0.05)])


def test_a_turn_surer_of_the_previous_topic_in_context_than_of_any_alone_continues() -> None:
    from dataclasses import replace  # noqa: PLC0415

    from assistant.models import Intent  # noqa: PLC0415
    from assistant.topics import ScoredTopic, Topic  # noqa: PLC0415
    from assistant.turns import surer_in_context  # noqa: PLC0415 - this test's only
    from assistant.understanding import Query  # noqa: PLC0415

    column = Topic("section", "column", "…")
    other = Topic("programme", "p", "…")
    previous = replace(Query("q", "q", Intent.PROGRAMME), topic=("section", "column"))
    alone = [ScoredTopic(other, 1.0, 0.7)]
    assert surer_in_context(previous, alone, [ScoredTopic(column, 2.0, 0.9)])
    # Less sure in context than alone: the turn is about a topic of its own.
    assert not surer_in_context(previous, alone, [ScoredTopic(column, 0.0, 0.5)])
    # Sure in context of another topic than the previous turn's: no continuation either.
    assert not surer_in_context(previous, alone, [ScoredTopic(other, 3.0, 0.95)])
    assert not surer_in_context(replace(previous, topic=()), alone, [ScoredTopic(column, 2.0, 0.9)])


def test_a_turn_remembers_the_topic_the_topics_stage_was_sure_of(make):
    from assistant.topics import SURE, ScoredTopic  # noqa: PLC0415
    from assistant.turns import remembered  # noqa: PLC0415 - this test's only

    bot = make()
    query = bot.read_turns(FIRST)
    first = bot.rank_topics(FIRST)[0].topic
    composition = bot.composer.compose(query, [], [], [])
    sure = remembered(query, composition, [ScoredTopic(first, 2.0, SURE)])
    assert sure.topic == (first.kind, first.key)
    # Unsure of its first topic, the stage leaves the next turn no topic to return to.
    unsure = remembered(query, composition, [ScoredTopic(first, -1.0, SURE - 0.1)])
    assert unsure.topic == ()


def test_a_follow_ups_facts_are_ranked_as_it_is_answered_in_its_conversation(make):
    bot = make()
    bot.ask(FIRST, "chat")
    answer = bot.ask(FOLLOW_UP, "chat")
    ranked = bot.rank_facts([FIRST, FOLLOW_UP])
    assert dict(answer.extra)["confidence"] == f"{ranked[0].confidence:.3f}"
    # Read alone, the follow-up reaches other facts.
    alone = bot.rank_facts(FOLLOW_UP)
    assert [r.text for r in alone[:3]] != [r.text for r in ranked[:3]]
    assert len(bot.conversations) == 1  # the ranking kept no turn of its own


def test_a_conversations_last_turn_is_read_as_ask_reads_it(make):
    bot = make()
    follow = bot.read_turns([FIRST, FOLLOW_UP])
    assert follow.in_context and follow.focus == follow.latest
    assert FIRST[:10] in follow.text and follow.programmes
    assert not bot.read_turns(FOLLOW_UP).in_context
    assert len(bot.conversations) == 0
