"""The web chat in headless Chromium (Debian's), against the app served by uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api import Services, create_app
from core import Settings

pytestmark = pytest.mark.browser

REPORTS = Path(__file__).resolve().parents[2] / "reports"


@pytest.fixture(scope="module")
def live_settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def live(fakes, serve, live_settings) -> Iterator[tuple[str, object, object]]:
    corpus = fakes.build_corpus()
    # A small delay per piece so the answer really arrives in several chunks.
    answerer = fakes.FakeAnswerer(corpus, delay_s=0.03)
    services = Services(corpus, fakes.FakeSearcher(corpus), answerer)
    with serve(create_app(live_settings, services=services)) as base:
        yield base, corpus, answerer


@pytest.fixture
def page(browser, live):
    context = browser.new_context(
        viewport={"width": 1440, "height": 900},
        locale="ja-JP",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live[0] + "/")
    yield page
    context.close()


def _ask(page, question: str) -> None:
    before = page.locator(".msg-assistant").count()
    page.fill("#chat-input", question)
    page.press("#chat-input", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.msg-assistant').length > n"
        " && !document.querySelector('.msg-assistant[aria-busy]')",
        arg=before,
    )


def test_streamed_answer_with_a_citation_chip_that_opens_its_passage(page, live, fakes):
    _, corpus, _ = live
    programme = corpus.programmes[0]
    menu = programme.support_menus[0]
    # Record every text the answer bubble shows, to see the answer arrive in pieces.
    page.evaluate(
        """() => {
        window.__seen = new Set();
        new MutationObserver(() => {
          const node = document.querySelector('.msg-assistant .answer-text');
          if (node && node.textContent) window.__seen.add(node.textContent);
        }).observe(document.getElementById('messages'),
                   {subtree: true, childList: true, characterData: true});
    }"""
    )
    _ask(page, f"{menu.name}の上限額は？")
    answer = page.locator(".msg-assistant .answer-text").last
    assert fakes.format_yen(menu.cap_yen) in answer.text_content()
    assert page.evaluate("() => window.__seen.size") >= 3  # streamed, not dumped at once

    chip = page.locator(".msg-assistant .chip").first
    assert programme.name in chip.text_content()
    chip.click()
    dialog = page.locator("#source-dialog")
    dialog.wait_for(state="visible")
    assert page.locator("#source-quote").text_content() == menu.text
    meta = page.locator("#source-meta").text_content()
    assert programme.name in meta and f"{programme.page}ページ" in meta
    page.locator("#source-context mark").wait_for()
    assert page.locator("#source-context mark").text_content() == menu.text
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "chat.png"), animations="disabled")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def test_follow_up_uses_the_conversation(page, live):
    _, corpus, answerer = live
    menu = corpus.programmes[1].support_menus[0]
    _ask(page, f"{menu.name}の限度額は？")
    _ask(page, "その利率は？")
    last = page.locator(".msg-assistant .answer-text").last.text_content()
    assert menu.rate in last
    first_cid, follow_cid = answerer.calls[-2][1], answerer.calls[-1][1]
    assert first_cid and first_cid == follow_cid

    page.click("#new-conversation")
    _ask(page, "その利率は？")
    assert answerer.calls[-1][1] != first_cid


def test_html_in_a_question_is_shown_as_text_and_runs_nothing(page):
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    payload = "<img src=x onerror=alert(1)>"
    _ask(page, payload)
    assert page.locator(".msg-user .bubble").last.text_content() == payload
    assert page.locator("#messages img").count() == 0
    notice = page.locator(".msg-assistant .notice").last
    assert "報告書に記載がありません" in notice.text_content()
    page.wait_for_timeout(300)
    assert alerts == []


def test_example_question_and_phone_width(browser, live, fakes):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live[0] + "/")
    example = page.locator(".example").nth(1)
    example.click()
    page.wait_for_function(
        "() => document.querySelector('.msg-assistant') &&"
        " !document.querySelector('.msg-assistant[aria-busy]')"
    )
    assert page.locator(".msg-user .bubble").text_content() == example.text_content()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "horizontal scrolling on a phone"
    assert page.locator("#chat-send").is_visible()
    page.screenshot(path=str(REPORTS / "chat-phone.png"))
    context.close()


def test_staff_view_answer_sources_copy_and_search(page, live):
    _, corpus, _ = live
    menu = corpus.programmes[1].support_menus[0]
    page.click("#tab-staff")
    page.fill("#staff-input", f"{menu.name}の限度額は？")
    page.click("#staff-form button[type=submit]")
    page.locator("#staff-sources .source").first.wait_for()
    assert menu.text in page.locator("#staff-sources").text_content()
    page.click("#staff-copy")
    page.wait_for_function(
        "() => document.getElementById('copy-status').textContent.includes('コピー')"
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert menu.text in copied and "出典" in copied
    page.fill("#search-input", "展示会出展料")
    page.press("#search-input", "Enter")
    page.locator("#search-results .source").first.wait_for()
    assert corpus.programmes[0].name in page.locator("#search-results").text_content()
    page.screenshot(path=str(REPORTS / "staff.png"), full_page=True)


def test_thumbs_down_with_a_comment_shows_up_in_the_unanswered_tab(page, live, fakes):
    _, corpus, _ = live
    menu = corpus.programmes[0].support_menus[0]
    question = f"{menu.name}って何円まで出る？"
    _ask(page, question)
    answer = page.locator(".msg-assistant").last
    down = answer.get_by_role("button", name="役に立たなかった", exact=True)
    down.click()
    page.wait_for_function(
        "b => b.getAttribute('aria-pressed') === 'true'", arg=down.element_handle()
    )
    assert (
        answer.get_by_role("button", name="役に立った", exact=True).get_attribute("aria-pressed")
        == "false"
    )
    answer.locator(".feedback-comment textarea").fill("申請の締切も知りたい")
    answer.get_by_role("button", name="コメントを送る").click()
    answer.locator(".feedback-status", has_text="コメントを送信しました").wait_for()
    page.screenshot(path=str(REPORTS / "chat-feedback.png"), animations="disabled")

    page.get_by_role("tab", name="未回答・要改善").click()
    item = page.locator("#unanswered-list li", has_text=question)
    item.wait_for()
    assert "役に立たなかった" in item.text_content() and "1件" in item.text_content()
    assert "申請の締切も知りたい" in item.text_content()
    assert fakes.format_yen(menu.cap_yen) in item.locator(".quote").text_content()
    page.screenshot(path=str(REPORTS / "unanswered.png"), full_page=True)


def test_a_thumbs_down_that_reaches_another_worker_is_recorded(
    page, live, live_settings, serve, fakes
):
    _, corpus, _ = live
    services = Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))
    menu = corpus.programmes[1].support_menus[0]
    question = f"{menu.name}の補助率は？"
    with serve(create_app(live_settings, services=services)) as other:
        # As a load balancer may: the rating goes to a process that did not answer.
        page.route("**/api/feedback", lambda route: route.continue_(url=f"{other}/api/feedback"))
        _ask(page, f"  {question}  ")
        answer = page.locator(".msg-assistant").last
        with page.expect_response(f"{other}/api/feedback") as sent:
            answer.get_by_role("button", name="役に立たなかった", exact=True).click()
        assert sent.value.status == 200 and sent.value.json()["recorded"] is True
        answer.locator(".feedback-status", has_text="ご意見ありがとうございます").wait_for()
    page.unroute("**/api/feedback")
    page.get_by_role("tab", name="未回答・要改善").click()
    item = page.locator("#unanswered-list li", has_text=question)
    item.wait_for()
    assert "役に立たなかった" in item.text_content() and "1件" in item.text_content()
