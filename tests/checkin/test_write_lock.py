"""A scan and SQLite's write lock: only a first scan of the day needs it, and only for its INSERT."""

import sqlite3
from pathlib import Path

import pytest

from kiosk.extensions import db
from kiosk.models import CheckIn, DeviceKind
from tests.conftest import sqlite_only

pytestmark = sqlite_only


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
