"""The widget in a real browser: Debian's Chromium driven by Playwright against uvicorn on 127.0.0.1.

Host pages other than the service's own demo page come from a second server on another port
(another origin), so the widget is embedded cross-origin exactly as on a portal. Screenshots go to ``test-artifacts/`` (or
``$POLICYQA_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from api.main import create_app
from corpus.document import Document
from corpus.reader import read_path
from engine.service import PolicyQA
from tests.conftest import REPO, build_fake, fake_service
from tests.liveserver import LiveServer
from usage.log import MemoryLog
from usage.record import MAX_COMMENT, Asked, Feedback

CHROMIUM = Path(os.environ.get("POLICYQA_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("POLICYQA_TEST_ARTIFACTS", REPO / "test-artifacts"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AGGRESSIVE_CSS = """
* { all: unset !important; font-size: 40px !important; color: red !important;
    font-family: serif !important; letter-spacing: 6px !important; }
html { font-size: 5px !important; line-height: 4 !important; }
div, button, section, textarea { background: lime !important; border: 9px solid blue !important;
    display: inline !important; width: 10px !important; padding: 30px !important; }
policyqa-widget { display: none !important; position: static !important; }
"""


def _host_page(base: str, extra_attrs: str = "", css: str = "") -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>门户</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<style>{css}</style></head><body><h1>门户网站</h1><p>正文</p>"
            f"<script src='{base}/widget.js' data-api='{base}' {extra_attrs} async></script>"
            f"</body></html>")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> PolicyQA:
    """Fujian plus a notice whose text is full of HTML, with the fake encoder."""
    hostile = read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt")
    folder = tmp_path_factory.mktemp("widget-index") / "index"
    build_fake([fujian, *hostile], folder)
    return fake_service(folder)


PAGES: dict[str, str] = {}


def _portal_app() -> FastAPI:
    portal = FastAPI()

    @portal.get("/{name}", response_class=HTMLResponse)
    def page(name: str) -> str:
        return PAGES[name]

    return portal


@pytest.fixture(scope="module")
def portal() -> Iterator[LiveServer]:
    live = LiveServer(_portal_app).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def question_log() -> MemoryLog:
    """What the module's server recorded: every answer given and every rating."""
    return MemoryLog()


@pytest.fixture(scope="module")
def server(runtime: PolicyQA, portal: LiveServer, question_log: MemoryLog) -> Iterator[LiveServer]:
    live = LiveServer(lambda: create_app(lambda: runtime, cors_origins=[portal.base],
                                         rate_limit_per_minute=10_000,
                                         question_log=lambda: question_log)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def _serve_portal(page: Page, portal: LiveServer, html: str) -> None:
    """Open ``html`` as a page of the portal (another origin than the service)."""
    name = f"page{len(PAGES)}"
    PAGES[name] = html
    page.goto(f"{portal.base}/{name}")


def _open(page: Page, name: str = "政策问答") -> None:
    page.get_by_role("button", name=name).click()
    expect(page.get_by_role("dialog")).to_be_visible()


def _ask(page: Page, question: str) -> Any:
    before = page.locator("policyqa-widget article").count()
    box = page.locator("policyqa-widget .composer textarea")
    box.fill(question)
    box.press("Enter")
    answer = page.locator("policyqa-widget article").nth(before)
    expect(answer).to_be_visible()
    return answer


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_follow_ups_within_the_page_session(server: LiveServer, page: Page) -> None:
    """The widget keeps its conversation for the page session: 谁牵头 and 什么时候完成 after an
    answer are read against its clause; a new page starts a new conversation."""
    bodies: list[dict[str, Any]] = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data or "{}"))
            if r.method == "POST" and r.url.endswith("/v1/ask") else None)
    page.goto(server.base + "/")
    _open(page)
    first = _ask(page, "证照分离改革由谁牵头")
    expect(first.locator("button.label").first).to_contain_text("（A2.10）")
    when = _ask(page, "什么时候完成")
    expect(when.locator(".direct")).to_have_text("2021年底前。")
    expect(when.locator("button.label").first).to_contain_text("（A2.10）")
    who = _ask(page, "谁牵头")
    expect(who.locator(".direct")).to_contain_text("由省审改办、省市场监管局牵头")
    expect(who.locator("button.label").first).to_contain_text("（A2.10）")
    other = _ask(page, "养老机构还需要许可吗")  # a question of its own: answered on its own
    expect(other.locator(".direct")).to_contain_text("不需要")
    expect(other.locator("button.label").first).to_contain_text("（7.1）")
    assert "conversation_id" not in bodies[0]
    assert all(b["channel"] == "widget" for b in bodies)
    conversation = bodies[1]["conversation_id"]
    assert conversation and all(b["conversation_id"] == conversation for b in bodies[1:])

    page.reload()  # kept in memory only: a new page is a new conversation
    _open(page)
    alone = _ask(page, "谁牵头")
    expect(alone.locator("button.label").first).not_to_contain_text("（A2.10）")
    assert "conversation_id" not in bodies[-1]


