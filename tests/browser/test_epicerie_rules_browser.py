"""The tablet with a price list, the rules that hold, a PIN to serve, and corrections (issues 19, 15)."""

import pytest
from playwright.sync_api import expect

from kiosk.epicerie.products import add_product
from kiosk.models import Basket, Category
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from tests.browser.conftest import check_axe, login, screenshot
from tests.epicerie.browser_helpers import add_household, choose, fill_line, open_tablet, stored_baskets

pytestmark = pytest.mark.browser


def add_products(live):
    with live.app.app_context():
        def category(code):
            return db.session.scalar(db.select(Category).where(Category.code == code))
        from kiosk.epicerie.categories import ensure_default_categories
        ensure_default_categories()
        pasta = add_product(category("epicerie_seche"), "Pâtes", "paquet", 120)
        apples = add_product(category("fruits_legumes"), "Pommes", "kg", 250, banque_alimentaire=True)
        db.session.commit()
        return pasta.id, apples.id


def test_a_product_tapped_fills_its_line(live_server, page):
    """Tap a category, a product, '+': is the line's value quantity × unit value, said to be the line's,
    the weight filled for a product by the kilo, and the basket stored with its products?"""
    pasta, apples = add_products(live_server)
    live_server.run_cli("epicerie", "rules", "--share-percent", "10", "--banque-alimentaire-percent", "-1")
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="epicerie_seche"]')
    expect(page.locator("#product-picker")).to_be_visible()
    page.get_by_role("button", name="Pâtes").click()
    line = page.locator(f'.line[data-product="{pasta}"]')
    expect(line.locator(".line-value")).to_have_value("1,20")
    line.locator(".line-plus").click()
    expect(line.locator(".line-value")).to_have_value("2,40")
    expect(line.locator(".line-unit")).to_contain_text("2 × 1,20")
    expect(page.locator("#basket-lines-note")).to_contain_text("toute la ligne")
    expect(line.get_by_text("Valeur de la ligne (€)")).to_be_visible()
    page.click('.tile[data-category="fruits_legumes"]')
    page.get_by_role("button", name="Pommes").click()
    expect(page.locator(f'.line[data-product="{apples}"] .line-weight')).to_have_value("1")
    page.get_by_role("button", name="Autre (valeur à taper)").click()
    free = page.locator('.line[data-key="c:fruits_legumes"]')
    free.locator(".line-value").fill("3")
    free.locator(".line-weight").fill("2")
    expect(page.locator("#basket-total")).to_have_text("7,90\u00a0€")
    expect(page.locator("#basket-paid")).to_have_value("0,79")
    check_axe(page)
    screenshot(page, "epicerie-tablet-products")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Panier de Fatima B. enregistré.")
    (basket,) = stored_baskets(live_server)
    assert basket["value_cents"] == 790 and basket["weight_g"] == 3000
    with live_server.app.app_context():
        stored = db.session.get(Basket, basket["id"])
        assert sorted((l.product_id, l.quantity, l.value_cents) for l in stored.lines if l.product_id) == \
            sorted([(pasta, 2, 240), (apples, 1, 250)])


def test_the_tablets_share_keeps_within_the_banque_alimentaire_cap(live_server, page):
    """Rate 10 %, BA cap 10 %, 199,99 € of BA apples: does the tablet offer 19,99 € (the BA part
    rounded down, as the server checks it), and is that share accepted?"""
    _pasta, apples = add_products(live_server)
    live_server.run_cli("epicerie", "rules", "--share-percent", "10", "--banque-alimentaire-percent", "10")
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="fruits_legumes"]')
    page.get_by_role("button", name="Pommes").click()
    page.locator(f'.line[data-product="{apples}"] .line-value').fill("199,99")
    expect(page.locator("#basket-paid")).to_have_value("19,99")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Panier de Fatima B. enregistré.")
    (basket,) = stored_baskets(live_server)
    assert (basket["value_cents"], basket["paid_cents"]) == (19999, 1999)


