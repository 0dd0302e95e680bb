"""The dashboard in real Chromium on the production server, with the demo centre: axe-clean, screenshots."""

import pytest
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(live_server):
    """The live server with the demo centre loaded (people, Thursdays, baskets, calls, refused cards)."""
    from kiosk.demo import load_demo

    with live_server.app.app_context():
        load_demo()
        db.session.commit()
    return live_server


def _last_thursday(live):
    from kiosk.dashboard.queries import held_day_back
    from kiosk.platform.timezone import local_day

    with live.app.app_context():
        return held_day_back(local_day(), 1, include_day=True)


def test_day_page(demo_server, page):
    """Does the coordinator's day page show the last Thursday's people and baskets, axe-clean at every size?"""
    login(page, demo_server, "coordinator")
    day = _last_thursday(demo_server)
    page.goto(f"{demo_server.url}/dashboard?date={day.isoformat()}")
    assert page.get_by_role("heading", name="Qui est venu").is_visible()
    assert int(page.locator('[data-figure="checkins"]').inner_text()) > 0
    assert page.locator("table").first.locator("tbody tr").count() > 0
    check_axe(page)
    screenshot(page, "dashboard-day")
    with page.expect_navigation():
        page.get_by_role("link", name="Aujourd'hui").last.click()
    assert "Personne n'est encore venu" in page.content() or page.locator('[data-figure="checkins"]').is_visible()


def test_followup_page_records_a_call(demo_server, page):
    """Can the coordinator record a call from the list with the row's form, and see it noted?"""
    login(page, demo_server, "coordinator")
    page.goto(demo_server.url + "/dashboard/rappels")
    check_axe(page)
    screenshot(page, "dashboard-followup")
    first = page.locator(".callback").first
    name = first.locator("h3").inner_text()
    first.get_by_label("Comment").select_option("text")
    first.get_by_label("Résultat").select_option("will_come")
    first.get_by_label("Note (facultatif)").fill("Reviendra jeudi")
    with page.expect_navigation():  # the list comes back at the same address: wait for the new page
        first.get_by_role("button", name="Noter l'essai").click()
    assert page.get_by_role("status").inner_text() == "Essai noté."
    row = page.locator(".callback", has_text=name)
    assert "SMS · Va revenir" in row.inner_text() and "Reviendra jeudi" in row.inner_text()
    check_axe(page)


def test_followup_print_list(demo_server, page):
    """Does the printable list show a Print button (JavaScript) and one section per referrer, axe-clean?"""
    login(page, demo_server, "coordinator")
    page.goto(demo_server.url + "/dashboard/rappels/imprimer")
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()  # added by the script, when it has run
    assert page.locator(".print-group").count() >= 1
    check_axe(page)
    screenshot(page, "dashboard-followup-print")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Imprimer").is_visible()
    assert not page.locator(".topbar").is_visible()


def test_trends_page(demo_server, page):
    """Are the four charts drawn as named images, with their tables one click away, axe-clean?"""
    login(page, demo_server, "coordinator")
    page.goto(demo_server.url + "/dashboard/tendances")
    assert page.get_by_role("img", name="Présences par semaine").is_visible()
    assert page.locator("svg.chart").count() == 4
    page.get_by_text("Voir le tableau des chiffres").first.click()
    assert page.locator("#table-attendance").is_visible()
    check_axe(page)
    screenshot(page, "dashboard-trends")


def test_report_page_and_downloads(demo_server, page):
    """Does the report page show the year and offer Excel and PDF downloads that arrive as files?"""
    login(page, demo_server, "coordinator")
    page.goto(demo_server.url + "/dashboard/bilan")
    assert int(page.locator('[data-figure="people-came"]').inner_text()) > 0
    check_axe(page)
    screenshot(page, "dashboard-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger pour Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_referent_page(demo_server, page):
    """Does a referent of Mme Briand land on their own list (axe-clean) and get refused the dashboard?"""
    login(page, demo_server, "referent", referrer_name="Mme Briand")
    assert page.url.endswith("/referent")
    assert page.locator("tbody tr").count() > 0
    check_axe(page)
    screenshot(page, "dashboard-referent")
    response = page.goto(demo_server.url + "/dashboard")
    assert response.status == 403


def test_day_page_in_english(demo_server, page):
    """Does the day page switch to English?"""
    login(page, demo_server, "coordinator")
    page.goto(demo_server.url + "/dashboard")
    # The switch is a form: wait for the page it leads to, not for the one still showing.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    check_axe(page)


def test_day_note_is_written_shown_and_printed(demo_server, page):
    """Can the coordinator write the day's note from the day page, see it there (axe-clean at every
    size), and is it printed with the day while its form is not?"""
    login(page, demo_server, "coordinator")
    day = _last_thursday(demo_server)
    page.goto(f"{demo_server.url}/dashboard?date={day.isoformat()}")
    page.get_by_label("Ce qui s'est passé, ce qu'il faut retenir").fill("Livraison de la Banque alimentaire.\nFour en panne.")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.wait_for_load_state("networkidle")
    note = page.locator("[data-day-note]")
    assert note.inner_text() == "Livraison de la Banque alimentaire.\nFour en panne."
    assert page.get_by_role("status").or_(page.locator(".flash-success")).first.is_visible()
    check_axe(page)
    screenshot(page, "dashboard-day-note")
    page.emulate_media(media="print")
    assert note.is_visible()
    assert not page.locator(".day-note-edit").is_visible()
    page.emulate_media(media="screen")
    page.get_by_text("Modifier la note").click()
    page.get_by_label("Ce qui s'est passé, ce qu'il faut retenir").fill("")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-day-note]").count() == 0
