"""``policyqa log``: the administrator's commands on the question log (:mod:`usage`).

``policyqa log export [--format jsonl|csv] [--out FILE]`` writes every answer with its ratings
(to standard output, or to a file only its owner may read); ``policyqa log prune [--days N]``
deletes the rows older than the retention period now, as the log's writer does every hour.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from contract.errors import ConfigurationError, InputError
from policyqa.commands import Args, Context
from policyqa.privatefiles import open_private
from usage.database import open_database, safe_url
from usage.export import FORMATS, export
from usage.retention import cutoff, prune


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``policyqa log export`` and ``policyqa log prune``."""
    log = sub.add_parser("log", help="the question log: export it, delete old rows")
    actions = log.add_subparsers(dest="log_command", required=True, metavar="ACTION")
    out = actions.add_parser(
        "export", help="write every logged answer with its ratings (JSON lines or CSV)",
        description="Write the question log (POLICYQA_DATABASE_URL): one JSON object per answer "
                    "with its ratings, or CSV with one row per rating. Users appear only as "
                    "keyed hashes.")
    out.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default) or csv")
    out.add_argument("--out", type=Path, metavar="FILE",
                     help="write to this file, readable only by its owner (default: stdout)")
    out.set_defaults(run=export_log)
    old = actions.add_parser(
        "prune", help="delete the rows older than the retention period now",
        description="Delete the answers (and their ratings) asked more than "
                    "POLICYQA_LOG_RETENTION_DAYS days ago; the running service does this every "
                    "hour by itself.")
    old.add_argument("--days", type=int, metavar="N",
                     help="keep only the last N days (default: POLICYQA_LOG_RETENTION_DAYS)")
    old.set_defaults(run=prune_log)


def export_log(args: Args, context: Context) -> int:
    """Write the log to stdout or ``--out``."""
    url = context.settings.database_url.get_secret_value()
    engine = open_database(url)
    try:
        with _output(args.out, args.format) as stream:
            count = export(engine, stream, args.format)
    finally:
        engine.dispose()
    if args.out is not None:
        print(f"{count} answers from {safe_url(url)} written to {args.out}", file=sys.stderr)
    return 0


def prune_log(args: Args, context: Context) -> int:
    """Delete what is older than the retention period."""
    days = context.settings.log_retention_days if args.days is None else args.days
    if days < 0:
        raise InputError(f"--days must be 0 or more, not {days}")
    before = cutoff(days)
    if before is None:
        print("the retention period is 0 days (keep forever): nothing deleted")
        return 0
    engine = open_database(context.settings.database_url.get_secret_value())
    try:
        deleted = prune(engine, before)
    finally:
        engine.dispose()
    print(f"{deleted} answers (with their ratings) asked before "
          f"{before.isoformat(timespec='seconds')} deleted")
    return 0


@contextmanager
def _output(path: Path | None, fmt: str) -> Iterator[TextIO]:
    """Standard output, or a new file only its owner may read (the log holds questions)."""
    if path is None:
        yield sys.stdout
        return
    try:
        stream = open_private(path, newline="" if fmt == "csv" else None)
    except OSError as exc:
        raise ConfigurationError(f"cannot write {path}: {exc.strerror}") from exc
    with stream:
        yield stream