def test_a_correction_keeps_the_household_and_recomputes_the_share(live_server, page):
    """Correcting a basket: does the household stay in view, the share follow the new value (never
    1,23 € on 16,30 €), and 'Recalculer' fit inside its panel at 1280×800?"""
    add_household(live_server, "Fatima", "Benali")
    open_tablet(page, live_server)
    choose(page, "benali")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "12,30")
    page.click("#basket-confirm")
    expect(page.locator(".today-row")).to_have_count(1)
    page.click(".today-correct")
    expect(page.locator("#household-name")).to_have_text("Fatima Benali")
    expect(page.locator("#household-month")).to_be_visible()
    expect(page.locator("#basket-paid")).to_have_value("1,23")
    fill_line(page, "frais", "16,30")
    expect(page.locator("#basket-paid")).to_have_value("1,63")
    page.fill("#basket-paid", "1,50")
    recompute = page.locator("#basket-recompute")
    expect(recompute).to_be_visible()
    box, panel = recompute.bounding_box(), page.locator(".totals").bounding_box()
    assert box["x"] >= panel["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"], (box, panel)
    recompute.click()
    expect(page.locator("#basket-paid")).to_have_value("1,63")
    check_axe(page)
    screenshot(page, "epicerie-tablet-correction")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_have_text("Correction enregistrée.")
    (basket,) = stored_baskets(live_server)
    assert (basket["value_cents"], basket["paid_cents"]) == (1630, 163)


def _served_this_week(live, household_id):
    with live.app.app_context():
        db.session.add(Basket(participant_id=household_id, served_on=local_day(), idempotency_key="earlier",
                              request_digest="x", value_cents=1000, paid_cents=100))
        db.session.commit()


def test_a_limit_refuses_in_plain_french_and_a_volunteer_cannot_pass_it(live_server, page):
    household_id, _ = add_household(live_server, "Awa", "Traoré")
    _served_this_week(live_server, household_id)
    live_server.run_cli("epicerie", "rules", "--enforce", "limit", "--visits-per-week", "1")
    open_tablet(page, live_server)
    choose(page, "traore")
    expect(page.locator('.warning-danger[data-code="served_this_week"]')).to_contain_text("C'est une limite")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    page.click("#basket-confirm")
    expect(page.locator("#override-text")).to_contain_text("Déjà servi cette semaine")
    expect(page.locator("#override-text")).to_contain_text("Seule la coordination peut passer outre")
    expect(page.locator("#override-form")).to_be_hidden()
    check_axe(page)
    assert len(stored_baskets(live_server)) == 1


def test_the_coordinator_passes_a_limit_with_a_reason(live_server, page):
    household_id, _ = add_household(live_server, "Awa", "Traoré")
    _served_this_week(live_server, household_id)
    live_server.run_cli("epicerie", "rules", "--enforce", "limit", "--visits-per-week", "1")
    login(page, live_server, "coordinator", display_name="Claire")
    page.goto(live_server.url + "/tablet")
    choose(page, "traore")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    page.click("#basket-confirm")
    expect(page.locator("#override-form")).to_be_visible()
    check_axe(page)
    screenshot(page, "epicerie-tablet-override")
    page.click("#override-confirm")
    expect(page.locator("#basket-error")).to_contain_text("raison")
    page.fill("#override-reason", "Famille hébergée en urgence")
    page.click("#override-confirm")
    expect(page.locator("#toast-text")).to_have_text("Panier de Awa T. enregistré.")
    with live_server.app.app_context():
        reasons = db.session.scalars(db.select(Basket.override_reason).order_by(Basket.id)).all()
    assert reasons == [None, "Famille hébergée en urgence"]


def test_a_scanned_household_beyond_a_limit_gets_the_override(live_server, page):
    """A household found by scanning its card, beyond a limit: is the coordinator offered the
    override, and does it record the basket (sent with the card's code)?"""
    from tests.browser.conftest import scanner_types

    household_id, code = add_household(live_server, "Awa", "Traoré")
    _served_this_week(live_server, household_id)
    live_server.run_cli("epicerie", "rules", "--enforce", "limit", "--visits-per-week", "1")
    login(page, live_server, "coordinator", display_name="Claire")
    page.goto(live_server.url + "/tablet")
    page.locator("#tablet[data-ready]").wait_for(state="attached")
    scanner_types(page, code)
    page.locator("#household:not([hidden])").wait_for()
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    page.click("#basket-confirm")
    expect(page.locator("#override-form")).to_be_visible()
    page.fill("#override-reason", "Famille hébergée en urgence")
    page.click("#override-confirm")
    expect(page.locator("#toast-text")).to_contain_text("enregistré")
    with live_server.app.app_context():
        reasons = db.session.scalars(db.select(Basket.override_reason).order_by(Basket.id)).all()
    assert reasons == [None, "Famille hébergée en urgence"]


