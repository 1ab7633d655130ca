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
    pass


def downgrade() -> None:
    pass
