"""Anonymising one person: the statistics stay true, the identity is gone everywhere."""

import json
import sqlite3
from datetime import date, timedelta

from sqlalchemy import distinct, extract, func, select

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Basket, CheckIn, EpicerieAccess, FollowUpCall, Participant, Role, WorkshopDay
from kiosk.people.search import search_participants
from kiosk.privacy.export import personal_data
from kiosk.privacy.services import PrivacyError, anonymise_participant, participant_record
from kiosk.platform.timezone import local_day

FIRST, LAST, PHONE, NOTE = "Zéphyrine", "Quirinovsky", "06 11 22 33 44", "Rappeler mardi, fille malade"


def statistics() -> dict:
    """What the reports count: per day and per year, check-ins, baskets, money, weight, households."""
    per_day = db.session.execute(
        select(WorkshopDay.day, func.count(distinct(CheckIn.participant_id)))
        .join(CheckIn, CheckIn.workshop_day_id == WorkshopDay.id).group_by(WorkshopDay.day)
    ).all()
    baskets = db.session.execute(
        select(Basket.served_on, func.count(Basket.id), func.sum(Basket.value_cents), func.sum(Basket.paid_cents),
               func.sum(Basket.weight_g)).group_by(Basket.served_on)
    ).all()
    per_year = db.session.execute(
        select(extract("year", CheckIn.checked_in_at), func.count(CheckIn.id),
               func.count(distinct(CheckIn.participant_id))).group_by(extract("year", CheckIn.checked_in_at))
    ).all()
    households = db.session.execute(
        select(Participant.referrer_id, func.count(Participant.id), func.sum(Participant.household_size))
        .group_by(Participant.referrer_id)
    ).all()
    return {"per_day": per_day, "baskets": baskets, "per_year": per_year, "households": households}


def make_family(make_participant, history):
    """The person to anonymise, with two years of history, and two others around them."""
    person, code = make_participant(FIRST, LAST, referrer_name="Mme Briand", phone=PHONE, household_size=4,
                                    epicerie_until=local_day() + timedelta(days=30))
    others = [make_participant(first, "Martin", referrer_name="Mme Briand")[0] for first in ("Awa", "Loïc")]
    for offset in range(0, 700, 35):
        day = date(2024, 1, 4) + timedelta(days=offset)
        for who in [person] + others[: 1 + offset % 2]:
            history.checkin(who, day)
            history.basket(who, day, value_cents=1000 + offset)
    history.call(person, date(2025, 3, 1), note=NOTE)
    db.session.commit()
    return person, code


def test_anonymising_keeps_every_day_and_year_count(app, make_participant, history):
    """Are the day and year counts (check-ins, baskets, money, weight, households) identical afterwards?"""
    person, _code = make_family(make_participant, history)
    before = statistics()
    checkins, baskets = len(person_rows(CheckIn, person)), len(person_rows(Basket, person))
    anonymise_participant(person, "request")
    db.session.commit()
    assert statistics() == before
    assert (len(person_rows(CheckIn, person)), len(person_rows(Basket, person))) == (checkins, baskets)
    assert checkins > 0 and baskets > 0


def person_rows(model, person):
    return db.session.scalars(select(model).where(model.participant_id == person.id)).all()


def test_anonymising_erases_the_identity_everywhere(app, db_path, make_participant, history):
    """After anonymising, do names, phone and call notes survive anywhere: search, export, the file itself?"""
    person, _code = make_family(make_participant, history)
    anonymise_participant(person, "request")
    db.session.commit()
    db.session.refresh(person)
    assert (person.first_name, person.last_name, person.phone, person.search_name) == ("Anonyme", "Anonyme", None, "")
    assert person.anonymised_at is not None
    for typed in ("Zéphyrine", "zephyrine", "Quirinovsky", "quiri"):
        assert search_participants(typed, active_only=False) == []
    assert all(call.note is None for call in person_rows(FollowUpCall, person))
    assert all(card.revoked_at is not None and card.code_sealed == "" for card in person.cards)
    exported = json.dumps(personal_data(participant_record(person)), ensure_ascii=False)
    for secret in (FIRST, LAST, PHONE, NOTE):
        assert secret not in exported
    db.session.remove()
    db.engine.dispose()
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    raw = db_path.read_bytes() + (db_path.with_name(db_path.name + "-wal").read_bytes()
                                  if db_path.with_name(db_path.name + "-wal").exists() else b"")
    for secret in (FIRST, LAST, "zephyrine", PHONE, NOTE):
        assert secret.encode() not in raw, secret


