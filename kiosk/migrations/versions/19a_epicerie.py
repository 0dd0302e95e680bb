"""the épicerie's price list, rules that hold, who served (issues 19 and 15)

New tables: product (the price list), server_pin (the tablet's personal codes). New columns: the
rules' monthly visits, Banque Alimentaire rate and enforcement; a basket's override reason; a
line's product. Existing rows keep their meaning (rules warn, lines are free lines).

Revision ID: 19a_epicerie
Revises: 19a_firstweek
Create Date: 2026-12-05 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '19a_epicerie'
down_revision = '19a_firstweek'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_value_cents', sa.Integer(), nullable=False),
    sa.Column('banque_alimentaire', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('unit_value_cents >= 0 AND unit_value_cents <= 999999', name=op.f('ck_product_unit_value')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_product_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_category_id'), ['category_id'], unique=False)
    op.create_table('server_pin',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_server_pin_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_server_pin'))
    )
    with op.batch_alter_table('epicerie_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visits_per_month', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('banque_alimentaire_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('enforce', sa.String(length=10), server_default='warning', nullable=False))
        batch_op.create_check_constraint(op.f('ck_epicerie_rules_visits_month'), 'visits_per_month IS NULL OR visits_per_month >= 1')
        batch_op.create_check_constraint(op.f('ck_epicerie_rules_ba_rate'), 'banque_alimentaire_percent IS NULL OR '
                                         '(banque_alimentaire_percent >= 0 AND banque_alimentaire_percent <= 100)')
        batch_op.create_check_constraint(op.f('ck_epicerie_rules_enforce'), "enforce IN ('warning', 'limit')")
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.String(length=300), nullable=True))
    with op.batch_alter_table('basket_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_basket_line_product_id_product'), 'product', ['product_id'], ['id'])


def downgrade():
    with op.batch_alter_table('basket_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_basket_line_product_id_product'), type_='foreignkey')
        batch_op.drop_column('product_id')
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.drop_column('override_reason')
    with op.batch_alter_table('epicerie_rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_epicerie_rules_enforce'), type_='check')
        batch_op.drop_constraint(op.f('ck_epicerie_rules_ba_rate'), type_='check')
        batch_op.drop_constraint(op.f('ck_epicerie_rules_visits_month'), type_='check')
        batch_op.drop_column('enforce')
        batch_op.drop_column('banque_alimentaire_percent')
        batch_op.drop_column('visits_per_month')
    op.drop_table('server_pin')
    op.drop_table('product')
