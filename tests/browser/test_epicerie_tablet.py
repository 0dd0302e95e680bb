"""The épicerie tablet in real Chromium (1280×800): find a household, build a basket, confirm, correct."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Basket, EpicerieAccess, User
from kiosk.platform.timezone import local_day
from tests.browser.conftest import check_axe, scanner_types, screenshot
from tests.epicerie.browser_helpers import add_household, choose, fill_line, open_tablet, stored_baskets

pytestmark = pytest.mark.browser


def test_find_build_confirm(live_server, page):
    """Can a volunteer find a household by name, tap a basket together and confirm it, stored exactly?"""
    household_id, _code = add_household(live_server, "Fatima", "Benali", size=3)
    open_tablet(page, live_server)
    check_axe(page)
    choose(page, "benali")
    expect(page.locator("#household-name")).to_have_text("Fatima Benali")
    expect(page.locator("#household-size")).to_contain_text("3 personnes")
    expect(page.locator("#household-month")).to_contain_text("90,00")
    expect(page.locator("#household-last")).to_have_text("Premier passage à l'épicerie")
    page.click('.tile[data-category="frais"]')
    page.click('.tile[data-category="frais"]')
    page.click('.tile[data-category="hygiene"]')
    page.click('.tile[data-category="bebe"]')
    page.locator('.line[data-category="bebe"] .line-remove').click()
    page.locator('.line[data-category="hygiene"] .line-plus').click()
    page.locator('.line[data-category="hygiene"] .line-minus').click()
    fill_line(page, "frais", "12,40", weight="1,5")
    fill_line(page, "hygiene", "3,50")
    expect(page.locator('.tile[data-category="frais"] .tile-count')).to_have_text("× 2")
    expect(page.locator("#basket-total")).to_have_text("15,90\u00a0€")
    expect(page.locator("#basket-paid")).to_have_value("1,59")
    check_axe(page)
    screenshot(page, "epicerie-tablet-basket")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Panier de Fatima B. enregistré.")
    expect(page.locator(".today-row")).to_have_count(1)
    expect(page.locator(".today-row .today-who")).to_have_text("Fatima B.")
    (basket,) = stored_baskets(live_server)
    assert basket["participant_id"] == household_id
    assert (basket["value_cents"], basket["paid_cents"], basket["weight_g"]) == (1590, 159, 1500)
    assert basket["lines"] == [("frais", 2, 1500, 1240), ("hygiene", 1, 0, 350)]
    assert basket["served_by_id"] is not None and not basket["cancelled"]
    # Ready for the next household, the basket empty.
    expect(page.locator("#household-search")).to_be_visible()
    expect(page.locator(".line")).to_have_count(0)
    check_axe(page)
    screenshot(page, "epicerie-tablet-saved")


def test_undo_right_after_confirming(live_server, page):
    """Does "Annuler ce panier" right after confirming cancel the basket that was just stored?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "fatima")
    page.click('.tile[data-category="epicerie_seche"]')
    fill_line(page, "epicerie_seche", "6")
    page.click("#basket-confirm")
    page.click("#toast-undo")
    expect(page.locator("#toast-text")).to_have_text("Panier annulé.")
    expect(page.locator(".today-row.is-cancelled")).to_have_count(1)
    (basket,) = stored_baskets(live_server)
    assert basket["cancelled"]


