"""Faults that once misled: the true cause and the safe action when `kiosk serve` cannot start."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import KIOSK_BIN
from tests.conftest import sqlite_only

pytestmark = sqlite_only


def serve(database: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{database}", "KIOSK_SECRET_KEY": "test-secret-key",
           "KIOSK_INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.run([str(KIOSK_BIN), "serve", "--host", "127.0.0.1", "--port", "1"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_missing_database_says_so_and_creates_nothing(tmp_path):
    """With no database file, does `kiosk serve` say it is missing and what to run, in one line,
    without creating an empty file or printing a traceback?"""
    database = tmp_path / "absent.sqlite3"
    result = serve(database, tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "introuvable" in lines[0] and "kiosk init-db" in lines[0], result.stderr
    assert not database.exists()


@pytest.fixture
def read_only_disk(tmp_path, migrated_template):
    """A real filesystem holding a sound database, then remounted read-only (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)], check=True)
    shutil.copy(migrated_template, mount_point / "box.sqlite3")
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    yield mount_point / "box.sqlite3"
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_read_only_disk_is_not_called_damage(read_only_disk, tmp_path):
    """On a read-only disk, does `kiosk serve` say the disk is read-only and NOT to restore a
    backup (the data is fine; restoring would lose what was recorded since)?"""
    result = serve(read_only_disk, tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "lecture seule" in lines[0] and "ne restaurez pas" in lines[0]
    assert "abîmée" not in lines[0].replace("ne sont pas abîmées", "")
