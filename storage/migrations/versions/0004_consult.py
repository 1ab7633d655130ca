"""Peer consultations: consultation threads, step-asides, reference counters, answer limits

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
    op.create_table('consult_settings',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('answer_hours', sa.Integer(), nullable=False),
    sa.Column('urgent_answer_hours', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id')
    )
    op.create_table('consultation_counter',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'year')
    )
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('situation', sa.String(length=64), nullable=False),
    sa.Column('platform_label', sa.String(length=64), nullable=False),
    sa.Column('client_status', sa.String(length=32), nullable=False),
    sa.Column('text', sa.String(length=4000), nullable=True),
    sa.Column('question', sa.String(length=1000), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=128), nullable=True),
    sa.Column('thread', sa.String(length=128), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bumped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('practice_id', 'reference', name='uq_consultation_reference'),
    sa.UniqueConstraint('practice_id', 'year', 'number', name='uq_consultation_number')
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_due_bump', ['practice_id', 'status', 'bumped_at', 'opened_at'], unique=False)
        batch_op.create_index('ix_consultation_due_purge', ['practice_id', 'purged_at', 'opened_at'], unique=False)
        batch_op.create_index('ix_consultation_requester', ['practice_id', 'requester_id'], unique=False)
        batch_op.create_index('ix_consultation_thread', ['practice_id', 'channel', 'thread'], unique=False)

    op.create_table('consultation_step_aside',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('consultation_id', 'member_id', name='uq_step_aside')
    )


def downgrade() -> None:
    op.drop_table('consultation_step_aside')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_thread')
        batch_op.drop_index('ix_consultation_requester')
        batch_op.drop_index('ix_consultation_due_purge')
        batch_op.drop_index('ix_consultation_due_bump')

    op.drop_table('consultation')
    op.drop_table('consultation_counter')
    op.drop_table('consult_settings')
