"""The accounts and devices screen in Chromium."""

import re
import shutil
import subprocess

import pytest

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
    link = page.locator("code.enrol-link").inner_text()
    # The address the server listens on (--host 127.0.0.1 here; make run's 0.0.0.0 gives the LAN's)
    # and the port served (tests/admin/test_enrolment_link.py checks the LAN address and the Host header).
    assert re.fullmatch(rf"http://127\.0\.0\.1:{live_server.port}/enrol/[\w-]+", link), link
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
        tablet_page.goto(link)
        assert tablet_page.url.endswith("/tablet")
    finally:
        tablet.close()