def test_answer_shows_verdict_quote_clause_and_units(server: LiveServer, page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.base + "/")  # the demo page, under its own strict CSP
    _open(page)
    answer = _ask(page, "养老机构还需要许可吗")
    expect(answer.locator(".direct")).to_contain_text("不需要")
    expect(answer.locator(".badge.no")).to_be_visible()
    expect(answer.locator("blockquote").first).to_contain_text("取消养老机构设立许可")
    label = answer.get_by_role("button", name="七、（一）创新养老和医疗服务供给")
    expect(label).to_be_visible()
    expect(answer.locator(".unit.lead, .unit").filter(has_text="省民政厅").first).to_be_visible()
    full = answer.locator(".clause-text").first
    expect(full).to_be_hidden()
    label.click()
    expect(label).to_have_attribute("aria-expanded", "true")
    expect(full).to_be_visible()
    expect(full).to_contain_text("实行备案制")
    more = answer.locator("details summary")
    expect(more).to_contain_text("更多依据")
    more.click()
    expect(answer.locator("details .cite").first).to_be_visible()
    # The constructable stylesheet applied despite style-src allowing only the page's nonce.
    colour = page.locator("policyqa-widget .send").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(180, 35, 42)"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    _shot(page, "widget-desktop.png")


def test_not_found_is_said_plainly_with_suggestions(server: LiveServer, page: Page) -> None:
    page.goto(server.base + "/")
    _open(page)
    chips = page.locator("policyqa-widget .chip")
    expect(chips.first).to_be_visible()  # starters from /v1/suggestions
    answer = _ask(page, "福州地铁晚上几点停运")
    expect(answer).to_have_class("msg bot notfound")
    expect(answer).to_contain_text("没有找到这个问题的答案")
    expect(answer.locator(".badge")).to_have_count(0)
    answer.locator(".chip").first.click()  # a suggestion is always one the engine answers
    expect(page.locator("policyqa-widget article").nth(1)).not_to_have_class("msg bot notfound")


FOCUSED = ("() => document.activeElement && document.activeElement.shadowRoot ? "
           "document.activeElement.shadowRoot.activeElement?.className ?? '' : ''")


def _press_until(page: Page, key: str, target: str, most: int) -> None:
    """Press ``key`` until the widget element with class ``target`` has the focus."""
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED) == target:
            return
    pytest.fail(f"{key} never reached .{target}")


