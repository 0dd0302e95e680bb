"""Read-only questions about check-ins for the host's desk: who is already in on a day."""

from datetime import date

from kiosk.platform.extensions import db
from kiosk.models import CheckIn, WorkshopDay


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
