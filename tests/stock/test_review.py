"""The stock review's defects (issue 19): where the stock starts, bad years, old dates, on-duty tracing,
signed months that stay signed, and cancelling a mistaken arrival."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.models import (
    AuditEvent, Basket, Category, DeviceKind, LossReason, Role, StockArrival, StockLoss, StockSource, WorkshopDay,
    WorkshopUse,
)
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.settings import get_setting
from kiosk.stock.arrival_request import StockLine
from kiosk.stock.queries import month_sheet, stock_by_category
from kiosk.stock.services import StockError, give_back_workshop_use, receive_stock, record_loss, use_for_workshop
from kiosk.stock.start import set_stock_start, stock_start
from tests.epicerie.conftest import basket_body, identify, line, post_basket
from tests.stock.conftest import arrival_body, post_arrival


def category(code) -> Category:
    return db.session.scalar(db.select(Category).where(Category.code == code))


def category_id(code) -> int:
    return category(code).id


def stock_of(code) -> tuple[int, int]:
    found = next(row.amount for row in stock_by_category() if row.category.code == code)
    return found.weight_g, found.value_cents


def previous_month(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


# 1. Where the stock starts

def test_baskets_served_before_the_stock_started_do_not_count(volunteer_client, household):
    """A box that served baskets before the stock was kept: are those baskets left out of the stock and of
    the price of a loss typed without a value (not a hugely negative stock)?"""
    assert post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50")])).status_code == 201
    old = db.session.scalar(db.select(Basket))
    old.served_on = local_day() - timedelta(days=40)
    set_stock_start(local_day())
    db.session.commit()
    assert stock_of("frais") == (0, 0)
    post_arrival(volunteer_client, arrival_body(lines=[{"category": "frais", "weight_kg": 10, "value_eur": "30.00"}]))
    assert stock_of("frais") == (10000, 3000)
    loss = record_loss(category("frais"), LossReason.OUT_OF_DATE, 1000, None)
    assert loss.value_cents == 300  # 3 €/kg, the arrival's price (not skewed by the old basket)


def test_the_month_sheet_before_the_start_says_the_stock_was_not_kept(coordinator_client, categories):
    """Does the sheet of a month before the stock's start say it was not kept yet (page and PDF)?"""
    set_stock_start(local_day())
    db.session.commit()
    before = previous_month(local_day())
    assert month_sheet(before.year, before.month).not_kept
    page = coordinator_client.get(f"/stock/fiche?mois={before:%Y-%m}").get_data(as_text=True)
    assert "pas encore tenu" in page and "Stock au début" not in page
    assert coordinator_client.get(f"/stock/fiche.pdf?mois={before:%Y-%m}").status_code == 200
    this_month = coordinator_client.get(f"/stock/fiche?mois={local_day():%Y-%m}").get_data(as_text=True)
    assert "Stock au début" in this_month


def test_init_db_stamps_the_start_of_a_new_box(runner, app):
    """Does `kiosk init-db` on a new box start the stock today (and leave a start already set alone)?"""
    assert stock_start() is None
    db.session.rollback()  # the test's read must not hold SQLite's lock for the command
    assert runner.invoke(args=["init-db"]).exit_code == 0
    db.session.expire_all()
    assert get_setting("stock_start") == local_day().isoformat()
    set_stock_start(date(2026, 1, 1))
    db.session.commit()
    db.session.rollback()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    db.session.expire_all()
    assert stock_start() == date(2026, 1, 1)


def test_the_migration_stamps_a_box_that_already_had_baskets(app, volunteer_client, household):
    """Upgrading a box that already served baskets: does the migration start the stock on the upgrade day?"""
    from flask_migrate import downgrade, upgrade

    assert post_basket(volunteer_client, basket_body(household.id)).status_code == 201
    db.session.commit()
    db.session.remove()
    downgrade(revision="19b_stock")
    upgrade()
    db.session.remove()
    assert stock_start() == local_day()


# 2. A year that is not ASCII digits

@pytest.mark.parametrize("url", ["/stock/annee?annee=²", "/stock/annee.xlsx?annee=²⁰²⁵", "/stock/annee?annee=٢٠٢٥",
                                 "/stock/fiche?mois=٢٠٢٥-٠٣"])
def test_a_year_in_other_digits_is_a_400(coordinator_client, categories, url):
    """Is ?annee=² (and Arabic-Indic digits) a plain 400, never a 500?"""
    assert coordinator_client.get(url).status_code == 400


# 3. How far back a date may go

