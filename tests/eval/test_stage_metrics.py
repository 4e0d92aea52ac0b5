"""Stage metrics on hand-made cases: topic@k, the top-3 facts ceiling, desks and length."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eval import cli as eval_cli
from eval import stage_metrics as sm
from eval.baselines import RefuseAllAnswerer
from eval.desks import DeskDirectory
from eval.gold_schema import GoldSource
from eval.report import write_report
from eval.runner import EvalRunner
from ingest import Contact, Programme, Span

# --- topics -----------------------------------------------------------------------------


def test_a_chunks_topic_is_its_programme_else_article_else_section(kit):
    both = kit.make_chunk("a", "x", 1, programme="P-loan", article=14)
    assert sm.topic_of(both, kit.PROGRAMME_NAMES) == ("programme", "経営安定資金")
    assert sm.topic_of(both) == ("programme", "P-loan")
    assert sm.topic_of(kit.make_chunk("b", "x", 1, article=14)) == ("article", "14")
    assert sm.topic_of(kit.make_chunk("c", "x", 1, section="column")) == ("section", "column")
    assert sm.topic_of(kit.make_chunk("d", "x", 1)) is None


def test_topics_from_hits_keep_rank_order_and_drop_repeats(kit):
    chunks = [
        kit.make_chunk("1", "x", 1, programme="P-loan", article=12),
        kit.make_chunk("2", "x", 1, programme="P-loan", article=12),
        kit.make_chunk("3", "x", 1, article=14),
        kit.make_chunk("4", "x", 1, programme="P-rd", article=14),
    ]
    ranked = sm.topics_from_units(chunks, kit.PROGRAMME_NAMES)
    assert ranked == [
        ("programme", "経営安定資金"),
        ("article", "14"),
        ("programme", "研究開発助成"),
    ]


def test_topic_at_k_counts_distinct_topics_not_hits():
    ranked = [("programme", "A"), ("article", "14"), ("section", "column"), ("programme", "B")]
    assert sm.topic_scores(ranked, [GoldSource(article=14)]) == {
        "topic@1": 0.0,
        "topic@3": 1.0,
        "topic@5": 1.0,
    }
    assert sm.topic_scores(ranked, [GoldSource(programme="Ｂ")])["topic@3"] == 0.0
    assert sm.topic_scores(ranked, [GoldSource(programme="B")])["topic@5"] == 1.0
    # Any one of the gold sources is enough.
    two = [GoldSource(section="statistics"), GoldSource(programme="A")]
    assert sm.topic_scores(ranked, two)["topic@1"] == 1.0
    assert sm.topic_scores([], two)["topic@5"] == 0.0


def test_an_article_source_is_not_the_topic_of_a_programme_chunk_in_that_article(kit):
    ranked = sm.topics_from_units([kit.make_chunk("a", "x", 1, programme="P-rd", article=14)])
    assert sm.topic_scores(ranked, [GoldSource(article=14)])["topic@5"] == 0.0


class _Ranker:
    """A Topics stage stand-in: ranks the statistics section first, then article 14."""

    def __init__(self) -> None:
        self.questions: list[str] = []

    def rank_topics(self, question: str) -> list[GoldSource]:
        self.questions.append(question)
        return [GoldSource(section="statistics"), GoldSource(article=14)]


class _RankingOracle:
    def __init__(self, kit, items) -> None:
        self.oracle = kit.OracleAnswerer(items, kit.CHUNKS)
        self.ranker = _Ranker()

    def ask(self, question, conversation_id=None):
        return self.oracle.ask(question, conversation_id)

    def stream(self, question, conversation_id=None):
        yield self.ask(question, conversation_id)

    def rank_topics(self, question):
        return self.ranker.rank_topics(question)


def _runner(kit, items, search, **kwargs):
    oracle = kit.OracleAnswerer(items, kit.CHUNKS)
    return EvalRunner(oracle, search, programme_names=kit.PROGRAMME_NAMES, progress=False, **kwargs)


def test_topics_are_read_off_the_search_hits_without_a_topics_stage(kit, gold_items, search):
    runner = _runner(kit, gold_items, search)
    assert runner.stages.topic_source == "search hits"
    scored = runner.score(gold_items[2])  # article 14, behind the 研究開発 subsidy's chunk
    assert scored.topics[:2] == ("programme=研究開発助成", "article=14")
    assert scored.topic_hits == {"topic@1": 0.0, "topic@3": 1.0, "topic@5": 1.0}
    assert runner.score(gold_items[1]).topic_hits == {
        "topic@1": 1.0,
        "topic@3": 1.0,
        "topic@5": 1.0,
    }


def test_the_answerers_rank_topics_is_preferred_over_search(kit, gold_items, search):
    answerer = _RankingOracle(kit, gold_items)
    runner = EvalRunner(answerer, search, progress=False)
    assert runner.stages.topic_source == "_RankingOracle.rank_topics"
    scored = runner.score(gold_items[2])
    assert scored.topics == ("section=statistics", "article=14")
    assert scored.topic_hits == {"topic@1": 0.0, "topic@3": 1.0, "topic@5": 1.0}
    # A follow-up is ranked from the conversation's turns, as the answerer reads its last one.
    multi = next(i for i in gold_items if i.category == "multi_turn")
    runner.score(multi)
    assert answerer.ranker.questions[-1] == tuple(multi.turns)
    # An explicit ranker wins over the answerer's.
    other = _Ranker()
    EvalRunner(answerer, search, progress=False, topics=other).score(gold_items[0])
    assert other.questions == [gold_items[0].question]


def test_topic_at_k_is_aggregated_apart_for_unanswerable_items(kit, gold_items, search):
    pointer = kit.gold(
        "u", "法人税率は？", "記載なし", (), [GoldSource(article=14)], "unanswerable"
    )
    items = (*gold_items, pointer)
    result = _runner(kit, items, search).run(items)
    summary = result.summary
    scored = {r.id: r for r in result.items}
    assert scored["g5"].topic_hits is None  # unanswerable without sources
    assert scored["u"].topic_hits == {"topic@1": 0.0, "topic@3": 1.0, "topic@5": 1.0}
    assert summary["overall"]["topic@1"] == 0.75  # the four answerable items only
    assert summary["overall"]["unanswerable_topic@1"] == 0.0
    assert summary["overall"]["unanswerable_topic@3"] == 1.0
    assert summary["by_category"]["unanswerable"]["topic@1"] is None
    assert summary["by_style"]["colloquial"]["topic@1"] == 1.0
    assert summary["by_category"]["ordinance"]["topic@1"] == 0.0


# --- the facts retrieval reaches ----------------------------------------------------------


def test_facts_in_chunks_needs_every_fact_in_some_chunk(kit):
    a = kit.make_chunk("a", "限度額 8,000 万円", 1)
    b = kit.make_chunk("b", "年 1.3％以内", 2)
    assert sm.facts_in_chunks([a, b], ["8000万円", "1.3%"])
    assert not sm.facts_in_chunks([a], ["8000万円", "1.3%"])
    assert not sm.facts_in_chunks([a, b], ["800万円"])


def test_the_ceiling_reads_only_the_first_three_retrieved_chunks(kit, gold_items):
    item = gold_items[0]  # needs 8,000万円, held by chunk k1b only
    filler = [kit.make_chunk(f"f{i}", "関係ない文", i + 1) for i in range(3)]
    holder = next(c for c in kit.CHUNKS if c.id == "k1b")

    def search_with(order):
        return lambda q, k: [kit.Hit(chunk=c, score=1.0, rank=i + 1) for i, c in enumerate(order)]

    oracle = kit.OracleAnswerer(gold_items, kit.CHUNKS)
    late = EvalRunner(oracle, search_with([*filler, holder]), progress=False).score(item)
    assert late.facts_in_top3 is False
    early = EvalRunner(oracle, search_with([filler[0], holder]), progress=False).score(item)
    assert early.facts_in_top3 is True
    assert EvalRunner(oracle, None, progress=False).score(item).facts_in_top3 is None


# --- desks and length in the runner -------------------------------------------------------


def _contact_programmes() -> tuple[Programme, ...]:
    def prog(name: str, contact: str) -> Programme:
        return Programme(
            id=name,
            name=name,
            article=14,
            focus=False,
            page=1,
            lines=Span(1, 1),
            contacts=(Contact(contact, None, Span(2, 2)),),
        )

    return (
        prog("海外販路開拓事業", "海外ビジネス支援センター"),
        prog("経営相談事業", "経営相談窓口"),
    )


def test_desk_precision_counts_named_desks_over_contact_items(kit, search):
    src = [GoldSource(programme="海外販路開拓事業")]
    items = (
        kit.gold(
            "c1", "海外の相談先は？", "海外ビジネス支援センターです。", ["センター"], src, "contact"
        ),
        kit.gold(
            "c2",
            "海外展開の窓口は？",
            "海外ビジネス支援センターか経営相談窓口。",
            ["窓口"],
            src,
            "contact",
        ),
        kit.gold("c3", "海外の相談は？", "市にご相談を。", ["相談"], src, "contact"),
        kit.gold("l1", "経営相談窓口は？", "経営相談窓口です。", ["窓口"], src, "loan"),
    )
    desks = DeskDirectory(_contact_programmes())
    runner = EvalRunner(kit.OracleAnswerer(items, kit.CHUNKS), search, progress=False, desks=desks)
    result = runner.run(items)
    scored = {r.id: r for r in result.items}
    assert scored["c2"].wrong_desks == ("経営相談窓口",)
    assert scored["c3"].named_desks == ()
    assert scored["l1"].named_desks is None  # only contact items are judged
    overall = result.summary["overall"]
    assert overall["desk_items"] == 3
    assert overall["desks_named"] == 3
    assert overall["desk_precision"] == pytest.approx(2 / 3)
    assert overall["wrong_desk_rate"] == pytest.approx(1 / 3)
    assert result.summary["by_category"]["loan"]["desk_precision"] is None


def test_an_item_spread_over_two_programmes_is_exploratory(kit):
    two = kit.gold("x", "q", "a", ["a"], [GoldSource(programme="A"), GoldSource(programme="B")])
    beside = kit.gold(
        "y", "q", "a", ["a"], [GoldSource(programme="A"), GoldSource(section="column")]
    )
    assert sm.is_exploratory(two)
    assert not sm.is_exploratory(beside)


def test_median_length_leaves_out_exploratory_items_but_all_counts_every_item(kit, search):
    a, b = GoldSource(programme="A"), GoldSource(programme="B")
    items = (
        kit.gold("s1", "q1", "あ" * 10, ["あ"], [a]),
        kit.gold("s2", "q2", "い" * 20, ["い"], [a]),
        kit.gold("s3", "q3", "う" * 300, ["う"], [a, b]),  # exploratory
        kit.gold("u1", "q4", "記載なし", (), (), "unanswerable"),
    )
    result = EvalRunner(kit.OracleAnswerer(items, kit.CHUNKS), search, progress=False).run(items)
    overall = result.summary["overall"]
    assert overall["n_exploratory"] == 1
    assert overall["answer_chars_p50_focused"] == 15.0
    refusal = len(next(r.got for r in result.items if r.id == "u1"))
    lengths = sorted([10, 20, 300, refusal])
    assert overall["answer_chars_p50_all"] == pytest.approx((lengths[1] + lengths[2]) / 2)


# --- where the figures are shown -------------------------------------------------------


def test_report_and_command_show_the_stage_metrics(kit, gold_items, search, tmp_path, monkeypatch):
    result = EvalRunner(RefuseAllAnswerer(), search, progress=False).run(gold_items)
    paths = write_report(result, tmp_path / "r", None, (), {"gold": "test"})
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## Stage metrics" in md
    assert "| stage metric | overall | colloquial | formal |" in md
    assert "| Topic@1 |" in md and "| Key facts in top-3 chunks |" in md
    assert "| Desk precision |" in md and "| Median answer length, focused (chars) |" in md
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert "topic@3" in data["summary"]["overall"]
    assert "topic_hits" in data["items"][0]

    oracle = kit.OracleAnswerer(gold_items, kit.CHUNKS)
    monkeypatch.setattr(
        eval_cli, "load_pipeline", lambda settings: (oracle, search, kit.PROGRAMME_NAMES)
    )
    gold_file = tmp_path / "g.jsonl"
    gold_file.write_text(
        json.dumps(
            {
                "id": "g1",
                "category": "loan",
                "style": "formal",
                "question": gold_items[0].question,
                "answer": gold_items[0].answer,
                "must_include": list(gold_items[0].must_include),
                "sources": [s.as_dict() for s in gold_items[0].sources],
                "answerable": True,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "o"
    res = CliRunner().invoke(
        eval_cli.eval_command, ["--gold", str(gold_file), "--out", str(out), "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    assert "topic@1 1.000" in res.output and "facts in top-3 chunks 1.000" in res.output
    assert "topic ranking**: search hits" in (out / "summary.md").read_text(encoding="utf-8")


def test_ranked_facts_at_k_need_every_key_fact_within_the_first_k() -> None:
    from eval.stage_metrics import ranked_fact_hits  # noqa: PLC0415 - one test's import

    texts = ["上限は500万円です。", "補助率は2/3以内。", "別の事業"]
    assert ranked_fact_hits(texts, ["500万円", "2/3"]) == {"facts@1": 0.0, "facts@3": 1.0}
    assert ranked_fact_hits(texts, ["500万円"]) == {"facts@1": 1.0, "facts@3": 1.0}
    assert ranked_fact_hits(texts, ["1/2"]) == {"facts@1": 0.0, "facts@3": 0.0}


def test_a_conversations_topics_and_facts_are_ranked_from_its_turns(kit) -> None:
    asked: list[object] = []

    class Ranker:
        def rank_facts(self, question):
            asked.append(("facts", question))
            return ["上限は500万円です。"]

        def rank_topics(self, question):
            asked.append(("topics", question))
            return [GoldSource(section="statistics")]

    scorer = sm.StageScorer(None, Ranker(), facts=Ranker())
    source = [GoldSource(section="statistics")]
    one = kit.gold("t1", "上限は？", "500万円。", ["500万円"], source)
    two = kit.gold("t2", ("補助はある？", "上限は？"), "500万円。", ["500万円"], source)
    for item in (one, two):
        scored = scorer.score(item, kit.answer("500万円。"), ())
        assert scored["ranked_facts"]["facts@1"] == 1.0 and scored["topic_hits"]["topic@1"] == 1.0
    turns = ("補助はある？", "上限は？")
    assert asked == [
        ("topics", "上限は？"),
        ("facts", "上限は？"),
        ("topics", turns),
        ("facts", turns),
    ]
