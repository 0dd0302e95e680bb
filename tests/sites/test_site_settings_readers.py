"""Issue 20: what reads a centre's settings outside a request of that centre says which centre:
retention (each centre its own period), the phone's STOP webhook (each centre its own address), the
SMS signature in the sender's pass, and the network's report (the network's name, not one centre's)."""

from datetime import date, datetime, timezone

from kiosk.centre.services import centre_identity
from kiosk.messages.consent import preference_of, set_preference
from kiosk.messages.services import webhook_token
from kiosk.messages.texts import _signature as signature
from kiosk.models import AuditEvent, Participant
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.privacy.retention import run_retention
from kiosk.settings import set_setting
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


def quiet_person(first: str, created: date, phone: str | None = None) -> int:
    person = add_participant(first, "Test", entered_on=created, phone=phone)
    person.created_at = datetime(created.year, created.month, created.day, 12, tzinfo=timezone.utc)
    db.session.flush()
    return person.id


def test_retention_gives_each_centre_its_own_period(app):
    """Three years without contact: anonymised in site A (2 years), kept in site B (5 years)?"""
    a_id = quiet_person("Anna", date(2023, 5, 1))
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        set_setting("retention_years", "5")
        b_id = quiet_person("Bruno", date(2023, 5, 1))
    db.session.commit()
    result = run_retention(NOW)  # unscoped, as the server's daily run and `kiosk retention`
    db.session.commit()
    assert result.anonymised == [a_id]
    with every_site():
        assert db.session.get(Participant, a_id).anonymised_at is not None
        assert db.session.get(Participant, b_id).anonymised_at is None
        audit = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "anonymise")).all()
    assert [(event.entity_id, event.site_id) for event in audit] == [(a_id, 1)]


def test_a_stop_on_a_centre_phone_reaches_that_centre_people(app, client):
    """Does site B's phone, posting a STOP to its own address, withdraw consent from B's person only?"""
    token_a = webhook_token()
    a_id = quiet_person("Anna", date(2026, 1, 5), phone="0612345678")
    set_preference(db.session.get(Participant, a_id), True, "sms", "fr")
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        token_b = webhook_token()
        b_id = quiet_person("Bruno", date(2026, 1, 5), phone="0612345678")  # the same number (a family phone)
        set_preference(db.session.get(Participant, b_id), True, "sms", "fr")
        db.session.flush()
    db.session.commit()
    assert token_a != token_b
    stop = {"event": "sms:received", "payload": {"message": "STOP", "phoneNumber": "+33612345678"}}
    answer = client.post(f"/messages/incoming/{token_b}", json=stop)
    assert answer.status_code == 200 and answer.get_json()["people"] == 1
    assert client.post("/messages/incoming/not-a-token", json=stop).status_code == 404
    db.session.expire_all()
    with every_site():
        assert not preference_of(db.session.get(Participant, b_id)).sms_consent
        assert preference_of(db.session.get(Participant, a_id)).sms_consent


def test_each_centre_signs_its_own_sms_and_the_network_report_bears_the_network(app):
    """Does the sender's pass for a site sign with that site's words, and the summed report name the network?"""
    set_setting("sms_signature", "L'équipe A")
    set_setting("centre_name", "Centre A")
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        set_setting("sms_signature", "L'équipe B")
    db.session.commit()
    with scoped_to(site_id):
        assert signature() == "L'équipe B" and centre_identity(with_logo=False).name == "Centre B"
    with scoped_to(1):
        assert signature() == "L'équipe A" and centre_identity(with_logo=False).name == "Centre A"
    with every_site():
        assert centre_identity(with_logo=False).name == "Réseau de 2 centres"


def test_kiosk_retention_sets_one_centre_period_and_runs_each_centre(app, runner):
    """Does `kiosk retention --years` need --site on a network, change that centre's only, and a run
    without --site serve every centre with its own period?"""
    a_id = quiet_person("Anna", date(2023, 5, 1))
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        b_id = quiet_person("Bruno", date(2023, 5, 1))
    db.session.commit()
    refused = runner.invoke(args=["retention", "--years", "5"])
    assert refused.exit_code != 0 and "--site" in refused.output
    kept = runner.invoke(args=["retention", "--years", "5", "--site", "Centre B"])
    assert kept.exit_code == 0, kept.output
    db.session.remove()
    from kiosk.settings import get_setting

    assert get_setting("retention_years", site_id) == "5" and get_setting("retention_years") == "2"
    ran = runner.invoke(args=["retention"])
    assert ran.exit_code == 0, ran.output
    db.session.remove()
    with every_site():
        assert db.session.get(Participant, a_id).anonymised_at is not None
        assert db.session.get(Participant, b_id).anonymised_at is None
