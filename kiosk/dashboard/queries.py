"""Read-only queries for one day: the figures of /api/days and everything the day's page shows.

Every query here reads the day only, through indexed columns (WorkshopDay.day, Basket.served_on,
RefusedScan.scanned_at): the cost does not grow with years of history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import aliased

from kiosk.platform.extensions import db
from kiosk.models import (
    Activity,
    Basket,
    CheckIn,
    CheckInSource,
    Device,
    Participant,
    RefusedScan,
    Referrer,
    User,
    WorkshopDay,
)
from kiosk.platform.money import format_cents
from kiosk.platform.timezone import day_bounds_utc


@dataclass(frozen=True)
class DaySummary:
    """The figures of one day, as CONTRACT.md's GET /api/days gives them."""

    day: date
    checkins: int
    baskets: int
    weight_g: int
    value_cents: int
    paid_cents: int

    @property
    def share_percent(self) -> float | None:
        """What the households paid, as a share of the goods' value."""
        return 100 * self.paid_cents / self.value_cents if self.value_cents else None

    def as_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "checkins": self.checkins,
            "baskets": self.baskets,
            "weight_kg": round(self.weight_g / 1000, 3),
            "value_eur": format_cents(self.value_cents),
            "paid_eur": format_cents(self.paid_cents),
        }


def day_summary(day: date) -> DaySummary:
    """The day's figures in one statement: distinct people checked in, baskets not cancelled."""
    checkins = (
        select(func.count(distinct(CheckIn.participant_id)))
        .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
        .where(WorkshopDay.day == day)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            checkins,
            func.count(Basket.id),
            func.coalesce(func.sum(Basket.weight_g), 0),
            func.coalesce(func.sum(Basket.value_cents), 0),
            func.coalesce(func.sum(Basket.paid_cents), 0),
        ).where(Basket.served_on == day, Basket.cancelled_at.is_(None))
    ).one()
    return DaySummary(day, *(int(value or 0) for value in row))


def was_held():
    """SQL condition on WorkshopDay: at least one person came (a planned day nobody came to is not held)."""
    return exists(select(CheckIn.id).where(CheckIn.workshop_day_id == WorkshopDay.id))


def held_day_back(day: date, count: int, include_day: bool = False) -> date | None:
    """The count-th workshop day held before `day` (or on it), going back; None if there were fewer."""
    if count < 1:
        return None
    bound = WorkshopDay.day <= day if include_day else WorkshopDay.day < day
    return db.session.scalar(
        select(WorkshopDay.day)
        .where(bound, was_held())
        .order_by(WorkshopDay.day.desc())
        .offset(count - 1)
        .limit(1)
    )


def neighbour_days(day: date) -> tuple[date | None, date | None]:
    """The workshop days held just before and just after a day (to step through them)."""
    before = held_day_back(day, 1)
    after = db.session.scalar(
        select(WorkshopDay.day).where(WorkshopDay.day > day, was_held()).order_by(WorkshopDay.day).limit(1)
    )
    return before, after


@dataclass
class Arrival:
    participant_id: int
    first_name: str
    last_name: str
    referrer: str | None
    at: datetime
    source: CheckInSource
    recorded_by: str | None
    device: str | None
    previous_visit: date | None = None
    first_time: bool = False
    back_after_absence: bool = False


@dataclass
class DayBasket:
    participant_id: int
    first_name: str
    last_name: str
    served_at: datetime
    weight_g: int
    value_cents: int
    paid_cents: int
    served_by: str | None
    device: str | None
    basket_id: int = 0


@dataclass
class Helper:
    """Someone (or a device) on duty that day: what they recorded."""

    name: str
    is_device: bool
    checkins: int = 0
    baskets: int = 0


@dataclass
class DayDetails:
    summary: DaySummary
    activity: str | None
    absence_days: int
    arrivals: list[Arrival]
    baskets: list[DayBasket]
    cancelled_baskets: int
    helpers: list[Helper]
    refusals: dict[str, list[datetime]] = field(default_factory=dict)
    previous_day: date | None = None
    next_day: date | None = None

    @property
    def first_timers(self) -> list[Arrival]:
        return [a for a in self.arrivals if a.first_time]

    @property
    def returners(self) -> list[Arrival]:
        return [a for a in self.arrivals if a.back_after_absence]

    @property
    def refused_total(self) -> int:
        return sum(len(times) for times in self.refusals.values())


def _user_name(display_name: str | None, username: str | None) -> str | None:
    return display_name or username


