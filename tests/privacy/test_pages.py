"""The notice, one person's data (page and file), the retention setting and the audit trail."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, EpicerieAccess, Role
from kiosk.cards.services import issue_card
from kiosk.settings import get_setting, set_setting
from kiosk.platform.timezone import local_day

DATA_URLS = ("/confidentialite/participants/{id}", "/confidentialite/participants/{id}/donnees.json",
             "/confidentialite/gestion", "/confidentialite/journal")


def test_notice_is_public_and_says_how_long(client):
    """Can anyone read the notice, and does it give the retention period that is set?"""
    set_setting("retention_years", "3")
    db.session.commit()
    page = client.get("/confidentialite")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for words in ("Ce que nous gardons", "Pourquoi", "Qui les voit", "Combien de temps", "Vos droits",
                  "À qui demander", "Après 3 ans sans nouvelles de vous", "CNIL"):
        assert words in text.replace("&#39;", "'"), words


def test_notice_gives_each_optional_answer_its_purpose(client):
    """Does the notice say that year of birth, sex, adults and children are optional, what each is for, and
    that the ESF+ gets each person's entry and exit data under a number, without a name?"""
    text = client.get("/confidentialite").get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "Vous pouvez ne pas répondre." in text
    for purpose in ("Votre année de naissance : pour compter les personnes par tranche d'âge",
                    "Votre sexe (ou « non précisé ») : le FSE+ demande de compter les femmes et les hommes.",
                    "Les adultes et les enfants chez vous : l'aide alimentaire compte les personnes aidées.",
                    "nous la donnons sous un numéro, sans votre nom.",
                    "sous son numéro de dossier, sans nom ni année de naissance"):
        assert purpose in text, purpose
    assert "avec votre nom" not in text


def test_notice_in_english(client):
    """Is the notice readable in English when the screen is switched to English?"""
    client.post("/langue/en", data={"next": "/confidentialite"})
    page = client.get("/confidentialite")
    assert page.status_code == 200
    assert 'lang="en"' in page.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFERENT])
def test_data_pages_are_for_coordinators_only(client, auth, make_participant, role):
    """Do volunteers and referents get 403 on every data page, and nothing is recorded as seen?"""
    person, _code = make_participant("Awa", "Diallo", referrer_name="Mme Briand")
    auth.login(role)
    for url in DATA_URLS:
        assert client.get(url.format(id=person.id)).status_code == 403, url
    anonymise = f"/confidentialite/participants/{person.id}/anonymiser"
    assert client.post(anonymise, data={"confirm": "y"}).status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view")) is None


