"""messages that leave the box: consent, the ladder's steps, the outbox (issue 17)

Only new tables: existing rows are untouched.

Revision ID: 17a1
Revises: 22a1c0a7e5b1
Create Date: 2026-12-04 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '17a1'
down_revision = '22a1c0a7e5b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_preference',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('sms_consent', sa.Boolean(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('consent_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_source', sa.String(length=20), nullable=True),
    sa.Column('channel', sa.Enum('sms', 'letter', 'none', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['consent_by_id'], ['user.id'], name=op.f('fk_contact_preference_consent_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_contact_preference_participant_id_participant')),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_contact_preference'))
    )
    steps = ('reminder', 'no_show', 'we_miss_you', 'call', 'referent', 'letter', 'handed_back', 'test')
    op.create_table('ladder_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('episode', sa.Date(), nullable=False),
    sa.Column('step', sa.Enum(*steps, name='step', native_enum=False, length=20), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.Column('reached_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_ladder_step_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ladder_step')),
    sa.UniqueConstraint('participant_id', 'episode', 'step', name=op.f('uq_ladder_step_participant_id_episode_step'))
    )
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ladder_step_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ladder_step_reached_at'), ['reached_at'], unique=False)
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('sms', 'letter', 'none', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('step', sa.Enum(*steps, name='step', native_enum=False, length=20), nullable=False),
    sa.Column('ladder_step_id', sa.Integer(), nullable=True),
    sa.Column('dedup_key', sa.String(length=80), nullable=False),
    sa.Column('idempotency_key', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=20), nullable=True),
    sa.Column('text', sa.String(length=480), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'cancelled', name='messagestatus',
                                native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('gateway', sa.String(length=20), nullable=True),
    sa.Column('gateway_id', sa.String(length=80), nullable=True),
    sa.Column('delivery_status', sa.String(length=20), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_message_attempts')),
    sa.ForeignKeyConstraint(['ladder_step_id'], ['ladder_step.id'], name=op.f('fk_outbox_message_ladder_step_id_ladder_step')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_outbox_message_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_message_idempotency_key')),
    sa.UniqueConstraint('participant_id', 'dedup_key', name=op.f('uq_outbox_message_participant_id_dedup_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_participant_id'), ['participant_id'], unique=False)


def downgrade():
    op.drop_table('outbox_message')
    op.drop_table('ladder_step')
    op.drop_table('contact_preference')
