"""The messages settings page and a person's consent form in real Chromium, against the real server
and a loopback phone speaking SMS Gateway for Android's API."""

import pytest
from playwright.sync_api import expect

from kiosk.models import ContactPreference
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from tests.browser.conftest import check_axe, login, screenshot
from tests.messages.gateway_server import FakePhone

pytestmark = pytest.mark.browser


@pytest.fixture
def phone():
    fake = FakePhone()
    yield fake
    fake.down()


def test_settings_and_test_sms(live_server, page, phone):
    """Can the coordinator set the phone's address, send themselves a test, and change the ladder?"""
    login(page, live_server, "coordinator")
    page.locator("details.menu-group > summary", has_text="Réglages").click()
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    check_axe(page)
    page.fill("#sms_url", phone.url)
    page.fill("#ladder_sms_after", "3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash")).to_contain_text("Réglages des messages enregistrés")
    # The password is write-only: not in the address shown, not in its own field, kept when left blank.
    assert phone.password not in page.content()
    expect(page.locator("#sms_url")).to_have_value(phone.url.replace(f":{phone.password}@", "@"))
    expect(page.locator("#sms_password")).to_have_value("")
    expect(page.locator("#sms_password-hint")).to_contain_text("jamais réaffiché")
    page.fill("#phone", "06 98 76 54 32")
    page.get_by_role("button", name="M'envoyer un SMS d'essai").click()
    expect(page.locator(".flash")).to_contain_text("regardez votre téléphone")
    assert phone.received[-1]["phoneNumbers"] == ["+33698765432"]
    check_axe(page)
    screenshot(page, "messages-settings")
    page.fill("#ladder_sms_after", "0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".field-error")).to_contain_text("entre 1 et 52")


def test_consent_on_the_person_page(live_server, page):
    """Can the coordinator record a person's SMS consent and see it, with the follow-up log?"""
    with live_server.app.app_context():
        participant = add_participant("Fatima", "Benali", phone="06 12 34 56 78")
        db.session.commit()
        pid = participant.id
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/participants/{pid}")
    expect(page.get_by_role("heading", name="Messages et relances")).to_be_visible()
    page.get_by_label("Oui").check()
    page.select_option("#language", "en")
    page.locator("#contact-title ~ form").first.locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Préférences de contact enregistrées")
    expect(page.get_by_text("Accepte les SMS", exact=True)).to_be_visible()
    check_axe(page)
    screenshot(page, "messages-person")
    with live_server.app.app_context():
        preference = db.session.get(ContactPreference, pid)
        assert preference.sms_consent and preference.language == "en" and preference.consent_by_id is not None


def test_address_letter_and_letters_page(live_server, page):
    """Can the coordinator note a postal address, prepare a letter (a PDF), and find it on the letters page?"""
    with live_server.app.app_context():
        participant = add_participant("Fatima", "Benali", phone="06 12 34 56 78")
        db.session.commit()
        pid = participant.id
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/participants/{pid}")
    page.fill("#postal_address", "12 rue des Lilas\n35000 Rennes")
    page.get_by_role("button", name="Enregistrer l'adresse").click()
    expect(page.locator(".flash")).to_contain_text("Adresse postale enregistrée")
    expect(page.locator("#postal_address")).to_have_value("12 rue des Lilas\n35000 Rennes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Préparer un courrier (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{live_server.url}/participants/{pid}")
    expect(page.get_by_text("prêt à imprimer")).to_be_visible()
    check_axe(page)
    page.goto(f"{live_server.url}/messages/settings")
    page.get_by_role("link", name="Courriers à imprimer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courriers")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("par la poste")
    check_axe(page)
    screenshot(page, "messages-letters")


def test_what_works_on_the_trends_page(live_server, page):
    """Is the "what works" chart on the trends page, named for screen readers, with its figures, axe clean?"""
    from datetime import datetime, time, timedelta, timezone

    from kiosk.models import CheckIn, CheckInSource, Channel, MessageStatus, OutboxMessage, Step, WorkshopDay
    from kiosk.platform.timezone import local_day

    with live_server.app.app_context():
        base = local_day() - timedelta(days=40)
        day = WorkshopDay(day=base + timedelta(days=6))
        db.session.add(day)
        for index, name in enumerate(("Fatima", "Marc", "Awa")):
            person = add_participant(name, "Nom")
            db.session.flush()
            at = datetime.combine(base, time(10), timezone.utc)
            db.session.add(OutboxMessage(participant_id=person.id, step=Step.WE_MISS_YOU, channel=Channel.SMS,
                                         dedup_key="w", idempotency_key=f"works{index}", text="", attempts=1,
                                         status=MessageStatus.SENT, sent_at=at))
            if index == 0:
                db.session.flush()
                moment = at + timedelta(days=6)
                db.session.add(CheckIn(participant_id=person.id, workshop_day_id=day.id, checked_in_at=moment,
                                       received_at=moment, source=CheckInSource.HOST))
        db.session.commit()
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/dashboard/tendances")
    chart = page.locator("svg#works-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text("Revenus dans les deux semaines, par étape")
    expect(page.locator('tr[data-step="we_miss_you"]')).to_contain_text("33 %")
    check_axe(page)
    page.locator("#works-heading").scroll_into_view_if_needed()
    screenshot(page, "messages-what-works")