def test_keyboard_only(server: LiveServer, page: Page) -> None:
    page.goto(server.base + "/")
    _press_until(page, "Tab", "launcher", 12)  # the demo page's own links come first
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert page.evaluate(FOCUSED) == ""  # the textarea has focus: it has no class
    page.keyboard.type("养老机构还需要许可吗")
    page.keyboard.press("Enter")
    answer = page.locator("policyqa-widget article").first
    expect(answer).to_contain_text("不需要")
    _press_until(page, "Shift+Tab", "label", 20)  # back from the question box into the answer
    page.keyboard.press("Enter")
    expect(page.locator("policyqa-widget .label[aria-expanded=true]")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.evaluate(FOCUSED) == "launcher"


def test_phone_viewport(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    phone = context.new_page()
    try:
        phone.goto(server.base + "/")
        _open(phone)
        box = phone.get_by_role("dialog").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert box["width"] >= 340  # uses the screen, not a 380 px desktop panel cut off
        answer = _ask(phone, "养老机构还需要许可吗")
        expect(answer).to_contain_text("省民政厅")
        scroll_width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= 375  # nothing overflows sideways
        _shot(phone, "widget-phone.png")
    finally:
        context.close()


def test_server_stopped_then_retry(runtime: PolicyQA, page: Page) -> None:
    live = LiveServer(lambda: create_app(lambda: runtime, rate_limit_per_minute=10_000)).start()
    try:
        page.goto(live.base + "/")
        _open(page)
        live.stop()
        box = page.locator("policyqa-widget .composer textarea")
        box.fill("养老机构还需要许可吗")
        box.press("Enter")
        alert = page.locator("policyqa-widget .error")
        expect(alert).to_contain_text("网络连接失败")
        expect(page.locator("policyqa-widget .pending")).to_have_count(0)  # no stuck spinner
        live.start()
        alert.get_by_role("button", name="重试").click()
        expect(page.locator("policyqa-widget article").first).to_contain_text("不需要")
        expect(alert).to_have_count(0)
    finally:
        live.stop()


@pytest.mark.parametrize(("status", "headers", "message"), [
    (503, {}, "服务暂时不可用"),
    (500, {}, "服务暂时不可用"),
])
def test_http_errors_offer_retry(server: LiveServer, portal: LiveServer, page: Page, status: int,
                                 headers: dict[str, str], message: str) -> None:
    cors = {"Access-Control-Allow-Origin": portal.base,
            "Access-Control-Expose-Headers": "Retry-After, X-Request-ID"}
    page.route(f"{server.base}/v1/ask", lambda route: route.fulfill(
        status=status, headers={**headers, **cors}, content_type="application/problem+json",
        body=json.dumps({"title": "x", "status": status, "detail": "<b>x</b>"})))
    _serve_portal(page, portal, _host_page(server.base))
    _open(page)
    box = page.locator("policyqa-widget .composer textarea")
    box.fill("养老机构还需要许可吗")
    box.press("Enter")
    alert = page.locator("policyqa-widget .error")
    expect(alert).to_contain_text(message)
    expect(alert.get_by_role("button", name="重试")).to_be_visible()
    page.unroute(f"{server.base}/v1/ask")
    alert.get_by_role("button", name="重试").click()
    expect(page.locator("policyqa-widget article").first).to_contain_text("不需要")


def test_the_real_rate_limit_is_shown_cross_origin(runtime: PolicyQA, portal: LiveServer,
                                                   page: Page) -> None:
    """The service's own 429 (CORS headers, Retry-After exposed) reaches the widget on a portal."""
    # Two requests a minute (the script itself is not counted): starter questions, one answer.
    live = LiveServer(lambda: create_app(lambda: runtime, cors_origins=[portal.base],
                                         rate_limit_per_minute=2)).start()
    try:
        _serve_portal(page, portal, _host_page(live.base))
        _open(page)
        _ask(page, "养老机构还需要许可吗")
        box = page.locator("policyqa-widget .composer textarea")
        box.fill("证照分离改革由谁牵头")
        box.press("Enter")
        alert = page.locator("policyqa-widget .error")
        expect(alert).to_contain_text("提问太频繁了，请稍候再试（")
        expect(alert).to_contain_text("秒）")
        expect(alert.get_by_role("button", name="重试")).to_be_visible()
    finally:
        live.stop()


def test_api_docs_work_offline_under_a_strict_csp(server: LiveServer, page: Page) -> None:
    violations: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((server.base, "data:")) else None)
    page.goto(f"{server.base}/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/v1/ask", exact=True)).to_be_visible()
    assert violations == [] and outside == []


