"""The question log's database: opened from a URL, migrated to the newest schema, checked.

SQLite by default (``sqlite:///var/usage.db``, a file; its folder is created), PostgreSQL with
``postgresql+psycopg://user:password@host/db`` (the ``postgres`` extra). Opening migrates with
Alembic to head (the migrations ship inside the package, :mod:`usage.migrations`); several
processes may open the same database at once (a PostgreSQL advisory lock, or an ``flock`` on the
SQLite file, lets one migrate at a time). A database that cannot be opened or migrated raises
:class:`~contract.errors.ConfigurationError` saying where it points (:func:`safe_url`: never the
URL itself, never a password).

SQLite connections enforce foreign keys (``PRAGMA foreign_keys=ON``, so deleting an answer
deletes its feedback) and use WAL, so reports read while the log writes. PostgreSQL connections
are checked before use (a restarted server is reconnected to) and give up connecting after
:data:`CONNECT_TIMEOUT` seconds.

A new migration, after changing :mod:`usage.schema`::

    python -c "from alembic import command; from usage.database import alembic_config; \\
    command.revision(alembic_config('sqlite:///var/dev.db'), 'what changed', autogenerate=True)"

(against a database migrated to head); ``tests/usage/test_database.py`` fails while
:func:`schema_differences` finds any.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from contract.errors import ConfigurationError
from usage.schema import metadata

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT = 5
"""Seconds a PostgreSQL connection attempt may take before it fails."""
_LOCK_KEY = 0x706F6C71  # "polq": the advisory lock held while one process migrates


def safe_url(url: str | URL) -> str:
    """Where a URL points, for messages and logs, without its password — and not the URL
    itself, which the entry points mask as a secret: ``the SQLite file var/usage.db``,
    ``PostgreSQL database policyqa on db.example:5432``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "an unreadable database URL"
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return f"the SQLite file {parsed.database}" if parsed.database else "SQLite in memory"
    where = f"{parsed.host or 'localhost'}:{parsed.port}" if parsed.port else parsed.host
    return f"{backend} database {parsed.database or '(default)'} on {where or 'localhost'}"


def connect(url: str) -> Engine:
    """An engine for ``url``, with the project's connection settings; nothing is migrated."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(
            "POLICYQA_DATABASE_URL is not a database URL: expected e.g. "
            "sqlite:///var/usage.db or postgresql+psycopg://user:password@host/db") from exc
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {}
    if backend == "sqlite":
        _sqlite_folder(parsed)
    elif backend == "postgresql":
        options["pool_pre_ping"] = True
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    try:
        engine = create_engine(parsed, **options)
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"the question log's database driver is not installed ({exc.name}, for "
            f"{safe_url(url)}): for PostgreSQL "
            "install policyqa[postgres] and use postgresql+psycopg://") from exc
    except (ArgumentError, SQLAlchemyError) as exc:
        raise ConfigurationError(
            f"cannot use the question log's database ({safe_url(url)}): {exc}") from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_database(url: str) -> Engine:
    """Connect to ``url`` and migrate it to the newest schema; raises ConfigurationError when
    the database cannot be reached or migrated."""
    engine = connect(url)
    try:
        migrate(engine)
    except ConfigurationError:
        engine.dispose()
        raise
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (one process at a time)."""
    try:
        with _migration_lock(engine), engine.connect() as connection:
            before = MigrationContext.configure(connection).get_current_revision()
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            after = MigrationContext.configure(connection).get_current_revision()
            connection.commit()  # reading the revision began a transaction Alembic left open
    except CommandError as exc:  # e.g. a revision this version does not have
        raise ConfigurationError(
            f"cannot migrate the question log's database ({safe_url(engine.url)}): {exc} — "
            "was it migrated by a newer policyqa?") from exc
    except (SQLAlchemyError, OSError) as exc:
        raise ConfigurationError(
            f"cannot open or migrate the question log's database ({safe_url(engine.url)}): "
            f"{_reason(exc)}") from exc
    if after != before:
        logger.info("question log: %s migrated from revision %s to %s", safe_url(engine.url),
                    before or "(empty)", after)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision of the shipped migrations."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_differences(engine: Engine) -> list[Any]:
    """What autogenerate would change to make the database match :mod:`usage.schema` (empty
    when the migrations and the tables agree)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, metadata))


def alembic_config(url: str | URL | None = None) -> Config:
    """Alembic's configuration for the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if url is not None:
        rendered = make_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Held while migrating: an advisory lock (PostgreSQL), an flock on the file (SQLite)."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
    elif backend == "sqlite" and _sqlite_file(engine.url) is not None:
        path = _sqlite_file(engine.url)
        assert path is not None
        with path.open("ab") as handle:  # an empty file is an empty SQLite database
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlite_folder(url: URL) -> None:
    path = _sqlite_file(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create the folder of the question log's database {path}: "
            f"{exc.strerror}") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _reason(exc: BaseException) -> str:
    """The first line of an error, without the SQL and parameters SQLAlchemy appends."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__
