"""The participants screens in real Chromium, through the production server: every page axe-clean,
screenshots at the three sizes, the live search, a lost card replaced, an import confirmed."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from kiosk.models import Card, Participant
from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser

SAMPLE = Path("/work/shared/samples/participants_excel_fr.csv")


@pytest.fixture
def demo(live_server):
    """The demo centre (40 people, 3 referrers) on the live database."""
    from kiosk.demo import load_demo

    with live_server.app.app_context():
        load_demo()
        db.session.commit()
    return live_server


def check_axe_on_phone(page):
    """axe-core again at phone width, where tables scroll and rows wrap."""
    page.set_viewport_size({"width": 390, "height": 844})
    check_axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def participant_id(live, last_name):
    with live.app.app_context():
        return db.session.scalar(db.select(Participant.id).where(Participant.last_name == last_name))


def test_list_filters_as_you_type(demo, page):
    """Does typing part of a name, without accents, narrow the list at once, and the filters apply?"""
    login(page, demo)
    page.goto(demo.url + "/participants")
    assert page.locator("tbody tr").count() > 20
    check_axe(page)
    check_axe_on_phone(page)
    screenshot(page, "participants-list")
    page.fill("#q", "gwenae")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert "Gwenaëlle" in page.locator("tbody").inner_text()
    assert page.locator("#results-count").inner_text() == "1 participant"
    assert "q=gwenae" in page.url
    page.fill("#q", "")
    page.select_option("#status", "left")
    expect(page.locator("tbody tr")).to_have_count(4)
    check_axe(page)


def test_list_works_without_javascript(demo, browser):
    """Does the search form still filter the list when JavaScript is off (a plain GET form)?"""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    login(page, demo)
    page.goto(demo.url + "/participants")
    page.fill("#q", "moreau")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert "q=moreau" in page.url
    assert page.locator("tbody tr").count() == 1
    context.close()


def test_add_participant_then_page_shows_card(demo, page):
    """Can a coordinator add someone with the form, land on their page and see their card's QR?"""
    login(page, demo)
    page.goto(demo.url + "/participants/new")
    check_axe(page)
    check_axe_on_phone(page)
    screenshot(page, "participants-new")
    page.click("form.form-panel button[type=submit]")
    assert page.locator(".field-error").count() >= 2
    check_axe(page)
    page.fill("#first_name", "Zoé")
    page.fill("#last_name", "Quintin")
    page.fill("#phone", "06 11 22 33 44")
    page.fill("#household_size", "3")
    page.fill("#referrer_name", "Mme Briand")
    page.locator("#referrer_name").dispatch_event("change")
    assert page.input_value("#structure") == "CDAS Rennes Sud"
    page.click("form.form-panel button[type=submit]")
    page.wait_for_url(re.compile(r"/participants/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Zoé Quintin"
    image = page.locator("img.card-qr")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    check_axe(page)
    check_axe_on_phone(page)
    screenshot(page, "participants-show")


def test_lost_card_replaced_after_confirmation(demo, page):
    """Does "card lost" ask first, then give a new card and stop the old one?"""
    pid = participant_id(demo, "Kouassi")
    with demo.app.app_context():
        old = db.session.scalar(db.select(Card.id).where(Card.participant_id == pid, Card.revoked_at.is_(None)))
    login(page, demo)
    page.goto(f"{demo.url}/participants/{pid}")
    page.get_by_role("link", name="Carte perdue : la remplacer").click()
    check_axe(page)
    screenshot(page, "participants-replace-card")
    page.get_by_role("button", name="Oui, remplacer la carte").click()
    page.wait_for_url(re.compile(rf"/participants/{pid}$"))
    assert "l'ancienne ne fonctionne plus" in page.locator(".flash").inner_text()
    with demo.app.app_context():
        assert db.session.get(Card, old).revoked_at is not None


def test_exit_and_return(demo, page):
    """Can a coordinator record a departure with its reason, then a return that opens a new period?"""
    pid = participant_id(demo, "Diallo")
    login(page, demo)
    page.goto(f"{demo.url}/participants/{pid}")
    page.select_option("#reason", "training")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    page.wait_for_url(re.compile(rf"/participants/{pid}$"))
    assert "Formation" in page.locator("table").first.inner_text()
    check_axe(page)
    page.get_by_role("button", name="Enregistrer le retour").click()
    page.wait_for_url(re.compile(rf"/participants/{pid}$"))
    assert page.locator("table").first.locator("tbody tr").count() == 2
    check_axe(page)


def test_edit_page(demo, page):
    """Is the edit page axe-clean, and does a change show on the participant's page?"""
    pid = participant_id(demo, "Haddad")
    login(page, demo)
    page.goto(f"{demo.url}/participants/{pid}/edit")
    check_axe(page)
    screenshot(page, "participants-edit")
    page.fill("#household_size", "5")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/participants/{pid}$"))
    assert "Modifications enregistrées" in page.locator(".flash").inner_text()


def test_import_preview_then_confirm(live_server, page):
    """Does the import page preview the sample (4 to add, 1 already there, line 7 refused) then import it?"""
    login(page, live_server)
    page.goto(live_server.url + "/participants/import")
    check_axe(page)
    screenshot(page, "participants-import")
    page.set_input_files("#file", str(SAMPLE))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_load_state()
    summary = page.locator(".import-summary").inner_text()
    assert re.search(r"4\s+personnes à ajouter", summary)
    assert re.search(r"1\s+déjà inscrite", summary)
    assert re.search(r"1\s+ligne refusée", summary)
    assert "31/09/2026" in page.get_by_role("region", name="Lignes refusées").inner_text()
    check_axe(page)
    check_axe_on_phone(page)
    screenshot(page, "participants-import-preview")
    page.get_by_role("button", name="Importer les 4 personnes").click()
    page.wait_for_url(re.compile(r"/participants\?status=all$"))
    assert "4 participants ajoutés" in page.locator(".flash").inner_text()
    assert page.locator("tbody tr").count() == 4
    with live_server.app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 4
