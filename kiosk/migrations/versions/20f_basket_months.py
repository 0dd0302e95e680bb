"""the baskets' stored figures: each site's basket lines summed by month and category (issue 20, point 5)

The network's yearly report summed the kilos and value by category over every basket line of the
year (936,000 on the bench's 200 centres, reached only through their baskets: PostgreSQL read the
9.4 M lines of ten years for them, 1.1 s at best for that one query). `basket_month` keeps those sums
per site, month and category, moved at every write by kiosk/epicerie/month_figures.py; the year reads
its twelve months. Filled here from the baskets already there (cancelled ones left out), so that an
upgraded box or server reports the same figures at once.

Revision ID: 20f_basket_months
Revises: 20e_network_report
"""
from alembic import op
import sqlalchemy as sa


revision = '20f_basket_months'
down_revision = '20e_network_report'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('basket_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('weight_g', sa.BigInteger(), nullable=False),
    sa.Column('value_cents', sa.BigInteger(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_basket_month_category_id_category')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_basket_month_site_id_site')),
    sa.PrimaryKeyConstraint('month', 'category_id', name=op.f('pk_basket_month'))
    )
    with op.batch_alter_table('basket_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_basket_month_site_id'), ['site_id'], unique=False)
    # The year's kept baskets from the index alone (the report's totals, households, months).
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.create_index('ix_basket_kept_day', ['served_on', 'participant_id', 'weight_g', 'value_cents',
                                                     'paid_cents'], unique=False,
                              sqlite_where=sa.text('cancelled_at IS NULL'),
                              postgresql_where=sa.text('cancelled_at IS NULL'))
    if op.get_bind().dialect.name == 'postgresql':
        month = "date_trunc('month', b.served_on)::date"
    else:
        month = "date(b.served_on, 'start of month')"
    op.execute(
        "INSERT INTO basket_month (site_id, month, category_id, lines, weight_g, value_cents) "
        f"SELECT l.site_id, {month}, l.category_id, count(*), sum(l.weight_g), sum(l.value_cents) "
        "FROM basket_line l JOIN basket b ON b.id = l.basket_id WHERE b.cancelled_at IS NULL "
        f"GROUP BY l.site_id, {month}, l.category_id")


def downgrade():
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.drop_index('ix_basket_kept_day')
    with op.batch_alter_table('basket_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_basket_month_site_id'))
    op.drop_table('basket_month')
