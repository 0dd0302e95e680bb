"""a device's last contact and the gap between its clock and the box's (issue 16)

Revision ID: 16a1c0ffee16
Revises: 5e0c1d2a7f31
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '16a1c0ffee16'
down_revision = '5e0c1d2a7f31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('clock_gap_seconds', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('clock_gap_seconds')
        batch_op.drop_column('last_seen_at')
