"""The admin page in a real browser (Debian's Chromium via Playwright, uvicorn on 127.0.0.1): sign
in, upload a Word file, check the preview, activate it, ask the widget a question only the new
notice answers, remove it again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, FilePayload, Page, expect

from api.main import create_app
from corpus.document import Document
from policyqa.runtime import ServiceEditor
from tests.api.test_widget_browser import ARTIFACTS, browser  # noqa: F401  (the fixture)
from tests.conftest import GOVCN, build_fake, fake_service
from tests.corpus.formats import to_docx
from tests.liveserver import LiveServer

KEY = "browser-s3cret"
QUESTION = "政府性融资担保机构的担保费率"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture()
def server(tmp_path: Path, fujian: Document) -> Iterator[LiveServer]:
    folder = tmp_path / "index"
    build_fake([fujian], folder)

    def make() -> FastAPI:
        app = create_app([fake_service(folder)].pop, admin_key=KEY, editor=ServiceEditor(folder), rebuild=lambda s: s,
                         rate_limit_per_minute=10_000)
        return app

    live = LiveServer(make).start()
    yield live
    live.stop()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def _notice() -> bytes:
    record = next(r for line in GOVCN.read_text(encoding="utf-8").splitlines()
                  if (r := json.loads(line))["num"] == "国办发〔2019〕6号")
    return to_docx(record["text"])


def _ask(page: Page, base: str, question: str) -> str:
    page.goto(base + "/")
    page.get_by_role("button", name="政策问答").click()
    box = page.locator("policyqa-widget textarea")
    box.fill(question)
    box.press("Enter")
    answer = page.locator("policyqa-widget article").first
    expect(answer).to_be_visible()
    return answer.inner_text()


def test_upload_preview_activate_ask_remove(server: LiveServer, page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    assert "没有找到" in _ask(page, server.base, QUESTION)

    page.goto(server.base + "/admin")
    page.get_by_label("管理密钥").fill(KEY)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("tr[data-doc='fujian_2021_fangguanfu']")).to_be_visible()

    upload: FilePayload = {"name": "guarantee.docx", "mimeType": DOCX, "buffer": _notice()}
    page.get_by_label("政策文件").set_input_files(files=[upload])
    page.get_by_role("button", name="上传并预览").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text("政府性融资担保基金")
    expect(preview).to_contain_text("国务院办公厅")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-preview.png"), full_page=True)
    assert "没有找到" in _ask(page, server.base, QUESTION)  # previewed only: not answered yet

    page.go_back()
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_role("status")).to_contain_text("已启用：guarantee")
    expect(page.locator("tr[data-doc='guarantee']")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "admin-documents.png"), full_page=True)

    answered = _ask(page, server.base, QUESTION)
    assert "引导降费让利" in answered and "没有找到" not in answered

    page.goto(server.base + "/admin")
    page.get_by_role("button", name="删除 guarantee").click()
    expect(page.get_by_role("status")).to_contain_text("已删除：guarantee")
    expect(page.locator("tr[data-doc='guarantee']")).to_have_count(0)
    assert "没有找到" in _ask(page, server.base, QUESTION)
    assert errors == []
