"""the year's counts kept by the database: per person and year, per workshop day (issue 20, point 5)

The network's yearly report read every check-in and every kept basket of the year, and of the year
before (520,000 and 312,000 a year on the bench's 200 centres): 1.3 s of queries on a quiet machine.
`person_year` keeps, per person, site and year, the workshop days they came to and their kept baskets
with kilos, value and contributions; `day_attendance` the check-ins of each workshop day. Triggers on
`check_in` and `basket` move them in the same transaction as each row written, whatever writes it
(kiosk/models/figures.py says why triggers). Filled here from the rows already there.

A later SQLite migration that rebuilds `check_in` or `basket` (`batch_alter_table` copies the table)
drops their triggers: it must create them again (tests/reports/test_year_counts.py checks they are there).

Revision ID: 20g_year_counts
Revises: 20f_basket_months
"""
from alembic import op
import sqlalchemy as sa


revision = '20g_year_counts'
down_revision = '20f_basket_months'
branch_labels = None
depends_on = None

ZERO = sa.text('0')

# PostgreSQL: one function per table; a row's old contribution out, its new one in. A count back to
# zero is deleted, so that the tables are always exactly what a recount makes (and `kiosk transfer`,
# whose target counts anew, finds the same rows).
POSTGRESQL = [
    """CREATE FUNCTION check_in_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE day_attendance SET checkins = checkins - 1 WHERE workshop_day_id = OLD.workshop_day_id;
        UPDATE person_year SET workshops = workshops - 1
         WHERE year = (SELECT extract(year FROM day)::int FROM workshop_day WHERE id = OLD.workshop_day_id)
           AND participant_id = OLD.participant_id;
        DELETE FROM day_attendance WHERE workshop_day_id = OLD.workshop_day_id AND checkins = 0;
        DELETE FROM person_year WHERE workshops = 0 AND baskets = 0 AND participant_id = OLD.participant_id
           AND year = (SELECT extract(year FROM day)::int FROM workshop_day WHERE id = OLD.workshop_day_id);
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO day_attendance (workshop_day_id, site_id, checkins) VALUES (NEW.workshop_day_id, NEW.site_id, 1)
        ON CONFLICT (workshop_day_id) DO UPDATE SET checkins = day_attendance.checkins + 1;
        INSERT INTO person_year (year, participant_id, site_id, workshops)
        SELECT extract(year FROM w.day)::int, NEW.participant_id, p.site_id, 1 FROM workshop_day w, participant p
         WHERE w.id = NEW.workshop_day_id AND p.id = NEW.participant_id
        ON CONFLICT (year, participant_id) DO UPDATE SET workshops = person_year.workshops + 1;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER check_in_counts AFTER INSERT OR DELETE OR UPDATE OF participant_id, workshop_day_id, site_id
       ON check_in FOR EACH ROW EXECUTE FUNCTION check_in_counts()""",
    """CREATE FUNCTION basket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.cancelled_at IS NULL THEN
        UPDATE person_year SET baskets = baskets - 1, weight_g = weight_g - OLD.weight_g,
               value_cents = value_cents - OLD.value_cents, paid_cents = paid_cents - OLD.paid_cents
         WHERE year = extract(year FROM OLD.served_on)::int AND participant_id = OLD.participant_id;
        DELETE FROM person_year WHERE workshops = 0 AND baskets = 0 AND participant_id = OLD.participant_id
           AND year = extract(year FROM OLD.served_on)::int;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.cancelled_at IS NULL THEN
        INSERT INTO person_year (year, participant_id, site_id, baskets, weight_g, value_cents, paid_cents)
        SELECT extract(year FROM NEW.served_on)::int, NEW.participant_id, p.site_id, 1, NEW.weight_g,
               NEW.value_cents, NEW.paid_cents FROM participant p WHERE p.id = NEW.participant_id
        ON CONFLICT (year, participant_id) DO UPDATE SET baskets = person_year.baskets + 1,
           weight_g = person_year.weight_g + EXCLUDED.weight_g,
           value_cents = person_year.value_cents + EXCLUDED.value_cents,
           paid_cents = person_year.paid_cents + EXCLUDED.paid_cents;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER basket_counts AFTER INSERT OR DELETE OR UPDATE OF participant_id, site_id, served_on,
       cancelled_at, weight_g, value_cents, paid_cents ON basket FOR EACH ROW EXECUTE FUNCTION basket_counts()""",
]

