"""Checking people in: by card at the kiosk or by name at the host's desk, once a day each.

A scan is the busiest write of the box: on a Thursday morning the whole queue at the door goes
through it. So it is written in SQLAlchemy Core, with as few statements as we could, and holds
SQLite's write lock (one writer at a time, for the whole box) as briefly as it can:

1. one SELECT tells whose card it is, whether it still works, the day's workshop and any
   check-in already made that day. It takes no lock; a second scan that day writes nothing.
2. one `INSERT ... ON CONFLICT DO NOTHING RETURNING` makes the check-in, as a transaction of its
   own, committed before the answer is built.

Both run straight on the driver (`DriverStatement`). Measured under load, the lock was held ten
times longer than the work inside it took alone: each round trip of a BEGIN IMMEDIATE, SELECT,
INSERT, COMMIT let the server's other threads run first. The rarer writes (a refused scan, the
first scan of a day that was not planned, the host's desk) go through the session, and the view
commits them.

The rule "one check-in per participant per day" lives here and in the database's unique
constraint (participant, workshop day). Two scans of the same card at the same moment may both
read "not yet"; the second insert then inserts nothing, and we read back the first check-in
instead of failing. The same goes for the workshop day opened by the day's first scan.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Connection, and_, bindparam, exists, null, select

from kiosk.platform.database import DriverStatement
from kiosk.platform.extensions import db
from kiosk.models import (
    Activity,
    Card,
    CheckIn,
    CheckInSource,
    Participant,
    ProgrammePeriod,
    RefusalReason,
    RefusedScan,
    WorkshopDay,
)
from kiosk.platform.orm import insert_or_ignore
from kiosk.cards.codes import code_digest
from kiosk.programme.calendar import require_workshop_day
from kiosk.platform.timezone import local_day, utcnow

CARDS, PEOPLE, DAYS, ACTIVITIES, CHECKINS, REFUSED_SCANS, PERIODS = (
    model.__table__ for model in (Card, Participant, WorkshopDay, Activity, CheckIn, RefusedScan, ProgrammePeriod)
)


class CardRefused(Exception):
    """A scanned code that checks no one in: unknown, a card replaced or stopped, a person who left
    or whose data was erased."""

    def __init__(self, reason: RefusalReason):
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class CheckInResult:
    """The day's check-in of a participant, and whether this call made it."""

    checkin_id: int
    participant_id: int
    first_name: str
    checked_in_at: datetime
    activity_name: str | None
    created: bool


class Arrival(NamedTuple):
    """What one SELECT tells about someone arriving on a day."""

    participant_id: int
    first_name: str
    card_id: int | None  # the card scanned (None at the host's desk)
    card_revoked_at: datetime | None
    day_id: int | None  # the day's workshop, when it is already planned or opened
    activity_name: str | None
    checkin_id: int | None  # their check-in that day, when there is one
    checked_in_at: datetime | None
    in_programme: bool  # an open period: someone who left is not checked in by their card


def arrivals(by_card: bool):
    """The SELECT behind `Arrival` on a calendar day (`:day`), by card code digest or by participant id."""
    people = PEOPLE.join(CARDS, CARDS.c.participant_id == PEOPLE.c.id) if by_card else PEOPLE
    card = (CARDS.c.id, CARDS.c.revoked_at) if by_card else (null(), null())
    in_programme = exists().where(PERIODS.c.participant_id == PEOPLE.c.id, PERIODS.c.left_on.is_(None))
    return (
        select(PEOPLE.c.id, PEOPLE.c.first_name, *card, DAYS.c.id, ACTIVITIES.c.name,
               CHECKINS.c.id, CHECKINS.c.checked_in_at, in_programme)
        .select_from(
            people.outerjoin(DAYS, and_(DAYS.c.day == bindparam("day"), DAYS.c.cancelled_at.is_(None)))
            .outerjoin(ACTIVITIES, ACTIVITIES.c.id == DAYS.c.activity_id)
            .outerjoin(CHECKINS, and_(CHECKINS.c.participant_id == PEOPLE.c.id,
                                      CHECKINS.c.workshop_day_id == DAYS.c.id))
        )
        .where(CARDS.c.code_digest == bindparam("digest") if by_card else PEOPLE.c.id == bindparam("participant_id"))
    )


