"""The messages settings page, a person's contact preference and log, and the phone's STOP webhook."""

from kiosk.messages.sender import send_due
from kiosk.models import ContactPreference, MessageStatus, OutboxMessage, Role
from kiosk.platform.extensions import db
from kiosk.settings import get_setting
from tests.messages.conftest import at


def test_settings_page_saves_rules(client, auth):
    """Does the coordinator's page save the gateway and the ladder's rungs, and refuse a bad address?"""
    auth.login()
    assert client.get("/messages/settings").status_code == 200
    data = {"sms_url": "http://sms:pw@192.168.1.20:8080", "sms_signature": "Le Relais", "sms_reminders": "y",
            "ladder_sms_after": 3, "followup_absent_days": 4, "ladder_referent_after": 6,
            "ladder_letter_after": 7, "ladder_handback_after": 9}
    assert client.post("/messages/settings", data=data).status_code == 303
    assert get_setting("ladder_sms_after") == "3" and get_setting("sms_signature") == "Le Relais"
    assert get_setting("sms_webhook_token")
    bad = client.post("/messages/settings", data={**data, "sms_url": "ftp://nowhere"})
    assert bad.status_code == 422 and "Adresse attendue" in bad.get_data(as_text=True)
    assert get_setting("sms_url") == "http://sms:pw@192.168.1.20:8080"


def test_settings_page_is_for_coordinators(client, auth):
    """A volunteer may not see the messages page."""
    auth.login(Role.VOLUNTEER)
    assert client.get("/messages/settings").status_code == 403


def test_send_me_a_test(client, auth, phone):
    """Does the test button send one SMS to the number typed, now, and refuse a malformed number?"""
    auth.login()
    response = client.post("/messages/test", data={"phone": "07 11 22 33 44"}, follow_redirects=True)
    assert "essai envoyé" in response.get_data(as_text=True)
    assert phone.received[-1]["phoneNumbers"] == ["+33711223344"]
    bad = client.post("/messages/test", data={"phone": "12"})
    assert bad.status_code == 422 and "numéro" in bad.get_data(as_text=True)
    assert len(phone.received) == 1


def test_test_with_gateway_down_says_so(client, auth, phone):
    """A test while the phone is off: a clear message, not a 500."""
    auth.login()
    phone.down()
    response = client.post("/messages/test", data={"phone": "0711223344"}, follow_redirects=True)
    assert "pas parti" in response.get_data(as_text=True)


def test_consent_form_records_who_and_when(client, auth, person):
    """Does the person's page record consent with who noted it, and refuse consent without a mobile?"""
    user = auth.login()
    fatima = person(consent=None)
    client.post(f"/messages/participant/{fatima.id}/contact", data={"sms_consent": "yes", "channel": "sms", "language": "en"})
    preference = db.session.get(ContactPreference, fatima.id)
    assert preference.sms_consent and preference.consent_by_id == user.id and preference.language == "en"
    page = client.get(f"/participants/{fatima.id}").get_data(as_text=True)
    assert "Accepte les SMS" in page and "Journal des relances" in page
    landline = person("Ali", "Ben", phone="01 23 45 67 89", consent=None)
    response = client.post(f"/messages/participant/{landline.id}/contact",
                           data={"sms_consent": "yes", "channel": "sms", "language": "fr"}, follow_redirects=True)
    assert "portable" in response.get_data(as_text=True)
    assert db.session.get(ContactPreference, landline.id) is None


def test_log_shows_message_with_status(client, auth, phone, person):
    """Does a message sent land on the person's log by itself, with its status?"""
    auth.login()
    fatima = person()
    send_due(at("2026-10-14 10:00"))
    page = client.get(f"/participants/{fatima.id}").get_data(as_text=True)
    assert "Rappel de l" in page and "envoyé" in page


def test_stop_reply_withdraws_consent(client, app, phone, person):
    """A "STOP" reply posted by the phone's webhook withdraws consent and cancels what waits."""
    from kiosk.messages.services import webhook_token

    token = webhook_token()
    fatima = person()
    phone.down()
    send_due(at("2026-10-14 10:00"))
    db.session.commit()
    assert client.post("/messages/incoming/wrong", json={}).status_code == 404
    answer = client.post(f"/messages/incoming/{token}", json={
        "event": "sms:received", "payload": {"message": "Stop", "phoneNumber": "+33612345678"}})
    assert answer.status_code == 200 and answer.get_json()["people"] == 1
    db.session.expire_all()
    assert not db.session.get(ContactPreference, fatima.id).sms_consent
    (message,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.status == MessageStatus.CANCELLED
    phone.up()
    assert send_due(at("2026-10-14 12:00")).sms == 0
    garbage = client.post(f"/messages/incoming/{token}", data=b"\xff\x00", content_type="application/json")
    assert garbage.status_code == 200


def test_gateway_password_is_write_only(client, auth):
    """Is the gateway's password never shown back, kept when left blank, and changed when typed?"""
    auth.login()
    rules = {"sms_signature": "", "ladder_sms_after": 2, "followup_absent_days": 3, "ladder_referent_after": 5,
             "ladder_letter_after": 6, "ladder_handback_after": 8}
    assert client.post("/messages/settings", data={**rules, "sms_url": "http://sms:s3cr%40t@192.168.1.20:8080"}).status_code == 303
    page = client.get("/messages/settings").get_data(as_text=True)
    assert "s3cr" not in page and 'value="http://sms@192.168.1.20:8080"' in page
    assert "jamais réaffiché" in page
    # The form sent back as shown (no password): the one kept stays, even with a new address.
    client.post("/messages/settings", data={**rules, "sms_url": "http://sms@192.168.1.21:8080", "sms_password": ""})
    assert get_setting("sms_url") == "http://sms:s3cr%40t@192.168.1.21:8080"
    client.post("/messages/settings", data={**rules, "sms_url": "http://sms@192.168.1.21:8080", "sms_password": "n€w pass"})
    assert get_setting("sms_url") == "http://sms:n%E2%82%ACw%20pass@192.168.1.21:8080"
    # A refused form does not echo a password typed in the address either.
    bad = client.post("/messages/settings", data={**rules, "sms_url": "http://sms:typed@h:notaport"})
    assert bad.status_code == 422 and "typed" not in bad.get_data(as_text=True)
    assert get_setting("sms_url") == "http://sms:n%E2%82%ACw%20pass@192.168.1.21:8080"
