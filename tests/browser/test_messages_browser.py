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
    page.locator("#contact-title ~ form button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Préférences de contact enregistrées")
    expect(page.get_by_text("Accepte les SMS", exact=True)).to_be_visible()
    check_axe(page)
    screenshot(page, "messages-person")
    with live_server.app.app_context():
        preference = db.session.get(ContactPreference, pid)
        assert preference.sms_consent and preference.language == "en" and preference.consent_by_id is not None