def test_data_pages_need_a_login(client, make_participant):
    """Without a login, is one sent to the login page?"""
    person, _code = make_participant("Awa", "Diallo")
    for url in DATA_URLS:
        response = client.get(url.format(id=person.id))
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_unknown_participant_is_404(client, auth):
    """Does a number that does not exist answer 404 rather than an error?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/confidentialite/participants/999").status_code == 404
    assert client.get("/confidentialite/participants/999/donnees.json").status_code == 404
    assert client.post("/confidentialite/participants/999/anonymiser", data={"confirm": "y"}).status_code == 404


def test_export_holds_everything_but_card_codes(client, auth, make_participant, history):
    """Does the JSON file hold the person, periods, cards (no code), check-ins, baskets and lines, calls,
    épicerie access and who looked — and is the download recorded?"""
    person, first_code = make_participant("Awa", "Diallo", referrer_name="Mme Briand", phone="07 00 00 00 01",
                                          household_size=3, epicerie_until=local_day() + timedelta(days=10))
    _card, code = issue_card(person)
    history.checkin(person, date(2025, 1, 9))
    history.basket(person, date(2025, 1, 9), value_cents=1250, paid_cents=125, weight_g=2500)
    history.call(person, date(2025, 2, 1), note="Va mieux")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.get(f"/confidentialite/participants/{person.id}/donnees.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="donnees-participant-{person.id}.json"'
    assert first_code not in response.get_data(as_text=True) and code not in response.get_data(as_text=True)
    data = json.loads(response.get_data(as_text=True))
    assert data["participant"] | {"created_at": None} == {
        "id": person.id, "first_name": "Awa", "last_name": "Diallo", "phone": "07 00 00 00 01", "postal_address": None, "household_size": 3,
        "birth_year": None, "sex": None, "adults": None, "children": None,
        "referrer": {"name": "Mme Briand", "structure": None}, "created_at": None, "anonymised_at": None}
    assert [c["working"] for c in data["cards"]] == [False, True]
    assert set(data["cards"][0]) == {"id", "issued_at", "printed_at", "revoked_at", "working"}
    assert [(c["date"], c["source"]) for c in data["checkins"]] == [("2025-01-09", "card")]
    assert data["baskets"][0] | {"id": None, "served_at": None} == {
        "id": None, "served_on": "2025-01-09", "served_at": None, "value_eur": "12.50", "weight_kg": 2.5,
        "paid_eur": "1.25", "cancelled_at": None, "override_reason": None,
        "lines": [{"category": "frais", "label": "Produits frais", "quantity": 2, "weight_kg": 2.5,
                   "value_eur": "12.50"}]}
    assert data["followup_calls"][0]["note"] == "Va mieux"
    assert [(a["starts_on"], a["ends_on"]) for a in data["epicerie_access"]] == [
        (local_day().isoformat(), (local_day() + timedelta(days=10)).isoformat())]
    assert len(data["periods"]) == 1 and data["periods"][0]["left_on"] is None
    events = db.session.scalars(select(AuditEvent).where(  # the set-up's own access opening aside
        AuditEvent.entity == "participant", AuditEvent.entity_id == person.id, AuditEvent.action != "epicerie_access")).all()
    assert [(e.action, e.entity, e.details) for e in events] == [("export", "participant", None)]


@pytest.fixture
def path_of_awa(make_participant):
    """Awa, born 1988, a woman, 1 adult and 2 children; two milestones, two self-assessments, two situations."""
    from kiosk.models import Milestone, MilestoneKind, Moment, SelfAssessment, Situation

    person, _code = make_participant("Awa", "Diallo")
    person.birth_year, person.sex, person.adults, person.children = 1988, "f", 1, 2

    def kind(code):
        return db.session.scalar(select(MilestoneKind).where(MilestoneKind.code == code))
    db.session.add_all([
        Milestone(participant_id=person.id, kind=kind("sortir_obtained"), happened_on=date(2025, 3, 6)),
        Milestone(participant_id=person.id, kind=kind("orientation"), happened_on=date(2025, 4, 2),
                  result="Mission locale : rendez-vous pris"),
        SelfAssessment(participant_id=person.id, moment=Moment.ENTRY, assessed_on=date(2025, 1, 9),
                       food=1, social=2, esteem=None, money=2, rights=1),
        SelfAssessment(participant_id=person.id, moment=Moment.EXIT, assessed_on=date(2025, 9, 4),
                       food=3, social=4, esteem=3, money=3, rights=4),
        Situation(participant_id=person.id, moment=Moment.ENTRY, recorded_on=date(2025, 1, 9),
                  employment="job_seeker", in_training=False, resources="rsa"),
        Situation(participant_id=person.id, moment=Moment.EXIT, recorded_on=date(2025, 9, 4),
                  employment="employed", in_training=None, resources="wages"),
    ])
    db.session.commit()
    return person


def test_export_holds_the_path_and_the_optional_answers(client, auth, path_of_awa):
    """Does the person's file (right of access) hold her milestones, self-assessments, situations and the
    optional year of birth, sex, adults and children?"""
    auth.login(Role.COORDINATOR)
    data = client.get(f"/confidentialite/participants/{path_of_awa.id}/donnees.json").get_json()
    assert {k: data["participant"][k] for k in ("birth_year", "sex", "adults", "children")} == {
        "birth_year": 1988, "sex": "f", "adults": 1, "children": 2}
    assert [(m["date"], m["kind"], m["label"], m["result"]) for m in data["milestones"]] == [
        ("2025-03-06", "sortir_obtained", "Carte SORTIR obtenue", None),
        ("2025-04-02", "orientation", "Orientation vers un autre service", "Mission locale : rendez-vous pris")]
    assert data["self_assessments"] == [
        {"moment": "entry", "date": "2025-01-09",
         "answers": {"food": 1, "social": 2, "esteem": None, "money": 2, "rights": 1}},
        {"moment": "exit", "date": "2025-09-04",
         "answers": {"food": 3, "social": 4, "esteem": 3, "money": 3, "rights": 4}}]
    assert data["situations"] == [
        {"moment": "entry", "date": "2025-01-09", "employment": "job_seeker", "in_training": False, "resources": "rsa"},
        {"moment": "exit", "date": "2025-09-04", "employment": "employed", "in_training": None, "resources": "wages"}]


def test_data_page_shows_the_path_and_the_optional_answers(client, auth, path_of_awa):
    """Does the printable data page show the same path and optional answers, in words?"""
    auth.login(Role.COORDINATOR)
    page = client.get(f"/confidentialite/participants/{path_of_awa.id}").get_data(as_text=True)
    for shown in ("1988", "Femme", "Adultes au foyer</dt><dd>1", "Enfants au foyer</dt><dd>2",
                  "06/03/2025</td><td>Carte SORTIR obtenue", "Mission locale : rendez-vous pris",
                  "entrée · 09/01/2025", "1 · Ça va mal", "4 · Ça va bien",
                  "Demandeur·se d&#39;emploi", "pas en formation", "RSA", "En emploi", "Salaire"):
        assert shown in page, shown


def test_changes_to_the_path_are_in_the_persons_trail(client, auth, make_participant):
    """When a coordinator adds a milestone and a self-assessment, do the person's page and file say who
    changed which part of the path (not only changes to the participant row)?"""
    from kiosk.models import MilestoneKind

    person, _code = make_participant("Awa", "Diallo")
    auth.login(Role.COORDINATOR)
    kind = db.session.scalar(select(MilestoneKind).where(MilestoneKind.code == "rights_opened"))
    assert client.post(f"/parcours/{person.id}/etapes", data={"kind": kind.id, "happened_on": "2025-04-02"}).status_code == 303
    assert client.post(f"/parcours/{person.id}/ressenti/entry",
                       data={"food": "2", "social": "3"}).status_code == 303
    page = client.get(f"/confidentialite/participants/{person.id}").get_data(as_text=True)
    assert "a créé · étape du parcours" in page and "a modifié · auto-évaluation" in page
    audit = client.get(f"/confidentialite/participants/{person.id}/donnees.json").get_json()["audit"]
    assert {(e["action"], e["about"]) for e in audit} >= {("create", "milestone"), ("update", "self_assessment")}


def test_data_page_shows_the_record_and_is_audited(client, auth, make_participant, history):
    """Does the coordinator's page show the person's rows, and is the consultation recorded without names?"""
    person, _code = make_participant("Awa", "Diallo", phone="07 00 00 00 01")
    history.basket(person, date(2025, 1, 9))
    db.session.commit()
    coordinator = auth.login(Role.COORDINATOR)
    page = client.get(f"/confidentialite/participants/{person.id}").get_data(as_text=True)
    for shown in ("Awa", "Diallo", "07 00 00 00 01", "09/01/2025", "12,00", "Anonymiser cette personne"):
        assert shown in page, shown
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view"))
    assert (event.entity, event.entity_id, event.user_id) == ("participant", person.id, coordinator.id)
    assert "Awa" not in json.dumps(event.details)


def test_audit_log_lists_who_looked(client, auth, make_participant):
    """Does the journal show who looked at which record, and filter on one record?"""
    person, _code = make_participant("Awa", "Diallo")
    other, _ = make_participant("Loïc", "Le Gall")
    auth.login(Role.COORDINATOR, display_name="Claire")
    client.get(f"/confidentialite/participants/{person.id}")
    client.get(f"/confidentialite/participants/{other.id}/donnees.json")
    page = client.get("/confidentialite/journal").get_data(as_text=True)
    assert "Claire" in page and "a consulté" in page and "a téléchargé" in page
    assert "Awa" not in page and "Loïc" not in page
    only = client.get(f"/confidentialite/journal?participant={person.id}").get_data(as_text=True)
    assert f"n°{person.id}" in only and f"participant n°{other.id}" not in only


def test_audit_log_pages_back(client, auth):
    """With more events than a page, is there a link to the older ones, which shows them?"""
    from kiosk.audit import record_audit

    for number in range(1, 131):
        record_audit("view", "participant", number)
    db.session.commit()
    auth.login(Role.COORDINATOR)
    first = client.get("/confidentialite/journal").get_data(as_text=True)
    assert "participant n°130" in first and "participant n°30<" not in first and "avant=" in first
    older = client.get("/confidentialite/journal?avant=31").get_data(as_text=True)
    assert "participant n°30<" in older and "participant n°31<" not in older


def test_manage_finds_a_person_by_name_or_number(client, auth, make_participant):
    """Does the privacy desk find someone by name without accents, and by number, gone people included?"""
    person, _code = make_participant("Maëlle", "Le Goff")
    auth.login(Role.COORDINATOR)
    link = f"/confidentialite/participants/{person.id}"
    assert link in client.get("/confidentialite/gestion?q=maelle").get_data(as_text=True)
    assert link in client.get(f"/confidentialite/gestion?q={person.id}").get_data(as_text=True)
    assert "Personne ne correspond" in client.get("/confidentialite/gestion?q=zzz").get_data(as_text=True)


@pytest.mark.parametrize("value", ["0", "11", "deux", ""])
def test_retention_setting_refuses_nonsense(client, auth, value):
    """Is a retention period outside 1–10 years refused with a message, the setting unchanged?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/confidentialite/conservation", data={"years": value})
    assert response.status_code == 303
    page = client.get("/confidentialite/gestion").get_data(as_text=True)
    assert "Durée refusée" in page
    assert get_setting("retention_years") == "2"


