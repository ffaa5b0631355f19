"""`policyqa bot` as users run it: a separate process, long polling, the real model and index,
talking to the Bot API stand-in on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from eval.loadtest import free_port
from policyqa.runtime import build
from policyqa.settings import Settings
from tests.bot.clilog import question_log as question_log
from tests.bot.standin import TelegramStandIn
from tests.conftest import FUJIAN
from tests.liveserver import LiveServer

TOKEN = "987654321:AAH-cli-secret-token"


@pytest.fixture(scope="module")
def index(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bot-cli") / "index"
    build(Settings(cache_dir=model_cache, corpus=[FUJIAN]), index_dir=folder)
    return folder


def test_policyqa_bot_answers_with_the_real_model(model_cache: Path, index: Path) -> None:
    telegram = TelegramStandIn(TOKEN)
    server = LiveServer(telegram.app).start()
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache), "POLICYQA_TELEGRAM_TOKEN": TOKEN,
           "POLICYQA_TELEGRAM_BASE_URL": f"{server.base}/bot", "POLICYQA_LOG_LEVEL": "DEBUG"}
    bot = subprocess.Popen([sys.executable, "-m", "policyqa.cli", "bot", "--index", str(index)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        telegram.wait_sent(1, "setMyCommands", timeout=180)  # post_init loaded model and index
        telegram.message("养老机构还需要许可吗")
        (reply,) = telegram.wait_sent(1, timeout=60)
        assert reply.params["text"].startswith("<b>不需要。</b>")
        assert "（7.1）" in reply.params["text"]
    finally:
        bot.send_signal(signal.SIGINT)  # run_polling stops cleanly on SIGINT
        output, _ = bot.communicate(timeout=60)
        server.stop()
    assert bot.returncode == 0, output
    assert "getUpdates" in output or "bot ready" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_webhook_mode(model_cache: Path, index: Path) -> None:
    telegram = TelegramStandIn(TOKEN)
    server = LiveServer(telegram.app).start()
    port = free_port()
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache), "POLICYQA_TELEGRAM_TOKEN": TOKEN,
           "POLICYQA_TELEGRAM_BASE_URL": f"{server.base}/bot",
           "POLICYQA_BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
           "POLICYQA_BOT_WEBHOOK_PORT": str(port)}
    bot = subprocess.Popen([sys.executable, "-m", "policyqa.cli", "bot", "--index", str(index)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        (hook,) = telegram.wait_sent(1, "setWebhook", timeout=180)
        url, secret = hook.params["url"], hook.params["secret_token"]
        path = url.removeprefix(f"http://127.0.0.1:{port}/hook/")
        assert len(path) >= 24 and len(secret) >= 24
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "市民"}, "text": "养老机构还需要许可吗"}}
        local = f"http://127.0.0.1:{port}/{path}"
        deadline = time.monotonic() + 60
        while True:  # the webhook server starts right after setWebhook
            try:
                wrong = httpx.post(local, json=update, timeout=10,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert wrong.status_code == 403  # only Telegram, which knows the secret, gets through
        accepted = httpx.post(local, json=update, timeout=10,
                              headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert accepted.status_code == 200
        (reply,) = telegram.wait_sent(1, timeout=60)
        assert reply.params["text"].startswith("<b>不需要。</b>")
    finally:
        bot.send_signal(signal.SIGINT)
        output, _ = bot.communicate(timeout=60)
        server.stop()
    assert bot.returncode == 0, output
    assert TOKEN not in output


def _run_bot(env_extra: dict[str, str], index: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYQA_TELEGRAM_TOKEN": TOKEN, **env_extra}
    return subprocess.run([sys.executable, "-m", "policyqa.cli", "bot", "--index", str(index)],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_a_rejected_token_ends_with_one_redacted_line(fake_index_dir: Path,
                                                      log_format: str) -> None:
    telegram = TelegramStandIn("111:another-bots-token")  # answers 401 to our token
    server = LiveServer(telegram.app).start()
    try:
        done = _run_bot({"POLICYQA_TELEGRAM_BASE_URL": f"{server.base}/bot",
                         "POLICYQA_LOG_FORMAT": log_format}, fake_index_dir)
    finally:
        server.stop()
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "policyqa: error: the Bot API rejected POLICYQA_TELEGRAM_TOKEN; check the token with "
        "@BotFather"]
    assert TOKEN not in done.stderr + done.stdout
    assert TOKEN.split(":")[1] not in done.stderr + done.stdout


def test_an_unreachable_bot_api_ends_with_one_line(fake_index_dir: Path) -> None:
    done = _run_bot({"POLICYQA_TELEGRAM_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"},
                    fake_index_dir)
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("policyqa: error: cannot use the Bot API at http://127.0.0.1:")
    assert TOKEN.split(":")[1] not in done.stderr + done.stdout
