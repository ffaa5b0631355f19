"""``policyqa bot --channel wecom`` as users run it: a separate process serving the callback URL
with uvicorn, talking to the WeCom stand-in on 127.0.0.1; and its one-line exits."""

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
from tests.bot.wecom_standin import Callbacks, WeComStandIn
from tests.conftest import FUJIAN
from tests.liveserver import LiveServer

CORP_ID = "ww5e8d1c0b9a7f6e5d"
SECRET = "cli-corp-secret-Hn3Kd9QpLx2VbM7tWz5Rc8Yf"
TOKEN = "cli-callback-token-Pq7"
AGENT_ID = 1000017
NAMES = ("POLICYQA_WECOM_CORP_ID", "POLICYQA_WECOM_AGENT_ID", "POLICYQA_WECOM_SECRET",
         "POLICYQA_WECOM_TOKEN", "POLICYQA_WECOM_ENCODING_AES_KEY")


def _env(wecom: WeComStandIn, base: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "POLICYQA_WECOM_CORP_ID": wecom.corp_id,
            "POLICYQA_WECOM_AGENT_ID": str(wecom.agent_id), "POLICYQA_WECOM_SECRET": wecom.secret,
            "POLICYQA_WECOM_TOKEN": wecom.token, "POLICYQA_WECOM_ENCODING_AES_KEY": wecom.aes_key,
            "POLICYQA_WECOM_API_BASE_URL": base, **extra}


def _run(env: dict[str, str], index: Path, *channel: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policyqa.cli", "bot", *channel,
                           "--index", str(index)],
                          env=env, capture_output=True, text=True, timeout=120)


def _secrets(wecom: WeComStandIn) -> tuple[str, ...]:
    return (wecom.secret, wecom.token, wecom.aes_key)


def test_missing_credentials_end_with_one_line(fake_index_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_WECOM")}
    done = _run(env, fake_index_dir, "--channel", "wecom")
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("policyqa: error: ") and all(name in line for name in NAMES)
    partly = _run({**env, "POLICYQA_WECOM_CORP_ID": CORP_ID, "POLICYQA_WECOM_SECRET": SECRET},
                  fake_index_dir, "--channel", "wecom")
    assert partly.returncode == 3
    (line,) = partly.stderr.strip().splitlines()
    assert "POLICYQA_WECOM_SECRET" not in line and "POLICYQA_WECOM_TOKEN" in line
    assert SECRET not in partly.stderr + partly.stdout


def test_telegram_stays_the_default_channel(fake_index_dir: Path) -> None:
    done = _run(dict(os.environ), fake_index_dir)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "policyqa: error: POLICYQA_TELEGRAM_TOKEN is not set: create a bot with @BotFather and "
        "export its token"]


def test_a_bad_encoding_aes_key_ends_with_one_line(fake_index_dir: Path) -> None:
    wecom = WeComStandIn(CORP_ID, SECRET, AGENT_ID, TOKEN)
    done = _run(_env(wecom, "http://127.0.0.1:9", POLICYQA_WECOM_ENCODING_AES_KEY="tooshort!"),
                fake_index_dir, "--channel", "wecom")
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert "POLICYQA_WECOM_ENCODING_AES_KEY is not an EncodingAESKey" in line
    assert "tooshort!" not in done.stderr


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_a_rejected_secret_ends_with_one_redacted_line(fake_index_dir: Path,
                                                       log_format: str) -> None:
    wecom = WeComStandIn(CORP_ID, "another-apps-secret", AGENT_ID, TOKEN)
    server = LiveServer(wecom.app).start()
    try:
        env = {**_env(wecom, server.base), "POLICYQA_WECOM_SECRET": SECRET,
               "POLICYQA_LOG_FORMAT": log_format, "POLICYQA_LOG_LEVEL": "DEBUG"}
        done = _run(env, fake_index_dir, "--channel", "wecom")
    finally:
        server.stop()
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "policyqa: error: gettoken: WeCom refused it with errcode 40001 (invalid credential); "
        "check POLICYQA_WECOM_SECRET"]
    assert wecom.token_requests == 1
    assert all(s not in done.stderr + done.stdout for s in (SECRET, *_secrets(wecom)))


def test_an_unreachable_api_ends_with_one_line(fake_index_dir: Path) -> None:
    wecom = WeComStandIn(CORP_ID, SECRET, AGENT_ID, TOKEN)
    base = f"http://127.0.0.1:{free_port()}"
    done = _run(_env(wecom, base), fake_index_dir, "--channel", "wecom")
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        f"policyqa: error: cannot reach the WeCom API at {base}: ConnectError"]


@pytest.fixture(scope="module")
def index(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wecom-cli") / "index"
    build(Settings(cache_dir=model_cache, corpus=[FUJIAN]), index_dir=folder)
    return folder


def test_policyqa_bot_channel_wecom_answers_with_the_real_model(model_cache: Path,
                                                                 index: Path) -> None:
    wecom = WeComStandIn(CORP_ID, SECRET, AGENT_ID, TOKEN)
    server = LiveServer(wecom.app).start()
    port = free_port()
    env = _env(wecom, server.base, POLICYQA_CACHE_DIR=str(model_cache),
               POLICYQA_WECOM_PORT=str(port), POLICYQA_WECOM_CALLBACK_PATH="/hooks/wecom",
               POLICYQA_LOG_LEVEL="DEBUG")
    process = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "bot", "--channel", "wecom", "--index", str(index)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    callbacks = Callbacks(wecom, f"http://127.0.0.1:{port}/hooks/wecom")
    try:
        deadline = time.monotonic() + 180
        while True:  # the model and index load before the server listens
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
        verified = callbacks.verify_url("echo-cli-20931")
        assert verified.status_code == 200 and verified.text == "echo-cli-20931"
        response = callbacks.ask("WangXiaoEr", "养老机构还需要许可吗")
        assert response.status_code == 200 and response.content == b""
        sent = wecom.wait_messages(1, "WangXiaoEr", timeout=60)[0]
        assert sent.content.startswith("**不需要。**")
        assert "（7.1）" in sent.content and "省民政厅" in sent.content
        card = wecom.messages("WangXiaoEr")[-1]
        assert card.msgtype == "template_card"  # 查看原文, 相关条款
        wrong = callbacks.post(callbacks.text("WangXiaoEr", "养老机构还需要许可吗")[0],
                               token="forged")
        assert wrong.status_code == 403
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
        server.stop()
    assert process.returncode == 0, output
    assert wecom.token_requests == 1  # the start-up check's token served the answer
    assert "WeCom channel ready" in output
    issued = wecom.issued()
    assert issued and all(s not in output for s in (*_secrets(wecom), *issued))