def test_anonymising_closes_the_open_period_and_access(app, make_participant, history):
    """Does an anonymised person leave the programme and the épicerie, so no list shows them any more?"""
    person, _code = make_family(make_participant, history)
    anonymise_participant(person, "request")
    db.session.commit()
    today = local_day()
    assert person.open_period is None
    assert person.periods[-1].left_on == today
    accesses = person_rows(EpicerieAccess, person)
    assert accesses and all(access.ends_on <= today for access in accesses)


def test_anonymising_twice_is_refused(app, make_participant):
    """Is a second anonymisation refused plainly rather than done again?"""
    person, _code = make_participant(FIRST, LAST)
    anonymise_participant(person, "request")
    try:
        anonymise_participant(person, "request")
    except PrivacyError as exc:
        assert "déjà" in str(exc)
    else:
        raise AssertionError("a second anonymisation went through")


def test_anonymise_needs_the_confirmation_box(client, auth, make_participant):
    """Without the ticked box, is nothing changed and the coordinator told why?"""
    person, _code = make_participant(FIRST, LAST, phone=PHONE)
    auth.login(Role.COORDINATOR)
    response = client.post(f"/confidentialite/participants/{person.id}/anonymiser", data={})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cochez la case pour confirmer" in page
    db.session.expire_all()
    assert db.session.get(Participant, person.id).first_name == FIRST


def test_anonymise_through_the_page(client, auth, make_participant):
    """Does the confirmed form anonymise, record who did it, and say so?"""
    person, _code = make_participant(FIRST, LAST, phone=PHONE)
    coordinator = auth.login(Role.COORDINATOR)
    response = client.post(f"/confidentialite/participants/{person.id}/anonymiser", data={"confirm": "y"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "C&#39;est fait" in page or "C'est fait" in page
    assert FIRST not in page and LAST not in page
    db.session.expire_all()
    assert db.session.get(Participant, person.id).anonymised_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "anonymise"))
    assert (event.entity, event.entity_id, event.user_id, event.details) == (
        "participant", person.id, coordinator.id, {"reason": "request"})
    again = client.post(f"/confidentialite/participants/{person.id}/anonymiser", data={"confirm": "y"})
    assert "déjà anonymisées" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_anonymisation_clears_year_of_birth_and_sex(app, make_participant):
    """Does an anonymised person keep neither a year of birth nor a sex, which could point back to them?"""
    from kiosk.platform.extensions import db
    from kiosk.privacy.services import anonymise_participant

    participant, _code = make_participant("Awa")
    participant.birth_year, participant.sex = 1980, "f"
    db.session.commit()
    anonymise_participant(participant, "request")
    db.session.commit()
    db.session.expire_all()
    assert participant.birth_year is None and participant.sex is None


def test_anonymisation_drops_the_free_text_of_milestones(app, make_participant):
    """Does an anonymised person's milestone keep its kind and day (the year's counts) but lose its free text,
    which may name them ("Mission locale, avec Mme X")?"""
    from kiosk.models import Milestone, MilestoneKind

    participant, _code = make_participant("Awa")
    orientation = db.session.scalar(select(MilestoneKind).where(MilestoneKind.code == "orientation"))
    db.session.add(Milestone(participant_id=participant.id, kind=orientation, happened_on=date(2025, 4, 2),
                             result="Mission locale, rendez-vous avec Awa Diallo"))
    db.session.commit()
    anonymise_participant(participant, "request")
    db.session.commit()
    rows = db.session.execute(select(Milestone.kind_id, Milestone.happened_on, Milestone.result)
                              .where(Milestone.participant_id == participant.id)).all()
    assert rows == [(orientation.id, date(2025, 4, 2), None)]
