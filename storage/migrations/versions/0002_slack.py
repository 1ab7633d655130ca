"""Slack: installations and OAuth state (filled by the Slack work)

Revision ID: 0002_slack
Revises: 0001_core
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_slack"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