def test_timeout_is_reported(server: LiveServer, portal: LiveServer, page: Page) -> None:
    page.route(f"{server.base}/v1/ask", lambda route: None)  # never answered
    _serve_portal(page, portal, _host_page(server.base, "data-timeout='800'"))
    _open(page)
    page.locator("policyqa-widget .composer textarea").fill("养老机构还需要许可吗")
    page.locator("policyqa-widget .composer textarea").press("Enter")
    expect(page.locator("policyqa-widget .error")).to_contain_text("超时")
    expect(page.locator("policyqa-widget .send")).to_be_enabled()


def test_hostile_clause_text_is_shown_as_text(server: LiveServer, portal: LiveServer, page: Page) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    _serve_portal(page, portal, _host_page(server.base))
    _open(page)
    answer = _ask(page, "月球旅游签证怎么办理")
    label = answer.locator(".label").first
    expect(label).to_contain_text("<i>旅游</i>")
    label.click()
    full = answer.locator(".clause-text").first
    expect(full).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(full).to_contain_text("<script>window.__xss=2</script>")
    injected = page.evaluate("""() => {
        const root = document.querySelector('policyqa-widget').shadowRoot;
        return root.querySelectorAll('img, script, i, b').length; }""")
    assert injected == 0
    assert page.evaluate("() => window.__xss") is None and not dialogs


def test_host_css_cannot_change_the_widget(server: LiveServer, portal: LiveServer, browser: Browser) -> None:
    def look(css: str) -> list[Any]:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        host = context.new_page()
        try:
            _serve_portal(host, portal, _host_page(server.base, css=css))
            _open(host)
            _ask(host, "养老机构还需要许可吗")
            return [host.locator(f"policyqa-widget {selector}").first.evaluate(
                """e => { const s = getComputedStyle(e), r = e.getBoundingClientRect();
                    return [s.fontSize, s.fontFamily, s.color, s.backgroundColor, s.display,
                            s.borderTopWidth, s.paddingTop, s.letterSpacing,
                            Math.round(r.width), Math.round(r.height), Math.round(r.x)]; }""")
                for selector in (".panel", ".head h2", ".composer textarea", ".send", ".direct",
                                 "blockquote", ".label", ".log", ".fb-btn")]
        finally:
            context.close()

    assert look(AGGRESSIVE_CSS) == look("")


def test_english_labels(server: LiveServer, portal: LiveServer, page: Page) -> None:
    _serve_portal(page, portal, _host_page(server.base, "data-lang='en' data-title='Ask the notices' "
                                                "data-accent='#0b57a4' data-position='left' "
                                                "data-questions='养老机构还需要许可吗|Q2'"))
    page.get_by_role("button", name="Ask the notices").click()
    dialog = page.get_by_role("dialog")
    assert (dialog.bounding_box() or {"x": 999})["x"] < 100  # left-hand side
    page.locator("policyqa-widget .chip").first.click()  # a starter from data-questions
    answer = page.locator("policyqa-widget article").first
    expect(answer.locator(".badge")).to_contain_text("No")
    expect(answer).to_contain_text("Responsible units")
    expect(answer.get_by_role("button", name="Not helpful")).to_be_visible()
    colour = page.locator("policyqa-widget .send").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(11, 87, 164)"


def test_axe_finds_no_violations(server: LiveServer, browser: Browser) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci (make test does)")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(server.base + "/")
        _open(page)
        answer = _ask(page, "养老机构还需要许可吗")
        answer.locator(".label").first.click()
        answer.locator("details summary").click()
        answer.get_by_role("button", name="没帮助").click()  # the reasons and the comment box
        expect(answer.get_by_role("radio", name="条款过时")).to_be_visible()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                      for v in result["violations"]]
        assert violations == []
    finally:
        context.close()



