"""The commands of ``policyqa``: each takes its parsed arguments and the :class:`Context`, calls
the service (or the index build, or an evaluation), and prints the result."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract.errors import ConfigurationError, IndexUnavailable, InputError
from corpus.document import clause_record
from corpus.outline import outline
from corpus.reader import read_documents
from engine.refusal import RefusalModel
from engine.service import PolicyQA
from index.search import Filters
from index.store import FORMAT_VERSION, BuildReport
from policyqa.logs import hide
from policyqa.runtime import (
    add_files,
    build,
    open_encoder,
    open_service,
    remove_documents,
    set_status,
    store_mirror,
    sync_milvus,
    upgrade,
)
from policyqa.settings import Settings

if TYPE_CHECKING:
    from api.server import HttpLimits
    from usage.log import QuestionLog
    from usage.privacy import UserHasher


@dataclass(frozen=True)
class Context:
    """What every command gets: the settings and the index folder, resolved once."""

    settings: Settings
    index_dir: Path

    def service(self, serving: bool = False, refusal: RefusalModel | None = None) -> PolicyQA:
        """The service over the index folder (the model and index loaded and verified)."""
        return open_service(self.settings, self.index_dir, serving, refusal)


Args = argparse.Namespace


def parse(args: Args, context: Context) -> int:
    """Notices → clauses, as JSON lines or a readable outline."""
    for document in read_documents(args.files or context.settings.corpus):
        if args.pretty:
            sys.stdout.write(outline(document))
        else:
            for clause in document.clauses:
                sys.stdout.write(json.dumps(clause_record(clause), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def model_build(args: Args, context: Context) -> int:
    """Rebuild the default embedding model (and export its ONNX graph)."""
    require("sentence_transformers", "build")
    from index.model import DEFAULT_MODEL, build_model

    settings = context.settings
    target = settings.cache_dir / DEFAULT_MODEL
    build_model(target, progress=lambda message: print(message, file=sys.stderr))
    if settings.embed_runtime == "onnx" and settings.embed_model == DEFAULT_MODEL:
        print("exporting the ONNX graph", file=sys.stderr)
        open_encoder(settings)  # exports and checks it now rather than on first use
    print(target)
    return 0


def build_index(args: Args, context: Context) -> int:
    """Parse the corpus and build the index, with a progress bar."""
    started = time.perf_counter()
    with _progress_bar() as progress:
        built = build(context.settings, getattr(args, "corpus", None), context.index_dir,
                      progress=progress)
    _report_build(built, context.index_dir, time.perf_counter() - started)
    return 0


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress callback that draws a bar on standard error once embedding starts."""
    from tqdm import tqdm

    bar: tqdm[Any] | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="embedding", unit="text", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()


def _report_build(built: BuildReport, index_dir: Path, seconds: float) -> None:
    manifest, counts = built.manifest, built.manifest.counts
    print(f"index written to {index_dir}: {counts['documents']} documents, "
          f"{counts['clauses']} clauses, {counts['vectors']} vectors, model {manifest.model_id} "
          f"({seconds:.1f} s); {built.embedding.summary()}")


def add(args: Args, context: Context) -> int:
    """Add notices to the index (or replace the indexed versions), embedding only what is new."""
    report = add_files(context.settings, args.files, context.index_dir)
    print(f"{context.index_dir}: {report.summary()}")
    return 0


def remove(args: Args, context: Context) -> int:
    """Remove documents from the index by id."""
    report = remove_documents(args.doc_ids, context.index_dir, store_mirror(context.settings))
    print(f"{context.index_dir}: {report.summary()}")
    return 0


def sync_store(args: Args, context: Context) -> int:
    """Load the index folder's current version into the configured store and make it live."""
    if context.settings.store != "milvus":
        raise ConfigurationError("the embedded store reads the index folder itself; set "
                                 "POLICYQA_STORE=milvus to load the index into Milvus")
    lineage, generation = sync_milvus(context.settings, context.index_dir)
    print(f"{context.index_dir}: lineage {lineage}, generation {generation}, in Milvus and live")
    return 0


def status(args: Args, context: Context) -> int:
    """Set a document's status (现行, 废止, 已修订) without re-embedding anything."""
    report = set_status(args.doc_id, args.status, context.index_dir,
                        store_mirror(context.settings))
    print(f"{context.index_dir}: {report.summary()}")
    return 0


def search(args: Args, context: Context) -> int:
    """The clauses closest to a question."""
    if args.k < 1:
        raise InputError("--k must be at least 1")
    filters = Filters(doc_id=args.doc, unit=args.unit, deadline=args.deadline)
    hits = context.service().search(args.question, k=args.k, mode=args.mode, filters=filters)
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


