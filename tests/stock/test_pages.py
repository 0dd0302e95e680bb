"""The stock pages: an arrival typed the French way, a loss, the workshop's ingredients and recipe card,
the year's figures by source (page, workbook, the year's report), and who sees what."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from kiosk.models import AuditEvent, Category, Role, StockArrival, StockLoss, StockSource, WorkshopUse
from kiosk.platform.extensions import db
from kiosk.stock.arrival_request import StockLine
from kiosk.stock.services import receive_stock
from tests.stock.conftest import stored


def category_id(code) -> int:
    return db.session.scalar(db.select(Category.id).where(Category.code == code))


def arrival_form(**rows) -> dict:
    """The arrival form's fields: source, and for each category code (weight, value)."""
    data = {"source": rows.pop("source", "ramasse"), "key": rows.pop("key", "form-key-1")}
    for code, (weight, value) in rows.items():
        data[f"weight_{category_id(code)}"] = weight
        data[f"value_{category_id(code)}"] = value
    return data


def test_volunteer_records_an_arrival_typed_the_french_way(volunteer_client, categories):
    """Does "12,5" kg and "30,40" € become 12 500 g and 3 040 cents, empty rows left out?"""
    response = volunteer_client.post("/stock/arrivage", data=arrival_form(frais=("12,5", "30,40"), bebe=("", "")))
    assert response.status_code == 303
    (arrival,) = db.session.scalars(db.select(StockArrival)).all()
    assert arrival.source == StockSource.RAMASSE
    assert [(line.category.code, line.weight_g, line.value_cents) for line in arrival.lines] == [("frais", 12500, 3040)]
    page = volunteer_client.get(response.location).get_data(as_text=True)
    assert "Arrivage enregistré : 12,5\u00a0kg, 30,40\u00a0€." in page


def test_a_second_tap_on_save_records_one_arrival(volunteer_client, categories):
    """Does the form's key make a double submit give back the first arrival?"""
    form = arrival_form(frais=("3", ""))
    assert volunteer_client.post("/stock/arrivage", data=form).status_code == 303
    assert volunteer_client.post("/stock/arrivage", data=form).status_code == 303
    assert stored() == (1, 1, 1)


def test_a_forged_key_is_replaced(volunteer_client, categories):
    """Is a form key that is not 1–64 printable characters replaced by a fresh one (never stored as sent)?"""
    assert volunteer_client.post("/stock/arrivage", data=arrival_form(frais=("1", ""), key="k" * 500)).status_code == 303
    assert len(db.session.scalar(db.select(StockArrival.idempotency_key))) == 36


def test_bad_arrival_forms_say_why_and_store_nothing(volunteer_client, categories):
    """Negative or huge kilos, a value too big, no source, nothing filled in: a French message, nothing stored."""
    cases = [
        (arrival_form(frais=("-3", "")), "Poids en kilos, de 0 à 9 999"),
        (arrival_form(frais=("10000", "")), "Poids en kilos, de 0 à 9 999"),
        (arrival_form(frais=("2", "100000")), "Valeur en euros, de 0 à 99 999,99"),
        ({**arrival_form(frais=("2", "")), "source": "supermarche"}, None),
        ({k: v for k, v in arrival_form(frais=("2", "")).items() if k != "source"}, "Choisissez d'où viennent"),
        (arrival_form(frais=("", ""), bebe=("0", "0")), "Indiquez au moins une catégorie"),
    ]
    for data, words in cases:
        response = volunteer_client.post("/stock/arrivage", data=data)
        assert response.status_code == 422, words
        assert words is None or words in response.get_data(as_text=True)
    assert stored() == (0, 0, 0)


def test_a_volunteer_cannot_backdate_but_a_coordinator_can(client, auth, categories):
    """Is the arrival's date the coordinator's to choose (a volunteer's is today), and never in the future?"""
    auth.login(Role.COORDINATOR)
    data = {**arrival_form(frais=("1", "1")), "received_on": "2026-01-05", "note": "Livraison BA du lundi"}
    assert client.post("/stock/arrivage", data=data).status_code == 303
    arrival = db.session.scalar(db.select(StockArrival))
    assert (arrival.received_on, arrival.note) == (date(2026, 1, 5), "Livraison BA du lundi")
    future = {**arrival_form(frais=("1", "1"), key="k2"), "received_on": "2099-01-01"}
    response = client.post("/stock/arrivage", data=future)
    assert response.status_code == 422 and "demain" in response.get_data(as_text=True)


