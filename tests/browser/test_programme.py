"""The programme in real Chromium: the calendar on a tablet, and the kiosk on a day without a workshop,
with its language buttons. axe-core clean at the three sizes."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kiosk.models import WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from tests.browser.conftest import check_axe, login, screenshot, scanner_types, set_weekly_day
from tests.checkin.live_setup import add_person, assert_no_js_errors, checkins, open_kiosk

pytestmark = pytest.mark.browser


def today(live):
    with live.app.app_context():
        return local_day()


def axe_at_three_sizes(page) -> None:
    for width, height in ((1920, 1080), (1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page)


def test_coordinator_plans_a_term_and_cancels_a_session(live_server, page):
    """On the calendar, can a coordinator plan a term in rotation, open a session and cancel it with a reason?"""
    live_server.run_cli("workshop", "plan", "--date", (today(live_server) + timedelta(days=40)).isoformat(),
                        "--activity", "Gestion du stress")
    live_server.run_cli("workshop", "plan", "--date", (today(live_server) + timedelta(days=41)).isoformat(),
                        "--activity", "Relooking")
    set_weekly_day(live_server, 3)
    login(page, live_server)
    page.locator("details.menu-group > summary", has_text="Les personnes").click()
    page.get_by_role("link", name="Calendrier", exact=True).click()
    expect(page.get_by_role("heading", name="Calendrier des ateliers")).to_be_visible()
    axe_at_three_sizes(page)
    page.get_by_label("À partir du").fill((today(live_server) + timedelta(days=1)).isoformat())
    page.get_by_label("Nombre de semaines").fill("4")
    page.get_by_label("Gestion du stress").check()
    page.get_by_label("Relooking").check()
    page.get_by_role("button", name="Planifier le trimestre").click()
    expect(page.locator(".flash")).to_contain_text("4 ateliers planifiés")
    screenshot(page, "programme-calendar")
    page.locator(".session-item a").filter(has_text="Relooking").first.click()
    expect(page.get_by_role("heading", name="Annuler l'atelier")).to_be_visible()
    axe_at_three_sizes(page)
    screenshot(page, "programme-session")
    page.get_by_label("Raison de l'annulation").fill("Formation de l'équipe")
    page.get_by_role("button", name="Annuler cet atelier").click()
    expect(page.locator(".session-item.is-cancelled")).to_have_count(1)
    with live_server.app.app_context():
        cancelled = db.session.scalars(db.select(WorkshopDay).where(WorkshopDay.cancelled_at.is_not(None))).one()
        assert cancelled.cancel_reason == "Formation de l'équipe" and cancelled.activity.name == "Relooking"


def test_kiosk_says_kindly_there_is_no_workshop_today(live_server, context):
    """On a day without a workshop, does the kiosk say so with the next one, storing nothing, in French then English?"""
    set_weekly_day(live_server, None)
    following = today(live_server) + timedelta(days=6)
    live_server.run_cli("workshop", "plan", "--date", following.isoformat(), "--activity", "Cuisine")
    _id, code = add_person(live_server, "Fatima", "Benali")
    page = open_kiosk(context, live_server)
    expect(page.locator("#kiosk-today")).to_contain_text("Pas d'atelier aujourd'hui. Prochain atelier :")
    expect(page.locator("#kiosk-today")).to_contain_text("Cuisine")
    expect(page.locator("#kiosk")).not_to_have_attribute("data-camera", "starting")
    scanner_types(page, code)
    closed = page.locator('[data-panel="closed"]')
    expect(closed).to_be_visible()
    expect(closed).to_contain_text("Pas d'atelier aujourd'hui.")
    expect(closed).to_contain_text(", Cuisine")
    assert "cooking" in closed.locator("img").get_attribute("src") or "other" in closed.locator("img").get_attribute("src")
    axe_at_three_sizes(page)
    screenshot(page, "kiosk-no-workshop")
    assert checkins(live_server) == []
    page.get_by_role("button", name="Retour").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#kiosk-today")).to_contain_text("No workshop today. Next workshop:")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    axe_at_three_sizes(page)
    assert_no_js_errors(page)


def test_kiosk_greets_in_english_then_comes_back_to_french(live_server, context):
    """After choosing English, is the greeting in English ("Hello Fatima!"), and French back on the idle screen?"""
    live_server.run_cli("workshop", "plan", "--date", today(live_server).isoformat(), "--activity", "Cuisine")
    _id, code = add_person(live_server, "Fatima", "Benali")
    page = open_kiosk(context, live_server)
    expect(page.locator("#kiosk-today")).to_contain_text("Aujourd'hui : Cuisine")
    expect(page.locator("#kiosk")).not_to_have_attribute("data-camera", "starting")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#kiosk-today")).to_contain_text("Today: Cuisine")
    scanner_types(page, code)
    welcome = page.locator('[data-panel="welcome"]')
    expect(welcome).to_contain_text("Hello Fatima!")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('[data-panel="idle"]')).to_be_visible(timeout=9000)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#kiosk-today")).to_contain_text("Aujourd'hui : Cuisine")
    assert len(checkins(live_server)) == 1
    assert_no_js_errors(page)
