"""Question understanding: normalisation, intent, entities, asked attribute, business profile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.aliases import AliasIndex
from assistant.lexicon import expand
from assistant.models import Intent
from assistant.text import kanji_to_int, nfkc, squash

__all__ = ["Profile", "Query", "QuestionParser"]

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
        "共済",
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
# Requested attributes and the words that ask for them.
_ATTRIBUTE_CUES: dict[str, tuple[str, ...]] = {
    "phone": ("電話", "TEL", "tel", "番号", "FAX", "ファックス"),
    "hours": ("営業時間", "受付時間", "何時", "開館", "曜日", "時間帯"),
    "deadline": (
        "締切",
        "締め切り",
        "期限",
        "いつまで",
        "募集期間",
        "申請期間",
        "応募期間",
        "今から申し込",
        "まだ申し込",
        "今から申請",
        "まだ申請",
    ),
    "address": ("住所", "所在地", "URL", "ホームページ", "サイト", "メール", "アクセス"),
    "rate": ("利率", "金利", "補助率", "何割", "何%", "利息"),
    "cap": ("上限", "限度", "いくらまで", "最大", "最高"),
    "term": ("返済期間", "期間", "何年", "日数", "何日", "何か月", "何ヶ月", "何カ月"),
    "count": ("何件", "何社", "何人", "件数", "応募数", "採択数", "社数"),
    "fee": (
        "手数料",
        "参加費",
        "会費",
        "相談料",
        "出展料は",
        "利用料",
        "使用料",
        "料金",
        "賞金",
        "報酬",
        "いくらで使",
        "受講料",
        "費用はかか",
        "家賃",
        "賃料",
        "月いくら",
        "お金かか",
    ),
    "documents": ("書類", "必要なもの", "手続き", "申請方法", "申し込み方法"),
    "penalty": ("罰則", "罰金", "違反"),
    "next_date": ("次回", "次の開催", "今度の開催", "次はいつ", "今度はいつ", "次いつ"),
    "requirements": ("条件", "要件", "資格", "応募できる"),
}
_ARTICLE = re.compile(r"第?([0-9]+|[一二三四五六七八九十]+)条")
_LAW_REF = re.compile(
    r"法第?(?:[0-9]+|[一二三四五六七八九十]+)条(?:第?(?:[0-9]+|[一二三四五六七八九十]+)項)?(?:の規定)?"
)
_HEISEI = re.compile(r"(?:平成|H)\s*([0-9]{1,2}|[一二三四五六七八九十]+)\s*年度?")
_SHORT_FY = re.compile(r"(?<![0-9])([0-9]{2})年度")
_WESTERN_FY = re.compile(r"(20[0-9]{2})年度?")
_EMPLOYEES = re.compile(
    r"(?:社員|従業員|従業者|スタッフ|職員)[^0-9]{0,4}([0-9]+)\s*[人名]|([0-9]+)\s*[人名](?:の|で|規模|くらい|ほど|程度)"
)
_YEARS_IN = re.compile(r"(?:川崎|市内)[^0-9]{0,8}([0-9]+)\s*年")
_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "manufacturing": ("製造", "ものづくり", "町工場", "工場", "加工", "部品", "メーカー"),
    "retail": ("小売", "商店", "お店", "店舗", "商業", "販売店"),
    "food": ("飲食", "レストラン", "カフェ", "居酒屋"),
    "construction": ("建設", "工務店", "建築", "土木"),
    "agriculture": ("農業", "農家", "農産"),
    "welfare": ("福祉", "介護", "ケア"),
    "it": ("IT", "ソフトウェア", "アプリ", "システム開発", "コンテンツ"),
    "service": ("サービス業",),
}
_FOLLOW_UP = ("その", "それ", "この", "そこ", "あの", "同じ", "だったら", "なら", "の場合", "では")
_TOPIC_WORD = re.compile(r"[\u4e00-\u9fff]{3,}|[ァ-ヴー]{3,}|[A-Z]{2,}")
_HOW_MANY = ("どれくらい", "どのくらい", "何件", "何人", "何社", "何回", "何名")
_SMALL_WORDS = ("小規模", "零細", "個人事業", "一人", "ひとり")


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


@dataclass(frozen=True, slots=True)
class Query:
    question: str
    text: str  # NFKC form
    intent: Intent
    programmes: tuple[str, ...] = ()
    articles: tuple[int, ...] = ()
    fiscal_years: tuple[int, ...] = ()  # western
    attributes: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)
    follow_up: bool = False
    intent_cued: bool = False

    @property
    def _new_topic(self) -> bool:
        # Statistics and the ordinance are not about the previous turn's programme.
        return self.intent_cued and self.intent in (Intent.STATISTICS, Intent.ORDINANCE)

    def with_context(self, previous: Query) -> Query:
        """Fill what a follow-up leaves out from the previous turn."""
        return replace(
            self,
            text=f"{previous.text} {self.text}",
            intent=self.intent if self.intent_cued else previous.intent,
            programmes=self.programmes or (() if self._new_topic else previous.programmes),
            articles=self.articles or (previous.articles if not self.programmes else ()),
            fiscal_years=self.fiscal_years or previous.fiscal_years,
            profile=previous.profile.merged(self.profile),
        )


def _fiscal_years(text: str) -> tuple[int, ...]:
    years: list[int] = []
    for m in _HEISEI.finditer(text):
        n = int(m.group(1)) if m.group(1).isdigit() else kanji_to_int(m.group(1))
        if n:
            years.append(1988 + n)
    for m in _WESTERN_FY.finditer(text):
        years.append(int(m.group(1)))
    stripped = _HEISEI.sub("", _WESTERN_FY.sub("", text))
    years.extend(1988 + int(m.group(1)) for m in _SHORT_FY.finditer(stripped))
    return tuple(dict.fromkeys(years))


_WHERE_WORDS = ("住所", "所在地", "URL", "メール", "アクセス", "どこ")
_EXISTS = re.compile(r"(?:って|は|が)(?:ある|あります)(?:の|か)?[?？。]?$")


def _asks_existence(text: str) -> bool:
    """A site or page asked about by whether it exists, without asking where it is."""
    return bool(_EXISTS.search(text)) and not any(w in text for w in _WHERE_WORDS)


def _profile(text: str) -> Profile:
    industry = next((k for k, cues in _INDUSTRIES.items() if any(c in text for c in cues)), None)
    employees = None
    if m := _EMPLOYEES.search(text):
        employees = int(m.group(1) or m.group(2))
    years = int(m.group(1)) if (m := _YEARS_IN.search(text)) else None
    sole = "個人事業" in text or "フリーランス" in text
    npo = "NPO" in text.upper() or "非営利" in text
    small = any(w in text for w in _SMALL_WORDS)
    return Profile(industry, employees, years, npo, sole, small)


class QuestionParser:
    """Turns a question into a :class:`Query` (pure, no retrieval)."""

    def __init__(self, aliases: AliasIndex) -> None:
        self.aliases = aliases

    def parse(self, question: str) -> Query:
        text = nfkc(question).strip()
        articles: list[int] = []
        for m in _ARTICLE.finditer(text):
            if text[: m.start()].endswith("法"):
                continue  # 〇〇法第2条 cites another law, not the ordinance
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else kanji_to_int(raw)
            if n is not None and 1 <= n <= 99:
                articles.append(n)
        if "前文" in text:
            articles.append(0)
        if "附則" in text:
            articles.append(25)
        # 「〇〇法第2条第5項の規定」 cites another law: its 条/規定 are no ordinance cue.
        cue_text = _LAW_REF.sub("法", text)
        scores = {i: sum(1 for c in cues if c in cue_text) for i, cues in _INTENT_CUES.items()}
        if articles:
            scores[Intent.ORDINANCE] += 2
        if any(w in text for w in ("予算", "決算", "実績額", "概要額")):
            scores[Intent.BUDGET] += 1  # a budget word outweighs the programme's own 補助/融資
        if any(w in text for w in _HOW_MANY) and scores[Intent.BUDGET] == 0:
            scores[Intent.KPI] += 1  # "how many" asks for a figure, not for a desk or a menu
        if "条例" in text:  # naming the ordinance outweighs generic words like 内容
            scores[Intent.ORDINANCE] += 1
        cued = max(scores.values()) > 0
        intent = max(scores, key=lambda i: scores[i]) if cued else Intent.PROGRAMME
        attributes = tuple(a for a, cues in _ATTRIBUTE_CUES.items() if any(c in text for c in cues))
        if "address" in attributes and _asks_existence(text):
            # 「…が見られるサイトってある？」 asks which site, not its address.
            attributes = tuple(a for a in attributes if a != "address")
        programmes = tuple(self.aliases.find(text))
        compact = squash(text)
        named = text
        for pid in programmes:
            named = named.replace(nfkc(self.aliases.names.get(pid, "")), "")
        for menu in self.aliases.menu_names:
            named = named.replace(menu, "")
        profile = _profile(named)
        short_refinement = len(compact) <= 14 and (cued or bool(attributes) or not profile.empty)
        # A cued question without its own topic words ("28年度はどれくらい？") continues
        # the conversation; one naming a new topic ("展示会に出たい…") starts afresh.
        own_topic = bool(_TOPIC_WORD.search(text))
        follow_up = (
            not programmes
            and not articles
            and (any(w in text for w in _FOLLOW_UP) or short_refinement or (cued and not own_topic))
        )
        return Query(
            question=question,
            text=expand(text),
            intent=intent,
            programmes=programmes,
            articles=tuple(dict.fromkeys(articles)),
            fiscal_years=_fiscal_years(text),
            attributes=attributes,
            profile=profile,
            follow_up=follow_up,
            intent_cued=cued,
        )
