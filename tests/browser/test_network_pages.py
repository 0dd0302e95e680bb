"""The network's pages in real Chromium: its menu, its settings page (name and logo), its reports page
with the funders' files of figures and the sentence about the ESF+ file; axe-core and no sideways scroll."""

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_a_network_user_names_the_network_and_takes_out_the_funders_files(live_server, page, tmp_path):
    """Through the menu, does the network user name the network and give it a logo, see the name head
    its pages, find the figures' files for each centre and the sum, and read why the ESF+ file is not there?"""
    from kiosk.sites.services import add_site

    with live_server.app.app_context():
        add_site("Centre Nord")
        db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "network")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réseau de 2 centres")
    check_axe(page)
    screenshot(page, "network-reports")
    assert page.locator("a[href*='/dashboard/bilan/habilitation.xlsx']").count() == 3  # the sum and each centre
    assert page.locator("a[href*='fse.xlsx']").count() == 0
    expect(page.get_by_text("Le fichier FSE+ a une ligne par participant")).to_be_visible()

    page.get_by_role("link", name="Le réseau", exact=True).click()
    page.wait_for_url("**/reseau/reglages")
    page.fill("#name", "Épiceries du Pays de Rennes")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Nom du réseau enregistré.")).to_be_visible()
    expect(page.get_by_text("sont titrés : « Épiceries du Pays de Rennes — réseau de 2 centres »")).to_be_visible()
    logo = tmp_path / "reseau.png"
    buffer = BytesIO()
    Image.new("RGB", (240, 80), "#2f6f4f").save(buffer, format="PNG")
    logo.write_bytes(buffer.getvalue())
    page.set_input_files("#logo", str(logo))
    page.get_by_role("button", name="Envoyer le logo").click()
    expect(page.get_by_text("Logo du réseau enregistré.")).to_be_visible()
    expect(page.get_by_alt_text("Logo actuel du réseau")).to_be_visible()
    assert page.evaluate("document.querySelector('img.centre-logo-preview').naturalWidth") == 240
    check_axe(page)
    screenshot(page, "network-settings")

    page.get_by_role("link", name="Bilans du réseau", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Épiceries du Pays de Rennes — réseau de 2 centres")
    with page.expect_download() as download:
        page.locator("a[href*='/dashboard/bilan/caf.xlsx']").first.click()
    assert download.value.suggested_filename.startswith("caf-")
    page.get_by_role("link", name=re.compile(r"^Bilan \d{4} du réseau$")).click()
    expect(page.get_by_text("Le fichier FSE+ a une ligne par participant")).to_be_visible()
    check_axe(page)
    screenshot(page, "network-year-report", sizes=("tablet",))