def ask(args: Args, context: Context) -> int:
    """Answer one question, or JSON lines of questions from standard input."""
    if args.top_k < 1:
        raise InputError("--top-k must be at least 1")
    if args.jsonl == bool(args.question):
        raise InputError("give one question, or --jsonl to read questions from standard input")
    service = context.service()
    if not args.jsonl:
        answer = service.ask(args.question, top_k=args.top_k)
        if args.json:
            print(answer.model_dump_json(indent=2))
        else:
            print(answer.answer)
            if answer.status == "answered" and len(answer.citations) > 1:
                print("更多依据：" + "；".join(c.label for c in answer.citations[1:]))
        return 0
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            print(service.ask(line, top_k=args.top_k).model_dump_json(), flush=True)
        except InputError as exc:
            failures += 1
            print(json.dumps({"line": number, "error": str(exc)}, ensure_ascii=False), flush=True)
    return 2 if failures else 0


def serve(args: Args, context: Context) -> int:
    """Serve the HTTP API (building the index first when there is none), in one process or
    in ``--workers`` processes."""
    import uvicorn

    from api.server import server_config
    from policyqa import workers

    settings, index_dir = context.settings, context.index_dir
    # Redis first: one that does not answer stops the command before anything takes its time.
    limiter = workers.shared_limiter(settings)
    if not (index_dir / "manifest.json").exists():
        print(f"no index in {index_dir}; building it first", file=sys.stderr)
        build_index(args, context)
    elif (found := _format_of(index_dir)) is not None and found < FORMAT_VERSION:
        print(f"{index_dir} has index format {found}; rebuilding it in format {FORMAT_VERSION} "
              "from its documents", file=sys.stderr)
        started = time.perf_counter()
        with _progress_bar() as progress:
            built = upgrade(settings, index_dir, progress)
        _report_build(built, index_dir, time.perf_counter() - started)

    host, port = args.host or settings.host, args.port or settings.port
    limits = _http_limits(settings)
    count = getattr(args, "workers", None) or settings.workers
    if count > 1:  # each worker makes its own limiter (a connection pool is not shared)
        print(f"serving on http://{host}:{port} with {count} workers (API docs at /docs)",
              file=sys.stderr)
        return workers.run(settings, index_dir, host, port, count, limits)
    # Loaded here rather than in the app's lifespan, so that a damaged index or a missing model
    # ends the command with one line and its exit code, not a server start-up traceback.
    app = workers.assemble(settings, index_dir, _handover(context.service(serving=True)),
                           limiter=limiter)
    print(f"serving on http://{host}:{port} (API docs at /docs)", file=sys.stderr)
    uvicorn.Server(server_config(app, host, port, limits)).run()
    return 0


def _http_limits(settings: Settings) -> HttpLimits:
    """Uvicorn's timeouts and connection limits, from the settings (every served app)."""
    from api.server import HttpLimits

    return HttpLimits(read_timeout=settings.http_read_timeout,
                      keep_alive=settings.http_keep_alive,
                      max_connections=settings.http_max_connections,
                      forwarded_allow_ips=tuple(settings.forwarded_allow_ips))


def _serve_callback(app: Any, host: str, port: int, settings: Settings) -> None:
    """Serve a chat channel's callback app until Ctrl-C (which uvicorn re-raises)."""
    import uvicorn

    from api.server import server_config

    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(server_config(app, host, port, _http_limits(settings))).run()


