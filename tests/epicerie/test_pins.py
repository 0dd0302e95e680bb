"""Who served (issue 15, point 7): a tablet's volunteer says who they are with a personal PIN."""

import pytest
from werkzeug.security import check_password_hash

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
    other = make_user(Role.VOLUNTEER)
    set_pin(user, "2580")
    set_pin(other, "2580")
    db.session.commit()
    stored = db.session.get(ServerPin, user.id).pin_hash
    # A salted slow hash: the same code gives two different stored values, neither is the code.
    # (Not "2580 not in the hash": its random hexadecimal may contain those digits by chance.)
    assert stored.startswith("scrypt:") and stored != "2580"
    assert stored != db.session.get(ServerPin, other.id).pin_hash
    assert check_password_hash(stored, "2580") and not check_password_hash(stored, "2581")


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


def test_the_served_by_header_never_gives_override_rights(make_device, make_user, household):
    """The coordinator identified, then a volunteer took over: can X-Served-By naming the coordinator
    still pass a limit? (It names who served; only the coordinator on duty now may override.)"""
    from kiosk.epicerie.rules import RulesChange, change_rules
    from tests.epicerie.conftest import line

    change_rules(RulesChange(10, 1, 3000, 2000, enforce="limit"))
    tablet = make_device(DeviceKind.TABLET)
    coordinator = make_user(Role.COORDINATOR, display_name="Coordination")
    volunteer = make_user(Role.VOLUNTEER, display_name="Jean")
    identify(tablet, coordinator, "7391")
    identify(tablet, volunteer)
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"), "override_reason": "Naissance"}
    answer = post_basket(tablet, body, headers={"X-Served-By": str(coordinator.id)})
    assert answer.status_code == 422 and "coordination" in answer.json["errors"]["override_reason"]
    assert db.session.scalar(db.select(db.func.count(Basket.id))) == 0


def test_identifications_end_with_the_shift_and_the_day(make_device, make_user, household, monkeypatch):
    """Is X-Served-By believed for a while after the shift ends (the offline queue), then no more;
    and is yesterday's identification (or the one on duty) forgotten the next day?"""
    from datetime import timedelta

    from kiosk.platform import clock

    tablet = make_device(DeviceKind.TABLET)
    jean = make_user(Role.VOLUNTEER, display_name="Jean")
    identify(tablet, jean)
    assert tablet.post("/tablet/fin-de-service").status_code == 303
    sent = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(jean.id)})
    assert db.session.get(Basket, sent.json["id"]).served_by_id == jean.id  # confirmed before it ended
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(minutes=30))
    late = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(jean.id)})
    assert db.session.get(Basket, late.json["id"]).served_by_id is None
    monkeypatch.setattr(clock, "now", real_now)
    identify(tablet, jean)
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(days=1))
    tomorrow = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(jean.id)})
    assert tomorrow.status_code in (201, 422)
    if tomorrow.status_code == 201:
        assert db.session.get(Basket, tomorrow.json["id"]).served_by_id is None
    assert "Qui sert" in tablet.get("/tablet").text


def test_the_latest_twenty_are_kept_not_the_highest_ids(app):
    """With 21 identifications, is the one dropped the oldest (not the lowest id)?"""
    from datetime import timedelta

    from flask import session

    from kiosk.epicerie import duty
    from kiosk.platform.timezone import utcnow

    with app.test_request_context():
        start = utcnow() - timedelta(minutes=30)
        duty._store([(100 - i, start + timedelta(minutes=i), None) for i in range(21)])
        kept = [entry[0] for entry in session[duty.IDENTIFIED_KEY]]
        assert len(kept) == 20 and 100 not in kept and 80 in kept


def test_wrong_pins_on_one_tablet_do_not_lock_another(make_device, make_user):
    """Five wrong PINs for the coordinator on one tablet: does her right PIN still work on another?"""
    guesser, hers = make_device(DeviceKind.TABLET), make_device(DeviceKind.TABLET)
    coordinator = make_user(Role.COORDINATOR, display_name="Coordination")
    set_pin(coordinator, "7391")
    db.session.commit()
    for _ in range(5):
        guesser.post("/tablet/service", data={"server_id": coordinator.id, "pin": "9999"})
    assert "bloqué" in guesser.post("/tablet/service", data={"server_id": coordinator.id, "pin": "7391"}).text
    assert hers.post("/tablet/service", data={"server_id": coordinator.id, "pin": "7391"}).status_code == 303


def test_the_third_lock_blocks_the_pin_until_it_is_set_again(make_device, make_user, monkeypatch):
    """Locks escalate: after three, does the right PIN stay refused once the quarter of an hour is
    over, until a new PIN is set?"""
    from datetime import timedelta

    from kiosk.platform import clock

    tablet = make_device(DeviceKind.TABLET)
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    set_pin(monique, "2580")
    db.session.commit()
    real_now, shift = clock.now, timedelta()
    monkeypatch.setattr(clock, "now", lambda: real_now() + shift)
    for lock in range(3):
        for _ in range(5):
            tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "9999"})
        shift += timedelta(minutes=16)
    answer = tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "2580"})
    assert answer.status_code == 422 and "bloqué" in answer.text
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "pin.locked")) == 3
    set_pin(monique, "4826")
    db.session.commit()
    assert tablet.post("/tablet/service", data={"server_id": monique.id, "pin": "4826"}).status_code == 303


def test_wrong_tries_are_counted_in_the_database(app, make_user):
    """Is a wrong try added by the database (failures = failures + 1), not from a stale read?"""
    from kiosk.epicerie.pins import check_pin
    from kiosk.models import PinTries

    user = make_user(Role.VOLUNTEER)
    set_pin(user, "2580")
    db.session.commit()
    with pytest.raises(PinError):
        check_pin(user, "9999", "device:1")
    db.session.commit()
    row = db.session.get(PinTries, (user.id, "device:1"))
    # Another worker counted a try meanwhile; ours must add to it, not overwrite it.
    db.session.execute(db.update(PinTries).values(failures=PinTries.failures + 2))
    db.session.commit()
    assert row.failures in (1, 3)
    with pytest.raises(PinError):
        check_pin(user, "9999", "device:1")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(PinTries, (user.id, "device:1")).failures == 4
