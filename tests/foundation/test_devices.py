"""Device enrolment: a one-time path gives a long-lived, revocable cookie."""

from kiosk.devices.services import add_device, revoke_device
from kiosk.platform.extensions import db
from kiosk.models import Device, DeviceKind


def test_enrolment_path_works_once(app, client):
    """Does the path set the device cookie and lead to the kiosk screen, then answer 404?"""
    _device, path = add_device("Borne", DeviceKind.KIOSK)
    db.session.commit()
    response = client.get(path)
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == "/kiosk"
    cookie = client.get_cookie("cepourmoi_device")
    assert cookie is not None and cookie.http_only
    assert client.get("/kiosk").status_code == 200
    assert app.test_client().get(path).status_code in (404, 410)


def test_tablet_enrolment_leads_to_the_tablet(app, client):
    """Does a tablet's enrolment lead to the tablet screen?"""
    _device, path = add_device("Tablette 1", DeviceKind.TABLET)
    db.session.commit()
    assert client.get(path).headers["Location"] == "/tablet"


def test_revoked_device_loses_access_at_once(app, make_device):
    """Does revoking a device make its next request unauthenticated?"""
    kiosk = make_device(DeviceKind.KIOSK, name="Borne")
    assert kiosk.get("/kiosk").status_code == 200
    revoke_device(db.session.scalar(db.select(Device).where(Device.name == "Borne")))
    db.session.commit()
    assert kiosk.get("/kiosk").status_code == 302
    assert kiosk.post("/api/checkins", json={"code": "X"}).status_code == 401


def test_device_token_is_stored_only_as_a_digest(app, client):
    """Is the cookie's token absent from the database (only its digest is kept)?"""
    _device, path = add_device("Borne", DeviceKind.KIOSK)
    db.session.commit()
    client.get(path)
    token = client.get_cookie("cepourmoi_device").value
    stored = db.session.scalar(db.select(Device).where(Device.name == "Borne"))
    assert stored.token_digest and token not in (stored.token_digest, stored.enrolment_digest)
