"""The day page's lists beyond who came: cards of people who left scanned that day, what each
basket held, the households with épicerie access who took no basket."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.models import (
    Basket,
    BasketLine,
    Card,
    Category,
    EpicerieAccess,
    Participant,
    ProgrammePeriod,
    RefusalReason,
    RefusedScan,
    active_participants_filter,
)
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


def basket_contents(basket_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """What each basket held: {basket id: [(quantity, category label), ...]} in the tablet's order."""
    contents: dict[int, list[tuple[int, str]]] = {}
    if not basket_ids:
        return contents
    rows = db.session.execute(
        select(BasketLine.basket_id, BasketLine.quantity, Category.label)
        .join(Category, BasketLine.category_id == Category.id)
        .where(BasketLine.basket_id.in_(basket_ids))
        .order_by(BasketLine.basket_id, Category.position, BasketLine.id)
    )
    for basket_id, quantity, label in rows:
        contents.setdefault(basket_id, []).append((quantity, label))
    return contents


def access_without_basket(day: date) -> list[Participant]:
    """Households in the programme whose épicerie access covers the day and who took no basket that day."""
    served = select(Basket.participant_id).where(Basket.served_on == day, Basket.cancelled_at.is_(None))
    covered = select(EpicerieAccess.participant_id).where(EpicerieAccess.starts_on <= day,
                                                           EpicerieAccess.ends_on >= day)
    return list(db.session.scalars(
        select(Participant).where(Participant.id.in_(covered), Participant.id.not_in(served),
                                  Participant.anonymised_at.is_(None), active_participants_filter())
        .order_by(Participant.search_name, Participant.id)
    ))


def expected_not_come(day: date) -> list[Participant]:
    """The people registered for that day's session (not on its waiting list) who did not come."""
    from kiosk.programme.queries import roster
    from kiosk.programme.services import day_row

    row = day_row(day)
    if row is None or row.cancelled_at is not None:
        return []
    missing = [registration.participant for registration in roster(row).missing]
    return sorted((p for p in missing if p.anonymised_at is None), key=lambda p: (p.search_name, p.id))


def day_extras(day: date, baskets) -> dict:
    """The day page's extra lists, as template variables."""
    return {
        "missing": expected_not_come(day),
        "exited": exited_scans(day),
        "contents": basket_contents([basket.basket_id for basket in baskets]),
        "no_basket": access_without_basket(day),
    }