ARRIVAL_BY_CARD = arrivals(by_card=True)
ARRIVAL_BY_ID = arrivals(by_card=False)
DAY_BY_DATE = select(DAYS.c.id, ACTIVITIES.c.name).select_from(DAYS.outerjoin(ACTIVITIES)).where(
    DAYS.c.day == bindparam("day")
)
CHECKIN_ON_DAY = select(CHECKINS.c.id, CHECKINS.c.checked_in_at).where(
    CHECKINS.c.participant_id == bindparam("participant_id"), CHECKINS.c.workshop_day_id == bindparam("day_id")
)


CHECKIN_COLUMNS = ("participant_id", "workshop_day_id", "checked_in_at", "received_at", "source", "card_id",
                   "device_id", "recorded_by_id")


@cache
def insert_checkin(dialect_name: str):
    values = {name: bindparam(name, type_=CHECKINS.c[name].type) for name in CHECKIN_COLUMNS}
    return insert_or_ignore(CHECKINS, dialect_name).values(values).returning(CHECKINS.c.id, CHECKINS.c.checked_in_at)


@cache
def insert_day(dialect_name: str):
    return insert_or_ignore(DAYS, dialect_name)


# A scan's own statements, straight on the driver.
CARD_ARRIVAL = DriverStatement(ARRIVAL_BY_CARD)
CARD_CHECKIN = DriverStatement(insert_checkin)
CHECKIN_OF_DAY = DriverStatement(CHECKIN_ON_DAY)


def find_arrival(connection: Connection, day: date, *, code: str | None = None,
                 participant_id: int | None = None) -> Arrival | None:
    """Who a card code (or a participant id) is, and where they stand on `day`; None if unknown."""
    if code is not None:
        row = connection.execute(ARRIVAL_BY_CARD, {"digest": code_digest(code), "day": day}).first()
    else:
        row = connection.execute(ARRIVAL_BY_ID, {"participant_id": participant_id, "day": day}).first()
    return Arrival(*row) if row else None


def open_workshop_day(connection: Connection, day: date) -> tuple[int, str | None]:
    """The workshop day of a calendar day (its id and activity): the planned one, or one opened now."""
    connection.execute(insert_day(connection.dialect.name), {"day": day})
    return tuple(connection.execute(DAY_BY_DATE, {"day": day}).one())


def already_checked_in(arrival: Arrival) -> CheckInResult:
    """The answer for someone `find_arrival` found already checked in that day."""
    return CheckInResult(arrival.checkin_id, arrival.participant_id, arrival.first_name, arrival.checked_in_at,
                         arrival.activity_name, created=False)


def checked_in(arrival: Arrival, row: tuple, activity_name: str | None, created: bool) -> CheckInResult:
    """The answer for a check-in row (its id and time) of someone `find_arrival` found."""
    checkin_id, at = row
    return CheckInResult(checkin_id, arrival.participant_id, arrival.first_name, at, activity_name, created)


def checkin_values(arrival: Arrival, day_id: int, source: CheckInSource, checked_in_at: datetime,
                   device_id: int | None, recorded_by_id: int | None) -> dict:
    """The values of a new check-in's INSERT."""
    return {
        "participant_id": arrival.participant_id,
        "workshop_day_id": day_id,
        "checked_in_at": checked_in_at,
        "received_at": utcnow(),
        "source": source,
        "card_id": arrival.card_id,
        "device_id": device_id,
        "recorded_by_id": recorded_by_id,
    }


def record_checkin(
    connection: Connection,
    arrival: Arrival,
    source: CheckInSource,
    checked_in_at: datetime,
    device_id: int | None = None,
    recorded_by_id: int | None = None,
) -> CheckInResult:
    """Check in someone found by `find_arrival` on the day of `checked_in_at`, once that day, in
    the connection's transaction (opening the day's workshop if needed)."""
    if arrival.checkin_id is not None:
        return already_checked_in(arrival)
    day_id, activity_name = arrival.day_id, arrival.activity_name
    if day_id is None:
        day_id, activity_name = open_workshop_day(connection, local_day(checked_in_at))
    values = checkin_values(arrival, day_id, source, checked_in_at, device_id, recorded_by_id)
    made = connection.execute(insert_checkin(connection.dialect.name), values).first()
    if made is not None:
        return checked_in(arrival, made, activity_name, created=True)
    # Checked in by another request since we read: theirs stands.
    first = connection.execute(CHECKIN_ON_DAY, {"participant_id": arrival.participant_id, "day_id": day_id}).one()
    return checked_in(arrival, first, activity_name, created=False)


