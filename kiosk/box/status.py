"""The figures of the coordinator's status page: is the box well, and since when?"""

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, text

from kiosk.box.devices import CLOCK_GAP_SHOWN_SECONDS
from kiosk.models import Device
from kiosk.platform.clock import ClockState, clock_state, now
from kiosk.platform.extensions import db

LAST_BACKUP_FILE = "last-backup.json"
BACKUP_WARNING_AGE = timedelta(days=2)
PROCESS_STARTED = time.monotonic()


@dataclass(frozen=True)
class LastBackup:
    at: datetime
    where: list[str]
    encrypted: bool
    age: timedelta

    @property
    def stale(self) -> bool:
        return self.age > BACKUP_WARNING_AGE


@dataclass(frozen=True)
class BoxStatus:
    version: str
    box_uptime: timedelta | None
    server_uptime: timedelta
    clock: ClockState
    disk_free_bytes: int
    disk_total_bytes: int
    database_bytes: int | None
    last_backup: LastBackup | None
    devices: list
    gateway: str | None


def app_version() -> str:
    try:
        return metadata.version("cepourmoi-kiosk")
    except metadata.PackageNotFoundError:
        return "?"


def box_uptime() -> timedelta | None:
    try:
        return timedelta(seconds=float(Path("/proc/uptime").read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None


def database_bytes() -> int | None:
    """The database's size on disk (with SQLite's log), or PostgreSQL's own count."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        base = Path(url.database or "")
        return sum(p.stat().st_size for p in (base, Path(f"{base}-wal")) if p.is_file())
    return db.session.execute(text("SELECT pg_database_size(current_database())")).scalar()


def record_last_backup(at: datetime, where: list[str], encrypted: bool) -> None:
    """Written by `kiosk box backup` after it succeeds; read by the status page."""
    path = Path(current_app.instance_path) / LAST_BACKUP_FILE
    path.write_text(json.dumps({"at": at.isoformat(), "where": where, "encrypted": encrypted}))


def last_backup() -> LastBackup | None:
    path = Path(current_app.instance_path) / LAST_BACKUP_FILE
    try:
        data = json.loads(path.read_text())
        at = datetime.fromisoformat(data["at"])
        return LastBackup(at=at, where=list(data["where"]), encrypted=bool(data["encrypted"]), age=now() - at)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def gateway() -> str | None:
    """The SMS gateway's host and port (never its password), when one is configured."""
    from kiosk.messages.gateways import gateway_url

    url = gateway_url()  # the environment's or the centre's own (KIOSK_SMS_URL is read into SMS_URL)
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "?")


def device_rows() -> list[dict]:
    devices = db.session.scalars(select(Device).where(Device.revoked_at.is_(None)).order_by(Device.name))
    return [
        {"name": d.name, "kind": d.kind.value, "last_seen_at": d.last_seen_at, "gap": d.clock_gap_seconds,
         "gap_shown": d.clock_gap_seconds is not None and abs(d.clock_gap_seconds) > CLOCK_GAP_SHOWN_SECONDS}
        for d in devices
    ]


def box_status() -> BoxStatus:
    """Everything the status page shows, read now."""
    disk = shutil.disk_usage(current_app.instance_path)
    return BoxStatus(
        version=app_version(),
        box_uptime=box_uptime(),
        server_uptime=timedelta(seconds=time.monotonic() - PROCESS_STARTED),
        clock=clock_state(fresh=True),
        disk_free_bytes=disk.free,
        disk_total_bytes=disk.total,
        database_bytes=database_bytes(),
        last_backup=last_backup(),
        devices=device_rows(),
        gateway=gateway(),
    )
