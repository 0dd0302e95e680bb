"""Read-only questions about the programme: a session's roster, the calendar's weeks, and the
figures by session and by activity (registered, came, rate) for the dashboard and the year's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

from kiosk.models import Activity, CheckIn, DayAttendance, Participant, Registration, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.programme.calendar import sessions_between  # noqa: F401  (the calendar's list, read here too)


@dataclass
class Roster:
    """Who was expected at a session, who came, who did not, who came without registering."""

    expected: list[tuple[Registration, CheckIn | None]] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    walk_ins: list[CheckIn] = field(default_factory=list)

    @property
    def came(self) -> int:
        return sum(1 for _registration, checkin in self.expected if checkin) + len(self.walk_ins)

    @property
    def missing(self) -> list[Registration]:
        return [registration for registration, checkin in self.expected if checkin is None]


def roster(row: WorkshopDay | None, visible=lambda participant: True) -> Roster:
    """The roster of a session, limited to the participants `visible` lets through."""
    result = Roster()
    if row is None:
        return result
    checkins = {checkin.participant_id: checkin for checkin in row.checkins}
    for registration in row.registrations:
        if not visible(registration.participant):
            continue
        if registration.waiting:
            result.waiting.append(registration)
        else:
            result.expected.append((registration, checkins.pop(registration.participant_id, None)))
    result.waiting.sort(key=lambda r: (r.registered_at, r.id))
    result.walk_ins = sorted((c for c in checkins.values() if visible(c.participant)), key=lambda c: c.checked_in_at)
    return result


@dataclass(frozen=True)
class SessionFigures:
    """A session's attendance: registered (with a place), came (all check-ins), and the rate of
    registered people who came (None when nobody registered)."""

    day: date
    activity: str | None
    cancelled: bool
    registered: int
    came: int
    registered_came: int

    @property
    def rate(self) -> float | None:
        return self.registered_came / self.registered if self.registered else None


def _figures_query(start: date, end: date):
    registered = (select(func.count(Registration.id))
                  .where(Registration.workshop_day_id == WorkshopDay.id, Registration.waiting.is_(False))
                  .correlate(WorkshopDay).scalar_subquery())
    # The day's check-ins as the database keeps them (kiosk/models/figures.py): a network's year has
    # 10,400 sessions and 520,000 check-ins.
    came = func.coalesce(DayAttendance.checkins, 0)
    registered_came = (
        select(func.count(Registration.id))
        .join(CheckIn, and_(CheckIn.workshop_day_id == Registration.workshop_day_id,
                            CheckIn.participant_id == Registration.participant_id))
        .where(Registration.workshop_day_id == WorkshopDay.id, Registration.waiting.is_(False))
        .correlate(WorkshopDay).scalar_subquery()
    )
    return (
        select(WorkshopDay.day, Activity.name, WorkshopDay.cancelled_at.is_not(None), registered, came,
               registered_came)
        .select_from(WorkshopDay).outerjoin(Activity, Activity.id == WorkshopDay.activity_id)
        .outerjoin(DayAttendance, DayAttendance.workshop_day_id == WorkshopDay.id)
        .where(WorkshopDay.day >= start, WorkshopDay.day <= end)
        .order_by(WorkshopDay.day)
    )


def attendance_by_session(start: date, end: date) -> list[SessionFigures]:
    """Each written-down session from start to end with its figures (cancelled ones marked)."""
    return [SessionFigures(day, name, bool(cancelled), int(r or 0), int(c or 0), int(rc or 0))
            for day, name, cancelled, r, c, rc in db.session.execute(_figures_query(start, end))]


@dataclass(frozen=True)
class ActivityFigures:
    """An activity's attendance over a span: sessions held, registered, came, rate."""

    activity: str | None
    sessions: int
    registered: int
    came: int
    registered_came: int

    @property
    def rate(self) -> float | None:
        return self.registered_came / self.registered if self.registered else None

    def as_dict(self) -> dict:
        return {"activity": self.activity, "sessions": self.sessions, "registered": self.registered,
                "came": self.came, "rate": round(self.rate, 3) if self.rate is not None else None}


def attendance_by_activity(start: date, end: date,
                           sessions: list[SessionFigures] | None = None) -> list[ActivityFigures]:
    """The sessions held (not cancelled, at least one check-in or registration) grouped by activity
    (`sessions`: `attendance_by_session(start, end)` when the caller has already read it)."""
    groups: dict[str | None, list[SessionFigures]] = {}
    for figures in sessions if sessions is not None else attendance_by_session(start, end):
        if figures.cancelled or not (figures.came or figures.registered):
            continue
        groups.setdefault(figures.activity, []).append(figures)
    return sorted(
        (ActivityFigures(name, len(rows), sum(r.registered for r in rows), sum(r.came for r in rows),
                         sum(r.registered_came for r in rows)) for name, rows in groups.items()),
        key=lambda figures: (-figures.came, figures.activity or ""),
    )


def year_attendance(year: int) -> dict:
    """The year's figures by activity and by session, as plain values (for the yearly report)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    sessions = attendance_by_session(start, end)
    return {
        "by_activity": [figures.as_dict() for figures in attendance_by_activity(start, end, sessions)],
        "by_session": [{"date": s.day.isoformat(), "activity": s.activity, "cancelled": s.cancelled,
                        "registered": s.registered, "came": s.came,
                        "rate": round(s.rate, 3) if s.rate is not None else None}
                       for s in sessions],
    }


def registrable_people(referrer_id: int | None = None) -> list[Participant]:
    """People in the programme one may register (a referent's own only, when referrer_id is given)."""
    from kiosk.models import active_participants_filter

    query = select(Participant).where(active_participants_filter())
    if referrer_id is not None:
        query = query.where(Participant.referrer_id == referrer_id)
    return list(db.session.scalars(query.order_by(Participant.last_name, Participant.first_name)))


def active_activities() -> list[Activity]:
    return list(db.session.scalars(select(Activity).where(Activity.active.is_(True)).order_by(Activity.name)))


def all_activities() -> list[Activity]:
    return list(db.session.scalars(select(Activity).order_by(Activity.active.desc(), Activity.name)))


def cancelled_sessions(start: date, end: date) -> list[WorkshopDay]:
    """The sessions cancelled from start to end (for the trend chart's marks)."""
    return list(db.session.scalars(
        select(WorkshopDay).where(WorkshopDay.day >= start, WorkshopDay.day <= end, WorkshopDay.cancelled_at.is_not(None))
        .order_by(WorkshopDay.day)
    ))
