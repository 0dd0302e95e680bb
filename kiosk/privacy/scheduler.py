"""Running retention by itself while the box serves: when the server starts, then every 24 h.

Each gunicorn worker has a small daemon thread that checks every hour whether a run is due: never
run, not run since this server started, or last run 24 h ago or more. The first to see it due
claims the "lock row" (the server's value `retention_last_run`: one run serves every site) in a write transaction: on SQLite the
write lock (BEGIN IMMEDIATE), on PostgreSQL the row lock (SELECT ... FOR UPDATE) make the other
workers wait; they then see the fresh date and do nothing. So two workers never run it together.
The run itself goes in small batches, each its own transaction, so check-ins never wait long.
So this thread commits by itself, on purpose: it runs outside any request or command, and is its
own unit of work (the claim, then each batch).
"""

import logging
import os
import threading
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError

from kiosk.platform.extensions import db
from kiosk.privacy.retention import RetentionResult, run_retention
from kiosk.settings import get_server_value, set_server_value
from kiosk.platform.timezone import utcnow

LAST_RUN_KEY = "retention_last_run"
INTERVAL = timedelta(hours=24)
CHECK_EVERY_SECONDS = 3600
BATCH = 50

log = logging.getLogger(__name__)


def last_run() -> datetime | None:
    """When retention last ran (from the lock row), or None."""
    value = get_server_value(LAST_RUN_KEY)
    return datetime.fromisoformat(value) if value is not None else None


def mark_run(now: datetime) -> None:
    """Write the time of a run in the lock row (flushes, never commits)."""
    set_server_value(LAST_RUN_KEY, now.isoformat())


def claim_run(now: datetime, started_at: datetime | None = None) -> bool:
    """In the current write transaction: take the lock row if a run is due."""
    previous = last_run_for_update()
    if previous is not None:
        since_start = started_at is not None and previous < started_at
        if not since_start and now - previous < INTERVAL:
            return False
    mark_run(now)
    return True


def last_run_for_update() -> datetime | None:
    value = get_server_value(LAST_RUN_KEY, for_update=True)
    return datetime.fromisoformat(value) if value is not None else None


def run_if_due(app, now: datetime | None = None, started_at: datetime | None = None) -> RetentionResult | None:
    """Claim the run, then anonymise in batches; None when it was not due (or another worker has it)."""
    with app.app_context():
        now = now or utcnow()
        try:
            if not claim_run(now, started_at):
                db.session.rollback()
                return None
            db.session.commit()
            total = None
            while True:
                part = run_retention(now, limit=BATCH)
                db.session.commit()
                if total is None:
                    total = part
                else:
                    total.anonymised += part.anonymised
                    total.audit_deleted += part.audit_deleted
                if len(part.anonymised) < BATCH:
                    return total
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


class RetentionScheduler(threading.Thread):
    """The daily run inside one worker process; a daemon thread, stop() ends it sooner."""

    def __init__(self, app, started_at: datetime, check_every: float = CHECK_EVERY_SECONDS):
        super().__init__(name="retention", daemon=True)
        self.app = app
        self.started_at = started_at
        self.check_every = check_every
        self.stopping = threading.Event()
        self.runs: list[RetentionResult] = []

    def run(self) -> None:
        while not self.stopping.is_set():
            self.check_once()
            self.stopping.wait(self.check_every)

    def check_once(self) -> None:
        try:
            result = run_if_due(self.app, started_at=self.started_at)
        except OperationalError as exc:  # another worker held the lock too long: next hour
            log.info("retention postponed: %s", exc.orig)
        except Exception:  # a failed run must not end the thread; it is tried again next hour
            log.exception("retention run failed")
        else:
            if result is not None:
                self.runs.append(result)
                log.info("retention: %d anonymised, %d audit events deleted",
                         len(result.anonymised), result.audit_deleted)

    def stop(self) -> None:
        self.stopping.set()


def scheduler_wanted(app) -> bool:
    """Off with RETENTION_SCHEDULER = False in instance/config.py or KIOSK_RETENTION_SCHEDULER=0 (a benchmark)."""
    return bool(app.config.get("RETENTION_SCHEDULER", True)) and os.environ.get("KIOSK_RETENTION_SCHEDULER") != "0"


def start_scheduler(app, started_at: datetime) -> RetentionScheduler | None:
    """Start this worker's retention thread, unless it is switched off."""
    if not scheduler_wanted(app):
        return None
    scheduler = RetentionScheduler(app, started_at, app.config.get("RETENTION_CHECK_SECONDS", CHECK_EVERY_SECONDS))
    scheduler.start()
    return scheduler
