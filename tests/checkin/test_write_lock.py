"""A scan and SQLite: only a first scan of the day takes the write lock, only for its INSERT, and
a database out of reach is a 503."""

import sqlite3
from pathlib import Path

import pytest

from kiosk.checkin.services import check_in_by_card
from kiosk.platform.extensions import db
from kiosk.models import CheckIn, DeviceKind, WorkshopDay
from kiosk.platform.timezone import local_day
from tests.conftest import sqlite_only

pytestmark = [sqlite_only, pytest.mark.usefixtures("pattern_today")]  # scans happen today: a pattern day


@pytest.fixture
def app_config():
    return {"SQLITE_BUSY_TIMEOUT_MS": 300}


@pytest.fixture
def writer_elsewhere(database_url):
    """Another process's connection, in the middle of writing (it holds the write lock)."""
    connection = sqlite3.connect(Path(database_url.removeprefix("sqlite:///")), isolation_level=None)

    class Writer:
        def hold(self):
            connection.execute("BEGIN IMMEDIATE")

        def release(self):
            if connection.in_transaction:
                connection.execute("ROLLBACK")

    writer = Writer()
    yield writer
    writer.release()
    connection.close()


def test_a_second_scan_is_answered_while_another_writer_holds_the_database(
        app, make_device, make_participant, writer_elsewhere):
    """Is a second scan of the day answered "already" even while the database is being written
    elsewhere (it writes nothing, so it waits for no one), while a first scan then gets 503?"""
    kiosk = make_device(DeviceKind.KIOSK)
    _fatima, fatima_code = make_participant("Fatima")
    _karim, karim_code = make_participant("Karim", "Haddad")
    assert kiosk.post("/api/checkins", json={"code": fatima_code}).status_code == 201
    db.session.commit()

    writer_elsewhere.hold()
    again = kiosk.post("/api/checkins", json={"code": fatima_code})
    assert again.status_code == 200 and again.get_json()["status"] == "already"
    busy = kiosk.post("/api/checkins", json={"code": karim_code})
    assert busy.status_code == 503
    writer_elsewhere.release()
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 1


def test_the_write_lock_is_free_again_after_each_scan(app, make_device, make_participant):
    """After first scans, refused scans and second scans, can the next write take the lock at once?"""
    kiosk = make_device(DeviceKind.KIOSK)
    codes = [make_participant(f"Personne{i}", "Test")[1] for i in range(3)]
    db.session.commit()
    statuses = [kiosk.post("/api/checkins", json={"code": code}).status_code
                for code in (codes[0], "BCDEFGHIJKLNOPRSTUVXBCDEFGHIJK", codes[0], codes[1], codes[2])]
    assert statuses == [201, 404, 200, 201, 201]


def test_a_scan_inside_an_open_transaction_stays_in_it(app, make_participant):
    """Called while the session is in a transaction, does a scan read and write in it (it sees
    what the transaction holds, and a rollback takes it back) rather than wait on the write
    queue its own transaction holds?"""
    _participant, code = make_participant("Fatima")
    db.session.add(WorkshopDay(day=local_day()))  # not committed: only this transaction sees the day
    db.session.flush()
    result = check_in_by_card(code)
    assert result.created
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 0


@pytest.fixture
def database_gone(tmp_path):
    """The database's folder disappears (a card pulled out), after the connections were closed."""
    moved = tmp_path.parent / (tmp_path.name + "-gone")

    def remove():
        db.session.remove()
        db.engine.dispose()
        tmp_path.rename(moved)

    yield remove
    if moved.exists():
        moved.rename(tmp_path)


def test_a_scan_without_its_database_is_a_503(app, make_device, make_participant, database_gone):
    """With the database unreachable, is a scan answered 503 with a message, never a 500?"""
    kiosk = make_device(DeviceKind.KIOSK)
    _participant, code = make_participant("Fatima")
    db.session.add(WorkshopDay(day=local_day()))
    db.session.commit()
    database_gone()
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.status_code == 503
    assert response.get_json()["error"]
