"""How a turn stands to the Topics stage and to the conversation: which programmes it names
can be trusted, whether it continues the previous turn (and how it is then read), and what
the conversation remembers of it for the next turn to lean on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.composition import Composition
from assistant.facts import FoundFacts
from assistant.text import squash
from assistant.topics import CERTAIN, SURE, ScoredTopic
from assistant.understanding import SHORT_TURN, Query

__all__ = [
    "answered_about",
    "certain_article",
    "continues",
    "read_after",
    "remembered",
    "surer_in_context",
    "trusted",
]


def trusted(query: Query, topics: Sequence[ScoredTopic]) -> Query:
    """``query`` without the programmes it names only through an alias (an acronym, a short
    form) when the Topics stage, which weighs that naming, still puts another topic first:
    of twelve such studied questions, that topic was a gold source of ten, the alias's
    programme of three (one had both): 「ICTの機械を入れるとき…困ってるの?」 is the survey's."""
    if query.spelled or query.articles or query.focus is not None or not topics:
        return query
    if not query.programmes or topics[0].topic.key in query.programmes:
        return query
    # A list ask (「使える補助はある?」) naming no programme is exploratory after all.
    return replace(query, programmes=(), exploratory=query.list_ask)


def certain_article(query: Query, topics: Sequence[ScoredTopic]) -> Query:
    """``query`` with the article the Topics stage is all but certain of (its confidence at
    least :data:`CERTAIN`, where its first topic is right 95 times in 100) as its topic, the
    one the ordinance answer quotes, when the question names no programme or article."""
    first = topics[0] if topics else None
    if first is None or query.articles or query.programmes or first.confidence < CERTAIN:
        return query
    if first.topic.kind != "article":
        return query
    return replace(query, topic=(first.topic.kind, first.topic.key))


def continues(query: Query, previous: Query, topics: Sequence[ScoredTopic]) -> bool:
    """A turn that names nothing of its own, whose likeliest topic is the programme the
    previous turn was about, continues it (「平成28年度の第101回の応募件数は？」 after a
    question on the オーディション), though it has no word pointing back; so does a short
    one that reaches no topic by itself."""
    if query.follow_up or query.programmes or query.articles:
        return False
    if previous.programmes and topics and topics[0].topic.key == previous.programmes[0]:
        return True
    # …or the section or article the Topics stage was sure the previous turn was about.
    if previous.topic and topics and (topics[0].topic.kind, topics[0].topic.key) == previous.topic:
        return True
    # A short turn the Topics stage reaches no topic for by itself (「具体的にどういうルール？」,
    # 「どういう貸し方なの？」) asks on about the previous one.
    return len(squash(query.latest)) <= SHORT_TURN and (not topics or topics[0].confidence < SURE)


def answered_about(composition: Composition, topics: Sequence[ScoredTopic]) -> tuple[str, ...]:
    """The programme an answer is about, for the next turn to lean on: the Topics stage's
    first when the answer speaks of it (its first line may be a neighbour's sentence), else
    the answer's first programme. None when the Topics stage is sure the question is about a
    report section or an article (入札制度改革): a programme the answer also quotes is a
    neighbour, and 「それってどういう仕組み？」 asks on about the section."""
    first = topics[0].topic if topics else None
    if first is not None and first.kind != "programme" and topics[0].confidence >= SURE:
        return ()
    if first is not None and first.kind == "programme" and first.key in composition.programmes:
        return (first.key,)
    return composition.programmes[:1]


def surer_in_context(
    previous: Query, alone: Sequence[ScoredTopic], in_context: Sequence[ScoredTopic]
) -> bool:
    """Read after the previous turn, a turn that named nothing of its own returns to the
    previous turn's topic with more confidence than it reaches any topic alone
    (「28年度は何社応募して何社選ばれたの？」 after a question on a scheme): it continues it."""
    if not in_context or not previous.topic:
        return False
    first = in_context[0]
    if (first.topic.kind, first.topic.key) != previous.topic:
        return False
    return first.confidence > (alone[0].confidence if alone else 0.0)


def read_after(
    query: Query, previous: Query, found: FoundFacts, find: Callable[[Query], FoundFacts]
) -> tuple[Query, FoundFacts]:
    """The turn as read after ``previous`` (``found``: what the stages found for it alone;
    ``find`` runs them): in the previous turn's context when it continues it."""
    if continues(query, previous, found.topics):
        query = query.with_context(previous)
        return query, find(query)
    if query.follow_up or query.programmes or query.articles:
        return query, found
    read = query.with_context(previous)
    again = find(read)
    return (
        (read, again) if surer_in_context(previous, found.topics, again.topics) else (query, found)
    )


def remembered(query: Query, composition: Composition, topics: Sequence[ScoredTopic]) -> Query:
    """The turn a follow-up leans on: its programmes, or those its answer speaks of, and
    the topic the Topics stage was sure it is about."""
    first = topics[0] if topics else None
    topic = (first.topic.kind, first.topic.key) if first and first.confidence >= SURE else ()
    programmes = query.programmes or answered_about(composition, topics)
    return replace(query, programmes=programmes, topic=topic)
