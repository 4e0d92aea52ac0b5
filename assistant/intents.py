"""Intent detection: which kind of answer a question asks for, from generic cue words."""

from __future__ import annotations

import re

from assistant.models import Intent

__all__ = ["detect_intent"]

# Generic Japanese cue words; order matters only through the scores below.
_INTENT_CUES: dict[Intent, tuple[str, ...]] = {
    Intent.ORDINANCE: ("条例", "条文", "前文", "附則", "定義", "責務", "役割", "基本理念", "規定"),
    Intent.BUDGET: (
        "予算",
        "決算",
        "事業費",
        "お金をかけ",
        "いくら使",
        "費用",
        "実績額",
        "概要額",
        "かかって",
        "お金を使",
        "いくらかけ",
        "お金が出",
        "お金出",
        "お金がつ",
        "お金つ",
        "計上",
        "前年度比",
        "お金減",
        "お金増",
        "お金が減",
        "お金が増",
    ),
    Intent.KPI: (
        "目標",
        "実績",
        "指標",
        "件数",
        "人数",
        "回数",
        "何件",
        "何人",
        "何回",
        "達成",
        "入居率",
        "成果",
        "どれくらい",
        "どのくらい",
        "何名",
        "達成でき",
    ),
    Intent.LOAN: (
        "融資",
        "貸付",
        "貸し付け",
        "利率",
        "金利",
        "借り",
        "資金",
        "ローン",
        "返済",
        "保証料",
        "限度額",
        "信用保証",
    ),
    Intent.SUBSIDY: (
        "補助",
        "助成",
        "支援金",
        "交付",
        "使える",
        "補助率",
        "もらえ",
        "出展料",
        "援助",
        "対象経費",
    ),
    Intent.CONTACT: (
        "相談",
        "窓口",
        "問い合わせ",
        "問合せ",
        "連絡",
        "どこに",
        "どこへ",
        "誰に",
        "電話",
        "住所",
        "受付",
        "申し込み先",
        "ホームページ",
        "URL",
        "センター",
    ),
    Intent.STATISTICS: (
        "事業所数",
        "従業者",
        "倒産",
        "アンケート",
        "調査",
        "回答",
        "回収",
        "統計",
        "割合",
        "景況",
        "協議会",
        "委員",
        "部会",
        "コラム",
        "製造品出荷",
    ),
    Intent.PROGRAMME: ("概要", "内容", "どんな", "何をする", "取組", "目的", "とは"),
}
_LAW_REF = re.compile(
    r"法第?(?:[0-9]+|[一二三四五六七八九十]+)条(?:第?(?:[0-9]+|[一二三四五六七八九十]+)項)?(?:の規定)?"
)
# A company's own accounts (決算書) are not the city's budget, and 「助成している費用は何か」
# asks which costs are covered, not how much.
_NOT_BUDGET = re.compile(r"決算書|決算報告|(?:費用|経費)(?:は|って)?(?:何|なに|どんな|どういう)")
_CLAUSE = re.compile(r"[、。？?！!]")
_FINAL_CLAUSE_BONUS = 1.0
_HOW_MANY = ("どれくらい", "どのくらい", "何件", "何人", "何社", "何回", "何名")


def detect_intent(text: str, cites_articles: bool) -> tuple[Intent, bool]:
    """The question's intent, and whether any cue word supported it (else the default)."""
    # 「〇〇法第2条第5項の規定」 cites another law: its 条/規定 are no ordinance cue.
    cue_text = _NOT_BUDGET.sub("", _LAW_REF.sub("法", text))
    scores: dict[Intent, float] = {
        i: sum(1 for c in cues if c in cue_text) for i, cues in _INTENT_CUES.items()
    }
    # The ask comes last in Japanese (「…相談窓口、あれって年間いくらくらいかかってるの？」):
    # a cue in the final clause breaks a tie with words that only describe the topic.
    final = _CLAUSE.split(cue_text.rstrip("。？?！! "))[-1]
    for intent, cues in _INTENT_CUES.items():
        if scores[intent] and any(c in final for c in cues):
            scores[intent] += _FINAL_CLAUSE_BONUS
    if cites_articles:
        scores[Intent.ORDINANCE] += 2
    if any(w in cue_text for w in ("予算", "決算", "実績額", "概要額")):
        scores[Intent.BUDGET] += 1  # a budget word outweighs the programme's own 補助/融資
    if any(w in text for w in _HOW_MANY) and scores[Intent.BUDGET] == 0:
        scores[Intent.KPI] += 1  # "how many" asks for a figure, not for a desk or a menu
    if "条例" in text:  # naming the ordinance outweighs generic words like 内容
        scores[Intent.ORDINANCE] += 1
    cued = max(scores.values()) > 0
    intent = max(scores, key=lambda i: scores[i]) if cued else Intent.PROGRAMME
    return intent, cued
