"""Opening the question log's database: migrations from empty to head on SQLite and PostgreSQL,
the migrations equal to usage/schema.py, and clear errors for a database that cannot be used."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from contract.errors import ConfigurationError
from tests.postgresserver import PostgresServer
from usage.database import (
    MIGRATIONS,
    connect,
    current_revision,
    head_revision,
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
