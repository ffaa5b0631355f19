"""Reliability under reindex: `policyqa serve` answering from several clients while the admin
endpoint rebuilds the index again and again.

    python -m eval.reindex_memory [--reindexes 10] [--clients 4] [--index DIR]

Prints the requests answered, errors (non-200), lost answers (no response at all) and wrong
answers (a known question no longer cited to its clause), and the server's resident memory after
the first and after the last reindex (each read after the server has been idle for a few
seconds). Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import threading
import time
from pathlib import Path

import httpx

from eval.loadtest import rss_mb, serving

PROBE = ("养老机构还需要许可吗", "7.1")  # a question whose clause every index keeps


def main(argv: list[str] | None = None) -> int:
    """Run the reindexes under load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--reindexes", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--settle", type=float, default=5.0,
                        help="idle seconds before reading memory (default 5)")
    parser.add_argument("--index", type=Path, help="index folder (default: the setting)")
    args = parser.parse_args(argv)
    key = secrets.token_urlsafe(16)
    counts = {"requests": 0, "errors": 0, "lost": 0, "wrong": 0}
    lock = threading.Lock()
    paused = threading.Event()
    stop = threading.Event()

    with serving(args.index, {"POLICYQA_ADMIN_API_KEY": key}) as (server, base):

        def client() -> None:
            with httpx.Client(base_url=base, timeout=120) as http:
                while not stop.is_set():
                    if paused.is_set():
                        time.sleep(0.05)
                        continue
                    outcome = "requests"
                    try:
                        response = http.post("/v1/ask", json={"question": PROBE[0]})
                        if response.status_code != 200:
                            outcome = "errors"
                        elif response.json()["citations"][0]["clause_id"] != PROBE[1]:
                            outcome = "wrong"
                    except httpx.HTTPError:
                        outcome = "lost"
                    with lock:
                        counts["requests"] += 1
                        if outcome != "requests":
                            counts[outcome] += 1

        def settled_rss() -> float:
            paused.set()
            time.sleep(args.settle)
            rss = rss_mb(server.pid)[0]
            paused.clear()
            return rss

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        start_rss = settled_rss()
        memory: list[float] = []
        started = time.perf_counter()
        with httpx.Client(base_url=base, timeout=600) as admin:
            for n in range(1, args.reindexes + 1):
                response = admin.post("/v1/admin/reindex", headers={"X-API-Key": key})
                if response.status_code != 200:
                    print(f"reindex {n} failed: {response.status_code} {response.text}",
                          file=sys.stderr)
                    return 1
                if n in (1, args.reindexes):
                    memory.append(settled_rss())
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join()
    after_one, after_last = memory[0], memory[-1]
    print(f"{args.reindexes} reindexes in {elapsed:.0f} s with {args.clients} clients asking")
    print(f"requests {counts['requests']}, errors {counts['errors']}, lost {counts['lost']}, "
          f"wrong {counts['wrong']}")
    print(f"RSS before {start_rss:.0f} MB, after 1 reindex {after_one:.0f} MB, after "
          f"{args.reindexes} {after_last:.0f} MB ({(after_last / after_one - 1) * 100:+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
