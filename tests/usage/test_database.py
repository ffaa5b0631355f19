"""Opening the question log's database: migrations from empty to head on SQLite and PostgreSQL,
the migrations equal to usage/schema.py, and clear errors for a database that cannot be used."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from contract.errors import ConfigurationError
from tests.postgresserver import PostgresServer
from usage.database import (
    MIGRATIONS,
    DatabaseUnavailable,
    alembic_config,
    connect,
    current_revision,
    head_revision,
    migrate,
    open_database,
    safe_url,
    schema_differences,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    opened = open_database(database_url)
    yield opened
    opened.dispose()


def test_an_empty_database_is_migrated_to_head(database_url: str) -> None:
    fresh = connect(database_url)
    assert current_revision(fresh) is None
    assert not inspect(fresh).get_table_names()
    fresh.dispose()
    engine = open_database(database_url)
    try:
        assert head_revision() == "0001"
        assert current_revision(engine) == head_revision()
        assert {"answers", "feedback", "alembic_version"} <= set(inspect(engine).get_table_names())
        foreign = inspect(engine).get_foreign_keys("feedback")
        assert foreign[0]["referred_table"] == "answers"
        assert foreign[0]["options"].get("ondelete") == "CASCADE"
    finally:
        engine.dispose()


def test_the_migrations_at_head_equal_the_schema(engine: Engine) -> None:
    assert schema_differences(engine) == []


def test_the_schema_check_sees_a_difference(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE answers ADD COLUMN ip_address VARCHAR(45)"))
    differences = schema_differences(engine)
    assert differences
    assert "ip_address" in repr(differences)


def test_opening_again_changes_nothing(database_url: str) -> None:
    open_database(database_url).dispose()
    engine = open_database(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_several_processes_may_open_a_new_database_at_once(database_url: str) -> None:
    errors: list[BaseException] = []

    def opening() -> None:
        try:
            open_database(database_url).dispose()
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=opening) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_sqlite_enforces_foreign_keys_and_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "var" / "deeper" / "usage.db"
    engine = open_database(f"sqlite:///{path}")
    try:
        assert path.is_file()
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_a_database_migrated_by_a_newer_version_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ConfigurationError, match="newer policyqa"):
        open_database(engine.url.render_as_string(hide_password=False))


def test_an_unreachable_server_is_a_clear_error_without_the_password(
        postgres_server: PostgresServer) -> None:
    url = f"postgresql+psycopg://policyqa:s3cret-pw@127.0.0.1:{postgres_server.port + 1}/x"
    with pytest.raises(ConfigurationError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "cannot open or migrate the question log's database" in message
    assert f"127.0.0.1:{postgres_server.port + 1}" in message
    assert "s3cret-pw" not in message
    assert url not in message


def test_urls_that_cannot_work_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="not a database URL"):
        connect("not a url")
    with pytest.raises(ConfigurationError, match="driver is not installed"):
        connect("mysql+mysqldb://user:pw@localhost/db")


def test_a_described_url_is_not_the_url() -> None:
    """The entry points mask POLICYQA_DATABASE_URL wholesale; messages say where it points."""
    assert safe_url("sqlite:///var/usage.db") == "the SQLite file var/usage.db"
    described = safe_url("postgresql+psycopg://u:pw@db.example:5433/log")
    assert described == "postgresql database log on db.example:5433"


def test_the_migrations_ship_in_the_wheel() -> None:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert {"usage.migrations", "usage.migrations.versions"} <= set(setuptools["packages"])
    assert "script.py.mako" in setuptools["package-data"]["usage.migrations"]
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert (MIGRATIONS / "versions" / "__init__.py").is_file()


def _posix_locks(path: Path) -> list[str]:
    """This process's POSIX locks on ``path`` (from /proc/locks)."""
    inode = path.stat().st_ino
    found = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.replace(" -> ", " ").split()
        if fields[1] == "POSIX" and fields[4] == str(os.getpid()) \
                and fields[5].endswith(f":{inode}"):
            found.append(line)
    return found


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_migrating_keeps_sqlites_own_locks(tmp_path: Path) -> None:
    """Closing any handle of a file drops every POSIX lock the process holds on it: the
    migration lock must never open the database file, or SQLite's lock of a connection that is
    open meanwhile is gone (another process could then checkpoint and delete the WAL)."""
    path = tmp_path / "usage.db"
    first = open_database(f"sqlite:///{path}")
    try:
        with first.connect() as connection:
            connection.execute(text("SELECT count(*) FROM answers")).scalar()
            held = _posix_locks(path)
            assert held  # WAL: a connection keeps a shared lock on the database file
            second = open_database(f"sqlite:///{path}")  # migrates (finds nothing to do)
            second.dispose()
            assert _posix_locks(path) == held
    finally:
        first.dispose()
    assert (tmp_path / "usage.db.migrate-lock").is_file()


NEXT_REVISION = '''"""A later migration that rebuilds answers (SQLite: by copying the table)."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers", recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
'''


def migrations_with(tmp_path: Path, body: str) -> Path:
    """The shipped migrations and one more (revision 0002), in a folder of their own."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "0002_next.py").write_text(body)
    return folder


def populated(tmp_path: Path) -> Engine:
    """A SQLite log at head with one answer (a1) and one rating of it."""
    engine = open_database(f"sqlite:///{tmp_path / 'usage.db'}")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO answers (id, asked_at, channel, question, status, citations, "
            "latency_ms, follow_up) VALUES ('a1', '2026-03-02 09:30:00', 'api', '问', "
            "'answered', '', 1.0, 0)"))
        connection.execute(text("INSERT INTO feedback (answer_id, at, rating) "
                                "VALUES ('a1', '2026-03-02 09:31:00', -1)"))
    return engine


def test_a_migration_that_copies_answers_keeps_their_feedback(tmp_path: Path) -> None:
    engine = populated(tmp_path)
    try:
        migrate(engine, config=alembic_config(migrations=migrations_with(tmp_path,
                                                                          NEXT_REVISION)))
        assert current_revision(engine) == "0002"
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM feedback")).scalar() == 1
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_a_migration_that_breaks_a_foreign_key_is_refused(tmp_path: Path) -> None:
    engine = populated(tmp_path)
    orphaning = NEXT_REVISION + "    op.execute(\"DELETE FROM answers WHERE id = 'a1'\")\n"
    try:
        with pytest.raises(ConfigurationError, match="1 rows whose answer is missing"):
            migrate(engine, config=alembic_config(migrations=migrations_with(tmp_path,
                                                                              orphaning)))
    finally:
        engine.dispose()


def test_a_held_migration_lock_is_waited_for_only_so_long(database_url: str) -> None:
    engine = open_database(database_url)
    holder = connect(database_url)
    try:
        with holder.connect() as connection:
            if holder.url.get_backend_name() == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(1886350449)"))  # "polq"
                handle = None
            else:
                handle = os.open(f"{engine.url.database}.migrate-lock", os.O_RDWR)
                fcntl.flock(handle, fcntl.LOCK_EX)
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable, match="gave up waiting for its lock"):
                migrate(engine, lock_timeout=0.5)
            assert time.monotonic() - started < 5
            if handle is not None:
                os.close(handle)
    finally:
        holder.dispose()
        engine.dispose()
