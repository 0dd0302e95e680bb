"""The `kiosk` command as CONTRACT.md names it, run as a real process: one-line errors, JSON last lines."""

import json
from datetime import date, timedelta
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sqlite_only

KIOSK = Path(sys.executable).with_name("kiosk")


@pytest.fixture
def kiosk(tmp_path, database_url):
    env = {
        **os.environ,
        "KIOSK_DATABASE_URL": database_url,
        "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    env.pop("KIOSK_SECRET_KEY", None)

    def run(*args):
        return subprocess.run([str(KIOSK), *args], env=env, capture_output=True, text=True, timeout=120)

    assert run("init-db").returncode == 0
    return run


def assert_one_line_error(result):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_init_db_is_safe_to_run_again(kiosk):
    """Does a second init-db succeed and keep the data?"""
    created = json.loads(kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali").stdout.splitlines()[-1])
    assert kiosk("init-db").returncode == 0
    again = kiosk("card", "issue", str(created["id"]))
    assert again.returncode == 0


def test_secret_key_is_generated_once_with_mode_0600(kiosk, tmp_path):
    """Is the secret key kept in instance/ with mode 0600?"""
    key = tmp_path / "instance" / "secret_key"
    assert key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_demo_loads_once_then_refuses(kiosk):
    """Does `kiosk demo` fill an empty base, then refuse with one line and a non-zero exit?"""
    first = kiosk("demo")
    assert first.returncode == 0, first.stderr
    assert_one_line_error(kiosk("demo"))
    assert kiosk("demo", "--if-empty").returncode == 0


def test_participant_add_prints_id_and_code(kiosk):
    """Is the last line of participant add JSON {"id", "code"}, and is the code opaque?"""
    result = kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali",
                   "--referrer", "Mme Briand", "--epicerie-until", (date.today() + timedelta(days=90)).isoformat())
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(payload) == {"id", "code"}
    assert "FATIMA" not in payload["code"] and str(payload["id"]) not in payload["code"]
    assert len(payload["code"]) >= 27


def test_participant_add_keeps_to_the_epicerie_cap(kiosk, database_url):
    """Is an épicerie access of more than two years refused by the CLI as by the pages, nothing stored?"""
    result = kiosk("participant", "add", "--first-name", "Awa", "--last-name", "Diallo", "--epicerie-until", "2099-01-31")
    assert_one_line_error(result)
    assert "Deux ans au plus" in result.stderr
    listed = kiosk("participant", "add", "--first-name", "Awa", "--last-name", "Diallo")
    assert listed.returncode == 0, listed.stderr
    from sqlalchemy import create_engine, text  # the database itself: the refused one left nothing behind

    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM participant")).scalar() == 1
    engine.dispose()


def test_card_issue_replaces_the_code(kiosk):
    """Does card issue give a new code each time?"""
    created = json.loads(kiosk("participant", "add", "--first-name", "A", "--last-name", "B").stdout.splitlines()[-1])
    reissued = json.loads(kiosk("card", "issue", str(created["id"])).stdout.splitlines()[-1])
    assert reissued["id"] == created["id"] and reissued["code"] != created["code"]


def test_device_add_last_line_is_the_enrolment_path(kiosk):
    """Is the last line of device add a path starting with /?"""
    result = kiosk("device", "add", "Borne entrée", "--kind", "kiosk")
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1].startswith("/enrol/")


def test_user_add_roles(kiosk):
    """Can each role be created, and a referent only with a referrer?"""
    assert kiosk("user", "add", "coord", "--role", "coordinator", "--password", "longenough").returncode == 0
    assert kiosk("user", "add", "ref", "--role", "referent", "--password", "longenough", "--referrer", "M. Texier").returncode == 0
    assert_one_line_error(kiosk("user", "add", "ref2", "--role", "referent", "--password", "longenough"))


@pytest.mark.parametrize(
    "args",
    [
        ("user", "add", "x", "--role", "boss", "--password", "longenough"),
        ("user", "add", "x", "--role", "volunteer", "--password", "short"),
        ("user", "add", "x y", "--role", "volunteer", "--password", "longenough"),
        ("user", "add", "x"),
        ("device", "add", "Borne", "--kind", "toaster"),
        ("participant", "add", "--first-name", "", "--last-name", "B"),
        ("participant", "add", "--first-name", "A", "--last-name", "B", "--epicerie-until", "31/12/2026"),
        ("participant", "add", "--first-name", "A", "--last-name", "B", "--epicerie-until", "2026-02-30"),
        ("card", "issue", "999"),
        ("card", "issue", "abc"),
        ("backup", "--out", "/nonexistent-dir/x.sqlite3"),
        ("serve", "--port", "0"),
        ("no-such-command",),
    ],
)
def test_bad_input_is_one_line_and_non_zero(kiosk, args):
    """Does every bad input give a one-line message and a non-zero exit, never a traceback?"""
    assert_one_line_error(kiosk(*args))


def test_duplicate_user_and_device_are_refused(kiosk):
    """Is a second user or device with the same name refused in one line?"""
    assert kiosk("user", "add", "coord", "--role", "coordinator", "--password", "longenough").returncode == 0
    assert_one_line_error(kiosk("user", "add", "coord", "--role", "coordinator", "--password", "longenough"))
    assert kiosk("device", "add", "Borne", "--kind", "kiosk").returncode == 0
    assert_one_line_error(kiosk("device", "add", "Borne", "--kind", "tablet"))


@sqlite_only
def test_backup_writes_a_checked_copy(kiosk, tmp_path):
    """Does backup write a copy that SQLite opens and that holds the data?"""
    import sqlite3

    kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali")
    out = tmp_path / "copy.sqlite3"
    result = kiosk("backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT first_name FROM participant").fetchall() == [("Fatima",)]


@sqlite_only
def test_backup_refuses_to_overwrite_the_live_database(kiosk, database_url):
    """Is a backup aimed at the live database file refused, in one line?"""
    assert_one_line_error(kiosk("backup", "--out", database_url.removeprefix("sqlite:///")))


def test_user_password_changes_the_password(kiosk):
    """Does `kiosk user password` change a password, and refuse a short one or an unknown user?"""
    assert kiosk("user", "add", "coord", "--role", "coordinator", "--password", "longenough").returncode == 0
    assert kiosk("user", "password", "coord", "--password", "another-long-one").returncode == 0
    assert_one_line_error(kiosk("user", "password", "coord", "--password", "short"))
    assert_one_line_error(kiosk("user", "password", "nobody", "--password", "another-long-one"))
