"""Faults tried for real on the production server: killed mid-stream, disk full, disk read-only,
a lock held past the busy timeout. Every acknowledged write must survive; nothing half-written."""

import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from kiosk.models import DeviceKind
from tests.browser.conftest import LiveServer
from tests.conftest import ON_POSTGRES
from tests.trust.conftest import Device, seed

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="faults of the box's own SQLite file")


def stored(db_file: Path) -> tuple[set[str], int, str]:
    """Basket keys, today's check-ins and the integrity verdict, read straight from the file."""
    with sqlite3.connect(db_file) as connection:
        keys = {row[0] for row in connection.execute("SELECT idempotency_key FROM basket")}
        checkins = connection.execute("SELECT COUNT(*) FROM check_in").fetchone()[0]
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return keys, checkins, verdict


def stream(kiosk, tablet, codes, acked, stop):
    """Check-ins and baskets as fast as they go, noting every acknowledged one, until stopped."""
    n = 0
    while not stop.is_set() and n < len(codes):
        try:
            if kiosk.checkin(codes[n]).status_code in (200, 201):
                acked["checkins"].add(codes[n])
            key = str(uuid.uuid4())
            if tablet.basket(codes[n], key).status_code in (200, 201):
                acked["baskets"].add(key)
        except requests.RequestException:
            return
        n += 1


def test_sigkill_mid_stream_loses_no_acknowledged_write(tmp_path, database_url):
    """Killed with SIGKILL in the middle of check-ins and baskets, does the box keep every
    acknowledged write, with a sound database, three times in a row?"""
    acked = {"checkins": set(), "baskets": set()}
    codes = []
    for round_number, pause in enumerate((0.8, 1.5, 2.5)):
        server = LiveServer(tmp_path / f"run{round_number}", database_url)
        if not codes:
            codes = seed(server.app, 400)
        kiosk, tablet = Device(server, DeviceKind.KIOSK), Device(server, DeviceKind.TABLET)
        todo = [code for code in codes if code not in acked["checkins"]]
        stop = threading.Event()
        writer = threading.Thread(target=stream, args=(kiosk, tablet, todo, acked, stop))
        writer.start()
        time.sleep(pause)
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
        stop.set()
        writer.join(timeout=30)
        server.log.close()
    keys, checkins, verdict = stored(Path(database_url.removeprefix("sqlite:///")))
    assert verdict == "ok"
    assert acked["baskets"] and acked["baskets"] <= keys, "an acknowledged basket was lost"
    assert checkins >= len(acked["checkins"]) > 0, "an acknowledged check-in was lost"
    print(f"3 SIGKILLs: {len(acked['checkins'])} check-ins and {len(acked['baskets'])} baskets acknowledged, "
          f"{checkins} check-ins and {len(keys)} baskets stored, none lost")
    restarted = LiveServer(tmp_path / "after", database_url)
    try:
        assert requests.get(restarted.url + "/healthz", timeout=5).status_code == 200
    finally:
        restarted.stop()


@pytest.fixture
def tiny_disk(tmp_path):
    """A real, small filesystem (tmpfs) mounted for the test; root only (CI runs as root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_refuses_plainly_and_reads_still_work(tmp_path, tiny_disk, migrated_template):
    """When the disk is full, is a write refused with a clear message (503), nothing half-written,
    reads still answered, and does writing work again once there is room?"""
    db_file = tiny_disk / "box.sqlite3"
    db_file.write_bytes(Path(migrated_template).read_bytes())
    server = LiveServer(tmp_path, f"sqlite:///{db_file}")
    try:
        codes = seed(server.app, 30)
        tablet = Device(server, DeviceKind.TABLET)
        assert tablet.basket(codes[0]).status_code == 201
        filler = tiny_disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True)
        answers = [tablet.basket(code) for code in codes[1:]]
        refused = [a for a in answers if a.status_code != 201]
        assert refused, "the disk never filled up"
        assert {a.status_code for a in refused} == {503}
        assert "disque plein" in refused[0].json()["error"]
        acked = 1 + sum(a.status_code == 201 for a in answers)
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 503  # cannot be written
        filler.unlink()
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
        assert tablet.basket(codes[-1], str(uuid.uuid4())).status_code in (201, 422)
    finally:
        server.stop()
    keys, _checkins, verdict = stored(db_file)
    assert verdict == "ok"
    assert len(keys) in (acked, acked + 1)


@pytest.fixture
def failing_sd_card(tmp_path):
    """A real ext4 filesystem on a loop device, mounted errors=remount-ro like a Raspberry Pi's card;
    `fail()` makes the kernel force it read-only, as it does when the card goes bad (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a loop device needs root")
    image, mount_point = tmp_path / "card.img", tmp_path / "card"
    mount_point.mkdir()
    subprocess.run(["truncate", "-s", "16M", str(image)], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
    subprocess.run(["mount", "-o", "loop,errors=remount-ro", str(image), str(mount_point)], check=True)
    device = Path(subprocess.check_output(["findmnt", "-n", "-o", "SOURCE", str(mount_point)], text=True).strip()).name

    def fail():
        Path(f"/sys/fs/ext4/{device}/trigger_fs_error").write_text("test\n")

    yield mount_point, fail
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_read_only_card_refuses_writes_and_keeps_reading(tmp_path, failing_sd_card, migrated_template):
    """When the card turns read-only under the running server, are writes refused with a clear 503,
    nothing half-written, and reads still answered?"""
    mount_point, fail = failing_sd_card
    db_file = mount_point / "box.sqlite3"
    db_file.write_bytes(Path(migrated_template).read_bytes())
    server = LiveServer(tmp_path / "server", f"sqlite:///{db_file}")
    try:
        codes = seed(server.app, 5)
        kiosk = Device(server, DeviceKind.KIOSK)
        assert kiosk.checkin(codes[0]).status_code == 201
        fail()
        refused = kiosk.checkin(codes[1])
        assert refused.status_code == 503
        assert "protégé en écriture" in refused.json()["error"]
        assert kiosk.checkin(codes[0]).status_code == 200  # a read: already checked in today
        # CONTRACT.md, "The box's clock": /healthz says when the database cannot be written.
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 503
    finally:
        server.stop()
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as connection:
        assert connection.execute("SELECT COUNT(*) FROM check_in").fetchone()[0] == 1
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_lock_held_past_the_busy_timeout_is_503_then_nothing_lost(tmp_path, database_url):
    """With the database locked longer than the busy timeout, is a check-in answered 503 "réessayez",
    and does the kiosk's retry then store it exactly once?"""
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("SQLITE_BUSY_TIMEOUT_MS = 800\n")
    server = LiveServer(tmp_path, database_url)
    db_file = Path(database_url.removeprefix("sqlite:///"))
    try:
        codes = seed(server.app, 2)
        kiosk = Device(server, DeviceKind.KIOSK)
        blocker = sqlite3.connect(db_file, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            busy = kiosk.checkin(codes[0])
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert busy.status_code == 503
        assert "réessayez" in busy.json()["error"]
        assert kiosk.checkin(codes[0]).status_code == 201
        assert kiosk.checkin(codes[0]).status_code == 200
    finally:
        server.stop()
    assert stored(db_file)[1:] == (1, "ok")
