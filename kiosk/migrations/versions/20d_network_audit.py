"""audit: a network's own entries belong to no site (issue 20)

What a network user does across the centres (a report of the whole network, a centre added) was
recorded under site 1, where site 1's coordinator read it as theirs. `audit_event.site_id` may now
be NULL: a network-level entry, which the network's journal shows and no centre's does.

Revision ID: 20d_network_audit
Revises: 20c_site_settings
"""
from alembic import op
import sqlalchemy as sa


revision = '20d_network_audit'
down_revision = '20c_site_settings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=True, existing_server_default='1')


def downgrade():
    op.execute("UPDATE audit_event SET site_id = 1 WHERE site_id IS NULL")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False, existing_server_default='1')
