"""What each enrolled device's pages report: that it is there, and what its clock says."""

from datetime import datetime, timezone

from sqlalchemy import update

from kiosk.models import Device
from kiosk.platform.clock import now
from kiosk.platform.extensions import db

# A gap beyond this between a device's clock and the box's is shown on the status page.
CLOCK_GAP_SHOWN_SECONDS = 120
# Milliseconds since 1970 of 2000-01-01 and 2200-01-01: outside, the value is not a clock.
EARLIEST_MS, LATEST_MS = 946_684_800_000, 7_258_118_400_000


class BadDeviceTime(ValueError):
    """The device's time is missing or not a plausible clock reading."""


def read_device_time(value) -> datetime:
    """A browser's Date.now() (milliseconds since 1970) as a UTC time, or BadDeviceTime."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not EARLIEST_MS <= value <= LATEST_MS:
        raise BadDeviceTime(value)
    return datetime.fromtimestamp(value / 1000, timezone.utc)


def record_device_contact(device_id: int, device_time: datetime) -> int:
    """Note that a device was in touch now, and its clock's gap from the box's (seconds; + ahead)."""
    moment = now()
    gap = round((device_time - moment).total_seconds())
    db.session.execute(
        update(Device).where(Device.id == device_id).values(last_seen_at=moment, clock_gap_seconds=gap)
    )
    return gap
