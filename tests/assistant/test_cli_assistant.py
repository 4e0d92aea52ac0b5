from __future__ import annotations

import json

import pytest

import assistant as assistant_pkg
from api import cli_assistant
from api.cli import main


@pytest.fixture()
def cli_env(monkeypatch, assistant, settings, report_path):
    calls = {"built": 0}

    def fake_build(_settings=None):
        calls["built"] += 1
        return assistant

    monkeypatch.setattr(assistant_pkg, "build_assistant", fake_build)
    monkeypatch.setenv("SME_CORPUS_PATH", str(report_path))
    return calls


def test_ask_json(cli_env, capsys):
    main(["ask", "産学共同研究の補助上限は？", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"question", "answer", "answerable", "intent", "citations", "latency_ms"}
    assert out["intent"] == "subsidy" and out["answerable"] is True
    cite = out["citations"][0]
    assert set(cite) == {"id", "kind", "programme", "article", "section", "page", "quote", "lines"}
    assert isinstance(cite["lines"], list) and len(cite["lines"]) == 2


def test_batch_loads_once_and_writes_ids(cli_env, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in [
                {"id": "q1", "question": "小規模事業資金（ミニ）の利率は？"},
                {"id": "q2", "question": ["産学共同研究の補助上限は？", "その補助率は？"]},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    main(["ask", "--batch", str(src), "--out", str(out)])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]
    assert "1.3%" in rows[0]["answer"]
    assert "2/3" in rows[1]["answer"]
    assert cli_env["built"] == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"id": "a", "question": "ok"}\n{not json}\n', ":2:"),
        ('{"id": "a"}\n', ":1:"),
        ('{"id": "a", "question": "   "}\n', ":1:"),
        # 300 characters as typed, 1,200 after NFKC (㍿ → 株式会社): over the 1,000 limit.
        ('{"id": "a", "question": "ok"}\n{"id": "b", "question": "' + "㍿" * 300 + '"}\n', ":2:"),
    ],
)
def test_batch_malformed_lines_exit_with_line_number(cli_env, tmp_path, capsys, content, needle):
    src = tmp_path / "bad.jsonl"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--batch", str(src)])
    assert exc.value.code == 4  # AnswerError
    assert needle in capsys.readouterr().err
    assert cli_env["built"] == 0  # validated before loading models


def test_empty_and_huge_questions(cli_env, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ask", "  "])
    assert exc.value.code == 4
    with pytest.raises(SystemExit):
        main(["ask", "あ" * 5000])
    assert "error:" in capsys.readouterr().err


def test_answer_to_dict_roundtrips(assistant):
    row = cli_assistant.answer_to_dict(assistant.ask("市内の事業所数は？"))
    assert json.loads(json.dumps(row, ensure_ascii=False)) == row


@pytest.mark.parametrize("question", ["\udcff", "融資の\ud800上限", "融資\x00の上限", "㍿" * 1000])
def test_invalid_or_too_long_question_is_one_error_line(cli_env, capsys, question):
    # "\udcff" is what Python makes of a command-line byte that is not UTF-8.
    with pytest.raises(SystemExit) as exc:
        main(["ask", question])
    assert exc.value.code == 4
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert cli_env["built"] == 0


def test_batch_rejects_escapes_that_are_not_text(cli_env, tmp_path, capsys):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "a", "question": "ok"}\n{"id": "b", "question": "\\ud800"}\n', "utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--batch", str(src)])
    assert exc.value.code == 4
    err = capsys.readouterr().err
    assert ":2:" in err and "使用できない文字" in err
    assert cli_env["built"] == 0
