"""`policyqa serve --workers 2` as a process on 127.0.0.1 (with the fake encoder, so that it starts
in seconds): one client's limit shared through a real redis-server, metrics summed across the
workers, a reindex seen by every worker, a worker started later on the new index, and Redis
that is down at start."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from corpus.document import Document
from eval.loadtest import free_port
from tests.conftest import FUJIAN, REPO
from tests.redisserver import RedisServer

KEY = "test-admin-key-0123456789"
QUESTION = {"question": "养老机构设立还需要许可吗"}


class Served:
    """``python -m tests.api.fakeserve serve --workers N`` until :meth:`stop`."""

    def __init__(self, index: Path, workers: int, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = index.parent / f"serve-{self.port}.log"
        command = [sys.executable, "-m", "tests.api.fakeserve", "serve", "--index", str(index),
                   "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        environment = {**os.environ, "PYTHONPATH": str(REPO), "POLICYQA_LOG_LEVEL": "WARNING",
                       **env}
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, env=environment, stdout=log,
                                            stderr=subprocess.STDOUT)

    def get(self, path: str) -> httpx.Response:
        """One request on a connection of its own (so that any worker may take it)."""
        return httpx.get(self.base + path, timeout=10)

    def workers(self, count: int, timeout: float = 60) -> set[str]:
        """Wait until ``count`` workers have answered; their X-Worker tokens."""
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while len(seen) < count:
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, f"saw workers {seen}\n{self.output()}"
            try:
                seen.add(self.get("/healthz").headers["x-worker"])
            except httpx.TransportError:
                time.sleep(0.2)
        return seen

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def index(tmp_path: Path, fujian: Document, fake_index_dir: Path) -> Path:
    """A fake-encoder index of the Fujian notice of its own (a reindex replaces it)."""
    folder = tmp_path / "index"
    shutil.copytree(fake_index_dir.resolve(), folder)
    return folder


@pytest.fixture
def serve(index: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(workers: int = 2, **env: str) -> Served:
        served = Served(index, workers, env)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def _requests_total(text: str) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for path, status, value in re.findall(
            r'^policyqa_requests_total\{path="([^"]*)",status="(\d+)"\} ([0-9.e+]+)$', text,
            flags=re.MULTILINE):
        found[(path, status)] += int(float(value))
    return found


def test_two_workers_share_one_client_s_limit_and_sum_their_metrics(
        serve: Callable[..., Served], redis_server: RedisServer) -> None:
    limit, extra = 24, 6
    served = serve(POLICYQA_RATE_LIMIT_PER_MINUTE=str(limit), POLICYQA_REDIS_URL=redis_server.url,
                   POLICYQA_HTTP_READ_TIMEOUT="1")
    workers = served.workers(2)  # /healthz is never limited
    _assert_slow_clients_are_cut_off(served)
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(
            lambda _: httpx.post(served.base + "/v1/ask", json=QUESTION, timeout=30),
            range(limit + extra)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: limit, 429: extra}, statuses  # the limit summed, not per worker
    answered_by = Counter(r.headers["x-worker"] for r in responses if r.status_code == 200)
    assert set(answered_by) == workers, answered_by  # both workers let requests through
    assert all(int(r.headers["retry-after"]) >= 1 for r in responses if r.status_code == 429)

    # Whichever worker answers /metrics, it reports the requests of both, summed.
    scrapes: dict[str, Counter[tuple[str, str]]] = {}
    deadline = time.monotonic() + 30
    while set(scrapes) != workers:
        assert time.monotonic() < deadline, scrapes.keys()
        response = served.get("/metrics")
        scrapes[response.headers["x-worker"]] = _requests_total(response.text)
    for counts in scrapes.values():  # a 429 is answered before routing: no route path
        assert (counts[("/v1/ask", "200")], counts[("unmatched", "429")]) == (limit, extra)


def test_a_reindex_is_seen_by_every_worker_and_no_request_fails(
        serve: Callable[..., Served], index: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FUJIAN, corpus / FUJIAN.name)
    served = serve(POLICYQA_RATE_LIMIT_PER_MINUTE="0", POLICYQA_ADMIN_API_KEY=KEY,
                   POLICYQA_CORPUS=f'["{corpus}"]')
    workers = served.workers(2)
    before = served.get("/readyz").json()["manifest"]["counts"]["documents"]
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.wait(0.02):
            try:
                response = httpx.post(served.base + "/v1/ask", json=QUESTION, timeout=30)
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                answered[0] += 1
            except httpx.HTTPError as exc:
                failures.append(repr(exc))

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for thread in askers:
        thread.start()
    try:
        # A second notice in the corpus: the reindex makes an index of two documents.
        second = corpus / "second.txt"
        second.write_text(_second_notice(), encoding="utf-8")
        reindex = httpx.post(served.base + "/v1/admin/reindex", headers={"X-API-Key": KEY},
                             timeout=120)
        assert reindex.status_code == 200, reindex.text
        assert reindex.json()["counts"]["documents"] == before + 1
        seen: dict[str, int] = {}
        deadline = time.monotonic() + 10  # each worker looks every second, then loads it
        while {w for w, n in seen.items() if n == before + 1} != workers:
            assert time.monotonic() < deadline, f"not every worker follows: {seen}"
            response = served.get("/readyz")
            seen[response.headers["x-worker"]] = response.json()["manifest"]["counts"][
                "documents"]
    finally:
        stop.set()
        for thread in askers:
            thread.join()
    assert not failures, failures[:5]
    assert answered[0] > 0

    # A worker started after the reindex (SIGTTIN asks uvicorn's supervisor for one more)
    # serves the new index from its first answer.
    served.process.send_signal(signal.SIGTTIN)
    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline, "no third worker"
        response = served.get("/readyz")
        if response.headers["x-worker"] not in workers:
            assert response.json()["manifest"]["counts"]["documents"] == before + 1
            break


def test_redis_down_at_start_stops_serve_with_a_clear_message(index: Path) -> None:
    url = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"
    done = subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "serve", "--index", str(index), "--workers", "2",
         "--port", str(free_port())], capture_output=True, text=True, timeout=120,
        env={**os.environ, "POLICYQA_REDIS_URL": url})
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "policyqa: error: cannot reach Redis at redis://127.0.0.1:"), done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def _assert_slow_clients_are_cut_off(served: Served) -> None:
    """The workers keep the server's limits: a request still incomplete after
    POLICYQA_HTTP_READ_TIMEOUT (1 s here) gets 408."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the head never ends
        started = time.monotonic()
        reply = conn.recv(4096)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:100]
    assert 0.5 < time.monotonic() - started < 8