def test_dates_before_the_start_or_over_a_year_back_are_refused(client, auth, categories):
    """Does the coordinator's date field refuse a day before the stock's start, or more than a year back,
    with a French message and nothing stored?"""
    auth.login(Role.COORDINATOR)
    today = local_day()
    set_stock_start(today - timedelta(days=10))
    db.session.commit()
    rows = {f"weight_{category_id('frais')}": "1", f"value_{category_id('frais')}": "1"}
    early = client.post("/stock/arrivage", data={"source": "don", **rows,
                                                  "received_on": (today - timedelta(days=11)).isoformat()})
    assert early.status_code == 422 and "Le stock est tenu depuis le" in early.get_data(as_text=True)
    loss = client.post("/stock/perte", data={"category": category_id("frais"), "reason": "perime", "weight": "1",
                                             "happened_on": (today - timedelta(days=11)).isoformat()})
    assert loss.status_code == 422 and "Le stock est tenu depuis le" in loss.get_data(as_text=True)
    set_stock_start(date(2000, 1, 1))
    db.session.commit()
    ancient = client.post("/stock/arrivage", data={"source": "don", **rows,
                                                    "received_on": date(today.year - 2, 1, 1).isoformat()})
    assert ancient.status_code == 422 and "un an" in ancient.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(StockArrival.id))) == 0
    assert db.session.scalar(db.select(db.func.count(StockLoss.id))) == 0
    assert client.post("/stock/arrivage", data={"source": "don", **rows,
                                                 "received_on": (today - timedelta(days=9)).isoformat()}).status_code == 303


# 4. The unit of work rolls back, not the view

def test_no_view_of_the_stock_rolls_back_by_itself():
    """Do the stock's views leave commit and rollback to the unit of work?"""
    for path in Path("kiosk/stock").glob("*.py"):
        text = path.read_text()
        assert "session.rollback()" not in text and "session.commit()" not in text, path


def test_a_refused_ingredient_writes_nothing(coordinator_client, categories, app):
    """Is a refused ingredient refused before anything is written (no session row for the day)?"""
    from kiosk.settings import set_setting

    today = local_day()
    set_setting("workshop_weekday", str(today.weekday()))  # today is a session of the weekly pattern
    db.session.commit()
    response = coordinator_client.post(f"/stock/atelier/{today.isoformat()}",
                                       data={"ingredient": "Sel", "category": category_id("frais"), "weight": ""})
    assert response.status_code == 422 and "Indiquez le poids" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(WorkshopDay.id))) == 0


# 5. Traced to someone on a tablet

def test_a_tablet_with_no_one_on_duty_asks_for_a_name_first(make_device, make_user, categories):
    """On a tablet where no one gave their name and PIN, do the arrival and loss pages lead to that page,
    storing nothing, and record the volunteer once they did?"""
    tablet = make_device(DeviceKind.TABLET)
    for url in ("/stock/arrivage", "/stock/perte"):
        response = tablet.get(url)
        assert response.status_code == 303 and response.headers["Location"].endswith("/tablet")
    rows = {"source": "don", f"weight_{category_id('frais')}": "1"}
    assert tablet.post("/stock/arrivage", data=rows).status_code == 303
    assert db.session.scalar(db.select(db.func.count(StockArrival.id))) == 0
    jean = make_user(Role.VOLUNTEER, display_name="Jean")
    identify(tablet, jean)
    assert tablet.post("/stock/arrivage", data=rows).status_code == 303
    assert db.session.scalar(db.select(StockArrival.recorded_by_id)) == jean.id


def test_the_api_on_a_tablet_traces_as_baskets_do(make_device, make_user, household):
    """Does POST /api/stock/arrivals answer as POST /api/baskets on a tablet with no one on duty, and record
    the device (and the volunteer once identified)?"""
    tablet = make_device(DeviceKind.TABLET)
    basket = post_basket(tablet, basket_body(household.id))
    arrival = post_arrival(tablet, arrival_body())
    assert arrival.status_code == basket.status_code
    if arrival.status_code == 201:
        stored = db.session.get(StockArrival, arrival.get_json()["id"])
        assert stored.device_id is not None
    jean = make_user(Role.VOLUNTEER, display_name="Jean")
    identify(tablet, jean)
    second = post_arrival(tablet, arrival_body())
    assert second.status_code == 201
    assert db.session.get(StockArrival, second.get_json()["id"]).recorded_by_id == jean.id


# 6. A signed month stays signed

def test_last_months_workshop_use_cannot_change(categories, plan_workshop, coordinator_client):
    """Is a workshop use of a previous month kept (not given back), and no ingredient added to a past month's
    session, with a clear message?"""
    last_month = previous_month(local_day())
    session = plan_workshop(day=last_month)
    receive_stock(StockSource.DON, [StockLine(category("frais"), 5000, 1000)], last_month)
    db.session.commit()
    old = WorkshopUse(workshop_day_id=db.session.scalar(db.select(WorkshopDay.id).where(WorkshopDay.day == last_month))
                      or _row(last_month), used_on=last_month, category=category("frais"), ingredient="Lait",
                      weight_g=1000, value_cents=100)
    db.session.add(old)
    db.session.commit()
    with pytest.raises(StockError, match="mois en cours"):
        give_back_workshop_use(old)
    with pytest.raises(StockError, match="mois en cours"):
        use_for_workshop(session.day, category("frais"), "Beurre", 200, 100)
    db.session.rollback()
    coordinator_client.post(f"/stock/atelier/ingredient/{old.id}/retirer")
    assert db.session.get(WorkshopUse, old.id) is not None
    refused = coordinator_client.post(f"/stock/atelier/{last_month.isoformat()}",
                                      data={"ingredient": "Beurre", "category": category_id("frais"), "weight": "1"})
    assert refused.status_code == 422 and "mois en cours" in refused.get_data(as_text=True)