def test_a_missing_value_is_pointed_at_and_nothing_sent(live_server, page):
    """Is a line without a value pointed at in plain French, with nothing stored?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "fatima")
    page.click('.tile[data-category="frais"]')
    page.click("#basket-confirm")
    expect(page.locator("#basket-error")).to_have_text("Indiquez la valeur de chaque ligne.")
    expect(page.locator('.line[data-category="frais"] .line-value')).to_have_attribute("aria-invalid", "true")
    fill_line(page, "frais", "2")
    page.fill("#basket-paid", "5")
    page.click("#basket-confirm")
    expect(page.locator("#basket-error")).to_have_text("La participation ne peut pas dépasser la valeur du panier.")
    assert stored_baskets(live_server) == []
    check_axe(page)


def test_expired_access_blocks_the_basket_and_says_what_to_do(live_server, page):
    """Does a household whose access ended show why and what to do, with the basket impossible?"""
    household_id, _ = add_household(live_server, "Loïc", "Moreau", until_days=None)
    with live_server.app.app_context():
        db.session.add(EpicerieAccess(participant_id=household_id, starts_on=local_day() - timedelta(days=60),
                                      ends_on=local_day() - timedelta(days=3)))
        db.session.commit()
    open_tablet(page, live_server)
    choose(page, "moreau")
    warning = page.locator('.warning[data-code="no_access"]')
    expect(warning).to_contain_text("Voir la coordination pour renouveler l'accès")
    expect(page.locator("#household-access")).to_have_text("Pas d'accès ouvert")
    expect(page.locator(".tile").first).to_be_disabled()
    expect(page.locator("#basket-confirm")).to_be_disabled()
    expect(page.locator("#basket-hint")).to_have_text("Pas de panier sans accès ouvert : voir la coordination.")
    check_axe(page)
    screenshot(page, "epicerie-tablet-no-access")


def test_allowance_reached_and_already_served_are_warned(live_server, page):
    """Are 'allowance reached' and 'already served this week' shown, while the basket stays possible?"""
    household_id, _ = add_household(live_server, "Awa", "Traoré", size=1)
    with live_server.app.app_context():
        db.session.add(Basket(participant_id=household_id, served_on=local_day(), idempotency_key="earlier",
                              request_digest="x", value_cents=6000, paid_cents=600))
        db.session.commit()
    open_tablet(page, live_server)
    choose(page, "traore")
    expect(page.locator('.warning[data-code="allowance_reached"]')).to_contain_text("Plafond du mois atteint")
    expect(page.locator('.warning[data-code="served_this_week"]')).to_contain_text("Déjà servi cette semaine")
    expect(page.locator(".tile").first).to_be_enabled()
    check_axe(page)
    screenshot(page, "epicerie-tablet-warnings")


def test_correct_then_cancel_a_basket_of_the_day(live_server, page):
    """Can a basket of the day be corrected (audit keeps the old amounts) and then cancelled?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "10")
    page.click("#basket-confirm")
    expect(page.locator(".today-row")).to_have_count(1)
    page.click(".today-correct")
    expect(page.locator("#basket-editing")).to_contain_text("Correction du panier de Fatima B.")
    expect(page.locator('.line[data-category="frais"] .line-value')).to_have_value("10,00")
    page.locator('.line[data-category="frais"] .line-plus').click()
    fill_line(page, "frais", "14,00")
    page.fill("#basket-paid", "1,40")
    check_axe(page)
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Correction enregistrée.")
    expect(page.locator(".today-amounts")).to_contain_text("14,00")
    (basket,) = stored_baskets(live_server)
    assert (basket["value_cents"], basket["paid_cents"], basket["lines"][0][1]) == (1400, 140, 2)
    with live_server.app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update"))
        assert event.details["before"]["value_cents"] == 1000
    page.click(".today-cancel")
    page.click(".today-cancel-no")
    assert not stored_baskets(live_server)[0]["cancelled"]
    page.click(".today-cancel")
    page.click(".today-cancel-yes")
    expect(page.locator(".today-row.is-cancelled")).to_have_count(1)
    assert stored_baskets(live_server)[0]["cancelled"]
    check_axe(page)


def test_a_scanner_typing_the_code_finds_the_household(live_server, page):
    """Does a USB scanner typing a code and Enter, with no field focused or in the search field, find the household?"""
    add_household(live_server, "Nadia", "Haddad")
    _, code = add_household(live_server, "Mohamed", "Bensaïd")
    open_tablet(page, live_server)
    scanner_types(page, code)
    expect(page.locator("#household-name")).to_have_text("Mohamed Bensaïd")
    page.click("#household-change")
    page.fill("#household-search", "nad")
    page.focus("#household-search")
    scanner_types(page, code)
    expect(page.locator("#household-name")).to_have_text("Mohamed Bensaïd")
    page.click("#household-change")
    expect(page.locator("#household-search")).to_have_value("nad")  # the scan was taken back out
    scanner_types(page, "BCDFGHIJKLBCDFGHIJKLBC")
    expect(page.locator("#household-message")).to_have_text("Carte inconnue.")


def test_an_enrolled_tablet_asks_who_serves(live_server, page):
    """Does an enrolled tablet ask the volunteer's name and PIN, then record baskets in that name?"""
    add_household(live_server, "Fatima", "Benali")
    live_server.run_cli("user", "add", "monique", "--role", "volunteer", "--password", "tartine-du-jeudi",
                        "--name", "Monique")
    assert live_server.run_cli("epicerie", "pin", "monique", "--pin", "2580").returncode == 0
    enrol = live_server.run_cli("device", "add", "Tablette", "--kind", "tablet").stdout.strip().splitlines()[-1]
    page.goto(live_server.url + enrol)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour ! Qui sert à l'épicerie ?")
    check_axe(page)
    screenshot(page, "epicerie-tablet-shift")
    page.get_by_role("link", name="Monique").click()
    page.fill("#pin", "2580")
    page.get_by_role("button", name="C'est moi").click()
    expect(page.locator(".duty strong")).to_have_text("Monique")
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Panier de Fatima B. enregistré.")
    with live_server.app.app_context():
        monique_id = db.session.scalar(db.select(User.id).where(User.username == "monique"))
    assert stored_baskets(live_server)[0]["served_by_id"] == monique_id
    page.get_by_role("button", name="Changer de bénévole").click()
    expect(page.get_by_role("link", name="Monique")).to_be_visible()


def test_phone_width_has_no_sideways_scroll(live_server, page):
    """At phone width, does the tablet screen fit without scrolling sideways?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    choose(page, "benali")
    page.click('.tile[data-category="fruits_legumes"]')
    fill_line(page, "fruits_legumes", "3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_axe(page)
