"""The main menu in real Chromium: grouped by what the coordinator does, one button on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_a_phone_sees_one_menu_button_and_the_callback_list_at_once(live_server, page):
    """On 390×844, is the menu one closed button, with the call-back list's heading in view without
    scrolling, and does the button open every entry, grouped?"""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server)
    page.goto(live_server.url + "/dashboard/rappels")
    menu = page.locator("details[data-menu]")
    expect(menu).not_to_have_attribute("open", "")
    assert page.locator("header.topbar").bounding_box()["height"] < 130
    heading = page.locator("main h1").bounding_box()
    assert heading["y"] + heading["height"] < 844 / 3
    expect(page.get_by_role("link", name="Participants")).to_be_hidden()
    page.locator("details[data-menu] > summary").click()
    expect(page.get_by_role("link", name="Participants")).to_be_visible()
    expect(page.get_by_role("link", name="Confidentialité")).to_be_visible()
    check_axe(page)
    screenshot(page, "menu-open", sizes=("phone",))
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")


def test_a_wide_screen_sees_four_groups_each_opening_its_entries(live_server, page):
    """On a wide screen, are there four top-level groups (not eleven entries), one open at a time?"""
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server)
    page.goto(live_server.url + "/dashboard")
    groups = page.locator("details.menu-group > summary")
    expect(groups).to_have_text(["La journée", "Les personnes", "Les chiffres", "Réglages"])
    expect(page.get_by_role("link", name="Bilan")).to_be_hidden()
    screenshot(page, "menu-groups", sizes=("kiosk", "tablet"))
    groups.nth(2).click()
    expect(page.get_by_role("link", name="Bilan")).to_be_visible()
    groups.nth(3).click()
    expect(page.get_by_role("link", name="Bilan")).to_be_hidden()
    expect(page.get_by_role("link", name="Confidentialité")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Confidentialité").click()
    page.wait_for_url("**/confidentialite/**")


def test_a_volunteer_sees_their_two_screens_without_groups(live_server, page):
    """Does a volunteer see their two screens as plain links, without a group to open?"""
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "volunteer")
    expect(page.locator("details.menu-group")).to_have_count(0)
    expect(page.get_by_role("link", name="Accueil sans carte")).to_be_visible()
