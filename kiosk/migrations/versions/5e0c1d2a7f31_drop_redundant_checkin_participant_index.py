"""drop the check-in index on participant_id alone

The unique constraint (participant_id, workshop_day_id) has its own index, which starts with
participant_id and so serves every lookup by participant. The second index only cost a page
written to the log with each check-in.

Revision ID: 5e0c1d2a7f31
Revises: b4fe45a09d44
Create Date: 2026-11-30 07:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e0c1d2a7f31'
down_revision = 'b4fe45a09d44'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_participant_id')


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index('ix_check_in_participant_id', ['participant_id'], unique=False)