def test_retention_setting_is_saved_and_audited(client, auth):
    """Is a new retention period stored, shown in the notice, and recorded with its old value?"""
    auth.login(Role.COORDINATOR)
    assert client.post("/confidentialite/conservation", data={"years": "5"}).status_code == 303
    db.session.expire_all()
    assert get_setting("retention_years") == "5"
    assert "Après 5 ans" in client.get("/confidentialite").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "setting"))
    assert event.details == {"key": "retention_years", "before": "2"}


def test_anonymised_person_keeps_no_working_access(client, auth, make_participant):
    """After anonymisation from the page, is their épicerie access over and their page nameless?"""
    person, _code = make_participant("Awa", "Diallo", epicerie_until=local_day() + timedelta(days=60))
    auth.login(Role.COORDINATOR)
    client.post(f"/confidentialite/participants/{person.id}/anonymiser", data={"confirm": "y"})
    db.session.expire_all()
    access = db.session.scalar(select(EpicerieAccess).where(EpicerieAccess.participant_id == person.id))
    assert access.ends_on == local_day()
    page = client.get(f"/confidentialite/participants/{person.id}").get_data(as_text=True)
    assert "Awa" not in page and "Diallo" not in page and "Personne anonymisée" in page
    assert "Anonymiser cette personne" not in page
