"""Registrations: capacity, the waiting list moving up, referents for their own people only, the roster."""

from datetime import timedelta

import pytest

from kiosk.models import Registration, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.queries import roster
from kiosk.programme.registrations import register, unregister
from kiosk.programme.services import ProgrammeError


@pytest.fixture
def next_week(plan_workshop):
    return plan_workshop(local_day() + timedelta(days=7), "Cuisine", capacity=2)


def test_full_session_puts_people_on_the_waiting_list_and_moves_the_first_up(make_user, make_participant, next_week):
    """With 2 places, is the third person waiting, and given the place when someone unregisters?"""
    coordinator = make_user(Role.COORDINATOR)
    people = [make_participant(name, "Test")[0] for name in ("Fatima", "Karim", "Maëlle", "Loïc")]
    made = [register(next_week.day, person, coordinator) for person in people]
    db.session.commit()
    assert [r.waiting for r in made] == [False, False, True, True]
    moved = unregister(made[0], coordinator)
    db.session.commit()
    assert [r.participant.first_name for r in moved] == ["Maëlle"]
    waiting = db.session.scalars(db.select(Registration).where(Registration.waiting.is_(True))).all()
    assert [r.participant.first_name for r in waiting] == ["Loïc"]


def test_referent_registers_only_their_own_people(client, auth, make_participant, next_week):
    """May a referent register the people they referred, and not someone else's (nothing stored)?"""
    auth.login(Role.REFERENT, referrer_name="Mme Briand")
    mine, _ = make_participant("Fatima", referrer_name="Mme Briand")
    other, _ = make_participant("Karim", referrer_name="M. Texier")
    url = f"/programme/seance/{next_week.day.isoformat()}/inscrire"
    assert client.post(url, data={"participant": mine.id}).status_code == 303
    refused = client.post(url, data={"participant": other.id})
    assert refused.status_code == 422
    assert "que les personnes que vous accompagnez" in refused.get_data(as_text=True)
    assert [r.participant_id for r in db.session.scalars(db.select(Registration))] == [mine.id]
    page = client.get(f"/programme/seance/{next_week.day.isoformat()}").get_data(as_text=True)
    assert "Fatima" in page and "Karim" not in page


def test_roster_says_who_came_and_who_did_not(make_user, make_participant, plan_workshop, make_device):
    """Does today's roster list the expected who came, those who did not, and who came unregistered?"""
    today = plan_workshop(activity="Cuisine")
    coordinator = make_user(Role.COORDINATOR)
    (fatima, code), (karim, _), (loic, loic_code) = (make_participant(n, "Test") for n in ("Fatima", "Karim", "Loïc"))
    register(today.day, fatima, coordinator)
    register(today.day, karim, coordinator)
    db.session.commit()
    kiosk = make_device()
    assert kiosk.post("/api/checkins", json={"code": code}).status_code == 201
    assert kiosk.post("/api/checkins", json={"code": loic_code}).status_code == 201
    db.session.expire_all()
    result = roster(today)
    assert [(r.participant.first_name, c is not None) for r, c in result.expected] == [("Fatima", True), ("Karim", False)]
    assert [r.participant.first_name for r in result.missing] == ["Karim"]
    assert [c.participant.first_name for c in result.walk_ins] == ["Loïc"] and result.came == 2


def test_cancelling_a_day_with_registrations_needs_confirming(client, auth, make_participant, next_week):
    """Is cancelling a session with people registered refused until confirmed, and then done?"""
    coordinator = auth.login()
    person, _ = make_participant("Fatima")
    register(next_week.day, person, coordinator)
    db.session.commit()
    url = f"/programme/seance/{next_week.day.isoformat()}/annuler"
    refused = client.post(url, data={"reason": "Grève"})
    assert refused.status_code == 422 and "cochez la confirmation" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert next_week.cancelled_at is None
    assert client.post(url, data={"reason": "Grève", "confirm": "y"}).status_code == 303
    db.session.expire_all()
    assert next_week.cancelled_at is not None and next_week.cancel_reason == "Grève"


def test_registering_on_a_day_without_workshop_is_refused(make_user, make_participant):
    """Is a registration on a Friday without a session refused with a French message?"""
    coordinator = make_user(Role.COORDINATOR)
    person, _ = make_participant("Fatima")
    today = local_day()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    with pytest.raises(ProgrammeError, match="Pas d'atelier"):
        register(friday, person, coordinator)
