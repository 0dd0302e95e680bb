"""sites: a network of centres on one server (issue 20)

A `site` table with the box's own centre as site 1 (named after the centre_name setting), a
`user_site` table (a referent's further sites), and `site_id` on every site-owned table: the
existing rows all belong to site 1 (the column's server default fills them). Names and days that
were unique in the box become unique within a site (activities, workshop days, day notes,
categories).

Revision ID: 20a_sites
Revises: 19c_stock_start
"""
from alembic import op
import sqlalchemy as sa

import kiosk.platform.orm  # noqa: F401  (UTCDateTime)


revision = '20a_sites'
down_revision = '19c_stock_start'
branch_labels = None
depends_on = None

SITE_OWNED = (
    'participant', 'programme_period', 'card', 'device', 'activity', 'workshop_day', 'registration',
    'check_in', 'refused_scan', 'follow_up_call', 'day_note', 'epicerie_rules', 'epicerie_access',
    'category', 'product', 'basket', 'basket_line', 'contact_preference', 'ladder_step',
    'outbox_message', 'postal_address', 'milestone', 'self_assessment', 'situation', 'stock_arrival',
    'stock_arrival_line', 'stock_loss', 'workshop_use', 'audit_event',
)
# A name or a day unique in the box, unique within a site now.
UNIQUE_WITHIN_SITE = {'activity': 'name', 'workshop_day': 'day', 'day_note': 'day', 'category': 'code'}


def upgrade():
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site')),
    sa.UniqueConstraint('name', name=op.f('uq_site_name'))
    )
    bind = op.get_bind()
    name = bind.execute(sa.text("SELECT value FROM setting WHERE key = 'centre_name'")).scalar() or 'Centre social'
    bind.execute(sa.text("INSERT INTO site (id, name, created_at) VALUES (1, :name, CURRENT_TIMESTAMP)"),
                 {"name": name[:120]})
    if bind.dialect.name == 'postgresql':
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('site', 'id'), 1)"))

    op.create_table('user_site',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_user_site_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_site_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'site_id', name=op.f('pk_user_site'))
    )

    for table in SITE_OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=False, server_default='1'))
            batch_op.create_index(batch_op.f(f'ix_{table}_site_id'), ['site_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_site_id_site'), 'site', ['site_id'], ['id'])
            if table in UNIQUE_WITHIN_SITE:
                column = UNIQUE_WITHIN_SITE[table]
                batch_op.drop_constraint(batch_op.f(f'uq_{table}_{column}'), type_='unique')
                batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_site_id_{column}'), ['site_id', column])

    with op.batch_alter_table('user', schema=None) as batch_op:  # a network user has no site
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_site_id'), ['site_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_site_id_site'), 'site', ['site_id'], ['id'])
    op.execute("UPDATE \"user\" SET site_id = 1 WHERE role <> 'network'")


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_site_id_site'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_site_id'))
        batch_op.drop_column('site_id')
    for table in reversed(SITE_OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in UNIQUE_WITHIN_SITE:
                column = UNIQUE_WITHIN_SITE[table]
                batch_op.drop_constraint(batch_op.f(f'uq_{table}_site_id_{column}'), type_='unique')
                batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{column}'), [column])
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_site_id_site'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_site_id'))
            batch_op.drop_column('site_id')
    op.drop_table('user_site')
    op.drop_table('site')