def _second_notice() -> str:
    """A short notice of its own (another title and number), parsed as a second document."""
    return ("福州市民政局关于做好社区养老服务站点运营管理的通知\n"
            "榕民〔2021〕99号\n\n"
            "各县（市）区民政局：\n\n"
            "一、加强站点管理\n"
            "（一）各县（市）区民政局负责社区养老服务站点的日常监管，2021年12月31日前完成"
            "站点信息登记。\n\n"
            "二、保障措施\n"
            "（二）市财政局负责落实运营补贴资金。\n\n"
            "福州市民政局\n2021年6月1日\n")


def test_a_conversation_follows_up_on_whichever_worker(
        serve: Callable[..., Served], redis_server: RedisServer) -> None:
    served = serve(POLICYQA_RATE_LIMIT_PER_MINUTE="0", POLICYQA_REDIS_URL=redis_server.url)
    served.workers(2)
    first = httpx.post(served.base + "/v1/ask", json=QUESTION, timeout=30)
    conversation, asked_on = first.json()["conversation_id"], first.headers["x-worker"]

    def follow_up(_: int) -> str:
        response = httpx.post(served.base + "/v1/ask", timeout=30, json={
            "question": "谁牵头", "conversation_id": conversation})
        answer = response.json()
        assert answer["follow_up"] is True and answer["citations"][0]["clause_id"] == "7.1"
        return str(response.headers["x-worker"])

    # Idle workers on one socket need not share the accepts: two requests at a time, each on a
    # connection of its own, keep one worker busy while the other accepts.
    other = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(30):
            other += sum(worker != asked_on for worker in pool.map(follow_up, range(2)))
            if other:
                break
    assert other > 0  # the worker that did not answer first knew the conversation too
