"""Stock by category = arrivals − baskets' lines − workshop use − losses, from data each test makes."""

from datetime import date, timedelta
from io import BytesIO

from pypdf import PdfReader

from kiosk.models import Category, LossReason, StockSource
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.stock.arrival_request import StockLine
from kiosk.stock.queries import month_sheet, yearly_by_source
from kiosk.stock.services import receive_stock, record_loss, use_for_workshop
from tests.epicerie.conftest import basket_body, line, post_basket
from tests.stock.conftest import arrival_body, post_arrival


def category(code) -> Category:
    return db.session.scalar(db.select(Category).where(Category.code == code))


def stock(client) -> dict:
    return {row["category"]: (row["weight_kg"], row["value_eur"]) for row in client.get("/api/stock").get_json()}


def test_stock_is_arrivals_minus_baskets_workshop_and_losses(volunteer_client, household, plan_workshop):
    """After an arrival, a basket, a cancelled basket, a loss and a workshop use, is each category's stock exact?"""
    post_arrival(volunteer_client, arrival_body(lines=[
        {"category": "frais", "weight_kg": 10, "value_eur": "30.00"},
        {"category": "fruits_legumes", "weight_kg": 5.5, "value_eur": "11.00"}]))
    post_arrival(volunteer_client, arrival_body("ramasse", [{"category": "frais", "weight_kg": 2, "value_eur": "4.00"}]))
    assert post_basket(volunteer_client, basket_body(household.id, [
        line("frais", 2, 1.5, "12.50"), line("fruits_legumes", 1, 0.5, "1.00")])).status_code == 201
    cancelled = post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 3, "9.00")], "0.90"))
    assert volunteer_client.post(f"/api/baskets/{cancelled.get_json()['id']}/cancel").status_code == 200
    record_loss(category("fruits_legumes"), LossReason.OUT_OF_DATE, 1000, 200)
    use_for_workshop(plan_workshop().day, category("frais"), "Yaourts", 2000, 500)
    db.session.commit()

    rows = stock(volunteer_client)
    assert rows["frais"] == (8.5, "16.50")  # 10 + 2 − 1.5 − 2 (the cancelled basket's 3 kg stay in stock)
    assert rows["fruits_legumes"] == (4.0, "8.00")  # 5.5 − 0.5 − 1
    assert rows["hygiene"] == (0.0, "0.00")
    assert list(rows) == ["fruits_legumes", "frais", "epicerie_seche", "hygiene", "bebe", "entretien"]


def test_a_hidden_category_leaves_the_api_but_keeps_its_stock_on_the_page(coordinator_client, categories):
    """Does GET /api/stock speak only the active categories, while the page still shows a hidden one's stock?"""
    post_arrival(coordinator_client, arrival_body(lines=[{"category": "bebe", "weight_kg": 3, "value_eur": "9.00"}]))
    category("bebe").active = False
    db.session.commit()
    assert "bebe" not in stock(coordinator_client)
    page = coordinator_client.get("/stock").get_data(as_text=True)
    assert "Bébé" in page and "3,0" in page


def arrive(day, code, grams, cents, source=StockSource.BANQUE_ALIMENTAIRE):
    receive_stock(source, [StockLine(category(code), grams, cents)], day)


def test_month_sheet_opening_movements_and_closing(household, plan_workshop, volunteer_client):
    """Does the month's sheet carry the stock over from the month before and add up this month's movements?"""
    today = local_day()
    first = today.replace(day=1)
    last_month = first - timedelta(days=1)
    arrive(last_month, "frais", 10_000, 3000)
    record_loss(category("frais"), LossReason.DAMAGED, 1000, 300, last_month)
    arrive(first, "frais", 4000, 800, StockSource.DON)
    record_loss(category("frais"), LossReason.OUT_OF_DATE, 500, 100, first)
    db.session.commit()
    assert post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 2, "5.00")])).status_code == 201
    use_for_workshop(today, category("frais"), "Crème", 250, 50)
    db.session.commit()

    sheet = month_sheet(today.year, today.month)
    (frais,) = [row for row in sheet.rows if row.category.code == "frais"]
    assert (frais.opening.weight_g, frais.opening.value_cents) == (9000, 2700)
    assert (frais.arrived.weight_g, frais.baskets.weight_g, frais.workshop.weight_g, frais.lost.weight_g) == (
        4000, 2000, 250, 500)
    assert (frais.closing.weight_g, frais.closing.value_cents) == (10_250, 2700 + 800 - 500 - 50 - 100)
    assert [a.source for a in sheet.arrivals] == ["don"]
    assert sheet.total("closing").weight_g == 10_250
    previous = month_sheet(last_month.year, last_month.month)
    (old,) = [row for row in previous.rows if row.category.code == "frais"]
    assert (old.opening.weight_g, old.closing.weight_g) == (0, 9000)


