"""When the Wi-Fi drops: baskets wait on the tablet and reach the box exactly once (real Chromium)."""

import json
import re
import threading
import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import check_axe, scanner_types, screenshot
from tests.conftest import TEST_PASSWORD
from tests.epicerie.browser_helpers import add_household, choose, fill_line, open_tablet, stored_baskets

pytestmark = pytest.mark.browser
OUTBOX = "cepourmoi.epicerie.outbox.v1"
SENT_BACK = 20_000  # ms: the outbox tries again every few seconds and on the browser's "online" event


def waiting(page) -> list:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{OUTBOX}') || '[]')")


def test_baskets_confirmed_offline_are_sent_once_when_back(live_server, context, page):
    """Are baskets confirmed without network kept on the tablet, counted, then stored exactly once?"""
    first_id, _ = add_household(live_server, "Fatima", "Benali")
    second_id, second_code = add_household(live_server, "Nadia", "Haddad")
    open_tablet(page, live_server)
    choose(page, "benali")
    context.set_offline(True)
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "8,00", weight="2")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_contain_text("Pas de réseau")
    expect(page.locator("#outbox-status")).to_have_text("1 panier en attente d'envoi")
    # A card scanned while the box cannot be reached: the basket goes by the card's code.
    scanner_types(page, second_code)
    expect(page.locator("#household-name")).to_contain_text("Carte lue sans réseau")
    page.click('.tile[data-category="hygiene"]')
    fill_line(page, "hygiene", "4,50")
    page.click("#basket-confirm")
    expect(page.locator("#outbox-status")).to_have_text("2 paniers en attente d'envoi")
    check_axe(page)
    screenshot(page, "epicerie-tablet-offline")
    kept = waiting(page)
    assert [item["body"].get("participant_id") for item in kept] == [first_id, None]
    assert kept[1]["body"]["code"] == second_code
    assert "Benali" not in json.dumps(kept) and "Fatima" not in json.dumps(kept)
    assert stored_baskets(live_server) == []

    context.set_offline(False)
    expect(page.locator("#outbox-status")).to_be_hidden(timeout=SENT_BACK)
    baskets = stored_baskets(live_server)
    assert [(b["participant_id"], b["value_cents"], b["key"]) for b in baskets] == [
        (first_id, 800, kept[0]["key"]), (second_id, 450, kept[1]["key"])]
    assert waiting(page) == []
    expect(page.locator(".today-row")).to_have_count(2)
    page.reload()
    page.locator("#tablet[data-ready]").wait_for(state="attached")
    expect(page.locator(".today-row")).to_have_count(2)
    assert len(stored_baskets(live_server)) == 2


def test_undo_of_a_basket_still_on_the_tablet(live_server, context, page):
    """Does "Annuler" on a basket not yet sent take it off the tablet, so nothing reaches the box?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    context.set_offline(True)
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "3")
    page.click("#basket-confirm")
    expect(page.locator("#outbox-status")).to_be_visible()
    page.click("#toast-undo")
    expect(page.locator("#outbox-status")).to_be_hidden()
    assert waiting(page) == []
    context.set_offline(False)
    page.reload()
    page.locator("#tablet[data-ready]").wait_for(state="attached")
    assert stored_baskets(live_server) == []


def test_a_lost_answer_is_sent_again_with_the_same_key(live_server, page):
    """When the box stored a basket but its answer was lost, is it sent again and still stored once?"""
    add_household(live_server, "Fatima", "Benali")
    seen = []

    def lose_first_answer(route):
        if route.request.method != "POST" or seen:
            route.continue_()
            return
        response = route.fetch()  # the box stores the basket...
        seen.append((route.request.headers["idempotency-key"], response.status))
        route.abort()  # ...but the tablet never hears back

    page.route("**/api/baskets", lose_first_answer)
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_contain_text("Pas de réseau")
    expect(page.locator("#outbox-status")).to_be_hidden(timeout=SENT_BACK)
    (basket,) = stored_baskets(live_server)
    assert seen == [(basket["key"], 201)]
    expect(page.locator(".today-row")).to_have_count(1)


def _logged_in_session(live) -> tuple[requests.Session, str]:
    """A volunteer's HTTP session on the live server and its CSRF token."""
    from kiosk.auth.services import add_user
    from kiosk.platform.extensions import db
    from kiosk.models import Role

    with live.app.app_context():
        add_user("concurrent", Role.VOLUNTEER, TEST_PASSWORD)
        db.session.commit()
    session = requests.Session()
    token = re.search(r'name="csrf-token" content="([^"]+)"', session.get(live.url + "/login").text).group(1)
    session.post(live.url + "/login", data={"username": "concurrent", "password": TEST_PASSWORD,
                                            "csrf_token": token})
    token = re.search(r'name="csrf-token" content="([^"]+)"', session.get(live.url + "/tablet").text).group(1)
    return session, token


def test_two_identical_requests_at_once_store_one_basket(live_server):
    """Do identical requests sent at the same moment store exactly one basket and agree on its id?"""
    household_id, _ = add_household(live_server, "Fatima", "Benali")
    session, token = _logged_in_session(live_server)
    body = {"participant_id": household_id, "lines": [
        {"category": "frais", "quantity": 1, "weight_kg": 0, "value_eur": "2.00"}], "paid_eur": "0.20"}
    for _round in range(4):
        key = str(uuid.uuid4())
        start = threading.Barrier(2)
        answers = []

        def send():
            start.wait()
            response = session.post(live_server.url + "/api/baskets", json=body, timeout=30,
                                    headers={"Idempotency-Key": key, "X-CSRFToken": token})
            answers.append((response.status_code, response.json()))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _ in answers)
        assert statuses in ([200, 201], [201, 409]), answers
        ids = {payload["id"] for status, payload in answers if status in (200, 201)}
        assert len(ids) == 1
        assert [b["id"] for b in stored_baskets(live_server) if b["key"] == key] == list(ids)
    assert len(stored_baskets(live_server)) == 4