# SQLite: a trigger per event (no TG_OP); the same statements.
_CHECKIN_OUT = """
    UPDATE day_attendance SET checkins = checkins - 1 WHERE workshop_day_id = OLD.workshop_day_id;
    UPDATE person_year SET workshops = workshops - 1
     WHERE year = (SELECT CAST(strftime('%Y', day) AS INTEGER) FROM workshop_day WHERE id = OLD.workshop_day_id)
       AND participant_id = OLD.participant_id;
    DELETE FROM day_attendance WHERE workshop_day_id = OLD.workshop_day_id AND checkins = 0;
    DELETE FROM person_year WHERE workshops = 0 AND baskets = 0 AND participant_id = OLD.participant_id
       AND year = (SELECT CAST(strftime('%Y', day) AS INTEGER) FROM workshop_day WHERE id = OLD.workshop_day_id);"""
_CHECKIN_IN = """
    INSERT INTO day_attendance (workshop_day_id, site_id, checkins) VALUES (NEW.workshop_day_id, NEW.site_id, 1)
    ON CONFLICT (workshop_day_id) DO UPDATE SET checkins = checkins + 1;
    INSERT INTO person_year (year, participant_id, site_id, workshops)
    SELECT CAST(strftime('%Y', w.day) AS INTEGER), NEW.participant_id, p.site_id, 1 FROM workshop_day w, participant p
     WHERE w.id = NEW.workshop_day_id AND p.id = NEW.participant_id
    ON CONFLICT (year, participant_id) DO UPDATE SET workshops = workshops + 1;"""
_BASKET_OUT = """
    UPDATE person_year SET baskets = baskets - 1, weight_g = weight_g - OLD.weight_g,
           value_cents = value_cents - OLD.value_cents, paid_cents = paid_cents - OLD.paid_cents
     WHERE OLD.cancelled_at IS NULL AND year = CAST(strftime('%Y', OLD.served_on) AS INTEGER)
       AND participant_id = OLD.participant_id;
    DELETE FROM person_year WHERE workshops = 0 AND baskets = 0 AND participant_id = OLD.participant_id
       AND year = CAST(strftime('%Y', OLD.served_on) AS INTEGER);"""
_BASKET_IN = """
    INSERT INTO person_year (year, participant_id, site_id, baskets, weight_g, value_cents, paid_cents)
    SELECT CAST(strftime('%Y', NEW.served_on) AS INTEGER), NEW.participant_id, p.site_id, 1, NEW.weight_g,
           NEW.value_cents, NEW.paid_cents FROM participant p WHERE p.id = NEW.participant_id AND NEW.cancelled_at IS NULL
    ON CONFLICT (year, participant_id) DO UPDATE SET baskets = baskets + 1,
       weight_g = weight_g + excluded.weight_g, value_cents = value_cents + excluded.value_cents,
       paid_cents = paid_cents + excluded.paid_cents;"""
SQLITE = [
    f"CREATE TRIGGER check_in_counts_insert AFTER INSERT ON check_in BEGIN {_CHECKIN_IN} END",
    f"CREATE TRIGGER check_in_counts_delete AFTER DELETE ON check_in BEGIN {_CHECKIN_OUT} END",
    "CREATE TRIGGER check_in_counts_update AFTER UPDATE OF participant_id, workshop_day_id, site_id ON check_in "
    f"BEGIN {_CHECKIN_OUT} {_CHECKIN_IN} END",
    f"CREATE TRIGGER basket_counts_insert AFTER INSERT ON basket BEGIN {_BASKET_IN} END",
    f"CREATE TRIGGER basket_counts_delete AFTER DELETE ON basket BEGIN {_BASKET_OUT} END",
    "CREATE TRIGGER basket_counts_update AFTER UPDATE OF participant_id, site_id, served_on, cancelled_at, "
    f"weight_g, value_cents, paid_cents ON basket BEGIN {_BASKET_OUT} {_BASKET_IN} END",
]


