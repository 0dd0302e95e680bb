"""Read-only questions about check-ins: which card a code is, who is already in on a day."""

from datetime import date

from kiosk.extensions import db
from kiosk.models import Card, CheckIn, WorkshopDay
from kiosk.participants.cards import code_digest


def card_by_code(code: str) -> Card | None:
    """The card (working or not) whose code this is, looked up by digest."""
    return db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(code)))


def workshop_day_on(day: date) -> WorkshopDay | None:
    """The workshop day planned or opened on a calendar day."""
    return db.session.scalar(db.select(WorkshopDay).where(WorkshopDay.day == day))


def checkin_on(participant_id: int, workshop_day_id: int) -> CheckIn | None:
    """A participant's check-in on a workshop day, if there is one."""
    return db.session.scalar(
        db.select(CheckIn).where(
            CheckIn.participant_id == participant_id, CheckIn.workshop_day_id == workshop_day_id
        )
    )


def checkins_on_day(day: date, participant_ids) -> dict[int, CheckIn]:
    """Check-ins on a calendar day for these participants, by participant id."""
    ids = list(participant_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        db.select(CheckIn)
        .join(WorkshopDay)
        .where(WorkshopDay.day == day, CheckIn.participant_id.in_(ids))
    )
    return {checkin.participant_id: checkin for checkin in rows}


def count_checkins_on_day(day: date) -> int:
    """How many people are checked in on a calendar day."""
    return db.session.scalar(
        db.select(db.func.count(CheckIn.id)).join(WorkshopDay).where(WorkshopDay.day == day)
    ) or 0
