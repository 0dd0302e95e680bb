"""Moving a centre from its SQLite box to PostgreSQL (or, without PostgreSQL, another empty database)."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from kiosk.platform.extensions import db
from tests.conftest import ON_POSTGRES, _postgres_admin, _postgres_url

KIOSK = Path(sys.executable).with_name("kiosk")


@pytest.fixture
def empty_target(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path}/target.sqlite3"
        return
    name = "move_" + uuid.uuid4().hex[:12]
    _postgres_admin(f"CREATE DATABASE {name}")
    yield _postgres_url(name)
    _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_box(tmp_path):
    env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{tmp_path}/box.sqlite3",
           "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_SECRET_KEY": "box-key"}
    for args in (("init-db",), ("demo",)):
        subprocess.run([str(KIOSK), *args], env=env, check=True, capture_output=True, timeout=120)
    return env


def counts(url):
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    finally:
        engine.dispose()


def test_transfer_copies_every_row_and_ids_keep_counting(sqlite_box, empty_target, tmp_path):
    """Does `kiosk transfer` copy every table with identical counts, and can the target take new rows?"""
    result = subprocess.run([str(KIOSK), "transfer", "--to", empty_target], env=sqlite_box,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    source = counts(sqlite_box["KIOSK_DATABASE_URL"])
    assert source["participant"] == 40 and source["check_in"] > 100
    assert counts(empty_target) == source
    moved = {**sqlite_box, "KIOSK_DATABASE_URL": empty_target}
    # The baskets' stored figures came along, equal to a recount of the lines (the demo's made them).
    assert source["basket_month"] > 0
    for env in (sqlite_box, moved):
        checked = subprocess.run([str(KIOSK), "figures", "check"], env=env, capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    added = subprocess.run([str(KIOSK), "participant", "add", "--first-name", "Nouvelle", "--last-name", "Venue"],
                           env=moved, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    assert '"id": 41' in added.stdout.splitlines()[-1]


def test_transfer_refuses_a_target_with_data(sqlite_box, empty_target):
    """Is a target that already holds data refused, in one line, with nothing changed?"""
    first = subprocess.run([str(KIOSK), "transfer", "--to", empty_target], env=sqlite_box,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0
    before = counts(empty_target)
    again = subprocess.run([str(KIOSK), "transfer", "--to", empty_target], env=sqlite_box,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode != 0 and len(again.stderr.strip().splitlines()) == 1
    assert counts(empty_target) == before


def test_transfer_to_a_bad_address_is_one_line(sqlite_box):
    """Is a malformed target address refused in one line?"""
    result = subprocess.run([str(KIOSK), "transfer", "--to", "pas une adresse"], env=sqlite_box,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1


def test_transfer_after_a_basket_cancelled_and_a_checkin_taken_back(sqlite_box, empty_target):
    """Does a box where someone's only basket of a year was cancelled, and a day's only check-in taken
    back, still move with identical counts, its year counts equal to a recount on both sides (the
    target counts the rows anew as they go in; a count back to zero is no row on either side)?"""
    added = subprocess.run([str(KIOSK), "participant", "add", "--first-name", "Seule", "--last-name", "Fois"],
                           env=sqlite_box, capture_output=True, text=True, timeout=120)
    person = json.loads(added.stdout.splitlines()[-1])["id"]
    with sqlite3.connect(sqlite_box["KIOSK_DATABASE_URL"].removeprefix("sqlite:///")) as connection:
        connection.execute("INSERT INTO workshop_day (id, site_id, day, planned) VALUES (9001, 1, '2019-01-03', 0)")
        connection.execute("INSERT INTO check_in (site_id, participant_id, workshop_day_id, checked_in_at, received_at, "
                           "source) VALUES (1, ?, 9001, '2019-01-03 13:00:00', '2019-01-03 13:00:00', 'host')", (person,))
        connection.execute("DELETE FROM check_in WHERE workshop_day_id = 9001")
        connection.execute("INSERT INTO basket (site_id, participant_id, served_on, served_at, idempotency_key, "
                           "request_digest, value_cents, weight_g, paid_cents) "
                           "VALUES (1, ?, '2019-01-03', '2019-01-03 15:00:00', 'only-one', 'x', 500, 2000, 50)", (person,))
        connection.execute("UPDATE basket SET cancelled_at = '2019-01-03 15:05:00' WHERE idempotency_key = 'only-one'")
        assert connection.execute("SELECT count(*) FROM person_year WHERE year = 2019").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM day_attendance WHERE workshop_day_id = 9001").fetchone()[0] == 0
    result = subprocess.run([str(KIOSK), "transfer", "--to", empty_target], env=sqlite_box,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert counts(empty_target) == counts(sqlite_box["KIOSK_DATABASE_URL"])
    for env in (sqlite_box, {**sqlite_box, "KIOSK_DATABASE_URL": empty_target}):
        checked = subprocess.run([str(KIOSK), "figures", "check"], env=env, capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
