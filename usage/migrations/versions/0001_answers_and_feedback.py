"""The question log: answers and their feedback.

Revision ID: 0001
Revises: None
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``answers`` and ``feedback`` (deleting an answer deletes its feedback)."""
    op.create_table(
        "answers",
        sa.Column("id", sa.String(length=32), nullable=False,
                  comment="The answer id given to the client."),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=True,
                  comment="HMAC-SHA256 of the channel's user id under the log key; never the id."),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("verdict", sa.String(length=8), nullable=True),
        sa.Column("citations", sa.Text(), nullable=False,
                  comment="doc_id:clause_id, best first, separated by spaces."),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
    )
    op.create_index(op.f("ix_answers_asked_at"), "answers", ["asked_at"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("answer_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"],
                                name=op.f("fk_feedback_answer_id_answers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index(op.f("ix_feedback_answer_id"), "feedback", ["answer_id"], unique=False)
    op.create_index(op.f("ix_feedback_at"), "feedback", ["at"], unique=False)


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index(op.f("ix_feedback_at"), table_name="feedback")
    op.drop_index(op.f("ix_feedback_answer_id"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_answers_asked_at"), table_name="answers")
    op.drop_table("answers")
