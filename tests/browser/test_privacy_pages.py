"""The privacy notice and one person's data page in real Chromium, through the production server."""

import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kiosk.platform.extensions import db
from kiosk.models import ServerSetting
from kiosk.people.services import add_participant, open_epicerie_access
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day
from tests.browser.conftest import check_axe, login, screenshot
from tests.privacy.conftest import History

pytestmark = pytest.mark.browser


def test_notice_reads_well_everywhere(live_server, page):
    """Can anyone open the notice, is it accessible, and does it fit a phone without sideways scrolling?"""
    page.goto(live_server.url + "/confidentialite")
    assert page.get_by_role("heading", level=1).inner_text() == "Vos données personnelles"
    assert page.get_by_role("heading", level=2).count() == 6
    assert "Après 2 ans sans nouvelles de vous" in page.locator("main").inner_text()
    check_axe(page)
    screenshot(page, "privacy-notice")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_text("Les détails, pour les professionnels").click()
    assert page.get_by_text("Responsable du traitement").is_visible()
    check_axe(page)


def entry_day() -> date:
    """The person came a year ago, so that their access (at most two years) is still open today,
    whatever day the suite runs."""
    return local_day() - timedelta(days=365)


def make_person(live_server) -> int:
    with live_server.app.app_context():
        history = History()
        entered = entry_day()
        person = add_participant("Zéphyrine", "Quirinovsky", referrer_name="Mme Briand", phone="06 11 22 33 44",
                                 household_size=3, entered_on=entered)
        open_epicerie_access(person, local_day() + timedelta(days=30), starts_on=entered)
        issue_card(person)
        for week in range(6):
            day = entered + timedelta(days=7, weeks=week)
            history.checkin(person, day)
            history.basket(person, day, value_cents=1500 + week * 100)
        history.call(person, entered + timedelta(days=58), note="Rappeler mardi")
        db.session.commit()
        return person.id


def test_coordinator_finds_shows_downloads_and_anonymises(live_server, page):
    """Does a coordinator reach a person's data from the menu, print, download it, then anonymise them?"""
    person_id = make_person(live_server)
    login(page, live_server, "coordinator")
    page.locator("details.menu-group > summary", has_text="Réglages").click()
    page.get_by_role("link", name="Confidentialité").click()
    check_axe(page)
    screenshot(page, "privacy-manage", sizes=("tablet", "phone"))
    page.get_by_label("Nom, prénom ou numéro").fill("zephyrine")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="Quirinovsky Zéphyrine").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Données de Zéphyrine Quirinovsky"
    expect(page.get_by_role("button", name="Imprimer pour la personne")).to_be_visible()  # privacy.js, when it has run
    assert page.locator("#data-checkins .badge").inner_text() == "6"
    check_axe(page)
    screenshot(page, "privacy-participant")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_axe(page)  # on a phone the tables scroll sideways: still reachable by keyboard?
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == f"donnees-participant-{person_id}.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["participant"]["last_name"] == "Quirinovsky" and len(data["baskets"]) == 6

    page.get_by_role("button", name="Anonymiser cette personne").click()
    assert "Cochez la case pour confirmer" in page.get_by_role("alert").inner_text()
    page.get_by_label("Je confirme").check()
    page.get_by_role("button", name="Anonymiser cette personne").click()
    assert "C'est fait" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == f"Personne anonymisée n°{person_id}"
    main = page.locator("main").inner_text()
    assert "Zéphyrine" not in main and "Quirinovsky" not in main and "Rappeler mardi" not in main
    assert page.locator("#data-checkins .badge").inner_text() == "6"
    check_axe(page)
    screenshot(page, "privacy-participant-anonymised", sizes=("tablet",))

    page.get_by_role("link", name="Qui a consulté ce dossier").click()
    actions = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert actions[:2] == ["a consulté", "a anonymisé"]  # newest first: the page shown after anonymising
    assert "a téléchargé un fichier" in actions
    check_axe(page)
    screenshot(page, "privacy-audit", sizes=("tablet", "phone"))
    page.set_viewport_size({"width": 390, "height": 844})
    check_axe(page)


def test_the_server_runs_retention_when_it_starts(live_server):
    """Has the production server run retention by itself once started (its lock row is written)?"""
    deadline = time.monotonic() + 30
    found = None
    while found is None and time.monotonic() < deadline:
        with live_server.app.app_context():
            found = db.session.get(ServerSetting, "retention_last_run")
            db.session.remove()
        time.sleep(0.1)
    assert found is not None


def test_data_page_with_a_path_is_accessible_at_every_size(live_server, page):
    """Does a person's data page, with milestones, self-assessments, situations and the optional answers,
    pass axe-core and fit the screen at kiosk, tablet and phone sizes?"""
    from kiosk.models import Milestone, MilestoneKind, Moment, Participant, SelfAssessment, Situation

    person_id = make_person(live_server)
    with live_server.app.app_context():
        person = db.session.get(Participant, person_id)
        person.birth_year, person.sex, person.adults, person.children = 1988, "f", 1, 2
        orientation = db.session.scalar(db.select(MilestoneKind).where(MilestoneKind.code == "orientation"))
        db.session.add_all([
            Milestone(participant_id=person_id, kind=orientation, happened_on=entry_day() + timedelta(days=90),
                      result="Mission locale de Rennes : rendez-vous pris avec une conseillère"),
            SelfAssessment(participant_id=person_id, moment=Moment.ENTRY, assessed_on=entry_day() + timedelta(days=7),
                           food=1, social=2, esteem=2, money=1, rights=3),
            Situation(participant_id=person_id, moment=Moment.ENTRY, recorded_on=entry_day() + timedelta(days=7),
                      employment="job_seeker", in_training=False, resources="rsa"),
        ])
        db.session.commit()
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/confidentialite/participants/{person_id}")
    for heading in ("Étapes du parcours", "Auto-évaluations", "Situation à l'entrée et à la sortie"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert "Mission locale de Rennes" in page.locator("main").inner_text()
    for width, height in ((1920, 1080), (1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page)
    screenshot(page, "privacy-data-path")
