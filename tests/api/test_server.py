"""The real service: `policyqa serve` under uvicorn on 127.0.0.1, asked over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from eval.loadtest import free_port


def test_serve_answers_over_http(model_cache: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache),
           "POLICYQA_INDEX_DIR": str(tmp_path / "index")}
    server = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # builds the index first, then loads the model
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            time.sleep(1)
        else:
            pytest.fail("the server did not become ready")
        answer = httpx.post(f"{base}/v1/ask", json={"question": "养老机构还需要许可吗"},
                            timeout=30).json()
        assert answer["verdict"] == "no" and answer["citations"][0]["clause_id"] == "7.1"
        bad = httpx.post(f"{base}/v1/ask", json={"question": ""}, timeout=10)
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    finally:
        server.terminate()
        server.communicate(timeout=30)  # also closes the pipe
