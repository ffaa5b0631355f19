"""The one typed settings object, read at the edges (CLI, API, bot) from ``POLICYQA_*``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import corpus

DEFAULT_CORPUS = Path(corpus.__file__).parent / "fujian_2021_fangguanfu.txt"


class Settings(BaseSettings):
    """Settings of every entry point; each field is ``POLICYQA_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    corpus: list[Path] = Field(
        default_factory=lambda: [DEFAULT_CORPUS],
        description="Notice files or folders to serve (JSON list in the environment).")
    log_level: str = Field(default="INFO", description="Logging level of the entry points.")
    log_format: Literal["plain", "json"] = Field(
        default="plain", description="plain lines, or one JSON object per line.")
    embed_model: str = Field(
        default="multilingual-e5-small",
        description="A sentence-transformers folder, or multilingual-e5-small (built offline).")
    embed_runtime: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="What runs the model: ONNX Runtime (an exported graph, fastest on a CPU) "
                    "or PyTorch.")
    embed_weights: Literal["float32", "float16", "int8"] = Field(
        default="float32",
        description="PyTorch only: how the linear layers hold weights. float16 is as accurate "
                    "as float32 and faster; int8 is faster still, slightly less accurate.")
    cache_dir: Path = Field(default=Path.home() / ".cache" / "policyqa",
                            description="Where the built embedding model and its ONNX graph are kept.")
    query_cache_size: int = Field(
        default=4096, description="Question embeddings kept by the API and bot (0 = none).")
    index_dir: Path = Field(default=Path("var/index"), description="The index folder.")
    home_region: str = Field(
        default="auto",
        description="The region (e.g. 福建) whose documents answer first when several say the "
                    "same thing; auto: the one region among the loaded documents, if only one; "
                    "empty: none.")
    follow_up_seconds: float = Field(
        default=600.0, ge=0,
        description="Seconds a conversation's last answer is kept for follow-up questions "
                    "(谁牵头, 什么时候完成, 那福州呢 read against it) in the API, the widget and "
                    "every chat channel; 0: every question is read on its own.")
    host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    port: int = Field(default=8000, description="Port the API listens on.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Web origins allowed to call the API (no wildcard).")
    rate_limit_per_minute: int = Field(
        default=120, description="Requests per minute per client before 429 (0 = no limit).")
    max_body_bytes: int = Field(default=16_384, description="Larger request bodies get 413.")
    forwarded_allow_ips: list[str] = Field(
        default_factory=list,
        description="Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; "
                    "none by default, so the rate limit counts the connecting address.")
    http_read_timeout: float = Field(
        default=10.0, description="Seconds a client has to send a whole request, else 408.")
    http_keep_alive: int = Field(default=5, description="Seconds an idle connection stays open.")
    http_max_connections: int = Field(
        default=256, description="Connections and running requests beyond which requests get 503.")
    admin_api_key: SecretStr | None = Field(
        default=None, description="Key for admin operations; they are disabled without it.")
    index_type: Literal["flat", "hnsw"] = Field(
        default="flat", description="FAISS index: exact (flat) or approximate (hnsw).")
    store: Literal["embedded", "milvus"] = Field(
        default="embedded",
        description="Where passages are searched: embedded (FAISS and BM25 files in the index "
                    "folder, no set-up) or milvus (a Milvus server or Milvus Lite file at "
                    "milvus_uri; see the README's scale-out section).")
    milvus_uri: str = Field(
        default="var/milvus.db",
        description="Milvus: http://host:19530 for a server or cluster, or a file path for Milvus "
                    "Lite.")
    milvus_token: SecretStr | None = Field(
        default=None, description="Milvus: user:password or an API key; never logged.")
    milvus_prefix: str = Field(
        default="policyqa", description="Milvus: the collection alias that names the live index "
                                        "(each version is a collection behind it).")
    workers: int = Field(
        default=1, ge=1, le=64,
        description="API worker processes (each loads the model and the index).")
    redis_url: SecretStr | None = Field(
        default=None,
        description="redis://host:6379/0 to share rate limits between workers and hosts; "
                    "in memory (per process) without it. Never logged (it may hold a password).")
    database_url: SecretStr = Field(
        default=SecretStr("sqlite:///var/usage.db"),
        description="The question log's database: a SQLite file (sqlite:///var/usage.db) or "
                    "postgresql+psycopg://user:password@host/db (policyqa[postgres]). Never "
                    "logged (it may hold a password).")
    log_questions: bool = Field(
        default=True,
        description="Keep a log of the questions asked, their answers and ratings (no IP "
                    "addresses, no user ids in clear); false keeps nothing.")
    log_key: SecretStr | None = Field(
        default=None,
        description="Secret key (16+ characters) under which user ids are hashed, per channel, "
                    "in the question log; without it no user hash is kept. Never logged.")
    log_retention_days: int = Field(
        default=180, ge=0,
        description="Days the question log keeps a row before deleting it (0 = forever).")
    report_timezone: str = Field(
        default="Asia/Shanghai",
        description="IANA time zone of the usage report: its days begin at midnight there, and "
                    "its times are shown there (UTC, Asia/Shanghai…).")
    telegram_token: SecretStr | None = Field(
        default=None, description="The bot's token from @BotFather; never logged.")
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL (a local Bot API server, or a test stand-in).")
    bot_rate_limit_per_minute: int = Field(
        default=20, description="Questions per minute per Telegram user (0 = no limit).")
    bot_webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL for webhook mode; long polling without it.")
    bot_webhook_listen: str = Field(default="127.0.0.1",
                                    description="Address the webhook server listens on.")
    bot_webhook_port: int = Field(default=8443, description="Port of the webhook server.")
    wecom_corp_id: str = Field(
        default="", description="WeCom (企业微信, 政务微信) corp id (企业ID), for policyqa bot "
                                "--channel wecom.")
    wecom_agent_id: int | None = Field(
        default=None, description="The WeCom app's AgentId (应用管理 → the app).")
    wecom_secret: SecretStr | None = Field(
        default=None, description="The WeCom app's Secret; never logged.")
    wecom_token: SecretStr | None = Field(
        default=None, description="The callback's Token (接收消息 → API接收); never logged.")
    wecom_encoding_aes_key: SecretStr | None = Field(
        default=None, description="The callback's EncodingAESKey (43 characters); never logged.")
    wecom_api_base_url: str = Field(
        default="https://qyapi.weixin.qq.com",
        description="WeCom API base URL; 政务微信 and private deployments have their own host.")
    wecom_callback_path: str = Field(
        default="/wecom/callback", description="Path of the callback URL the app serves.")
    wecom_listen: str = Field(default="127.0.0.1",
                              description="Address the WeCom callback server listens on.")
    wecom_port: int = Field(default=8090, description="Port of the WeCom callback server.")
    wecom_rate_limit_per_minute: int = Field(
        default=20, description="Questions per minute per WeCom user (0 = no limit).")
    wecom_cards: bool = Field(
        default=True,
        description="Buttons (查看原文, 相关条款, suggested questions) on WeCom template cards; "
                    "false for a WeCom without them (suggested questions listed in the text).")
    dingtalk_app_key: SecretStr | None = Field(
        default=None, description="The DingTalk (钉钉, 政务钉钉) app's AppKey (Client ID), for "
                                  "policyqa bot --channel dingtalk; callbacks for another robot "
                                  "are ignored. Never logged.")
    dingtalk_app_secret: SecretStr | None = Field(
        default=None, description="The app's AppSecret (Client Secret), which signs every "
                                  "callback; never logged.")
    dingtalk_mode: Literal["callback", "stream"] = Field(
        default="callback",
        description="How messages arrive: callback (DingTalk POSTs them to the robot's URL). "
                    "stream is refused with the reason (README: DingTalk).")
    dingtalk_api_base_url: str = Field(
        default="https://oapi.dingtalk.com",
        description="DingTalk's API base; replies go only to session webhooks under it "
                    "(政务钉钉 and private deployments have their own host).")
    dingtalk_callback_path: str = Field(
        default="/dingtalk/callback", description="Path of the callback URL the robot serves.")
    dingtalk_listen: str = Field(default="127.0.0.1",
                                 description="Address the DingTalk callback server listens on.")
    dingtalk_port: int = Field(default=8091, description="Port of the DingTalk callback server.")
    dingtalk_rate_limit_per_minute: int = Field(
        default=20, description="Questions per minute per DingTalk user (0 = no limit).")

    @field_validator("report_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        """An IANA time zone this machine knows (tzdata), or a clear error."""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder (Asia)
            raise ValueError(f"unknown time zone {name!r}: POLICYQA_REPORT_TIMEZONE takes an "
                             "IANA name such as Asia/Shanghai or UTC") from exc
        return name
