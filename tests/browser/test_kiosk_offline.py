"""The kiosk when the network drops: scans kept with their time, sent once each when the box answers again."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from kiosk.platform.timezone import utcnow
from tests.browser.conftest import scanner_types, screenshot
from tests.checkin.live_setup import (
    add_person,
    assert_no_js_errors,
    check_axe_on_paused_clock,
    checkins,
    open_kiosk,
)

pytestmark = pytest.mark.browser

PENDING = "() => JSON.parse(localStorage.getItem('cepourmoi.kiosk.pending') || '[]')"



def test_offline_scans_are_kept_and_sent_once(live_server, browser):
    """Offline, does the kiosk say "C'est noté" without a name, keep each scan with its time, then store each person once with their arrival time?"""
    fatima_id, fatima = add_person(live_server, "Fatima", "Benali")
    karim_id, karim = add_person(live_server, "Karim", "Haddad")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    context.clock.install()
    page = open_kiosk(context, live_server)
    kiosk = page.locator("#kiosk")
    expect(kiosk).to_have_attribute("data-pending", "0")

    context.set_offline(True)
    scanner_types(page, fatima)
    expect(kiosk).to_have_attribute("data-state", "noted")
    expect(kiosk).to_have_attribute("data-pending", "1")
    scanner_types(page, karim)
    expect(kiosk).to_have_attribute("data-pending", "2")
    scanner_types(page, fatima.lower())  # the same card again, still offline
    expect(kiosk).to_have_attribute("data-pending", "3")
    page.clock.pause_at(utcnow() + timedelta(seconds=1))

    text = " ".join(kiosk.inner_text().split())
    assert "C'est noté !" in text
    assert "Pas de réseau" in text
    assert "Fatima" not in text and "Karim" not in text
    pending = page.evaluate(PENDING)
    assert [item["code"] for item in pending] == [fatima, karim, fatima]
    assert checkins(live_server) == []
    check_axe_on_paused_clock(page)
    screenshot(page, "kiosk-offline-noted", sizes=("kiosk", "tablet"))

    context.set_offline(False)
    page.clock.resume()
    expect(kiosk).to_have_attribute("data-pending", "0", timeout=20_000)
    expect(kiosk).to_have_attribute("data-network", "online")
    expect(page.locator("#kiosk-offline")).to_be_hidden()

    rows = {row.participant_id: row for row in checkins(live_server)}
    assert sorted(rows) == sorted([fatima_id, karim_id]), "each person stored once"
    assert rows[fatima_id].checked_in_at == datetime.fromisoformat(pending[0]["scanned_at"])
    assert rows[karim_id].checked_in_at == datetime.fromisoformat(pending[1]["scanned_at"])

    page.reload()  # nothing is sent twice after a reload either
    expect(page.locator("#kiosk")).to_have_attribute("data-pending", "0")
    scanner_types(page, karim)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "already")
    assert len(checkins(live_server)) == 2
    assert_no_js_errors(page)
    context.close()


def test_box_down_then_back(live_server, browser):
    """When the box itself stops answering (not the kiosk's network), is the scan kept and sent when it is back?"""
    _id, code = add_person(live_server, "Fatima")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris")
    page = open_kiosk(context, live_server)
    page.route("**/api/checkins", lambda route: route.fulfill(status=503, json={"error": "occupé"}))
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "noted")
    expect(page.locator("#kiosk-offline")).to_be_visible()
    assert checkins(live_server) == []
    page.unroute("**/api/checkins")
    expect(page.locator("#kiosk")).to_have_attribute("data-pending", "0", timeout=20_000)
    assert len(checkins(live_server)) == 1
    assert_no_js_errors(page)
    context.close()


def test_lost_session_cookie_loses_no_scan(live_server, browser):
    """If the kiosk's session cookie is lost (its CSRF token then refused), is the scan kept, the page renewed, and the scan stored?"""
    fatima_id, code = add_person(live_server, "Fatima")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris")
    page = open_kiosk(context, live_server)
    device_cookies = [cookie for cookie in context.cookies() if cookie["name"] != "cepourmoi_session"]
    context.clear_cookies()
    context.add_cookies(device_cookies)
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "noted")
    assert checkins(live_server) == []
    expect(page.locator("#kiosk")).to_have_attribute("data-pending", "0", timeout=30_000)
    assert [row.participant_id for row in checkins(live_server)] == [fatima_id]
    assert_no_js_errors(page)
    context.close()
