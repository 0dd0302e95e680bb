"""settings: each site its own (issue 20)

The `setting` table was keyed by `key` only: every centre of a network shared one name, address,
privacy contact, workshop, SMS gateway, ladder, retention and stock start. It is now keyed by
(site_id, key): the box's rows become site 1's. What belongs to the server and no site (the retention
run's lock row, the demo's mark) moves to a small `server_setting` table.

The table is small (a few dozen rows): it is read, made again with its new key, and filled back, the
same way on SQLite and PostgreSQL.

Revision ID: 20c_site_settings
Revises: 20b_sites_bench
"""
from alembic import op
import sqlalchemy as sa


revision = '20c_site_settings'
down_revision = '20b_sites_bench'
branch_labels = None
depends_on = None

SERVER_KEYS = ('retention_last_run', 'demo_loaded')


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT key, value FROM setting")).all()
    op.create_table('server_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_server_setting'))
    )
    op.drop_table('setting')
    setting = op.create_table('setting',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_setting_site_id_site')),
    sa.PrimaryKeyConstraint('site_id', 'key', name=op.f('pk_setting'))
    )
    server = sa.table('server_setting', sa.column('key'), sa.column('value'))
    kept = [{"key": key, "value": value} for key, value in rows if key in SERVER_KEYS]
    if kept:
        op.bulk_insert(server, kept)
    moved = [{"site_id": 1, "key": key, "value": value} for key, value in rows if key not in SERVER_KEYS]
    if moved:
        op.bulk_insert(setting, moved)


def downgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT key, value FROM setting WHERE site_id = 1")).all()
    rows += bind.execute(sa.text("SELECT key, value FROM server_setting")).all()
    op.drop_table('setting')
    op.drop_table('server_setting')
    setting = op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    if rows:
        op.bulk_insert(setting, [{"key": key, "value": value} for key, value in rows])