def test_the_question_limit_comes_from_the_service(server: LiveServer, portal: LiveServer,
                                                   page: Page) -> None:
    """The widget copies no limit: it reads GET /v1/limits (the contract's MAX_QUESTION)."""
    from contract.answer import MAX_QUESTION

    _serve_portal(page, portal, _host_page(server.base))
    _open(page)
    box = page.locator("policyqa-widget .composer textarea")
    expect(box).to_have_attribute("maxlength", str(MAX_QUESTION))


def _ask_for_id(page: Page, question: str) -> tuple[Any, str]:
    """Ask ``question``; its answer card and the answer_id the service gave it."""
    with page.expect_response(lambda r: r.url.endswith("/v1/ask") and r.request.method == "POST") as got:
        answer = _ask(page, question)
    return answer, got.value.json()["answer_id"]


def _asked(log: MemoryLog, answer_id: str) -> Asked:
    [asked] = [a for a in log.asked if a.answer_id == answer_id]
    return asked


def _ratings(log: MemoryLog, answer_id: str) -> list[Feedback]:
    return [f for f in log.feedback if f.answer_id == answer_id]


def test_feedback_up_and_down_reach_the_question_log(server: LiveServer, portal: LiveServer,
                                                     question_log: MemoryLog, page: Page) -> None:
    """On a portal (cross-origin): the widget's questions are logged as channel widget; 有帮助
    records 1 for that answer, 没帮助 with 条款过时 and a comment records -1, outdated and the
    comment for the other; each answer is rated once."""
    _serve_portal(page, portal, _host_page(server.base))
    _open(page)
    helped, helped_id = _ask_for_id(page, "养老机构还需要许可吗")
    assert _asked(question_log, helped_id).channel == "widget"
    up = helped.get_by_role("button", name="有帮助")
    down = helped.get_by_role("button", name="没帮助")
    expect(up).to_have_text("有帮助")  # a text label: no emoji font is needed to read it
    expect(up).to_have_attribute("aria-pressed", "false")
    up.click()
    expect(helped.get_by_role("status")).to_have_text("感谢反馈！")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    expect(up).to_be_disabled()
    expect(down).to_be_disabled()
    [rated] = _ratings(question_log, helped_id)
    assert (rated.rating, rated.reason, rated.comment) == (1, None, None)

    missed, missed_id = _ask_for_id(page, "福州地铁晚上几点停运")  # not_found is rated too
    expect(missed).to_have_class("msg bot notfound")
    assert _asked(question_log, missed_id).channel == "widget"
    reasons = missed.get_by_role("radio")
    expect(reasons).to_have_count(0)  # the reasons show only after 没帮助
    missed.get_by_role("button", name="没帮助").click()
    expect(missed.get_by_role("button", name="没帮助")).to_have_attribute("aria-pressed", "true")
    expect(reasons).to_have_count(4)
    expect(missed.locator(".fb-r")).to_have_text(["答非所问", "条款过时", "没说清楚", "其他"])
    missed.get_by_role("radio", name="条款过时").check()
    comment = missed.get_by_label("补充说明")
    expect(comment).to_have_attribute("maxlength", str(MAX_COMMENT))
    comment.fill("  这个规定2023年已经修订了  ")
    _shot(page, "widget-feedback.png")
    missed.get_by_role("button", name="提交").click()
    expect(missed.get_by_role("status")).to_have_text("感谢反馈！")
    expect(missed.get_by_role("button", name="有帮助")).to_be_disabled()
    expect(missed.get_by_role("button", name="没帮助")).to_be_disabled()
    expect(missed.get_by_role("radio")).to_have_count(0)  # the form is put away
    [rated] = _ratings(question_log, missed_id)
    assert (rated.rating, rated.reason, rated.comment) == (-1, "outdated", "这个规定2023年已经修订了")
    assert len(_ratings(question_log, helped_id)) == 1  # rating one answer left the other alone

    _, plain_id = _ask_for_id(page, "证照分离改革由谁牵头")  # a 没帮助 with nothing chosen
    page.locator("policyqa-widget article").last.get_by_role("button", name="没帮助").click()
    page.locator("policyqa-widget article").last.get_by_role("button", name="提交").click()
    expect(page.locator("policyqa-widget article").last.get_by_role("status")).to_have_text("感谢反馈！")
    [rated] = _ratings(question_log, plain_id)
    assert (rated.rating, rated.reason, rated.comment) == (-1, None, None)


