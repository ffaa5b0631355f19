"""The question log's tables (SQLAlchemy Core), the same in SQLite and PostgreSQL.

Migrations (:mod:`usage.migrations`, Alembic) create and change them; this module is what the
code reads and writes through. Times are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

answers = Table(
    "answers", metadata,
    Column("id", String(32), primary_key=True, comment="The answer id given to the client."),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("user_hash", String(64), nullable=True,
           comment="HMAC-SHA256 of the channel's user id under the log key; never the id."),
    Column("question", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("kind", String(16), nullable=True),
    Column("verdict", String(8), nullable=True),
    Column("citations", Text, nullable=False, default="",
           comment="doc_id:clause_id, best first, separated by spaces."),
    Column("confidence", Float, nullable=True),
    Column("latency_ms", Float, nullable=False),
    Column("follow_up", Boolean, nullable=False, default=False),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), ForeignKey("answers.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("rating", SmallInteger, nullable=False),
    Column("reason", String(16), nullable=True),
    Column("comment", Text, nullable=True),
)


def to_utc(moment: datetime) -> datetime:
    """A time as stored: aware, in UTC (a naive time is taken to be UTC already).

    SQLite keeps no zone, so every time is converted before it is written or compared."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
