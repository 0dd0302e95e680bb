"""the network's yearly report reads a year's days and check-ins from indexes (issue 20, point 5)

Measured by the PostgreSQL bench (200 centres × ten years): the report's check-in figures read every
check-in of ten years (a sequential scan of 5.2 M rows) to keep one year's, since a check-in has no
date of its own and `workshop_day.day` had no index of its own. With `ix_workshop_day_day` and
`participant_id` at the end of `ix_check_in_day_time` (replacing it: no new index on the check-in's
hot path), a year's 520,000 check-ins are read from the indexes alone: the per-person attendance query
went from about 870 ms to 360 ms.

Revision ID: 20e_network_report
Revises: 20d_network_audit
"""
from alembic import op


revision = '20e_network_report'
down_revision = '20d_network_audit'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.create_index('ix_workshop_day_day', ['day'], unique=False)
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_day_time')
        batch_op.create_index('ix_check_in_day_time', ['workshop_day_id', 'checked_in_at', 'participant_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_day_time')
        batch_op.create_index('ix_check_in_day_time', ['workshop_day_id', 'checked_in_at'], unique=False)
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.drop_index('ix_workshop_day_day')
