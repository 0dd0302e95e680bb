"""The accounts and devices screen in Chromium."""

import pytest

from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_coordinator_enrols_a_tablet_from_the_screen(live_server, page, browser):
    """Can a coordinator create a tablet's link, and does that link enrol another browser?"""
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/comptes/")
    check_axe(page)
    page.fill("#device-name", "Tablette épicerie")
    page.select_option("#device-kind", "tablet")
    page.get_by_role("button", name="Créer le lien d'enrôlement").click()
    link = page.locator("code.enrol-link").inner_text()
    assert "/enrol/" in link
    check_axe(page)
    screenshot(page, "admin-accounts")
    tablet = browser.new_context()
    try:
        tablet_page = tablet.new_page()
        tablet_page.goto(link)
        assert tablet_page.url.endswith("/tablet")
    finally:
        tablet.close()
