"""Teams: conversation references (filled by the Teams work)

Revision ID: 0003_teams
Revises: 0002_slack
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_teams"
down_revision = "0002_slack"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_conversation_ref",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=512), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "member_id", name="uq_teams_ref_member"),
    )
    with op.batch_alter_table("teams_conversation_ref", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_teams_conversation_ref_practice_id"), ["practice_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("teams_conversation_ref", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_conversation_ref_practice_id"))
    op.drop_table("teams_conversation_ref")
