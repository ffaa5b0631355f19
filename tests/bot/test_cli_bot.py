"""`policyqa bot` as users run it: a separate process, long polling, the real model and index,
talking to the Bot API stand-in on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from policyqa.runtime import build
from policyqa.settings import Settings
from tests.bot.standin import TelegramStandIn
from tests.conftest import FUJIAN
from tests.liveserver import LiveServer

TOKEN = "987654321:AAH-cli-secret-token"


def test_policyqa_bot_answers_with_the_real_model(model_cache: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(Settings(cache_dir=model_cache, corpus=[FUJIAN]), index_dir=index)
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
