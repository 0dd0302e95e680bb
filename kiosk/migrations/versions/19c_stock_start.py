"""the stock's start and cancelled arrivals (issue 19 review)

A box that already served baskets gets its stock start stamped to the upgrade day: baskets served
before it have no arrivals and must not make the stock negative. A new (empty) box is stamped by
`kiosk init-db`. Arrivals gain cancelled_at/cancelled_by_id (a mistaken arrival is cancelled).

Revision ID: 19c_stock_start
Revises: 19c_fixepi_pin_tries
"""
from datetime import date

from alembic import op
import sqlalchemy as sa

import kiosk.platform.orm  # noqa: F401  (UTCDateTime)


revision = '19c_stock_start'
down_revision = '19c_fixepi_pin_tries'
branch_labels = None
depends_on = None


def _today() -> date:
    try:
        from kiosk.platform.timezone import local_day

        return local_day()
    except Exception:  # outside the application (a bare alembic run): the system's day
        return date.today()


def upgrade():
    with op.batch_alter_table('stock_arrival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', kiosk.platform.orm.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stock_arrival_cancelled_by_id_user'), 'user',
                                    ['cancelled_by_id'], ['id'])
    connection = op.get_bind()
    has_baskets = connection.execute(sa.text("SELECT 1 FROM basket LIMIT 1")).first() is not None
    has_start = connection.execute(sa.text("SELECT 1 FROM setting WHERE key = 'stock_start'")).first() is not None
    if has_baskets and not has_start:
        connection.execute(sa.text("INSERT INTO setting (key, value) VALUES ('stock_start', :day)"),
                           {"day": _today().isoformat()})


def downgrade():
    op.execute("DELETE FROM setting WHERE key = 'stock_start'")
    with op.batch_alter_table('stock_arrival', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stock_arrival_cancelled_by_id_user'), type_='foreignkey')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
