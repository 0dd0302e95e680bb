"""The tablet's basket form in real Chromium: every error at once, next to its field, with its bound."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_axe, screenshot
from tests.epicerie.browser_helpers import add_household, choose, fill_line, open_tablet, stored_baskets

pytestmark = pytest.mark.browser


def test_every_error_shows_at_once_with_its_bound_and_clears_when_fixed(live_server, page):
    """Do a value of 1 000 000 € and a weight of 99 999 kg each say their bound next to their own field,
    both at once, store nothing, and does each message go when its field is fixed?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    page.click('.tile[data-category="hygiene"]')
    fill_line(page, "frais", "1 000 000", weight="99999")
    fill_line(page, "hygiene", "")
    page.click("#basket-confirm")
    frais = page.locator('.line[data-category="frais"]')
    expect(frais.locator(".line-value-error")).to_have_text("Valeur trop élevée : 9 999,99 € au plus.")
    expect(frais.locator(".line-weight-error")).to_have_text("Poids trop élevé : 999 kg au plus.")
    expect(page.locator('.line[data-category="hygiene"] .line-value-error')).to_have_text(
        "Indiquez la valeur de chaque ligne.")
    expect(page.locator('[aria-invalid="true"]')).to_have_count(3)
    check_axe(page)
    screenshot(page, "epicerie-tablet-errors")
    frais.locator(".line-weight").fill("12")
    expect(frais.locator(".line-weight-error")).to_have_text("")
    expect(frais.locator(".line-value-error")).to_have_text("Valeur trop élevée : 9 999,99 € au plus.")
    frais.locator(".line-value").fill("1 234,50")
    expect(frais.locator(".line-value-error")).to_have_text("")
    page.locator('.line[data-category="hygiene"] .line-value').fill("3")
    expect(page.locator('[aria-invalid="true"]')).to_have_count(0)
    expect(page.locator("#basket-error")).to_have_text("")
    assert stored_baskets(live_server) == []


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_value_box_shows_a_thousand_euros_whole(live_server, page, width, height):
    """Is the value box wide enough that "1 234,50" shows whole, on the tablet and on a phone?"""
    page.set_viewport_size({"width": width, "height": height})
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "1 234,50")
    box = page.locator('.line[data-category="frais"] .line-value')
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the value is cut"
    assert box.evaluate("el => el.clientWidth") >= box.evaluate(
        "el => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(el).font; return Math.ceil(c.measureText('1 234,50').width); }")
