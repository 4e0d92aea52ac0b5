"""Questions built to make the rules slow are answered at once, and length counts after NFKC."""

from __future__ import annotations

import time

import pytest

from assistant import Assistant
from assistant.sources import SourceLines
from core import AnswerError

# NFKC makes 4,000 characters of the first and 2,000 of the last; the rules used to spend
# minutes (㍿), seconds (キロ) and over a second (株式会社) re-splitting such runs.
WORST = {
    "square-kabushiki-kaisha-x1000": "㍿" * 1000,
    "kabushiki-kaisha-x250": "株式会社" * 250,
    "square-kiro-x1000": "㌔" * 1000,
}


@pytest.fixture()
def roomy_assistant(corpus, settings, fake_searcher_cls):
    """Admits questions of 4,000 characters after NFKC, so the worst ones reach every rule."""
    roomy = settings.model_copy(update={"max_question_chars": 4000})
    return Assistant(corpus, fake_searcher_cls(corpus), roomy, SourceLines.read(roomy.corpus))


@pytest.mark.parametrize("question", WORST.values(), ids=WORST.keys())
def test_worst_questions_are_answered_within_a_second(roomy_assistant, question):
    started = time.perf_counter()
    answer = roomy_assistant.ask(question)
    assert time.perf_counter() - started < 1.0
    assert answer.answer


def test_question_length_is_counted_after_nfkc(assistant):
    # 251 characters as typed, 1,004 as the rules read them: over the 1,000 limit.
    with pytest.raises(AnswerError, match="正規化後1004文字"):
        assistant.ask("㍿" * 251)
    assert assistant.ask("株式会社" * 250).answer  # exactly 1,000 either way
