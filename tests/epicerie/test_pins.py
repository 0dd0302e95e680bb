"""Who served (issue 15, point 7): a tablet's volunteer says who they are with a personal PIN."""

import pytest

from kiosk.epicerie.pins import PinError, set_pin
from kiosk.models import AuditEvent, Basket, DeviceKind, Role, ServerPin
from kiosk.platform.extensions import db
from tests.epicerie.conftest import basket_body, identify, post_basket


def test_a_name_without_the_right_pin_does_not_serve(make_device, make_user):
    """Does a tapped name with a wrong or missing PIN leave the tablet asking who serves?"""
    tablet = make_device(DeviceKind.TABLET)
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    set_pin(monique, "2580")
    db.session.commit()
    for data in ({"server_id": monique.id}, {"server_id": monique.id, "pin": "1111"},
                 {"server_id": monique.id, "pin": "x" * 50}):
        answer = tablet.post("/tablet/service", data=data)
        assert answer.status_code == 422
        assert "Qui sert" in tablet.get("/tablet").text
    assert identify(tablet, monique, "2580").status_code == 303
    assert 'id="basket-confirm"' in tablet.get("/tablet").text


def test_the_coordinators_name_needs_the_coordinators_pin(make_device, make_user, household):
    """Can a tablet put a basket in the coordinator's name only with the coordinator's PIN?"""
    tablet = make_device(DeviceKind.TABLET)
    coordinator = make_user(Role.COORDINATOR, display_name="Coordination")
    set_pin(coordinator, "7391")
    db.session.commit()
    assert tablet.post("/tablet/service", data={"server_id": coordinator.id, "pin": "2580"}).status_code == 422
    # Nor through the offline queue's header, by someone who did not say the PIN on this tablet.
    volunteer = make_user(Role.VOLUNTEER)
    identify(tablet, volunteer)
    sent = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(coordinator.id)})
    assert db.session.get(Basket, sent.json["id"]).served_by_id == volunteer.id


def test_wrong_pins_lock_the_code(make_device, make_user):
    """After five wrong PINs, is even the right one refused for a while, and is it audited?"""
    tablet = make_device(DeviceKind.TABLET)
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    set_pin(monique, "2580")
    db.session.commit()
    for _ in range(5):
        tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "9999"})
    answer = tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "2580"})
    assert answer.status_code == 422 and "Trop d" in answer.text and "bloqué" in answer.text
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "pin.locked")) is not None
    set_pin(monique, "4826")  # a new code from the coordinator unlocks it
    db.session.commit()
    assert tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "4826"}).status_code == 303


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "0000", "1234", "4321", "١٢٣٤٥", ""])
def test_weak_or_malformed_pins_are_refused(app, make_user, pin):
    with pytest.raises(PinError):
        set_pin(make_user(Role.VOLUNTEER), pin)


def test_pins_are_stored_hashed(app, make_user):
    user = make_user(Role.VOLUNTEER)
    set_pin(user, "2580")
    db.session.commit()
    assert "2580" not in db.session.get(ServerPin, user.id).pin_hash


def test_a_referent_gets_no_pin(app, make_user):
    with pytest.raises(PinError):
        set_pin(make_user(Role.REFERENT), "2580")


def test_a_volunteer_sets_their_own_pin(volunteer_client):
    """Can a logged-in volunteer choose their code, typed twice alike?"""
    assert volunteer_client.get("/epicerie/mon-code").status_code == 200
    differ = volunteer_client.post("/epicerie/mon-code", data={"pin": "2580", "pin_again": "2581"})
    assert differ.status_code == 422 and db.session.scalar(db.select(db.func.count(ServerPin.user_id))) == 0
    assert volunteer_client.post("/epicerie/mon-code", data={"pin": "2580", "pin_again": "2580"}).status_code == 303
    assert db.session.scalar(db.select(db.func.count(ServerPin.user_id))) == 1


def test_the_coordinator_sets_a_volunteers_pin(client, auth, make_user):
    volunteer = make_user(Role.VOLUNTEER, display_name="Jean")
    auth.login(Role.COORDINATOR)
    answer = client.post("/epicerie/codes", data={"user_id": volunteer.id, "pin": "3691", "pin_again": "3691"})
    assert answer.status_code == 303
    assert db.session.get(ServerPin, volunteer.id) is not None


def test_a_volunteer_cannot_set_someone_elses_pin(volunteer_client, make_user):
    other = make_user(Role.VOLUNTEER)
    answer = volunteer_client.post("/epicerie/codes", data={"user_id": other.id, "pin": "3691", "pin_again": "3691"})
    assert answer.status_code == 403


def test_the_cli_sets_a_pin(app, runner, make_user):
    user = make_user(Role.VOLUNTEER, username="jean")
    assert runner.invoke(args=["epicerie", "pin", "jean", "--pin", "3691"]).exit_code == 0
    assert runner.invoke(args=["epicerie", "pin", "jean", "--pin", "1234"]).exit_code != 0
    assert runner.invoke(args=["epicerie", "pin", "nobody", "--pin", "3691"]).exit_code != 0
    assert db.session.get(ServerPin, user.id) is not None
