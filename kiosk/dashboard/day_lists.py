"""The day page's lists beyond who came: cards of people who left, scanned that day."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.models import Card, Participant, ProgrammePeriod, RefusalReason, RefusedScan
from kiosk.platform.extensions import db
from kiosk.platform.timezone import day_bounds_utc


@dataclass(frozen=True)
class ExitedScan:
    """Someone who left the programme and showed their card at the kiosk: to see at the desk."""

    participant_id: int
    first_name: str
    last_name: str
    left_on: date | None
    scanned_at: datetime


def exited_scans(day: date) -> list[ExitedScan]:
    """The cards of people who had left, refused by the kiosk that day, with who they are."""
    start, end = day_bounds_utc(day)
    last_left = (
        select(func.max(ProgrammePeriod.left_on)).where(ProgrammePeriod.participant_id == Participant.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name, last_left, RefusedScan.scanned_at)
        .join(Card, RefusedScan.card_id == Card.id)
        .join(Participant, Card.participant_id == Participant.id)
        .where(RefusedScan.reason == RefusalReason.EXITED, RefusedScan.scanned_at >= start,
               RefusedScan.scanned_at < end)
        .order_by(RefusedScan.scanned_at)
    ).all()
    return [ExitedScan(*row) for row in rows]
