"""The box's one clock: `now()`, and whether it can be trusted (CONTRACT.md, "The box's clock").

A Raspberry Pi has no battery clock: after a power cut it may believe it is an earlier day. The
box then dates nothing by itself until the clock is past the latest time it already stored.

When the coordinator sets the time from their own device, the box tries to set the system clock
(only when it may: `KIOSK_CLOCK_SET_SYSTEM`, which the installed service sets, with the single
capability CAP_SYS_TIME). Otherwise, and in any case until the next reboot, it keeps an *anchor*:
the true time at a moment of the monotonic clock, in `instance/clock-anchor.json`, tied to this
boot (`/proc/sys/kernel/random/boot_id`). `now()` reads the anchor while it holds; a reboot
or the system clock catching up (a LAN time source) makes it fall away by itself.
"""

import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import DateTime, text


# The contract's margin: behind the latest stored time by more than this, the clock is suspect.
SUSPECT_MARGIN = timedelta(minutes=5)
# An offline kiosk's scan may be dated this far before the latest stored time while suspect.
OFFLINE_WINDOW = timedelta(days=7)
# Within this, the system clock and the anchor agree: the system clock is used again.
AGREEMENT = timedelta(minutes=2)
# The latest stored time is read again after this long (it only moves forward with our own now()).
LATEST_TTL_SECONDS = 20.0
ANCHOR_FILE = "clock-anchor.json"
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
# The latest rows by id hold the latest times: rows are dated by this clock as they arrive, and an
# offline kiosk's rows are older, never newer. Reading a few hundred avoids a full scan, and an index.
LATEST_STORED = text(
    "SELECT max(t) FROM ("
    " SELECT max(checked_in_at) AS t FROM (SELECT checked_in_at FROM check_in ORDER BY id DESC LIMIT 200) c"
    " UNION ALL SELECT max(received_at) FROM (SELECT received_at FROM check_in ORDER BY id DESC LIMIT 200) r"
    " UNION ALL SELECT max(served_at) FROM (SELECT served_at FROM basket ORDER BY id DESC LIMIT 200) b"
    ") latest"
).columns(t=DateTime())


class ClockSuspect(Exception):
    """The box's clock is behind what it already stored: answered 503 {"error", "clock": "suspect"}."""


@dataclass(frozen=True)
class ClockState:
    now: datetime
    latest: datetime | None
    anchored: bool

    @property
    def trusted(self) -> bool:
        return self.latest is None or self.now >= self.latest - SUSPECT_MARGIN


_lock = threading.Lock()
_anchor_cache: dict = {"path": None, "mtime": None, "anchor": None}
_latest_cache: dict = {"key": None, "value": None, "at": -1e9}


def _boot_id() -> str:
    try:
        return BOOT_ID_FILE.read_text().strip()
    except OSError:
        return "unknown"


def system_now() -> datetime:
    """The system clock, as it is."""
    return datetime.now(timezone.utc)


def anchor_path() -> Path | None:
    return Path(current_app.instance_path) / ANCHOR_FILE if has_app_context() else None


def _anchor() -> dict | None:
    """The anchor of this boot, read again only when its file changes."""
    path = anchor_path()
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    if _anchor_cache["path"] != path or _anchor_cache["mtime"] != mtime:
        try:
            anchor = json.loads(path.read_text())
            anchor = anchor if anchor.get("boot_id") == _boot_id() else None
        except (OSError, ValueError, AttributeError):
            anchor = None
        _anchor_cache.update(path=path, mtime=mtime, anchor=anchor)
    return _anchor_cache["anchor"]


def _anchored_now(system: datetime) -> datetime | None:
    anchor = _anchor()
    if anchor is None:
        return None
    try:
        anchored = datetime.fromisoformat(anchor["utc"]) + timedelta(seconds=time.monotonic() - anchor["monotonic"])
    except (KeyError, TypeError, ValueError):
        return None
    return None if abs(anchored - system) <= AGREEMENT else anchored


def now() -> datetime:
    """The current time, timezone-aware UTC: the system clock, or the coordinator's anchor."""
    system = system_now()
    return _anchored_now(system) or system


def _as_utc(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def latest_stored(fresh: bool = False) -> datetime | None:
    """The latest check-in or basket time stored (cached a few seconds per process)."""
    from kiosk.platform.extensions import db

    key = str(db.engine.url)
    moment = time.monotonic()
    with _lock:
        if not fresh and _latest_cache["key"] == key and moment - _latest_cache["at"] < LATEST_TTL_SECONDS:
            return _latest_cache["value"]
    row = db.session.execute(LATEST_STORED).first()  # in the request's own transaction
    value = _as_utc(row[0] if row else None)
    with _lock:
        _latest_cache.update(key=key, value=value, at=moment)
    return value


def clock_state(fresh: bool = False) -> ClockState:
    """Now, the latest stored time, and whether the clock is trusted."""
    system = system_now()
    anchored = _anchored_now(system)
    return ClockState(now=anchored or system, latest=latest_stored(fresh), anchored=anchored is not None)


def offline_scan_time(body, is_kiosk: bool, latest: datetime) -> datetime | None:
    """A kiosk's `scanned_at` that may date a check-in while the clock is suspect, else None."""
    value = body.get("scanned_at") if is_kiosk and isinstance(body, dict) else None
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment < latest - OFFLINE_WINDOW:
        return None
    return moment


def _request_json():
    from flask import request

    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def require_trusted_clock(kiosk_scan: bool = False) -> datetime:
    """Raise ClockSuspect unless the clock is trusted (or, for a kiosk's check-in, its offline
    scan time may date it); return the time the request's times are checked against."""
    state = clock_state()
    if state.trusted:
        return state.now
    scanned = offline_scan_time(_request_json(), kiosk_scan, state.latest)
    if scanned is None:
        raise ClockSuspect()
    return max(state.latest, scanned.astimezone(timezone.utc))


def anchor_clock(true_now: datetime) -> None:
    """Keep the true time against this boot's monotonic clock (the fallback to setting it)."""
    path = anchor_path()
    payload = {"boot_id": _boot_id(), "monotonic": time.monotonic(), "utc": true_now.isoformat()}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload))
    os.replace(temporary, path)


def set_system_clock(true_now: datetime) -> bool:
    """Set the system clock when this process may (CAP_SYS_TIME); False otherwise."""
    if not current_app.config.get("CLOCK_SET_SYSTEM"):
        return False
    try:
        time.clock_settime(time.CLOCK_REALTIME, true_now.timestamp())
    except (PermissionError, OSError):
        return False
    path = anchor_path()
    path.unlink(missing_ok=True)
    return True
