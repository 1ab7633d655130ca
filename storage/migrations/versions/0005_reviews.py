"""Yearly review cycles, tasks and deliveries (filled by the review work)

Revision ID: 0005_reviews
Revises: 0004_consult
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_reviews"
down_revision = "0004_consult"
branch_labels = None
depends_on = None

# The rows a tick looks at; the partial index below covers only these, so it stays small.
WAITING = "state IN ('pending', 'claimed')"


def upgrade() -> None:
    op.create_table(
        "review_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "year", "policy_version", name="uq_review_cycle_year_version"),
    )
    with op.batch_alter_table("review_cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cycle_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "review_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["review_cycle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cycle_id", "member_id", name="uq_review_task_cycle_member"),
    )
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_task_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_task_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "review_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["review_task.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "step", name="uq_review_delivery_task_step"),
    )
    with op.batch_alter_table("review_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_delivery_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(
            "ix_review_delivery_waiting_due",
            ["due_at"],
            unique=False,
            postgresql_where=sa.text(WAITING),
            sqlite_where=sa.text(WAITING),
        )


def downgrade() -> None:
    with op.batch_alter_table("review_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_review_delivery_waiting_due")
        batch_op.drop_index(batch_op.f("ix_review_delivery_recipient_id"))
    op.drop_table("review_delivery")
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_task_practice_id"))
        batch_op.drop_index(batch_op.f("ix_review_task_member_id"))
    op.drop_table("review_task")
    with op.batch_alter_table("review_cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_cycle_practice_id"))
    op.drop_table("review_cycle")
