"""Intent detection: which kind of answer a question asks for, from generic cue words
(the catalogue's ``cues.intent.<intent>``; each cue word present scores a point)."""

from __future__ import annotations

from assistant.catalogue import rules
from assistant.models import Intent
from assistant.text import final_clause

__all__ = ["detect_intent", "intent_scores"]

# The intents cue words decide between (ties go to the earlier one).
_CUED = (
    Intent.ORDINANCE,
    Intent.BUDGET,
    Intent.KPI,
    Intent.LOAN,
    Intent.SUBSIDY,
    Intent.CONTACT,
    Intent.STATISTICS,
    Intent.PROGRAMME,
)
_FINAL_CLAUSE_BONUS = 1.0


def _cues(intent: Intent) -> tuple[str, ...]:
    return rules().words(f"cues.intent.{intent.value}").words


def intent_scores(text: str, cites_articles: bool = False) -> dict[Intent, float]:
    """Each intent's score: its cue words in the question, plus the tie-breaking bonuses."""
    catalogue = rules()
    # 「〇〇法第2条第5項の規定」 cites another law: its 条/規定 are no ordinance cue.
    # The law's mark stays (法), so the article cited is still read as another law's.
    law = catalogue.words("marks.other_law").words[0]
    cue_text = catalogue.pattern("patterns.question.other_law_article").sub(law, text)
    cue_text = catalogue.pattern("patterns.question.not_budget").sub("", cue_text)
    scores: dict[Intent, float] = {i: sum(1 for c in _cues(i) if c in cue_text) for i in _CUED}
    # The ask comes last in Japanese (「…相談窓口、あれって年間いくらくらいかかってるの？」):
    # a cue in the final clause breaks a tie with words that only describe the topic.
    final = final_clause(cue_text)
    for intent in _CUED:
        if scores[intent] and any(c in final for c in _cues(intent)):
            scores[intent] += _FINAL_CLAUSE_BONUS
    if cites_articles:
        scores[Intent.ORDINANCE] += 2
    if catalogue.words("cues.intent.budget_figures").found_in(cue_text):
        scores[Intent.BUDGET] += 1  # a budget word outweighs the programme's own 補助/融資
    if catalogue.words("cues.intent.counted").found_in(text) and scores[Intent.BUDGET] == 0:
        scores[Intent.KPI] += 1  # "how many" asks for a figure, not for a desk or a menu
    if catalogue.words("cues.intent.ordinance_named").found_in(text):
        scores[Intent.ORDINANCE] += 1  # naming the ordinance outweighs generic words (内容)
    return scores


def detect_intent(text: str, cites_articles: bool) -> tuple[Intent, bool]:
    """The question's intent, and whether any cue word supported it (else the default)."""
    scores = intent_scores(text, cites_articles)
    cued = max(scores.values()) > 0
    intent = max(scores, key=lambda i: scores[i]) if cued else Intent.PROGRAMME
    return intent, cued
