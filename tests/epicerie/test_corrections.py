"""Correcting and cancelling today's baskets, with an audit trail of amounts only."""

from datetime import timedelta

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Basket, DeviceKind, Role
from kiosk.platform.timezone import local_day
from tests.epicerie.conftest import basket_body, identify, line, post_basket


def audit_for(basket_id: int, action: str) -> AuditEvent:
    return db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.entity == "basket", AuditEvent.entity_id == basket_id, AuditEvent.action == action))


def test_correcting_replaces_lines_and_keeps_what_it_was(volunteer_client, household):
    """Does a correction replace the lines and totals, the audit keeping the amounts before?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    correction = {"lines": [line("frais", 3, 2, "15.00"), line("bebe", 1, 0.25, "4.20")], "paid_eur": "1.92"}
    response = volunteer_client.put(f"/api/baskets/{basket_id}", json=correction)
    assert response.status_code == 200
    assert response.json["value_eur"] == "19.20" and response.json["paid_eur"] == "1.92"
    db.session.expire_all()
    basket = db.session.get(Basket, basket_id)
    assert (basket.value_cents, basket.paid_cents, basket.weight_g) == (1920, 192, 2250)
    assert [(l.category.code, l.quantity) for l in basket.lines] == [("frais", 3), ("bebe", 1)]
    event = audit_for(basket_id, "update")
    assert event.details["before"]["value_cents"] == 1250
    assert event.details["before"]["lines"] == [
        {"category": "frais", "quantity": 2, "weight_g": 1500, "value_cents": 1250}]
    assert set(event.details["fields"]) == {"lines", "paid_cents", "value_cents", "weight_g"}
    assert event.user_id is not None
    assert "Benali" not in str(event.details)


def test_a_bad_correction_changes_nothing(volunteer_client, household):
    """Is an invalid correction refused (422) with the basket left as it was?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    for body in ({"lines": [], "paid_eur": "0"}, {"lines": [line(quantity=0)], "paid_eur": "0"},
                 {"lines": [line()], "paid_eur": "99.00"}, {"participant_id": household.id, "lines": [line()],
                                                           "paid_eur": "1.00"}):
        assert volunteer_client.put(f"/api/baskets/{basket_id}", json=body).status_code == 422, body
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).value_cents == 1250
    assert audit_for(basket_id, "update") is None


def test_cancel_then_cancel_again(volunteer_client, household):
    """Does cancelling mark the basket (who, when), and a second cancel change nothing?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    first = volunteer_client.post(f"/api/baskets/{basket_id}/cancel")
    assert first.status_code == 200 and first.json["cancelled"] is True
    db.session.expire_all()
    basket = db.session.get(Basket, basket_id)
    assert basket.cancelled_at is not None and basket.cancelled_by_id is not None
    again = volunteer_client.post(f"/api/baskets/{basket_id}/cancel")
    assert again.status_code == 200
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "cancel")) == 1
    assert audit_for(basket_id, "cancel").details["before"]["paid_cents"] == 125


def test_a_cancelled_basket_cannot_be_corrected(volunteer_client, household):
    """Is correcting a cancelled basket refused?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    volunteer_client.post(f"/api/baskets/{basket_id}/cancel")
    response = volunteer_client.put(f"/api/baskets/{basket_id}", json={"lines": [line()], "paid_eur": "1.00"})
    assert response.status_code == 422 and "basket" in response.json["errors"]


def test_only_todays_baskets_can_change(volunteer_client, household):
    """Are yesterday's baskets out of reach of corrections and cancelling?"""
    old = Basket(participant=household, served_on=local_day() - timedelta(days=1), idempotency_key="y",
                 request_digest="x", value_cents=100, paid_cents=10)
    db.session.add(old)
    db.session.commit()
    assert volunteer_client.post(f"/api/baskets/{old.id}/cancel").status_code == 422
    assert volunteer_client.put(f"/api/baskets/{old.id}", json={"lines": [line()], "paid_eur": "1.00"}).status_code == 422
    assert volunteer_client.get("/api/baskets").json == []


def test_unknown_basket_is_404(volunteer_client, categories):
    """Does an unknown basket give a JSON 404?"""
    assert volunteer_client.post("/api/baskets/999/cancel").status_code == 404
    assert volunteer_client.put("/api/baskets/999", json={}).status_code == 404


def test_todays_list_shows_first_name_and_initial(volunteer_client, household):
    """Does the list of the day show only the first name and initial, latest first, cancelled marked?"""
    first = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    second = post_basket(volunteer_client, basket_body(household.id, [line("bebe", 1, 0, "2.00")], "0.20")).json["id"]
    volunteer_client.post(f"/api/baskets/{first}/cancel")
    listed = volunteer_client.get("/api/baskets").json
    assert [b["id"] for b in listed] == [second, first]
    assert listed[0]["household"] == "Fatima B." and "Benali" not in str(listed)
    assert listed[1]["cancelled"] is True
    assert listed[0]["served_by"] == "Monique"


def test_a_tablet_cancels_in_the_name_of_the_volunteer_on_duty(make_device, make_user, household):
    """When a tablet cancels, are the volunteer on duty and the device in the record and the audit?"""
    tablet = make_device(DeviceKind.TABLET)
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    identify(tablet, monique)
    basket_id = post_basket(tablet, basket_body(household.id)).json["id"]
    assert tablet.post(f"/api/baskets/{basket_id}/cancel").status_code == 200
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).cancelled_by_id == monique.id
    event = audit_for(basket_id, "cancel")
    assert event.user_id == monique.id and event.device_id is not None
