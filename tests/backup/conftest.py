"""Helpers for the backup tests: the real `kiosk` command on a test database, and a damaged file."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.platform.extensions import db

KIOSK_BIN = Path(sys.executable).with_name("kiosk")
PASSPHRASE = "une phrase de passe assez longue"


@pytest.fixture
def kiosk(db_path, tmp_path):
    """Run the installed `kiosk` command on the test database: kiosk("backup", "--out", f, env={...})."""

    def run(*args, env=None, timeout=120):
        db.session.remove()  # never hold SQLite's write lock while another process works
        environment = {
            **os.environ,
            "KIOSK_DATABASE_URL": f"sqlite:///{db_path}",
            "KIOSK_SECRET_KEY": "test-secret-key",
            "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        environment.pop("KIOSK_BACKUP_PASSPHRASE", None)
        environment.update(env or {})
        return subprocess.run([str(KIOSK_BIN), *map(str, args)], env=environment, capture_output=True,
                              text=True, timeout=timeout)

    return run


def checkpoint(path) -> None:
    """Move everything from the WAL into the main file (so the file alone holds the data)."""
    db.session.remove()
    db.engine.dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def damage(path) -> None:
    """Scribble over the cell pointers of the participant table's first page: quick_check fails."""
    checkpoint(path)
    connection = sqlite3.connect(path)
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'participant'").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * 32)


def names_in(path) -> set[str]:
    """The participants' first names in a database file."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT first_name FROM participant")}
    finally:
        connection.close()
