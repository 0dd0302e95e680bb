"""a person's optional postal address, for letters only (issue 17)

Only a new table: existing rows are untouched.

Revision ID: 17b_messages
Revises: 17a1
Create Date: 2026-12-05 07:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '17b_messages'
down_revision = '17a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('postal_address',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('lines', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_postal_address_participant_id_participant')),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_postal_address'))
    )


def downgrade():
    op.drop_table('postal_address')
