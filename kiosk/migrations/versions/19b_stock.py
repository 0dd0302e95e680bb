"""the épicerie's stock: arrivals by source and their lines, losses, the cooking workshop's use (issue 19)

Only new tables: existing rows are untouched.

Revision ID: 19b_stock
Revises: 19a_epicerie
Create Date: 2026-12-05 07:07:49.904982

"""
from alembic import op
import sqlalchemy as sa

import kiosk.platform.orm  # noqa: F401  (UTCDateTime)


revision = '19b_stock'
down_revision = '19a_epicerie'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stock_arrival',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('banque_alimentaire', 'ramasse', 'achat', 'don', 'autre', name='stocksource', native_enum=False, length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('request_digest', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_stock_arrival_device_id_device')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_stock_arrival_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_arrival')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_stock_arrival_idempotency_key'))
    )
    with op.batch_alter_table('stock_arrival', schema=None) as batch_op:
        batch_op.create_index('ix_stock_arrival_day', ['received_on'], unique=False)

    op.create_table('stock_loss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('perime', 'abime', 'autre', name='lossreason', native_enum=False, length=20), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('recorded_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('value_cents >= 0 AND value_cents <= 9999999', name=op.f('ck_stock_loss_value')),
    sa.CheckConstraint('weight_g >= 0 AND weight_g <= 9999000', name=op.f('ck_stock_loss_weight')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_stock_loss_category_id_category')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_stock_loss_device_id_device')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_stock_loss_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_loss'))
    )
    with op.batch_alter_table('stock_loss', schema=None) as batch_op:
        batch_op.create_index('ix_stock_loss_day', ['happened_on'], unique=False)

    op.create_table('workshop_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_day_id', sa.Integer(), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('ingredient', sa.String(length=120), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('recorded_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('value_cents >= 0 AND value_cents <= 9999999', name=op.f('ck_workshop_use_value')),
    sa.CheckConstraint('weight_g >= 0 AND weight_g <= 9999000', name=op.f('ck_workshop_use_weight')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_workshop_use_category_id_category')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_workshop_use_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['workshop_day_id'], ['workshop_day.id'], name=op.f('fk_workshop_use_workshop_day_id_workshop_day')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_use'))
    )
    with op.batch_alter_table('workshop_use', schema=None) as batch_op:
        batch_op.create_index('ix_workshop_use_day', ['used_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_use_workshop_day_id'), ['workshop_day_id'], unique=False)

    op.create_table('stock_arrival_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('arrival_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('value_cents >= 0 AND value_cents <= 9999999', name=op.f('ck_stock_arrival_line_value')),
    sa.CheckConstraint('weight_g >= 0 AND weight_g <= 9999000', name=op.f('ck_stock_arrival_line_weight')),
    sa.ForeignKeyConstraint(['arrival_id'], ['stock_arrival.id'], name=op.f('fk_stock_arrival_line_arrival_id_stock_arrival')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_stock_arrival_line_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_arrival_line'))
    )
    with op.batch_alter_table('stock_arrival_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_arrival_line_arrival_id'), ['arrival_id'], unique=False)



def downgrade():
    with op.batch_alter_table('stock_arrival_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_arrival_line_arrival_id'))

    op.drop_table('stock_arrival_line')
    with op.batch_alter_table('workshop_use', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_use_workshop_day_id'))
        batch_op.drop_index('ix_workshop_use_day')

    op.drop_table('workshop_use')
    with op.batch_alter_table('stock_loss', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_loss_day')

    op.drop_table('stock_loss')
    with op.batch_alter_table('stock_arrival', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_arrival_day')

    op.drop_table('stock_arrival')
