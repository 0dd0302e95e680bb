"""The accounts and devices screen in Chromium."""

import re
import shutil
import subprocess

import pytest

from kiosk.box.network import lan_addresses

from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_coordinator_enrols_a_tablet_from_the_screen(live_server, page, browser, tmp_path):
    """Can a coordinator create a tablet's link, and does that link enrol another browser?"""
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/comptes/")
    check_axe(page)
    page.fill("#device-name", "Tablette épicerie")
    page.select_option("#device-kind", "tablet")
    page.get_by_role("button", name="Créer le lien d'enrôlement").click()
    lan = lan_addresses()
    if not lan:
        pytest.skip("this machine has no LAN address to build the link on")
    link = page.locator("code.enrol-link").inner_text()
    # The box's LAN address and the port served, not the 127.0.0.1 the coordinator typed.
    assert re.fullmatch(rf"http://{re.escape(lan[0])}:{live_server.port}/enrol/[\w-]+", link), link
    check_axe(page)
    screenshot(page, "admin-accounts")
    if shutil.which("zbarimg"):  # the QR code as the browser draws it reads back as the same link
        png = tmp_path / "qr.png"
        page.locator(".enrol-qr svg").screenshot(path=str(png))
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True,
                                 check=True).stdout.strip()
        assert decoded == link
    tablet = browser.new_context()
    try:
        tablet_page = tablet.new_page()
        tablet_page.goto(live_server.url + link.split(str(live_server.port), 1)[1])
        assert tablet_page.url.endswith("/tablet")
    finally:
        tablet.close()