def _row(day):
    from kiosk.stock.services import workshop_row

    return workshop_row(day).id


# 7. Cancelling a mistaken arrival

def test_a_mistaken_arrival_is_cancelled_the_same_day(client, auth, categories, make_user):
    """1000 kg typed for 10: may the volunteer who typed it cancel it (audited, out of the stock, marked on the
    month's sheet), while another volunteer may not?"""
    auth.login(Role.VOLUNTEER, display_name="Monique")
    created = post_arrival(client, arrival_body(lines=[{"category": "frais", "weight_kg": 1000, "value_eur": "30.00"}]))
    arrival_id = created.get_json()["id"]
    assert f"/stock/arrivage/{arrival_id}/annuler" in client.get("/stock").get_data(as_text=True)
    client.get("/logout")
    auth.login(Role.VOLUNTEER, display_name="Paul")
    assert f"/stock/arrivage/{arrival_id}/annuler" not in client.get("/stock").get_data(as_text=True)
    refused = client.post(f"/stock/arrivage/{arrival_id}/annuler", follow_redirects=True)
    assert "ne peut plus être annulé" in refused.get_data(as_text=True)
    assert db.session.get(StockArrival, arrival_id).cancelled_at is None


def test_the_recorder_and_a_coordinator_may_cancel(client, auth, categories):
    """Does cancelling leave the arrival out of the stock and the year's figures, keep it on the sheet
    marked cancelled, and record an audit event like a basket's cancellation?"""
    auth.login(Role.VOLUNTEER, display_name="Monique")
    arrival_id = post_arrival(client, arrival_body(lines=[
        {"category": "frais", "weight_kg": 1000, "value_eur": "30.00"}])).get_json()["id"]
    assert stock_of("frais") == (1000000, 3000)
    assert client.post(f"/stock/arrivage/{arrival_id}/annuler").status_code == 303
    db.session.expire_all()
    assert db.session.get(StockArrival, arrival_id).cancelled_at is not None
    assert stock_of("frais") == (0, 0)
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "stock_arrival",
                                                          AuditEvent.action == "cancel"))
    assert audit is not None and audit.entity_id == arrival_id
    client.get("/logout")
    auth.login(Role.COORDINATOR)
    page = client.get(f"/stock/fiche?mois={local_day():%Y-%m}").get_data(as_text=True)
    assert "annulé, hors stock" in page
    year = client.get(f"/stock/annee?annee={local_day().year}").get_data(as_text=True)
    assert "1\u00a0000" not in year
    # A coordinator may cancel another's arrival of the current month.
    other = receive_stock(StockSource.DON, [StockLine(category("frais"), 10000, 100)])[0]
    db.session.commit()
    assert client.post(f"/stock/arrivage/{other.id}/annuler").status_code == 303
    db.session.expire_all()
    assert db.session.get(StockArrival, other.id).cancelled_at is not None


def test_the_opening_inventory_starts_the_stock(coordinator_client, household):
    """Does the coordinator's opening count start the stock on its day with what was counted (older baskets
    left out, the count out of the year's figures by source), and is a volunteer kept out of it?"""
    client = coordinator_client
    assert post_basket(client, basket_body(household.id, [line("frais", 2, 1.5, "12.50")])).status_code == 201
    db.session.scalar(db.select(Basket)).served_on = local_day() - timedelta(days=3)
    db.session.commit()
    assert stock_of("frais") == (-1500, -1250)  # no start yet: the basket counts
    page = client.get("/stock/inventaire")
    assert page.status_code == 200 and "Comptez ce qui est sur les étagères" in page.get_data(as_text=True)
    day = local_day() - timedelta(days=1)
    response = client.post("/stock/inventaire", data={"counted_on": day.isoformat(),
                                                      f"weight_{category_id('frais')}": "20",
                                                      f"value_{category_id('frais')}": "40"})
    assert response.status_code == 303
    db.session.expire_all()
    assert stock_start() == day and stock_of("frais") == (20000, 4000)
    from kiosk.stock.queries import yearly_by_source

    assert all(row.source is not StockSource.INVENTAIRE for row in yearly_by_source(day.year).rows)
    # Counted again the same day: the new count replaces the first.
    client.post("/stock/inventaire", data={"counted_on": day.isoformat(), f"weight_{category_id('frais')}": "5"})
    db.session.expire_all()
    assert stock_of("frais") == (5000, 0)
    too_old = client.post("/stock/inventaire", data={"counted_on": date(local_day().year - 2, 1, 1).isoformat()})
    assert too_old.status_code == 422
    assert post_arrival(client, arrival_body(source="inventaire")).status_code == 422  # not an API source


def test_a_volunteer_cannot_open_the_stock(volunteer_client, categories):
    """Is the opening count the coordinator's alone?"""
    assert volunteer_client.get("/stock/inventaire").status_code in (302, 303, 403)
