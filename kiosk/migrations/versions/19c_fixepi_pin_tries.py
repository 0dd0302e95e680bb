"""the tablet's wrong PINs counted per person and per place (tablet or address), with escalating locks

Only a new table: existing rows are untouched (server_pin's own counters are no longer used).

Revision ID: 19c_fixepi_pin_tries
Revises: 19b_stock
Create Date: 2026-12-05 08:15:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.platform.orm  # noqa: F401  (UTCDateTime)


revision = '19c_fixepi_pin_tries'
down_revision = '19b_stock'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_tries',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locks', sa.Integer(), nullable=False),
    sa.Column('locked_until', kiosk.platform.orm.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pin_tries_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'source', name=op.f('pk_pin_tries'))
    )


def downgrade():
    op.drop_table('pin_tries')
