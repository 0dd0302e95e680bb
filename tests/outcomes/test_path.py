"""A person's path: milestones, self-assessments, situations and the optional demographics."""

from datetime import date

import pytest

from kiosk.models import Milestone, MilestoneKind, Moment, Participant, Role, SelfAssessment, Situation
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day


def kind_id(code):
    return db.session.scalar(db.select(MilestoneKind.id).where(MilestoneKind.code == code))


def test_coordinator_adds_and_removes_a_milestone(client, auth, make_participant):
    """Is a dated milestone stored from the path page, shown, and removable?"""
    auth.login(Role.COORDINATOR)
    person, _code = make_participant()
    response = client.post(f"/parcours/{person.id}/etapes",
                           data={"kind": kind_id("sortir_obtained"), "happened_on": "2025-03-06"})
    assert response.status_code == 303
    stored = db.session.scalars(db.select(Milestone)).all()
    assert [(m.participant_id, m.kind.code, m.happened_on) for m in stored] == [
        (person.id, "sortir_obtained", date(2025, 3, 6))]
    html = client.get(f"/parcours/{person.id}").get_data(as_text=True)
    assert "Carte SORTIR obtenue" in html and "06/03/2025" in html
    assert client.post(f"/parcours/{person.id}/etapes/{stored[0].id}/supprimer").status_code == 303
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 0


@pytest.mark.parametrize("data, message", [
    ({"kind": "999", "happened_on": "2025-03-06"}, "Choisissez une étape"),
    ({"happened_on": "2099-01-01"}, "La date doit être passée"),
    ({"happened_on": "31/02/2025"}, "Indiquez la date"),
])
def test_bad_milestone_is_refused_in_french(client, auth, make_participant, data, message):
    """Is an unknown kind, a future date or a broken date refused with a French message and nothing stored?"""
    auth.login(Role.COORDINATOR)
    person, _code = make_participant()
    data = {"kind": kind_id("rights_opened"), **data}
    response = client.post(f"/parcours/{person.id}/etapes", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 0


def test_referent_sees_only_their_own_people(client, auth, make_participant):
    """Does a referent reach the path of someone they referred, and get 404 for anyone else?"""
    mine, _c = make_participant("Awa", "Traoré", referrer_name="Mme Briand")
    other, _c = make_participant("Loïc", "Moreau", referrer_name="M. Texier")
    auth.login(Role.REFERENT, referrer_name="Mme Briand")
    assert client.get(f"/parcours/{mine.id}").status_code == 200
    assert client.get(f"/parcours/{other.id}").status_code == 404
    assert client.post(f"/parcours/{other.id}/etapes",
                       data={"kind": kind_id("job_contract"), "happened_on": "2025-01-02"}).status_code == 404
    assert client.post(f"/parcours/{mine.id}/etapes",
                       data={"kind": kind_id("job_contract"), "happened_on": "2025-01-02"}).status_code == 303


def test_volunteer_may_not_see_a_path(client, auth, make_participant):
    """Is the path closed to volunteers?"""
    person, _c = make_participant()
    auth.login(Role.VOLUNTEER)
    assert client.get(f"/parcours/{person.id}").status_code == 403


def test_self_assessment_is_stored_and_replaced(client, auth, make_participant):
    """Are the five answers stored for the moment, blanks allowed, and a second rating replacing the first?"""
    auth.login(Role.COORDINATOR)
    person, _c = make_participant()
    url = f"/parcours/{person.id}/ressenti/entry"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"food": "1", "social": "2", "money": "4"}).status_code == 303
    assert client.post(url, data={"food": "2", "social": "2", "esteem": "3"}).status_code == 303
    rows = db.session.scalars(db.select(SelfAssessment)).all()
    assert [(r.moment, r.food, r.social, r.esteem, r.money, r.rights, r.assessed_on) for r in rows] == [
        (Moment.ENTRY, 2, 2, 3, None, None, local_day())]
    assert 'value="3" checked' in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("data", [{}, {"food": "5"}, {"food": "0"}])
def test_self_assessment_out_of_scale_stores_nothing(client, auth, make_participant, data):
    """Is an empty form or an answer outside 1–4 refused, nothing stored?"""
    auth.login(Role.COORDINATOR)
    person, _c = make_participant()
    response = client.post(f"/parcours/{person.id}/ressenti/exit", data=data)
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True) or \
        "flash-error" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SelfAssessment.id))) == 0


def test_situation_at_entry_and_exit(client, auth, make_participant):
    """Are the entry and exit situations stored apart, with empty answers kept empty?"""
    auth.login(Role.COORDINATOR)
    person, _c = make_participant()
    client.post(f"/parcours/{person.id}/situation", data={
        "moment": "entry", "recorded_on": "2025-01-09", "employment": "job_seeker", "in_training": "no",
        "resources": "rsa"})
    client.post(f"/parcours/{person.id}/situation", data={
        "moment": "exit", "recorded_on": "2025-06-05", "employment": "employed", "in_training": ""})
    rows = {s.moment: (s.recorded_on, s.employment, s.in_training, s.resources)
            for s in db.session.scalars(db.select(Situation))}
    assert rows == {Moment.ENTRY: (date(2025, 1, 9), "job_seeker", False, "rsa"),
                    Moment.EXIT: (date(2025, 6, 5), "employed", None, None)}


def test_demographics_are_optional_and_checked(client, auth, make_participant):
    """Are year of birth, sex, adults and children stored when given, empty when not, refused when absurd?"""
    auth.login(Role.COORDINATOR)
    person, _c = make_participant()
    url = f"/parcours/{person.id}/reperes"
    assert client.post(url, data={"birth_year": "1980", "sex": "x", "adults": "2", "children": "3"}).status_code == 303
    db.session.expire_all()
    p = db.session.get(Participant, person.id)
    assert (p.birth_year, p.sex, p.adults, p.children, p.household_size) == (1980, "x", 2, 3, 5)
    assert client.post(url, data={"birth_year": "", "sex": "", "adults": "", "children": ""}).status_code == 303
    db.session.expire_all()
    p = db.session.get(Participant, person.id)
    assert (p.birth_year, p.sex, p.adults, p.children) == (None, None, None, None)
    response = client.post(url, data={"birth_year": "1850"})
    assert response.status_code == 422 and "Année de naissance entre" in response.get_data(as_text=True)
    response = client.post(url, data={"sex": "z"})
    assert response.status_code == 422


def test_the_centre_extends_the_list(client, auth, make_participant):
    """Can the coordinator add a step of their own, offered on every path, and not twice?"""
    auth.login(Role.COORDINATOR)
    person, _c = make_participant()
    assert client.post("/parcours/etapes", data={"label": "Permis de conduire obtenu"}).status_code == 303
    assert client.post("/parcours/etapes", data={"label": "permis de conduire obtenu"}).status_code == 303
    kinds = db.session.scalars(db.select(MilestoneKind).where(MilestoneKind.code.like("custom_%"))).all()
    assert [(k.code, k.label) for k in kinds] == [("custom_permis_de_conduire_obtenu", "Permis de conduire obtenu")]
    assert "Permis de conduire obtenu" in client.get(f"/parcours/{person.id}").get_data(as_text=True)
