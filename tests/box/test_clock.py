"""The box's clock under libfaketime, against the real server (CONTRACT.md, "The box's clock")."""

import uuid
from datetime import datetime, timedelta, timezone

from kiosk.checkin.services import check_in_by_card
from kiosk.models import AuditEvent, Basket, CheckIn, DeviceKind
from kiosk.platform.extensions import db
from tests.box.conftest import add_household, coordinator_session, kiosk_session


def stored(live, model) -> list:
    with live.app.app_context():
        rows = db.session.scalars(db.select(model)).all()
        db.session.remove()
        return rows


def basket_body(participant_id: int) -> dict:
    return {"participant_id": participant_id, "paid_eur": "0.50",
            "lines": [{"category": "frais", "quantity": 1, "weight_kg": 1, "value_eur": "2.50"}]}


def store_a_checkin_now(live) -> datetime:
    """A check-in stored at the real time, by the in-process app (not under faketime)."""
    _pid, code = add_household(live, "Awa")
    with live.app.app_context():
        result = check_in_by_card(code)
        db.session.commit()
        return result.checked_in_at


def test_a_clock_behind_the_stored_data_dates_nothing_until_the_coordinator_sets_it(fake_clock_server):
    """With the box's clock 10 minutes behind the latest stored check-in, are check-ins and baskets
    refused with 503 "suspect" (nothing stored, the Idempotency-Key left unused), is a kiosk's
    offline scan still dated by its scanned_at, and does one tap from the coordinator's device
    make the box date things again, audited?"""

    live = fake_clock_server("-10m")
    latest = store_a_checkin_now(live)
    household, code = add_household(live, "Fatima")
    coordinator, token = coordinator_session(live)
    headers = {"X-CSRFToken": token}

    refused = coordinator.post(live.url + "/api/checkins", json={"code": code}, headers=headers)
    assert refused.status_code == 503
    assert refused.json()["clock"] == "suspect" and refused.json()["error"]
    key = str(uuid.uuid4())
    basket = coordinator.post(live.url + "/api/baskets", json=basket_body(household),
                              headers={**headers, "Idempotency-Key": key})
    assert basket.status_code == 503 and basket.json()["clock"] == "suspect"
    assert len(stored(live, CheckIn)) == 1 and stored(live, Basket) == []
    assert "L'horloge de la boîte retarde" in coordinator.get(live.url + "/dashboard").text

    kiosk, kiosk_token = kiosk_session(live)
    offline = (latest + timedelta(seconds=30)).astimezone(timezone(timedelta(hours=1)))
    scanned = kiosk.post(live.url + "/api/checkins", json={"code": code, "scanned_at": offline.isoformat()},
                         headers={"X-CSRFToken": kiosk_token})
    assert scanned.status_code == 201
    assert datetime.fromisoformat(scanned.json()["checked_in_at"]) == offline.replace(microsecond=0)
    assert kiosk.post(live.url + "/api/checkins", json={"code": code},
                      headers={"X-CSRFToken": kiosk_token}).status_code == 503

    device_time = int(datetime.now(timezone.utc).timestamp() * 1000)
    answer = coordinator.post(live.url + "/boite/horloge", data={"csrf_token": token, "device_time": device_time},
                              allow_redirects=False)
    assert answer.status_code == 303
    assert [e.action for e in stored(live, AuditEvent) if e.action == "box.clock_set"] == ["box.clock_set"]
    basket = coordinator.post(live.url + "/api/baskets", json=basket_body(household),
                              headers={**headers, "Idempotency-Key": key})
    assert basket.status_code == 201
    (served,) = stored(live, Basket)
    assert abs(served.served_at - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert "L'horloge de la boîte retarde" not in coordinator.get(live.url + "/dashboard").text


def test_a_clock_within_five_minutes_of_the_stored_data_is_trusted(fake_clock_server):
    """Is a clock 3 minutes behind the latest stored check-in (under the 5-minute margin) trusted?"""
    live = fake_clock_server("-3m")
    store_a_checkin_now(live)
    household, _code = add_household(live, "Fatima")
    coordinator, token = coordinator_session(live)
    basket = coordinator.post(live.url + "/api/baskets", json=basket_body(household),
                              headers={"X-CSRFToken": token, "Idempotency-Key": str(uuid.uuid4())})
    assert basket.status_code == 201


def test_devices_report_their_clock_and_a_gap_over_two_minutes_is_shown(fake_clock_server):
    """Does a tablet whose clock is 5 minutes ahead of the box's show on the status page with its
    gap, and an on-time kiosk without one?"""
    live = fake_clock_server("-5m")
    coordinator, _token = coordinator_session(live)
    device_now = int(datetime.now(timezone.utc).timestamp() * 1000)
    for kind, name in ((DeviceKind.TABLET, "ahead"), (DeviceKind.KIOSK, "on time")):
        session, token = kiosk_session(live, kind)
        sent = device_now if name == "ahead" else device_now - 5 * 60 * 1000
        answer = session.post(live.url + "/api/box/device-clock", json={"device_time": sent},
                              headers={"X-CSRFToken": token})
        assert answer.status_code == 200
        assert abs(answer.json()["clock_gap_seconds"] - (300 if name == "ahead" else 0)) < 20
    page = coordinator.get(live.url + "/boite").text
    assert page.count("décalée de") == 1
    assert "jamais" not in page
