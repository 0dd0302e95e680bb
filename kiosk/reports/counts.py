"""The year's counts the database keeps (kiosk/models/figures.py): recounted from the records, to check
them (`kiosk figures check`) or to make them again (`kiosk figures rebuild`).

The triggers of migration 20g_year_counts keep them at every write; these recounts are the same
counts read from the check-ins and the baskets, for rows written with triggers off (the bench's
filler) and for the proof that nothing drifted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.models import Basket, CheckIn, DayAttendance, Participant, PersonYear, Site, WorkshopDay
from kiosk.platform.extensions import db

PEOPLE, DAYS = PersonYear.__table__, DayAttendance.__table__
CHECKINS, BASKETS, WORKSHOP_DAYS = CheckIn.__table__, Basket.__table__, WorkshopDay.__table__
PARTICIPANTS = Participant.__table__
MONEY = ("baskets", "weight_g", "value_cents", "paid_cents")
Key = tuple  # (year, participant, site) or (workshop day, site)
PEOPLE_KEY = ("year", "participant_id", "site_id")


def _year(column):
    return cast(func.extract("year", column), Integer)


def _limited(query, table, site: int | None):
    return query.where(table.c.site_id == site) if site is not None else query


def _people_checkins(site: int | None):
    """(year, participant, their site, workshop days) as the check-ins give them."""
    year = _year(WORKSHOP_DAYS.c.day)
    return _limited(select(year.label("year"), CHECKINS.c.participant_id, PARTICIPANTS.c.site_id,
                           func.count().label("workshops"))
                    .join(WORKSHOP_DAYS, WORKSHOP_DAYS.c.id == CHECKINS.c.workshop_day_id)
                    .join(PARTICIPANTS, PARTICIPANTS.c.id == CHECKINS.c.participant_id)
                    .group_by(year, CHECKINS.c.participant_id, PARTICIPANTS.c.site_id), PARTICIPANTS, site)


def _people_baskets(site: int | None):
    """(year, participant, their site, baskets, grams, value, paid) as the kept baskets give them."""
    year = _year(BASKETS.c.served_on)
    return _limited(select(year.label("year"), BASKETS.c.participant_id, PARTICIPANTS.c.site_id,
                           func.count().label("baskets"), func.sum(BASKETS.c.weight_g).label("weight_g"),
                           func.sum(BASKETS.c.value_cents).label("value_cents"),
                           func.sum(BASKETS.c.paid_cents).label("paid_cents"))
                    .join(PARTICIPANTS, PARTICIPANTS.c.id == BASKETS.c.participant_id)
                    .where(BASKETS.c.cancelled_at.is_(None))
                    .group_by(year, BASKETS.c.participant_id, PARTICIPANTS.c.site_id), PARTICIPANTS, site)


def _days(site: int | None):
    """(workshop day, site, check-ins) as the check-ins give them."""
    return _limited(select(CHECKINS.c.workshop_day_id, CHECKINS.c.site_id, func.count().label("checkins"))
                    .group_by(CHECKINS.c.workshop_day_id, CHECKINS.c.site_id), CHECKINS, site)


def rebuild_year_counts(site: int | None = None, connection=None) -> int:
    """Recount the kept counts from the records (one site, or all); return the rows they now have."""
    connection = connection if connection is not None else db.session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    for table in (PEOPLE, DAYS):
        connection.execute(_limited(table.delete(), table, site))
    connection.execute(DAYS.insert().from_select(["workshop_day_id", "site_id", "checkins"], _days(site)))
    # In key order: a year's rows side by side in the table, as a year's writes leave them.
    checkins = _people_checkins(site).subquery()
    connection.execute(PEOPLE.insert().from_select(
        [*PEOPLE_KEY, "workshops"], select(checkins).order_by(checkins.c.year, checkins.c.participant_id)))
    baskets = _people_baskets(site).subquery()
    statement = insert(PEOPLE).from_select([*PEOPLE_KEY, *MONEY], select(baskets).where(baskets.c.baskets > 0)
                                           .order_by(baskets.c.year, baskets.c.participant_id))  # WHERE: SQLite's upsert
    connection.execute(statement.on_conflict_do_update(
        index_elements=[PEOPLE.c.year, PEOPLE.c.participant_id],
        set_={name: statement.excluded[name] for name in MONEY}))
    # (An INSERT … SELECT's rowcount is -1 through psycopg: the rows are counted.)
    return sum(connection.scalar(_limited(select(func.count()).select_from(table), table, site))
               for table in (PEOPLE, DAYS))


@dataclass
class CountDifference:
    site: str
    what: str  # "2025, participant 12" or "workshop day 40"
    stored: tuple[int, ...]
    counted: tuple[int, ...]


def _rows(connection, query, width: int) -> dict[Key, tuple[int, ...]]:
    found = {}
    for row in connection.execute(query):
        key, values = tuple(row[:-width]), tuple(int(v or 0) for v in row[-width:])
        if any(values):  # a row of zeros (everyone's check-ins taken back) = no row
            found[key] = values
    return found


def count_differences(site: int | None = None) -> list[CountDifference]:
    """Where the kept counts and a recount from the records disagree."""
    connection = db.session.connection()
    stored_people = _rows(connection, _limited(select(
        PEOPLE.c.year, PEOPLE.c.participant_id, PEOPLE.c.site_id, PEOPLE.c.workshops,
        *(PEOPLE.c[name] for name in MONEY)), PEOPLE, site), 5)
    counted_people: dict[Key, tuple[int, ...]] = {}
    for key, (workshops,) in _rows(connection, _people_checkins(site), 1).items():
        counted_people[key] = (workshops, 0, 0, 0, 0)
    for key, money in _rows(connection, _people_baskets(site), 4).items():
        counted_people[key] = (counted_people.get(key, (0,))[0], *money)
    stored_days = _rows(connection, _limited(select(DAYS.c.workshop_day_id, DAYS.c.site_id, DAYS.c.checkins),
                                             DAYS, site), 1)
    counted_days = _rows(connection, _days(site), 1)
    names = dict(connection.execute(select(Site.__table__.c.id, Site.__table__.c.name)).all())
    found = []
    for (year, person, site_id) in sorted(stored_people.keys() | counted_people.keys()):
        stored, counted = (stored_people.get((year, person, site_id), (0,) * 5),
                           counted_people.get((year, person, site_id), (0,) * 5))
        if stored != counted:
            found.append(CountDifference(names.get(site_id, str(site_id)), f"{year}, participant {person}",
                                         stored, counted))
    for (day, site_id) in sorted(stored_days.keys() | counted_days.keys()):
        stored, counted = stored_days.get((day, site_id), (0,)), counted_days.get((day, site_id), (0,))
        if stored != counted:
            found.append(CountDifference(names.get(site_id, str(site_id)), f"atelier {day}", stored, counted))
    return found
