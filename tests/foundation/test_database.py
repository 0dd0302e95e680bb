"""SQLite as a box needs it, and the constraints that live in the database itself."""

import time
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.platform.extensions import db
from kiosk.models import Basket, CheckIn, CheckInSource, ProgrammePeriod, WorkshopDay
from kiosk.platform.timezone import utcnow
from tests.conftest import sqlite_only


def pragma(name):
    return db.session.execute(text(f"PRAGMA {name}")).scalar()


@sqlite_only
def test_every_connection_has_the_box_settings(app):
    """Are WAL, synchronous=FULL, foreign keys and a busy timeout on for the app's connections?"""
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 1000


def test_one_checkin_per_participant_per_day_is_a_database_rule(app, make_participant):
    """Does the database itself refuse a second check-in for the same person and day?"""
    participant, _code = make_participant()
    day = WorkshopDay(day=date(2026, 11, 19))
    db.session.add(day)
    for _ in range(2):
        db.session.add(CheckIn(participant=participant, workshop_day=day, checked_in_at=utcnow(),
                               source=CheckInSource.HOST))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_negative_money_is_refused_by_the_database(app, make_participant):
    """Does a negative amount fail the check constraint?"""
    participant, _code = make_participant()
    db.session.add(Basket(participant=participant, served_on=date(2026, 11, 19), idempotency_key="k",
                          request_digest="d", paid_cents=-1))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_idempotency_keys_are_unique(app, make_participant):
    """Does the database refuse two baskets with the same idempotency key?"""
    participant, _code = make_participant()
    for _ in range(2):
        db.session.add(Basket(participant=participant, served_on=date(2026, 11, 19),
                              idempotency_key="same", request_digest="d"))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_foreign_keys_are_enforced(app):
    """Does a check-in pointing at no participant fail?"""
    day = WorkshopDay(day=date(2026, 11, 19))
    db.session.add(day)
    db.session.flush()
    db.session.add(CheckIn(participant_id=9999, workshop_day_id=day.id, checked_in_at=utcnow(),
                           source=CheckInSource.HOST))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_only_one_open_period_per_participant(app, make_participant):
    """Can a participant have two open periods at once? (They must not.)"""
    participant, _code = make_participant()
    db.session.add(ProgrammePeriod(participant=participant, entered_on=date(2026, 1, 1)))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_only_one_working_card_per_participant(app, make_participant):
    """Does issuing a card revoke the previous one, leaving exactly one working card?"""
    from kiosk.cards.services import issue_card

    participant, _first = make_participant()
    issue_card(participant)
    db.session.commit()
    assert sum(card.revoked_at is None for card in participant.cards) == 1
    assert len(participant.cards) == 2


def test_migrations_match_the_models(app):
    """Do the migrations produce exactly the schema the models describe?"""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


@sqlite_only
def test_a_failing_checkpoint_is_said_once_then_its_recovery(tmp_path, caplog):
    """When the database cannot be reached (a card gone read-only, a full disk), does the
    checkpoint thread say so once rather than every second, and say when it works again?"""
    from sqlalchemy import create_engine

    from kiosk.platform.database import WalCheckpointer

    folder = tmp_path / "not-yet"
    engine = create_engine(f"sqlite:///{folder}/box.sqlite3")
    checkpointer = WalCheckpointer(engine, every_seconds=60)
    with caplog.at_level("WARNING", logger="kiosk.platform.database"):
        assert [checkpointer.checkpoint() for _ in range(3)] == [None, None, None]
        folder.mkdir()
        assert checkpointer.checkpoint() is not None
    assert [record.getMessage().split(";")[0] for record in caplog.records] == [
        "WAL checkpoint failed", "WAL checkpoint works again"]
    engine.dispose()


@sqlite_only
def test_a_writer_waiting_past_the_busy_timeout_gets_database_locked(tmp_path):
    """Does a second writer of the same process give up after the busy timeout (then 503), not wait forever?"""
    import threading

    from sqlalchemy.exc import OperationalError

    from kiosk import create_app
    from tests.conftest import test_config

    path = tmp_path / "locked.sqlite3"
    app = create_app(test_config(path, SQLITE_BUSY_TIMEOUT_MS=300))
    holding, done = threading.Event(), threading.Event()

    def hold_the_lock():
        with app.app_context():
            db.session.execute(text("CREATE TABLE IF NOT EXISTS t (a)"))
            holding.set()
            done.wait(5)
            db.session.rollback()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait(5)
    try:
        with app.app_context(), pytest.raises(OperationalError, match="locked"):
            db.session.execute(text("SELECT 1"))
    finally:
        done.set()
        holder.join()
    with app.app_context():
        db.engine.dispose()


@sqlite_only
def test_the_server_checkpoints_the_log_in_the_background(tmp_path):
    """In a server's worker, does no commit copy the log back into the database file itself, and
    does the background thread do it instead? (CLI commands and tests leave it to SQLite.)"""
    from kiosk import create_app
    from tests.conftest import test_config

    plain = create_app(test_config(tmp_path / "cli.sqlite3"))
    with plain.app_context():
        assert pragma("wal_autocheckpoint") == 1000  # CLI commands and tests: SQLite's own way
        db.session.remove()
        db.engine.dispose()
    assert plain.extensions["wal_checkpointer"] is None

    path = tmp_path / "box.sqlite3"
    app = create_app(test_config(path, SERVER_WORKER=True, SQLITE_CHECKPOINT_SECONDS=0.05))
    checkpointer = app.extensions["wal_checkpointer"]
    rows = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                "INSERT INTO filler SELECT randomblob(1200) FROM n")
    try:
        with app.app_context():
            assert pragma("wal_autocheckpoint") == 0
            db.session.execute(text("CREATE TABLE filler (data BLOB)"))
            for _ in range(5):  # about 1,500 pages of log, past SQLite's own threshold of 1,000
                db.session.execute(rows)
            db.session.commit()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and path.stat().st_size < 5 * 1000 * 1200:
            time.sleep(0.05)
        assert path.stat().st_size >= 5 * 1000 * 1200  # the rows are in the database file itself
        busy, in_log, copied = checkpointer.last
        assert busy == 0 and copied == in_log
    finally:
        checkpointer.stop()
        checkpointer.join(5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@sqlite_only
def test_the_connection_given_back_last_is_the_next_one_taken(app):
    """A quiet box keeps serving from its warmest connection (pool_use_lifo), so that each pooled
    connection does not fill its own page cache with the same pages (the bench's rss_mb)."""
    pool = db.engine.pool
    first, second = pool.connect(), pool.connect()
    first_driver, second_driver = first.dbapi_connection, second.dbapi_connection
    first.close()
    second.close()
    again = pool.connect()
    try:
        assert again.dbapi_connection is second_driver is not first_driver
    finally:
        again.close()