def record_card_checkin(arrival: Arrival, checked_in_at: datetime, device_id: int | None) -> CheckInResult:
    """Check in a card's holder on a day whose workshop is open: one INSERT straight on the
    driver, a transaction of its own (committed when this returns)."""
    values = checkin_values(arrival, arrival.day_id, CheckInSource.CARD, checked_in_at, device_id, None)
    made = CARD_CHECKIN.write(values)
    if made is not None:
        return checked_in(arrival, made, arrival.activity_name, created=True)
    # Checked in by another scan since we read: theirs stands.
    first = CHECKIN_OF_DAY.first({"participant_id": arrival.participant_id, "day_id": arrival.day_id})
    return checked_in(arrival, first, arrival.activity_name, created=False)


def check_in_by_card(code: str, checked_in_at: datetime | None = None, device_id: int | None = None) -> CheckInResult:
    """Check in the holder of a card code.

    A first scan on a day whose workshop is open (planned, or opened by the day's first scan) is
    committed when this returns: one INSERT straight on the driver. Everything else happens in
    the session, and the caller commits: the first scan of a day not planned (the day is opened
    with it), a refused code (recorded without the code; CardRefused raised, and the caller
    commits before answering, so the refusal is kept), and any scan made while the caller's
    session is already in a transaction (it then reads and writes in that transaction).
    """
    checked_in_at = checked_in_at or utcnow()
    day = local_day(checked_in_at)
    in_transaction = db.session().in_transaction()
    if in_transaction:
        arrival = find_arrival(db.session.connection(), day, code=code)
    else:
        row = CARD_ARRIVAL.first({"digest": code_digest(code), "day": day})
        arrival = Arrival(*row) if row else None
    if arrival is None or arrival.day_id is None:  # not a workshop day: NoWorkshopDay, nothing stored
        require_workshop_day(day)
    if arrival is None or arrival.card_revoked_at is not None or not arrival.in_programme:
        reason = refusal_reason(arrival)
        db.session.execute(REFUSED_SCANS.insert(), {
            "scanned_at": checked_in_at, "reason": reason, "card_id": arrival and arrival.card_id,
            "device_id": device_id,
        })
        raise CardRefused(reason)
    if arrival.checkin_id is not None:  # a second scan that day: nothing to write
        return already_checked_in(arrival)
    if arrival.day_id is None or in_transaction:
        return record_checkin(db.session.connection(), arrival, CheckInSource.CARD, checked_in_at, device_id=device_id)
    return record_card_checkin(arrival, checked_in_at, device_id)


def refusal_reason(arrival: Arrival | None) -> RefusalReason:
    """Why a scanned card checks no one in, told truly (read only when a card is refused)."""
    if arrival is None:
        return RefusalReason.UNKNOWN
    person = db.session.get(Participant, arrival.participant_id)
    if person.anonymised_at is not None:
        return RefusalReason.ANONYMISED
    if not arrival.in_programme:
        return RefusalReason.EXITED
    newer = db.session.scalar(select(CARDS.c.id).where(
        CARDS.c.participant_id == arrival.participant_id, CARDS.c.revoked_at.is_(None)))
    return RefusalReason.REPLACED if newer is not None else RefusalReason.REVOKED


def check_in_by_host(connection: Connection, participant_id: int, host_id: int) -> CheckInResult | None:
    """A volunteer or coordinator checks in someone who forgot their card (None: no such person)."""
    now = utcnow()
    arrival = find_arrival(connection, local_day(now), participant_id=participant_id)
    if arrival is not None and arrival.day_id is None:  # not a workshop day: NoWorkshopDay
        require_workshop_day(local_day(now))
    return record_checkin(connection, arrival, CheckInSource.HOST, now, recorded_by_id=host_id) if arrival else None
