"""Alembic's environment: migrate the connection :func:`usage.database.migrate` hands over, or
a fresh one to ``sqlalchemy.url`` (Alembic's own commands)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from usage.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite")  # SQLite alters by copying tables
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations online (offline SQL scripts are not supported)."""
    if context.is_offline_mode():
        raise RuntimeError("the question log's migrations run against a database, not offline")
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url to migrate")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


run()