def year_of(column: str) -> str:
    if op.get_bind().dialect.name == 'postgresql':
        return f"extract(year FROM {column})::int"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def upgrade():
    op.create_table('person_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('participant_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('site_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('workshops', sa.Integer(), server_default=ZERO, nullable=False),
    sa.Column('baskets', sa.Integer(), server_default=ZERO, nullable=False),
    sa.Column('weight_g', sa.BigInteger(), server_default=ZERO, nullable=False),
    sa.Column('value_cents', sa.BigInteger(), server_default=ZERO, nullable=False),
    sa.Column('paid_cents', sa.BigInteger(), server_default=ZERO, nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_person_year_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_person_year_site_id_site')),
    sa.PrimaryKeyConstraint('year', 'participant_id', name=op.f('pk_person_year'))
    )
    with op.batch_alter_table('person_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_year_site_id'), ['site_id'], unique=False)
    op.create_table('day_attendance',
    sa.Column('workshop_day_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checkins', sa.Integer(), server_default=ZERO, nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_day_attendance_site_id_site')),
    sa.ForeignKeyConstraint(['workshop_day_id'], ['workshop_day.id'], name=op.f('fk_day_attendance_workshop_day_id_workshop_day'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_day_id', name=op.f('pk_day_attendance'))
    )
    with op.batch_alter_table('day_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_day_attendance_site_id'), ['site_id'], unique=False)
    for statement in POSTGRESQL if op.get_bind().dialect.name == 'postgresql' else SQLITE:
        op.execute(statement)
    op.execute(
        "INSERT INTO day_attendance (workshop_day_id, site_id, checkins) "
        "SELECT workshop_day_id, site_id, count(*) FROM check_in GROUP BY workshop_day_id, site_id")
    op.execute(
        "INSERT INTO person_year (year, participant_id, site_id, workshops) "
        f"SELECT {year_of('w.day')}, c.participant_id, p.site_id, count(*) "
        "FROM check_in c JOIN workshop_day w ON w.id = c.workshop_day_id JOIN participant p ON p.id = c.participant_id "
        f"GROUP BY {year_of('w.day')}, c.participant_id, p.site_id")
    op.execute(
        "INSERT INTO person_year (year, participant_id, site_id, baskets, weight_g, value_cents, paid_cents) "
        f"SELECT {year_of('b.served_on')}, b.participant_id, p.site_id, count(*), sum(b.weight_g), "
        "sum(b.value_cents), sum(b.paid_cents) FROM basket b JOIN participant p ON p.id = b.participant_id "
        f"WHERE b.cancelled_at IS NULL GROUP BY {year_of('b.served_on')}, b.participant_id, p.site_id "
        "ON CONFLICT (year, participant_id) DO UPDATE SET baskets = excluded.baskets, "
        "weight_g = excluded.weight_g, value_cents = excluded.value_cents, paid_cents = excluded.paid_cents")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER basket_counts ON basket")
        op.execute("DROP TRIGGER check_in_counts ON check_in")
        op.execute("DROP FUNCTION basket_counts()")
        op.execute("DROP FUNCTION check_in_counts()")
    else:
        for statement in SQLITE:
            op.execute(f"DROP TRIGGER {statement.split()[2]}")
    with op.batch_alter_table('day_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_day_attendance_site_id'))
    op.drop_table('day_attendance')
    with op.batch_alter_table('person_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_year_site_id'))
    op.drop_table('person_year')
