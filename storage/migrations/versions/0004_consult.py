"""Peer consultations (filled by the consultation work)

Revision ID: 0004_consult
Revises: 0003_teams
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_consult"
down_revision = "0003_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
