"""`sme-assistant ask --conversation ID` resolves follow-ups asked in a later run."""

from __future__ import annotations

import json

import pytest

import assistant as assistant_pkg
from api.cli import main
from api.cli_assistant import conversation_store_path
from assistant import Assistant, SqliteConversationStore
from assistant.sources import SourceLines
from core import get_settings


@pytest.fixture()
def fresh_runs(monkeypatch, corpus, settings, report_path, tmp_path, fake_searcher_cls):
    """Every `ask` builds a new Assistant, as a new process would: only the store file is shared."""
    built: list[Assistant] = []

    def fake_build(_settings=None, conversations=None):
        made = Assistant(
            corpus,
            fake_searcher_cls(corpus),
            settings,
            SourceLines.read(settings.corpus),
            conversations=conversations,
        )
        built.append(made)
        return made

    monkeypatch.setattr(assistant_pkg, "build_assistant", fake_build)
    monkeypatch.setenv("SME_CORPUS_PATH", str(report_path))
    monkeypatch.setenv("SME_STORE_DIR", str(tmp_path / "cli-store"))
    return built


def _ask(capsys, question: str, *extra: str) -> dict:
    main(["ask", question, "--json", *extra])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("first", "follow_up", "programme"),
    [
        ("小規模事業資金（ミニ）の利率は？", "その上限は？", "間接融資事業"),
        ("間接融資事業について教えて", "その補助率は？", "間接融資事業"),
    ],
    ids=["cap-after-rate", "rate-after-overview"],
)
def test_follow_up_resolves_in_a_later_run(fresh_runs, capsys, first, follow_up, programme):
    _ask(capsys, first, "--conversation", "chat-1")
    later = _ask(capsys, follow_up, "--conversation", "chat-1")
    assert len(fresh_runs) == 2 and fresh_runs[0] is not fresh_runs[1]
    assert later["conversation_id"] == "chat-1"
    assert later["answerable"] is True
    assert {c["programme"] for c in later["citations"]} == {programme}
    # Another conversation has no such context: the same words resolve differently.
    alone = _ask(capsys, follow_up, "--conversation", "chat-2")
    assert {c["programme"] for c in alone["citations"]} != {programme}
    assert conversation_store_path(get_settings()).is_file()


def test_named_conversations_stay_out_of_the_web_namespace(fresh_runs, capsys):
    _ask(capsys, "小規模事業資金（ミニ）の利率は？", "--conversation", "chat1")
    path = conversation_store_path(get_settings())
    with SqliteConversationStore(path, "local") as local:
        assert local.exists("chat1")
    with SqliteConversationStore(path, "web") as web:  # what the API checks ids against
        assert not web.exists("chat1") and len(web) == 0


def test_without_conversation_nothing_is_stored(fresh_runs, capsys):
    _ask(capsys, "小規模事業資金（ミニ）の利率は？")
    assert not conversation_store_path(get_settings()).exists()


def test_corrupt_store_fails_fast_with_a_message(fresh_runs, capsys):
    path = conversation_store_path(get_settings())
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(SystemExit) as exc:
        main(["ask", "その上限は？", "--conversation", "chat-1"])
    assert exc.value.code == 2  # ConfigError
    err = capsys.readouterr().err
    assert err.startswith("error:") and str(path) in err and "Traceback" not in err
    assert fresh_runs == []  # failed before loading models


@pytest.mark.parametrize("cid", ["  ", "x" * 201, "a\nb"])
def test_bad_conversation_ids_are_refused(fresh_runs, capsys, cid):
    with pytest.raises(SystemExit) as exc:
        main(["ask", "その上限は？", "--conversation", cid])
    assert exc.value.code == 4
    assert "--conversation" in capsys.readouterr().err
    assert fresh_runs == []


def test_conversation_and_batch_do_not_mix(fresh_runs, tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "question": "その上限は？"}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--batch", str(src), "--conversation", "chat-1"])
    assert exc.value.code == 4
    assert fresh_runs == []
