"""The held-out report splits into an inspected half and a blind half by item number."""

from __future__ import annotations

import json

from eval.halves import half_of, main, split_scores


def test_half_of_uses_the_trailing_number():
    assert half_of("h2-kpi-04") == "inspected"
    assert half_of("h2-kpi-05") == "blind"
    assert half_of("no-number") == "blind"


def test_split_scores_counts_each_half_apart():
    items = [
        {"id": "x-02", "answerable": True, "key_fact_ok": True},
        {"id": "x-04", "answerable": False, "refusal_ok": False},
        {"id": "x-01", "answerable": True, "key_fact_ok": False, "unfaithful_numbers": ["9"]},
        {"id": "x-03", "answerable": True, "key_fact_ok": True},
        {"id": "x-05", "answerable": False, "refusal_ok": True},
    ]
    scores = split_scores(items)
    assert scores["inspected"] == {
        "items": 2,
        "key_fact_accuracy": 1.0,
        "refusal_accuracy": 0.0,
        "unfaithful_items": 0,
    }
    assert scores["blind"]["items"] == 3
    assert scores["blind"]["key_fact_accuracy"] == 0.5
    assert scores["blind"]["refusal_accuracy"] == 1.0
    assert scores["blind"]["unfaithful_items"] == 1


def test_main_reads_a_report_and_rejects_bad_input(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"items": [{"id": "a-1", "answerable": True}]}), "utf-8")
    assert main([str(report)]) == 0
    assert "blind: items 1" in capsys.readouterr().out
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    assert main([str(broken)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main([]) == 2
