"""The daily retention run while serving: at start, every 24 h, never twice at once across workers."""

import threading
import time
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from kiosk import create_app
from kiosk.platform.extensions import db
from kiosk.models import Participant
from kiosk.people.services import add_participant
from kiosk.privacy import scheduler
from kiosk.privacy.scheduler import RetentionScheduler, last_run, run_if_due, start_scheduler
from tests.conftest import test_config as config_for
from tests.privacy.conftest import noon_utc

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=timezone.utc)


def silent_people(count: int) -> list[int]:
    """People created and last seen in 2020: due for anonymisation in 2025."""
    ids = []
    for number in range(count):
        participant = add_participant(f"Silent{number}", "Test", entered_on=date(2020, 3, 5))
        participant.created_at = noon_utc(date(2020, 3, 5))
        ids.append(participant.id)
    db.session.commit()
    return ids


def anonymised_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(Participant.anonymised_at.is_not(None)))


def test_runs_when_due_only(app):
    """Does it run the first time, not again within 24 h, again after 24 h, and again after a server start?"""
    silent_people(1)
    assert run_if_due(app, NOW) is not None
    assert last_run() == NOW
    db.session.rollback()  # outside a request every transaction takes SQLite's write lock: let go
    assert run_if_due(app, NOW + timedelta(hours=23)) is None
    assert run_if_due(app, NOW + timedelta(hours=24)) is not None
    restarted = NOW + timedelta(hours=25)
    assert run_if_due(app, restarted + timedelta(minutes=1), started_at=restarted) is not None
    assert run_if_due(app, restarted + timedelta(minutes=2), started_at=restarted) is None
    assert anonymised_count() == 1


def test_batches_cover_everyone(app, monkeypatch):
    """With more people due than a batch holds, is everyone anonymised in one run?"""
    monkeypatch.setattr(scheduler, "BATCH", 4)
    ids = silent_people(10)
    result = run_if_due(app, NOW)
    assert sorted(result.anonymised) == ids
    assert anonymised_count() == 10


def test_two_workers_at_once_run_it_once(app, db_path):
    """When two worker processes' threads wake up together, does exactly one of them run it?"""
    silent_people(3)
    workers = [create_app(config_for(db_path)) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def wake(worker_app):
        barrier.wait()
        results.append(run_if_due(worker_app, NOW))

    threads = [threading.Thread(target=wake, args=(worker_app,)) for worker_app in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ran = [result for result in results if result is not None]
    assert len(results) == 2 and len(ran) == 1
    assert len(ran[0].anonymised) == 3
    for worker_app in workers:
        with worker_app.app_context():
            db.engine.dispose()


def test_the_thread_runs_at_start_and_stops(app, db_path):
    """Does a worker's thread run retention as soon as it starts, and end when asked?"""
    silent_people(2)
    worker_app = create_app(config_for(db_path))
    thread = start_scheduler(worker_app, started_at=datetime.now(timezone.utc))
    deadline = time.monotonic() + 30
    while not thread.runs and time.monotonic() < deadline:
        time.sleep(0.05)
    thread.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(thread.runs) == 1 and len(thread.runs[0].anonymised) == 2
    assert anonymised_count() == 2
    with worker_app.app_context():
        db.engine.dispose()


def test_the_thread_survives_a_failed_run(app, monkeypatch):
    """If a run fails, does the thread log it and keep going rather than die?"""
    def broken(*_args, **_kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(scheduler, "run_if_due", broken)
    thread = RetentionScheduler(app, started_at=NOW)
    thread.check_once()
    assert thread.runs == []


def test_the_scheduler_can_be_switched_off(db_path):
    """With RETENTION_SCHEDULER = False, is no thread started?"""
    quiet_app = create_app(config_for(db_path, RETENTION_SCHEDULER=False))
    assert start_scheduler(quiet_app, started_at=NOW) is None


def test_the_scheduler_can_be_switched_off_from_the_environment(db_path, monkeypatch):
    """With KIOSK_RETENTION_SCHEDULER=0 (a benchmark's server), is no thread started?"""
    monkeypatch.setenv("KIOSK_RETENTION_SCHEDULER", "0")
    assert start_scheduler(create_app(config_for(db_path)), started_at=NOW) is None
