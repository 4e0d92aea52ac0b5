"""The runner, the summary, the thresholds, the report files and the eval command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant import Answer
from core import AnswerError, ConfigError
from eval import cli as eval_cli
from eval.baselines import RefuseAllAnswerer
from eval.report import write_report
from eval.runner import EvalRunner
from eval.thresholds import load_thresholds


def _oracle_run(kit, gold_items, search):
    oracle = kit.OracleAnswerer(gold_items, kit.CHUNKS)
    runner = EvalRunner(oracle, search, programme_names=kit.PROGRAMME_NAMES, progress=False)
    return oracle, runner.run(gold_items)


def test_oracle_scores_perfect_answers(kit, gold_items, search):
    _, result = _oracle_run(kit, gold_items, search)
    overall = result.summary["overall"]
    assert overall["n"] == len(gold_items)
    assert overall["n_unanswerable"] == 2
    assert overall["key_fact_accuracy"] == 1.0
    assert overall["refusal_accuracy"] == 1.0
    assert overall["false_refusal_rate"] == 0.0
    assert overall["unfaithful_numbers"] == 0
    assert overall["citation_precision"] == 1.0
    assert overall["recall@5"] == 1.0
    assert overall["latency_p50_ms"] is not None
    assert overall["colloquial_key_fact_gap"] == 0.0


def test_summary_groups_by_category_and_style(kit, gold_items, search):
    _, result = _oracle_run(kit, gold_items, search)
    cats = result.summary["by_category"]
    assert set(cats) == {i.category for i in gold_items}
    assert cats["unanswerable"]["key_fact_accuracy"] is None  # no answerable items there
    assert cats["loan"]["refusal_accuracy"] is None
    styles = result.summary["by_style"]
    assert styles["formal"]["n"] + styles["colloquial"]["n"] == len(gold_items)


def test_multi_turn_asks_every_turn_in_one_conversation(kit, gold_items, search):
    oracle, result = _oracle_run(kit, gold_items, search)
    multi = next(i for i in gold_items if i.category == "multi_turn")
    calls = [c for c in oracle.calls if c[0] in multi.turns]
    assert [q for q, _ in calls] == list(multi.turns)
    assert len({cid for _, cid in calls}) == 1
    scored = next(r for r in result.items if r.id == multi.id)
    assert scored.question == multi.turns[-1]
    assert len(scored.latencies_ms) == len(multi.turns)


def test_retrieval_is_scored_with_the_injected_search(kit, gold_items):
    wrong_first = [c for c in kit.CHUNKS if c.article is None] + [
        c for c in kit.CHUNKS if c.article is not None
    ]

    def search(query, k):
        return [kit.Hit(chunk=c, score=1.0, rank=i + 1) for i, c in enumerate(wrong_first[:k])]

    item = next(i for i in gold_items if i.category == "ordinance")
    runner = EvalRunner(kit.OracleAnswerer(gold_items, kit.CHUNKS), search, progress=False)
    scored = runner.score(item)
    rank = next(i for i, c in enumerate(wrong_first, 1) if c.article is not None)
    assert scored.retrieval == {"recall@1": 0.0, "recall@5": 1.0, "mrr": pytest.approx(1 / rank)}
    assert "retrieval" not in scored.failures()  # found within 5
    no_search = EvalRunner(kit.OracleAnswerer(gold_items, kit.CHUNKS), None, progress=False)
    assert no_search.score(item).retrieval is None


def test_refuse_all_fails_key_facts_and_refusal(kit, gold_items, search):
    result = EvalRunner(RefuseAllAnswerer(), search, progress=False).run(gold_items)
    overall = result.summary["overall"]
    assert overall["key_fact_accuracy"] == 0.0
    assert overall["refusal_accuracy"] == 0.0  # refused, but points nowhere
    assert overall["false_refusal_rate"] == 1.0


class _Failing:
    def ask(self, question, conversation_id=None) -> Answer:
        raise AnswerError("broken")

    def stream(self, question, conversation_id=None):
        raise AnswerError("broken")


def test_a_failing_item_is_recorded_not_fatal(gold_items):
    result = EvalRunner(_Failing(), progress=False).run(gold_items[:2])
    assert result.summary["overall"]["errors"] == 2
    assert all("error" in r.failures() for r in result.items)
    assert result.summary["overall"]["key_fact_accuracy"] == 0.0


def test_thresholds_check(tmp_path):
    th = load_thresholds()
    assert th.minimum["recall@5"] == 0.95
    assert th.maximum["unfaithful_numbers"] == 0
    good = {
        "recall@5": 1.0,
        "mrr": 0.9,
        "key_fact_accuracy": 0.95,
        "refusal_accuracy": 1.0,
        "unfaithful_numbers": 0,
        "colloquial_key_fact_gap": 0.0,
    }
    assert th.check(good) == []
    bad = {**good, "mrr": 0.5, "unfaithful_numbers": 2, "refusal_accuracy": None}
    assert sorted(m.metric for m in th.check(bad)) == ["mrr", "unfaithful_numbers"]
    broken = tmp_path / "t.toml"
    broken.write_text('[min]\nmrr = "high"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_thresholds(broken)


def test_report_files(kit, gold_items, search, tmp_path):
    result = EvalRunner(RefuseAllAnswerer(), search, progress=False).run(gold_items)
    th = load_thresholds()
    misses = th.check(result.summary["overall"])
    paths = write_report(result, tmp_path / "out", th, misses, {"gold": "test"})
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert len(data["items"]) == len(gold_items)
    assert data["summary"]["overall"]["refusal_accuracy"] == 0.0
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "FAILED" in md
    assert "| Key-fact accuracy |" in md
    assert "## Failures (6 of 6 items)" in md
    assert gold_items[0].question in md and gold_items[0].answer in md
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _gold_file(tmp_path, gold_items):
    path = tmp_path / "gold.jsonl"
    rows = []
    for item in gold_items:
        rows.append(
            {
                "id": item.id,
                "category": item.category,
                "style": item.style,
                "question": list(item.turns) if item.category == "multi_turn" else item.question,
                "answer": item.answer,
                "must_include": list(item.must_include),
                "sources": [s.as_dict() for s in item.sources],
                "answerable": item.answerable,
            }
        )
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(("answerer", "code"), [("oracle", 0), ("refuse", 1)])
def test_eval_command_exit_code_follows_thresholds(
    kit, gold_items, search, tmp_path, monkeypatch, answerer, code
):
    chosen = (
        kit.OracleAnswerer(gold_items, kit.CHUNKS) if answerer == "oracle" else RefuseAllAnswerer()
    )
    monkeypatch.setattr(
        eval_cli, "load_pipeline", lambda settings: (chosen, search, kit.PROGRAMME_NAMES)
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        eval_cli.eval_command,
        ["--gold", str(_gold_file(tmp_path, gold_items)), "--out", str(out), "--no-progress"],
    )
    assert res.exit_code == code, res.output
    assert (out / "report.json").exists() and (out / "summary.md").exists()
    assert "items in" in res.output


def test_eval_command_limit(kit, gold_items, search, tmp_path, monkeypatch):
    oracle = kit.OracleAnswerer(gold_items, kit.CHUNKS)
    monkeypatch.setattr(
        eval_cli, "load_pipeline", lambda settings: (oracle, search, kit.PROGRAMME_NAMES)
    )
    res = CliRunner().invoke(
        eval_cli.eval_command,
        [
            "--gold",
            str(_gold_file(tmp_path, gold_items)),
            "--out",
            str(tmp_path / "o"),
            "--limit",
            "2",
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert len(data["items"]) == 2


def test_limit_takes_items_from_every_category_in_turn(gold_items):
    picked = eval_cli.take_round_robin(gold_items, 4)
    assert len(picked) == 4
    assert len({i.category for i in picked}) == 4
    everything = eval_cli.take_round_robin(gold_items, 100)
    assert sorted(i.id for i in everything) == sorted(i.id for i in gold_items)


def test_summary_lists_each_acceptance_metric_with_its_verdict(kit, gold_items, search, tmp_path):
    result = EvalRunner(RefuseAllAnswerer(), search, progress=False).run(gold_items)
    th = load_thresholds()
    paths = write_report(result, tmp_path, th, th.check(result.summary["overall"]))
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "| key_fact_accuracy | 0.000 | ≥ 0.9 | **no** |" in md
    assert "| unfaithful_numbers | 0 | ≤ 0 | yes |" in md
