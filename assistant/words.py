"""Content words (Sudachi normalised forms) for matching questions to report sentences.

Character bigrams match wording; content words match meaning across inflection and
script variants (来る/来場 stay apart, but 働い/働く or 受け取っ/受け取る meet).
"""

from __future__ import annotations

from ingest import sudachi_tokenizer

__all__ = ["ContentWords"]

_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞")
_SKIP_SUBPOS = ("数詞", "非自立可能", "代名詞")
# Words every question or every report sentence has: they carry no topic.
_STOP = frozenset(
    [
        "する",
        "ある",
        "いる",
        "なる",
        "思う",
        "言う",
        "できる",
        "出来る",
        "教える",
        "下さる",
        "くださる",
        "知る",
        "事",
        "物",
        "もの",
        "こと",
        "所",
        "ため",
        "為",
        "よう",
        "方",
        "市",
        "川崎",
        "川崎市",
        "今",
        "年度",
        "平成",
        "等",
        "何",
        "どこ",
        "誰",
        "いつ",
        "件",
        "人",
        "くらい",
        "位",
    ]
)
_CACHE_LIMIT = 50_000


class ContentWords:
    """Normalised content words of a text, cached (report sentences recur across questions)."""

    def __init__(self) -> None:
        self._cache: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> frozenset[str]:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        words = frozenset(self._words(text))
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = words
        return words

    @staticmethod
    def _words(text: str) -> list[str]:
        out = []
        for m in sudachi_tokenizer().tokenize(text[:2000]):
            pos = m.part_of_speech()
            if pos[0] not in _CONTENT_POS or pos[1] in _SKIP_SUBPOS:
                continue
            form = m.normalized_form()
            if form in _STOP or (len(form) < 2 and not _is_kanji(form)):
                continue
            out.append(form)
        return out


def _is_kanji(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)
