"""The question log's database: opened from a URL, migrated to the newest schema, checked.

SQLite by default (``sqlite:///var/usage.db``, a file; its folder is created), PostgreSQL with
``postgresql+psycopg://user:password@host/db`` (the ``postgres`` extra). Opening migrates with
Alembic to head (the migrations ship inside the package, :mod:`usage.migrations`); several
processes may open the same database at once and take turns: a PostgreSQL advisory lock, or an
``flock`` on a file of its own next to the SQLite database (``usage.db.migrate-lock``; never on
the database file, whose POSIX locks SQLite holds and closing any other handle of it would
drop), each waited for at most :data:`LOCK_TIMEOUT` seconds. A database that cannot be opened or
migrated raises :class:`~contract.errors.ConfigurationError` saying where it points
(:func:`safe_url`: never the URL itself, never a password); :class:`DatabaseUnavailable`, its
subclass, when it could not be reached or locked (it may work later: the question log then
keeps trying, see :func:`usage.log.open_log`).

SQLite connections enforce foreign keys (``PRAGMA foreign_keys=ON``, so deleting an answer
deletes its feedback) and use WAL, so reports read while the log writes. Migrations run with
foreign keys off (set before their transaction begins; Alembic's batch mode rebuilds a SQLite
table by copying it and dropping the old one, and that drop would otherwise cascade and delete
every rating), then ``PRAGMA foreign_key_check`` must find nothing (else ConfigurationError) and
the connection gets them back on. PostgreSQL connections are checked before use (a restarted
server is reconnected to) and give up connecting after :data:`CONNECT_TIMEOUT` seconds.

A new migration, after changing :mod:`usage.schema`::

    python -c "from alembic import command; from usage.database import alembic_config; \\
    command.revision(alembic_config('sqlite:///var/dev.db'), 'what changed', autogenerate=True)"

(against a database migrated to head); ``tests/usage/test_database.py`` fails while
:func:`schema_differences` finds any.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
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
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, SQLAlchemyError

from contract.errors import ConfigurationError
from usage.schema import metadata

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT = 5
"""Seconds a PostgreSQL connection attempt may take before it fails."""
LOCK_TIMEOUT = 30.0
"""Seconds a process waits for another one's migration before it gives up."""
_LOCK_KEY = 0x706F6C71  # "polq": the advisory lock held while one process migrates
_LOCK_POLL = 0.2


class DatabaseUnavailable(ConfigurationError):
    """The database could not be reached, or its migration lock not taken in time: it may
    work later (the command line still stops on it, exit 3)."""


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


def migrate(engine: Engine, revision: str = "head", *, config: Config | None = None,
            lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Upgrade the database to ``revision`` (one process at a time) with the shipped
    migrations, or those of ``config``."""
    try:
        with _migration_lock(engine, lock_timeout), engine.connect() as connection:
            before, after = _upgrade(connection, config or alembic_config(), revision)
    except CommandError as exc:  # e.g. a revision this version does not have
        raise ConfigurationError(
            f"cannot migrate the question log's database ({safe_url(engine.url)}): {exc} — "
            "was it migrated by a newer policyqa?") from exc
    except (OperationalError, InterfaceError) as exc:
        raise DatabaseUnavailable(
            f"cannot open or migrate the question log's database ({safe_url(engine.url)}): "
            f"{_reason(exc)}") from exc
    except (SQLAlchemyError, OSError) as exc:
        raise ConfigurationError(
            f"cannot open or migrate the question log's database ({safe_url(engine.url)}): "
            f"{_reason(exc)}") from exc
    if after != before:
        logger.info("question log: %s migrated from revision %s to %s", safe_url(engine.url),
                    before or "(empty)", after)


def _upgrade(connection: Connection, config: Config, revision: str) -> tuple[str | None,
                                                                              str | None]:
    """Run the migrations on ``connection``; (revision before, revision after)."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # before any transaction begins: inside one the pragma does nothing
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                connection.rollback()
                tables = sorted({str(row[0]) for row in broken})
                raise ConfigurationError(
                    f"migrating the question log's database left {len(broken)} rows whose "
                    f"answer is missing (in {', '.join(tables)}): the migration is wrong")
        connection.commit()  # reading the revision began a transaction Alembic left open
    finally:
        if sqlite:  # the connection goes back to the pool: foreign keys on again
            try:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            except SQLAlchemyError:
                connection.invalidate()
    return before, after


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


def alembic_config(url: str | URL | None = None, migrations: Path = MIGRATIONS) -> Config:
    """Alembic's configuration for the shipped migrations, or those in the folder
    ``migrations`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(migrations).replace("%", "%%"))
    if url is not None:
        rendered = make_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


@contextmanager
def _migration_lock(engine: Engine, timeout: float) -> Iterator[None]:
    """Held while migrating: an advisory lock (PostgreSQL), an flock on the SQLite database's
    lock file; DatabaseUnavailable when another process holds it for ``timeout`` seconds."""
    backend = engine.url.get_backend_name()
    deadline = time.monotonic() + timeout
    path = _sqlite_file(engine.url)
    if backend == "postgresql":
        with engine.connect() as connection:
            while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                         {"key": _LOCK_KEY}).scalar():
                connection.rollback()
                _wait_for_lock(engine, deadline)
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
    elif backend == "sqlite" and path is not None:
        # A file of its own: closing a handle of the database file would drop every POSIX
        # lock this process holds on it, SQLite's own included.
        descriptor = os.open(f"{path}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    _wait_for_lock(engine, deadline)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)
    else:
        yield


def _wait_for_lock(engine: Engine, deadline: float) -> None:
    if time.monotonic() >= deadline:
        raise DatabaseUnavailable(
            f"another process has been migrating the question log's database "
            f"({safe_url(engine.url)}) for too long: gave up waiting for its lock")
    time.sleep(_LOCK_POLL)


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
