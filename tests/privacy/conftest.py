"""Dated data for the privacy tests: check-ins, baskets and calls on chosen days."""

from datetime import date, datetime, time, timezone

import pytest

from kiosk.platform.extensions import db
from kiosk.models import (
    Basket,
    BasketLine,
    CallChannel,
    CallOutcome,
    Category,
    CheckIn,
    CheckInSource,
    FollowUpCall,
    WorkshopDay,
)


def noon_utc(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=timezone.utc)


class History:
    """Adds dated rows for a participant (flushes; the test commits)."""

    def __init__(self):
        self._keys = iter(range(1, 1_000_000))

    def workshop_day(self, day: date) -> WorkshopDay:
        found = db.session.scalar(db.select(WorkshopDay).where(WorkshopDay.day == day))
        if found is None:
            found = WorkshopDay(day=day)
            db.session.add(found)
            db.session.flush()
        return found

    def category(self, code="frais") -> Category:
        found = db.session.scalar(db.select(Category).where(Category.code == code))
        if found is None:
            found = Category(code=code, label={"frais": "Produits frais"}.get(code, code.title()))
            db.session.add(found)
            db.session.flush()
        return found

    def checkin(self, participant, day: date) -> CheckIn:
        checkin = CheckIn(participant=participant, workshop_day=self.workshop_day(day),
                          checked_in_at=noon_utc(day), source=CheckInSource.CARD)
        db.session.add(checkin)
        db.session.flush()
        return checkin

    def basket(self, participant, day: date, value_cents=1200, paid_cents=120, weight_g=3500) -> Basket:
        basket = Basket(
            participant=participant, served_on=day, served_at=noon_utc(day),
            idempotency_key=f"test-{next(self._keys)}", request_digest="test",
            value_cents=value_cents, weight_g=weight_g, paid_cents=paid_cents,
            lines=[BasketLine(category=self.category(), quantity=2, weight_g=weight_g, value_cents=value_cents)],
        )
        db.session.add(basket)
        db.session.flush()
        return basket

    def call(self, participant, day: date, note=None) -> FollowUpCall:
        call = FollowUpCall(participant=participant, called_at=noon_utc(day), channel=CallChannel.CALL,
                            outcome=CallOutcome.REACHED, note=note)
        db.session.add(call)
        db.session.flush()
        return call


@pytest.fixture
def history(app):
    return History()