def day_arrivals(day: date) -> list[Arrival]:
    """Who checked in that day, in order of arrival, with who recorded it."""
    recorder = aliased(User)
    rows = db.session.execute(
        select(
            Participant.id, Participant.first_name, Participant.last_name, Referrer.name,
            CheckIn.checked_in_at, CheckIn.source, recorder.display_name, recorder.username, Device.name,
        )
        .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
        .join(Participant, CheckIn.participant_id == Participant.id)
        .outerjoin(Referrer, Participant.referrer_id == Referrer.id)
        .outerjoin(recorder, CheckIn.recorded_by_id == recorder.id)
        .outerjoin(Device, CheckIn.device_id == Device.id)
        .where(WorkshopDay.day == day)
        .order_by(CheckIn.checked_in_at, Participant.id)
    ).all()
    return [
        Arrival(pid, first, last, referrer, at, source, _user_name(display, username), device)
        for pid, first, last, referrer, at, source, display, username, device in rows
    ]


def mark_first_and_returning(day: date, arrivals: list[Arrival], absence_days: int) -> None:
    """Who came for the first time, and who came back after missing `absence_days` workshop days."""
    if not arrivals:
        return
    previous = dict(
        db.session.execute(
            select(CheckIn.participant_id, func.max(WorkshopDay.day))
            .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
            .where(CheckIn.participant_id.in_([a.participant_id for a in arrivals]), WorkshopDay.day < day)
            .group_by(CheckIn.participant_id)
        ).all()
    )
    # Absent = no check-in on any of the `absence_days` workshop days held before this one.
    cutoff = held_day_back(day, absence_days)
    for arrival in arrivals:
        arrival.previous_visit = previous.get(arrival.participant_id)
        arrival.first_time = arrival.previous_visit is None
        arrival.back_after_absence = (
            arrival.previous_visit is not None and cutoff is not None and arrival.previous_visit < cutoff
        )


def day_baskets(day: date) -> tuple[list[DayBasket], int]:
    """The day's baskets (not cancelled) in order, and how many were cancelled."""
    server = aliased(User)
    rows = db.session.execute(
        select(
            Participant.id, Participant.first_name, Participant.last_name, Basket.served_at,
            Basket.weight_g, Basket.value_cents, Basket.paid_cents, server.display_name,
            server.username, Device.name, Basket.cancelled_at, Basket.id,
        )
        .join(Participant, Basket.participant_id == Participant.id)
        .outerjoin(server, Basket.served_by_id == server.id)
        .outerjoin(Device, Basket.device_id == Device.id)
        .where(Basket.served_on == day)
        .order_by(Basket.served_at, Basket.id)
    ).all()
    kept = [
        DayBasket(pid, first, last, at, grams, value, paid, _user_name(display, username), device, basket_id)
        for pid, first, last, at, grams, value, paid, display, username, device, cancelled, basket_id in rows
        if cancelled is None
    ]
    return kept, len(rows) - len(kept)


def day_helpers(arrivals: list[Arrival], baskets: list[DayBasket]) -> list[Helper]:
    """The people (and devices) on duty: who recorded check-ins, who served baskets."""
    helpers: dict[tuple[str, bool], Helper] = {}

    def helper(name: str, is_device: bool) -> Helper:
        return helpers.setdefault((name, is_device), Helper(name, is_device))

    for arrival in arrivals:
        if arrival.recorded_by:
            helper(arrival.recorded_by, False).checkins += 1
        elif arrival.device:
            helper(arrival.device, True).checkins += 1
    for basket in baskets:
        if basket.served_by:
            helper(basket.served_by, False).baskets += 1
        elif basket.device:
            helper(basket.device, True).baskets += 1
    return sorted(helpers.values(), key=lambda h: (h.is_device, h.name.casefold()))


def day_refusals(day: date) -> dict[str, list[datetime]]:
    """The cards the kiosk refused that day: the times, by reason."""
    start, end = day_bounds_utc(day)
    refusals: dict[str, list[datetime]] = defaultdict(list)
    for reason, at in db.session.execute(
        select(RefusedScan.reason, RefusedScan.scanned_at)
        .where(RefusedScan.scanned_at >= start, RefusedScan.scanned_at < end)
        .order_by(RefusedScan.scanned_at)
    ):
        refusals[reason].append(at)
    return dict(refusals)


def day_details(day: date, absence_days: int) -> DayDetails:
    """Everything the coordinator's day page shows."""
    activity = db.session.scalar(
        select(Activity.name).join(WorkshopDay, WorkshopDay.activity_id == Activity.id).where(WorkshopDay.day == day)
    )
    arrivals = day_arrivals(day)
    mark_first_and_returning(day, arrivals, absence_days)
    baskets, cancelled = day_baskets(day)
    before, after = neighbour_days(day)
    return DayDetails(
        summary=day_summary(day),
        activity=activity,
        absence_days=absence_days,
        arrivals=arrivals,
        baskets=baskets,
        cancelled_baskets=cancelled,
        helpers=day_helpers(arrivals, baskets),
        refusals=day_refusals(day),
        previous_day=before,
        next_day=after,
    )