def test_a_loss_is_recorded_and_audited(volunteer_client, categories):
    """Does a loss leave the stock with its reason, and say why a bad one is refused?"""
    form = {"category": category_id("frais"), "reason": "perime", "weight": "2,5", "value": "4"}
    assert volunteer_client.post("/stock/perte", data=form).status_code == 303
    loss = db.session.scalar(db.select(StockLoss))
    assert (loss.reason, loss.weight_g, loss.value_cents) == ("perime", 2500, 400)
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.entity == "stock_loss")) == "stock.loss"
    rows = {row["category"]: row["weight_kg"] for row in volunteer_client.get("/api/stock").get_json()}
    assert rows["frais"] == -2.5
    for bad, words in [({**form, "weight": "-1"}, "Poids en kilos"), ({**form, "reason": ""}, "Choisissez la raison"),
                       ({**form, "weight": "", "value": ""}, "Indiquez le poids ou la valeur")]:
        response = volunteer_client.post("/stock/perte", data=bad)
        assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(StockLoss.id))) == 1


def test_workshop_takes_ingredients_and_prints_a_recipe_card(coordinator_client, categories, plan_workshop):
    """Does the coordinator see the stock while planning, take ingredients (stock goes down), print the card,
    and give back an ingredient entered by mistake?"""
    session = plan_workshop(activity="Atelier cuisine")
    receive_stock(StockSource.BANQUE_ALIMENTAIRE, [StockLine(db.session.get(Category, category_id("fruits_legumes")),
                                                             8000, 1600)])
    db.session.commit()
    url = f"/stock/atelier/{session.day.isoformat()}"
    page = coordinator_client.get(url).get_data(as_text=True)
    assert "En stock à l'épicerie" in page and "8,0\u00a0kg" in page
    response = coordinator_client.post(url, data={"ingredient": "Carottes", "category": category_id("fruits_legumes"),
                                                  "weight": "1,5", "value": "0,30"})
    assert response.status_code == 303
    use = db.session.scalar(db.select(WorkshopUse))
    assert (use.ingredient, use.weight_g, use.value_cents, use.used_on) == ("Carottes", 1500, 30, session.day)
    stock = {row["category"]: row["weight_kg"] for row in coordinator_client.get("/api/stock").get_json()}
    assert stock["fruits_legumes"] == 6.5
    card = coordinator_client.get(f"{url}/fiche-recette").get_data(as_text=True)
    assert "Carottes" in card and "1,5\u00a0kg" in card and "Atelier cuisine" in card
    refused = coordinator_client.post(url, data={"ingredient": "", "category": category_id("frais"), "weight": "1"})
    assert refused.status_code == 422 and "Nommez l'ingrédient" in refused.get_data(as_text=True)
    assert coordinator_client.post(f"/stock/atelier/ingredient/{use.id}/retirer").status_code == 303
    assert db.session.scalar(db.select(db.func.count(WorkshopUse.id))) == 0
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.entity == "workshop_use")).all()
    assert actions == ["stock.workshop_use", "delete"]
    session_page = coordinator_client.get(f"/programme/seance/{session.day.isoformat()}").get_data(as_text=True)
    assert url in session_page


def test_a_day_without_a_session_has_no_ingredients_page(coordinator_client, categories):
    """Is a day that holds no session (a Tuesday, the pattern being Thursdays) or no date at all a 404?"""
    assert coordinator_client.get("/stock/atelier/2026-02-03").status_code == 404
    assert coordinator_client.post("/stock/atelier/2026-02-03", data={"ingredient": "Sel"}).status_code == 404
    assert coordinator_client.get("/stock/atelier/pas-une-date").status_code == 404


def make_year():
    frais = db.session.scalar(db.select(Category).where(Category.code == "frais"))
    bebe = db.session.scalar(db.select(Category).where(Category.code == "bebe"))
    receive_stock(StockSource.BANQUE_ALIMENTAIRE, [StockLine(frais, 100_000, 25_000), StockLine(bebe, 5_000, 4_000)],
                  date(2025, 3, 1))
    receive_stock(StockSource.DON, [StockLine(frais, 2_500, 1_000)], date(2025, 9, 1))
    db.session.commit()


