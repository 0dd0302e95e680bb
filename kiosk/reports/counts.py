"""The year's counts the database keeps (kiosk/models/figures.py): recounted from the records, to check
them (`kiosk figures check`) or to make them again (`kiosk figures rebuild`).

The triggers of migration 20g_year_counts keep them at every write; these recounts are the same
counts read from the check-ins and the baskets, for rows written with triggers off (the bench's
filler) and for the proof that nothing drifted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, literal, select, text, union_all
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
    postgres = connection.dialect.name == "postgresql"
    if postgres:  # no check-in or basket while they are recounted (SQLite's writer is alone already)
        connection.execute(text("LOCK TABLE check_in, basket IN SHARE MODE"))
    insert = postgresql.insert if postgres else sqlite.insert
    for table in (DAYS, PEOPLE):  # the triggers' order: a day's row, then a person's
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


def _people_recount(site: int | None):
    """(year, participant, site, workshops, baskets, grams, value, paid) as the records give them."""
    checkins, baskets = _people_checkins(site).subquery(), _people_baskets(site).subquery()
    zero = literal(0)
    both = union_all(
        select(checkins.c.year, checkins.c.participant_id, checkins.c.site_id, checkins.c.workshops,
               *(zero.label(name) for name in MONEY)),
        select(baskets.c.year, baskets.c.participant_id, baskets.c.site_id, zero.label("workshops"),
               *(baskets.c[name] for name in MONEY))).subquery()
    return select(both.c.year, both.c.participant_id, both.c.site_id,
                  *(func.sum(both.c[name]).label(name) for name in ("workshops", *MONEY))) \
        .group_by(both.c.year, both.c.participant_id, both.c.site_id)


def _apart(connection, stored, counted, width: int) -> dict[Key, list]:
    """{key: [stored values, counted values]} for the rows that are not the same on both sides, found
    by the database (EXCEPT both ways: a network's ten years are a million rows, none brought back
    when they agree)."""
    stored, counted = stored.subquery(), counted.subquery()
    found: dict[Key, list] = {}
    for side, (one, other) in enumerate(((stored, counted), (counted, stored))):
        for row in connection.execute(select(one).except_(select(other))):
            key, values = tuple(row[:-width]), tuple(int(v or 0) for v in row[-width:])
            found.setdefault(key, [(0,) * width, (0,) * width])[side] = values
    return found


def count_differences(site: int | None = None) -> list[CountDifference]:
    """Where the kept counts and a recount from the records disagree."""
    connection = db.session.connection()
    people = _apart(connection, _limited(select(PEOPLE.c.year, PEOPLE.c.participant_id, PEOPLE.c.site_id,
                                                PEOPLE.c.workshops, *(PEOPLE.c[name] for name in MONEY)), PEOPLE, site),
                    _people_recount(site), 5)
    days = _apart(connection, _limited(select(DAYS.c.workshop_day_id, DAYS.c.site_id, DAYS.c.checkins), DAYS, site),
                  _days(site), 1)
    names = dict(connection.execute(select(Site.__table__.c.id, Site.__table__.c.name)).all())
    return [CountDifference(names.get(site_id, str(site_id)), f"{year}, participant {person}", *pair)
            for (year, person, site_id), pair in sorted(people.items())] + \
           [CountDifference(names.get(site_id, str(site_id)), f"atelier {day}", *pair)
            for (day, site_id), pair in sorted(days.items())]
