"""One question, five channels: the HTTP API, the widget (in Chromium), Telegram, WeCom and
DingTalk (each against its local stand-in) give the same direct answer, clause id, units and
deadline for the same question over the same index."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt
from playwright.sync_api import Browser, Page, expect

from api.main import create_app
from corpus.document import Document
from engine.service import PolicyQA
from tests.api.test_widget_browser import browser  # noqa: F401  (the fixture)
from tests.bot import test_app as telegram_tests
from tests.bot import test_dingtalk as dingtalk_tests
from tests.bot import test_wecom as wecom_tests
from tests.conftest import build_fake, fake_service
from tests.liveserver import LiveServer

QUESTIONS = ("养老机构还需要许可吗", "证照分离改革由谁牵头", "二手车迁入限制政策还有吗")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> PolicyQA:
    folder = tmp_path_factory.mktemp("channels") / "index"
    build_fake([fujian], folder)
    return fake_service(folder)


@pytest.fixture(scope="module")
def api_answers(runtime: PolicyQA) -> dict[str, dict[str, Any]]:
    with TestClient(create_app(lambda: runtime)) as client:
        return {q: client.post("/v1/ask", json={"question": q, "top_k": 3}).json()
                for q in QUESTIONS}


def _flat(text: str, markdown: bool = False) -> str:
    """What a reader sees, whatever the markup: markdown rendered, tags and entities gone,
    full-width forms (the markdown channels' escaping) folded back, no spaces."""
    if markdown:
        text = MarkdownIt("commonmark").render(text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _agrees(seen: str, answer: dict[str, Any], markdown: bool = False) -> None:
    """The channel's text shows the API answer's direct answer, first clause, units, deadline."""
    flat = _flat(seen, markdown)
    assert answer["status"] == "answered", answer
    direct = _flat(answer["answer"].split("\n")[0])
    assert direct in flat[: len(direct) + 8], (flat[:80], direct)  # first (after a verdict badge)
    cited = answer["citations"][0]
    assert _flat(f"{cited['label']}（{cited['clause_id']}）") in flat
    for unit in cited["units"]:
        assert _flat(unit["name"] + ("（牵头）" if unit["lead"] else "")) in flat
    if cited["deadline"]:
        assert _flat(f"完成时限：{cited['deadline']}") in flat
    else:
        assert "完成时限" not in flat


def test_the_api_answers_every_question(api_answers: dict[str, dict[str, Any]]) -> None:
    for question, answer in api_answers.items():
        assert answer["status"] == "answered", question
    assert any(a["citations"][0]["deadline"] for a in api_answers.values())  # one has a deadline
    assert any(u["lead"] for a in api_answers.values() for u in a["citations"][0]["units"])


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_the_widget_agrees(runtime: PolicyQA, api_answers: dict[str, dict[str, Any]],
                           page: Page) -> None:
    server = LiveServer(lambda: create_app(lambda: runtime, rate_limit_per_minute=10_000)).start()
    try:
        page.goto(server.base + "/")
        page.get_by_role("button", name="政策问答").click()
        for n, question in enumerate(QUESTIONS):
            box = page.locator("policyqa-widget textarea")
            box.fill(question)
            box.press("Enter")
            article = page.locator("policyqa-widget article").nth(n)
            expect(article).to_be_visible()
            _agrees(article.inner_text(), api_answers[question])
    finally:
        server.stop()


def test_telegram_agrees(runtime: PolicyQA, api_answers: dict[str, dict[str, Any]]) -> None:
    telegram, server, runner = telegram_tests._start_bot(lambda: runtime)
    try:
        for question in QUESTIONS:
            _, replies = telegram_tests._ask(telegram, question)
            _agrees("\n".join(r.params["text"] for r in replies), api_answers[question])
    finally:
        runner.stop()
        server.stop()


def test_wecom_agrees(runtime: PolicyQA, api_answers: dict[str, dict[str, Any]]) -> None:
    running = wecom_tests.Running(runtime)
    try:
        for question in QUESTIONS:
            _agrees("\n\n".join(running.ask(question)), api_answers[question], markdown=True)
    finally:
        running.stop()


def test_dingtalk_agrees(runtime: PolicyQA, api_answers: dict[str, dict[str, Any]]) -> None:
    robot = dingtalk_tests.Robot(runtime)
    try:
        for question in QUESTIONS:
            replies = dingtalk_tests._ask(robot.dingtalk, question, user="agree")
            _agrees("\n".join(r.visible for r in replies), api_answers[question])
    finally:
        robot.stop()


def test_the_flattening_keeps_what_matters() -> None:
    assert _flat("<b>不需要。</b>\n📄 <b>七、（一）x</b>（7.1）&amp;") == "不需要。📄七、(一)x(7.1)&"
    assert _flat("＊服务＊ 省民政厅") == "*服务*省民政厅"
    assert Path(__file__).name == "test_channels.py"
