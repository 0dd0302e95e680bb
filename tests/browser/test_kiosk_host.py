"""The host's desk (/accueil) in real Chromium, on a phone and a tablet: a forgotten card, checked in by name."""

import pytest
from playwright.sync_api import expect

from kiosk.models import CheckInSource
from tests.browser.conftest import check_axe, login, screenshot
from tests.checkin.live_setup import add_person, checkins

pytestmark = pytest.mark.browser


def test_volunteer_checks_in_someone_by_name(live_server, page):
    """Can a volunteer find "Maëlle" by typing "maelle", press "Présent", and see her marked arrived?"""
    maelle_id, _code = add_person(live_server, "Maëlle", "Le Goff")
    add_person(live_server, "Fatima", "Benali")
    login(page, live_server, "volunteer")
    page.goto(live_server.url + "/accueil")
    check_axe(page)
    page.get_by_label("Nom ou prénom").fill("maelle")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("Maëlle Le Goff")).to_be_visible()
    expect(page.get_by_text("Fatima")).to_have_count(0)
    screenshot(page, "host-search", sizes=("tablet", "phone"))
    page.get_by_role("button", name="Présent : Maëlle Le Goff").click()
    expect(page.get_by_role("status")).to_contain_text("Maëlle Le Goff : présence enregistrée à")
    expect(page.get_by_text("Arrivée à")).to_be_visible()
    expect(page.get_by_label("Nom ou prénom")).to_have_value("maelle")
    check_axe(page)
    screenshot(page, "host-done", sizes=("tablet", "phone"))
    rows = checkins(live_server)
    assert [(row.participant_id, row.source) for row in rows] == [(maelle_id, CheckInSource.HOST)]
    assert rows[0].recorded_by_id is not None


def test_phone_targets_are_large(live_server, page):
    """On a phone, is the "Présent" button a large target that fits the screen?"""
    add_person(live_server, "Fatima", "Benali")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/accueil?q=fatima")
    box = page.get_by_role("button", name="Présent : Fatima Benali").bounding_box()
    assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
