"""Checking people in: by card at the kiosk or by name at the host's desk, once a day each.

One path for both: one SELECT tells who it is, whether the card still works, the day's workshop
and any check-in already made that day (a second scan that day writes nothing, and takes no lock);
then, holding the write lock, one `INSERT ... ON CONFLICT DO NOTHING RETURNING` makes the check-in.

The rule "one check-in per participant per day" lives here and in the database's unique
constraint (participant, workshop day). Two scans of the same card at the same moment may both
read "not yet"; the second insert then inserts nothing, and we read back the first check-in
instead of failing. The same goes for the workshop day opened by the day's first scan.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, exists, null, select

from kiosk.audit import AuditAction, record_audit
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
from kiosk.platform.unit_of_work import write_lock
from kiosk.sites.scope import current_site

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
            people.outerjoin(DAYS, and_(DAYS.c.site_id == PEOPLE.c.site_id, DAYS.c.day == bindparam("day"),
                                        DAYS.c.cancelled_at.is_(None)))
            .outerjoin(ACTIVITIES, ACTIVITIES.c.id == DAYS.c.activity_id)
            .outerjoin(CHECKINS, and_(CHECKINS.c.participant_id == PEOPLE.c.id,
                                      CHECKINS.c.workshop_day_id == DAYS.c.id))
        )
        .where(CARDS.c.code_digest == bindparam("digest") if by_card else PEOPLE.c.id == bindparam("participant_id"))
        .where(PEOPLE.c.site_id == bindparam("site"))  # another site's card or person: unknown here
    )


ARRIVAL_BY_CARD = arrivals(by_card=True)
ARRIVAL_BY_ID = arrivals(by_card=False)
DAY_BY_DATE = select(DAYS.c.id, ACTIVITIES.c.name).select_from(DAYS.outerjoin(ACTIVITIES)).where(
    DAYS.c.day == bindparam("day"), DAYS.c.site_id == bindparam("site")
)
CHECKIN_ON_DAY = select(CHECKINS.c.id, CHECKINS.c.checked_in_at).where(
    CHECKINS.c.participant_id == bindparam("participant_id"), CHECKINS.c.workshop_day_id == bindparam("day_id")
)


CHECKIN_COLUMNS = ("site_id", "participant_id", "workshop_day_id", "checked_in_at", "received_at", "source", "card_id",
                   "device_id", "recorded_by_id")


@cache
def insert_checkin(dialect_name: str):
    values = {name: bindparam(name, type_=CHECKINS.c[name].type) for name in CHECKIN_COLUMNS}
    return insert_or_ignore(CHECKINS, dialect_name).values(values).returning(CHECKINS.c.id, CHECKINS.c.checked_in_at)


@cache
def insert_day(dialect_name: str):
    return insert_or_ignore(DAYS, dialect_name)


def find_arrival(day: date, *, code: str | None = None, participant_id: int | None = None) -> Arrival | None:
    """Who a card code (or a participant id) is, and where they stand on `day`; None if unknown."""
    if code is not None:
        row = db.session.execute(ARRIVAL_BY_CARD, {"digest": code_digest(code), "day": day,
                                                   "site": current_site()}).first()
    else:
        row = db.session.execute(ARRIVAL_BY_ID, {"participant_id": participant_id, "day": day,
                                                 "site": current_site()}).first()
    return Arrival(*row) if row else None


def open_workshop_day(day: date) -> tuple[int, str | None]:
    """The workshop day of a calendar day (its id and activity): the planned one, or one opened now."""
    db.session.execute(insert_day(db.engine.dialect.name), {"day": day, "site_id": current_site()})
    return tuple(db.session.execute(DAY_BY_DATE, {"day": day, "site": current_site()}).one())


def checked_in(arrival: Arrival, row: tuple, activity_name: str | None, created: bool) -> CheckInResult:
    """The answer for a check-in row (its id and time) of someone `find_arrival` found."""
    checkin_id, at = row
    return CheckInResult(checkin_id, arrival.participant_id, arrival.first_name, at, activity_name, created)


def record_checkin(arrival: Arrival, source: CheckInSource, checked_in_at: datetime,
                   device_id: int | None = None, recorded_by_id: int | None = None) -> CheckInResult:
    """Check in someone found by `find_arrival` on the day of `checked_in_at`, once that day
    (opening the day's workshop if needed); writes nothing for a second time that day."""
    if arrival.checkin_id is not None:
        return checked_in(arrival, (arrival.checkin_id, arrival.checked_in_at), arrival.activity_name, created=False)
    write_lock()
    day_id, activity_name = arrival.day_id, arrival.activity_name
    if day_id is None:
        day_id, activity_name = open_workshop_day(local_day(checked_in_at))
    values = {
        "site_id": current_site(), "participant_id": arrival.participant_id, "workshop_day_id": day_id, "checked_in_at": checked_in_at,
        "received_at": utcnow(), "source": source, "card_id": arrival.card_id, "device_id": device_id,
        "recorded_by_id": recorded_by_id,
    }
    made = db.session.execute(insert_checkin(db.engine.dialect.name), values).first()
    if made is not None:
        return checked_in(arrival, made, activity_name, created=True)
    # Checked in by another request since we read: theirs stands.
    first = db.session.execute(CHECKIN_ON_DAY, {"participant_id": arrival.participant_id, "day_id": day_id}).one()
    return checked_in(arrival, first, activity_name, created=False)


def check_in_by_card(code: str, checked_in_at: datetime | None = None, device_id: int | None = None) -> CheckInResult:
    """Check in the holder of a card code; a refused code is recorded (without the code) and raises CardRefused."""
    checked_in_at = checked_in_at or utcnow()
    day = local_day(checked_in_at)
    arrival = find_arrival(day, code=code)
    if arrival is None or arrival.day_id is None:  # not a workshop day: NoWorkshopDay, nothing stored
        require_workshop_day(day)
    if arrival is None or arrival.card_revoked_at is not None or not arrival.in_programme:
        reason = refusal_reason(arrival)
        write_lock()
        db.session.execute(REFUSED_SCANS.insert(), {
            "site_id": current_site(), "scanned_at": checked_in_at, "reason": reason, "card_id": arrival and arrival.card_id,
            "device_id": device_id,
        })
        raise CardRefused(reason)
    return record_checkin(arrival, CheckInSource.CARD, checked_in_at, device_id=device_id)


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


def check_in_by_host(participant_id: int, host_id: int) -> CheckInResult | None:
    """A volunteer or coordinator checks in someone who forgot their card (None: no such person)."""
    now = utcnow()
    arrival = find_arrival(local_day(now), participant_id=participant_id)
    if arrival is None:
        return None
    if arrival.day_id is None:  # not a workshop day: NoWorkshopDay, nothing stored
        require_workshop_day(local_day(now))
    result = record_checkin(arrival, CheckInSource.HOST, now, recorded_by_id=host_id)
    if result.created:
        record_audit(AuditAction.CHECKIN_HOST, "check_in", result.checkin_id)
    return result
