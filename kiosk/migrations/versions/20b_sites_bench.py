"""a site's baskets by day (issue 20, point 5: measured by the PostgreSQL bench)

One site's yearly report reads its baskets of the year. With only `ix_basket_day` (every site's
baskets of the year) and `ix_basket_site_id` (the site's baskets of ten years), PostgreSQL read one or
the other and filtered; on 200 centres × ten years, the site's report took 530 ms of SQL, 240 ms with
this index.

Revision ID: 20b_sites_bench
Revises: 20a_sites
"""
from alembic import op


revision = '20b_sites_bench'
down_revision = '20a_sites'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.create_index('ix_basket_site_day', ['site_id', 'served_on'], unique=False)


def downgrade():
    with op.batch_alter_table('basket', schema=None) as batch_op:
        batch_op.drop_index('ix_basket_site_day')
