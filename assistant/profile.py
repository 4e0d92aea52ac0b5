"""Business profile: what the asker says about their business (industry, size, years)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Profile", "industries_named", "read_profile"]

_EMPLOYEES = re.compile(
    r"(?:社員|従業員|従業者|スタッフ|職員)[^0-9]{0,4}([0-9]++)\s*+[人名]"
    # From where a number starts, its digits never given back: linear on long digit runs.
    r"|(?<![0-9])([0-9]++)\s*+[人名](?:の|で|規模|くらい|ほど|程度)"
)
_YEARS_IN = re.compile(r"(?:川崎|市内)[^0-9]{0,8}([0-9]+)\s*年")
_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "manufacturing": ("製造", "ものづくり", "町工場", "工場", "加工", "部品", "メーカー"),
    "retail": ("小売", "商店", "お店", "店舗", "商業", "販売店"),
    "food": ("飲食", "レストラン", "カフェ", "居酒屋"),
    "construction": ("建設", "工務店", "建築", "土木"),
    "agriculture": ("農業", "農家", "農産"),
    "welfare": ("福祉", "介護", "ケア"),
    "it": ("IT", "ソフトウェア", "アプリ", "システム開発", "コンテンツ", "情報通信"),
    "service": ("サービス業",),
}
_SMALL_WORDS = ("小規模", "零細", "個人事業", "一人", "ひとり")


def industries_named(text: str) -> set[str]:
    """The industries a text is about (「中小製造業者」 → manufacturing)."""
    return {name for name, words in _INDUSTRIES.items() if any(w in text for w in words)}


@dataclass(frozen=True, slots=True)
class Profile:
    """What the asker says about their business."""

    industry: str | None = None
    employees: int | None = None
    years_in_city: int | None = None
    npo: bool = False
    sole_proprietor: bool = False
    small: bool = False

    def merged(self, newer: Profile) -> Profile:
        return Profile(
            newer.industry or self.industry,
            newer.employees if newer.employees is not None else self.employees,
            newer.years_in_city if newer.years_in_city is not None else self.years_in_city,
            newer.npo or self.npo,
            newer.sole_proprietor or self.sole_proprietor,
            newer.small or self.small,
        )

    @property
    def empty(self) -> bool:
        return self == Profile()


def read_profile(text: str) -> Profile:
    """The profile a question states (programme and menu names already removed)."""
    industry = next((k for k, cues in _INDUSTRIES.items() if any(c in text for c in cues)), None)
    employees = None
    if m := _EMPLOYEES.search(text):
        employees = int(m.group(1) or m.group(2))
    years = int(m.group(1)) if (m := _YEARS_IN.search(text)) else None
    sole = "個人事業" in text or "フリーランス" in text
    npo = "NPO" in text.upper() or "非営利" in text
    small = any(w in text for w in _SMALL_WORDS)
    return Profile(industry, employees, years, npo, sole, small)
