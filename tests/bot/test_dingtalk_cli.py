"""``policyqa bot --channel dingtalk`` as users run it: a separate process serving DingTalk's
callback, with the real model and index, talking to the DingTalk stand-in on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import sqlite3
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
from tests.bot.dingtalk_standin import ROBOT_NAME, DingTalkStandIn
from tests.conftest import FUJIAN
from tests.liveserver import LiveServer

APP_KEY = "dingclikey7781"
APP_SECRET = "cli-app-secret-ZXCVBNM-0987"


def _run(env_extra: dict[str, str], index: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "bot", "--channel", "dingtalk", "--index",
         str(index)], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("given", [{}, {"POLICYQA_DINGTALK_APP_KEY": APP_KEY},
                                   {"POLICYQA_DINGTALK_APP_SECRET": APP_SECRET}])
def test_missing_credentials_end_with_one_line(fake_index_dir: Path,
                                               given: dict[str, str]) -> None:
    done = _run(given, fake_index_dir)
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("policyqa: error: ")
    missing = {"POLICYQA_DINGTALK_APP_KEY", "POLICYQA_DINGTALK_APP_SECRET"} - set(given)
    assert all(name in line for name in missing)
    assert APP_KEY not in done.stderr + done.stdout and APP_SECRET not in done.stderr + done.stdout


def test_stream_mode_is_refused_with_the_reason(fake_index_dir: Path) -> None:
    done = _run({"POLICYQA_DINGTALK_APP_KEY": APP_KEY, "POLICYQA_DINGTALK_APP_SECRET": APP_SECRET,
                 "POLICYQA_DINGTALK_MODE": "stream"}, fake_index_dir)
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert "POLICYQA_DINGTALK_MODE=stream" in line and "callback" in line


def test_a_missing_index_ends_with_one_line(tmp_path: Path) -> None:
    done = _run({"POLICYQA_DINGTALK_APP_KEY": APP_KEY, "POLICYQA_DINGTALK_APP_SECRET": APP_SECRET},
                tmp_path / "none")
    assert done.returncode == 3
    (line,) = done.stderr.strip().splitlines()
    assert "policyqa build" in line


@pytest.fixture(scope="module")
def index(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dingtalk-cli") / "index"
    build(Settings(cache_dir=model_cache, corpus=[FUJIAN]), index_dir=folder)
    return folder


def test_policyqa_bot_dingtalk_answers_with_the_real_model(model_cache: Path, index: Path,
                                                           question_log: Path) -> None:
    dingtalk = DingTalkStandIn(APP_KEY, APP_SECRET)
    webhooks = LiveServer(dingtalk.app).start()
    dingtalk.base = webhooks.base
    port = free_port()
    dingtalk.callback_url = f"http://127.0.0.1:{port}/hooks/dingtalk"
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache),
           "POLICYQA_DINGTALK_APP_KEY": APP_KEY, "POLICYQA_DINGTALK_APP_SECRET": APP_SECRET,
           "POLICYQA_DINGTALK_API_BASE_URL": webhooks.base,
           "POLICYQA_DINGTALK_CALLBACK_PATH": "/hooks/dingtalk",
           "POLICYQA_DINGTALK_PORT": str(port), "POLICYQA_LOG_LEVEL": "DEBUG"}
    robot = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "bot", "--channel", "dingtalk", "--index",
         str(index)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        while True:  # the model and index load before the server listens
            try:
                response, _ = dingtalk.message(f"@{ROBOT_NAME} 养老机构还需要许可吗", user="u1",
                                               group="cli")
                break
            except httpx.TransportError:
                assert robot.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        assert response.status_code == 200
        (reply,) = dingtalk.wait_sent("cid-group-cli", 1, timeout=60)
        assert reply.visible.startswith("不需要。")
        assert "（7.1）" in reply.visible and "省民政厅" in reply.visible
        forged, _ = dingtalk.message("养老机构还需要许可吗", user="u2", sign="forged")
        assert forged.status_code == 403
    finally:
        robot.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on SIGINT
        output, _ = robot.communicate(timeout=60)
        webhooks.stop()
    assert robot.returncode == 0, output
    assert "dingtalk reply sent" in output
    assert APP_KEY not in output and APP_SECRET not in output and "session=" not in output
    with sqlite3.connect(question_log) as db:  # written by the time the command ended
        rows = db.execute("SELECT channel, user_hash, question FROM answers").fetchall()
    assert [(channel, question) for channel, _, question in rows] == \
        [("dingtalk", "养老机构还需要许可吗")]
    assert rows[0][1] and len(rows[0][1]) == 64 and "u1" not in repr(rows)
