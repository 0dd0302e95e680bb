"""outcomes: the centre's logo; milestones, self-assessments, situations; optional demographics on participant

New tables only, and four nullable columns on participant: existing rows are carried across as they
are (their new columns empty). The built-in milestone kinds are seeded; a centre may add its own.

Revision ID: 18a1
Revises: 5e0c1d2a7f31
Create Date: 2026-12-04 17:05:52

"""
from alembic import op
import sqlalchemy as sa

import kiosk.platform.orm  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '18a1'
down_revision = '16a1c0ffee16'
branch_labels = None
depends_on = None

# The labels are the French defaults; the screens show them translated by code (kiosk/outcomes/labels.py).
BUILT_IN_KINDS = [
    ('training_started', 'Entrée en formation'),
    ('job_contract', "Contrat de travail ou d'insertion"),
    ('work_immersion', 'Immersion en entreprise'),
    ('sortir_obtained', 'Carte SORTIR obtenue'),
    ('sortir_used', 'Carte SORTIR utilisée'),
    ('rights_opened', 'Droits ouverts'),
    ('orientation', 'Orientation vers un autre service'),
]


def upgrade():
    op.create_table('centre_logo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_logo'))
    )
    op.create_table('milestone_kind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('asks_result', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_kind')),
    sa.UniqueConstraint('code', name=op.f('uq_milestone_kind_code'))
    )
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('result', sa.String(length=200), nullable=True),
    sa.Column('recorded_at', kiosk.platform.orm.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['kind_id'], ['milestone_kind.id'], name=op.f('fk_milestone_kind_id_milestone_kind')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_milestone_participant_id_participant')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_milestone_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index('ix_milestone_participant_day', ['participant_id', 'happened_on'], unique=False)

    op.create_table('self_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.Enum('entry', 'three_months', 'exit', name='moment', native_enum=False, length=20), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('food', sa.Integer(), nullable=True),
    sa.Column('social', sa.Integer(), nullable=True),
    sa.Column('esteem', sa.Integer(), nullable=True),
    sa.Column('money', sa.Integer(), nullable=True),
    sa.Column('rights', sa.Integer(), nullable=True),
    sa.CheckConstraint('esteem IS NULL OR (esteem >= 1 AND esteem <= 4)', name=op.f('ck_self_assessment_esteem_scale')),
    sa.CheckConstraint('food IS NULL OR (food >= 1 AND food <= 4)', name=op.f('ck_self_assessment_food_scale')),
    sa.CheckConstraint('money IS NULL OR (money >= 1 AND money <= 4)', name=op.f('ck_self_assessment_money_scale')),
    sa.CheckConstraint('rights IS NULL OR (rights >= 1 AND rights <= 4)', name=op.f('ck_self_assessment_rights_scale')),
    sa.CheckConstraint('social IS NULL OR (social >= 1 AND social <= 4)', name=op.f('ck_self_assessment_social_scale')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_self_assessment_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment')),
    sa.UniqueConstraint('participant_id', 'moment', name=op.f('uq_self_assessment_participant_id_moment'))
    )
    op.create_table('situation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.Enum('entry', 'three_months', 'exit', name='moment', native_enum=False, length=20), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('employment', sa.Enum('employed', 'job_seeker', 'inactive', name='employment', native_enum=False, length=20), nullable=True),
    sa.Column('in_training', sa.Boolean(), nullable=True),
    sa.Column('resources', sa.Enum('wages', 'rsa', 'unemployment', 'aah', 'other', 'none', name='resources', native_enum=False, length=20), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_situation_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation')),
    sa.UniqueConstraint('participant_id', 'moment', name=op.f('uq_situation_participant_id_moment'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sex', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('adults', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('children', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'birth_year', 'birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)')
        batch_op.create_check_constraint('adults', 'adults IS NULL OR (adults >= 1 AND adults <= 30)')
        batch_op.create_check_constraint('children', 'children IS NULL OR (children >= 0 AND children <= 30)')

    kinds = sa.table('milestone_kind', sa.column('code', sa.String), sa.column('label', sa.String),
                     sa.column('position', sa.Integer), sa.column('active', sa.Boolean),
                     sa.column('asks_result', sa.Boolean))
    op.bulk_insert(kinds, [
        {'code': code, 'label': label, 'position': n * 10, 'active': True, 'asks_result': code == 'orientation'}
        for n, (code, label) in enumerate(BUILT_IN_KINDS, start=1)
    ])

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participant_children'), type_='check')
        batch_op.drop_constraint(op.f('ck_participant_adults'), type_='check')
        batch_op.drop_constraint(op.f('ck_participant_birth_year'), type_='check')
        batch_op.drop_column('children')
        batch_op.drop_column('adults')
        batch_op.drop_column('sex')
        batch_op.drop_column('birth_year')

    op.drop_table('situation')
    op.drop_table('self_assessment')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index('ix_milestone_participant_day')
        batch_op.drop_index(batch_op.f('ix_milestone_kind_id'))

    op.drop_table('milestone')
    op.drop_table('milestone_kind')
    op.drop_table('centre_logo')
    # ### end Alembic commands ###
