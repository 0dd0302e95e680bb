"""The centre's calendar day and clock: times are stored in UTC and shown in the centre's zone."""

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from kiosk.platform import clock


def centre_zone() -> ZoneInfo:
    """The centre's zone (KIOSK_TIMEZONE, Europe/Paris by default)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, from the box's one clock (kiosk/platform/clock.py)."""
    return clock.now()


def local_day(moment: datetime | None = None) -> date:
    """The centre's calendar day at a moment (now by default)."""
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(centre_zone()).date()


def to_local(moment: datetime) -> datetime:
    """A stored UTC time in the centre's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(centre_zone())


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of a local calendar day."""
    zone = centre_zone()
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.fromordinal(day.toordinal() + 1).replace(tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2200  # days outside this make no sense for a centre, and break time zones


def parse_iso_date(text: str) -> date | None:
    """A strict YYYY-MM-DD date between 1900 and 2200, or None when it is not one."""
    if not isinstance(text, str) or not ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
