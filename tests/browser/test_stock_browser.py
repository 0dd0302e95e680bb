"""The épicerie's stock in real Chromium: an arrival on the enrolled tablet in a few taps, the
coordinator's month sheet (its print button), the year by source, the workshop's ingredients."""

import pytest
from playwright.sync_api import expect

from kiosk.models import StockArrival, User, WorkshopUse
from kiosk.platform.extensions import db
from tests.browser.conftest import check_axe, login, screenshot

pytestmark = pytest.mark.browser


def stored_arrivals(live) -> list[tuple]:
    with live.app.app_context():
        return [(a.source.value, a.recorded_by_id, a.device_id is not None,
                 [(line.category.code, line.weight_g, line.value_cents) for line in a.lines])
                for a in db.session.scalars(db.select(StockArrival).order_by(StockArrival.id))]


def test_a_volunteer_records_an_arrival_on_the_tablet(live_server, page):
    """On an enrolled tablet, can the volunteer on duty go from the baskets to an arrival, tap its source,
    type the kilos, and see it in stock, recorded in their name; and is bad input refused in French?"""
    live_server.run_cli("user", "add", "monique", "--role", "volunteer", "--password", "tartine-du-jeudi",
                        "--name", "Monique")
    live_server.run_cli("epicerie", "pin", "monique", "--pin", "2580")
    enrol = live_server.run_cli("device", "add", "Tablette", "--kind", "tablet").stdout.strip().splitlines()[-1]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + enrol)
    page.get_by_role("link", name="Monique").click()  # her name, then her PIN (issue 19's PINs)
    page.fill("#pin", "2580")
    page.get_by_role("button", name="C'est moi").click()
    page.get_by_role("link", name="Noter un arrivage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noter un arrivage")
    check_axe(page)
    page.get_by_text("Ramasse (supermarchés)").click()
    expect(page.get_by_role("radio", name="Ramasse (supermarchés)")).to_be_checked()
    page.get_by_label("Kilos — Produits frais").fill("-3")
    page.get_by_role("button", name="Enregistrer l'arrivage").click()
    expect(page.locator(".field-error").first).to_have_text("Poids en kilos, de 0 à 9 999 (par exemple 1,5).")
    expect(page.get_by_label("Kilos — Produits frais")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("radio", name="Ramasse (supermarchés)")).to_be_checked()
    check_axe(page)
    assert stored_arrivals(live_server) == []
    page.get_by_label("Kilos — Produits frais").fill("12,5")
    page.get_by_label("Valeur (€) — Produits frais").fill("25")
    page.get_by_label("Kilos — Fruits et légumes").fill("4")
    screenshot(page, "stock-arrival-tablet")
    page.get_by_role("button", name="Enregistrer l'arrivage").click()
    expect(page.locator(".flash-success")).to_have_text("Arrivage enregistré : 16,5\u00a0kg, 25,00\u00a0€.")
    expect(page.locator(".stock-table tr", has_text="Produits frais")).to_contain_text("12,5\u00a0kg")
    with live_server.app.app_context():
        monique = db.session.scalar(db.select(User.id).where(User.username == "monique"))
    assert stored_arrivals(live_server) == [
        ("ramasse", monique, True, [("fruits_legumes", 4000, 0), ("frais", 12500, 2500)])]
    check_axe(page)
    screenshot(page, "stock-index-tablet")
    page.get_by_role("link", name="Noter une perte").click()
    page.get_by_text("Date dépassée").click()
    page.select_option("#category", label="Produits frais")
    page.fill("#weight", "2,5")
    check_axe(page)
    screenshot(page, "stock-loss-tablet")
    page.get_by_role("button", name="Enregistrer la perte").click()
    expect(page.locator(".flash-success")).to_have_text("Perte enregistrée.")
    # 12,5 kg worth 25,00 €, less 2,5 kg at the stock's average: 10 kg worth 20,00 €.
    expect(page.locator(".stock-table tr", has_text="Produits frais")).to_contain_text("10,0\u00a0kg")
    expect(page.locator(".stock-table tr", has_text="Produits frais")).to_contain_text("20,00\u00a0€")
    page.get_by_role("link", name="Retour aux paniers").click()
    expect(page.locator(".duty strong")).to_have_text("Monique")


def test_coordinator_month_sheet_year_and_workshop(live_server, page):
    """Can the coordinator reach the month's sheet from the grouped menu (its print button shown by its script),
    the year by source, and take an ingredient for a cooking session with the stock in view?"""
    live_server.run_cli("workshop", "plan", "--date", _today(live_server), "--activity", "Atelier cuisine")
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/stock/arrivage")
    page.get_by_text("Banque Alimentaire").click()
    page.get_by_label("Kilos — Épicerie sèche").fill("20")
    page.get_by_label("Valeur (€) — Épicerie sèche").fill("35,50")
    page.get_by_role("button", name="Enregistrer l'arrivage").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.locator("details.menu-group > summary", has_text="Les chiffres").click()
    page.get_by_role("link", name="Fiche de stock", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche de stock")
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    expect(page.locator(".sheet tfoot")).to_contain_text("35,50")
    check_axe(page)
    screenshot(page, "stock-month-sheet")
    page.goto(live_server.url + "/stock/annee")
    expect(page.locator(".by-source")).to_contain_text("Total Banque Alimentaire")
    check_axe(page)
    screenshot(page, "stock-year")
    page.goto(live_server.url + "/programme/seance/" + _today(live_server))
    page.get_by_role("link", name="Prévoir la recette avec le stock").click()
    expect(page.locator(".stock-table")).to_contain_text("20,0\u00a0kg")
    page.fill("#ingredient", "Lentilles")
    page.select_option("#category", label="Épicerie sèche")
    page.fill("#weight", "2")
    page.get_by_role("button", name="Prendre dans le stock").click()
    expect(page.locator(".flash-success")).to_have_text("Ingrédient pris dans le stock.")
    expect(page.locator(".stock-table tr", has_text="Épicerie sèche")).to_contain_text("18,0\u00a0kg")
    check_axe(page)
    screenshot(page, "stock-workshop")
    page.get_by_role("link", name="Fiche recette à imprimer").first.click()
    expect(page.locator(".ingredients")).to_contain_text("Lentilles — 2,0\u00a0kg")
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    check_axe(page)
    screenshot(page, "stock-recipe-card")
    with live_server.app.app_context():
        assert db.session.scalar(db.select(WorkshopUse.weight_g)) == 2000


def _today(live) -> str:
    from kiosk.platform.timezone import local_day

    with live.app.app_context():
        return local_day().isoformat()
