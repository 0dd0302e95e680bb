"""The calendar's rule: which dates are workshop days, and the next one after a date.

A workshop day is a date the calendar plans (a session planned one by one, or a day of the weekly
pattern) and that is not cancelled. A pattern day is only written down as a `WorkshopDay` row when
something happens on it (a scan, a registration, a cancellation), so the rule reads both the rows
and the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from kiosk.platform.numbers import ascii_int
from kiosk.models import WorkshopDay
from kiosk.platform.extensions import db
from kiosk.settings import get_setting

HORIZON_DAYS = 366  # "within a year": the next workshop is looked for this far ahead


@dataclass(frozen=True)
class WeeklyPattern:
    """The workshop's weekly day (None: no weekly workshop) and its hours."""

    weekday: int | None
    starts: time
    ends: time


@dataclass(frozen=True)
class Session:
    """A date of the calendar as people see it: a row, or a pattern day not written down yet."""

    day: date
    id: int | None
    activity: str | None
    pictogram: str | None
    capacity: int | None
    room: str | None
    note: str | None
    planned: bool
    cancelled: bool
    cancel_reason: str | None

    @property
    def is_workshop(self) -> bool:
        return not self.cancelled


class NoWorkshopDay(Exception):
    """A check-in on a day that is not a workshop day; carries the next workshop (or None)."""

    def __init__(self, day: date, next_session: Session | None):
        super().__init__(day.isoformat())
        self.day = day
        self.next_session = next_session

    @property
    def message(self) -> str:
        """« Pas d'atelier aujourd'hui. Prochain atelier : jeudi 10 décembre, cuisine »."""
        return no_workshop_message(self.next_session)


def _time(text: str, default: time) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return default


def weekly_pattern() -> WeeklyPattern:
    """The weekly pattern from the centre's settings (every Thursday, 14:00-17:00 by default)."""
    weekday = ascii_int(get_setting("workshop_weekday"), max_digits=1)
    return WeeklyPattern(
        weekday if weekday is not None and weekday < 7 else None,
        _time(get_setting("workshop_starts"), time(14)),
        _time(get_setting("workshop_ends"), time(17)),
    )


def session_of(row: WorkshopDay | None, day: date, pattern: WeeklyPattern) -> Session | None:
    """The session on `day` from its row (if any) and the pattern; None when the day has none."""
    if row is None:
        if pattern.weekday != day.weekday():
            return None
        return Session(day, None, None, None, None, None, None, False, False, None)
    activity = row.activity
    return Session(
        day, row.id, activity.name if activity else None, activity.pictogram if activity else None,
        row.capacity, row.room, row.note, row.planned, row.cancelled_at is not None, row.cancel_reason,
    )


def rows_between(start: date, end: date) -> dict[date, WorkshopDay]:
    """The written-down days from start to end (both included), by date."""
    rows = db.session.scalars(
        db.select(WorkshopDay).options(joinedload(WorkshopDay.activity))
        .where(WorkshopDay.day >= start, WorkshopDay.day <= end)
    ).unique()
    return {row.day: row for row in rows}


def sessions_between(start: date, end: date) -> list[Session]:
    """Every session from start to end (cancelled ones included), in date order."""
    pattern = weekly_pattern()
    rows = rows_between(start, end)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    sessions = (session_of(rows.get(day), day, pattern) for day in days)
    return [session for session in sessions if session is not None]


def workshop_day_for(day: date) -> Session | None:
    """The session held on `day`, or None when `day` is not a workshop day (none, or cancelled)."""
    found = sessions_between(day, day)
    return found[0] if found and found[0].is_workshop else None


def next_workshop_after(day: date) -> Session | None:
    """The first workshop day after `day`, within a year; None when none is planned."""
    upcoming = sessions_between(day + timedelta(days=1), day + timedelta(days=HORIZON_DAYS))
    return next((session for session in upcoming if session.is_workshop), None)


def require_workshop_day(day: date) -> None:
    """Raise NoWorkshopDay (with the next workshop) unless `day` is a workshop day."""
    if workshop_day_for(day) is None:
        raise NoWorkshopDay(day, next_workshop_after(day))


def spoken_day(day: date) -> str:
    """« jeudi 10 décembre » in French, "Thursday 10 December" in English."""
    return format_date(day, _("EEEE d MMMM"))


def no_workshop_message(next_session: Session | None) -> str:
    """What the kiosk and the host desk say on a day without a workshop."""
    if next_session is None:
        return _("Pas d'atelier aujourd'hui.")
    if next_session.activity:
        return _("Pas d'atelier aujourd'hui. Prochain atelier : %(day)s, %(activity)s",
                 day=spoken_day(next_session.day), activity=next_session.activity)
    return _("Pas d'atelier aujourd'hui. Prochain atelier : %(day)s", day=spoken_day(next_session.day))
