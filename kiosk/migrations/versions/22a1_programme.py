"""the Thursday programme: sessions planned, cancelled, with capacity; registrations

Every day already in the table (each was planned, or opened by a scan and holds check-ins) becomes a
planned session, so no check-in is left on a day that would no longer count.

Revision ID: 22a1c0a7e5b1
Revises: 5e0c1d2a7f31
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '22a1c0a7e5b1'
down_revision = '18a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('room', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        # SQLite cannot add a CHECK without rebuilding the table, and rebuilding a table that
        # check-ins point to fails under foreign_keys=ON: there the services check the capacity.
        op.create_check_constraint(op.f('ck_workshop_day_capacity_positive'), 'workshop_day',
                                   'capacity IS NULL OR capacity >= 1')
    days = sa.table('workshop_day', sa.column('planned', sa.Boolean()))
    op.execute(days.update().values(planned=True))

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_day_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('waiting', sa.Boolean(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_registration_participant_id_participant')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_registration_registered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_day_id'], ['workshop_day.id'], name=op.f('fk_registration_workshop_day_id_workshop_day')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('workshop_day_id', 'participant_id', name=op.f('uq_registration_workshop_day_id_participant_id'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_participant_id'))
    op.drop_table('registration')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_workshop_day_capacity_positive'), 'workshop_day', type_='check')
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('note')
        batch_op.drop_column('room')
        batch_op.drop_column('capacity')
        batch_op.drop_column('planned')
