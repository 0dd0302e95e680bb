"""the coordinator's note for a day (issue 14, point 8)

Only a new table: existing rows are untouched.

Revision ID: 19a_firstweek
Revises: 17b_messages
Create Date: 2026-12-05 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '19a_firstweek'
down_revision = '17b_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('day_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_day_note_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_note')),
    sa.UniqueConstraint('day', name=op.f('uq_day_note_day'))
    )


def downgrade():
    op.drop_table('day_note')
