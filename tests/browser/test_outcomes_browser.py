"""A person's path and the self-assessment with faces, in real Chromium through the production server."""

from datetime import date
from io import BytesIO

import pytest
from PIL import Image

from kiosk.models import SelfAssessment
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def _person(live_server) -> int:
    with live_server.app.app_context():
        person = add_participant("Zéphyrine", "Quirinovsky", referrer_name="Mme Briand", entered_on=date(2025, 1, 2))
        db.session.commit()
        return person.id


def test_self_assessment_by_tapping_faces(live_server, page):
    """Can someone who reads little answer by tapping faces on a tablet, is the page accessible, and is it stored?"""
    person = _person(live_server)
    login(page, live_server, "referent")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/parcours/{person}/ressenti/entry")
    check_axe(page)
    screenshot(page, "outcomes-assessment")
    page.locator("label[for=food-1]").click()
    page.locator("label[for=social-4]").click()
    page.locator("label[for=social-3]").click()  # changing one's mind
    assert page.locator("#social-3").is_checked() and not page.locator("#social-4").is_checked()
    with page.expect_navigation():  # the page change itself (the answers are posted, then the path shows)
        page.get_by_role("button", name="C'est fini").click()
    assert "Merci ! Les réponses sont notées." in page.locator("main").inner_text()
    check_axe(page)
    screenshot(page, "outcomes-path")
    with live_server.app.app_context():
        row = db.session.scalar(db.select(SelfAssessment))
        assert (row.food, row.social, row.esteem, row.money, row.rights) == (1, 3, None, None, None)


def test_centre_page_and_notice(live_server, page, tmp_path):
    """Does the centre's page take a logo and a contact, shown on the privacy notice, accessibly?"""
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/centre")
    check_axe(page)
    page.fill("#name", "Maison de quartier des Longs-Champs")
    page.fill("#privacy_contact", "Claire Martin, 02 99 00 00 00")
    with page.expect_navigation():  # back on the same address: wait for the new page, not the URL
        page.get_by_role("button", name="Enregistrer").click()
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), "#2f6f4f").save(logo)
    page.set_input_files("#logo", str(logo))
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le logo").click()
    assert page.locator("img.centre-logo-preview").count() == 1
    screenshot(page, "centre-settings")
    page.goto(live_server.url + "/confidentialite")
    text = page.locator("main").inner_text()
    assert "Maison de quartier des Longs-Champs" in text and "Claire Martin, 02 99 00 00 00" in text
    check_axe(page)