def test_yearly_figures_page_and_workbook(coordinator_client, categories):
    """Does the year's page show each source's total, and the workbook hold real numbers with totals rows?"""
    make_year()
    page = coordinator_client.get("/stock/annee?annee=2025").get_data(as_text=True)
    assert "Banque Alimentaire" in page and "Total Banque Alimentaire" in page and "105,0\u00a0kg" in page
    response = coordinator_client.get("/stock/annee.xlsx?annee=2025")
    assert response.status_code == 200
    assert "stock-sources-2025.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    summary = [list(row) for row in book["Par source"].iter_rows(values_only=True)]
    assert summary == [["Source", "Kilos", "Valeur des denrées"], ["Banque Alimentaire", 105.0, 290.0],
                       ["Don", 2.5, 10.0], ["Total", 107.5, 300.0]]
    detail = [list(row) for row in book["Par source et catégorie"].iter_rows(values_only=True)]
    assert detail[1:] == [["Banque Alimentaire", "Produits frais", 100.0, 250.0],
                          ["Banque Alimentaire", "Bébé", 5.0, 40.0],
                          ["Total Banque Alimentaire", None, 105.0, 290.0],
                          ["Don", "Produits frais", 2.5, 10.0], ["Total Don", None, 2.5, 10.0],
                          ["Total", None, 107.5, 300.0]]
    assert book["Par source et catégorie"]["A4"].font.bold
    assert coordinator_client.get("/stock/annee?annee=deux-mille").status_code == 400


def test_the_years_report_shows_the_sources(coordinator_client, categories, runner, tmp_path):
    """Does the year's report (page and PDF) carry the kilos and value by source?"""
    make_year()
    page = coordinator_client.get("/dashboard/bilan?annee=2025").get_data(as_text=True)
    assert "Par provenance" in page and "Banque Alimentaire" in page and "105,0\u00a0kg" in page
    assert "Par provenance" not in coordinator_client.get("/dashboard/bilan?annee=2023").get_data(as_text=True)


def test_who_sees_the_stock_pages(client, auth, categories):
    """Volunteers record arrivals and losses; the sheets and the workshop are the coordinator's; referents see none."""
    auth.login(Role.VOLUNTEER)
    assert [client.get(url).status_code for url in ("/stock", "/stock/arrivage", "/stock/perte")] == [200] * 3
    assert [client.get(url).status_code for url in ("/stock/fiche", "/stock/annee", "/stock/annee.xlsx")] == [403] * 3
    auth.logout()
    auth.login(Role.REFERENT)
    assert client.get("/stock").status_code == 403


def test_the_menu_leads_to_the_stock(client, auth, categories):
    auth.login(Role.COORDINATOR)
    page = client.get("/stock").get_data(as_text=True)
    for words in ("Stock de l'épicerie", "Fiche de stock", "Denrées par source"):
        assert words in page


def test_the_years_report_workbook_has_the_sources(coordinator_client, categories):
    """Does the year's report workbook carry a sheet of kilos and value by source, with its total?"""
    make_year()
    book = load_workbook(BytesIO(coordinator_client.get("/dashboard/bilan.xlsx?annee=2025").data))
    rows = [list(row) for row in book["Provenances"].iter_rows(values_only=True)]
    assert rows == [["Provenance", "Kilos", "Valeur des denrées"], ["Banque Alimentaire", 105.0, 290.0],
                    ["Don", 2.5, 10.0], ["Total", 107.5, 300.0]]


def test_the_stock_speaks_english_too(coordinator_client, categories, plan_workshop):
    """Do the stock's pages, the sheet's PDF and the workbook come out in English for an English browser?"""
    make_year()
    english = {"Accept-Language": "en"}
    day = plan_workshop().day.isoformat()
    for url, words in [("/stock", "The épicerie's stock"), ("/stock/arrivage", "Where does the food come from?"),
                       ("/stock/perte", "Record a loss"), ("/stock/fiche?mois=2025-03", "Opening stock"),
                       ("/stock/annee?annee=2025", "Total Food bank"), (f"/stock/atelier/{day}", "Take an ingredient"),
                       (f"/stock/atelier/{day}/fiche-recette", "Ingredients")]:
        response = coordinator_client.get(url, headers=english)
        assert response.status_code == 200 and words in response.get_data(as_text=True), url
    assert coordinator_client.get("/stock/fiche.pdf?mois=2025-03", headers=english).status_code == 200
    book = load_workbook(BytesIO(coordinator_client.get("/stock/annee.xlsx?annee=2025", headers=english).data))
    assert book.sheetnames == ["By source", "By source and category"]


def test_the_habilitation_file_has_the_sources(coordinator_client, categories):
    """Does the food-aid habilitation's workbook carry the year's kilos and value by source?"""
    make_year()
    book = load_workbook(BytesIO(coordinator_client.get("/dashboard/bilan/habilitation.xlsx?annee=2025").data))
    assert [list(row) for row in book["Provenances"].iter_rows(values_only=True)][-1] == ["Total", 107.5, 300.0]
