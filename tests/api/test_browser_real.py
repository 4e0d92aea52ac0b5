"""The web chat end to end with the real stages (report ingested, hash embedder, temp store)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import create_app
from core import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = Path(__file__).resolve().parents[2] / "reports"


def _digits(text: str) -> str:
    return re.sub(r"[,\s]", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def real_server(serve, tmp_path_factory) -> Iterator[tuple[str, object]]:
    # The bundled report, a throwaway store and the hash embedder: real parsing, retrieval
    # and answering, without downloading or running a neural model.
    settings = Settings(store_dir=tmp_path_factory.mktemp("store"), embedder="hash")
    app = create_app(settings)
    with serve(app, start_timeout_s=300) as base:
        services = app.state.services
        if services.answerer is None or services.corpus is None:
            pytest.fail(f"real stages did not load: {services.error}")
        yield base, services.corpus


def _wait_answer(page, before: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('.msg-assistant').length > n"
        " && !document.querySelector('.msg-assistant[aria-busy]')",
        arg=before,
        timeout=60_000,
    )


def test_real_loan_limit_with_citation_and_follow_up(browser, real_server):
    base, corpus = real_server
    programme, menu = next(
        (p, m)
        for p in corpus.programmes
        for m in p.support_menus
        if m.kind == "loan" and m.cap_yen and m.rate
    )
    cap = menu.cap_yen
    amounts = {f"{cap // 10_000}万円", f"{cap}円"} if cap % 10_000 == 0 else {f"{cap}円"}
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/")
    page.fill("#chat-input", f"{menu.name}の限度額はいくらですか？")
    page.press("#chat-input", "Enter")
    _wait_answer(page, 0)
    answer = page.locator(".msg-assistant .answer-text").last.text_content()
    assert any(amount in _digits(answer) for amount in amounts), answer
    chip = page.locator(".msg-assistant .chip").first
    assert programme.name in page.locator(".msg-assistant .chips").last.text_content()
    chip.click()
    page.locator("#source-dialog").wait_for(state="visible")
    page.locator("#source-context").filter(has_not_text="読み込み中").wait_for()
    quote = _digits(page.locator("#source-quote").text_content())
    marked = page.locator("#source-context mark")
    assert marked.count() >= 1  # the verbatim quote is found in the cleaned passage
    assert all(_digits(text) in quote for text in marked.all_text_contents())
    assert "ページ" in page.locator("#source-meta").text_content()
    page.screenshot(path=str(REPORTS / "chat-real.png"), animations="disabled")
    page.keyboard.press("Escape")

    page.fill("#chat-input", "その利率は？")
    page.press("#chat-input", "Enter")
    _wait_answer(page, 1)
    follow = page.locator(".msg-assistant .answer-text").last.text_content()
    assert _digits(menu.rate).replace("以内", "").replace("年", "") in _digits(follow), follow
    context.close()