def test_month_sheet_page_prints(coordinator_client, categories):
    """Does the month's sheet page show the month's arrival, the totals and the signature line, and refuse a bad month?"""
    arrive(date(2026, 3, 12), "epicerie_seche", 25_000, 4250, StockSource.ACHAT)
    db.session.commit()
    page = coordinator_client.get("/stock/fiche?mois=2026-03")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "mars 2026" in text and "12/03/2026" in text and "Achat" in text and "42,50" in text
    assert "Signature" in text and "print-button.js" in text
    pdf = coordinator_client.get("/stock/fiche.pdf?mois=2026-03")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "fiche-de-stock-2026-03.pdf" in pdf.headers["Content-Disposition"]
    reader = PdfReader(BytesIO(pdf.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for words in ("Fiche de stock", "mars 2026", "12/03/2026", "Achat", "42,50", "25,0", "Signature"):
        assert words in text, words
    assert coordinator_client.get("/stock/fiche?mois=2026-13").status_code == 400
    assert coordinator_client.get("/stock/fiche.pdf?mois=2026-00").status_code == 400
    assert coordinator_client.get("/stock/fiche?mois=mars").status_code == 400


def test_yearly_by_source_counts_only_the_year(categories):
    """Are the year's kilos and value by source and category summed, other years left out?"""
    arrive(date(2025, 1, 1), "frais", 1000, 100)
    arrive(date(2025, 6, 1), "frais", 2000, 200)
    arrive(date(2025, 12, 31), "bebe", 500, 1000, StockSource.DON)
    arrive(date(2025, 7, 1), "frais", 300, 30, StockSource.RAMASSE)
    arrive(date(2024, 12, 31), "frais", 9999, 9999)
    arrive(date(2026, 1, 1), "frais", 9999, 9999)
    db.session.commit()
    figures = yearly_by_source(2025)
    assert [(r.source, r.category.code, r.amount.weight_g, r.amount.value_cents) for r in figures.rows] == [
        ("banque_alimentaire", "frais", 3000, 300), ("ramasse", "frais", 300, 30), ("don", "bebe", 500, 1000)]
    assert [(source, total.weight_g) for source, _rows, total in figures.by_source()] == [
        ("banque_alimentaire", 3000), ("ramasse", 300), ("don", 500)]
    assert (figures.total.weight_g, figures.total.value_cents) == (3800, 1330)


def test_without_a_value_an_ingredient_or_loss_is_priced_at_the_stocks_average(categories, plan_workshop):
    """Does an ingredient or a loss typed without a value take the stock's average value per kilo
    (and nothing when the category holds nothing)?"""
    arrive(local_day(), "frais", 8000, 1600)
    arrive(local_day(), "frais", 2000, 900)  # 10 kg worth 25,00 €: 2,50 € a kilo
    use = use_for_workshop(plan_workshop().day, category("frais"), "Fromage blanc", 1500, None)
    assert use.value_cents == 375
    loss = record_loss(category("frais"), LossReason.DAMAGED, 333, None)
    assert loss.value_cents == 83  # 333 g of the 8,5 kg left worth 21,25 €: 0,8325 € → 0,83 €
    assert record_loss(category("frais"), LossReason.OTHER, 100, 0).value_cents == 0  # a value typed stays
    assert record_loss(category("bebe"), LossReason.OTHER, 100, None).value_cents == 0


def test_the_demo_has_a_stock_that_covers_its_baskets(app):
    """Does the demo centre show arrivals by source and a stock above zero in every category?"""
    from kiosk.demo import load_demo
    from kiosk.stock.queries import stock_by_category

    load_demo()
    db.session.commit()
    rows = stock_by_category()
    assert rows and all(row.amount.weight_g > 0 and row.amount.value_cents > 0 for row in rows)
    years = (local_day().year - 1, local_day().year)  # the demo's twelve Thursdays may straddle New Year
    sources = {source for year in years for source, _rows, _total in yearly_by_source(year).by_source()}
    assert sources == {"banque_alimentaire", "ramasse", "don"}
