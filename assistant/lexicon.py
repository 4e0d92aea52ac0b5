"""Colloquial → report wording: generic Japanese paraphrases appended to a question for matching."""

from __future__ import annotations

__all__ = ["expand"]

# Everyday words an owner types, and the administrative terms reports use for them.
_PARAPHRASES: dict[str, str] = {
    "銀行": "金融機関",
    "信金": "金融機関",
    "信用金庫": "金融機関",
    "小さい会社": "小規模企業者",
    "小さな会社": "小規模企業者",
    "小さい企業": "小規模企業者",
    "零細": "小規模企業者",
    "大企業": "大企業者",
    "大手": "大企業者",
    "若い人": "若年者 就業",
    "若者": "若年者 就業",
    "採用": "就業 人材",
    "職業体験": "職業を体験する機会",
    "工事": "工事の発注 受注の機会",
    "入札": "受注の機会",
    "地元": "市内",
    "借り": "融資 資金",
    "借入": "融資 資金",
    "ローン": "融資",
    "お金": "資金",
    "金利": "利率",
    "返済": "返済期間",
    "起業": "創業 起業",
    "開業": "創業",
    "海外": "海外展開",
    "輸出": "海外展開 販路",
    "展示会": "展示会出展",
    "売り込み": "販路開拓",
    "販路": "販路開拓",
    "チェック": "検証",
    "評価": "検証",
    "研究": "研究開発",
    "大学": "大学等 産学",
    "新商品": "新製品",
    "跡継ぎ": "事業承継 後継者",
    "後継ぎ": "事業承継 後継者",
    "従業員": "従業者",
    "お店": "商業 商店街",
    "商店街": "商店街",
    "福祉": "福祉",
    "介護": "福祉",
    "町工場": "ものづくり 製造",
    "工場": "製造",
    "何社": "件数",
    "何人": "人数",
    "予算": "予算",
    "担当": "窓口 相談",
    "騒音": "防音 操業環境の改善",
    "振動": "防振 操業環境の改善",
    "農家": "農業者 農業",
    "設備": "施設 設備",
}


def expand(text: str) -> str:
    """``text`` plus the report's terms for the everyday words it contains."""
    extra = [formal for word, formal in _PARAPHRASES.items() if word in text and formal not in text]
    return text if not extra else f"{text} {' '.join(dict.fromkeys(extra))}"
