"""The year's report page and the privacy notice in real Chromium: axe-core at the three sizes."""

import pytest

from tests.browser.conftest import check_axe, login, screenshot
from tests.browser.test_dashboard_pages import demo_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_report_and_notice_pass_axe_at_every_size(demo_server, page):
    """Do the report (its tables scroll inside keyboard-reachable regions on a phone) and the notice pass
    axe-core and fit the screen at kiosk, tablet and phone sizes?"""
    login(page, demo_server, "coordinator")
    for url, name in (("/dashboard/bilan", "year-report"), ("/confidentialite", "year-notice")):
        page.goto(demo_server.url + url)
        for width, height in ((1920, 1080), (1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            check_axe(page)
        screenshot(page, name)
    page.goto(demo_server.url + "/dashboard/bilan")
    assert page.get_by_role("heading", name="Personnes accompagnées par âge").is_visible()
    assert page.get_by_role("region", name="Tableau : L'épicerie par catégorie").count() == 1
