"""The login page in real Chromium, through the production server."""

import pytest

from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_and_lands_on_dashboard(live_server, page):
    """Does a coordinator who logs in from Chromium land on the dashboard, in French?"""
    page.goto(live_server.url + "/login")
    assert page.locator("meta[name=csrf-token]").get_attribute("content")
    check_axe(page)
    screenshot(page, "login")
    login(page, live_server, "coordinator")
    assert page.url.endswith("/dashboard")
    assert page.locator("html").get_attribute("lang") == "fr"
    check_axe(page)


def test_wrong_password_says_so_in_french(live_server, page):
    """Does a wrong password show a plain French message and keep the person on the form?"""
    page.goto(live_server.url + "/login")
    page.fill("#username", "personne")
    page.fill("#password", "mauvais-mot-de-passe")
    page.click("main button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "Identifiant ou mot de passe incorrect."
    check_axe(page)


def test_language_switch_to_english(live_server, page):
    """Does the English button switch the login page to English and keep it there?"""
    page.goto(live_server.url + "/login")
    # The switch is a form: wait for the page it leads to, not for the one still showing.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
