"""Small things an attacker noticed: file modes of the database, the device cookie's lifetime."""

import stat
from pathlib import Path

import pytest

from kiosk.models import DeviceKind
from kiosk.platform.extensions import db
from tests.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="files of SQLite")
def test_database_and_its_wal_and_shm_are_for_the_owner_only(app, db_path, make_participant):
    """Are the database file and its -wal and -shm mode 0600, also when the file was 0644 before?"""
    db.session.remove()
    db.engine.dispose()
    Path(db_path).chmod(0o644)
    make_participant()  # connects and writes: -wal and -shm exist
    for path in (Path(db_path), Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_device_cookie_lives_400_days_and_is_renewed_on_use(app, make_device):
    """Does a device's cookie last 400 days (not ten years), renewed by each request it makes?"""
    kiosk = make_device(DeviceKind.KIOSK)
    response = kiosk.get("/kiosk")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("cepourmoi_device="))
    assert "Max-Age=34560000" in cookie and "HttpOnly" in cookie


def test_the_device_cookie_lifetime_is_a_setting(app, make_device):
    """Does DEVICE_COOKIE_DAYS set the lifetime given at enrolment?"""
    app.config["DEVICE_COOKIE_DAYS"] = 30
    kiosk = make_device(DeviceKind.KIOSK)
    response = kiosk.get("/kiosk")
    assert any("Max-Age=2592000" in value for value in response.headers.getlist("Set-Cookie"))


def test_a_revoked_device_gets_no_renewed_cookie(app, make_device):
    """Does a revoked device's request get no fresh cookie?"""
    from kiosk.devices.services import revoke_device
    from kiosk.models import Device

    kiosk = make_device(DeviceKind.KIOSK)
    for device in db.session.scalars(db.select(Device)):
        revoke_device(device)
    db.session.commit()
    response = kiosk.get("/kiosk")
    assert not any(v.startswith("cepourmoi_device=") for v in response.headers.getlist("Set-Cookie"))
