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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
