"""The coordinator's épicerie rules in real Chromium: rules, categories, a household's access."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kiosk.epicerie.rules import current_rules
from kiosk.platform.extensions import db
from kiosk.models import EpicerieAccess
from kiosk.platform.timezone import local_day
from tests.browser.conftest import check_axe, login, screenshot
from tests.epicerie.browser_helpers import add_household

pytestmark = pytest.mark.browser


def test_coordinator_sets_rules_and_categories(live_server, page):
    """Can the coordinator change the rate and visits, and add, move and hide categories?"""
    login(page, live_server, "coordinator")
    page.locator("details.menu-group > summary", has_text="Réglages").click()
    page.get_by_role("link", name="Règles de l'épicerie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Règles de l'épicerie")
    check_axe(page)
    page.fill("#contribution_percent", "20")
    page.fill("#visits_per_week", "2")
    page.fill("#allowance_per_person", "25,00")
    page.get_by_role("button", name="Appliquer ces règles dès maintenant").click()
    expect(page.locator(".flash")).to_have_text("Les nouvelles règles s'appliquent dès maintenant.")
    with live_server.app.app_context():
        rules = current_rules()
        assert (rules.contribution_percent, rules.visits_per_week, rules.allowance_per_person_cents) == (20, 2, 2500)
    page.fill("#label", "Produits d'été")
    page.get_by_role("button", name="Ajouter la catégorie").click()
    expect(page.locator(".category-row input[name=label]").nth(6)).to_have_value("Produits d'été")
    page.get_by_role("button", name="Monter Produits d'été").click()
    expect(page.locator(".category-row input[name=label]").nth(5)).to_have_value("Produits d'été")
    page.get_by_role("button", name="Masquer Bébé").click()
    expect(page.locator(".category-row.is-hidden input[name=label]")).to_have_value("Bébé")
    page.fill("#contribution_percent", "150")
    page.get_by_role("button", name="Appliquer ces règles dès maintenant").click()
    expect(page.locator("#contribution_percent-error")).to_have_text("Un nombre entre 0 et 100.")
    check_axe(page)
    screenshot(page, "epicerie-settings")


def test_coordinator_renews_a_households_access(live_server, page):
    """Can the coordinator find a household from the rules screen and renew its access with an allowance?"""
    household_id, _ = add_household(live_server, "Maëlle", "Le Goff", until_days=10, size=2)
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/epicerie/regles")
    expect(page.get_by_role("link", name="Renouveler — Le Goff Maëlle")).to_be_visible()
    page.fill("#q", "maelle")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="Le Goff Maëlle", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maëlle Le Goff")
    with live_server.app.app_context():
        renewal_starts = local_day() + timedelta(days=11)
    expect(page.locator("#starts_on")).to_have_value(renewal_starts.isoformat())
    check_axe(page)
    page.fill("#household_size", "3")
    page.fill("#monthly_allowance", "95,50")
    page.get_by_role("button", name="Enregistrer l'accès").click()
    expect(page.locator(".flash")).to_contain_text("Accès à l'épicerie enregistré")
    with live_server.app.app_context():
        rows = db.session.scalars(db.select(EpicerieAccess).where(EpicerieAccess.participant_id == household_id)
                                  .order_by(EpicerieAccess.id)).all()
        assert [r.monthly_allowance_cents for r in rows] == [None, 9550]
        assert rows[1].starts_on == rows[0].ends_on + timedelta(days=1)
    expect(page.locator("tbody tr")).to_have_count(2)
    check_axe(page)
    screenshot(page, "epicerie-household")