def _format_of(index_dir: Path) -> int | None:
    """The format version of the index at ``index_dir``; None when its manifest is unreadable
    (loading it then says what is wrong)."""
    try:
        data = json.loads((index_dir / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return None
    found = data.get("format_version") if isinstance(data, dict) else None
    return found if isinstance(found, int) else None


def require(module: str, extra: str) -> None:
    """A clear error when an optional part is not installed (not a traceback)."""
    if importlib.util.find_spec(module) is None:
        raise ConfigurationError(f"this command needs policyqa[{extra}]; install it with: "
                                 f"pip install 'policyqa[{extra}]'")


def _handover(service: PolicyQA) -> Callable[[], PolicyQA]:
    """A loader that hands ``service`` over once and keeps no reference to it (so that a
    reindex can free it)."""
    box = [service]
    return box.pop


def _chat_log(settings: Settings) -> tuple[QuestionLog, UserHasher | None]:
    """A chat channel's question log and the hasher of its user ids (None when nothing is
    logged: the key then plays no part); the log is closed by the channel at shutdown, and
    again, harmlessly, by the command."""
    from usage.log import open_log
    from usage.privacy import UserHasher

    # A key too short stops the command before the log opens.
    users = UserHasher(settings.log_key) if settings.log_questions else None
    return open_log(settings.database_url.get_secret_value(), enabled=settings.log_questions,
                    retention_days=settings.log_retention_days), users


def bot(args: Args, context: Context) -> int:
    """Run a chat bot until interrupted: Telegram, or WeCom's callback (``--channel wecom``),
    or DingTalk's (``--channel dingtalk``)."""
    if getattr(args, "channel", "telegram") == "wecom":
        return wecom(args, context)
    if getattr(args, "channel", "telegram") == "dingtalk":
        return dingtalk(args, context)
    require("telegram", "telegram")
    from telegram import Update
    from telegram.error import InvalidToken, TelegramError

    from bot.app import build_application

    settings = context.settings
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ConfigurationError(
            "POLICYQA_TELEGRAM_TOKEN is not set: create a bot with @BotFather and export its token")
    if not (context.index_dir / "manifest.json").is_file():
        raise IndexUnavailable(f"no index in {context.index_dir}; build it with: policyqa build "
                               f"--index {context.index_dir}")
    log, users = _chat_log(settings)
    application = build_application(
        token, lambda: context.service(serving=True), base_url=settings.telegram_base_url,
        rate_limit_per_minute=settings.bot_rate_limit_per_minute,
        follow_up_seconds=settings.follow_up_seconds, log=log, users=users)
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
    finally:
        log.close()
    return 0


def wecom(args: Args, context: Context) -> int:
    """Serve WeCom's callback URL (企业微信, 政务微信) until interrupted."""
    require("wechatpy", "wecom")
    from bot.wecom import WeComConfig, create_app
    from bot.wecom_api import Credentials, fetch_token
    from bot.wecom_crypto import check_aes_key

    settings = context.settings
    values = {"CORP_ID": settings.wecom_corp_id.strip(),
              "AGENT_ID": "" if settings.wecom_agent_id is None else str(settings.wecom_agent_id)}
    values |= {name: value.get_secret_value().strip() if value else ""
               for name, value in (("SECRET", settings.wecom_secret),
                                   ("TOKEN", settings.wecom_token),
                                   ("ENCODING_AES_KEY", settings.wecom_encoding_aes_key))}
    missing = [f"POLICYQA_WECOM_{name}" for name, value in values.items() if not value]
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: copy them "
            "from the WeCom admin console (企业ID under 我的企业; the app's AgentId and Secret, "
            "and the Token and EncodingAESKey of its 接收消息 → 设置API接收)")
    check_aes_key(values["ENCODING_AES_KEY"])
    if not (context.index_dir / "manifest.json").is_file():
        raise IndexUnavailable(f"no index in {context.index_dir}; build it with: policyqa build "
                               f"--index {context.index_dir}")
    credentials = Credentials(values["CORP_ID"], int(values["AGENT_ID"]), values["SECRET"],
                              settings.wecom_api_base_url)
    token = fetch_token(credentials)  # the credentials checked before the model is loaded
    hide(token.value)
    log, users = _chat_log(settings)
    config = WeComConfig(credentials, values["TOKEN"], values["ENCODING_AES_KEY"],
                         settings.wecom_callback_path, settings.wecom_rate_limit_per_minute,
                         cards=settings.wecom_cards,
                         follow_up_seconds=settings.follow_up_seconds, log=log, users=users)
    try:
        app = create_app(config, _handover(context.service(serving=True)), token=token,
                         on_token=hide)
        host, port = settings.wecom_listen, settings.wecom_port
        print(f"WeCom callback URL on http://{host}:{port}/{config.callback_path.strip('/')}",
              file=sys.stderr)
        _serve_callback(app, host, port, settings)
    finally:
        log.close()
    return 0


def dingtalk(args: Args, context: Context) -> int:
    """Serve DingTalk's robot callback (钉钉, 政务钉钉) until interrupted."""
    from bot.dingtalk import build_app

    settings = context.settings
    key, secret = (value.get_secret_value().strip() if value else ""
                   for value in (settings.dingtalk_app_key, settings.dingtalk_app_secret))
    missing = [name for name, value in (("POLICYQA_DINGTALK_APP_KEY", key),
                                        ("POLICYQA_DINGTALK_APP_SECRET", secret)) if not value]
    if missing:
        raise ConfigurationError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: copy the "
            "AppKey and AppSecret from the DingTalk developer console (the app's 凭证与基础信息)")
    if settings.dingtalk_mode == "stream":
        raise ConfigurationError(
            "POLICYQA_DINGTALK_MODE=stream is not supported: the dingtalk-stream SDK cannot be "
            "pointed at another gateway without patching it; use the callback mode (README: "
            "DingTalk)")
    if not (context.index_dir / "manifest.json").is_file():
        raise IndexUnavailable(f"no index in {context.index_dir}; build it with: policyqa build "
                               f"--index {context.index_dir}")
    # Loaded before serving, so that a damaged index or a missing model ends the command with
    # one line and its exit code.
    log, users = _chat_log(settings)
    try:
        app = build_app(key, secret, _handover(context.service(serving=True)),
                        api_base=settings.dingtalk_api_base_url,
                        callback_path=settings.dingtalk_callback_path,
                        rate_limit_per_minute=settings.dingtalk_rate_limit_per_minute,
                        follow_up_seconds=settings.follow_up_seconds, log=log, users=users)
        host, port = settings.dingtalk_listen, settings.dingtalk_port
        print(f"DingTalk callback URL on http://{host}:{port}{settings.dingtalk_callback_path}",
              file=sys.stderr)
        _serve_callback(app, host, port, settings)
    finally:
        log.close()
    return 0