@pytest.mark.parametrize(("status", "message"), [
    (0, "反馈没有送出，请重试。"),               # the network fails
    (503, "反馈没有送出，请重试。"),
    (429, "提交太频繁了，请稍候再试（7秒）。"),
    (404, "找不到这个回答，反馈没有送出。"),
])
def test_failed_feedback_says_so_and_can_be_sent_again(
        server: LiveServer, portal: LiveServer, question_log: MemoryLog, page: Page,
        status: int, message: str) -> None:
    cors = {"Access-Control-Allow-Origin": portal.base,
            "Access-Control-Expose-Headers": "Retry-After, X-Request-ID"}
    route = f"{server.base}/v1/feedback"
    page.route(route, lambda r: r.abort() if not status else r.fulfill(
        status=status, headers={"Retry-After": "7", **cors}, content_type="application/problem+json",
        body=json.dumps({"title": "x", "status": status, "detail": "<b>x</b>"})))
    _serve_portal(page, portal, _host_page(server.base))
    _open(page)
    answer, answer_id = _ask_for_id(page, "养老机构还需要许可吗")
    answer.get_by_role("button", name="没帮助").click()
    answer.get_by_role("radio", name="没说清楚").check()
    answer.get_by_label("补充说明").fill("<b>看不懂</b>")
    answer.get_by_role("button", name="提交").click()
    feedback = answer.get_by_role("status")
    expect(feedback).to_have_text(message)
    expect(feedback).to_have_class("fb-status fb-error")
    assert _ratings(question_log, answer_id) == []
    submit = answer.get_by_role("button", name="提交")
    expect(submit).to_be_enabled()  # nothing was rated: the choice is still there to send again
    expect(answer.get_by_role("radio", name="没说清楚")).to_be_checked()
    # The chat goes on: another question is answered while the rating waits.
    other = _ask(page, "证照分离改革由谁牵头")
    expect(other).to_contain_text("省审改办")
    page.unroute(route)
    submit.click()
    expect(feedback).to_have_text("感谢反馈！")
    expect(feedback).not_to_have_class("fb-status fb-error")
    [rated] = _ratings(question_log, answer_id)
    assert (rated.rating, rated.reason, rated.comment) == (-1, "unclear", "<b>看不懂</b>")
    assert page.evaluate("""() => document.querySelector('policyqa-widget').shadowRoot
        .querySelectorAll('b').length""") == 0


def test_feedback_by_keyboard(server: LiveServer, question_log: MemoryLog, page: Page) -> None:
    """没帮助, a reason with the arrow keys, a comment and 提交, without a mouse; the focus then
    rests on the thanks, not on a disabled button."""
    page.goto(server.base + "/")
    _open(page)
    answer, answer_id = _ask_for_id(page, "养老机构还需要许可吗")
    page.locator("policyqa-widget .composer textarea").focus()
    _press_until(page, "Shift+Tab", "fb-btn down", 4)  # the last control of the answer
    page.keyboard.press("Enter")
    expect(answer.get_by_role("radio", name="答非所问")).to_be_focused()
    page.keyboard.press("ArrowDown")  # moves to, and chooses, 条款过时
    expect(answer.get_by_role("radio", name="条款过时")).to_be_checked()
    page.keyboard.press("Tab")
    expect(answer.get_by_label("补充说明")).to_be_focused()
    page.keyboard.type("已废止")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "fb-send"
    page.keyboard.press("Enter")
    expect(answer.get_by_role("status")).to_have_text("感谢反馈！")
    assert page.evaluate(FOCUSED) == "fb-status"
    [rated] = _ratings(question_log, answer_id)
    assert (rated.rating, rated.reason, rated.comment) == (-1, "outdated", "已废止")
