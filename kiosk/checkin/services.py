"""Checking people in: by card at the kiosk or by name at the host's desk, once a day each.

The rule "one check-in per participant per day" lives here and in the database's unique
constraint (participant, workshop day). Two scans of the same card at the same moment may both
find no check-in and both insert; the second insert then fails on the constraint, and we read
back the first one instead of failing. The same goes for the workshop day opened by a first scan.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from kiosk.checkin import queries
from kiosk.extensions import db
from kiosk.models import (
    Card,
    CheckIn,
    CheckInSource,
    Device,
    Participant,
    RefusalReason,
    RefusedScan,
    User,
    WorkshopDay,
)
from kiosk.timezone import local_day, utcnow


class CardRefused(Exception):
    """A scanned code that checks no one in: unknown, or a card that was replaced or revoked."""

    def __init__(self, reason: RefusalReason):
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class CheckInResult:
    """The day's check-in of a participant, and whether this call made it."""

    checkin: CheckIn
    created: bool

    @property
    def activity_name(self) -> str | None:
        activity = self.checkin.workshop_day.activity
        return activity.name if activity else None


def open_workshop_day(day: date) -> WorkshopDay:
    """The workshop day of a calendar day: the planned one, or a new one opened now."""
    workshop_day = queries.workshop_day_on(day)
    if workshop_day is not None:
        return workshop_day
    try:
        with db.session.begin_nested():
            workshop_day = WorkshopDay(day=day)
            db.session.add(workshop_day)
    except IntegrityError:  # opened at the same moment by another scan
        workshop_day = queries.workshop_day_on(day)
        if workshop_day is None:
            raise
    return workshop_day


def record_checkin(
    participant: Participant,
    source: CheckInSource,
    checked_in_at: datetime | None = None,
    card: Card | None = None,
    device: Device | None = None,
    recorded_by: User | None = None,
) -> CheckInResult:
    """Check a participant in for the day of `checked_in_at` (now by default), once a day."""
    checked_in_at = checked_in_at or utcnow()
    workshop_day = open_workshop_day(local_day(checked_in_at))
    existing = queries.checkin_on(participant.id, workshop_day.id)
    if existing is not None:
        return CheckInResult(existing, created=False)
    # Ids rather than relationships: the new row must not reach the session before the savepoint.
    checkin = CheckIn(
        participant_id=participant.id,
        workshop_day_id=workshop_day.id,
        checked_in_at=checked_in_at,
        source=source,
        card_id=card.id if card else None,
        device_id=device.id if device else None,
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
    except IntegrityError:  # the same person checked in at the same moment by another request
        existing = queries.checkin_on(participant.id, workshop_day.id)
        if existing is None:
            raise
        return CheckInResult(existing, created=False)
    return CheckInResult(checkin, created=True)


def check_in_by_card(
    code: str,
    checked_in_at: datetime | None = None,
    device: Device | None = None,
    recorded_by: User | None = None,
) -> CheckInResult:
    """Check in the holder of a card code; a refused code is recorded (without the code) and raised."""
    card = queries.card_by_code(code)
    if card is None or not card.is_working:
        reason = RefusalReason.UNKNOWN if card is None else RefusalReason.REPLACED
        db.session.add(
            RefusedScan(
                scanned_at=checked_in_at or utcnow(),
                reason=reason,
                card_id=card.id if card else None,
                device_id=device.id if device else None,
            )
        )
        db.session.flush()
        raise CardRefused(reason)
    return record_checkin(
        card.participant, CheckInSource.CARD, checked_in_at, card=card, device=device, recorded_by=recorded_by
    )


def check_in_by_host(participant: Participant, host: User) -> CheckInResult:
    """A volunteer or coordinator checks in someone who forgot their card."""
    return record_checkin(participant, CheckInSource.HOST, recorded_by=host)
