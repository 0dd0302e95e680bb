"""Leaving the programme closes what it should (épicerie access, the card), and a return reopens it."""

from datetime import timedelta

import pytest

from kiosk.cards.codes import unseal_code
from kiosk.cards.services import working_card
from kiosk.epicerie.access import has_open_access
from kiosk.epicerie.settings_page import accesses_ending_soon
from kiosk.models import DeviceKind, RefusalReason, RefusedScan
from kiosk.people.services import record_exit
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day


@pytest.fixture
def kiosk(make_device):
    return make_device(DeviceKind.KIOSK)


def leave(client, participant, **options):
    """Post the exit form as a coordinator would, with the given boxes ticked."""
    data = {"left_on": local_day().isoformat(), "reason": "work", **{k: "y" for k, v in options.items() if v}}
    return client.post(f"/participants/{participant.id}/exit", data=data)


def test_exit_form_ticks_closing_the_access_and_stopping_the_card(client, auth, make_participant, workshop_today):
    """Does the exit form offer to close the épicerie access and stop the card, both ticked?"""
    auth.login()
    participant, _code = make_participant(epicerie_until=local_day() + timedelta(days=60))
    page = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    for name in ("close_epicerie", "stop_card"):
        tag = page.split(f'name="{name}"')[0].rsplit("<input", 1)[1] + page.split(f'name="{name}"')[1].split(">", 1)[0]
        assert "checked" in tag, name


def test_exit_with_the_defaults_closes_the_access_and_stops_the_card(client, auth, make_participant, kiosk, workshop_today):
    """After an exit with the defaults, is the access closed after today, the card stopped, the household
    out of the "to renew" list, and the card sent to the host (410 "exited", flagged on the day view)?"""
    auth.login()
    participant, code = make_participant("Fatima", "Benali", epicerie_until=local_day() + timedelta(days=10))
    assert [a.participant_id for a in accesses_ending_soon()] == [participant.id]
    assert leave(client, participant, close_epicerie=True, stop_card=True).status_code == 303
    db.session.expire_all()
    assert not has_open_access(participant, local_day() + timedelta(days=1))
    assert working_card(participant) is None
    assert accesses_ending_soon() == []
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.status_code == 410
    assert response.get_json()["reason"] == "exited"
    assert db.session.scalars(db.select(RefusedScan.reason)).all() == [RefusalReason.EXITED]
    day = client.get("/dashboard").get_data(as_text=True)
    assert "personne sortie du programme" in day and "Fatima Benali" in day


def test_exit_without_the_options_keeps_access_and_card_but_the_card_checks_no_one_in(
        client, auth, make_participant, kiosk, workshop_today):
    """Unticked, do the access and the card stay as they were, while a scan still says "see the host"?"""
    auth.login()
    participant, code = make_participant(epicerie_until=local_day() + timedelta(days=30))
    assert leave(client, participant).status_code == 303
    db.session.expire_all()
    assert has_open_access(participant, local_day() + timedelta(days=5))
    assert working_card(participant) is not None
    response = kiosk.post("/api/checkins", json={"code": code})
    assert (response.status_code, response.get_json()["reason"]) == (410, "exited")


def test_a_return_gives_a_working_card_and_reopens_the_access(client, auth, make_participant, kiosk, workshop_today):
    """Does a return after a full exit make a new card that checks in, and reopen the access when asked?"""
    auth.login()
    participant, old_code = make_participant()
    record_exit(participant, local_day(), "moved", close_epicerie=True, stop_card=True)
    db.session.commit()
    until = local_day() + timedelta(days=90)
    response = client.post(f"/participants/{participant.id}/return",
                           data={"entered_on": local_day().isoformat(), "epicerie_until": until.isoformat()})
    assert response.status_code == 303
    db.session.expire_all()
    assert has_open_access(participant, until)
    card = working_card(participant)
    assert card is not None
    assert kiosk.post("/api/checkins", json={"code": old_code}).get_json()["reason"] == "replaced"
    assert kiosk.post("/api/checkins", json={"code": unseal_code(card.code_sealed)}).status_code == 201


def test_a_return_with_a_bad_access_date_stores_nothing(client, auth, make_participant, workshop_today):
    """Is an épicerie end before the return refused in French, with no period opened?"""
    auth.login()
    participant, _code = make_participant()
    record_exit(participant, local_day(), "moved")
    db.session.commit()
    response = client.post(f"/participants/{participant.id}/return", data={
        "entered_on": local_day().isoformat(), "epicerie_until": (local_day() - timedelta(days=3)).isoformat()})
    assert response.status_code == 422
    assert "La fin est avant le début." in response.get_data(as_text=True)
    db.session.expire_all()
    assert not participant.is_active