def test_no_open_access_is_not_offered_an_override(live_server, page):
    """A household whose access was closed while its basket was being filled: does even the
    coordinator get the plain refusal, with no override form (no reason opens an access)?"""
    from datetime import timedelta

    from kiosk.models import EpicerieAccess

    household_id, _ = add_household(live_server, "Paul", "Martin")
    live_server.run_cli("epicerie", "rules", "--enforce", "limit")
    login(page, live_server, "coordinator", display_name="Claire")
    page.goto(live_server.url + "/tablet")
    choose(page, "martin")
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "5")
    with live_server.app.app_context():
        for access in db.session.scalars(db.select(EpicerieAccess).where(
                EpicerieAccess.participant_id == household_id)):
            access.starts_on = access.ends_on = local_day() - timedelta(days=10)
        db.session.commit()
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_contain_text("accès")
    expect(page.locator("#override")).to_be_hidden()
    expect(page.locator("#override-form")).to_be_hidden()
    check_axe(page)
    screenshot(page, "epicerie-tablet-no-access-refused")
    assert stored_baskets(live_server) == []


def test_a_tablet_asks_a_pin_once_per_service(live_server, page):
    """Name, then PIN: is a wrong PIN refused in French, the right one letting baskets through?"""
    add_household(live_server, "Fatima", "Benali")
    live_server.run_cli("user", "add", "monique", "--role", "volunteer", "--password", "tartine-du-jeudi",
                        "--name", "Monique")
    live_server.run_cli("user", "add", "claire", "--role", "coordinator", "--password", "tartine-du-jeudi",
                        "--name", "Claire")
    live_server.run_cli("epicerie", "pin", "monique", "--pin", "2580")
    live_server.run_cli("epicerie", "pin", "claire", "--pin", "7391")
    enrol = live_server.run_cli("device", "add", "Tablette", "--kind", "tablet").stdout.strip().splitlines()[-1]
    page.goto(live_server.url + enrol)
    page.get_by_role("link", name="Claire").click()
    page.fill("#pin", "2580")  # Monique's PIN does not open the coordinator's name
    page.get_by_role("button", name="C'est moi").click()
    expect(page.locator("#pin-error")).to_have_text("Code incorrect. Réessayez.")
    page.get_by_role("link", name="Ce n'est pas moi").click()
    page.get_by_role("link", name="Monique").click()
    expect(page.locator("#pin")).to_be_focused()
    check_axe(page)
    screenshot(page, "epicerie-tablet-pin")
    page.fill("#pin", "2580")
    page.get_by_role("button", name="C'est moi").click()
    expect(page.locator(".duty strong")).to_have_text("Monique")
    page.reload()  # once per service, not per basket
    expect(page.locator(".duty strong")).to_have_text("Monique")


def test_the_price_list_page(live_server, page):
    """Can the coordinator add a product on the price list page (axe-clean at every size)?"""
    add_products(live_server)
    login(page, live_server, "coordinator")
    page.goto(live_server.url + "/epicerie/produits")
    page.select_option("#category_id", label="Produits frais")
    page.fill("#name", "Yaourts")
    page.fill("#unit", "pack")
    page.fill("#unit_value", "1,80")
    page.check("#banque_alimentaire")
    page.get_by_role("button", name="Ajouter le produit").click()
    expect(page.locator(".product-row")).to_have_count(3)
    check_axe(page)
    screenshot(page, "epicerie-products")
    page.goto(live_server.url + "/epicerie/regles")
    check_axe(page)
    screenshot(page, "epicerie-settings-rules")
