"""HTTP benchmark: start `policyqa serve` on 127.0.0.1 and drive it from this (second) process.

    python -m eval.loadtest [--requests 200] [--concurrency 1 4 8] [--index DIR] [--cache N]
    python -m eval.loadtest --log-cost [--rounds 3] [--requests 300] [--concurrency 4]

Prints p50/p95/p99 latency, throughput and errors per concurrency level, and the server's
resident memory. Loops are bounded in count; traffic goes only to 127.0.0.1. The server's
question cache is off by default (``--cache 0``), so every ask pays for its embedding even when
the gold questions come round again; ``--cache 4096`` measures the server as deployed, where
repeated questions are answered from the cache.

``--log-cost`` measures what the question log costs: servers with the log off and on (a SQLite
file in a temporary folder), alternated for ``--rounds`` so that the VM's drift falls on both,
each driven with the same questions; it prints the throughput of each and their ratio, and
checks after each logged server stops (its queue drained at shutdown) that the database holds
one row per answer given: no row lost.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from eval.gold import DEFAULT_GOLD, load_gold
from eval.metrics import percentile


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return (int(fields.get("VmRSS", "0 kB").split()[0]) / 1024,
            int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)


def drive(base: str, questions: list[str], requests: int, concurrency: int
          ) -> tuple[list[float], int, float]:
    """Send ``requests`` asks with ``concurrency`` clients; latencies (ms), errors, seconds."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=60) as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                started = time.perf_counter()
                try:
                    ok = http.post("/v1/ask", json={"question": questions[n % len(questions)]}
                                   ).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="asks per concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--index", type=Path, help="index folder (default: the setting)")
    parser.add_argument("--cache", type=int, default=0, metavar="N",
                        help="question embeddings the server caches (default 0: none)")
    parser.add_argument("--log-cost", action="store_true",
                        help="throughput with the question log off and on, alternated")
    parser.add_argument("--rounds", type=int, default=3, help="--log-cost: servers of each kind")
    args = parser.parse_args(argv)
    questions = [q.question for q in load_gold(DEFAULT_GOLD[0])]
    if args.log_cost:
        return log_cost(args.index, questions, args.requests, args.concurrency[0], args.rounds,
                        args.cache)
    with serving(args.index, {"POLICYQA_QUERY_CACHE_SIZE": str(args.cache)}) as (server, base):
        drive(base, questions, 10, 1)  # warm up
        print(f"{'clients':>7} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'per s':>7} {'errors':>6}")
        for concurrency in args.concurrency:
            latencies, errors, seconds = drive(base, questions, args.requests, concurrency)
            print(f"{concurrency:>7} {len(latencies):>8} {percentile(latencies, 50):>8.1f} "
                  f"{percentile(latencies, 95):>8.1f} {percentile(latencies, 99):>8.1f} "
                  f"{len(latencies) / seconds:>7.1f} {errors:>6}")
        rss, peak = rss_mb(server.pid)
        print(f"server memory: RSS {rss:.0f} MB, peak {peak:.0f} MB")
    return 0


def log_cost(index: Path | None, questions: list[str], requests: int, concurrency: int,
             rounds: int, cache: int) -> int:
    """Print throughput with the question log off and on, alternated; 1 if a row was lost."""
    from sqlalchemy import create_engine, func, select

    from usage.schema import answers

    rates: dict[str, list[float]] = {"off": [], "on": []}
    lost = 0
    print(f"{'round':>5} {'log':>4} {'requests':>8} {'p50 ms':>8} {'per s':>7} {'errors':>6} "
          f"{'rows':>6}")
    for round_ in range(1, rounds + 1):
        for mode in ("off", "on"):
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'usage.db'}"
                env = {"POLICYQA_QUERY_CACHE_SIZE": str(cache), "POLICYQA_DATABASE_URL": url,
                       "POLICYQA_LOG_QUESTIONS": "true" if mode == "on" else "false"}
                with serving(index, env) as (_, base):
                    drive(base, questions, 10, 1)  # warm up
                    latencies, errors, seconds = drive(base, questions, requests, concurrency)
                rate = len(latencies) / seconds
                rates[mode].append(rate)
                rows = "-"
                if mode == "on":  # the server has stopped: its log was drained at shutdown
                    engine = create_engine(url)
                    with engine.connect() as connection:
                        count = connection.execute(select(func.count()).select_from(answers)
                                                   ).scalar_one()
                    engine.dispose()
                    answered = 10 + len(latencies) - errors
                    lost += max(0, answered - count)
                    rows = str(count)
                print(f"{round_:>5} {mode:>4} {len(latencies):>8} "
                      f"{percentile(latencies, 50):>8.1f} {rate:>7.1f} {errors:>6} {rows:>6}")
    off, on = sum(rates["off"]) / rounds, sum(rates["on"]) / rounds
    print(f"throughput with the log / without: {on / off:.3f} ({on:.1f} vs {off:.1f} per s, "
          f"mean of {rounds}); rows lost: {lost}")
    return 1 if lost else 0


@contextmanager
def serving(index: Path | None, env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``policyqa serve`` on a free port of 127.0.0.1, ready; the process and its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "policyqa.cli", "serve", "--host", "127.0.0.1",
               "--port", str(port)] + (["--index", str(index)] if index else [])
    environment = {**os.environ, "POLICYQA_RATE_LIMIT_PER_MINUTE": "0",
                   "POLICYQA_LOG_LEVEL": "WARNING", **env}
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                raise SystemExit("the server exited before it was ready")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not become ready in 300 s")
            time.sleep(0.5)
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
